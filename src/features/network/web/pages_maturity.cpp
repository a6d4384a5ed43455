// Where the network stands: integration maturity (store::MaturityRepo, docs/NETWORK.md), and the
// feature's landing page.
//
//   /network                       what the feature offers: integration maturity, the community
//                                  plans registry (pages_community_plans.cpp), the network map
//                                  (pages_network_map.cpp) and capacity building
//                                  (pages_training.cpp)
//   /network/maturity              the areas and partnerships the reader sees, each with its
//                                  latest assessment; "Record an assessment" for the agency
//   /network/maturity/history      one subject's assessments (?area=<area id>&subject=area or
//                                  an agreement's id): a line chart drawn from the table beside
//                                  it (static/js/charts.js), the list, a form comparing two
//   /network/maturity/compare      two assessments of one subject side by side (?from=&to=)
//   /network/maturity/new          the form that records one (coordinating agency
//                                  administrators); ?subject= chooses its subject
//   /network/maturity/{id}         one assessment: each dimension's level with what the level
//                                  means, its evidence, the marks held, the score and stage
// A provider manager reads the assessments of their organisation's area, a ministry analyst every
// area's; anyone else is refused (403); an assessment the reader may not see is not found. An
// address whose ids are not numbers, or that compares two subjects, is answered 422 (invalid
// information), on a page that says which field is wrong.
#include <tuple>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/network/domain/capacity.hpp"
#include "features/network/domain/network.hpp"
#include "features/network/store/community_plan_repo.hpp"
#include "features/network/store/maturity_repo.hpp"
#include "features/network/store/network_map_repo.hpp"
#include "features/network/store/training_repo.hpp"
#include "features/network/web/network_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

const std::string maturity_path = "/network/maturity";

std::string assessment_href(std::int64_t id) {
    return maturity_path + "/" + std::to_string(id);
}

