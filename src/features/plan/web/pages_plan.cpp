// The coordinated service plan of a child's file (features/plan/store/plan_repo.hpp,
// docs/PLAN.md): /children/{id}/plan shows the plan and, to those the family's consent lets
// write it, its forms: the sections, the family's goals in their own words with their progress
// and order, and (for its keeper, the assigned coordinator) starting it and moving its status.
// Every saved change is a version. The page reads in a read transaction (the guard's rows go
// through the group commit); forms post to write transactions. The page does not name the
// child: the file's number, as the file's referrals page does.
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/plan/web/plan_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using people_pages::acting_grant;
using people_pages::file_href;
using people_pages::refused;

std::string plan_href(std::int64_t person_id) {
    return file_href(person_id) + "/plan";
}

// The forms of the page as posted (re-shown with their errors).
struct Forms {
    std::optional<d::SectionsForm> sections;
    std::vector<FieldError> sections_errors, goal_errors, progress_errors, status_errors;
    d::NewGoalForm goal;
    std::int64_t progress_goal = 0;
    d::GoalProgressForm progress;
    d::PlanTransitionForm status;
    std::string conflict_key;  // a refusal of the whole form (stale, a second plan, a closed plan)
};

json sections_form(Ctx& ctx, const store::PlanRecord& r, const d::SectionsForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/sections", "plan.sections_submit");
    f.id_prefix("sections-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    const auto area = [&](const char* name, const std::string& value) {
        f.field({.name = name, .label_key = std::string("plan.section.") + name, .type = "textarea"}, value);
    };
    area("about", v.text.about);
    area("strengths", v.text.strengths);
    area("needs_home", v.text.needs_home);
    area("needs_school", v.text.needs_school);
    area("needs_community", v.text.needs_community);
    area("needs_health", v.text.needs_health);
    area("hopes", v.text.hopes);
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea", .hint_key = "plan.reason_hint"}, v.reason);
    f.errors(errors);
    return f.build();
}

json goal_form(Ctx& ctx, const store::PlanRecord& r, const d::NewGoalForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, plan_href(r.person_id) + "/goals", "plan.goal_submit");
    f.id_prefix("goal-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
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
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
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
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.field({.name = "event", .type = "hidden"}, code);
    f.field({.name = "reason", .label_key = "plan.reason", .type = "textarea"}, posted ? forms.status.reason : std::string());
    if (posted) f.errors(forms.status_errors);
    return f.build();
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
    json sections = json::array();
    const auto add = [&](const char* name, const std::string& text) {
        if (!text.empty()) sections.push_back({{"label", ctx.t(std::string("plan.section.") + name)}, {"text", text}});
    };
    const auto& s = r->sections;
    add("about", s.about);
    add("strengths", s.strengths);
    add("needs_home", s.needs_home);
    add("needs_school", s.needs_school);
    add("needs_community", s.needs_community);
    add("needs_health", s.needs_health);
    add("hopes", s.hopes);
    model["sections"] = sections;
    model["has_sections"] = !sections.empty();
    json goals = json::array();
    for (const auto& g : r->goals) {
        json row = {
            {"text", g.text},
            {"line", ctx.t("plan.goal_line", {ctx.t("plan.expressed_by." + g.expressed_by), ctx.t("plan.progress." + g.progress),
                                              display_minute(g.updated_at), g.updated_by_name})}};
        if (r->may_update) row["form"] = progress_form(ctx, *r, g, forms);
        goals.push_back(row);
    }
    model["goals"] = goals;
    model["has_goals"] = !goals.empty();
    if (r->may_update) {
        model["sections_form"] =
            sections_form(ctx, *r, forms.sections ? *forms.sections : d::SectionsForm{r->sections, ""}, forms.sections_errors);
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

std::optional<std::int64_t> file_id(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!id || !ctx.signed_in() || !acting_grant(ctx)) return std::nullopt;
    return id;
}

http::Response not_allowed(Ctx& ctx) {
    return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, d::parse_id(ctx.req.params["id"]));
}

// A refusal of one of the plan's forms: field errors on the page (422), a conflict (stale form,
// a second plan, a closed plan, a move the table refuses) on the page with its message (409),
// anything else as a refusal.
http::Response refused_form(Ctx& ctx, std::int64_t id, const Error& e, Forms& forms, std::vector<FieldError>& errors) {
    if (e.code == Errc::Invalid) {
        errors = e.fields;
        return plan_page(ctx, id, forms, 422);
    }
    if (e.code == Errc::Conflict) {
        forms.conflict_key = e.message_key;
        return plan_page(ctx, id, forms, 409);
    }
    return refused(ctx, e);
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
    d::SectionsForm in{{ctx.form("about"), ctx.form("strengths"), ctx.form("needs_home"), ctx.form("needs_school"),
                        ctx.form("needs_community"), ctx.form("needs_health"), ctx.form("hopes")},
                       ctx.form("reason")};
    forms.sections = in;
    d::PlanSections s;
    std::string reason;
    forms.sections_errors = d::validate(in, s, reason);
    if (!forms.sections_errors.empty()) return plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).save_sections(*id, s, reason, form_version(ctx));
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
    auto done = store::PlanRepo(*ctx.access).add_goal(*id, g, form_version(ctx));
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
    auto done = store::PlanRepo(*ctx.access).transition(*id, t, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.status_errors);
    return ctx.app.see_other(ctx, plan_href(*id), "plan.status_changed");
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
}

}  // namespace arrimage::web
