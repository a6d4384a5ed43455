// Staff pages of the directory: an organisation's services, locations and waitlists, for its
// provider managers, the coordinating-agency administrators of its SDA and system
// administrators (domain::can_manage_directory). Records are deactivated, never deleted.
#include <algorithm>

#include "core/text.hpp"
#include "web/directory_pages.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using namespace directory;

std::optional<std::int64_t> id_param(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

std::string org_href(std::int64_t id) {
    return "/directory/manage/organisations/" + std::to_string(id);
}
std::string service_href(std::int64_t id) {
    return "/directory/manage/services/" + std::to_string(id);
}

// The organisation, if active and the viewer may manage its directory entries.
Result<store::OrganisationRow> managed_org(Ctx& ctx, std::optional<std::int64_t> id) {
    auto o = id ? ctx.identity().find_organisation(*id) : std::nullopt;
    if (!o || !o->active) return Error::not_found();
    if (!d::can_manage_directory(ctx.principal, o->id, o->sda_id)) return Error::forbidden();
    return *o;
}

Result<store::ServiceRow> managed_service(Ctx& ctx) {
    auto id = id_param(ctx);
    auto s = id ? repo(ctx).find_service(*id) : std::nullopt;
    if (!s) return Error::not_found();
    if (!d::can_manage_directory(ctx.principal, s->organisation_id, s->sda_id)) return Error::forbidden();
    return *s;
}

Result<store::LocationRow> managed_location(Ctx& ctx) {
    auto id = id_param(ctx);
    auto l = id ? repo(ctx).find_location(*id) : std::nullopt;
    if (!l) return Error::not_found();
    auto o = ctx.identity().find_organisation(l->organisation_id);
    if (!o) return Error::not_found();
    if (!d::can_manage_directory(ctx.principal, o->id, o->sda_id)) return Error::forbidden();
    return *l;
}

// ---------------------------------------------------------------- organisations

http::Response index(Ctx& ctx) {
    if (!d::can_manage_any_directory(ctx.principal)) return error(ctx, Error::forbidden());
    std::vector<store::OrganisationRow> orgs;
    for (auto& o : ctx.identity().list_organisations(std::nullopt, false))
        if (d::can_manage_directory(ctx.principal, o.id, o.sda_id)) orgs.push_back(std::move(o));
    json rows = json::array();
    for (const auto& o : orgs) {
        rows.push_back({{"cells", json::array({{{"text", pick(ctx, o.name_fr, o.name_en)}, {"href", org_href(o.id)}},
                                               {{"text", o.sda_code}}})}});
    }
    json model = {{"heading", ctx.t("directory.manage_title")},
                  {"columns", json::array({ctx.t("membership.organisation"), ctx.t("org.sda")})},
                  {"rows", rows},
                  {"actions", json::array({{{"href", "/services"}, {"label", ctx.t("directory.public_search")}}})},
                  {"empty", rows.empty()}};
    // The coordinating agency (who maintains an area's pathways) may also import an HSDS set.
    for (const auto& s : ctx.identity().list_sdas(false))
        if (d::can_manage_pathways(ctx.principal, s.id)) {
            model["actions"].push_back({{"href", "/directory/hsds/import"}, {"label", ctx.t("hsds.import.link")}});
            break;
        }
    return ctx.app.page(ctx, "directory.manage_title", "list", model);
}

http::Response dashboard(Ctx& ctx, const DirectoryOptions& o) {
    auto org = managed_org(ctx, id_param(ctx));
    if (!org) return error(ctx, org.error());
    auto dir = repo(ctx);
    json services = json::array();
    for (const auto& s : dir.list_services(org->id)) {
        const std::string base = service_href(s.id);
        services.push_back({{"name", pick(ctx, s.name_fr, s.name_en)},
                            {"edit_href", base + "/edit"},
                            {"waitlist_href", base + "/waitlist"},
                            {"public_href", "/services/" + std::to_string(s.id)},
                            {"status_text", waitlist_text(ctx, s.waitlist_status, s.wait_weeks)},
                            {"updated", date_part(s.waitlist_updated_at)},
                            {"stale", s.active && stale(ctx, s.waitlist_updated_at, o.stale_days)},
                            {"active", s.active},
                            {"active_text", ctx.t(s.active ? "common.active" : "common.inactive")},
                            {"toggle_href", base + (s.active ? "/deactivate" : "/reactivate")},
                            {"toggle_label", ctx.t(s.active ? "common.deactivate" : "common.reactivate")}});
    }
    json locations = json::array();
    for (const auto& l : dir.list_locations(org->id, true)) {
        const std::string base = "/directory/manage/locations/" + std::to_string(l.site_id);
        locations.push_back(
            {{"name", pick(ctx, l.name_fr, l.name_en)},
             {"address", l.address + (l.city.empty() ? "" : ", " + l.city) + (l.postal_code.empty() ? "" : " " + l.postal_code)},
             {"edit_href", base + "/edit"},
             {"active_text", ctx.t(l.active ? "common.active" : "common.inactive")},
             {"toggle_href", base + (l.active ? "/deactivate" : "/reactivate")},
             {"toggle_label", ctx.t(l.active ? "common.deactivate" : "common.reactivate")}});
    }
    json model = {{"heading", pick(ctx, org->name_fr, org->name_en)},
                  {"services", services},
                  {"locations", locations},
                  {"new_service_href", org_href(org->id) + "/services/new"},
                  {"new_location_href", org_href(org->id) + "/locations/new"}};
    const auto stale_count = dir.stale_services(org->id, ctx.app.clock().now(), o.stale_days).size();
    if (stale_count > 0)
        model["stale_notice"] = ctx.t("waitlist.stale_reminder", {std::to_string(stale_count), std::to_string(o.stale_days)});
    return ctx.app.page(ctx, "directory.manage_title", "directory_manage", model);
}

// ---------------------------------------------------------------- services

// Unknown taxonomy codes are reported with the other field errors, before the store (which
// checks them again) is asked.
void check_categories(Ctx& ctx, const std::vector<std::string>& codes, std::vector<FieldError>& e) {
    if (std::any_of(e.begin(), e.end(), [](const FieldError& f) { return f.field == "categories"; })) return;
    const auto known = category_options(ctx);
    for (const auto& c : codes)
        if (std::none_of(known.begin(), known.end(), [&](const Option& o) { return o.value == trim(c); })) {
            e.push_back({"categories", "service.unknown_category", {}});
            return;
        }
}

d::ServiceForm service_input(const Ctx& ctx) {
    d::ServiceForm in;
    in.name_fr = ctx.form("name_fr");
    in.name_en = ctx.form("name_en");
    in.description_fr = ctx.form("description_fr");
    in.description_en = ctx.form("description_en");
    in.eligibility_fr = ctx.form("eligibility_fr");
    in.eligibility_en = ctx.form("eligibility_en");
    in.age_min = ctx.form("age_min");
    in.age_max = ctx.form("age_max");
    in.area_served_fr = ctx.form("area_served_fr");
    in.area_served_en = ctx.form("area_served_en");
    in.access_fr = ctx.form("access_fr");
    in.access_en = ctx.form("access_en");
    in.intake_fr = ctx.form("intake_fr");
    in.intake_en = ctx.form("intake_en");
    in.fees_fr = ctx.form("fees_fr");
    in.fees_en = ctx.form("fees_en");
    in.contact_name = ctx.form("contact_name");
    in.email = ctx.form("email");
    in.phone = ctx.form("phone");
    in.website = ctx.form("website");
    in.categories = ctx.form_all("categories");
    in.languages = ctx.form_all("languages");
    in.locations = ctx.form_all("locations");
    in.fls_designated = ctx.form("fls_designated") == "1";
    in.waitlist_status = ctx.form("waitlist_status");
    in.wait_weeks = ctx.form("wait_weeks");
    return in;
}

d::ServiceForm service_values(const store::ServiceRow& s) {
    d::ServiceForm v;
    v.name_fr = s.name_fr;
    v.name_en = s.name_en;
    v.description_fr = s.description_fr;
    v.description_en = s.description_en;
    v.eligibility_fr = s.eligibility_fr;
    v.eligibility_en = s.eligibility_en;
    v.age_min = s.age_min ? std::to_string(*s.age_min) : "";
    v.age_max = s.age_max ? std::to_string(*s.age_max) : "";
    v.area_served_fr = s.area_served_fr;
    v.area_served_en = s.area_served_en;
    v.access_fr = s.access_fr;
    v.access_en = s.access_en;
    v.intake_fr = s.intake_fr;
    v.intake_en = s.intake_en;
    v.fees_fr = s.fees_fr;
    v.fees_en = s.fees_en;
    v.contact_name = s.contact_name;
    v.email = s.email;
    v.phone = s.phone;
    v.website = s.website;
    for (const auto& c : s.categories) v.categories.push_back(c.code);
    v.languages = s.languages;
    for (auto id : s.site_ids) v.locations.push_back(std::to_string(id));
    v.fls_designated = s.fls_designated;
    return v;
}

json service_form(Ctx& ctx, const std::string& action, std::int64_t org_id, const d::ServiceForm& v,
                  const std::vector<FieldError>& e, const std::string& cancel, bool creating) {
    std::vector<Option> sites;
    for (const auto& l : repo(ctx).list_locations(org_id, false))
        sites.push_back({std::to_string(l.site_id), pick(ctx, l.name_fr, l.name_en) + " — " + l.city});
    auto text = [](const char* name, const char* label, bool required = false, const char* hint = "") {
        return Field{.name = name, .label_key = label, .required = required, .hint_key = hint};
    };
    auto area = [](const char* name, const char* label, bool required = false, const char* hint = "") {
        return Field{.name = name, .label_key = label, .type = "textarea", .required = required, .hint_key = hint};
    };
    auto number = [](const char* name, const char* label, const char* hint) {
        return Field{.name = name, .label_key = label, .hint_key = hint, .inputmode = "numeric"};
    };
    FormBuilder f(ctx, action, "common.save");
    f.field(text("name_fr", "common.name_fr", true), v.name_fr)
        .field(text("name_en", "common.name_en", true), v.name_en)
        .field(area("description_fr", "service.description_fr", true), v.description_fr)
        .field(area("description_en", "service.description_en", true), v.description_en)
        .multi({.name = "categories",
                .label_key = "service.categories",
                .type = "checkboxes",
                .required = true,
                .options = category_options(ctx)},
               v.categories)
        .field(area("eligibility_fr", "service.eligibility_fr", false, "service.eligibility_hint"), v.eligibility_fr)
        .field(area("eligibility_en", "service.eligibility_en", false, "service.eligibility_hint"), v.eligibility_en)
        .field(number("age_min", "service.age_min", "service.age_hint"), v.age_min)
        .field(number("age_max", "service.age_max", "service.age_hint"), v.age_max)
        .field(text("area_served_fr", "service.area_served_fr"), v.area_served_fr)
        .field(text("area_served_en", "service.area_served_en"), v.area_served_en)
        .field(area("access_fr", "service.access_fr", false, "service.access_hint"), v.access_fr)
        .field(area("access_en", "service.access_en", false, "service.access_hint"), v.access_en)
        .field(area("intake_fr", "service.intake_fr", false, "service.intake_hint"), v.intake_fr)
        .field(area("intake_en", "service.intake_en", false, "service.intake_hint"), v.intake_en)
        .field(text("fees_fr", "service.fees_fr", false, "service.fees_hint"), v.fees_fr)
        .field(text("fees_en", "service.fees_en", false, "service.fees_hint"), v.fees_en)
        .multi({.name = "languages",
                .label_key = "service.languages",
                .type = "checkboxes",
                .required = true,
                .options = language_options(ctx)},
               v.languages)
        .field(
            {.name = "fls_designated", .label_key = "service.fls_designated", .type = "checkbox", .hint_key = "service.fls_hint"},
            v.fls_designated ? "1" : "");
    if (!sites.empty())
        f.multi({.name = "locations",
                 .label_key = "service.locations",
                 .type = "checkboxes",
                 .hint_key = "service.locations_hint",
                 .options = sites},
                v.locations);
    f.field(text("contact_name", "service.contact_name"), v.contact_name)
        .field(
            {.name = "phone", .label_key = "service.phone", .type = "tel", .hint_key = "org.phone_hint", .autocomplete = "tel"},
            v.phone)
        .field({.name = "email", .label_key = "service.email", .type = "email", .autocomplete = "email"}, v.email)
        .field({.name = "website", .label_key = "service.website", .type = "url", .hint_key = "org.website_hint"}, v.website);
    if (creating) {
        f.field({.name = "waitlist_status",
                 .label_key = "waitlist.status_label",
                 .type = "radios",
                 .required = true,
                 .options = waitlist_status_options(ctx)},
                v.waitlist_status)
            .field(number("wait_weeks", "waitlist.weeks_label", "waitlist.weeks_hint"), v.wait_weeks);
    }
    f.errors(e).cancel(cancel);
    return f.build();
}

http::Response new_service(Ctx& ctx, const DirectoryOptions&) {
    auto org = managed_org(ctx, id_param(ctx));
    if (!org) return error(ctx, org.error());
    d::ServiceForm v;
    v.languages = {"fr", "en"};
    v.waitlist_status = "open";
    const std::string action = org_href(org->id) + "/services/new";
    return form_page(ctx, "service.new", service_form(ctx, action, org->id, v, {}, org_href(org->id), true));
}

http::Response create_service(Ctx& ctx, const DirectoryOptions&) {
    auto org = managed_org(ctx, id_param(ctx));
    if (!org) return error(ctx, org.error());
    const auto in = service_input(ctx);
    d::Service s;
    auto e = d::validate(in, s, true);
    check_categories(ctx, in.categories, e);
    if (e.empty()) {
        auto r = repo(ctx).create_service(org->id, s, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, org_href(org->id), "common.saved");
        e = r.error().fields;
    }
    const std::string action = org_href(org->id) + "/services/new";
    return form_page(ctx, "service.new", service_form(ctx, action, org->id, in, e, org_href(org->id), true), 422);
}

http::Response edit_service(Ctx& ctx, const DirectoryOptions&) {
    auto s = managed_service(ctx);
    if (!s) return error(ctx, s.error());
    return form_page(ctx, "service.edit",
                     service_form(ctx, service_href(s->id) + "/edit", s->organisation_id, service_values(*s), {},
                                  org_href(s->organisation_id), false));
}

http::Response update_service(Ctx& ctx, const DirectoryOptions&) {
    auto s = managed_service(ctx);
    if (!s) return error(ctx, s.error());
    const auto in = service_input(ctx);
    d::Service svc;
    auto e = d::validate(in, svc, false);
    check_categories(ctx, in.categories, e);
    if (e.empty()) {
        auto r = repo(ctx).update_service(s->id, svc, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, org_href(s->organisation_id), "common.saved");
        e = r.error().fields;
    }
    return form_page(
        ctx, "service.edit",
        service_form(ctx, service_href(s->id) + "/edit", s->organisation_id, in, e, org_href(s->organisation_id), false), 422);
}

// ---------------------------------------------------------------- waitlist

json waitlist_form(Ctx& ctx, std::int64_t id, const d::WaitlistForm& v, const std::vector<FieldError>& e, std::int64_t org_id) {
    FormBuilder f(ctx, service_href(id) + "/waitlist", "waitlist.confirm");
    f.field({.name = "waitlist_status",
             .label_key = "waitlist.status_label",
             .type = "radios",
             .required = true,
             .options = waitlist_status_options(ctx)},
            v.status)
        .field({.name = "wait_weeks",
                .label_key = "waitlist.weeks_label",
                .hint_key = "waitlist.weeks_hint",
                .inputmode = "numeric"},
               v.wait_weeks)
        .errors(e)
        .cancel(org_href(org_id));
    return f.build();
}

json waitlist_intro(Ctx& ctx, const store::ServiceRow& s, const DirectoryOptions& o) {
    json extra = {{"intro", ctx.t("waitlist.update_intro",
                                  {pick(ctx, s.name_fr, s.name_en), waitlist_text(ctx, s.waitlist_status, s.wait_weeks),
                                   date_part(s.waitlist_updated_at)})}};
    if (stale(ctx, s.waitlist_updated_at, o.stale_days))
        extra["alert"] = ctx.t("waitlist.stale_reminder", {"1", std::to_string(o.stale_days)});
    return extra;
}

http::Response edit_waitlist(Ctx& ctx, const DirectoryOptions& o) {
    auto s = managed_service(ctx);
    if (!s) return error(ctx, s.error());
    const d::WaitlistForm v{s->waitlist_status, s->wait_weeks ? std::to_string(*s->wait_weeks) : ""};
    return form_page(ctx, "waitlist.update_title", waitlist_form(ctx, s->id, v, {}, s->organisation_id), 200,
                     waitlist_intro(ctx, *s, o));
}

http::Response update_waitlist(Ctx& ctx, const DirectoryOptions& o) {
    auto s = managed_service(ctx);
    if (!s) return error(ctx, s.error());
    const d::WaitlistForm in{ctx.form("waitlist_status"), ctx.form("wait_weeks")};
    d::Waitlist w;
    auto e = d::validate(in, w);
    if (e.empty()) {
        auto r = repo(ctx).update_waitlist(s->id, w, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, org_href(s->organisation_id), "waitlist.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "waitlist.update_title", waitlist_form(ctx, s->id, in, e, s->organisation_id), 422,
                     waitlist_intro(ctx, *s, o));
}

// ---------------------------------------------------------------- locations

d::LocationForm location_input(const Ctx& ctx) {
    d::LocationForm in;
    in.name_fr = ctx.form("name_fr");
    in.name_en = ctx.form("name_en");
    in.address = ctx.form("address");
    in.city = ctx.form("city");
    in.postal_code = ctx.form("postal_code");
    in.phone = ctx.form("phone");
    in.hours_fr = ctx.form("hours_fr");
    in.hours_en = ctx.form("hours_en");
    in.accessibility_fr = ctx.form("accessibility_fr");
    in.accessibility_en = ctx.form("accessibility_en");
    in.step_free_access = ctx.form("step_free_access") == "1";
    return in;
}

json location_form(Ctx& ctx, const std::string& action, const d::LocationForm& v, const std::vector<FieldError>& e,
                   const std::string& cancel) {
    FormBuilder f(ctx, action, "common.save");
    f.field({.name = "name_fr", .label_key = "common.name_fr", .required = true}, v.name_fr)
        .field({.name = "name_en", .label_key = "common.name_en", .required = true}, v.name_en)
        .field({.name = "address", .label_key = "site.address", .required = true, .autocomplete = "street-address"}, v.address)
        .field({.name = "city", .label_key = "site.city", .required = true}, v.city)
        .field({.name = "postal_code",
                .label_key = "site.postal_code",
                .required = true,
                .hint_key = "site.postal_code_hint",
                .autocomplete = "postal-code"},
               v.postal_code)
        .field({.name = "phone", .label_key = "location.phone", .type = "tel", .hint_key = "org.phone_hint"}, v.phone)
        .field({.name = "hours_fr", .label_key = "location.hours_fr", .type = "textarea", .hint_key = "location.hours_hint"},
               v.hours_fr)
        .field({.name = "hours_en", .label_key = "location.hours_en", .type = "textarea", .hint_key = "location.hours_hint"},
               v.hours_en)
        .field({.name = "accessibility_fr",
                .label_key = "location.accessibility_fr",
                .type = "textarea",
                .hint_key = "location.accessibility_hint"},
               v.accessibility_fr)
        .field({.name = "accessibility_en",
                .label_key = "location.accessibility_en",
                .type = "textarea",
                .hint_key = "location.accessibility_hint"},
               v.accessibility_en)
        .field({.name = "step_free_access", .label_key = "location.step_free_access", .type = "checkbox"},
               v.step_free_access ? "1" : "")
        .errors(e)
        .cancel(cancel);
    return f.build();
}

http::Response new_location(Ctx& ctx, const DirectoryOptions&) {
    auto org = managed_org(ctx, id_param(ctx));
    if (!org) return error(ctx, org.error());
    return form_page(ctx, "location.new", location_form(ctx, org_href(org->id) + "/locations/new", {}, {}, org_href(org->id)));
}

http::Response create_location(Ctx& ctx, const DirectoryOptions&) {
    auto org = managed_org(ctx, id_param(ctx));
    if (!org) return error(ctx, org.error());
    const auto in = location_input(ctx);
    d::Location l;
    auto e = d::validate(in, l);
    if (e.empty()) {
        auto r = repo(ctx).create_location(org->id, l, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, org_href(org->id), "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "location.new", location_form(ctx, org_href(org->id) + "/locations/new", in, e, org_href(org->id)),
                     422);
}

http::Response edit_location(Ctx& ctx, const DirectoryOptions&) {
    auto l = managed_location(ctx);
    if (!l) return error(ctx, l.error());
    const d::LocationForm v{
        l->name_fr,          l->name_en,          l->address,         l->city, l->postal_code, l->phone, l->hours_fr, l->hours_en,
        l->accessibility_fr, l->accessibility_en, l->step_free_access};
    const std::string action = "/directory/manage/locations/" + std::to_string(l->site_id) + "/edit";
    return form_page(ctx, "location.edit", location_form(ctx, action, v, {}, org_href(l->organisation_id)));
}

http::Response update_location(Ctx& ctx, const DirectoryOptions&) {
    auto l = managed_location(ctx);
    if (!l) return error(ctx, l.error());
    const auto in = location_input(ctx);
    d::Location loc;
    auto e = d::validate(in, loc);
    if (e.empty()) {
        auto r = repo(ctx).update_location(l->site_id, loc, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, org_href(l->organisation_id), "common.saved");
        e = r.error().fields;
    }
    const std::string action = "/directory/manage/locations/" + std::to_string(l->site_id) + "/edit";
    return form_page(ctx, "location.edit", location_form(ctx, action, in, e, org_href(l->organisation_id)), 422);
}

// A POST that deactivates or reactivates a service or a location, then back to its organisation.
PageHandler service_toggle(bool active) {
    return [active](Ctx& ctx) {
        auto s = managed_service(ctx);
        if (!s) return error(ctx, s.error());
        auto r = repo(ctx).set_service_active(s->id, active, ctx.user->id);
        if (!r) return error(ctx, r.error());
        return ctx.app.see_other(ctx, org_href(s->organisation_id), active ? "common.reactivated" : "common.deactivated");
    };
}

PageHandler location_toggle(bool active) {
    return [active](Ctx& ctx) {
        auto l = managed_location(ctx);
        if (!l) return error(ctx, l.error());
        auto r = repo(ctx).set_location_active(l->site_id, active, ctx.user->id);
        if (!r) return error(ctx, r.error());
        return ctx.app.see_other(ctx, org_href(l->organisation_id), active ? "common.reactivated" : "common.deactivated");
    };
}

}  // namespace

void register_directory_manage_pages(WebApp& app, const DirectoryOptions& o) {
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    auto with = [o](http::Response (*fn)(Ctx&, const DirectoryOptions&)) -> PageHandler {
        return [o, fn](Ctx& ctx) { return fn(ctx, o); };
    };
    app.route("GET", "/directory/manage", {"directory/manage", S, R, index});
    app.route("GET", "/directory/manage/organisations/{id}", {"directory/manage/org", S, R, with(dashboard)});
    app.route("GET", "/directory/manage/organisations/{id}/services/new", {"directory/services/new", S, R, with(new_service)});
    app.route("POST", "/directory/manage/organisations/{id}/services/new",
              {"directory/services/create", S, W, with(create_service)});
    app.route("GET", "/directory/manage/services/{id}/edit", {"directory/services/edit", S, R, with(edit_service)});
    app.route("POST", "/directory/manage/services/{id}/edit", {"directory/services/update", S, W, with(update_service)});
    app.route("GET", "/directory/manage/services/{id}/waitlist", {"directory/waitlist/edit", S, R, with(edit_waitlist)});
    app.route("POST", "/directory/manage/services/{id}/waitlist", {"directory/waitlist/update", S, W, with(update_waitlist)});
    app.route("POST", "/directory/manage/services/{id}/deactivate",
              {"directory/services/deactivate", S, W, service_toggle(false)});
    app.route("POST", "/directory/manage/services/{id}/reactivate",
              {"directory/services/reactivate", S, W, service_toggle(true)});
    app.route("GET", "/directory/manage/organisations/{id}/locations/new", {"directory/locations/new", S, R, with(new_location)});
    app.route("POST", "/directory/manage/organisations/{id}/locations/new",
              {"directory/locations/create", S, W, with(create_location)});
    app.route("GET", "/directory/manage/locations/{id}/edit", {"directory/locations/edit", S, R, with(edit_location)});
    app.route("POST", "/directory/manage/locations/{id}/edit", {"directory/locations/update", S, W, with(update_location)});
    app.route("POST", "/directory/manage/locations/{id}/deactivate",
              {"directory/locations/deactivate", S, W, location_toggle(false)});
    app.route("POST", "/directory/manage/locations/{id}/reactivate",
              {"directory/locations/reactivate", S, W, location_toggle(true)});
}

}  // namespace arrimage::web
