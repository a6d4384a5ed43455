// Outreach and knowledge sharing (store::OutreachRepo, docs/NETWORK.md "Outreach and knowledge
// sharing").
//
//   /network/outreach             the log the reader may see, filtered (?from=&to=&kind=&audience=
//                                 &organisation=), its totals, and "Record an activity" for those
//                                 who may (export.csv: the same activities as a spreadsheet)
//   /network/outreach/new         the form that records one
//   /network/outreach/{id}        an activity: what was done, for whom, with whom, its summary and
//                                 follow-up, who recorded it (not for the ministry's analyst)
//   /network/outreach/{id}/edit   its terms changed, from the version the form was shown with
// The repository decides who may read and do what; the pages show what it hands out. Bad input
// is answered 422 on the page it was typed on, with its fields' errors (a bad filter: the whole
// log under the filter's errors); a change over a version changed meanwhile is answered 409 with
// its message and the activity as it is now.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/search_text.hpp"
#include "features/network/domain/outreach.hpp"
#include "features/network/store/outreach_repo.hpp"
#include "features/network/web/network_pages.hpp"
#include "interop/csv.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

// Input the reader can correct: the page again with its fields' errors.
constexpr int bad_input = 422;
constexpr int no_longer_possible = 409;

const std::string log_path = "/network/outreach";

std::string activity_href(std::int64_t id) {
    return log_path + "/" + std::to_string(id);
}

// The network's readers: the coordinating agency's administrators, provider managers and the
// ministry's analysts (the repository narrows what each of them sees).
bool may_read(const Ctx& ctx) {
    return ctx.acting && ctx.access &&
           (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
            ctx.acting->role == d::Role::ministry_analyst);
}

bool analyst(const Ctx& ctx) {
    return ctx.acting && ctx.acting->role == d::Role::ministry_analyst;
}

store::OutreachRepo outreach(Ctx& ctx) {
    return store::OutreachRepo(*ctx.access);
}

std::optional<std::int64_t> path_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

std::string kind_label(Ctx& ctx, d::OutreachKind k) {
    return ctx.t("network.outreach.kind." + std::string(d::code(k)));
}

std::string language_label(Ctx& ctx, d::OutreachLanguage l) {
    return ctx.t("network.outreach.language." + std::string(d::code(l)));
}

std::string audiences_text(Ctx& ctx, const std::vector<d::OutreachAudience>& audiences) {
    std::string out;
    for (auto a : audiences) out += (out.empty() ? "" : "; ") + ctx.t("network.outreach.audience." + std::string(d::code(a)));
    return out;
}

std::string organisations_text(Ctx& ctx, const std::vector<store::OutreachOrganisation>& organisations) {
    std::string out;
    for (const auto& o : organisations) out += (out.empty() ? "" : "; ") + in_lang(ctx, o.name_fr, o.name_en);
    return out;
}

std::string people_text(Ctx& ctx, const std::optional<int>& people) {
    return people ? std::to_string(*people) : ctx.t("network.outreach.not_counted");
}

// The title and summary are in the language the activity was given in: said to assistive
// technologies when it is one language.
std::string lang_attribute(d::OutreachLanguage l) {
    return l == d::OutreachLanguage::both ? std::string() : std::string(d::code(l));
}

// Options in the reader's alphabetical order, accents folded ("École" beside "Ecole").
void by_label(std::vector<Option>& options) {
    std::stable_sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        const auto fa = d::fold(a.label), fb = d::fold(b.label);
        return fa != fb ? fa < fb : a.label < b.label;
    });
}

// A select's options with "all" as its empty choice first.
std::vector<Option> with_all(Ctx& ctx, std::vector<Option> options) {
    options.insert(options.begin(), Option{"", ctx.t("network.outreach.filter_all")});
    return options;
}

// ---------------------------------------------------------------- the log

