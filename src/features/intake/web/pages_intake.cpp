// Intake and eligibility (features/intake/store/intake_repo.hpp): the coordinating agency's
// intake queue; one intake, where intake staff record the family's story once, see the area's
// rules applied to it and record the decision with its reason (an ineligible family's referral
// is declined with that reason and sent on along another pathway, a warm referral, in the same
// transaction); and the area's rules, which its administrator sets. Pages that show an intake
// read in a read transaction (the guard's rows go through the group commit); pages that change
// one are write transactions. Nothing here logs what an intake says.
#include <algorithm>
#include <cstring>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/directory.hpp"
#include "features/intake/domain/intake.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/intake/web/intake_pages.hpp"
#include "features/intake/web/letter.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "features/referral/domain/referral.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "features/referral/web/referral_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using people_pages::acting_grant;
using people_pages::pick;
using people_pages::refused;

constexpr int page_size = 50;

std::optional<d::Grant> grant_of(const Ctx& ctx) {
    return ctx.signed_in() ? acting_grant(ctx) : std::nullopt;
}

store::IntakeRepo intakes(Ctx& ctx) {
    return store::IntakeRepo(*ctx.access);
}

std::string label(const Ctx& ctx, const std::string& prefix, std::string_view code) {
    return ctx.t(prefix + std::string(code));
}

std::string intake_href(std::int64_t id) {
    return "/intake/" + std::to_string(id);
}