bool may_read(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

store::MaturityRepo maturity(Ctx& ctx) {
    return store::MaturityRepo(*ctx.access);
}

bool french(const Ctx& ctx) {
    return ctx.lang == Lang::fr;
}

std::string level_name(Ctx& ctx, d::MaturityLevel l) {
    return ctx.t("network.maturity.level." + std::string(d::code(l)));
}
// "Coordination (3)": the name, with its rank on the continuum.
std::string level_text(Ctx& ctx, d::MaturityLevel l) {
    return ctx.t("network.maturity.level_value", {std::to_string(d::rank(l)), level_name(ctx, l)});
}
std::string dimension_name(Ctx& ctx, d::MaturityDimension dim) {
    return ctx.t("network.maturity.dimension." + std::string(d::code(dim)));
}
std::string mark_name(Ctx& ctx, d::IntegrationMark m) {
    return ctx.t("network.maturity.mark." + std::string(d::code(m)));
}
// The seed's words for a dimension at a level.
std::string description(Ctx& ctx, d::MaturityDimension dim, d::MaturityLevel l) {
    return ctx.t("network.maturity.describe." + std::string(d::code(dim)) + "." + std::string(d::code(l)));
}
std::string score_text(Ctx& ctx, const d::MaturityScore& s) {
    return ctx.t("network.maturity.score_value", {d::format_tenths(s.tenths, french(ctx))});
}

// ---------------------------------------------------------------- subjects

// How a subject travels in addresses and forms: "area", or its agreement's id.
std::string subject_code(const store::MaturitySubject& s) {
    return s.agreement_id ? std::to_string(*s.agreement_id) : std::string("area");
}
bool same_subject(const store::MaturitySubject& a, const store::MaturitySubject& b) {
    return a.sda_id == b.sda_id && a.agreement_id == b.agreement_id;
}
std::string subject_label(Ctx& ctx, const store::MaturitySubject& s) {
    if (!s.agreement_id) return ctx.t("network.maturity.subject_area", {in_lang(ctx, s.area_fr, s.area_en)});
    return ctx.t("network.maturity.subject_partnership", {s.reference, in_lang(ctx, s.title_fr, s.title_en)});
}
std::string history_href(const store::MaturitySubject& s) {
    return maturity_path + "/history?area=" + std::to_string(s.sda_id) + "&subject=" + subject_code(s);
}

// ---------------------------------------------------------------- bad requests

// A field's name for the people reading its error: the summary says which field each message is
// about (several dimensions share a message).
std::string field_label(Ctx& ctx, const std::string& name) {
    for (auto dim : d::all_maturity_dimensions()) {
        const std::string c(d::code(dim));
        if (name == "level_" + c) return dimension_name(ctx, dim);
        if (name == "evidence_" + c) return ctx.t("network.maturity.field.evidence_for", {dimension_name(ctx, dim)});
    }
    for (auto m : d::all_integration_marks()) {
        const std::string c(d::code(m));
        if (name == "mark_" + c) return mark_name(ctx, m);
        if (name == "mark_evidence_" + c) return ctx.t("network.maturity.field.evidence_for", {mark_name(ctx, m)});
    }
    if (name == "assessed_on") return ctx.t("network.maturity.field.assessed_on");
    if (name == "subject") return ctx.t("network.maturity.field.subject");
    if (name == "summary") return ctx.t("network.maturity.field.summary");
    if (name == "area") return ctx.t("network.maturity.field.area");
    if (name == "from") return ctx.t("network.maturity.field.from");
    if (name == "to") return ctx.t("network.maturity.field.to");
    return {};
}

// "Points of entry: Choose the level…"; the message alone for a field without a name.
std::string error_item(Ctx& ctx, const FieldError& e) {
    const std::string message = ctx.t(e.message_key, e.args);
    const std::string label = field_label(ctx, e.field);
    return label.empty() ? message : ctx.t("network.maturity.error_item", {label, message});
}

// An address the pages cannot answer (ids that are not numbers, two subjects compared): 422,
// each field's error in the reader's language.
http::Response bad_request(Ctx& ctx, const std::string& heading_key, const std::vector<FieldError>& errors) {
    json items = json::array();
    for (const auto& e : errors) items.push_back(error_item(ctx, e));
    json model = {{"heading", ctx.t(heading_key)}, {"errors", items}, {"back_href", maturity_path}};
    return ctx.app.page(ctx, "error.title.422", "maturity_invalid", model, 422);
}

// An id from the address: "field.required" when missing, "field.choose_from_list" when not a
// positive whole number.
std::optional<std::int64_t> id_param(Ctx& ctx, const std::string& name, std::vector<FieldError>& errors) {
    const std::string value = trim(ctx.req.query_param(name));
    if (value.empty()) {
        errors.push_back({name, "field.required", {}});
        return std::nullopt;
    }
    auto id = d::parse_id(value);
    if (!id) errors.push_back({name, "field.choose_from_list", {}});
    return id;
}

// ---------------------------------------------------------------- the landing page

// Where the network stands, one line per part of the page, from what the reader may see of each
// (a part the reader may not read says nothing).
void add_network_summary(Ctx& ctx, json& out) {
    // The latest assessment of each area the reader sees.
    if (auto subjects = maturity(ctx).subjects()) {
        json areas = json::array();
        for (const auto& s : *subjects) {
            if (s.subject.agreement_id) continue;
            const std::string area = in_lang(ctx, s.subject.area_fr, s.subject.area_en);
            areas.push_back(s.latest ? ctx.t("network.home.summary.maturity",
                                             {area, level_name(ctx, s.latest->score.stage), s.latest->assessed_on})
                                     : ctx.t("network.home.summary.maturity_none", {area}));
        }
        out["has_summary_maturity"] = !areas.empty();
        out["summary_maturity"] = std::move(areas);
    }
    store::CommunityPlanRepo plans(*ctx.access);
    auto due = plans.list({"", "", "", std::string(d::code(d::ReviewState::due_soon))});
    auto overdue = plans.list({"", "", "", std::string(d::code(d::ReviewState::overdue))});
    if (due && overdue)
        out["summary_plans"] =
            ctx.t("network.home.summary.plans", {std::to_string(due->size()), std::to_string(overdue->size())});
    if (auto map = store::NetworkMapRepo(*ctx.access).map({})) {
        const int all = map->connected + map->lapsed + map->unconnected;
        out["summary_map"] = ctx.t("network.home.summary.map", {std::to_string(map->lapsed + map->unconnected),
                                                                std::to_string(all), std::to_string(map->lapsed)});
    }
    if (auto compliance = store::TrainingRepo(*ctx.access).compliance()) {
        int obligations = 0, compliant = 0, below = 0;
        for (const auto& c : *compliance) {
            obligations += c.obligations;
            compliant += c.complete + c.expiring_soon;
            if (c.percent < 100) ++below;
        }
        out["summary_compliance"] =
            ctx.t("network.home.summary.compliance", {std::to_string(d::compliance_percent(compliant, obligations)),
                                                      std::to_string(compliance->size()), std::to_string(below)});
    }
}

http::Response network_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    json model = {
        {"maturity_href", maturity_path},         {"plans_href", "/network/plans"},           {"map_href", "/network/map"},
        {"trainings_href", "/network/trainings"}, {"compliance_href", "/network/compliance"}, {"tools_href", "/network/tools"},
        {"outreach_href", "/network/outreach"}};
    // Their own required trainings, for those whose role may be required to complete some.
    if (d::is_trainable(ctx.acting->role)) model["mine_href"] = "/network/my-trainings";
    add_network_summary(ctx, model);
    return ctx.app.page(ctx, "network.home.title", "network", model);
}