d::OutreachQuery log_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("from")), trim(ctx.req.query_param("to")), trim(ctx.req.query_param("kind")),
            trim(ctx.req.query_param("audience")), trim(ctx.req.query_param("organisation"))};
}

std::string query_string(const d::OutreachQuery& q) {
    std::string out;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        out += (out.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(v);
    };
    add("from", q.from);
    add("to", q.to);
    add("kind", q.kind);
    add("audience", q.audience);
    add("organisation", q.organisation);
    return out;
}

json filter_form(Ctx& ctx, const d::OutreachQuery& q, const std::vector<FieldError>& errors,
                 const std::vector<store::OutreachOrganisation>& choices) {
    std::vector<Option> organisations;
    for (const auto& o : choices) organisations.push_back({std::to_string(o.id), in_lang(ctx, o.name_fr, o.name_en)});
    by_label(organisations);
    // A filter naming an organisation keeps its choice even when nothing matched.
    if (!q.organisation.empty() &&
        std::none_of(organisations.begin(), organisations.end(), [&](const Option& o) { return o.value == q.organisation; }))
        organisations.push_back({q.organisation, q.organisation});
    FormBuilder f(ctx, log_path, "network.outreach.filter_apply");
    f.query()
        .id_prefix("filter-")
        .field({.name = "from",
                .label_key = "network.outreach.filter.from",
                .type = "date",
                .hint_key = "network.outreach.hint.date"},
               q.from)
        .field(
            {.name = "to", .label_key = "network.outreach.filter.to", .type = "date", .hint_key = "network.outreach.hint.date"},
            q.to)
        .field({.name = "kind",
                .label_key = "network.outreach.filter.kind",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_outreach_kinds(), "network.outreach.kind."))},
               q.kind)
        .field({.name = "audience",
                .label_key = "network.outreach.filter.audience",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_outreach_audiences(), "network.outreach.audience."))},
               q.audience)
        .field({.name = "organisation",
                .label_key = "network.outreach.filter.organisation",
                .type = "select",
                .options = with_all(ctx, organisations)},
               q.organisation)
        .errors(errors);
    return f.build();
}

json totals_view(Ctx& ctx, const store::OutreachTotals& t) {
    json kinds = json::array();
    for (const auto& k : t.per_kind)
        kinds.push_back({{"kind", kind_label(ctx, k.kind)}, {"activities", k.activities}, {"people", k.people_reached}});
    return {{"activities", t.activities},
            {"people", t.people_reached},
            {"counted", ctx.t("network.outreach.totals_counted", {std::to_string(t.counted), std::to_string(t.activities)})},
            {"kinds", kinds}};
}

http::Response log_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto query = log_query(ctx);
    auto log = outreach(ctx).list(query);
    std::vector<FieldError> errors;
    if (!log) {
        if (log.error().code != Errc::Invalid) return ctx.app.refused(ctx, log.error());
        errors = log.error().fields;
        log = outreach(ctx).list({});  // the whole log, under the filter's errors
        if (!log) return ctx.app.refused(ctx, log.error());
    }
    auto choices = outreach(ctx).filter_choices();
    if (!choices) return ctx.app.refused(ctx, choices.error());
    const bool for_analyst = analyst(ctx);
    json rows = json::array();
    for (const auto& r : log->rows) {
        json row = {{"href", activity_href(r.id)},
                    {"title", r.title},
                    {"held_on", r.held_on},
                    {"kind", kind_label(ctx, r.kind)},
                    {"audiences", audiences_text(ctx, r.audiences)},
                    {"language", language_label(ctx, r.language)},
                    {"people", people_text(ctx, r.people_reached)},
                    {"organisations", organisations_text(ctx, r.organisations)},
                    {"area", in_lang(ctx, r.area_fr, r.area_en)}};
        if (const auto lang = lang_attribute(r.language); !lang.empty()) row["title_lang"] = lang;
        rows.push_back(std::move(row));
    }
    // The export takes the filters shown, once they are good.
    const std::string qs = errors.empty() ? query_string(query) : std::string();
    json model = {{"rows", rows},
                  {"analyst", for_analyst},
                  {"filter", filter_form(ctx, query, errors, *choices)},
                  {"totals", totals_view(ctx, log->totals)},
                  {"count", ctx.t("network.outreach.count", {std::to_string(log->rows.size())})},
                  {"csv_href", log_path + "/export.csv" + qs},
                  {"back_href", "/network"}};
    if (outreach(ctx).may_record()) model["new_href"] = log_path + "/new";
    return ctx.app.page(ctx, "network.outreach.title", "outreach_log", model, errors.empty() ? 200 : bad_input);
}

