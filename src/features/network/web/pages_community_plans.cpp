// The community plans registry (store::CommunityPlanRepo, docs/NETWORK.md).
//
//   /network/plans               the registry, filtered by kind, status, area and where the next
//                                review stands (due within 90 days, overdue)
//   /network/plans/new           the form that records one (coordinating agency administrators)
//   /network/plans/{id}          a plan: its terms, owner, areas and organisations, its review
//                                cycle, next review and yearly progress report, what may be done
//                                with it now (approve, open_review, reapprove, retire), its history
//   /network/plans/{id}/edit     its terms changed, from the version the form was shown with
//   /network/plans/export.csv    the registry as the filters narrow it, as CSV (one line per plan)
// A provider manager reads the plans that involve their organisation's area, a ministry analyst
// every plan; anyone else is refused (403); a plan the reader may not see is not found.
// Bad input is answered 422 on the page it was typed on, with its fields' errors; a move or a
// change no longer possible (Conflict) is answered 409 on that page with its message.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/search_text.hpp"
#include "features/network/domain/network.hpp"
#include "features/network/store/community_plan_repo.hpp"
#include "features/network/web/network_pages.hpp"
#include "interop/csv.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

// Input the reader can correct (a field, a filter): the page again with its fields' errors.
constexpr int bad_input = 422;
constexpr int no_longer_possible = 409;

std::string plan_href(std::int64_t id) {
    return "/network/plans/" + std::to_string(id);
}

bool may_read(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

store::CommunityPlanRepo plans(Ctx& ctx) {
    return store::CommunityPlanRepo(*ctx.access);
}

std::optional<std::int64_t> plan_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

std::string kind_label(Ctx& ctx, d::CommunityPlanKind k) {
    return ctx.t("network.plan.kind." + std::string(d::code(k)));
}
std::string status_label(Ctx& ctx, d::CommunityPlanStatus s) {
    return ctx.t("network.plan.status." + std::string(d::code(s)));
}
std::string cycle_label(Ctx& ctx, d::ReviewCycle c) {
    return ctx.t("network.plan.cycle." + std::string(d::code(c)));
}

std::string names_text(Ctx& ctx, const std::vector<store::PlanLink>& links) {
    std::string out;
    for (const auto& l : links) out += (out.empty() ? "" : "; ") + in_lang(ctx, l.name_fr, l.name_en);
    return out;
}

// The next review and where it stands, in words; due soon and overdue also as a tag that the
// template sets apart (bold, and a mark beside it), never by colour alone. A retired plan has no
// review to come: no date, whatever was kept.
void add_review(Ctx& ctx, const store::CommunityPlanSummary& s, json& out) {
    if (!s.next_review_on.empty() && s.status != d::CommunityPlanStatus::retired) out["next_review"] = s.next_review_on;
    out["review"] = ctx.t("network.plan.review." + std::string(d::code(s.review)));
    out["review_overdue"] = s.review == d::ReviewState::overdue;
    out["review_due_soon"] = s.review == d::ReviewState::due_soon;
    out["review_plain"] = s.review == d::ReviewState::none || s.review == d::ReviewState::upcoming;
}

// ---------------------------------------------------------------- the registry

store::CommunityPlanQuery registry_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("kind")), trim(ctx.req.query_param("status")), trim(ctx.req.query_param("area")),
            trim(ctx.req.query_param("review"))};
}

bool filtered(const store::CommunityPlanQuery& q) {
    return !q.kind.empty() || !q.status.empty() || !q.area.empty() || !q.review.empty();
}

// The filters as a query string for the export link ("" when none).
std::string export_query(const store::CommunityPlanQuery& q) {
    std::string out;
    const std::pair<const char*, const std::string*> fields[] = {
        {"kind", &q.kind}, {"status", &q.status}, {"area", &q.area}, {"review", &q.review}};
    for (const auto& [name, value] : fields)
        if (!value->empty()) out += std::string(out.empty() ? "?" : "&") + name + "=" + percent_encode(*value);
    return out;
}

// A select's options with "all" as its empty choice first (`all_key`: the word agreeing with
// what is chosen, in French).
std::vector<Option> with_all(Ctx& ctx, std::vector<Option> options, const std::string& all_key = "network.plan.filter_all") {
    options.insert(options.begin(), Option{"", ctx.t(all_key)});
    return options;
}

