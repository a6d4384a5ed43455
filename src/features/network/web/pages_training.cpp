// Capacity building (store::TrainingRepo, docs/NETWORK.md "Capacity building").
//
//   /network/trainings                    the catalogue the reader may see (?retired=1: the
//                                         retired trainings too)
//   /network/trainings/new                the form that adds one (coordinating agency administrators)
//   /network/trainings/{id}               a training: its terms, partners, who must complete it and
//                                         within how many days, the completions the reader may
//                                         see, what the reader may do with it
//   /network/trainings/{id}/edit          its terms changed, from the version the form was shown with
//   /network/trainings/{id}/requirements  which roles must complete it, one number of days per role
//   /network/trainings/{id}/retire        retired, or put back in the catalogue
//   /network/trainings/{id}/completions   a completion recorded (its form: .../completions/new)
//   /network/compliance                   where each provider organisation stands (export.csv: the
//                                         same table as a spreadsheet)
//   /network/compliance/{org}             one organisation's people and where each stands
//   /network/my-trainings                 the signed-in person's own required trainings
// The repository decides who may read and do what (a provider manager, their own organisation's
// people; the ministry's analyst, percentages only); the pages show what it hands out.
// Bad input is answered 422 on the page it was typed on, with its fields' errors; a change over
// a version changed meanwhile, or a completion of a retired training, is answered 409 with its
// message.
#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/search_text.hpp"
#include "features/network/domain/capacity.hpp"
#include "features/network/store/training_repo.hpp"
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

const std::string catalogue_path = "/network/trainings";
const std::string compliance_path = "/network/compliance";

std::string training_href(std::int64_t id) {
    return catalogue_path + "/" + std::to_string(id);
}

std::string organisation_href(std::int64_t id) {
    return compliance_path + "/" + std::to_string(id);
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

store::TrainingRepo trainings(Ctx& ctx) {
    return store::TrainingRepo(*ctx.access);
}

std::optional<std::int64_t> path_id(Ctx& ctx, const std::string& name) {
    return d::parse_id(ctx.req.params[name]);
}

Date today(Ctx& ctx) {
    return date_of(ctx.app.clock().now());
}

std::string format_label(Ctx& ctx, d::TrainingFormat f) {
    return ctx.t("network.training.format." + std::string(d::code(f)));
}

std::string role_label(Ctx& ctx, d::Role r) {
    return ctx.t("role." + std::string(d::code(r)));
}

// A number of hours as the reader writes it: "1,5" in French, "1.5" in English.
std::string hours_number(Ctx& ctx, int hours_tenths) {
    std::string out = d::format_hours(hours_tenths);
    if (ctx.lang == Lang::fr) std::replace(out.begin(), out.end(), '.', ',');
    return out;
}

// A length typed with a decimal comma, as in French, is the same number with a point.
std::string decimal_point(std::string hours) {
    std::replace(hours.begin(), hours.end(), ',', '.');
    return hours;
}

std::string validity_text(Ctx& ctx, const std::optional<int>& months) {
    return months ? ctx.t("network.training.validity_value", {std::to_string(*months)}) : ctx.t("network.training.never_expires");
}

std::string roles_text(Ctx& ctx, const std::vector<d::Role>& roles) {
    if (roles.empty()) return ctx.t("network.training.no_required_roles");
    std::string out;
    for (auto r : roles) out += (out.empty() ? "" : "; ") + role_label(ctx, r);
    return out;
}

// Where someone stands, in words: overdue and lapsed set apart in bold with a mark beside them,
// expiring soon in bold, never by colour alone (templates/_training_standing).
json standing_view(Ctx& ctx, d::TrainingStanding s) {
    json out = {{"label", ctx.t("network.training.standing." + std::string(d::code(s)))}};
    switch (s) {
        case d::TrainingStanding::complete:
            out["ok"] = true;
            break;
        case d::TrainingStanding::expiring_soon:
            out["warn"] = true;
            break;
        case d::TrainingStanding::due:
            out["plain"] = true;
            break;
        case d::TrainingStanding::overdue:
        case d::TrainingStanding::lapsed:
            out["late"] = true;
            break;
    }
    return out;
}

// Options in the reader's alphabetical order, accents folded ("École" beside "Ecole").
void by_label(std::vector<Option>& options) {
    std::stable_sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        const auto fa = d::fold(a.label), fb = d::fold(b.label);
        return fa != fb ? fa < fb : a.label < b.label;
    });
}