// The same activities as a spreadsheet, its header in the reader's language; bad filters are
// refused (422). Nobody's name: the log's own columns only.
http::Response log_csv(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto log = outreach(ctx).list(log_query(ctx));
    if (!log) return ctx.app.refused(ctx, log.error());
    std::string out = interop::spreadsheet_record(
        {ctx.t("network.outreach.col.held_on"), ctx.t("network.outreach.col.title"), ctx.t("network.outreach.col.kind"),
         ctx.t("network.outreach.col.audiences"), ctx.t("network.outreach.col.language"),
         ctx.t("network.outreach.col.people_reached"), ctx.t("network.outreach.col.organisations"),
         ctx.t("network.outreach.col.area"), ctx.t("network.outreach.col.summary"), ctx.t("network.outreach.col.follow_up")});
    for (const auto& r : log->rows)
        out += interop::spreadsheet_record(
            {r.held_on, r.title, kind_label(ctx, r.kind), audiences_text(ctx, r.audiences), language_label(ctx, r.language),
             r.people_reached ? std::to_string(*r.people_reached) : std::string(), organisations_text(ctx, r.organisations),
             in_lang(ctx, r.area_fr, r.area_en), r.summary, r.follow_up});
    return download(std::move(out), "text/csv; charset=utf-8", "outreach-activities.csv");
}

// ---------------------------------------------------------------- recording and changing

d::OutreachForm posted_form(Ctx& ctx) {
    d::OutreachForm f;
    f.kind = trim(ctx.form("kind"));
    f.audiences = ctx.form_all("audiences");
    f.title = trim(ctx.form("title"));
    f.language = trim(ctx.form("language"));
    f.held_on = trim(ctx.form("held_on"));
    f.people_reached = trim(ctx.form("people_reached"));
    f.organisations = ctx.form_all("organisations");
    f.summary = ctx.form("summary");
    f.follow_up = ctx.form("follow_up");
    return f;
}

d::OutreachForm form_of(const store::OutreachActivity& a) {
    const auto& t = a.terms;
    d::OutreachForm f;
    f.kind = std::string(d::code(t.kind));
    for (auto au : t.audiences) f.audiences.push_back(std::string(d::code(au)));
    f.title = t.title;
    f.language = std::string(d::code(t.language));
    f.held_on = t.held_on.iso();
    if (t.people_reached) f.people_reached = std::to_string(*t.people_reached);
    for (auto id : t.organisations) f.organisations.push_back(std::to_string(id));
    f.summary = t.summary;
    f.follow_up = t.follow_up;
    return f;
}