// Options in the reader's alphabetical order (the store lists names in English), accents folded
// as the network map sorts its names ("École" beside "Ecole", not after "Z").
void by_label(std::vector<Option>& options) {
    std::stable_sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        const auto fa = d::fold(a.label), fb = d::fold(b.label);
        return fa != fb ? fa < fb : a.label < b.label;
    });
}

json filter_form(Ctx& ctx, const store::CommunityPlanQuery& q, const std::vector<FieldError>& errors,
                 const std::vector<store::CommunityPlanSummary>& seen) {
    // The areas to filter by: those of the plans the reader may see.
    std::vector<Option> areas;
    for (const auto& s : seen)
        for (const auto& a : s.areas)
            if (std::none_of(areas.begin(), areas.end(), [&](const Option& o) { return o.value == std::to_string(a.id); }))
                areas.push_back({std::to_string(a.id), in_lang(ctx, a.name_fr, a.name_en)});
    by_label(areas);
    // A filter naming an area keeps its choice even when nothing matched.
    if (!q.area.empty() && std::none_of(areas.begin(), areas.end(), [&](const Option& o) { return o.value == q.area; }))
        areas.push_back({q.area, q.area});
    FormBuilder f(ctx, "/network/plans", "network.plan.filter_apply");
    f.query()
        .field({.name = "kind",
                .label_key = "network.plan.field.kind",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_community_plan_kinds(), "network.plan.kind."))},
               q.kind)
        .field({.name = "status",
                .label_key = "network.plan.field.status",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_community_plan_statuses(), "network.plan.status."))},
               q.status)
        .field({.name = "area",
                .label_key = "network.plan.field.area",
                .type = "select",
                .options = with_all(ctx, areas, "network.plan.filter_all_areas")},
               q.area)
        .field({.name = "review",
                .label_key = "network.plan.field.review",
                .type = "select",
                .hint_key = "network.plan.hint.review_filter",
                .options = with_all(ctx, {{std::string(d::code(d::ReviewState::due_soon)),
                                           ctx.t("network.plan.review." + std::string(d::code(d::ReviewState::due_soon)))},
                                          {std::string(d::code(d::ReviewState::overdue)),
                                           ctx.t("network.plan.review." + std::string(d::code(d::ReviewState::overdue)))}})},
               q.review)
        .errors(errors);
    return f.build();
}

http::Response registry_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto query = registry_query(ctx);
    auto list = plans(ctx).list(query);
    std::vector<FieldError> errors;
    if (!list) {
        if (list.error().code != Errc::Invalid) return ctx.app.refused(ctx, list.error());
        errors = list.error().fields;
        list = plans(ctx).list({});  // the whole registry, under the field errors
        if (!list) return ctx.app.refused(ctx, list.error());
    }
    // The filter's areas come from every plan the reader sees, not only those shown.
    auto everything = errors.empty() && filtered(query) ? plans(ctx).list({}) : list;
    if (!everything) return ctx.app.refused(ctx, everything.error());
    json rows = json::array();
    for (const auto& s : *list) {
        json row = {{"href", plan_href(s.id)},
                    {"reference", s.reference},
                    {"title", in_lang(ctx, s.title_fr, s.title_en)},
                    {"kind", kind_label(ctx, s.kind)},
                    {"owner", in_lang(ctx, s.owner_fr, s.owner_en)},
                    {"areas", names_text(ctx, s.areas)},
                    {"status", status_label(ctx, s.status)},
                    {"progress", s.next_progress_on.empty() ? ctx.t("network.plan.no_progress_date") : s.next_progress_on}};
        add_review(ctx, s, row);
        rows.push_back(std::move(row));
    }
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    // An empty registry says why: nothing matches the filters, or nothing is recorded at all.
    const bool narrowed = errors.empty() && filtered(query);
    json model = {{"rows", rows},
                  {"count", ctx.t("network.plan.count", {std::to_string(list->size())})},
                  {"none", ctx.t(narrowed ? "network.plan.none" : "network.plan.empty")},
                  {"analyst", analyst},
                  {"filter", filter_form(ctx, query, errors, *everything)}};
    if (plans(ctx).may_manage()) model["new_href"] = "/network/plans/new";
    if (errors.empty()) model["csv_href"] = "/network/plans/export.csv" + export_query(query);
    return ctx.app.page(ctx, "network.plan.list_title", "plan_registry", model, errors.empty() ? 200 : bad_input);
}