// ---------------------------------------------------------------- the subjects

http::Response subjects_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto subjects = maturity(ctx).subjects();
    if (!subjects) return ctx.app.refused(ctx, subjects.error());
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    json rows = json::array();
    for (const auto& s : *subjects) {
        json row = {{"subject", subject_label(ctx, s.subject)},
                    {"area", in_lang(ctx, s.subject.area_fr, s.subject.area_en)},
                    {"history_href", history_href(s.subject)},
                    {"assessments", std::to_string(s.assessments)}};
        if (s.latest) {
            row["latest"] = {{"href", assessment_href(s.latest->id)},
                             {"assessed_on", s.latest->assessed_on},
                             {"stage", level_name(ctx, s.latest->score.stage)},
                             {"score", score_text(ctx, s.latest->score)}};
        }
        rows.push_back(std::move(row));
    }
    json model = {{"rows", rows}, {"analyst", analyst}, {"back_href", "/network"}};
    if (maturity(ctx).may_manage()) model["new_href"] = maturity_path + "/new";
    return ctx.app.page(ctx, "network.maturity.title", "maturity_subjects", model);
}

// ---------------------------------------------------------------- one subject's history

// The stage names in rank order, for the chart's axis (charts.js reads them from data-levels).
std::string levels_json(Ctx& ctx) {
    json names = json::array();
    for (auto l : d::all_maturity_levels()) names.push_back(level_name(ctx, l));
    return names.dump();
}

std::string assessment_option(Ctx& ctx, const store::AssessmentSummary& a) {
    return ctx.t("network.maturity.assessment_option",
                 {a.assessed_on, level_name(ctx, a.score.stage), d::format_tenths(a.score.tenths, french(ctx))});
}

