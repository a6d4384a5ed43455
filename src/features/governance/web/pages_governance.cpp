// The network's governance (store::GovernanceRepo, docs/GOVERNANCE.md).
//
//   /governance                        the committees the reader sees, with their pending and
//                                      overdue decisions
//   /governance/new                    the form that creates one (the area's coordinating agency
//                                      administrators)
//   /governance/decisions              the decisions log across committees, filtered by committee,
//                                      status, owner and due date; its CSV export
//                                      (/governance/decisions/export.csv)
//   /governance/{id}                   a committee: its mandate, members, meetings, decisions and
//                                      yearly reports, and the forms that add to them
//   /governance/{id}/meetings/{m}      a meeting: agenda, minutes and attendance, the decisions
//                                      taken at it, what may be done with it now
//   /governance/{id}/decisions/{d}     a decision: its follow-up notes and moves
//   /governance/{id}/reports/{r}       a yearly report: its sections, figures and signatures;
//                                      edited while a draft, signed by each member, circulated,
//                                      submitted
// A provider manager reads the committees their organisation is or was a member of, follows up
// the decisions it owns and signs for it; a ministry analyst reads every area's; anyone else is
// refused (403); a committee the reader may not see, or a meeting, decision or report not of the
// committee named, is not found.
#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/governance/domain/governance.hpp"
#include "features/governance/store/governance_repo.hpp"
#include "features/governance/web/governance_pages.hpp"
#include "interop/csv.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

std::string committee_href(std::int64_t id) {
    return "/governance/" + std::to_string(id);
}
std::string meeting_href(std::int64_t committee, std::int64_t meeting) {
    return committee_href(committee) + "/meetings/" + std::to_string(meeting);
}
std::string decision_href(std::int64_t committee, std::int64_t decision) {
    return committee_href(committee) + "/decisions/" + std::to_string(decision);
}
std::string report_href(std::int64_t committee, std::int64_t report) {
    return committee_href(committee) + "/reports/" + std::to_string(report);
}

bool may_read(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

store::GovernanceRepo governance(Ctx& ctx) {
    return store::GovernanceRepo(*ctx.access);
}

Date today(Ctx& ctx) {
    return date_of(ctx.app.clock().now());
}

std::optional<std::int64_t> param_id(Ctx& ctx, const char* name) {
    return d::parse_id(ctx.req.params[name]);
}

std::string label(Ctx& ctx, d::CommitteeKind k) {
    return ctx.t("governance.committee_kind." + std::string(d::code(k)));
}
std::string label(Ctx& ctx, d::MeetingStatus s) {
    return ctx.t("governance.meeting_status." + std::string(d::code(s)));
}
std::string label(Ctx& ctx, d::DecisionStatus s) {
    return ctx.t("governance.decision_status." + std::string(d::code(s)));
}
std::string label(Ctx& ctx, d::YearlyReportStatus s) {
    return ctx.t("governance.report_status." + std::string(d::code(s)));
}

// A status as an events table stores it, in words (as stored when the code is unknown).
std::string meeting_status_text(Ctx& ctx, const std::string& s) {
    auto p = d::parse_meeting_status(s);
    return p ? label(ctx, *p) : s;
}
std::string decision_status_text(Ctx& ctx, const std::string& s) {
    auto p = d::parse_decision_status(s);
    return p ? label(ctx, *p) : s;
}
std::string report_status_text(Ctx& ctx, const std::string& s) {
    auto p = d::parse_yearly_report_status(s);
    return p ? label(ctx, *p) : s;
}

// A record's history: `kind` names its labels ("governance.<kind>_history.<event>"); an event
// the catalogue has no words for is shown by its code.
json history_rows(Ctx& ctx, const std::vector<store::GovernanceEventRow>& events, const std::string& kind,
                  std::string (*status_text)(Ctx&, const std::string&)) {
    json out = json::array();
    for (const auto& e : events) {
        const std::string key = "governance." + kind + "_history." + e.event;
        out.push_back({{"at", display_minute(e.at)},
                       {"event", ctx.app.catalogue().has(ctx.lang, key) ? ctx.t(key) : e.event},
                       {"status", status_text(ctx, e.status)},
                       {"who", e.user_name.empty() ? ctx.t("governance.system") : e.user_name},
                       {"note", e.note}});
    }
    return out;
}

// A decision as the tables show it (the committee's page, a meeting's, the log).
json decision_row(Ctx& ctx, const store::DecisionRow& r) {
    return present({{"href", decision_href(r.committee_id, r.id)},
                    {"reference", r.reference},
                    {"committee", in_lang(ctx, r.committee_fr, r.committee_en)},
                    {"committee_href", committee_href(r.committee_id)},
                    {"decided_on", r.decided_on},
                    {"decision", r.decision},
                    {"owner", in_lang(ctx, r.owner_fr, r.owner_en)},
                    {"owner_person", r.owner_person},
                    {"due_on", r.due_on},
                    {"status", label(ctx, r.status)},
                    {"overdue", r.overdue}});
}

// ---------------------------------------------------------------- the committees

http::Response list_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = governance(ctx).committees();
    if (!list) return ctx.app.refused(ctx, list.error());
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    json rows = json::array();
    for (const auto& c : *list)
        rows.push_back({{"href", committee_href(c.id)},
                        {"name", in_lang(ctx, c.name_fr, c.name_en)},
                        {"kind", label(ctx, c.kind)},
                        {"area", in_lang(ctx, c.area_fr, c.area_en)},
                        {"members", std::to_string(c.members)},
                        {"next_meeting", c.next_meeting_on.empty() ? ctx.t("governance.no_meeting") : c.next_meeting_on},
                        {"pending", std::to_string(c.pending_decisions)},
                        {"overdue", c.overdue_decisions > 0},
                        {"overdue_count", ctx.t("governance.overdue_count", {std::to_string(c.overdue_decisions)})}});
    json model = {{"rows", rows},
                  {"analyst", analyst},
                  {"count", ctx.t("governance.committee_count", {std::to_string(list->size())})},
                  {"log_href", "/governance/decisions"}};
    if (governance(ctx).may_manage()) model["new_href"] = "/governance/new";
    return ctx.app.page(ctx, "governance.list_title", "governance", model);
}