// The registry as the filters narrow it, one line per plan, in the reader's language; a filter
// the registry refuses is refused here too (422, its fields named on the error page).
http::Response export_csv(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = plans(ctx).list(registry_query(ctx));
    if (!list) return ctx.app.refused(ctx, list.error());
    std::string out = interop::spreadsheet_record({"reference", "title", "kind", "status", "owner", "cycle", "approved_on",
                                                   "next_review_on", "review", "next_progress_on", "areas"});
    for (const auto& s : *list) {
        const bool retired = s.status == d::CommunityPlanStatus::retired;
        out += interop::spreadsheet_record({s.reference, in_lang(ctx, s.title_fr, s.title_en), kind_label(ctx, s.kind),
                                            status_label(ctx, s.status), in_lang(ctx, s.owner_fr, s.owner_en),
                                            cycle_label(ctx, s.cycle), s.approved_on, retired ? std::string() : s.next_review_on,
                                            ctx.t("network.plan.review." + std::string(d::code(s.review))), s.next_progress_on,
                                            names_text(ctx, s.areas)});
    }
    return download(std::move(out), "text/csv; charset=utf-8", "community-plans.csv");
}

// ---------------------------------------------------------------- recording and changing terms

d::CommunityPlanForm posted_terms(Ctx& ctx) {
    d::CommunityPlanForm f;
    f.title_fr = trim(ctx.form("title_fr"));
    f.title_en = trim(ctx.form("title_en"));
    f.kind = trim(ctx.form("kind"));
    f.owner_organisation = trim(ctx.form("owner_organisation"));
    f.owner_name = trim(ctx.form("owner_name"));
    f.description = ctx.form("description");
    f.scope = ctx.form("scope");
    f.cycle = trim(ctx.form("cycle"));
    f.fixed_review_on = trim(ctx.form("fixed_review_on"));
    f.yearly_progress = trim(ctx.form("yearly_progress"));
    f.organisations = ctx.form_all("organisations");
    f.areas = ctx.form_all("areas");
    return f;
}

d::CommunityPlanForm form_of(const store::CommunityPlanRecord& r) {
    const auto& t = r.terms;
    d::CommunityPlanForm f;
    f.title_fr = t.title_fr;
    f.title_en = t.title_en;
    f.kind = std::string(d::code(t.kind));
    if (t.owner_organisation) f.owner_organisation = std::to_string(*t.owner_organisation);
    f.owner_name = t.owner_name;
    f.description = t.description;
    f.scope = t.scope;
    f.cycle = std::string(d::code(t.cycle));
    if (t.fixed_review_on) f.fixed_review_on = t.fixed_review_on->iso();
    f.yearly_progress = t.yearly_progress ? "1" : "";
    for (auto id : t.organisations) f.organisations.push_back(std::to_string(id));
    for (auto id : t.areas) f.areas.push_back(std::to_string(id));
    return f;
}

std::vector<Option> link_options(Ctx& ctx, const std::vector<store::PlanLink>& links) {
    std::vector<Option> out;
    for (const auto& l : links) out.push_back({std::to_string(l.id), in_lang(ctx, l.name_fr, l.name_en)});
    by_label(out);
    return out;
}

// Adds organisation or area `id` to `options` unless it is there: one the plan already names that
// the list of active ones no longer holds.
void keep_option(Ctx& ctx, std::vector<Option>& options, std::int64_t id, const std::string& fr, const std::string& en) {
    const std::string value = std::to_string(id);
    if (std::none_of(options.begin(), options.end(), [&](const Option& o) { return o.value == value; }))
        options.push_back({value, in_lang(ctx, fr, en)});
}