// ---------------------------------------------------------------- the catalogue

http::Response catalogue_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const bool with_retired = trim(ctx.req.query_param("retired")) == "1";
    auto list = trainings(ctx).list(with_retired);
    if (!list) return ctx.app.refused(ctx, list.error());
    json rows = json::array();
    for (const auto& s : *list) {
        json row = {{"href", training_href(s.id)},
                    {"title", in_lang(ctx, s.title_fr, s.title_en)},
                    {"format", format_label(ctx, s.format)},
                    {"hours", ctx.t("network.training.hours_value", {hours_number(ctx, s.hours_tenths)})},
                    {"validity", validity_text(ctx, s.validity_months)},
                    {"required", roles_text(ctx, s.required_roles)},
                    {"area", in_lang(ctx, s.area_fr, s.area_en)},
                    {"retired", s.retired}};
        rows.push_back(std::move(row));
    }
    json model = {{"rows", rows},
                  {"count", ctx.t("network.training.count", {std::to_string(list->size())})},
                  {"analyst", analyst(ctx)},
                  {"toggle_href", with_retired ? catalogue_path : catalogue_path + "?retired=1"},
                  {"toggle", ctx.t(with_retired ? "network.training.hide_retired" : "network.training.show_retired")}};
    if (trainings(ctx).may_manage()) model["new_href"] = catalogue_path + "/new";
    return ctx.app.page(ctx, "network.training.list_title", "training_list", model);
}

// ---------------------------------------------------------------- adding and changing terms

d::TrainingForm posted_terms(Ctx& ctx) {
    d::TrainingForm f;
    f.title_fr = trim(ctx.form("title_fr"));
    f.title_en = trim(ctx.form("title_en"));
    f.description_fr = ctx.form("description_fr");
    f.description_en = ctx.form("description_en");
    f.format = trim(ctx.form("format"));
    f.hours = trim(ctx.form("hours"));
    f.validity_months = trim(ctx.form("validity_months"));
    f.joint = trim(ctx.form("joint"));
    f.partners = ctx.form_all("partners");
    return f;
}

// What goes to the repository: the terms as typed, the length with a decimal point.
d::TrainingForm for_store(d::TrainingForm f) {
    f.hours = decimal_point(f.hours);
    return f;
}

d::TrainingForm form_of(Ctx& ctx, const store::TrainingRecord& r) {
    const auto& t = r.terms;
    d::TrainingForm f;
    f.title_fr = t.title_fr;
    f.title_en = t.title_en;
    f.description_fr = t.description_fr;
    f.description_en = t.description_en;
    f.format = std::string(d::code(t.format));
    f.hours = hours_number(ctx, t.hours_tenths);
    if (t.validity_months) f.validity_months = std::to_string(*t.validity_months);
    f.joint = t.joint ? "1" : "";
    for (auto id : t.partners) f.partners.push_back(std::to_string(id));
    return f;
}