http::Response history_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    std::vector<FieldError> errors;
    const auto area = id_param(ctx, "area", errors);
    std::optional<std::int64_t> agreement;
    const std::string subject = trim(ctx.req.query_param("subject"));
    if (subject.empty())
        errors.push_back({"subject", "field.required", {}});
    else if (subject != "area" && !(agreement = d::parse_id(subject)))
        errors.push_back({"subject", "field.choose_from_list", {}});
    if (!errors.empty()) return bad_request(ctx, "network.maturity.history_title", errors);
    auto list = maturity(ctx).history(*area, agreement);
    if (!list) return ctx.app.refused(ctx, list.error());

    // The subject's names: from its assessments. A subject without any is one the agency is about
    // to assess: its administrators find its names among the subjects their form offers (their
    // area and its partnerships still open, assessed or not), which also decides whether the page
    // links to that form. Anyone else reads a history with assessments, or none to show.
    std::optional<store::MaturitySubject> who;
    if (!list->empty()) who = list->front().subject;
    const store::MaturitySubject wanted{*area, {}, {}, agreement, {}, {}, {}};
    bool offered = false;
    if (maturity(ctx).may_manage()) {
        auto choices = maturity(ctx).subject_choices();
        if (!choices) return ctx.app.refused(ctx, choices.error());
        for (const auto& s : *choices)
            if (same_subject(s, wanted)) {
                offered = true;
                if (!who) who = s;
            }
    }

    json dimension_heads = json::array();
    for (auto dim : d::all_maturity_dimensions()) dimension_heads.push_back(dimension_name(ctx, dim));
    json rows = json::array();
    for (const auto& a : *list) {
        json cells = json::array();
        for (auto l : a.levels) cells.push_back({{"value", std::to_string(d::rank(l))}, {"text", level_text(ctx, l)}});
        rows.push_back({{"href", assessment_href(a.id)},
                        {"assessed_on", a.assessed_on},
                        {"cells", cells},
                        {"score_value", d::format_tenths(a.score.tenths, false)},
                        {"score", d::format_tenths(a.score.tenths, french(ctx))},
                        {"stage", level_name(ctx, a.score.stage)},
                        {"recorded_by", a.recorded_by}});
    }
    // The list reads newest first; the table and its chart run oldest to newest.
    json newest_first = json::array();
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) newest_first.push_back(*it);

    const std::string name = who ? subject_label(ctx, *who) : std::string();
    json model = {
        {"heading", name.empty() ? ctx.t("network.maturity.history_title") : ctx.t("network.maturity.history_heading", {name})},
        {"rows", rows},
        {"assessments", newest_first},
        {"dimension_heads", dimension_heads},
        {"levels_json", levels_json(ctx)},
        {"asset_version", ctx.app.asset_version()},
        {"back_href", maturity_path}};
    if (who) {
        model["area"] = in_lang(ctx, who->area_fr, who->area_en);
        if (who->agreement_id) model["reference"] = who->reference;
    }
    if (list->size() >= 2) {
        // Two assessments to compare: the last two, unless the reader chooses others.
        std::vector<Option> options;
        for (auto it = list->rbegin(); it != list->rend(); ++it)
            options.push_back({std::to_string(it->id), assessment_option(ctx, *it)});
        FormBuilder f(ctx, maturity_path + "/compare", "network.maturity.compare_submit");
        f.query()
            .id_prefix("compare-")
            .field({.name = "from",
                    .label_key = "network.maturity.field.from",
                    .type = "select",
                    .required = true,
                    .options = options},
                   std::to_string((*list)[list->size() - 2].id))
            .field(
                {.name = "to", .label_key = "network.maturity.field.to", .type = "select", .required = true, .options = options},
                std::to_string(list->back().id));
        model["compare_form"] = f.build();
    }
    // Only a subject the form offers gets the link that records its next assessment.
    if (offered) model["new_href"] = maturity_path + "/new?subject=" + (agreement ? std::to_string(*agreement) : "area");
    return ctx.app.page(ctx, "network.maturity.history_title", "maturity_history", model);
}

// ---------------------------------------------------------------- two assessments compared