d::CommitteeForm posted_committee(Ctx& ctx) {
    return {trim(ctx.form("name_fr")), trim(ctx.form("name_en")), trim(ctx.form("kind")), ctx.form("mandate")};
}

http::Response new_page(Ctx& ctx, const d::CommitteeForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx) || !governance(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    FormBuilder f(ctx, "/governance", "governance.create_submit");
    f.field({.name = "name_fr", .label_key = "governance.field.name_fr", .required = true}, posted.name_fr)
        .field({.name = "name_en", .label_key = "governance.field.name_en", .required = true}, posted.name_en)
        .field({.name = "kind",
                .label_key = "governance.field.kind",
                .type = "radios",
                .required = true,
                .hint_key = "governance.hint.kind",
                .options = options_of(ctx, d::all_committee_kinds(), "governance.committee_kind.")},
               posted.kind)
        .field({.name = "mandate",
                .label_key = "governance.field.mandate",
                .type = "textarea",
                .hint_key = "governance.hint.mandate"},
               posted.mandate)
        .errors(errors)
        .cancel("/governance");
    json model = {{"heading", ctx.t("governance.new_title")}, {"intro", ctx.t("governance.new_intro")}, {"form", f.build()}};
    return ctx.app.page(ctx, "governance.new_title", "committee_form", model, status);
}

http::Response show_new(Ctx& ctx) {
    return new_page(ctx, {}, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx) || !governance(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_committee(ctx);
    auto id = governance(ctx).create_committee(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, 422);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, committee_href(*id), "governance.committee_created");
}

// ---------------------------------------------------------------- one committee

