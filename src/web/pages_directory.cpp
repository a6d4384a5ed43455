// The public service directory: search without an account, in French or English, and the
// page of one service. Readable on a phone and printable (static/css/directory.css).
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "store/search_cache.hpp"
#include "web/directory_pages.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace directory {

store::DirectoryRepo repo(Ctx& ctx) {
    return store::DirectoryRepo(ctx.tx, ctx.app.clock());
}

const std::string& pick(const Ctx& ctx, const std::string& fr, const std::string& en) {
    return ctx.lang == Lang::fr ? fr : en;
}

std::string waitlist_text(const Ctx& ctx, const std::string& status, const std::optional<std::int64_t>& weeks) {
    if (status == "waitlist") return ctx.t("waitlist.text.waitlist", {std::to_string(weeks.value_or(0))});
    return ctx.t(status == "open" ? "waitlist.text.open" : "waitlist.text.closed");
}

std::string date_part(const std::string& iso) {
    return iso.substr(0, 10);
}

bool stale(const Ctx& ctx, const std::string& iso, int stale_days) {
    auto t = parse_iso(iso);
    return !t || d::waitlist_is_stale(*t, ctx.app.clock().now(), stale_days);
}

std::string language_names(const Ctx& ctx, const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + ctx.t("service.language." + c);
    return out;
}

std::vector<Option> category_options(Ctx& ctx) {
    std::vector<Option> out;
    for (const auto& t : repo(ctx).taxonomy()) out.push_back({t.code, pick(ctx, t.name_fr, t.name_en)});
    return out;
}

std::vector<Option> language_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto c : d::service_languages()) out.push_back({std::string(c), ctx.t("service.language." + std::string(c))});
    return out;
}

std::vector<Option> waitlist_status_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto s : d::all_waitlist_statuses())
        out.push_back({std::string(d::code(s)), ctx.t("waitlist.status." + std::string(d::code(s)))});
    return out;
}

std::vector<Option> mechanism_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto m : d::all_access_mechanisms())
        out.push_back({std::string(d::code(m)), ctx.t("pathway.mechanism." + std::string(d::code(m)))});
    return out;
}

http::Response form_page(Ctx& ctx, const std::string& title_key, json form, int status, json extra) {
    json model = std::move(extra);
    model["form"] = std::move(form);
    model["heading"] = ctx.t(title_key);
    return ctx.app.page(ctx, title_key, "directory_form_page", model, status);
}

http::Response error(Ctx& ctx, const Error& e) {
    return ctx.app.error_page(ctx, e);
}

}  // namespace directory

namespace {

using namespace directory;

// At most `max` characters of `s`, cut at a word boundary, with an ellipsis when shortened.
std::string excerpt(const std::string& s, std::size_t max) {
    std::size_t chars = 0, i = 0, last_space = std::string::npos;
    while (i < s.size() && chars < max) {
        if (s[i] == ' ' || s[i] == '\n') last_space = i;
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        ++chars;
    }
    if (i >= s.size()) return s;
    const std::size_t cut = last_space != std::string::npos && last_space > i / 2 ? last_space : i;
    return trim(s.substr(0, cut)) + "…";
}

// "tel:+16135550100" for "+1 613-555-0100 x12": the extension is dialled by hand.
std::string tel_href(const std::string& phone) {
    std::string out = "tel:+";
    for (char c : phone.substr(0, phone.find(" x")))
        if (c >= '0' && c <= '9') out.push_back(c);
    return out;
}

// Mustache shows a section for any string, even an empty one: drop empty texts so that
// {{#field}}...{{/field}} hides what a service did not fill in.
json without_empty(json j) {
    for (auto it = j.begin(); it != j.end();) {
        if (it->is_string() && it->get_ref<const std::string&>().empty())
            it = j.erase(it);
        else
            ++it;
    }
    return j;
}

json option_list(const std::vector<Option>& options, const std::string& selected) {
    json out = json::array();
    for (const auto& o : options) out.push_back({{"value", o.value}, {"label", o.label}, {"selected", o.value == selected}});
    return out;
}

// The search page's own query string with one parameter changed (for pagination links).
std::string search_href(const d::SearchForm& in, int page) {
    std::string q;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        q += (q.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(v);
    };
    add("q", in.q);
    add("area", in.area);
    add("category", in.category);
    add("age", in.age);
    add("language", in.language);
    add("wait", in.wait);
    add("fls", in.fls);
    add("sort", in.sort);
    if (page > 1) add("page", std::to_string(page));
    return "/services" + q;
}

// 1000 as "1,000" in English and "1 000" in French (narrow no-break space).
std::string grouped(std::int64_t n, Lang lang) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += lang == Lang::fr ? "\u202f" : ",";
        out += digits[i];
    }
    return out;
}