http::Response compare_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    std::vector<FieldError> errors;
    const auto from = id_param(ctx, "from", errors);
    const auto to = id_param(ctx, "to", errors);
    if (!errors.empty()) return bad_request(ctx, "network.maturity.compare_title", errors);
    auto a = maturity(ctx).assessment(*from);
    if (!a) return ctx.app.refused(ctx, a.error());
    auto b = maturity(ctx).assessment(*to);
    if (!b) return ctx.app.refused(ctx, b.error());
    if (!same_subject(a->summary.subject, b->summary.subject))
        return bad_request(ctx, "network.maturity.compare_title", {{"to", "network.maturity.compare_other_subject", {}}});
    // The earlier first, whichever way the form named them.
    const auto earlier = [](const store::AssessmentRecord& x, const store::AssessmentRecord& y) {
        return std::tie(x.summary.assessed_on, x.summary.id) < std::tie(y.summary.assessed_on, y.summary.id);
    };
    const store::AssessmentRecord& before = earlier(*b, *a) ? *b : *a;
    const store::AssessmentRecord& after = earlier(*b, *a) ? *a : *b;
    const auto cmp = d::compare(before.assessment, after.assessment);

    json dimensions = json::array();
    for (const auto& c : cmp.dimensions)
        dimensions.push_back({{"dimension", dimension_name(ctx, c.dimension)},
                              {"before", level_text(ctx, c.before)},
                              {"after", level_text(ctx, c.after)},
                              {"movement", ctx.t("network.maturity.movement." + std::string(d::code(c.movement)))},
                              {"moved", c.movement != d::Movement::same}});
    json gained = json::array(), lost = json::array();
    for (auto m : cmp.marks_gained) gained.push_back(mark_name(ctx, m));
    for (auto m : cmp.marks_lost) lost.push_back(mark_name(ctx, m));
    const auto& subject = after.summary.subject;
    json model = {{"heading", ctx.t("network.maturity.compare_heading", {subject_label(ctx, subject)})},
                  {"area", in_lang(ctx, subject.area_fr, subject.area_en)},
                  {"before_head", ctx.t("network.maturity.col.before", {before.summary.assessed_on})},
                  {"after_head", ctx.t("network.maturity.col.after", {after.summary.assessed_on})},
                  {"before_href", assessment_href(before.summary.id)},
                  {"after_href", assessment_href(after.summary.id)},
                  {"before_on", before.summary.assessed_on},
                  {"after_on", after.summary.assessed_on},
                  {"dimensions", dimensions},
                  {"gained", gained},
                  {"lost", lost},
                  {"before_score", score_text(ctx, cmp.before)},
                  {"after_score", score_text(ctx, cmp.after)},
                  {"before_stage", level_name(ctx, cmp.before.stage)},
                  {"after_stage", level_name(ctx, cmp.after.stage)},
                  {"before_marks", std::to_string(cmp.before.marks_held)},
                  {"after_marks", std::to_string(cmp.after.marks_held)},
                  {"history_href", history_href(subject)}};
    return ctx.app.page(ctx, "network.maturity.compare_title", "maturity_compare", model);
}

// ---------------------------------------------------------------- recording an assessment

const FieldError* error_of(const std::vector<FieldError>& errors, const std::string& field) {
    for (const auto& e : errors)
        if (e.field == field) return &e;
    return nullptr;
}

// One labelled field of the form (the generic form's model: id, name, label, hint, error,
// describedby), for the template's own layout.
json field_model(Ctx& ctx, const std::string& name, const std::string& label, const std::string& value, const std::string& hint,
                 const std::vector<FieldError>& errors) {
    json j = {{"id", "field-" + name}, {"name", name}, {"label", label}, {"value", value}};
    std::string describedby;
    if (!hint.empty()) {
        j["hint"] = hint;
        j["hint_id"] = "hint-" + name;
        describedby = "hint-" + name;
    }
    if (const auto* e = error_of(errors, name)) {
        j["error"] = ctx.t(e->message_key, e->args);
        j["error_id"] = "error-" + name;
        describedby += (describedby.empty() ? "" : " ") + std::string("error-" + name);
    }
    if (!describedby.empty()) j["describedby"] = describedby;
    return j;
}

d::AssessmentForm posted_assessment(Ctx& ctx) {
    d::AssessmentForm f;
    f.assessed_on = trim(ctx.form("assessed_on"));
    f.subject = trim(ctx.form("subject"));
    for (auto dim : d::all_maturity_dimensions()) {
        const std::string c(d::code(dim));
        f.answers.push_back({trim(ctx.form("level_" + c)), ctx.form("evidence_" + c)});
    }
    for (auto m : d::all_integration_marks()) {
        const std::string c(d::code(m));
        f.marks.push_back({trim(ctx.form("mark_" + c)), ctx.form("mark_evidence_" + c)});
    }
    f.summary = ctx.form("summary");
    return f;
}

