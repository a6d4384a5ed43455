// The coordinated service plan of a child's file (features/plan/store/plan_repo.hpp,
// docs/PLAN.md): /children/{id}/plan shows the plan and, to those the family's consent lets
// write it, its forms: the sections, the family's goals in their own words with their progress
// and order, and (for its keeper, the assigned coordinator) starting it and moving its status.
// Every saved change is a version. The page reads in a read transaction (the guard's rows go
// through the group commit); forms post to write transactions. The page does not name the
// child: the file's number, as the file's referrals page does.
#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/plan/web/plan_common.hpp"
#include "features/plan/web/plan_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using people_pages::file_href;
using people_pages::pick;
using people_pages::refused;
using plan_pages::action_row;
using plan_pages::agreement_state;
using plan_pages::family_note_rows;
using plan_pages::file_id;
using plan_pages::goal_choice_label;
using plan_pages::is_withheld;
using plan_pages::meeting_rows;
using plan_pages::not_allowed;
using plan_pages::owner_label;
using plan_pages::plan_href;
using plan_pages::section_withheld;
using plan_pages::service_row;
using plan_pages::signature_lines;
using plan_pages::team_rows;

// The forms of the page as posted (re-shown with their errors).
struct ServiceForm {
    std::string referral, goal, purpose;
};
struct Forms {
    std::optional<d::SectionsForm> sections;
    std::vector<FieldError> sections_errors, goal_errors, progress_errors, status_errors, action_errors, action_progress_errors,
        service_errors, meeting_errors, agreement_errors;
    d::NewGoalForm goal;
    std::int64_t progress_goal = 0;
    d::GoalProgressForm progress;
    d::PlanTransitionForm status;
    d::NewActionForm action;
    std::int64_t progress_action = 0;
    d::ActionProgressForm action_progress;
    ServiceForm service;
    d::MeetingForm meeting;
    std::optional<d::AgreementForm> agreement;
    std::optional<d::ReviewForm> review;
    std::vector<FieldError> review_errors;
    std::string conflict_key;  // a refusal of the whole form (stale, a second plan, a closed plan)
};

std::vector<Option> goal_options(const Ctx& ctx, const store::PlanRecord& r) {
    std::vector<Option> out{{"", ctx.t("plan.no_goal")}};
    for (const auto& g : r.goals) out.push_back({std::to_string(g.id), goal_choice_label(ctx, g)});
    return out;
}

// The sections that say more than their heading.
std::string section_hint(d::Section s) {
    switch (s) {
        case d::Section::safety:
            return "plan.section.safety_hint";
        case d::Section::not_coordinated:
            return "plan.section.not_coordinated_hint";
        case d::Section::transition:
            return "plan.section.transition_hint";
        default:
            return "";
    }
}

json sections_form(Ctx& ctx, const store::PlanRecord& r, const d::SectionsForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/sections", "plan.sections_submit");
    f.id_prefix("sections-");
    // What each section held as shown (now): a section left as it was is not written over.
    for (auto s : d::all_sections()) {
        if (is_withheld(r.withheld_sections, s)) continue;
        const std::string name(d::code(s));
        f.field({.name = "seen_" + name, .type = "hidden"}, d::fingerprint(d::text_of(r.sections, s)));
    }
    for (auto s : d::all_sections()) {
        if (is_withheld(r.withheld_sections, s)) continue;
        const std::string name(d::code(s));
        f.field({.name = name, .label_key = "plan.section." + name, .type = "textarea", .hint_key = section_hint(s)},
                d::text_of(v.text, s));
    }
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea", .hint_key = "plan.reason_hint"}, v.reason);
    f.errors(errors);
    return f.build();
}