// The terms form. With `record` (an edit), the organisations it names and the areas it involves
// stay offered although they may have been deactivated since (the choices list active ones
// only), and the hidden version is `version`: the one the form was first shown with, kept when
// it comes back with field errors, so that a change made meanwhile is still noticed.
Result<json> terms_form(Ctx& ctx, const std::string& action, const d::CommunityPlanForm& posted,
                        const std::vector<FieldError>& errors, const store::CommunityPlanRecord* record, int version,
                        const std::string& cancel) {
    auto choices = plans(ctx).choices();
    if (!choices) return choices.error();
    auto organisations = link_options(ctx, choices->organisations);
    auto owners = organisations;
    auto areas = link_options(ctx, choices->areas);
    if (record) {
        for (const auto& o : record->organisations) keep_option(ctx, organisations, o.id, o.name_fr, o.name_en);
        if (record->terms.owner_organisation)
            keep_option(ctx, owners, *record->terms.owner_organisation, record->summary.owner_fr, record->summary.owner_en);
        for (const auto& a : record->summary.areas) keep_option(ctx, areas, a.id, a.name_fr, a.name_en);
        by_label(organisations);
        by_label(owners);
        by_label(areas);
    }
    owners.insert(owners.begin(), Option{"", ctx.t("network.plan.owner_none")});
    FormBuilder f(ctx, action, record ? "network.plan.save_submit" : "network.plan.record_submit");
    if (record) f.field({.name = "version", .type = "hidden"}, std::to_string(version));
    f.field({.name = "title_fr", .label_key = "network.plan.field.title_fr", .required = true}, posted.title_fr)
        .field({.name = "title_en", .label_key = "network.plan.field.title_en", .required = true}, posted.title_en)
        .field({.name = "kind",
                .label_key = "network.plan.field.kind",
                .type = "select",
                .required = true,
                .hint_key = "network.plan.hint.kind",
                .options = options_of(ctx, d::all_community_plan_kinds(), "network.plan.kind.")},
               posted.kind)
        .field({.name = "owner_organisation",
                .label_key = "network.plan.field.owner_organisation",
                .type = "select",
                .hint_key = "network.plan.hint.owner_organisation",
                .options = owners},
               posted.owner_organisation)
        .field({.name = "owner_name", .label_key = "network.plan.field.owner_name", .hint_key = "network.plan.hint.owner_name"},
               posted.owner_name)
        .field({.name = "description",
                .label_key = "network.plan.field.description",
                .type = "textarea",
                .hint_key = "network.plan.hint.description"},
               posted.description)
        .field(
            {.name = "scope", .label_key = "network.plan.field.scope", .type = "textarea", .hint_key = "network.plan.hint.scope"},
            posted.scope)
        .field({.name = "cycle",
                .label_key = "network.plan.field.cycle",
                .type = "radios",
                .required = true,
                .hint_key = "network.plan.hint.cycle",
                .options = options_of(ctx, d::all_review_cycles(), "network.plan.cycle.")},
               posted.cycle)
        .field({.name = "fixed_review_on",
                .label_key = "network.plan.field.fixed_review_on",
                .type = "date",
                .hint_key = "network.plan.hint.fixed_review_on"},
               posted.fixed_review_on)
        .field({.name = "yearly_progress",
                .label_key = "network.plan.field.yearly_progress",
                .type = "checkbox",
                .hint_key = "network.plan.hint.yearly_progress"},
               posted.yearly_progress)
        .multi({.name = "areas",
                .label_key = "network.plan.field.areas",
                .type = "checkboxes",
                .required = true,
                .hint_key = "network.plan.hint.areas",
                .options = areas},
               posted.areas)
        .multi({.name = "organisations",
                .label_key = "network.plan.field.organisations",
                .type = "multiselect",
                .hint_key = "network.plan.hint.organisations",
                .options = organisations},
               posted.organisations)
        .errors(errors)
        .cancel(cancel);
    json form = f.build();
    // Each review cycle says what it means beside its radio button.
    for (auto& field : form["fields"]) {
        if (field["name"] != "cycle" || !field.contains("options")) continue;
        for (auto& option : field["options"]) {
            option["option_hint"] = ctx.t("network.plan.cycle_hint." + option["value"].get<std::string>());
            option["option_hint_id"] = option["id"].get<std::string>() + "-hint";
        }
    }
    return form;
}