http::Response search(Ctx& ctx, const DirectoryOptions& o) {
    const auto& r = ctx.req;
    const d::SearchForm in{r.query_param("q"),   r.query_param("area"),     r.query_param("category"),
                           r.query_param("age"), r.query_param("language"), r.query_param("wait"),
                           r.query_param("fls"), r.query_param("sort"),     r.query_param("page")};
    d::SearchFilters f;
    auto errors = d::validate(in, f);
    const auto categories = category_options(ctx);
    if (f.category && std::none_of(categories.begin(), categories.end(), [&](const Option& c) { return c.value == *f.category; }))
        errors.push_back({"category", "service.unknown_category", {}});
    std::vector<Option> areas;
    for (const auto& s : ctx.identity().list_sdas(false))
        areas.push_back({std::to_string(s.id), pick(ctx, s.name_fr, s.name_en)});
    if (f.sda_id &&
        std::none_of(areas.begin(), areas.end(), [&](const Option& a) { return a.value == std::to_string(*f.sda_id); }))
        errors.push_back({"area", "field.choose_one", {}});

    std::vector<Option> waits = {{"open", ctx.t("search.wait_open")}};
    for (int w : {4, 12, 26, 52}) waits.push_back({std::to_string(w), ctx.t("search.wait_at_most", {std::to_string(w)})});
    std::vector<Option> sorts;
    for (auto s : d::all_search_sorts())
        sorts.push_back({std::string(d::code(s)), ctx.t("search.sort." + std::string(d::code(s)))});

    json model = {{"q", in.q},
                  {"age", in.age},
                  {"fls", f.fls_only},
                  {"areas", option_list(areas, in.area)},
                  {"categories", option_list(categories, in.category)},
                  {"languages", option_list(language_options(ctx), in.language)},
                  {"waits", option_list(waits, in.wait)},
                  {"sorts", option_list(sorts, std::string(d::code(f.sort)))}};
    if (d::can_manage_any_directory(ctx.principal)) model["manage_href"] = "/directory/manage";
    model["filters_open"] = !(in.area.empty() && in.category.empty() && in.age.empty() && in.language.empty() &&
                              in.wait.empty() && in.fls.empty() && in.sort.empty()) ||
                            !errors.empty();

    if (!errors.empty()) {
        json summary = json::array();
        for (const auto& e : errors) {
            const std::string message = ctx.t(e.message_key, e.args);
            summary.push_back({{"message", message}, {"href", "#search-" + e.field}});
            if (!model.contains("error_" + e.field)) model["error_" + e.field] = message;
        }
        model["error_summary"] = summary;
        return ctx.app.page(ctx, "search.title", "directory_search", model, 422);
    }

    const auto found =
        store::cached_search(ctx.app.search_cache(), ctx.app.search_index(), ctx.tx, ctx.app.clock(), f, ctx.lang, o.page_size);
    json results = json::array();
    for (const auto& s : found.services) {
        json item = {{"href", "/services/" + std::to_string(s.id)},
                     {"name", pick(ctx, s.name_fr, s.name_en)},
                     {"organisation", pick(ctx, s.org_name_fr, s.org_name_en)},
                     {"summary", excerpt(pick(ctx, s.description_fr, s.description_en), 220)},
                     {"status_code", s.waitlist_status},
                     {"status_text", waitlist_text(ctx, s.waitlist_status, s.wait_weeks)},
                     {"updated", date_part(s.waitlist_updated_at)},
                     {"stale", stale(ctx, s.waitlist_updated_at, o.stale_days)},
                     {"fls", s.fls_designated},
                     {"language_names", language_names(ctx, s.languages)}};
        std::string cities;
        for (const auto& c : s.cities) cities += (cities.empty() ? "" : ", ") + c;
        if (!cities.empty()) item["cities"] = cities;
        results.push_back(without_empty(std::move(item)));
    }
    model["results"] = results;
    model["count"] = found.more ? ctx.t("search.count_more", {grouped(store::search_count_cap, ctx.lang)})
                                : ctx.t("search.count", {std::to_string(found.total)});
    const auto pages = static_cast<int>((found.total + o.page_size - 1) / o.page_size);
    if (pages > 1) {
        json nav = {{"text", ctx.t("search.page_of", {std::to_string(f.page), std::to_string(pages)})}};
        if (f.page > 1) nav["prev_href"] = search_href(in, f.page - 1);
        if (f.page < pages) nav["next_href"] = search_href(in, f.page + 1);
        model["pagination"] = nav;
    }
    return ctx.app.page(ctx, "search.title", "directory_search", model);
}