json goal_form(Ctx& ctx, const store::PlanRecord& r, const d::NewGoalForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/goals", "plan.goal_submit");
    f.id_prefix("goal-");
    f.field(
        {.name = "text", .label_key = "plan.goal.text", .type = "textarea", .required = true, .hint_key = "plan.goal.text_hint"},
        v.text);
    f.field({.name = "expressed_by",
             .label_key = "plan.goal.expressed_by",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, d::all_expressed_by(), "plan.expressed_by.")},
            v.expressed_by);
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea", .hint_key = "plan.reason_hint"}, v.reason);
    f.errors(errors);
    return f.build();
}

json progress_form(Ctx& ctx, const store::PlanRecord& r, const store::PlanGoalRow& g, const Forms& forms) {
    const bool posted = forms.progress_goal == g.id;
    FormBuilder f(ctx, plan_href(r.person_id) + "/goals/" + std::to_string(g.id), "plan.progress_submit");
    f.id_prefix("goal-" + std::to_string(g.id) + "-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(g.version));
    f.field({.name = "progress",
             .label_key = "plan.goal.progress",
             .type = "select",
             .required = true,
             .options = options_of(ctx, d::all_goal_progress(), "plan.progress.")},
            posted ? forms.progress.progress : g.progress);
    f.field({.name = "priority", .label_key = "plan.goal.priority", .required = true, .inputmode = "numeric"},
            posted ? forms.progress.priority : std::to_string(g.priority));
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea"}, posted ? forms.progress.reason : std::string());
    if (posted) f.errors(forms.progress_errors);
    return f.build();
}

json status_form(Ctx& ctx, const store::PlanRecord& r, d::PlanEvent e, const Forms& forms) {
    const std::string code(d::code(e));
    const bool posted = forms.status.event == code;
    FormBuilder f(ctx, plan_href(r.person_id) + "/status", "plan.event." + code);
    f.id_prefix("status-" + code + "-");
    f.field({.name = "event", .type = "hidden"}, code);
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea"}, posted ? forms.status.reason : std::string());
    if (posted) f.errors(forms.status_errors);
    return f.build();
}

json action_form(Ctx& ctx, const store::PlanRecord& r, const d::NewActionForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/actions", "plan.action_submit");
    f.id_prefix("action-");
    f.field({.name = "text", .label_key = "plan.action.text", .type = "textarea", .required = true}, v.text);
    f.field({.name = "goal", .label_key = "plan.action.goal", .type = "select", .options = goal_options(ctx, r)}, v.goal);
    std::vector<Option> owners{{"", ctx.t("plan.action.choose_owner")}};
    for (const auto& o : r.owners)
        owners.push_back({o.value, owner_label(ctx.lang, o.name, o.organisation_fr, o.organisation_en)});
    f.field({.name = "owner",
             .label_key = "plan.action.owner",
             .type = "select",
             .required = true,
             .hint_key = "plan.action.owner_hint",
             .options = owners},
            v.owner);
    f.field({.name = "due", .label_key = "plan.action.due", .type = "date", .hint_key = "plan.action.due_hint"}, v.due);
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea", .hint_key = "plan.reason_hint"}, v.reason);
    f.errors(errors);
    return f.build();
}

json action_progress_form(Ctx& ctx, const store::PlanRecord& r, const store::PlanActionRow& a, const Forms& forms) {
    const bool posted = forms.progress_action == a.id;
    FormBuilder f(ctx, plan_href(r.person_id) + "/actions/" + std::to_string(a.id), "plan.action_progress_submit");
    f.id_prefix("act-" + std::to_string(a.id) + "-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(a.version));
    std::vector<Option> events{{"", ctx.t("plan.action.no_event")}};
    for (const auto& e : a.events) events.push_back({e, ctx.t("plan.action_event." + e)});
    f.field({.name = "event", .label_key = "plan.action.event", .type = "select", .options = events},
            posted ? forms.action_progress.event : std::string());
    f.field({.name = "note", .label_key = "plan.action.note", .type = "textarea"},
            posted ? forms.action_progress.note : std::string());
    if (posted) f.errors(forms.action_progress_errors);
    return f.build();
}

json service_form(Ctx& ctx, const store::PlanRecord& r, const ServiceForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/services", "plan.service_submit");
    f.id_prefix("service-");
    std::vector<Option> referrals{{"", ctx.t("plan.service.choose_referral")}};
    for (const auto& c : r.referral_choices) {
        const auto service = pick(ctx, c.service_fr, c.service_en);
        referrals.push_back({std::to_string(c.referral_id),
                             ctx.t("plan.service.referral_choice",
                                   {c.reference, service.empty() ? "—" : service, pick(ctx, c.organisation_fr, c.organisation_en),
                                    ctx.t("referral.status." + c.status)})});
    }
    f.field({.name = "referral", .label_key = "plan.service.referral", .type = "select", .required = true, .options = referrals},
            v.referral);
    f.field({.name = "goal", .label_key = "plan.action.goal", .type = "select", .options = goal_options(ctx, r)}, v.goal);
    f.field({.name = "purpose", .label_key = "plan.service.purpose", .type = "textarea"}, v.purpose);
    f.errors(errors);
    return f.build();
}

json meeting_form(Ctx& ctx, const store::PlanRecord& r, const d::MeetingForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/meetings", "plan.meeting_submit");
    f.id_prefix("meeting-");
    f.field({.name = "held_on", .label_key = "plan.meeting.held_on", .type = "date", .required = true}, v.held_on);
    f.field({.name = "attendees", .label_key = "plan.meeting.attendees", .required = true}, v.attendees);
    f.field({.name = "notes", .label_key = "plan.meeting.notes", .type = "textarea"}, v.notes);
    f.field({.name = "decisions", .label_key = "plan.meeting.decisions", .type = "textarea"}, v.decisions);
    f.errors(errors);
    return f.build();
}

json agreement_form(Ctx& ctx, const store::PlanRecord& r, const std::optional<d::AgreementForm>& posted,
                    const std::vector<FieldError>& errors) {
    const d::AgreementForm v =
        posted ? *posted : d::AgreementForm{"", "", date_of(ctx.app.clock().now()).iso(), std::to_string(r.version), ""};
    FormBuilder f(ctx, plan_href(r.person_id) + "/agreements", "plan.agreement_submit");
    f.id_prefix("agreement-");
    f.field({.name = "version", .type = "hidden"}, v.version);
    std::vector<Option> family;
    for (const auto& [id, name] : r.family_choices) family.push_back({std::to_string(id), name});
    f.field({.name = "family_member",
             .label_key = "plan.agreement.family_member",
             .type = "radios",
             .required = true,
             .options = family},
            v.family_member);
    f.field({.name = "method",
             .label_key = "plan.agreement.method",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, d::all_agreement_methods(), "plan.agreement_method.")},
            v.method);
    f.field({.name = "agreed_on", .label_key = "plan.agreement.agreed_on", .type = "date", .required = true}, v.agreed_on);
    std::vector<Option> meetings{{"", ctx.t("plan.agreement.no_meeting")}};
    for (const auto& m : r.meetings) meetings.push_back({std::to_string(m.id), ctx.t("plan.agreement.meeting_of", {m.held_on})});
    f.field({.name = "meeting", .label_key = "plan.agreement.meeting", .type = "select", .options = meetings}, v.meeting);
    f.errors(errors);
    return f.build();
}

json review_form(Ctx& ctx, const store::PlanRecord& r, const std::optional<d::ReviewForm>& posted,
                 const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/reviews", "plan.review_submit");
    f.id_prefix("review-");
    f.field({.name = "held_on", .label_key = "plan.review.held_on", .type = "date", .required = true},
            posted ? posted->held_on : date_of(ctx.app.clock().now()).iso());
    for (const auto& g : r.goals) {
        const std::string id = std::to_string(g.id);
        const d::ReviewGoalForm* was = nullptr;
        if (posted)
            for (const auto& x : posted->goals)
                if (x.goal_id == g.id) was = &x;
        f.field({.name = "goal", .type = "hidden"}, id);
        f.field({.name = "progress_" + id,
                 .type = "select",
                 .required = true,
                 .options = options_of(ctx, d::all_goal_progress(), "plan.progress."),
                 .label = goal_choice_label(ctx, g)},
                was ? was->progress : g.progress);
        f.field({.name = "note_" + id, .label_key = "plan.review.goal_note", .type = "textarea"}, was ? was->note : "");
    }
    f.field({.name = "next_steps", .label_key = "plan.review.next_steps", .type = "textarea", .required = true},
            posted ? posted->next_steps : "");
    f.errors(errors);
    return f.build();
}

// The plan's work: actions with their history and forms, the team, the services with their
// referral's status now, meetings and the family's agreements.
void work_model(Ctx& ctx, const store::PlanRecord& r, const Forms& forms, json& model) {
    std::map<std::int64_t, std::string> goal_label;
    for (const auto& g : r.goals) goal_label[g.id] = goal_choice_label(ctx, g);
    json actions = json::array();
    for (const auto& a : r.actions) {
        json row = action_row(ctx, a);
        if (a.goal_id) row["goal"] = goal_label[a.goal_id];
        json history = json::array();
        for (const auto& e : a.history)
            history.push_back(
                present({{"at", display_minute(e.at)},
                         {"what", e.event == "note" ? ctx.t("plan.action.noted") : ctx.t("plan.action_event." + e.event)},
                         {"who", e.user_name},
                         {"note", e.note}}));
        row["history"] = history;
        row["has_history"] = !history.empty();
        if (a.mine) row["form"] = action_progress_form(ctx, r, a, forms);
        actions.push_back(row);
    }
    model["actions"] = actions;
    model["has_actions"] = !actions.empty();
    model["team"] = team_rows(ctx, r);
    json services = json::array();
    for (const auto& sv : r.services) {
        json row = service_row(ctx, sv);
        if (sv.goal_id) row["goal"] = goal_label[sv.goal_id];
        services.push_back(row);
    }
    model["services"] = services;
    model["has_services"] = !services.empty();
    model["meetings"] = meeting_rows(r);
    model["has_meetings"] = !r.meetings.empty();
    json agreements = json::array();
    for (const auto& a : r.agreements)
        agreements.push_back(
            present({{"line", ctx.t("plan.agreement.line", {std::to_string(a.version), a.family_name, a.agreed_on,
                                                            ctx.t("plan.agreement_method." + a.method), a.recorded_by})},
                     {"meeting", a.meeting_on}}));
    model["agreements"] = agreements;
    json reviews = json::array();
    for (const auto& v : r.reviews) {
        json goals = json::array();
        for (const auto& g : v.goals)
            goals.push_back(present({{"goal", g.goal}, {"progress", ctx.t("plan.progress." + g.progress)}, {"note", g.note}}));
        reviews.push_back(present({{"held_on", v.held_on}, {"next_steps", v.next_steps}, {"by", v.by}}));
        reviews.back()["goals"] = goals;
    }
    model["reviews"] = reviews;
    model["has_reviews"] = !reviews.empty();
    if (!r.next_review.empty()) {
        const auto due = parse_date(r.next_review);
        const bool overdue = due && days_between(date_of(ctx.app.clock().now()), *due) < 0;
        model["next_review"] = ctx.t(overdue ? "plan.review.overdue" : "plan.review.next", {r.next_review});
        model["review_overdue"] = overdue;
    }
    const auto st = d::parse_plan_status(r.status);
    if (r.may_update && r.keeper && !r.goals.empty() && (st == d::PlanStatus::active || st == d::PlanStatus::under_review))
        model["review_form"] = review_form(ctx, r, forms.review, forms.review_errors);
    bool agreed_now = false;
    model["agreement_state"] = agreement_state(ctx, r, agreed_now);
    model["agreement_current"] = agreed_now;
    model["signatures"] = signature_lines(ctx, r);
    if (r.may_update) {
        model["action_form"] = action_form(ctx, r, forms.action, forms.action_errors);
        if (!r.referral_choices.empty()) model["service_form"] = service_form(ctx, r, forms.service, forms.service_errors);
        model["meeting_form"] = meeting_form(ctx, r, forms.meeting, forms.meeting_errors);
        if (r.keeper && !r.family_choices.empty())
            model["agreement_form"] = agreement_form(ctx, r, forms.agreement, forms.agreement_errors);
    }
}

http::Response plan_page(Ctx& ctx, std::int64_t person_id, const Forms& forms, int status) {
    auto r = store::PlanRepo(*ctx.access).read(person_id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;  // the plan was shown: its read stays on record
    json model = {{"heading", ctx.t("plan.heading", {std::to_string(person_id)})}, {"back_href", file_href(person_id)}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    if (r->withheld) {
        model["withheld"] = ctx.t("people.withheld_notice", {ctx.t("privacy.category.plan")});
        return ctx.app.page(ctx, "plan.title", "plan_view", model, status);
    }
    if (!r->id) {
        model["none"] = true;
        if (r->may_create) {
            FormBuilder f(ctx, plan_href(person_id), "plan.create_submit");
            model["create_form"] = f.build();
        }
        return ctx.app.page(ctx, "plan.title", "plan_view", model, status);
    }
    const auto st = d::parse_plan_status(r->status).value_or(d::PlanStatus::draft);
    model["status_label"] = ctx.t("plan.status." + r->status);
    model["created_line"] = ctx.t("plan.created_line", {display_minute(r->created_at), r->created_by_name});
    if (!r->source_reference.empty()) model["started_from"] = ctx.t("plan.started_from", {r->source_reference});
    model["print_href"] = plan_href(person_id) + "/print";
    model["pdf_href"] = file_href(person_id) + "/plan.pdf";
    model["compare_href"] = plan_href(person_id) + "/versions";
    json sections = json::array();
    json withheld = json::array();
    for (auto sec : d::all_sections()) {
        const std::string name(d::code(sec));
        if (is_withheld(r->withheld_sections, sec))
            withheld.push_back({{"text", section_withheld(ctx.app.catalogue(), ctx.lang, sec)}});
        else if (const auto& text = d::text_of(r->sections, sec); !text.empty())
            sections.push_back({{"label", ctx.t("plan.section." + name)}, {"text", text}});
    }
    model["withheld_sections"] = withheld;
    if (r->transition && r->transition->planning)
        model["transition_flag"] =
            ctx.t(r->transition->age >= 18 ? "plan.transition.adult" : "plan.transition.planning",
                  {std::to_string(r->transition->age), r->transition->turns_18.iso(), r->transition->turns_21.iso()});
    model["sections"] = sections;
    model["has_sections"] = !sections.empty();
    json goals = json::array();
    for (const auto& g : r->goals) {
        json row = {
            {"text", g.text},
            {"line", ctx.t("plan.goal_line", {ctx.t("plan.expressed_by." + g.expressed_by), ctx.t("plan.progress." + g.progress),
                                              display_minute(g.updated_at), g.updated_by_name})}};
        row["family_notes"] = family_note_rows(ctx, *r, g.id);
        if (r->may_update) row["form"] = progress_form(ctx, *r, g, forms);
        goals.push_back(row);
    }
    model["goals"] = goals;
    model["has_goals"] = !goals.empty();
    model["plan_family_notes"] = family_note_rows(ctx, *r, 0);
    if (r->may_update) {
        model["sections_form"] = sections_form(ctx, *r, forms.sections ? *forms.sections : d::SectionsForm{r->sections, "", {}},
                                               forms.sections_errors);
        model["goal_form"] = goal_form(ctx, *r, forms.goal, forms.goal_errors);
    }
    if (r->keeper) {
        d::PlanFacts facts;
        facts.has_goals = !r->goals.empty();
        json moves = json::array();
        for (auto e : d::all_plan_events())
            if (d::plan_lifecycle().fire(st, e, r->relationship, facts).ok()) moves.push_back(status_form(ctx, *r, e, forms));
        model["status_forms"] = moves;
        model["has_status_forms"] = !moves.empty();
    }
    work_model(ctx, *r, forms, model);
    json versions = json::array();
    for (const auto& v : r->versions)
        versions.push_back({{"version", v.version},
                            {"at", display_minute(v.at)},
                            {"who", v.user_name},
                            {"change", ctx.t("plan.change." + v.change)},
                            {"reason", v.reason}});
    model["versions"] = versions;
    json events = json::array();
    for (const auto& e : r->events) {
        json event = {{"at", display_minute(e.at)}, {"status", ctx.t("plan.status." + e.status)}};
        if (!e.user_name.empty()) event["user"] = e.user_name;
        if (!e.note.empty()) event["note"] = e.note;
        events.push_back(event);
    }
    model["events"] = events;
    return ctx.app.page(ctx, "plan.title", "plan_view", model, status);
}

// A refusal of one of the plan's forms: field errors on the page (422), a conflict (stale form,
// a second plan, a closed plan, a move the table refuses) on the page with its message (409),
// anything else as a refusal.
http::Response refused_form(Ctx& ctx, std::int64_t id, const Error& e, Forms& forms, std::vector<FieldError>& errors) {
    return refused_on_page(ctx, e, errors, forms.conflict_key, [&](int status) { return plan_page(ctx, id, forms, status); });
}

http::Response view(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    return plan_page(ctx, *id, {}, 200);
}

http::Response create(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    auto done = store::PlanRepo(*ctx.access).create(*id);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.status_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.created");
}

http::Response save_sections(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    d::SectionsForm in;
    for (auto sec : d::all_sections()) {
        const std::string name(d::code(sec));
        d::text_of(in.text, sec) = ctx.form(name);
        d::text_of(in.seen, sec) = ctx.form("seen_" + name);
    }
    in.reason = ctx.form("reason");
    forms.sections = in;
    d::PlanSections s;
    std::string reason;
    forms.sections_errors = d::validate(in, s, reason);
    if (!forms.sections_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).save_sections(*id, s, in.seen, reason);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.sections_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.sections_saved");
}

http::Response add_goal(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.goal = {ctx.form("text"), ctx.form("expressed_by"), ctx.form("reason")};
    d::NewGoal g;
    forms.goal_errors = d::validate(forms.goal, g);
    if (!forms.goal_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).add_goal(*id, g);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.goal_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.goal_added");
}

http::Response update_goal(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto goal = d::parse_id(ctx.req.params["goal"]);
    if (!goal) return ctx.app.error_page(ctx, Error::not_found());
    Forms forms;
    forms.progress_goal = *goal;
    forms.progress = {ctx.form("progress"), ctx.form("priority"), ctx.form("reason")};
    d::GoalProgressChange c;
    forms.progress_errors = d::validate(forms.progress, c);
    if (!forms.progress_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).update_goal(*id, *goal, c, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.progress_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.goal_updated");
}

http::Response transition(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.status = {ctx.form("event"), ctx.form("reason")};
    d::PlanTransition t;
    forms.status_errors = d::validate(forms.status, t);
    if (!forms.status_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).transition(*id, t);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.status_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.status_changed");
}

http::Response add_action(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.action = {ctx.form("text"), ctx.form("goal"), ctx.form("owner"), ctx.form("due"), ctx.form("reason")};
    d::NewAction a;
    forms.action_errors = d::validate(forms.action, a);
    if (!forms.action_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).add_action(*id, a);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.action_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#actions-heading", "plan.action_added");
}

http::Response action_progress(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto action = d::parse_id(ctx.req.params["action"]);
    if (!action) return ctx.app.error_page(ctx, Error::not_found());
    Forms forms;
    forms.progress_action = *action;
    forms.action_progress = {ctx.form("event"), ctx.form("note")};
    d::ActionProgress p;
    forms.action_progress_errors = d::validate(forms.action_progress, p);
    if (!forms.action_progress_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).record_progress(*id, *action, p, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.action_progress_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#actions-heading", "plan.action_progress_saved");
}

http::Response add_service(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.service = {ctx.form("referral"), ctx.form("goal"), ctx.form("purpose")};
    std::vector<FieldError> errors;
    const auto referral = d::parse_id(trim(forms.service.referral));
    if (trim(forms.service.referral).empty())
        errors.push_back({"referral", "field.required", {}});
    else if (!referral)
        errors.push_back({"referral", "plan.error.no_such_referral", {}});
    std::optional<std::int64_t> goal;
    if (!trim(forms.service.goal).empty()) {
        goal = d::parse_id(trim(forms.service.goal));
        if (!goal) errors.push_back({"goal", "field.choose_from_list", {}});
    }
    std::string purpose;
    d::long_text(errors, "purpose", forms.service.purpose, d::max_action_length, false, purpose);
    forms.service_errors = errors;
    if (!errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).add_service(*id, *referral, goal, purpose);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.service_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#services-heading", "plan.service_added");
}

http::Response add_meeting(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.meeting = {ctx.form("held_on"), ctx.form("attendees"), ctx.form("notes"), ctx.form("decisions")};
    d::Meeting m;
    forms.meeting_errors = d::validate(forms.meeting, date_of(ctx.app.clock().now()), m);
    if (!forms.meeting_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).add_meeting(*id, m);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.meeting_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#meetings-heading", "plan.meeting_added");
}

http::Response record_agreement(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    forms.agreement = d::AgreementForm{ctx.form("family_member"), ctx.form("method"), ctx.form("agreed_on"), ctx.form("version"),
                                       ctx.form("meeting")};
    d::Agreement a;
    forms.agreement_errors = d::validate(*forms.agreement, date_of(ctx.app.clock().now()), a);
    if (!forms.agreement_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).record_agreement(*id, a);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.agreement_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#agreement-heading", "plan.agreement_recorded");
}

http::Response record_review(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    Forms forms;
    d::ReviewForm in{ctx.form("held_on"), ctx.form("next_steps"), {}};
    for (const auto& raw : ctx.form_all("goal")) {
        auto goal = d::parse_id(raw);
        if (!goal) continue;  // not one the form listed: the store finds the plan's goals missing
        const std::string g = std::to_string(*goal);
        in.goals.push_back({*goal, ctx.form("progress_" + g), ctx.form("note_" + g)});
    }
    forms.review = in;
    d::Review review;
    forms.review_errors = d::validate(in, date_of(ctx.app.clock().now()), review);
    if (!forms.review_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).record_review(*id, review);
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.review_errors);
    return ctx.app.see_other(ctx, plan_href(*id) + "#reviews-heading", "plan.review_recorded");
}

}  // namespace

void register_plan_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/children/{id}/plan", {"plan/view", S, R, view});
    app.route("POST", "/children/{id}/plan", {"plan/create", S, W, create});
    app.route("POST", "/children/{id}/plan/sections", {"plan/sections", S, W, save_sections});
    app.route("POST", "/children/{id}/plan/goals", {"plan/goal_add", S, W, add_goal});
    app.route("POST", "/children/{id}/plan/goals/{goal}", {"plan/goal_update", S, W, update_goal});
    app.route("POST", "/children/{id}/plan/status", {"plan/status", S, W, transition});
    app.route("POST", "/children/{id}/plan/actions", {"plan/action_add", S, W, add_action});
    app.route("POST", "/children/{id}/plan/actions/{action}", {"plan/action_progress", S, W, action_progress});
    app.route("POST", "/children/{id}/plan/services", {"plan/service_add", S, W, add_service});
    app.route("POST", "/children/{id}/plan/meetings", {"plan/meeting_add", S, W, add_meeting});
    app.route("POST", "/children/{id}/plan/agreements", {"plan/agreement", S, W, record_agreement});
    app.route("POST", "/children/{id}/plan/reviews", {"plan/review", S, W, record_review});
}

}  // namespace arrimage::web