// The terms form. With `record` (an edit), the partners it names stay offered although they may
// have been deactivated since, and the hidden version is `version`: the one the form was first
// shown with, kept when it comes back with field errors, so that a change made meanwhile is
// still noticed.
Result<json> terms_form(Ctx& ctx, const std::string& action, const d::TrainingForm& posted, const std::vector<FieldError>& errors,
                        const store::TrainingRecord* record, int version, const std::string& cancel) {
    auto choices = trainings(ctx).partner_choices();
    if (!choices) return choices.error();
    std::vector<Option> partners;
    for (const auto& l : *choices) partners.push_back({std::to_string(l.id), in_lang(ctx, l.name_fr, l.name_en)});
    if (record)
        for (const auto& l : record->partners) {
            const std::string value = std::to_string(l.id);
            if (std::none_of(partners.begin(), partners.end(), [&](const Option& o) { return o.value == value; }))
                partners.push_back({value, in_lang(ctx, l.name_fr, l.name_en)});
        }
    by_label(partners);
    FormBuilder f(ctx, action, record ? "network.training.save_submit" : "network.training.create_submit");
    if (record) f.field({.name = "version", .type = "hidden"}, std::to_string(version));
    f.field({.name = "title_fr", .label_key = "network.training.field.title_fr", .required = true}, posted.title_fr)
        .field({.name = "title_en", .label_key = "network.training.field.title_en", .required = true}, posted.title_en)
        .field({.name = "description_fr",
                .label_key = "network.training.field.description_fr",
                .type = "textarea",
                .hint_key = "network.training.hint.description"},
               posted.description_fr)
        .field({.name = "description_en",
                .label_key = "network.training.field.description_en",
                .type = "textarea",
                .hint_key = "network.training.hint.description"},
               posted.description_en)
        .field({.name = "format",
                .label_key = "network.training.field.format",
                .type = "radios",
                .required = true,
                .options = options_of(ctx, d::all_training_formats(), "network.training.format.")},
               posted.format)
        .field({.name = "hours",
                .label_key = "network.training.field.hours",
                .required = true,
                .hint_key = "network.training.hint.hours",
                .inputmode = "decimal"},
               posted.hours)
        .field({.name = "validity_months",
                .label_key = "network.training.field.validity_months",
                .hint_key = "network.training.hint.validity_months",
                .inputmode = "numeric"},
               posted.validity_months)
        .field({.name = "joint",
                .label_key = "network.training.field.joint",
                .type = "checkbox",
                .hint_key = "network.training.hint.joint"},
               posted.joint);
    // An area of one organisation has no partner to offer: no empty group of choices.
    if (!partners.empty())
        f.multi({.name = "partners",
                 .label_key = "network.training.field.partners",
                 .type = "checkboxes",
                 .hint_key = "network.training.hint.partners",
                 .options = partners},
                posted.partners);
    f.errors(errors).cancel(cancel);
    return f.build();
}

http::Response new_page(Ctx& ctx, const d::TrainingForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx) || !trainings(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    auto form = terms_form(ctx, catalogue_path, posted, errors, nullptr, 0, catalogue_path);
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.training.new_title")},
                  {"intro", ctx.t("network.training.new_intro")},
                  {"back_href", catalogue_path},
                  {"back", ctx.t("network.training.back")},
                  {"form", *form}};
    return ctx.app.page(ctx, "network.training.new_title", "training_form", model, status);
}

http::Response show_new(Ctx& ctx) {
    return new_page(ctx, {}, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx) || !trainings(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_terms(ctx);
    auto id = trainings(ctx).create(for_store(posted));
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, bad_input);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, training_href(*id), "network.training.created");
}

// The edit form: the training's terms and current version, or what was posted with its version
// and `errors` (the form comes back as it was sent).
struct PostedTerms {
    d::TrainingForm terms;
    int version = 0;
};

http::Response edit_page(Ctx& ctx, std::int64_t id, const std::optional<PostedTerms>& posted,
                         const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = trainings(ctx).training(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    if (!r->may_edit) return ctx.app.refused(ctx, Error::forbidden());
    auto form = terms_form(ctx, training_href(id) + "/edit", posted ? posted->terms : form_of(ctx, *r), errors, &*r,
                           posted ? posted->version : r->version, training_href(id));
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("network.training.edit_title", {in_lang(ctx, r->summary.title_fr, r->summary.title_en)})},
                  {"back_href", training_href(id)},
                  {"back", ctx.t("network.training.back_training")},
                  {"form", *form}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "network.training.edit_page_title", "training_form", model, status);
}