// What was posted to the committee page's forms, shown again with their errors.
struct CommitteeForms {
    std::string form;  // the form the errors belong to: member, meeting, decision, report
    d::CommitteeMemberForm member;
    d::CommitteeMeetingForm meeting;
    d::DecisionLogForm decision;
    d::YearlyReportForm report;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

Result<json> member_form(Ctx& ctx, std::int64_t id, const CommitteeForms& forms) {
    auto choices = governance(ctx).organisation_choices();
    if (!choices) return choices.error();
    std::vector<Option> organisations;
    for (const auto& c : *choices) organisations.push_back({std::to_string(c.id), in_lang(ctx, c.name_fr, c.name_en)});
    std::sort(organisations.begin(), organisations.end(), [](const Option& a, const Option& b) { return a.label < b.label; });
    const bool mine = forms.form == "member";
    const d::CommitteeMemberForm posted = mine ? forms.member : d::CommitteeMemberForm{};
    FormBuilder f(ctx, committee_href(id) + "/members", "governance.member_submit");
    f.id_prefix("member-")
        .field({.name = "organisation",
                .label_key = "governance.field.organisation",
                .type = "select",
                .required = true,
                .hint_key = "governance.hint.organisation",
                .options = organisations},
               posted.organisation)
        .field({.name = "representative", .label_key = "governance.field.representative", .required = true},
               posted.representative)
        .field({.name = "title", .label_key = "governance.field.title"}, posted.title)
        .field({.name = "email", .label_key = "governance.field.email", .type = "email"}, posted.email);
    if (mine) f.errors(forms.errors);
    return f.build();
}

json meeting_form(Ctx& ctx, std::int64_t id, const CommitteeForms& forms) {
    const bool mine = forms.form == "meeting";
    const d::CommitteeMeetingForm posted = mine ? forms.meeting : d::CommitteeMeetingForm{};
    FormBuilder f(ctx, committee_href(id) + "/meetings", "governance.meeting_submit");
    f.id_prefix("meeting-")
        .field({.name = "held_on",
                .label_key = "governance.field.held_on",
                .type = "date",
                .required = true,
                .hint_key = "governance.hint.held_on"},
               posted.held_on)
        .field({.name = "location", .label_key = "governance.field.location", .hint_key = "governance.hint.location"},
               posted.location)
        .field({.name = "agenda",
                .label_key = "governance.field.agenda",
                .type = "textarea",
                .required = true,
                .hint_key = "governance.hint.agenda"},
               posted.agenda);
    if (mine) f.errors(forms.errors);
    return f.build();
}

Result<json> decision_form(Ctx& ctx, std::int64_t id, const store::CommitteeRecord& r, const CommitteeForms& forms) {
    auto owners = governance(ctx).member_choices(id);
    if (!owners) return owners.error();
    std::vector<Option> owner_options;
    for (const auto& o : *owners) owner_options.push_back({std::to_string(o.id), in_lang(ctx, o.name_fr, o.name_en)});
    // Decisions are taken at a meeting held (its minutes recorded), or between meetings.
    std::vector<Option> meetings = {{"", ctx.t("governance.not_at_meeting")}};
    for (const auto& m : r.meetings)
        if (m.status == d::MeetingStatus::held || m.status == d::MeetingStatus::minutes_approved)
            meetings.push_back({std::to_string(m.id), m.location.empty() ? m.held_on : m.held_on + " — " + m.location});
    const bool mine = forms.form == "decision";
    d::DecisionLogForm posted = mine ? forms.decision : d::DecisionLogForm{};
    if (!mine) posted.decided_on = today(ctx).iso();
    FormBuilder f(ctx, committee_href(id) + "/decisions", "governance.decision_submit");
    f.id_prefix("decision-")
        .field({.name = "meeting", .label_key = "governance.field.meeting", .type = "select", .options = meetings},
               posted.meeting)
        .field({.name = "decided_on",
                .label_key = "governance.field.decided_on",
                .type = "date",
                .required = true,
                .hint_key = "governance.hint.decided_on"},
               posted.decided_on)
        .field({.name = "decision", .label_key = "governance.field.decision", .type = "textarea", .required = true},
               posted.decision)
        .field({.name = "decided_by",
                .label_key = "governance.field.decided_by",
                .required = true,
                .hint_key = "governance.hint.decided_by"},
               posted.decided_by)
        .field({.name = "owner",
                .label_key = "governance.field.owner",
                .type = "select",
                .required = true,
                .hint_key = "governance.hint.owner",
                .options = owner_options},
               posted.owner)
        .field({.name = "owner_person", .label_key = "governance.field.owner_person"}, posted.owner_person)
        .field({.name = "due_on",
                .label_key = "governance.field.due_on",
                .type = "date",
                .required = true,
                .hint_key = "governance.hint.due_on"},
               posted.due_on);
    if (mine) f.errors(forms.errors);
    return f.build();
}

// The yearly report's sections (its year is asked only when starting one: a report keeps it).
void report_fields(FormBuilder& f, const d::YearlyReportForm& posted) {
    f.field({.name = "activities",
             .label_key = "governance.field.activities",
             .type = "textarea",
             .required = true,
             .hint_key = "governance.hint.activities"},
            posted.activities)
        .field({.name = "achievements", .label_key = "governance.field.achievements", .type = "textarea"}, posted.achievements)
        .field({.name = "challenges", .label_key = "governance.field.challenges", .type = "textarea"}, posted.challenges)
        .field({.name = "priorities",
                .label_key = "governance.field.priorities",
                .type = "textarea",
                .hint_key = "governance.hint.priorities"},
               posted.priorities);
}

json report_form(Ctx& ctx, std::int64_t id, const CommitteeForms& forms) {
    const bool mine = forms.form == "report";
    d::YearlyReportForm posted = mine ? forms.report : d::YearlyReportForm{};
    if (!mine) posted.year = std::to_string(today(ctx).year - 1);  // written early in the next year
    FormBuilder f(ctx, committee_href(id) + "/reports", "governance.report_submit");
    f.id_prefix("report-").field({.name = "year",
                                  .label_key = "governance.field.year",
                                  .required = true,
                                  .hint_key = "governance.hint.year",
                                  .inputmode = "numeric"},
                                 posted.year);
    report_fields(f, posted);
    if (mine) f.errors(forms.errors);
    return f.build();
}

d::YearlyReportForm posted_report(Ctx& ctx) {
    return {trim(ctx.form("year")), ctx.form("activities"), ctx.form("achievements"), ctx.form("challenges"),
            ctx.form("priorities")};
}

// A current member's "end membership" button: one form per member, each with its own ids.
json end_member_form(Ctx& ctx, std::int64_t id, const store::CommitteeMemberRow& m, const std::string& name) {
    const std::string org = std::to_string(m.organisation_id);
    FormBuilder f(ctx, committee_href(id) + "/members/" + org + "/end", "governance.end_member_submit");
    f.id_prefix("end-" + org + "-");
    json form = f.build();
    form["submit"] = ctx.t("governance.end_member_named", {name});
    return form;
}

http::Response committee_page(Ctx& ctx, std::int64_t id, const CommitteeForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = governance(ctx).committee(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    json members = json::array();
    bool former = false;
    for (const auto& m : r->members) {
        const std::string name = in_lang(ctx, m.name_fr, m.name_en);
        const bool current = m.left_on.empty();
        former = former || !current;
        json row = present({{"organisation", name},
                            {"agency", m.agency},
                            {"cannot_sign", current && !m.can_sign},
                            {"representative", m.representative},
                            {"title", m.title},
                            {"email", m.email},
                            {"joined_on", m.joined_on},
                            {"left_on", m.left_on}});
        if (current && r->may_manage) row["end_form"] = end_member_form(ctx, id, m, name);
        members.push_back(std::move(row));
    }
    json meetings = json::array();
    for (const auto& m : r->meetings)
        meetings.push_back({{"href", meeting_href(id, m.id)},
                            {"held_on", m.held_on},
                            {"location", m.location.empty() ? ctx.t("governance.no_location") : m.location},
                            {"status", label(ctx, m.status)},
                            {"decisions", std::to_string(m.decisions)}});
    json decisions = json::array();
    for (const auto& dr : r->decisions) decisions.push_back(decision_row(ctx, dr));
    json reports = json::array();
    for (const auto& y : r->reports) {
        json row = {{"href", report_href(id, y.id)}, {"year", std::to_string(y.year)}, {"status", label(ctx, y.status)}};
        row["signatures"] = y.signers > 0
                                ? ctx.t("governance.signed_of", {std::to_string(y.signed_count), std::to_string(y.signers)})
                                : ctx.t("governance.not_circulated");
        reports.push_back(std::move(row));
    }
    json model = {{"heading", in_lang(ctx, s.name_fr, s.name_en)},
                  {"kind", label(ctx, s.kind)},
                  {"area", in_lang(ctx, s.area_fr, s.area_en)},
                  {"member_count", std::to_string(s.members)},
                  {"pending", std::to_string(s.pending_decisions)},
                  {"overdue", s.overdue_decisions > 0},
                  {"overdue_count", ctx.t("governance.overdue_count", {std::to_string(s.overdue_decisions)})},
                  {"members", members},
                  {"former_members", former},
                  {"meetings", meetings},
                  {"decisions", decisions},
                  {"reports", reports},
                  {"manage", r->may_manage},
                  {"log_href", "/governance/decisions?committee=" + std::to_string(id)},
                  {"back_href", "/governance"}};
    if (!r->mandate.empty()) model["mandate"] = r->mandate;
    if (r->may_manage) {
        auto member = member_form(ctx, id, forms);
        if (!member) return ctx.app.refused(ctx, member.error());
        auto decision = decision_form(ctx, id, *r, forms);
        if (!decision) return ctx.app.refused(ctx, decision.error());
        model["member_form"] = *member;
        model["meeting_form"] = meeting_form(ctx, id, forms);
        model["decision_form"] = *decision;
        model["report_form"] = report_form(ctx, id, forms);
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "governance.committee_title", "committee", model, status);
}

http::Response show_committee(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return committee_page(ctx, *id, {}, 200);
}

// The checks every form that only the area's agency posts makes first: the reader reads
// governance and manages it, the committee's id is one. Refused or not found: the response.
std::optional<http::Response> not_managed(Ctx& ctx, std::optional<std::int64_t> id) {
    if (!may_read(ctx) || !governance(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return std::nullopt;
}

http::Response post_member(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    CommitteeForms forms;
    forms.form = "member";
    forms.member = {trim(ctx.form("organisation")), trim(ctx.form("representative")), trim(ctx.form("title")),
                    trim(ctx.form("email"))};
    auto done = governance(ctx).set_member(*id, forms.member);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return committee_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, committee_href(*id) + "#members-heading", "governance.member_saved");
}

http::Response post_end_member(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    auto org = param_id(ctx, "org");
    if (!org) return ctx.app.error_page(ctx, Error::not_found());
    CommitteeForms forms;
    auto done = governance(ctx).end_member(*id, *org);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return committee_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, committee_href(*id) + "#members-heading", "governance.member_ended");
}

http::Response post_meeting(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    CommitteeForms forms;
    forms.form = "meeting";
    forms.meeting = {trim(ctx.form("held_on")), trim(ctx.form("location")), ctx.form("agenda")};
    auto meeting = governance(ctx).schedule_meeting(*id, forms.meeting);
    if (!meeting)
        return refused_on_page(ctx, meeting.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return committee_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, meeting_href(*id, *meeting), "governance.meeting_scheduled");
}

http::Response post_decision(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    CommitteeForms forms;
    forms.form = "decision";
    forms.decision = {trim(ctx.form("meeting")),    trim(ctx.form("decided_on")), ctx.form("decision"),
                      trim(ctx.form("decided_by")), trim(ctx.form("owner")),      trim(ctx.form("owner_person")),
                      trim(ctx.form("due_on"))};
    auto decision = governance(ctx).log_decision(*id, forms.decision);
    if (!decision)
        return refused_on_page(ctx, decision.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return committee_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, decision_href(*id, *decision), "governance.decision_logged");
}

http::Response post_report(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    CommitteeForms forms;
    forms.form = "report";
    forms.report = posted_report(ctx);
    auto report = governance(ctx).start_report(*id, forms.report);
    if (!report)
        return refused_on_page(ctx, report.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return committee_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, report_href(*id, *report), "governance.report_started");
}

// ---------------------------------------------------------------- a meeting

struct MeetingForms {
    std::string event;  // the move whose form the errors belong to
    d::MinutesForm minutes;
    std::string note;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json meeting_actions(Ctx& ctx, std::int64_t committee, const store::MeetingRecord& r, const MeetingForms& forms) {
    json out = json::array();
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.event == code;
        FormBuilder f(ctx, meeting_href(committee, r.meeting.id) + "/" + code, "governance.meeting_event." + code);
        f.id_prefix(code + "-");
        if (e == d::MeetingEvent::hold) {
            std::vector<Option> members;
            for (const auto& m : r.members)
                members.push_back({std::to_string(m.organisation_id), in_lang(ctx, m.name_fr, m.name_en)});
            f.field({.name = "minutes",
                     .label_key = "governance.field.minutes",
                     .type = "textarea",
                     .required = true,
                     .hint_key = "governance.hint.minutes"},
                    mine ? forms.minutes.minutes : std::string())
                .multi({.name = "present",
                        .label_key = "governance.field.present",
                        .type = "checkboxes",
                        .required = true,
                        .options = members},
                       mine ? forms.minutes.present : std::vector<std::string>{});
        } else {
            f.field({.name = "note", .label_key = "governance.field.note", .type = "textarea"},
                    mine ? forms.note : std::string());
        }
        if (mine) f.errors(forms.errors);
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("governance.meeting_event_heading." + code)},
                       {"help", ctx.t("governance.meeting_event_help." + code)},
                       {"form", f.build()}});
    }
    return out;
}