http::Response new_page(Ctx& ctx, const d::CommunityPlanForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto form = terms_form(ctx, "/network/plans", posted, errors, nullptr, 0, "/network/plans");
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.plan.new_title")}, {"intro", ctx.t("network.plan.new_intro")}, {"form", *form}};
    return ctx.app.page(ctx, "network.plan.new_title", "plan_terms_form", model, status);
}

// A new plan involves the administrator's own area (the store requires it): checked at first.
http::Response show_new(Ctx& ctx) {
    d::CommunityPlanForm prefill;
    if (ctx.acting && ctx.acting->role == d::Role::ca_admin) prefill.areas.push_back(std::to_string(ctx.acting->sda_id));
    return new_page(ctx, prefill, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_terms(ctx);
    auto id = plans(ctx).create(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, bad_input);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, plan_href(*id), "network.plan.recorded");
}

// The edit form: the plan's terms and current version, or what was posted with its version and
// `errors` (the form comes back as it was sent).
struct PostedTerms {
    d::CommunityPlanForm terms;
    int version = 0;
};

http::Response edit_page(Ctx& ctx, std::int64_t id, const std::optional<PostedTerms>& posted,
                         const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = plans(ctx).plan(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    if (!r->may_edit)
        return ctx.app.refused(ctx, plans(ctx).may_manage() ? Error::conflict("network.plan.retired") : Error::forbidden());
    auto form = terms_form(ctx, plan_href(id) + "/edit", posted ? posted->terms : form_of(*r), errors, &*r,
                           posted ? posted->version : r->version, plan_href(id));
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.plan.edit_title", {r->summary.reference})}, {"form", *form}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "network.plan.edit_page_title", "plan_terms_form", model, status);
}

http::Response show_edit(Ctx& ctx) {
    auto id = plan_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return edit_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_edit(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = plan_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const PostedTerms posted{posted_terms(ctx), form_version(ctx)};
    auto done = plans(ctx).update(*id, posted.version, posted.terms);
    if (!done) {
        if (done.error().code == Errc::Invalid) return edit_page(ctx, *id, posted, done.error().fields, {}, bad_input);
        // Changed meanwhile (field errors or not): the form shows the plan as it is now, with its
        // current version, not what was posted over an older one.
        if (done.error().code == Errc::Conflict)
            return edit_page(ctx, *id, std::nullopt, {}, done.error().message_key, no_longer_possible);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, plan_href(*id), "network.plan.saved");
}

// ---------------------------------------------------------------- one plan

// What was posted to one of the plan page's forms, shown again with its errors.
struct PlanForms {
    std::string event;  // the move whose form the errors belong to
    std::string note, approved_on;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json action_forms(Ctx& ctx, std::int64_t id, const store::CommunityPlanRecord& r, const PlanForms& forms) {
    json out = json::array();
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.event == code;
        FormBuilder f(ctx, plan_href(id) + "/" + code, "network.plan.event." + code);
        f.id_prefix(code + "-");
        if (e == d::CommunityPlanEvent::approve || e == d::CommunityPlanEvent::reapprove)
            f.field({.name = "approved_on",
                     .label_key = "network.plan.field.approved_on",
                     .type = "date",
                     .required = true,
                     .hint_key = "network.plan.hint.approved_on"},
                    mine ? forms.approved_on : std::string());
        if (e == d::CommunityPlanEvent::retire)
            f.field({.name = "note",
                     .label_key = "network.plan.field.reason",
                     .type = "textarea",
                     .required = true,
                     .hint_key = "network.plan.hint.reason"},
                    mine ? forms.note : std::string());
        // Opening the review may say why or by whom (its note goes to the history).
        if (e == d::CommunityPlanEvent::open_review)
            f.field({.name = "note",
                     .label_key = "network.plan.field.note",
                     .type = "textarea",
                     .hint_key = "network.plan.hint.note"},
                    mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("network.plan.event_heading." + code)},
                       {"help", ctx.t("network.plan.event_help." + code)},
                       {"form", f.build()}});
    }
    return out;
}

// An event of the history in words: a move, the plan's recording or a change of its terms.
std::string history_label(Ctx& ctx, const std::string& code) {
    const std::string key = "network.plan.history." + code;
    return ctx.app.catalogue().has(ctx.lang, key) ? ctx.t(key) : code;
}