http::Response show_edit(Ctx& ctx) {
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return edit_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_edit(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const PostedTerms posted{posted_terms(ctx), form_version(ctx)};
    auto done = trainings(ctx).update(*id, posted.version, for_store(posted.terms));
    if (!done) {
        if (done.error().code == Errc::Invalid) return edit_page(ctx, *id, posted, done.error().fields, {}, bad_input);
        // Changed meanwhile: the form shows the training as it is now, with its current version,
        // not what was posted over an older one.
        if (done.error().code == Errc::Conflict)
            return edit_page(ctx, *id, std::nullopt, {}, done.error().message_key, no_longer_possible);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, training_href(*id), "network.training.saved");
}

// ---------------------------------------------------------------- who must complete it

std::string due_field(d::Role r) {
    return "due_days_" + std::string(d::code(r));
}

std::vector<d::RequirementForm> posted_requirements(Ctx& ctx) {
    std::vector<d::RequirementForm> out;
    for (auto r : d::trainable_roles()) out.push_back({std::string(d::code(r)), trim(ctx.form(due_field(r)))});
    return out;
}

std::vector<d::RequirementForm> requirements_of(const store::TrainingRecord& record) {
    std::vector<d::RequirementForm> out;
    for (auto r : d::trainable_roles()) {
        d::RequirementForm f{std::string(d::code(r)), {}};
        for (const auto& q : record.requirements)
            if (q.role == r) f.due_days = std::to_string(q.due_days);
        out.push_back(std::move(f));
    }
    return out;
}

struct PostedRequirements {
    std::vector<d::RequirementForm> requirements;
    int version = 0;
};

http::Response requirements_page(Ctx& ctx, std::int64_t id, const std::optional<PostedRequirements>& posted,
                                 const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = trainings(ctx).training(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    if (!r->may_edit) return ctx.app.refused(ctx, Error::forbidden());
    const auto values = posted ? posted->requirements : requirements_of(*r);
    FormBuilder f(ctx, training_href(id) + "/requirements", "network.training.requirements_submit");
    f.field({.name = "version", .type = "hidden"}, std::to_string(posted ? posted->version : r->version));
    const auto& roles = d::trainable_roles();
    for (std::size_t i = 0; i < roles.size(); ++i)
        f.field({.name = due_field(roles[i]), .inputmode = "numeric", .label = role_label(ctx, roles[i])},
                i < values.size() ? values[i].due_days : std::string());
    f.errors(errors).cancel(training_href(id));
    json model = {
        {"heading", ctx.t("network.training.requirements_title", {in_lang(ctx, r->summary.title_fr, r->summary.title_en)})},
        {"back_href", training_href(id)},
        {"form", f.build()}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "network.training.requirements_page_title", "training_requirements", model, status);
}

http::Response show_requirements(Ctx& ctx) {
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return requirements_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_requirements(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const PostedRequirements posted{posted_requirements(ctx), form_version(ctx)};
    auto done = trainings(ctx).set_requirements(*id, posted.version, posted.requirements);
    if (!done) {
        if (done.error().code == Errc::Invalid) return requirements_page(ctx, *id, posted, done.error().fields, {}, bad_input);
        if (done.error().code == Errc::Conflict)
            return requirements_page(ctx, *id, std::nullopt, {}, done.error().message_key, no_longer_possible);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, training_href(*id), "network.training.requirements_saved");
}

// ---------------------------------------------------------------- one training

// What was refused on the training page's own form (retire or put back).
struct TrainingForms {
    std::vector<FieldError> errors;
    std::string conflict_key;
};

http::Response training_page(Ctx& ctx, std::int64_t id, const TrainingForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = trainings(ctx).training(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    const auto& t = r->terms;
    json partners = json::array();
    for (const auto& p : r->partners) partners.push_back(in_lang(ctx, p.name_fr, p.name_en));
    json requirements = json::array();
    for (const auto& q : r->requirements)
        requirements.push_back({{"role", role_label(ctx, q.role)},
                                {"due_days", ctx.t("network.training.due_days_value", {std::to_string(q.due_days)})},
                                {"set_on", q.set_on}});
    json completions = json::array();
    for (const auto& c : r->completions)
        completions.push_back({{"person", c.user_name},
                               {"organisation", in_lang(ctx, c.organisation_fr, c.organisation_en)},
                               {"completed_on", c.completed_on},
                               {"note", c.note},
                               {"recorded_by", c.recorded_by_name}});
    json model = {{"heading", in_lang(ctx, s.title_fr, s.title_en)},
                  {"title_fr", s.title_fr},
                  {"title_en", s.title_en},
                  {"area", in_lang(ctx, s.area_fr, s.area_en)},
                  {"format", format_label(ctx, s.format)},
                  {"hours", ctx.t("network.training.hours_value", {hours_number(ctx, s.hours_tenths)})},
                  {"validity", validity_text(ctx, s.validity_months)},
                  {"joint", ctx.t(s.joint ? "common.yes" : "common.no")},
                  {"status", ctx.t(s.retired ? "network.training.status_retired" : "network.training.status_active")},
                  {"retired", s.retired},
                  {"partners", partners},
                  {"requirements", requirements},
                  {"completions", completions},
                  // The analyst reads no one's completions: said, rather than "none recorded".
                  {"completions_hidden", analyst(ctx)},
                  {"back_href", catalogue_path}};
    if (!t.description_fr.empty()) model["description_fr"] = t.description_fr;
    if (!t.description_en.empty()) model["description_en"] = t.description_en;
    json actions = json::array();
    if (r->may_edit) {
        actions.push_back({{"href", training_href(id) + "/edit"}, {"label", ctx.t("network.training.edit_link")}});
        actions.push_back(
            {{"href", training_href(id) + "/requirements"}, {"label", ctx.t("network.training.requirements_link")}});
    }
    if (r->may_record)
        actions.push_back({{"href", training_href(id) + "/completions/new"}, {"label", ctx.t("network.training.record_link")}});
    model["actions"] = actions;
    if (r->may_edit) {
        FormBuilder f(ctx, training_href(id) + "/retire",
                      s.retired ? "network.training.restore_submit" : "network.training.retire_submit");
        f.id_prefix("retire-")
            .field({.name = "version", .type = "hidden"}, std::to_string(r->version))
            .field({.name = "retired", .type = "hidden"}, s.retired ? "0" : "1")
            .errors(forms.errors);
        model["retire"] = {{"heading", ctx.t(s.retired ? "network.training.restore_heading" : "network.training.retire_heading")},
                           {"help", ctx.t(s.retired ? "network.training.restore_help" : "network.training.retire_help")},
                           {"form", f.build()}};
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "network.training.title", "training", model, status);
}

http::Response show_training(Ctx& ctx) {
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return training_page(ctx, *id, {}, 200);
}

http::Response post_retire(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const std::string retired = trim(ctx.form("retired"));
    TrainingForms forms;
    if (retired != "1" && retired != "0") {
        forms.errors.push_back({"", "field.choose_from_list", {}});
        return training_page(ctx, *id, forms, bad_input);
    }
    auto done = trainings(ctx).set_retired(*id, form_version(ctx), retired == "1");
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return training_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, training_href(*id),
                             retired == "1" ? "network.training.retired_done" : "network.training.restored_done");
}

// ---------------------------------------------------------------- recording a completion

d::CompletionForm posted_completion(Ctx& ctx) {
    return {trim(ctx.form("user")), trim(ctx.form("completed_on")), ctx.form("note")};
}

// One choice per person, with each organisation they are on staff at among the reader's reach
// (the repository records the completion under one of them).
std::vector<Option> staff_options(Ctx& ctx, const std::vector<store::StaffChoice>& staff) {
    std::vector<std::pair<std::string, std::string>> people;  // value, organisations
    std::vector<std::string> names;
    std::map<std::int64_t, std::size_t> seen;
    for (const auto& s : staff) {
        const std::string organisation = in_lang(ctx, s.organisation_fr, s.organisation_en);
        auto [it, added] = seen.emplace(s.user_id, people.size());
        if (added) {
            people.push_back({std::to_string(s.user_id), organisation});
            names.push_back(s.name);
        } else {
            people[it->second].second += "; " + organisation;
        }
    }
    std::vector<Option> out;
    for (std::size_t i = 0; i < people.size(); ++i)
        out.push_back({people[i].first, ctx.t("network.training.staff_choice", {names[i], people[i].second})});
    by_label(out);
    return out;
}

http::Response completion_page(Ctx& ctx, std::int64_t id, const d::CompletionForm& posted, const std::vector<FieldError>& errors,
                               int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = trainings(ctx).training(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    auto staff = trainings(ctx).staff_choices(id);
    if (!staff) return ctx.app.refused(ctx, staff.error());
    // Someone who may record completions, of a training retired meanwhile.
    if (!r->may_record) return ctx.app.refused(ctx, Error::conflict("network.training.retired"));
    const std::string title = in_lang(ctx, r->summary.title_fr, r->summary.title_en);
    json model = {{"heading", ctx.t("network.training.completion_title", {title})},
                  {"intro", ctx.t("network.training.completion_intro")},
                  {"back_href", training_href(id)},
                  {"back", ctx.t("network.training.back_training")}};
    if (staff->empty()) {
        model["none"] = ctx.t("network.training.no_staff");
    } else {
        FormBuilder f(ctx, training_href(id) + "/completions", "network.training.completion_submit");
        f.field({.name = "user",
                 .label_key = "network.training.field.user",
                 .type = "select",
                 .required = true,
                 .hint_key = "network.training.hint.user",
                 .options = staff_options(ctx, *staff)},
                posted.user)
            .field({.name = "completed_on",
                    .label_key = "network.training.field.completed_on",
                    .type = "date",
                    .required = true,
                    .hint_key = "network.training.hint.completed_on"},
                   posted.completed_on)
            .field({.name = "note",
                    .label_key = "network.training.field.note",
                    .type = "textarea",
                    .hint_key = "network.training.hint.note"},
                   posted.note)
            .errors(errors)
            .cancel(training_href(id));
        model["form"] = f.build();
    }
    return ctx.app.page(ctx, "network.training.completion_page_title", "training_form", model, status);
}

http::Response show_completion(Ctx& ctx) {
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return completion_page(ctx, *id, {{}, today(ctx).iso(), {}}, {}, 200);
}

http::Response post_completion(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const auto posted = posted_completion(ctx);
    auto done = trainings(ctx).record_completion(*id, posted);
    if (!done) {
        if (done.error().code == Errc::Invalid) return completion_page(ctx, *id, posted, done.error().fields, bad_input);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, training_href(*id), "network.training.completion_recorded");
}

// ---------------------------------------------------------------- compliance

std::string percent_text(Ctx& ctx, int percent) {
    return ctx.t("network.compliance.percent_value", {std::to_string(percent)});
}

http::Response compliance_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = trainings(ctx).compliance();
    if (!list) return ctx.app.refused(ctx, list.error());
    // The analyst reads percentages only: no organisation's people to follow a link to.
    const bool linked = !analyst(ctx);
    json rows = json::array();
    for (const auto& c : *list) {
        json row = {{"name", in_lang(ctx, c.name_fr, c.name_en)},
                    {"area", in_lang(ctx, c.area_fr, c.area_en)},
                    {"staff", c.staff},
                    {"obligations", c.obligations},
                    {"complete", c.complete},
                    {"expiring_soon", c.expiring_soon},
                    {"due", c.due},
                    {"overdue", c.overdue},
                    {"lapsed", c.lapsed},
                    {"percent", percent_text(ctx, c.percent)}};
        if (linked) row["href"] = organisation_href(c.id);
        rows.push_back(std::move(row));
    }
    json model = {
        {"rows", rows}, {"analyst", analyst(ctx)}, {"csv_href", compliance_path + "/export.csv"}, {"back_href", "/network"}};
    return ctx.app.page(ctx, "network.compliance.title", "compliance", model);
}

// The same table as a spreadsheet, its header in the reader's language.
http::Response compliance_csv(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = trainings(ctx).compliance();
    if (!list) return ctx.app.refused(ctx, list.error());
    std::vector<std::string> header = {ctx.t("network.compliance.col.organisation"), ctx.t("network.compliance.col.area"),
                                       ctx.t("network.compliance.col.staff"), ctx.t("network.compliance.col.obligations")};
    for (auto s : d::all_training_standings()) header.push_back(ctx.t("network.training.standing." + std::string(d::code(s))));
    header.push_back(ctx.t("network.compliance.col.percent_csv"));
    std::string out = interop::spreadsheet_record(header);
    for (const auto& c : *list)
        out += interop::spreadsheet_record({in_lang(ctx, c.name_fr, c.name_en), in_lang(ctx, c.area_fr, c.area_en),
                                            std::to_string(c.staff), std::to_string(c.obligations), std::to_string(c.complete),
                                            std::to_string(c.expiring_soon), std::to_string(c.due), std::to_string(c.overdue),
                                            std::to_string(c.lapsed), std::to_string(c.percent)});
    return download(std::move(out), "text/csv; charset=utf-8", "training-compliance.csv");
}

http::Response organisation_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx, "org");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto detail = trainings(ctx).organisation(*id);
    if (!detail) return ctx.app.refused(ctx, detail.error());
    const auto& c = detail->summary;
    json rows = json::array();
    for (const auto& o : detail->rows)
        rows.push_back({{"person", o.user_name},
                        {"role", role_label(ctx, o.role)},
                        {"training", in_lang(ctx, o.title_fr, o.title_en)},
                        {"training_href", training_href(o.training_id)},
                        {"standing", standing_view(ctx, o.standing)},
                        {"due_by", o.due_by},
                        {"completed_on", o.completed_on.empty() ? ctx.t("network.compliance.not_completed") : o.completed_on},
                        {"expires_on", !o.expires_on.empty()    ? o.expires_on
                                       : o.completed_on.empty() ? std::string()
                                                                : ctx.t("network.compliance.no_expiry")}});
    const std::string name = in_lang(ctx, c.name_fr, c.name_en);
    json model = {{"heading", ctx.t("network.compliance.organisation_heading", {name})},
                  {"area", in_lang(ctx, c.area_fr, c.area_en)},
                  {"staff", c.staff},
                  {"obligations", c.obligations},
                  {"complete", c.complete},
                  {"expiring_soon", c.expiring_soon},
                  {"due", c.due},
                  {"overdue", c.overdue},
                  {"lapsed", c.lapsed},
                  {"percent", percent_text(ctx, c.percent)},
                  {"rows", rows},
                  {"back_href", compliance_path}};
    return ctx.app.page(ctx, "network.compliance.organisation_page_title", "compliance_organisation", model);
}

// ---------------------------------------------------------------- my trainings

http::Response my_trainings_page(Ctx& ctx) {
    if (!ctx.acting || !ctx.access) return ctx.app.refused(ctx, Error::forbidden());
    auto mine = trainings(ctx).mine();
    if (!mine) return ctx.app.refused(ctx, mine.error());
    // The organisation and role matter to someone on staff at more than one.
    bool several = false;
    for (const auto& o : *mine)
        if (o.organisation_id != mine->front().organisation_id || o.role != mine->front().role) several = true;
    json rows = json::array();
    for (const auto& o : *mine)
        rows.push_back({{"training", in_lang(ctx, o.title_fr, o.title_en)},
                        {"organisation", in_lang(ctx, o.organisation_fr, o.organisation_en)},
                        {"role", role_label(ctx, o.role)},
                        {"standing", standing_view(ctx, o.standing)},
                        {"due_by", o.due_by},
                        {"completed_on", o.completed_on.empty() ? ctx.t("network.compliance.not_completed") : o.completed_on},
                        {"expires_on", !o.expires_on.empty()    ? o.expires_on
                                       : o.completed_on.empty() ? std::string()
                                                                : ctx.t("network.compliance.no_expiry")}});
    json model = {{"rows", rows}, {"several", several}};
    if (may_read(ctx)) model["back_href"] = "/network";
    return ctx.app.page(ctx, "network.training.mine_title", "my_trainings", model);
}

}  // namespace