json assessment_form(Ctx& ctx, const std::vector<store::MaturitySubject>& choices, const d::AssessmentForm& posted,
                     const std::vector<FieldError>& errors) {
    json form = {{"action", maturity_path}, {"cancel_href", maturity_path}};
    form["date"] = field_model(ctx, "assessed_on", ctx.t("network.maturity.field.assessed_on"), posted.assessed_on,
                               ctx.t("network.maturity.hint.assessed_on"), errors);
    json subject = field_model(ctx, "subject", ctx.t("network.maturity.field.subject"), posted.subject,
                               ctx.t("network.maturity.hint.subject"), errors);
    json options = json::array();
    for (const auto& s : choices)
        options.push_back(
            {{"value", subject_code(s)}, {"label", subject_label(ctx, s)}, {"selected", subject_code(s) == posted.subject}});
    subject["options"] = options;
    form["subject"] = subject;

    // Where the error summary's links lead: a group of radios to its first choice.
    std::vector<std::pair<std::string, std::string>> anchors = {
        {"assessed_on", "field-assessed_on"}, {"subject", "field-subject"}, {"summary", "field-summary"}};
    json dimensions = json::array();
    const auto& dims = d::all_maturity_dimensions();
    for (std::size_t i = 0; i < dims.size(); ++i) {
        const auto dim = dims[i];
        const std::string c(d::code(dim));
        const d::AnswerForm answer = i < posted.answers.size() ? posted.answers[i] : d::AnswerForm{};
        const auto chosen = d::parse_maturity_level(answer.level);
        json levels = json::array();
        int n = 0;
        for (auto l : d::all_maturity_levels()) {
            const std::string id = "field-level_" + c + "-" + std::to_string(n++);
            levels.push_back({{"id", id},
                              {"value", std::string(d::code(l))},
                              {"label", level_name(ctx, l)},
                              {"hint", description(ctx, dim, l)},
                              {"hint_id", "hint-" + id.substr(6)},
                              {"checked", chosen && *chosen == l}});
        }
        json entry = {{"code", c},
                      {"name", dimension_name(ctx, dim)},
                      {"group_id", "dimension-" + c},
                      {"levels", levels},
                      {"evidence",
                       field_model(ctx, "evidence_" + c, ctx.t("network.maturity.field.evidence_for", {dimension_name(ctx, dim)}),
                                   answer.evidence, ctx.t("network.maturity.hint.evidence"), errors)}};
        if (const auto* e = error_of(errors, "level_" + c)) {
            entry["level_error"] = ctx.t(e->message_key, e->args);
            entry["level_error_id"] = "error-level_" + c;
        }
        dimensions.push_back(std::move(entry));
        anchors.emplace_back("level_" + c, "field-level_" + c + "-0");
        anchors.emplace_back("evidence_" + c, "field-evidence_" + c);
    }
    form["dimensions"] = dimensions;

    json marks = json::array();
    const auto& all_marks = d::all_integration_marks();
    for (std::size_t i = 0; i < all_marks.size(); ++i) {
        const auto m = all_marks[i];
        const std::string c(d::code(m));
        const d::MarkForm mark = i < posted.marks.size() ? posted.marks[i] : d::MarkForm{};
        marks.push_back({{"id", "field-mark_" + c},
                         {"name", "mark_" + c},
                         {"label", mark_name(ctx, m)},
                         {"hint", ctx.t("network.maturity.mark_help." + c)},
                         {"hint_id", "hint-mark_" + c},
                         {"held", trim(mark.held) == "1"},
                         {"evidence", field_model(ctx, "mark_evidence_" + c,
                                                  ctx.t("network.maturity.field.evidence_for", {mark_name(ctx, m)}),
                                                  mark.evidence, ctx.t("network.maturity.hint.mark_evidence"), errors)}});
        anchors.emplace_back("mark_" + c, "field-mark_" + c);
        anchors.emplace_back("mark_evidence_" + c, "field-mark_evidence_" + c);
    }
    form["marks"] = marks;
    form["summary"] = field_model(ctx, "summary", ctx.t("network.maturity.field.summary"), posted.summary,
                                  ctx.t("network.maturity.hint.summary"), errors);

    json summary = json::array();
    for (const auto& e : errors) {
        json item = {{"message", error_item(ctx, e)}};
        for (const auto& [field, anchor] : anchors)
            if (field == e.field) item["href"] = "#" + anchor;
        summary.push_back(std::move(item));
    }
    if (!summary.empty()) form["error_summary"] = summary;
    return form;
}