// The activity form. With `record` (a change), the organisations it involves stay offered although
// they may have been deactivated since, and the hidden version is `version`: the one the form was
// first shown with, kept when it comes back with field errors, so that a change made meanwhile is
// still noticed.
Result<json> activity_form(Ctx& ctx, const std::string& action, const d::OutreachForm& posted,
                           const std::vector<FieldError>& errors, const store::OutreachActivity* record, int version,
                           const std::string& cancel) {
    auto choices = outreach(ctx).choices();
    if (!choices) return choices.error();
    std::vector<Option> organisations;
    for (const auto& o : *choices) organisations.push_back({std::to_string(o.id), in_lang(ctx, o.name_fr, o.name_en)});
    if (record)
        for (const auto& o : record->row.organisations) {
            const std::string value = std::to_string(o.id);
            if (std::none_of(organisations.begin(), organisations.end(), [&](const Option& op) { return op.value == value; }))
                organisations.push_back({value, in_lang(ctx, o.name_fr, o.name_en)});
        }
    by_label(organisations);
    FormBuilder f(ctx, action, record ? "network.outreach.save_submit" : "network.outreach.create_submit");
    if (record) f.field({.name = "version", .type = "hidden"}, std::to_string(version));
    f.field({.name = "kind",
             .label_key = "network.outreach.field.kind",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, d::all_outreach_kinds(), "network.outreach.kind.")},
            posted.kind)
        .field({.name = "title",
                .label_key = "network.outreach.field.title",
                .required = true,
                .hint_key = "network.outreach.hint.title"},
               posted.title)
        .field({.name = "language",
                .label_key = "network.outreach.field.language",
                .type = "radios",
                .required = true,
                .hint_key = "network.outreach.hint.language",
                .options = options_of(ctx, d::all_outreach_languages(), "network.outreach.language.")},
               posted.language)
        .field({.name = "held_on",
                .label_key = "network.outreach.field.held_on",
                .type = "date",
                .required = true,
                .hint_key = "network.outreach.hint.held_on"},
               posted.held_on)
        .multi({.name = "audiences",
                .label_key = "network.outreach.field.audiences",
                .type = "checkboxes",
                .required = true,
                .hint_key = "network.outreach.hint.audiences",
                .options = options_of(ctx, d::all_outreach_audiences(), "network.outreach.audience.")},
               posted.audiences)
        .field({.name = "people_reached",
                .label_key = "network.outreach.field.people_reached",
                .hint_key = "network.outreach.hint.people_reached",
                .inputmode = "numeric"},
               posted.people_reached)
        .multi({.name = "organisations",
                .label_key = "network.outreach.field.organisations",
                .type = "checkboxes",
                .required = true,
                .hint_key = ctx.acting && ctx.acting->role == d::Role::provider_manager
                                ? "network.outreach.hint.organisations_provider"
                                : "network.outreach.hint.organisations",
                .options = organisations},
               posted.organisations)
        .field({.name = "summary",
                .label_key = "network.outreach.field.summary",
                .type = "textarea",
                .required = true,
                .hint_key = "network.outreach.hint.summary"},
               posted.summary)
        .field({.name = "follow_up",
                .label_key = "network.outreach.field.follow_up",
                .type = "textarea",
                .hint_key = "network.outreach.hint.follow_up"},
               posted.follow_up)
        .errors(errors)
        .cancel(cancel);
    return f.build();
}

http::Response new_page(Ctx& ctx, const d::OutreachForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx) || !outreach(ctx).may_record()) return ctx.app.refused(ctx, Error::forbidden());
    auto form = activity_form(ctx, log_path, posted, errors, nullptr, 0, log_path);
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.outreach.new_title")},
                  {"intro", ctx.t("network.outreach.new_intro")},
                  {"back_href", log_path},
                  {"back", ctx.t("network.outreach.back")},
                  {"form", *form}};
    return ctx.app.page(ctx, "network.outreach.new_title", "outreach_form", model, status);
}

http::Response show_new(Ctx& ctx) {
    // The recorder's own organisation is involved in what it records, unless they say otherwise.
    d::OutreachForm blank;
    if (ctx.acting) blank.organisations.push_back(std::to_string(ctx.acting->organisation_id));
    return new_page(ctx, blank, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx) || !outreach(ctx).may_record()) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_form(ctx);
    auto id = outreach(ctx).create(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, bad_input);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, activity_href(*id), "network.outreach.created");
}

// What was posted over a version, to show again with its errors.
struct PostedActivity {
    d::OutreachForm form;
    int version = 0;
};