http::Response service(Ctx& ctx, const DirectoryOptions& o) {
    auto id = d::parse_id(ctx.req.params["id"]);
    auto dir = repo(ctx);
    auto s = id ? dir.find_service(*id) : std::nullopt;
    if (!s || !s->active || !s->org_active) return error(ctx, Error::not_found());

    std::string ages;
    if (s->age_min && s->age_max)
        ages = ctx.t("service.ages_between", {std::to_string(*s->age_min), std::to_string(*s->age_max)});
    else if (s->age_min)
        ages = ctx.t("service.ages_from", {std::to_string(*s->age_min)});
    else if (s->age_max)
        ages = ctx.t("service.ages_up_to", {std::to_string(*s->age_max)});
    json categories = json::array();
    for (const auto& c : s->categories)
        categories.push_back({{"label", pick(ctx, c.name_fr, c.name_en)}, {"href", "/services?category=" + c.code}});
    json locations = json::array();
    for (const auto& l : dir.service_locations(s->id)) {
        json loc = {{"name", pick(ctx, l.name_fr, l.name_en)},
                    {"address", l.address},
                    {"city_line", l.city + (l.postal_code.empty() ? "" : "  " + l.postal_code)},
                    {"hours", pick(ctx, l.hours_fr, l.hours_en)},
                    {"accessibility", pick(ctx, l.accessibility_fr, l.accessibility_en)},
                    {"step_free", l.step_free_access}};
        // Names differ from the service's own keys: mustache would show the service's phone for
        // a location without one.
        if (!l.phone.empty()) loc["location_phone"] = l.phone, loc["location_phone_href"] = tel_href(l.phone);
        locations.push_back(without_empty(std::move(loc)));
    }
    const bool is_stale = stale(ctx, s->waitlist_updated_at, o.stale_days);
    json model = {{"name", pick(ctx, s->name_fr, s->name_en)},
                  {"organisation", pick(ctx, s->org_name_fr, s->org_name_en)},
                  {"description", pick(ctx, s->description_fr, s->description_en)},
                  {"eligibility", pick(ctx, s->eligibility_fr, s->eligibility_en)},
                  {"ages", ages},
                  {"area_served", pick(ctx, s->area_served_fr, s->area_served_en)},
                  {"access", pick(ctx, s->access_fr, s->access_en)},
                  {"intake", pick(ctx, s->intake_fr, s->intake_en)},
                  {"fees", pick(ctx, s->fees_fr, s->fees_en)},
                  {"languages", language_names(ctx, s->languages)},
                  {"fls", s->fls_designated},
                  {"categories", categories},
                  {"locations", locations},
                  {"contact_name", s->contact_name},
                  {"email", s->email},
                  {"website", s->website},
                  {"status_code", s->waitlist_status},
                  {"status_text", waitlist_text(ctx, s->waitlist_status, s->wait_weeks)},
                  {"updated", date_part(s->waitlist_updated_at)},
                  {"updated_iso", s->waitlist_updated_at},
                  {"stale", is_stale}};
    if (is_stale) model["stale_text"] = ctx.t("waitlist.stale_public", {std::to_string(o.stale_days)});
    if (!s->phone.empty()) model["phone"] = s->phone, model["phone_href"] = tel_href(s->phone);
    if (!s->email.empty()) model["email_href"] = "mailto:" + s->email;
    if (d::can_manage_directory(ctx.principal, s->organisation_id, s->sda_id))
        model["manage_href"] = "/directory/manage/services/" + std::to_string(s->id) + "/edit";
    return ctx.app.page(ctx, "service.view_title", "directory_service", without_empty(std::move(model)));
}

}  // namespace

void register_directory_public_pages(WebApp& app, const DirectoryOptions& o) {
    app.route("GET", "/services",
              {"services/search", Access::public_page, TxMode::read, [o](Ctx& ctx) { return search(ctx, o); }});
    app.route("GET", "/services/{id}",
              {"services/view", Access::public_page, TxMode::read, [o](Ctx& ctx) { return service(ctx, o); }});
}

void register_directory_pages(WebApp& app) {
    DirectoryOptions o;
    o.stale_days = app.config().directory_stale_days;
    register_directory_public_pages(app, o);
    register_directory_manage_pages(app, o);
    register_pathway_pages(app, o);
}

}  // namespace arrimage::web