http::Response meeting_page(Ctx& ctx, std::int64_t committee, std::int64_t meeting, const MeetingForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = governance(ctx).meeting(committee, meeting);
    if (!r) return ctx.app.refused(ctx, r.error());
    // Those present, by name: a member since gone is named from the committee's past members.
    std::map<std::int64_t, std::string> names;
    for (const auto& m : r->members) names[m.organisation_id] = in_lang(ctx, m.name_fr, m.name_en);
    if (std::any_of(r->present.begin(), r->present.end(), [&](std::int64_t o) { return !names.count(o); })) {
        auto c = governance(ctx).committee(committee);
        if (!c) return ctx.app.refused(ctx, c.error());
        for (const auto& m : c->members) names.emplace(m.organisation_id, in_lang(ctx, m.name_fr, m.name_en));
    }
    json present_list = json::array();
    for (auto o : r->present) present_list.push_back(names.count(o) ? names[o] : std::to_string(o));
    json decisions = json::array();
    for (const auto& dr : r->decisions) decisions.push_back(decision_row(ctx, dr));
    json model = {{"heading", ctx.t("governance.meeting_heading", {r->meeting.held_on})},
                  {"committee", in_lang(ctx, r->committee_fr, r->committee_en)},
                  {"back", ctx.t("governance.back_to_committee", {in_lang(ctx, r->committee_fr, r->committee_en)})},
                  {"committee_href", committee_href(committee)},
                  {"held_on", r->meeting.held_on},
                  {"location", r->meeting.location.empty() ? ctx.t("governance.no_location") : r->meeting.location},
                  {"status", label(ctx, r->meeting.status)},
                  {"agenda", r->agenda},
                  {"present", present_list},
                  {"decisions", decisions},
                  {"history", history_rows(ctx, r->events, "meeting", meeting_status_text)},
                  {"actions", meeting_actions(ctx, committee, *r, forms)}};
    if (!r->minutes.empty()) model["minutes"] = r->minutes;
    if (r->may_log_decision) model["log_decision_href"] = committee_href(committee) + "#log-decision-heading";
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "governance.meeting_title", "meeting", model, status);
}