http::Response edit_page(Ctx& ctx, std::int64_t id, const std::optional<PostedActivity>& posted,
                         const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto a = outreach(ctx).activity(id);
    if (!a) return ctx.app.refused(ctx, a.error());
    if (!a->may_edit) return ctx.app.refused(ctx, Error::forbidden());
    auto form = activity_form(ctx, activity_href(id) + "/edit", posted ? posted->form : form_of(*a), errors, &*a,
                              posted ? posted->version : a->version, activity_href(id));
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.outreach.edit_title", {a->row.title})},
                  {"back_href", activity_href(id)},
                  {"back", ctx.t("network.outreach.back_activity")},
                  {"form", *form}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "network.outreach.edit_page_title", "outreach_form", model, status);
}

http::Response show_edit(Ctx& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return edit_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_edit(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const PostedActivity posted{posted_form(ctx), form_version(ctx)};
    auto done = outreach(ctx).update(*id, posted.version, posted.form);
    if (!done) {
        if (done.error().code == Errc::Invalid) return edit_page(ctx, *id, posted, done.error().fields, {}, bad_input);
        // Changed meanwhile: the form shows the activity as it is now, with its current version,
        // not what was posted over an older one.
        if (done.error().code == Errc::Conflict)
            return edit_page(ctx, *id, std::nullopt, {}, done.error().message_key, no_longer_possible);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, activity_href(*id), "network.outreach.saved");
}

// ---------------------------------------------------------------- one activity

http::Response activity_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto a = outreach(ctx).activity(*id);
    if (!a) return ctx.app.refused(ctx, a.error());
    const auto& r = a->row;
    json organisations = json::array();
    for (const auto& o : r.organisations) organisations.push_back(in_lang(ctx, o.name_fr, o.name_en));
    json model = {{"heading", r.title},
                  {"held_on", r.held_on},
                  {"kind", kind_label(ctx, r.kind)},
                  {"audiences", audiences_text(ctx, r.audiences)},
                  {"language", language_label(ctx, r.language)},
                  {"people", people_text(ctx, r.people_reached)},
                  {"organisations", organisations},
                  {"recorded_for", in_lang(ctx, a->recorded_for.name_fr, a->recorded_for.name_en)},
                  {"area", in_lang(ctx, r.area_fr, r.area_en)},
                  {"summary", r.summary},
                  {"back_href", log_path}};
    if (const auto lang = lang_attribute(r.language); !lang.empty()) model["text_lang"] = lang;
    if (!r.follow_up.empty()) model["follow_up"] = r.follow_up;
    // Who wrote it down, for those who keep the log; the analyst reads when, never who.
    const std::string created = a->created_at.substr(0, 10), updated = a->updated_at.substr(0, 10);
    if (analyst(ctx)) {
        model["recorded"] = created;
        if (a->version > 1) model["changed"] = updated;
    } else {
        model["recorded"] = ctx.t("network.outreach.by_value", {created, a->created_by_name});
        if (a->version > 1) model["changed"] = ctx.t("network.outreach.by_value", {updated, a->updated_by_name});
    }
    if (a->may_edit) model["edit_href"] = activity_href(*id) + "/edit";
    return ctx.app.page(ctx, "network.outreach.activity_title", "outreach", model);
}

}  // namespace

void register_outreach_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // Literal paths before the {id} they would otherwise match.
    app.route("GET", "/network/outreach", {"network/outreach", S, R, log_page});
    app.route("GET", "/network/outreach/export.csv", {"network/outreach_export", S, R, log_csv});
    app.route("GET", "/network/outreach/new", {"network/outreach_new", S, R, show_new});
    app.route("POST", "/network/outreach", {"network/outreach_create", S, W, post_new});
    app.route("GET", "/network/outreach/{id}", {"network/outreach_show", S, R, activity_page});
    app.route("GET", "/network/outreach/{id}/edit", {"network/outreach_edit", S, R, show_edit});
    app.route("POST", "/network/outreach/{id}/edit", {"network/outreach_update", S, W, post_edit});
}

}  // namespace arrimage::web