std::optional<std::int64_t> id_of(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

// Whole days from a stored timestamp (its date) to `today`; nullopt when it holds no date.
std::optional<int> days_since(const std::string& iso, const Date& today) {
    const auto since = parse_date(iso.substr(0, std::min<std::size_t>(10, iso.size())));
    if (!since) return std::nullopt;
    return days_between(*since, today);
}

// ---------------------------------------------------------------- the queue

http::Response queue(Ctx& ctx) {
    if (!grant_of(ctx)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    const std::string status_in = trim(ctx.req.query_param("status"));
    std::optional<d::IntakeStatus> status;
    if (!status_in.empty()) {
        status = d::parse_intake_status(status_in);
        if (!status) return ctx.app.error_page(ctx, Error::invalid_field("status", "intake.error.status_filter"));
    }
    int page = 1;
    if (auto p = d::parse_id(ctx.req.query_param("page")); p && *p < 10000) page = static_cast<int>(*p);
    auto rows = intakes(ctx).queue(status, page_size + 1, (page - 1) * page_size);
    if (!rows) return refused(ctx, rows.error());
    const bool more = rows->size() > static_cast<std::size_t>(page_size);
    if (more) rows->pop_back();
    const Date today = date_of(ctx.app.clock().now());
    const bool waitlist = status == d::IntakeStatus::waitlisted;
    json list = json::array();
    int position = (page - 1) * page_size;
    for (const auto& r : *rows) {
        std::string age;
        if (auto dob = parse_date(r.date_of_birth)) age = std::to_string(d::age_in_years(*dob, today));
        json cells = json::array({{{"text", r.family_name + ", " + r.given_name}, {"href", intake_href(r.id)}},
                                  {{"text", r.reference}},
                                  {{"text", age}}});
        if (waitlist) {
            // The waitlist: each family's place and how long it has waited.
            const auto waited = days_since(r.waitlisted_at, today);
            cells.insert(cells.begin(), {{"text", std::to_string(++position)}});
            cells.push_back({{"text", display_minute(r.waitlisted_at)}});
            cells.push_back({{"text", waited ? std::to_string(*waited) : std::string()}});
        } else {
            cells.push_back({{"text", display_minute(r.opened_at)}});
            cells.push_back(
                {{"text", label(ctx, "intake.status.", r.status) + (r.assigned_name.empty() ? "" : " — " + r.assigned_name)}});
        }
        list.push_back({{"cells", cells}});
    }
    json statuses = json::array();
    for (auto s : d::all_intake_statuses())
        statuses.push_back(
            {{"value", std::string(d::code(s))}, {"label", label(ctx, "intake.status.", d::code(s))}, {"selected", status == s}});
    json model = {
        {"rows", list},
        {"has_rows", !list.empty()},
        {"statuses", statuses},
        {"may_set_rules", grant_of(ctx)->role == d::Role::ca_admin},
        {"waitlist", waitlist},
        {"columns",
         waitlist ? json::array({ctx.t("intake.col.position"), ctx.t("intake.col.child"), ctx.t("intake.col.referral"),
                                 ctx.t("intake.col.age"), ctx.t("intake.col.waiting_since"), ctx.t("intake.col.days_waiting")})
                  : json::array({ctx.t("intake.col.child"), ctx.t("intake.col.referral"), ctx.t("intake.col.age"),
                                 ctx.t("intake.col.opened"), ctx.t("intake.col.status")})}};
    if (more) model["next_href"] = "/intake?status=" + percent_encode(status_in) + "&page=" + std::to_string(page + 1);
    return ctx.app.page(ctx, "intake.queue_title", "intake_list", model);
}

// From an accepted referral: opens its intake (or finds the one open) and goes there.
http::Response open(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    auto opened = intakes(ctx).open(*id);
    if (!opened) return refused(ctx, opened.error());
    return ctx.app.see_other(ctx, intake_href(*opened), "intake.opened");
}

// ---------------------------------------------------------------- one intake

struct Forms {
    std::optional<d::StoryForm> story;  // as sent back, when refused
    std::vector<FieldError> story_errors, decision_errors, reopen_errors, waitlist_errors, assign_errors, close_errors,
        contact_errors;
    d::IntakeDecisionForm decision;
    d::DeclineForm decline;
    std::string reopen_note, waitlist_note;
    d::AssignmentForm assignment;
    d::ClosureForm closure;
};

d::StoryForm story_form_of(const d::Story& s) {
    d::StoryForm f{s.story, s.strengths, s.needs_home, s.needs_school, s.needs_community, s.needs_health, s.involved, s.hopes};
    f.in_school = s.in_school ? (*s.in_school ? "yes" : "no") : "";
    for (auto sec : s.sectors) f.sectors.emplace_back(d::code(sec));
    for (const auto& [id, met] : s.answers) f.answers[std::to_string(id)] = met ? "yes" : "no";
    return f;
}

std::vector<Option> yes_no(const Ctx& ctx) {
    return {{"yes", ctx.t("common.yes")}, {"no", ctx.t("common.no")}};
}

json story_form(Ctx& ctx, const store::IntakeRecord& r, const d::StoryForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, intake_href(r.id) + "/story", "intake.story_submit");
    f.id_prefix("story-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    const auto area = [&](const char* name, const char* label_key, const char* hint_key, const std::string& value,
                          bool required) {
        f.field({.name = name, .label_key = label_key, .type = "textarea", .required = required, .hint_key = hint_key}, value);
    };
    area("story", "intake.story", "intake.story_hint", v.story, true);
    area("strengths", "intake.strengths", "intake.strengths_hint", v.strengths, false);
    area("needs_home", "intake.needs_home", "", v.needs_home, false);
    area("needs_school", "intake.needs_school", "", v.needs_school, false);
    area("needs_community", "intake.needs_community", "", v.needs_community, false);
    area("needs_health", "intake.needs_health", "", v.needs_health, false);
    area("involved", "intake.involved", "intake.involved_hint", v.involved, false);
    area("hopes", "intake.hopes", "intake.hopes_hint", v.hopes, false);
    f.field({.name = "in_school", .label_key = "intake.in_school", .type = "radios", .options = yes_no(ctx)}, v.in_school);
    f.multi({.name = "sectors",
             .label_key = "intake.sectors",
             .type = "checkboxes",
             .hint_key = "intake.sectors_hint",
             .options = sector_options(ctx)},
            v.sectors);
    for (const auto& c : r.rules.criteria) {
        const std::string key = std::to_string(c.id);
        const auto it = v.answers.find(key);
        f.field({.name = "criterion_" + key, .type = "radios", .options = yes_no(ctx), .label = pick(ctx, c.text_fr, c.text_en)},
                it == v.answers.end() ? std::string() : it->second);
    }
    f.errors(errors);
    return f.build();
}

json decision_form(Ctx& ctx, const store::IntakeRecord& r, const Forms& forms) {
    FormBuilder f(ctx, intake_href(r.id) + "/decision", "intake.decision_submit");
    f.id_prefix("decision-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.field({.name = "decision",
             .label_key = "intake.decision",
             .type = "radios",
             .required = true,
             .options = {{"eligible", ctx.t("intake.decision.eligible")}, {"ineligible", ctx.t("intake.decision.ineligible")}}},
            forms.decision.decision);
    f.field(
        {.name = "reason", .label_key = "intake.reason", .type = "textarea", .required = true, .hint_key = "intake.reason_hint"},
        forms.decision.reason);
    // For an ineligible family: the referral's decline and the warm referral.
    std::vector<Option> reasons;
    for (auto dr : d::all_decline_reasons())
        reasons.push_back({std::string(d::code(dr)), label(ctx, "referral.decline_reason.", d::code(dr))});
    f.field({.name = "decline_reason",
             .label_key = "intake.decline_reason",
             .type = "select",
             .hint_key = "intake.decline_reason_hint",
             .options = reasons},
            forms.decline.reason);
    std::vector<Option> pathways;
    auto referrals = store::ReferralRepo(*ctx.access);
    for (const auto& p : referrals.warm_choices(r.sda_id))
        pathways.push_back({std::to_string(p.id), referral_pages::pathway_label(ctx, p)});
    f.field({.name = "warm_pathway_id",
             .label_key = "referral.warm_pathway",
             .type = "select",
             .hint_key = "referral.warm_pathway_hint",
             .options = pathways},
            forms.decline.warm_pathway_id);
    f.field({.name = "warm_consent", .label_key = "referral.warm_consent", .type = "checkbox"}, forms.decline.warm_consent);
    f.errors(forms.decision_errors);
    return f.build();
}