http::Response show_meeting(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    auto m = param_id(ctx, "m");
    if (!id || !m) return ctx.app.error_page(ctx, Error::not_found());
    return meeting_page(ctx, *id, *m, {}, 200);
}

// Only the area's agency moves its meetings (domain::meeting_lifecycle()).
http::Response fire_meeting(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    auto m = param_id(ctx, "m");
    auto event = d::parse_meeting_event(ctx.req.params["event"]);
    if (!m || !event) return ctx.app.error_page(ctx, Error::not_found());
    MeetingForms forms;
    forms.event = std::string(d::code(*event));
    if (*event == d::MeetingEvent::hold) forms.minutes = {ctx.form("minutes"), ctx.form_all("present")};
    forms.note = ctx.form("note");
    auto done = governance(ctx).fire_meeting(*id, *m, *event, forms.minutes, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return meeting_page(ctx, *id, *m, forms, status); });
    return ctx.app.see_other(ctx, meeting_href(*id, *m), "governance.meeting_done." + forms.event);
}

// ---------------------------------------------------------------- a decision

struct DecisionForms {
    std::string event;  // the move (or "follow_up") whose form the errors belong to
    std::string note;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json decision_actions(Ctx& ctx, const store::DecisionRecord& r, const DecisionForms& forms) {
    json out = json::array();
    const std::string href = decision_href(r.row.committee_id, r.row.id);
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.event == code;
        FormBuilder f(ctx, href + "/" + code, "governance.decision_event." + code);
        f.id_prefix(code + "-")
            .field({.name = "note",
                    .label_key = "governance.decision_note." + code,
                    .type = "textarea",
                    .required = d::decision_note_required(e)},
                   mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("governance.decision_event_heading." + code)},
                       {"help", ctx.t("governance.decision_event_help." + code)},
                       {"form", f.build()}});
    }
    return out;
}

http::Response decision_page(Ctx& ctx, std::int64_t committee, std::int64_t decision, const DecisionForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = governance(ctx).decision(committee, decision);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& row = r->row;
    json model = {{"heading", ctx.t("governance.decision_heading", {row.reference})},
                  {"reference", row.reference},
                  {"committee", in_lang(ctx, row.committee_fr, row.committee_en)},
                  {"back", ctx.t("governance.back_to_committee", {in_lang(ctx, row.committee_fr, row.committee_en)})},
                  {"committee_href", committee_href(committee)},
                  {"decided_on", row.decided_on},
                  {"decision", row.decision},
                  {"decided_by", row.decided_by},
                  {"owner", in_lang(ctx, row.owner_fr, row.owner_en)},
                  {"due_on", row.due_on},
                  {"status", label(ctx, row.status)},
                  {"overdue", row.overdue},
                  {"history", history_rows(ctx, r->events, "decision", decision_status_text)},
                  {"actions", decision_actions(ctx, *r, forms)}};
    if (!row.owner_person.empty()) model["owner_person"] = row.owner_person;
    if (row.meeting_id != 0) {
        model["meeting_href"] = meeting_href(committee, row.meeting_id);
        model["meeting_on"] = row.meeting_on;
    }
    if (r->may_follow_up) {
        const bool mine = forms.event == "follow_up";
        FormBuilder f(ctx, decision_href(committee, decision) + "/follow-up", "governance.follow_up_submit");
        f.id_prefix("follow-up-")
            .field({.name = "note",
                    .label_key = "governance.field.follow_up",
                    .type = "textarea",
                    .required = true,
                    .hint_key = "governance.hint.follow_up"},
                   mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        model["follow_up_form"] = f.build();
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "governance.decision_title", "decision", model, status);
}

http::Response show_decision(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    auto dec = param_id(ctx, "d");
    if (!id || !dec) return ctx.app.error_page(ctx, Error::not_found());
    return decision_page(ctx, *id, *dec, {}, 200);
}

http::Response post_follow_up(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = param_id(ctx, "id");
    auto dec = param_id(ctx, "d");
    if (!id || !dec) return ctx.app.error_page(ctx, Error::not_found());
    DecisionForms forms;
    forms.event = "follow_up";
    forms.note = ctx.form("note");
    auto done = governance(ctx).follow_up(*id, *dec, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return decision_page(ctx, *id, *dec, forms, status); });
    return ctx.app.see_other(ctx, decision_href(*id, *dec) + "#history-heading", "governance.followed_up");
}