http::Response new_page(Ctx& ctx, const d::AssessmentForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto choices = maturity(ctx).subject_choices();
    if (!choices) return ctx.app.refused(ctx, choices.error());
    json model = {{"form", assessment_form(ctx, *choices, posted, errors)}, {"back_href", maturity_path}};
    return ctx.app.page(ctx, "network.maturity.new_title", "maturity_form", model, status);
}

// An empty form dated today; ?subject= chooses its subject (one the form does not offer leaves
// the choice open).
http::Response show_new(Ctx& ctx) {
    d::AssessmentForm prefill;
    prefill.assessed_on = date_of(ctx.app.clock().now()).iso();
    prefill.subject = trim(ctx.req.query_param("subject"));
    return new_page(ctx, prefill, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_assessment(ctx);
    auto id = maturity(ctx).create(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, 422);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, assessment_href(*id), "network.maturity.recorded");
}

// ---------------------------------------------------------------- one assessment

http::Response assessment_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto r = maturity(ctx).assessment(*id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    json answers = json::array();
    for (const auto& a : r->assessment.answers)
        answers.push_back({{"dimension", dimension_name(ctx, a.dimension)},
                           {"level", level_text(ctx, a.level)},
                           {"meaning", description(ctx, a.dimension, a.level)},
                           {"evidence", a.evidence}});
    json marks = json::array();
    for (const auto& m : r->assessment.marks)
        marks.push_back({{"name", mark_name(ctx, m.mark)},
                         {"state", ctx.t(m.held ? "network.maturity.mark_held" : "network.maturity.mark_not_held")},
                         {"evidence", m.held ? m.evidence : std::string()}});
    json model = {{"heading", ctx.t("network.maturity.assessment_heading", {subject_label(ctx, s.subject), s.assessed_on})},
                  {"subject", subject_label(ctx, s.subject)},
                  {"area", in_lang(ctx, s.subject.area_fr, s.subject.area_en)},
                  {"assessed_on", s.assessed_on},
                  {"recorded_by", s.recorded_by},
                  {"recorded_at", display_minute(r->created_at)},
                  {"score", score_text(ctx, s.score)},
                  {"stage", level_name(ctx, s.score.stage)},
                  {"marks_held", ctx.t("network.maturity.marks_held_value",
                                       {std::to_string(s.score.marks_held), std::to_string(marks.size())})},
                  {"answers", answers},
                  {"marks", marks},
                  {"history_href", history_href(s.subject)},
                  {"back_href", maturity_path}};
    if (!r->assessment.summary.empty()) model["summary"] = r->assessment.summary;
    if (r->previous)
        model["compare_href"] = maturity_path + "/compare?from=" + std::to_string(*r->previous) + "&to=" + std::to_string(*id);
    return ctx.app.page(ctx, "network.maturity.assessment_title", "maturity_assessment", model);
}

}  // namespace

void register_maturity_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/network", {"network/home", S, R, network_page});
    app.route("GET", "/network/maturity", {"network/maturity", S, R, subjects_page});
    app.route("GET", "/network/maturity/history", {"network/maturity_history", S, R, history_page});
    app.route("GET", "/network/maturity/compare", {"network/maturity_compare", S, R, compare_page});
    app.route("GET", "/network/maturity/new", {"network/maturity_new", S, R, show_new});
    app.route("POST", "/network/maturity", {"network/maturity_create", S, W, post_new});
    app.route("GET", "/network/maturity/{id}", {"network/maturity_show", S, R, assessment_page});
    // The navigation's link, for those who read the network's pages.
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (may_read(ctx)) layout["nav_network"] = true;
    });
}

}  // namespace arrimage::web