json reopen_form(Ctx& ctx, const store::IntakeRecord& r, const Forms& forms) {
    FormBuilder f(ctx, intake_href(r.id) + "/reopen", "intake.reopen_submit");
    f.id_prefix("reopen-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.field({.name = "note", .label_key = "intake.reopen_note", .type = "textarea"}, forms.reopen_note);
    f.errors(forms.reopen_errors);
    return f.build();
}

json waitlist_form(Ctx& ctx, const store::IntakeRecord& r, const Forms& forms) {
    FormBuilder f(ctx, intake_href(r.id) + "/waitlist", "intake.waitlist_submit");
    f.id_prefix("waitlist-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.field({.name = "note", .label_key = "intake.waitlist_note", .type = "textarea"}, forms.waitlist_note);
    f.errors(forms.waitlist_errors);
    return f.build();
}

std::string languages_text(const Ctx& ctx, const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + ctx.t("service.language." + c);
    return out.empty() ? ctx.t("intake.coordinator.languages_unknown") : out;
}

// A coordinator as the assignment form offers them: name, organisation and area, languages,
// French Language Services designation, caseload against the limit.
std::string coordinator_label(const Ctx& ctx, const store::CoordinatorChoice& c) {
    return ctx.t("intake.coordinator.choice", {c.display_name, pick(ctx, c.org_name_fr, c.org_name_en),
                                               pick(ctx, c.sda_name_fr, c.sda_name_en), languages_text(ctx, c.languages),
                                               ctx.t(c.fls_designated ? "intake.coordinator.fls" : "intake.coordinator.not_fls"),
                                               std::to_string(c.caseload), std::to_string(c.limit)}) +
           (c.at_limit() ? " " + ctx.t("intake.coordinator.at_limit") : std::string());
}

json assign_form(Ctx& ctx, const store::IntakeRecord& r, const std::vector<store::CoordinatorChoice>& choices, const Forms& forms,
                 bool reassigning) {
    FormBuilder f(ctx, intake_href(r.id) + "/assign", reassigning ? "intake.reassign_submit" : "intake.assign_submit");
    f.id_prefix("assign-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    std::vector<Option> options;
    for (const auto& c : choices)
        options.push_back({std::to_string(c.user_id) + ":" + std::to_string(c.organisation_id), coordinator_label(ctx, c)});
    f.field({.name = "coordinator",
             .label_key = "intake.coordinator",
             .type = "radios",
             .required = true,
             .hint_key = "intake.coordinator_hint",
             .options = options},
            forms.assignment.coordinator);
    f.field({.name = "reason",
             .label_key = reassigning ? "intake.reassign_reason" : "intake.assign_reason",
             .type = "textarea",
             .required = reassigning},
            forms.assignment.reason);
    f.field({.name = "over_limit_reason",
             .label_key = "intake.over_limit_reason",
             .type = "textarea",
             .hint_key = "intake.over_limit_reason_hint"},
            forms.assignment.over_limit_reason);
    f.errors(forms.assign_errors);
    return f.build();
}

json close_form(Ctx& ctx, const store::IntakeRecord& r, const Forms& forms) {
    FormBuilder f(ctx, intake_href(r.id) + "/close", "intake.close_submit");
    f.id_prefix("close-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    std::vector<Option> reasons;
    for (auto c : d::all_close_reasons())
        reasons.push_back({std::string(d::code(c)), label(ctx, "intake.close_reason.", d::code(c))});
    f.field({.name = "reason", .label_key = "intake.close_reason", .type = "radios", .required = true, .options = reasons},
            forms.closure.reason);
    f.field({.name = "note", .label_key = "intake.close_note", .type = "textarea", .hint_key = "intake.close_note_hint"},
            forms.closure.note);
    f.errors(forms.close_errors);
    return f.build();
}

json contact_form(Ctx& ctx, const store::IntakeRecord& r, const Forms& forms) {
    FormBuilder f(ctx, intake_href(r.id) + "/first-contact", "intake.first_contact_submit");
    f.id_prefix("contact-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.errors(forms.contact_errors);
    return f.build();
}

// What is due on a file, as rows: the target, its date, its state.
json due_rows(const Ctx& ctx, const std::vector<d::DueItem>& items) {
    json rows = json::array();
    for (const auto& i : items)
        rows.push_back(
            {{"item", ctx.t("intake.due." + i.key)},
             {"due", i.due.iso()},
             {"state", ctx.t("intake.due_state." + std::string(d::code(i.state)), {i.done ? i.done->iso() : std::string()})},
             {"overdue", i.state == d::DueState::overdue}});
    return rows;
}

std::string met_label(const Ctx& ctx, const std::optional<bool>& met) {
    return ctx.t(!met ? "intake.rule.unknown" : *met ? "intake.rule.met" : "intake.rule.not_met");
}

// `status` 4xx: a form on the page was refused before anything was written; the page still
// shows the intake, so its read's audit row is kept (committed).
http::Response detail_page(Ctx& ctx, std::int64_t id, const Forms& forms, int status) {
    auto r = intakes(ctx).read(id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;
    const auto st = d::parse_intake_status(r->status).value_or(d::IntakeStatus::ineligible);
    const Date today = date_of(ctx.app.clock().now());
    const auto dob = parse_date(r->date_of_birth);

    json rules = json::array();
    bool all_met = false;
    if (dob) {
        const auto a = d::assess(r->rules, *dob, r->story, today);
        all_met = a.all_met();
        for (const auto& o : a.rules)
            rules.push_back({{"rule", o.key == "intake.rule.criterion" ? pick(ctx, o.text_fr, o.text_en) : ctx.t(o.key, o.args)},
                             {"outcome", met_label(ctx, o.met)},
                             {"met", o.met.value_or(false)}});
    }
    json sectors = json::array();
    for (auto s : r->story.sectors) sectors.push_back(ctx.t("sector." + std::string(d::code(s))));
    json events = json::array();
    for (const auto& e : r->events) {
        json event = {{"at", display_minute(e.at)}, {"status", label(ctx, "intake.status.", e.status)}};
        if (!e.user_name.empty()) event["user"] = e.user_name;
        // The story brought from the child's earlier intake (its note: that referral's reference).
        if (e.event == "story_carried")
            event["note"] = ctx.t("intake.story_carried", {e.note});
        else if (!e.note.empty())
            event["note"] = e.note;
        events.push_back(event);
    }
    json model = {
        {"heading", ctx.t("intake.detail_title", {r->family_name + ", " + r->given_name})},
        {"status_label", label(ctx, "intake.status.", r->status)},
        {"opened_line", ctx.t("intake.opened_line", {display_minute(r->opened_at), r->reference})},
        {"referral_href", "/referrals/" + std::to_string(r->referral_id)},
        {"given_name", r->given_name},
        {"family_name", r->family_name},
        {"date_of_birth", r->date_of_birth},
        {"age", dob ? std::to_string(d::age_in_years(*dob, today)) : std::string()},
        {"official_language", ctx.t("people.official_language." + r->official_language)},
        {"contact_name", r->contact_name},
        {"contact_relationship", label(ctx, "people.relationship.", r->contact_relationship)},
        {"referral_needs", r->referral_needs},
        {"rules", rules},
        {"rules_met", all_met},
        {"events", events},
    };
    if (!r->contact_phone.empty()) model["contact_phone"] = r->contact_phone;
    if (!r->contact_email.empty()) model["contact_email"] = r->contact_email;
    if (r->person_id) model["file_href"] = people_pages::file_href(*r->person_id);
    if (!r->decided_at.empty())
        model["decision_line"] = ctx.t(
            "intake.decision_line", {label(ctx, "intake.status.", r->status), display_minute(r->decided_at), r->decided_by_name});
    if (!r->decision_reason.empty()) model["decision_reason"] = r->decision_reason;
    if (st == d::IntakeStatus::ineligible) model["letter_href"] = intake_href(id) + "/letter";
    const bool editing = st == d::IntakeStatus::in_intake && r->may_update;
    if (editing) {
        model["story_form"] = story_form(ctx, *r, forms.story ? *forms.story : story_form_of(r->story), forms.story_errors);
    } else {
        json story = json::array();
        const auto add = [&](const char* key, const std::string& text) {
            if (!text.empty()) story.push_back({{"label", ctx.t(key)}, {"text", text}});
        };
        add("intake.story", r->story.story);
        add("intake.strengths", r->story.strengths);
        add("intake.needs_home", r->story.needs_home);
        add("intake.needs_school", r->story.needs_school);
        add("intake.needs_community", r->story.needs_community);
        add("intake.needs_health", r->story.needs_health);
        add("intake.involved", r->story.involved);
        add("intake.hopes", r->story.hopes);
        model["story"] = story;
        model["has_story"] = !story.empty();
        model["sectors"] = sectors;
    }
    if (r->story_recorded_at.empty()) model["story_missing"] = true;
    if (st == d::IntakeStatus::waitlisted) {
        const auto waited = days_since(r->waitlisted_at, today);
        model["waitlist_line"] =
            ctx.t("intake.waitlist_line",
                  {std::to_string(r->waitlist_position), display_minute(r->waitlisted_at), std::to_string(waited.value_or(0))});
    }
    if (!r->assigned_name.empty())
        model["assigned_line"] =
            ctx.t("intake.assigned_line",
                  {r->assigned_name, pick(ctx, r->assigned_org_fr, r->assigned_org_en), display_minute(r->assigned_at)});
    if (!r->first_contact_at.empty())
        model["first_contact_line"] = ctx.t("intake.first_contact_line", {display_minute(r->first_contact_at)});
    if (st == d::IntakeStatus::closed)
        model["closed_line"] =
            ctx.t("intake.closed_line",
                  {display_minute(r->closed_at), label(ctx, "intake.close_reason.", r->close_reason), r->retention_until});
    if (!r->due.empty()) model["due"] = due_rows(ctx, r->due), model["has_due"] = true;
    json assignments = json::array();
    for (const auto& a : r->assignments)
        assignments.push_back({{"coordinator", a.user_name + " — " + pick(ctx, a.org_name_fr, a.org_name_en)},
                               {"from", display_minute(a.from_at)},
                               {"until", a.until_at.empty() ? ctx.t("intake.assignment.current") : display_minute(a.until_at)},
                               {"by", a.assigned_by_name},
                               {"reason", a.reason + (a.over_limit_reason.empty()
                                                          ? ""
                                                          : (a.reason.empty() ? "" : " — ") +
                                                                ctx.t("intake.assignment.over_limit", {a.over_limit_reason}))}});
    model["assignments"] = assignments;
    model["has_assignments"] = !assignments.empty();
    if (r->may_update) {
        d::IntakeFacts facts{true, true, r->person_id.has_value()};
        for (auto e : d::intake_lifecycle().available(st, r->relationship, facts)) {
            if (e == d::IntakeEvent::decide_eligible) model["decision_form"] = decision_form(ctx, *r, forms);
            if (e == d::IntakeEvent::reopen) model["reopen_form"] = reopen_form(ctx, *r, forms);
            if (e == d::IntakeEvent::waitlist) model["waitlist_form"] = waitlist_form(ctx, *r, forms);
            if (e == d::IntakeEvent::assign || e == d::IntakeEvent::reassign) {
                model["assign_form"] = assign_form(ctx, *r, intakes(ctx).coordinators(id), forms, e == d::IntakeEvent::reassign);
                model["reassigning"] = e == d::IntakeEvent::reassign;
            }
            if (e == d::IntakeEvent::close) model["close_form"] = close_form(ctx, *r, forms);
        }
        // Assignment needs the child's file: say so where the form would be.
        if ((st == d::IntakeStatus::eligible || st == d::IntakeStatus::waitlisted) && !r->person_id &&
            r->relationship == d::Relationship::coordinating_agency) {
            model["needs_file"] = true;
            model["register_href"] = "/children/new?referral=" + std::to_string(r->referral_id);
        }
        if (st == d::IntakeStatus::assigned && r->first_contact_at.empty()) model["contact_form"] = contact_form(ctx, *r, forms);
    }
    return ctx.app.page(ctx, "intake.title", "intake_detail", model, status);
}

http::Response detail(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    return detail_page(ctx, *id, {}, 200);
}

// A refusal of one of the intake's forms: field errors on the page (422), a stale form or a
// decision the table refuses on the page with its message (409), anything else as a refusal.
http::Response refused_form(Ctx& ctx, std::int64_t id, const Error& e, Forms& forms, std::vector<FieldError>& errors) {
    if (e.code == Errc::Invalid) {
        errors = e.fields;
        return detail_page(ctx, id, forms, 422);
    }
    if (e.code == Errc::Conflict) {
        errors = {{"", e.message_key, {}}};
        return detail_page(ctx, id, forms, 409);
    }
    return refused(ctx, e);
}

// The intake a form is posted to, when the user works under a membership; otherwise the
// refusal, on record.
std::optional<std::int64_t> posted_id(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx)) return std::nullopt;
    return id;
}

http::Response not_posted(Ctx& ctx) {
    return ctx.app.refused_audited(ctx, id_of(ctx) ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
}

http::Response save_story(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    d::StoryForm in{ctx.form("story"),           ctx.form("strengths"),    ctx.form("needs_home"), ctx.form("needs_school"),
                    ctx.form("needs_community"), ctx.form("needs_health"), ctx.form("involved"),   ctx.form("hopes")};
    in.in_school = ctx.form("in_school");
    in.sectors = ctx.form_all("sectors");
    for (const auto& [name, value] : ctx.fields)
        if (name.rfind("criterion_", 0) == 0) in.answers[name.substr(10)] = value;
    forms.story = in;
    auto repo = intakes(ctx);
    d::Story story;
    forms.story_errors = d::validate(in, repo.criteria_for(*id), story);
    if (!forms.story_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto saved = repo.save_story(*id, story, form_version(ctx));
    if (!saved) return refused_form(ctx, *id, saved.error(), forms, forms.story_errors);
    return ctx.app.see_other(ctx, intake_href(*id), "intake.story_saved");
}

http::Response decide(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    forms.decision = {ctx.form("decision"), ctx.form("reason")};
    forms.decline = {ctx.form("decline_reason"), ctx.form("reason"), ctx.form("warm_pathway_id"), ctx.form("warm_consent")};
    d::IntakeDecision dec;
    forms.decision_errors = d::validate(forms.decision, dec);
    d::Decline decline;
    if (forms.decision_errors.empty() && !dec.eligible) {
        // The referral's own rules for a decline, with the fields named as on this form.
        for (auto& e : d::validate(forms.decline, decline)) {
            if (e.field == "reason") e.field = "decline_reason";
            if (e.field == "note") e.field = "reason";
            forms.decision_errors.push_back(std::move(e));
        }
    }
    auto repo = intakes(ctx);
    auto referrals = store::ReferralRepo(*ctx.access);
    const auto keys = repo.keys_of(*id);
    // The warm pathway checked before anything is written: it must be one the referral may be
    // sent on along (the decline's own check, which then cannot refuse it).
    if (forms.decision_errors.empty() && !dec.eligible && keys && decline.warm_pathway_id) {
        const auto choices = referrals.warm_choices(keys->sda_id);
        if (std::none_of(choices.begin(), choices.end(), [&](const auto& p) { return p.id == *decline.warm_pathway_id; }))
            forms.decision_errors.push_back({"warm_pathway_id", "referral.error.unknown_pathway", {}});
    }
    if (!forms.decision_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto decided = repo.decide(*id, dec, form_version(ctx));
    if (!decided) return refused_form(ctx, *id, decided.error(), forms, forms.decision_errors);
    if (dec.eligible) return ctx.app.see_other(ctx, intake_href(*id), "intake.decided_eligible");
    // Ineligible: the referral is declined with the reason and sent on (a warm referral), in
    // this transaction. Should the decline refuse, the error page rolls the whole transaction
    // back, the decision with it (never a decision without its decline).
    if (!keys) return ctx.app.error_page(ctx, Error::not_found());
    auto sent_on =
        referrals.decline(keys->referral_id, decline, referral_pages::referrer_of(ctx), referral_pages::random_bits(ctx));
    if (!sent_on) return ctx.app.error_page(ctx, sent_on.error());
    referral_pages::notify_declined(ctx, referrals, keys->referral_id, *sent_on);
    // The letter, by email when the family gave an address (else the flash says to print it).
    const bool emailed = intake_letter::send(ctx, *id);
    return ctx.app.see_other(
        ctx, intake_href(*id),
        std::string(*sent_on ? "intake.decided_ineligible_warm" : "intake.decided_ineligible") + (emailed ? "_letter" : ""));
}

http::Response reopen(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    forms.reopen_note = ctx.form("note");
    std::string note;
    forms.reopen_errors = d::validate_note(forms.reopen_note, note);
    if (!forms.reopen_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto done = intakes(ctx).reopen(*id, note, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.reopen_errors);
    return ctx.app.see_other(ctx, intake_href(*id), "intake.reopened");
}

// The family is told, in their language, when the referral gave an email; otherwise the page
// says to tell them by phone (the flash message names which).
bool tell_family(Ctx& ctx, const store::FamilyNotice& n, const std::string& kind) {
    if (n.email.empty()) return false;
    const auto& cat = ctx.app.catalogue();
    const std::string& agency = n.lang == Lang::fr ? n.agency_fr : n.agency_en;
    ctx.auth().enqueue_email(
        n.email, cat.t(n.lang, "email.intake." + kind + ".subject", {n.reference}),
        cat.t(n.lang, "email.intake." + kind + ".body", {n.reference, agency, n.coordinator_name, std::to_string(n.position)}));
    return true;
}

http::Response waitlist(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    forms.waitlist_note = ctx.form("note");
    std::string note;
    forms.waitlist_errors = d::validate_note(forms.waitlist_note, note);
    if (!forms.waitlist_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto done = intakes(ctx).waitlist(*id, note, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.waitlist_errors);
    return ctx.app.see_other(ctx, intake_href(*id),
                             tell_family(ctx, *done, "waitlisted") ? "intake.waitlisted_told" : "intake.waitlisted_call");
}

http::Response assign(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    forms.assignment = {ctx.form("coordinator"), ctx.form("reason"), ctx.form("over_limit_reason")};
    d::Assignment a;
    // A reason is required for a reassignment: the store, which knows the status, says so.
    forms.assign_errors = d::validate(forms.assignment, false, a);
    if (!forms.assign_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto done = intakes(ctx).assign(*id, a, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.assign_errors);
    // The coordinator hears of it in their inbox (and by email when they want it), with a link
    // to the file on their caseload (the intake itself opens to them once the family's consent
    // reaches their organisation).
    notification_pages::notify(ctx, {a.user_id},
                               {d::NoticeKind::assigned,
                                done->reference,
                                "/caseload#file-" + std::to_string(*id),
                                "notification.text.assigned",
                                {done->reference, done->agency_fr},
                                {done->reference, done->agency_en}});
    return ctx.app.see_other(ctx, intake_href(*id),
                             tell_family(ctx, *done, "assigned") ? "intake.assigned_told" : "intake.assigned_call");
}

http::Response close(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    forms.closure = {ctx.form("reason"), ctx.form("note")};
    d::Closure c;
    forms.close_errors = d::validate(forms.closure, c);
    if (!forms.close_errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto repo = intakes(ctx);
    const auto keys = repo.keys_of(*id);
    const bool agency = keys && keys->relationship == d::Relationship::coordinating_agency;
    auto done = repo.close(*id, c, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.close_errors);
    // The coordinator's place ends with the file: they go back to their caseload.
    return ctx.app.see_other(ctx, agency ? intake_href(*id) : "/caseload", "intake.closed");
}

http::Response first_contact(Ctx& ctx) {
    auto id = posted_id(ctx);
    if (!id) return not_posted(ctx);
    Forms forms;
    auto done = intakes(ctx).record_first_contact(*id, form_version(ctx));
    if (!done) return refused_form(ctx, *id, done.error(), forms, forms.contact_errors);
    return ctx.app.see_other(ctx, intake_href(*id), "intake.first_contact_recorded");
}

// ---------------------------------------------------------------- caseloads

// A coordinator's files with what is due on each, the overdue first in each file's list.
http::Response caseload(Ctx& ctx) {
    auto g = grant_of(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::coordination);
    auto rows = intakes(ctx).caseload();
    if (!rows) return refused(ctx, rows.error());
    json files = json::array();
    int overdue = 0;
    for (const auto& r : *rows) {
        json due = due_rows(ctx, r.due);
        for (const auto& i : r.due)
            if (i.state == d::DueState::overdue) ++overdue;
        files.push_back(
            {{"name", r.withheld ? ctx.t("intake.caseload.withheld", {r.reference}) : r.family_name + ", " + r.given_name},
             {"href", intake_href(r.id)},
             {"id", r.id},
             {"reference", r.reference},
             {"assigned", display_minute(r.assigned_at)},
             {"due", due}});
        if (r.person_id && !r.withheld) files.back()["file_href"] = people_pages::file_href(*r.person_id);
    }
    json model = {{"files", files},
                  {"has_files", !files.empty()},
                  {"summary", ctx.t("intake.caseload.summary", {std::to_string(files.size()), std::to_string(overdue)})}};
    return ctx.app.page(ctx, "intake.caseload.title", "intake_caseload", model);
}

// Every coordinator of the agency's area, their load against their limit and their overdue
// items; the administrator keeps each one's languages and own limit.
http::Response coordinators_page(Ctx& ctx, const std::vector<FieldError>& errors, std::int64_t error_user, int status) {
    auto g = grant_of(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::coordination);
    auto load = intakes(ctx).coordinators_load();
    if (!load) return ctx.app.error_page(ctx, load.error());
    const bool admin = g->role == d::Role::ca_admin;
    json rows = json::array();
    for (const auto& c : *load) {
        json row = {{"name", c.display_name},
                    {"organisation", pick(ctx, c.org_name_fr, c.org_name_en)},
                    {"languages", languages_text(ctx, c.languages)},
                    {"fls", ctx.t(c.fls_designated ? "common.yes" : "common.no")},
                    {"load", ctx.t("intake.coordinators.load", {std::to_string(c.caseload), std::to_string(c.limit)})},
                    {"overdue", std::to_string(c.overdue)},
                    {"at_limit", c.at_limit()}};
        if (admin) {
            FormBuilder f(ctx, "/intake/coordinators/" + std::to_string(c.user_id), "intake.coordinators.save");
            f.id_prefix("coordinator-" + std::to_string(c.user_id) + "-");
            std::vector<Option> langs;
            for (auto l : d::service_languages()) langs.push_back({std::string(l), ctx.t("service.language." + std::string(l))});
            f.multi({.name = "languages", .label_key = "intake.coordinators.languages", .type = "checkboxes", .options = langs},
                    c.languages);
            f.field({.name = "caseload_limit",
                     .label_key = "intake.coordinators.limit",
                     .hint_key = "intake.coordinators.limit_hint",
                     .inputmode = "numeric"},
                    std::to_string(c.limit));
            if (error_user == c.user_id) f.errors(errors);
            row["form"] = f.build();
            row["form_heading"] = ctx.t("intake.coordinators.edit", {c.display_name});
        }
        rows.push_back(row);
    }
    json model = {{"rows", rows}, {"has_rows", !rows.empty()}, {"admin", admin}};
    return ctx.app.page(ctx, "intake.coordinators.title", "intake_coordinators", model, status);
}

http::Response coordinators(Ctx& ctx) {
    return coordinators_page(ctx, {}, 0, 200);
}

http::Response save_coordinator(Ctx& ctx) {
    auto user = id_of(ctx);
    auto g = grant_of(ctx);
    if (!user || !g || g->role != d::Role::ca_admin) return ctx.app.error_page(ctx, Error::forbidden());
    std::vector<FieldError> errors;
    std::vector<std::string> langs;
    for (const auto& l : ctx.form_all("languages")) {
        const auto& known = d::service_languages();
        if (std::find(known.begin(), known.end(), trim(l)) == known.end())
            errors.push_back({"languages", "field.choose_from_list", {}});
        else if (std::find(langs.begin(), langs.end(), trim(l)) == langs.end())
            langs.push_back(trim(l));
    }
    std::optional<int> limit;
    const std::string raw = trim(ctx.form("caseload_limit"));
    if (!raw.empty()) {
        auto v = d::parse_id(raw);
        if (!v || *v < 1 || *v > 200)
            errors.push_back({"caseload_limit", "field.number_between", {"1", "200"}});
        else
            limit = static_cast<int>(*v);
    }
    if (!errors.empty()) return coordinators_page(ctx, errors, *user, 422);
    auto saved = intakes(ctx).save_profile(*user, langs, limit);
    if (!saved) return ctx.app.error_page(ctx, saved.error());
    return ctx.app.see_other(ctx, "/intake/coordinators", "intake.coordinators.saved");
}

// ---------------------------------------------------------------- the area's rules

// The area whose rules the user sets: their organisation's, for its administrator.
std::optional<std::int64_t> rules_area(Ctx& ctx) {
    auto g = grant_of(ctx);
    if (!g || g->role != d::Role::ca_admin) return std::nullopt;
    auto o = ctx.identity().find_organisation(g->organisation_id);
    if (!o || !o->active) return std::nullopt;
    return o->sda_id;
}

http::Response rules_page(Ctx& ctx, std::int64_t sda, const d::AreaRulesForm* sent, const std::vector<FieldError>& errors,
                          const std::string& fr, const std::string& en, const std::vector<FieldError>& criterion_errors,
                          int status) {
    const auto rules = store::AreaRulesRepo(ctx.tx, ctx.app.clock()).rules(sda);
    const auto n = [](int v) { return std::to_string(v); };
    const d::AreaRulesForm v = sent ? *sent
                                    : d::AreaRulesForm{n(rules.max_age),
                                                       n(rules.school_max_age),
                                                       n(rules.min_sectors),
                                                       n(rules.first_contact_days),
                                                       n(rules.intake_decision_days),
                                                       n(rules.first_plan_days),
                                                       n(rules.review_interval_days),
                                                       n(rules.caseload_limit),
                                                       n(rules.referral_answer_days),
                                                       n(rules.retention_years)};
    FormBuilder f(ctx, "/intake/rules", "intake.rules.submit");
    f.id_prefix("rules-");
    const auto num = [&](const char* name, const std::string& value) {
        f.field({.name = name,
                 .label_key = std::string("intake.rules.") + name,
                 .required = true,
                 .hint_key = std::string("intake.rules.") + name + "_hint",
                 .inputmode = "numeric"},
                value);
    };
    num("max_age", v.max_age);
    num("school_max_age", v.school_max_age);
    num("min_sectors", v.min_sectors);
    num("first_contact_days", v.first_contact_days);
    num("intake_decision_days", v.intake_decision_days);
    num("first_plan_days", v.first_plan_days);
    num("review_interval_days", v.review_interval_days);
    num("caseload_limit", v.caseload_limit);
    num("referral_answer_days", v.referral_answer_days);
    num("retention_years", v.retention_years);
    f.errors(errors);
    FormBuilder c(ctx, "/intake/rules/criteria", "intake.rules.criterion_submit");
    c.id_prefix("criterion-")
        .field({.name = "text_fr", .label_key = "intake.rules.criterion_fr", .required = true}, fr)
        .field({.name = "text_en", .label_key = "intake.rules.criterion_en", .required = true}, en)
        .errors(criterion_errors);
    json criteria = json::array();
    for (const auto& cr : rules.criteria)
        criteria.push_back({{"text", pick(ctx, cr.text_fr, cr.text_en)},
                            {"other", pick(ctx, cr.text_en, cr.text_fr)},
                            {"retire_action", "/intake/rules/criteria/" + std::to_string(cr.id) + "/retire"}});
    json model = {{"rules_form", f.build()},
                  {"criterion_form", c.build()},
                  {"criteria", criteria},
                  {"has_criteria", !criteria.empty()},
                  {"csrf", ctx.csrf}};
    return ctx.app.page(ctx, "intake.rules.title", "intake_rules", model, status);
}

http::Response rules(Ctx& ctx) {
    auto sda = rules_area(ctx);
    if (!sda) return ctx.app.error_page(ctx, Error::forbidden());
    return rules_page(ctx, *sda, nullptr, {}, "", "", {}, 200);
}

http::Response save_rules(Ctx& ctx) {
    auto sda = rules_area(ctx);
    if (!sda) return ctx.app.error_page(ctx, Error::forbidden());
    const d::AreaRulesForm in{ctx.form("max_age"),
                              ctx.form("school_max_age"),
                              ctx.form("min_sectors"),
                              ctx.form("first_contact_days"),
                              ctx.form("intake_decision_days"),
                              ctx.form("first_plan_days"),
                              ctx.form("review_interval_days"),
                              ctx.form("caseload_limit"),
                              ctx.form("referral_answer_days"),
                              ctx.form("retention_years")};
    store::AreaRulesRepo repo(ctx.tx, ctx.app.clock());
    auto r = repo.rules(*sda);
    auto errors = d::validate(in, r);
    if (!errors.empty()) return rules_page(ctx, *sda, &in, errors, "", "", {}, 422);
    repo.save(*sda, r, ctx.user->id);
    return ctx.app.see_other(ctx, "/intake/rules", "intake.rules.saved");
}

http::Response add_criterion(Ctx& ctx) {
    auto sda = rules_area(ctx);
    if (!sda) return ctx.app.error_page(ctx, Error::forbidden());
    d::AreaCriterion c;
    auto errors = d::validate_criterion(ctx.form("text_fr"), ctx.form("text_en"), c);
    if (!errors.empty()) return rules_page(ctx, *sda, nullptr, {}, ctx.form("text_fr"), ctx.form("text_en"), errors, 422);
    store::AreaRulesRepo(ctx.tx, ctx.app.clock()).add_criterion(*sda, c, ctx.user->id);
    return ctx.app.see_other(ctx, "/intake/rules", "intake.rules.criterion_added");
}

http::Response retire_criterion(Ctx& ctx) {
    auto sda = rules_area(ctx);
    if (!sda) return ctx.app.error_page(ctx, Error::forbidden());
    auto id = id_of(ctx);
    if (!id || !store::AreaRulesRepo(ctx.tx, ctx.app.clock()).retire_criterion(*sda, *id))
        return ctx.app.error_page(ctx, Error::not_found());
    return ctx.app.see_other(ctx, "/intake/rules", "intake.rules.criterion_retired");
}

}  // namespace

void register_intake_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/intake", {"intake/queue", S, R, queue});
    app.route("GET", "/intake/rules", {"intake/rules", S, R, rules});
    app.route("POST", "/intake/rules", {"intake/rules_save", S, W, save_rules});
    app.route("POST", "/intake/rules/criteria", {"intake/criterion_add", S, W, add_criterion});
    app.route("POST", "/intake/rules/criteria/{id}/retire", {"intake/criterion_retire", S, W, retire_criterion});
    // Before /intake/{id}: the first pattern that matches serves the request.
    app.route("GET", "/intake/coordinators", {"intake/coordinators", S, R, coordinators});
    app.route("POST", "/intake/coordinators/{id}", {"intake/coordinator_save", S, W, save_coordinator});
    app.route("POST", "/referrals/{id}/intake", {"intake/open", S, W, open});
    app.route("GET", "/intake/{id}", {"intake/view", S, R, detail});
    app.route("POST", "/intake/{id}/story", {"intake/story", S, W, save_story});
    app.route("POST", "/intake/{id}/decision", {"intake/decide", S, W, decide});
    app.route("POST", "/intake/{id}/reopen", {"intake/reopen", S, W, reopen});
    app.route("POST", "/intake/{id}/waitlist", {"intake/waitlist", S, W, waitlist});
    app.route("POST", "/intake/{id}/assign", {"intake/assign", S, W, assign});
    app.route("POST", "/intake/{id}/close", {"intake/close", S, W, close});
    app.route("POST", "/intake/{id}/first-contact", {"intake/first_contact", S, W, first_contact});
    app.route("GET", "/caseload", {"intake/caseload", S, R, caseload});
    intake_letter::register_pages(app);
}

}  // namespace arrimage::web