http::Response fire_decision(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = param_id(ctx, "id");
    auto dec = param_id(ctx, "d");
    auto event = d::parse_decision_event(ctx.req.params["event"]);
    if (!id || !dec || !event) return ctx.app.error_page(ctx, Error::not_found());
    DecisionForms forms;
    forms.event = std::string(d::code(*event));
    forms.note = ctx.form("note");
    auto done = governance(ctx).fire_decision(*id, *dec, *event, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return decision_page(ctx, *id, *dec, forms, status); });
    return ctx.app.see_other(ctx, decision_href(*id, *dec), "governance.decision_done." + forms.event);
}

// ---------------------------------------------------------------- the decisions log

d::DecisionLogQuery log_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("committee")), trim(ctx.req.query_param("status")), trim(ctx.req.query_param("owner")),
            trim(ctx.req.query_param("due"))};
}

bool no_filter(const d::DecisionLogQuery& q) {
    return q.committee.empty() && q.status.empty() && q.owner.empty() && q.due.empty();
}

std::string log_query_string(const d::DecisionLogQuery& q) {
    std::string out;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        out += (out.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(v);
    };
    add("committee", q.committee);
    add("status", q.status);
    add("owner", q.owner);
    add("due", q.due);
    return out;
}

// A select's options with "all" as its empty choice first; a value asked for that the list does
// not hold keeps its choice (a filter that matched nothing still shows what it asked).
std::vector<Option> filter_options(Ctx& ctx, std::vector<Option> options, const std::string& asked) {
    std::sort(options.begin(), options.end(), [](const Option& a, const Option& b) { return a.label < b.label; });
    if (!asked.empty() && std::none_of(options.begin(), options.end(), [&](const Option& o) { return o.value == asked; }))
        options.push_back({asked, asked});
    options.insert(options.begin(), Option{"", ctx.t("governance.filter_all")});
    return options;
}

json log_filter_form(Ctx& ctx, const d::DecisionLogQuery& q, const std::vector<FieldError>& errors,
                     const std::vector<store::CommitteeSummary>& committees, const std::vector<store::DecisionRow>& seen) {
    std::vector<Option> committee_options;
    for (const auto& c : committees) committee_options.push_back({std::to_string(c.id), in_lang(ctx, c.name_fr, c.name_en)});
    // The owners to filter by: those of the decisions the reader may see.
    std::vector<Option> owners;
    for (const auto& r : seen)
        if (std::none_of(owners.begin(), owners.end(), [&](const Option& o) { return o.value == std::to_string(r.owner_id); }))
            owners.push_back({std::to_string(r.owner_id), in_lang(ctx, r.owner_fr, r.owner_en)});
    std::vector<Option> statuses = options_of(ctx, d::all_decision_statuses(), "governance.decision_status.");
    statuses.insert(statuses.begin(), Option{"", ctx.t("governance.filter_all")});
    FormBuilder f(ctx, "/governance/decisions", "governance.filter_apply");
    f.query()
        .field({.name = "committee",
                .label_key = "governance.field.committee",
                .type = "select",
                .options = filter_options(ctx, committee_options, q.committee)},
               q.committee)
        .field({.name = "status", .label_key = "governance.field.status", .type = "select", .options = statuses}, q.status)
        .field({.name = "owner",
                .label_key = "governance.field.owner",
                .type = "select",
                .options = filter_options(ctx, owners, q.owner)},
               q.owner)
        .field({.name = "due",
                .label_key = "governance.field.due",
                .type = "select",
                .options = {{"", ctx.t("governance.filter_all")},
                            {"overdue", ctx.t("governance.due_overdue")},
                            {"soon", ctx.t("governance.due_soon")}}},
               q.due)
        .errors(errors);
    return f.build();
}

http::Response decisions_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto query = log_query(ctx);
    auto list = governance(ctx).decisions(query);
    std::vector<FieldError> errors;
    if (!list) {
        if (list.error().code != Errc::Invalid) return ctx.app.refused(ctx, list.error());
        errors = list.error().fields;
        list = governance(ctx).decisions({});  // the whole log, under the field errors
        if (!list) return ctx.app.refused(ctx, list.error());
    }
    const bool unfiltered = !errors.empty() || no_filter(query);
    auto all = unfiltered ? list : governance(ctx).decisions({});
    if (!all) return ctx.app.refused(ctx, all.error());
    auto committees = governance(ctx).committees();
    if (!committees) return ctx.app.refused(ctx, committees.error());
    json rows = json::array();
    for (const auto& r : *list) rows.push_back(decision_row(ctx, r));
    const std::string qs = errors.empty() ? log_query_string(query) : std::string();
    json model = {{"rows", rows},
                  {"count", ctx.t("governance.decision_count", {std::to_string(list->size())})},
                  {"filter", log_filter_form(ctx, query, errors, *committees, *all)},
                  {"csv_href", "/governance/decisions/export.csv" + qs},
                  {"back_href", "/governance"}};
    return ctx.app.page(ctx, "governance.log_title", "decisions", model, errors.empty() ? 200 : 422);
}