void register_training_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // Literal paths before the {id} and {org} they would otherwise match.
    app.route("GET", "/network/trainings", {"network/trainings", S, R, catalogue_page});
    app.route("GET", "/network/trainings/new", {"network/trainings_new", S, R, show_new});
    app.route("POST", "/network/trainings", {"network/trainings_create", S, W, post_new});
    app.route("GET", "/network/trainings/{id}", {"network/trainings_show", S, R, show_training});
    app.route("GET", "/network/trainings/{id}/edit", {"network/trainings_edit", S, R, show_edit});
    app.route("POST", "/network/trainings/{id}/edit", {"network/trainings_update", S, W, post_edit});
    app.route("GET", "/network/trainings/{id}/requirements", {"network/trainings_requirements", S, R, show_requirements});
    app.route("POST", "/network/trainings/{id}/requirements", {"network/trainings_set_requirements", S, W, post_requirements});
    app.route("POST", "/network/trainings/{id}/retire", {"network/trainings_retire", S, W, post_retire});
    app.route("GET", "/network/trainings/{id}/completions/new", {"network/trainings_completion_new", S, R, show_completion});
    app.route("POST", "/network/trainings/{id}/completions", {"network/trainings_completion", S, W, post_completion});
    app.route("GET", "/network/compliance", {"network/compliance", S, R, compliance_page});
    app.route("GET", "/network/compliance/export.csv", {"network/compliance_export", S, R, compliance_csv});
    app.route("GET", "/network/compliance/{org}", {"network/compliance_organisation", S, R, organisation_page});
    app.route("GET", "/network/my-trainings", {"network/my_trainings", S, R, my_trainings_page});
    // The navigation's link to their own trainings, for those a training may be required of who
    // do not read the network's pages (those find it on /network).
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (ctx.acting && d::is_trainable(ctx.acting->role) && !layout.contains("nav_network")) layout["nav_trainings"] = true;
    });
}

}  // namespace arrimage::web