http::Response plan_page(Ctx& ctx, std::int64_t id, const PlanForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = plans(ctx).plan(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    const auto& t = r->terms;
    json areas = json::array();
    for (const auto& a : s.areas) areas.push_back(in_lang(ctx, a.name_fr, a.name_en));
    json organisations = json::array();
    for (const auto& o : r->organisations) organisations.push_back(in_lang(ctx, o.name_fr, o.name_en));
    json history = json::array();
    for (const auto& e : r->events) {
        const auto moved_to = d::parse_community_plan_status(e.status);
        history.push_back({{"at", display_minute(e.at)},
                           {"event", history_label(ctx, e.event)},
                           {"status", moved_to ? status_label(ctx, *moved_to) : e.status},
                           {"who", e.user_name.empty() ? ctx.t("network.plan.system") : e.user_name},
                           {"note", e.note}});
    }
    std::string progress;
    if (!t.yearly_progress)
        progress = ctx.t("network.plan.no_progress_report");
    else
        progress = s.next_progress_on.empty() ? ctx.t("network.plan.no_progress_date") : s.next_progress_on;
    json model = {{"heading", in_lang(ctx, s.title_fr, s.title_en)},
                  {"reference", s.reference},
                  {"title_fr", s.title_fr},
                  {"title_en", s.title_en},
                  {"kind", kind_label(ctx, s.kind)},
                  {"status", status_label(ctx, s.status)},
                  {"owner", in_lang(ctx, s.owner_fr, s.owner_en)},
                  {"cycle", cycle_label(ctx, s.cycle)},
                  {"approved_on", s.approved_on.empty() ? ctx.t("network.plan.not_approved") : s.approved_on},
                  {"progress", progress},
                  {"areas", areas},
                  {"organisations", organisations},
                  {"history", history},
                  {"actions", action_forms(ctx, id, *r, forms)},
                  {"back_href", "/network/plans"}};
    if (t.fixed_review_on) model["fixed_review_on"] = t.fixed_review_on->iso();
    if (!t.description.empty()) model["description"] = t.description;
    if (!t.scope.empty()) model["scope"] = t.scope;
    add_review(ctx, s, model);
    if (r->may_edit) model["edit_href"] = plan_href(id) + "/edit";
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "network.plan.title", "plan_record", model, status);
}

http::Response show_plan(Ctx& ctx) {
    auto id = plan_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return plan_page(ctx, *id, {}, 200);
}

http::Response fire(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = plan_id(ctx);
    auto event = d::parse_community_plan_event(ctx.req.params["event"]);
    if (!id || !event) return ctx.app.error_page(ctx, Error::not_found());
    PlanForms forms;
    forms.event = std::string(d::code(*event));
    forms.note = ctx.form("note");
    forms.approved_on = trim(ctx.form("approved_on"));
    auto done = plans(ctx).fire(*id, *event, forms.note, forms.approved_on);
    if (!done) {
        if (done.error().code == Errc::Invalid) {
            forms.errors = done.error().fields;
            return plan_page(ctx, *id, forms, bad_input);
        }
        if (done.error().code == Errc::Conflict) {
            forms.conflict_key = done.error().message_key;
            return plan_page(ctx, *id, forms, no_longer_possible);
        }
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, plan_href(*id), "network.plan.done." + forms.event);
}

}  // namespace

void register_community_plan_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/network/plans", {"network/plans", S, R, registry_page});
    app.route("GET", "/network/plans/new", {"network/plans_new", S, R, show_new});
    app.route("GET", "/network/plans/export.csv", {"network/plans_export", S, R, export_csv});
    app.route("POST", "/network/plans", {"network/plans_create", S, W, post_new});
    app.route("GET", "/network/plans/{id}", {"network/plans_show", S, R, show_plan});
    app.route("GET", "/network/plans/{id}/edit", {"network/plans_edit", S, R, show_edit});
    app.route("POST", "/network/plans/{id}/edit", {"network/plans_update", S, W, post_edit});
    app.route("POST", "/network/plans/{id}/{event}", {"network/plans_fire", S, W, fire});
}

}  // namespace arrimage::web