// The log as a spreadsheet: the reader's, filtered; bad filters are refused (422).
http::Response export_csv(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = governance(ctx).decisions(log_query(ctx));
    if (!list) return ctx.app.refused(ctx, list.error());
    std::string out = interop::spreadsheet_record(
        {ctx.t("governance.col.reference"), ctx.t("governance.col.committee"), ctx.t("governance.col.decided_on"),
         ctx.t("governance.col.decision"), ctx.t("governance.col.decided_by"), ctx.t("governance.col.owner"),
         ctx.t("governance.col.owner_person"), ctx.t("governance.col.due_on"), ctx.t("governance.col.status"),
         ctx.t("governance.col.overdue"), ctx.t("governance.col.meeting")});
    for (const auto& r : *list)
        out += interop::spreadsheet_record({r.reference, in_lang(ctx, r.committee_fr, r.committee_en), r.decided_on, r.decision,
                                            r.decided_by, in_lang(ctx, r.owner_fr, r.owner_en), r.owner_person, r.due_on,
                                            label(ctx, r.status), ctx.t(r.overdue ? "common.yes" : "common.no"), r.meeting_on});
    return download(std::move(out), "text/csv; charset=utf-8", "decisions.csv");
}

// ---------------------------------------------------------------- a yearly report

struct ReportForms {
    std::string event;  // "edit", "sign" or the move whose form the errors belong to
    d::YearlyReportForm report;
    std::string note;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json report_actions(Ctx& ctx, std::int64_t committee, const store::YearlyReportRecord& r, const ReportForms& forms) {
    json out = json::array();
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.event == code;
        FormBuilder f(ctx, report_href(committee, r.id) + "/" + code, "governance.report_event." + code);
        f.id_prefix(code + "-")
            .field({.name = "note", .label_key = "governance.field.note", .type = "textarea"}, mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("governance.report_event_heading." + code)},
                       {"help", ctx.t("governance.report_event_help." + code)},
                       {"form", f.build()}});
    }
    return out;
}

// The name of the organisation the reader signs for (their acting membership's).
std::string signing_for(Ctx& ctx, const store::YearlyReportRecord& r) {
    for (const auto& s : r.signatures)
        if (s.organisation_id == ctx.acting->organisation_id) return in_lang(ctx, s.name_fr, s.name_en);
    const auto o = ctx.identity().find_organisation(ctx.acting->organisation_id);
    return o ? in_lang(ctx, o->name_fr, o->name_en) : std::string();
}

http::Response report_page(Ctx& ctx, std::int64_t committee, std::int64_t report, const ReportForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = governance(ctx).report(committee, report);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& b = r->body;
    const std::string year = std::to_string(b.year);
    const std::string committee_name = in_lang(ctx, r->committee_fr, r->committee_en);
    const bool draft = r->status == d::YearlyReportStatus::draft;
    json sections = json::array();
    for (const auto& [key, text] : {std::pair{"activities", &b.activities}, std::pair{"achievements", &b.achievements},
                                    std::pair{"challenges", &b.challenges}, std::pair{"priorities", &b.priorities}})
        if (!text->empty())
            sections.push_back({{"id", std::string(key) + "-heading"},
                                {"title", ctx.t("governance.field." + std::string(key))},
                                {"text", *text}});
    json figures = json::array();
    if (!draft) {
        const auto& f = r->figures;
        for (const auto& [key, value] :
             {std::pair{"members", f.members}, std::pair{"meetings_held", f.meetings_held},
              std::pair{"decisions_made", f.decisions_made}, std::pair{"decisions_done", f.decisions_done},
              std::pair{"decisions_open", f.decisions_open}})
            figures.push_back({{"title", ctx.t("governance.figure." + std::string(key))}, {"value", std::to_string(value)}});
    }
    json signatures = json::array();
    for (const auto& s : r->signatures)
        signatures.push_back({{"organisation", in_lang(ctx, s.name_fr, s.name_en)},
                              {"state", ctx.t(s.is_signed ? "governance.signed" : "governance.awaited")},
                              {"is_signed", s.is_signed},
                              {"by", s.signed_by},
                              {"at", s.signed_at.empty() ? std::string() : display_minute(s.signed_at)}});
    json model = {{"heading", ctx.t("governance.report_heading", {year, committee_name})},
                  {"committee", committee_name},
                  {"back", ctx.t("governance.back_to_committee", {committee_name})},
                  {"committee_href", committee_href(committee)},
                  {"year", year},
                  {"status", label(ctx, r->status)},
                  {"sections", sections},
                  {"figures", figures},
                  {"signatures", signatures},
                  {"history", history_rows(ctx, r->events, "report", report_status_text)},
                  {"actions", report_actions(ctx, committee, *r, forms)}};
    if (!r->digest.empty()) model["digest"] = r->digest;
    if (r->may_edit) {
        // After a refusal whole (changed meanwhile, frozen), the report as it is now.
        const bool mine = forms.event == "edit" && forms.conflict_key.empty();
        const d::YearlyReportForm shown =
            mine ? forms.report : d::YearlyReportForm{year, b.activities, b.achievements, b.challenges, b.priorities};
        FormBuilder f(ctx, report_href(committee, report) + "/edit", "governance.report_save_submit");
        f.id_prefix("edit-").field({.name = "version", .type = "hidden"}, std::to_string(r->version));
        report_fields(f, shown);
        if (forms.event == "edit") f.errors(forms.errors);
        model["edit_form"] = f.build();
    }
    if (r->may_sign) {
        const std::string organisation = signing_for(ctx, *r);
        FormBuilder f(ctx, report_href(committee, report) + "/sign", "governance.sign_submit");
        f.id_prefix("sign-").field({.name = "digest", .type = "hidden"}, r->digest);
        if (forms.event == "sign") f.errors(forms.errors);
        json form = f.build();
        form["submit"] = ctx.t("governance.sign_for", {organisation});
        model["sign_form"] = std::move(form);
        model["sign_help"] = ctx.t("governance.sign_help", {organisation});
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "governance.report_title", "yearly_report", model, status);
}

http::Response show_report(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    auto rep = param_id(ctx, "r");
    if (!id || !rep) return ctx.app.error_page(ctx, Error::not_found());
    return report_page(ctx, *id, *rep, {}, 200);
}

http::Response post_report_edit(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    auto rep = param_id(ctx, "r");
    if (!rep) return ctx.app.error_page(ctx, Error::not_found());
    ReportForms forms;
    forms.event = "edit";
    forms.report = posted_report(ctx);
    auto done = governance(ctx).update_report(*id, *rep, form_version(ctx), forms.report);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return report_page(ctx, *id, *rep, forms, status); });
    return ctx.app.see_other(ctx, report_href(*id, *rep), "governance.report_saved");
}

http::Response post_sign(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = param_id(ctx, "id");
    auto rep = param_id(ctx, "r");
    if (!id || !rep) return ctx.app.error_page(ctx, Error::not_found());
    ReportForms forms;
    forms.event = "sign";
    auto done = governance(ctx).sign_report(*id, *rep, trim(ctx.form("digest")));
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return report_page(ctx, *id, *rep, forms, status); });
    return ctx.app.see_other(ctx, report_href(*id, *rep) + "#signatures-heading", "governance.report_signed");
}

// Only the area's agency moves its reports (domain::yearly_report_lifecycle()).
http::Response fire_report(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_managed(ctx, id)) return std::move(*refusal);
    auto rep = param_id(ctx, "r");
    auto event = d::parse_yearly_report_event(ctx.req.params["event"]);
    if (!rep || !event) return ctx.app.error_page(ctx, Error::not_found());
    ReportForms forms;
    forms.event = std::string(d::code(*event));
    forms.note = ctx.form("note");
    auto done = governance(ctx).fire_report(*id, *rep, *event, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return report_page(ctx, *id, *rep, forms, status); });
    return ctx.app.see_other(ctx, report_href(*id, *rep), "governance.report_done." + forms.event);
}

}  // namespace

void register_governance_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // The literal paths before the {id} ones that would take them (the first route that matches
    // wins).
    app.route("GET", "/governance", {"governance/list", S, R, list_page});
    app.route("GET", "/governance/new", {"governance/new", S, R, show_new});
    app.route("GET", "/governance/decisions", {"governance/decisions", S, R, decisions_page});
    app.route("GET", "/governance/decisions/export.csv", {"governance/decisions_export", S, R, export_csv});
    app.route("POST", "/governance", {"governance/create", S, W, post_new});
    app.route("GET", "/governance/{id}", {"governance/show", S, R, show_committee});
    app.route("POST", "/governance/{id}/members", {"governance/member_set", S, W, post_member});
    app.route("POST", "/governance/{id}/members/{org}/end", {"governance/member_end", S, W, post_end_member});
    app.route("POST", "/governance/{id}/meetings", {"governance/meeting_schedule", S, W, post_meeting});
    app.route("GET", "/governance/{id}/meetings/{m}", {"governance/meeting", S, R, show_meeting});
    app.route("POST", "/governance/{id}/meetings/{m}/{event}", {"governance/meeting_fire", S, W, fire_meeting});
    app.route("POST", "/governance/{id}/decisions", {"governance/decision_log", S, W, post_decision});
    app.route("GET", "/governance/{id}/decisions/{d}", {"governance/decision", S, R, show_decision});
    app.route("POST", "/governance/{id}/decisions/{d}/follow-up", {"governance/decision_follow_up", S, W, post_follow_up});
    app.route("POST", "/governance/{id}/decisions/{d}/{event}", {"governance/decision_fire", S, W, fire_decision});
    app.route("POST", "/governance/{id}/reports", {"governance/report_start", S, W, post_report});
    app.route("GET", "/governance/{id}/reports/{r}", {"governance/report", S, R, show_report});
    app.route("POST", "/governance/{id}/reports/{r}/edit", {"governance/report_update", S, W, post_report_edit});
    app.route("POST", "/governance/{id}/reports/{r}/sign", {"governance/report_sign", S, W, post_sign});
    app.route("POST", "/governance/{id}/reports/{r}/{event}", {"governance/report_fire", S, W, fire_report});
    // The navigation's link, for those who read the network's governance.
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (may_read(ctx)) layout["nav_governance"] = true;
    });
}

}  // namespace arrimage::web
