#include "features/governance/domain/governance.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "domain/filters.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<CommitteeKind> committee_kind_names[] = {
    {CommitteeKind::steering_group, "steering_group"},
    {CommitteeKind::governance_table, "governance_table"},
    {CommitteeKind::working_group, "working_group"},
};
constexpr Named<MeetingStatus> meeting_status_names[] = {
    {MeetingStatus::scheduled, "scheduled"},
    {MeetingStatus::held, "held"},
    {MeetingStatus::minutes_approved, "minutes_approved"},
    {MeetingStatus::cancelled, "cancelled"},
};
constexpr Named<MeetingEvent> meeting_event_names[] = {
    {MeetingEvent::hold, "hold"},
    {MeetingEvent::approve_minutes, "approve_minutes"},
    {MeetingEvent::cancel, "cancel"},
};
constexpr Named<DecisionStatus> decision_status_names[] = {
    {DecisionStatus::open, "open"},
    {DecisionStatus::in_progress, "in_progress"},
    {DecisionStatus::done, "done"},
    {DecisionStatus::cancelled, "cancelled"},
};
constexpr Named<DecisionEvent> decision_event_names[] = {
    {DecisionEvent::start, "start"},
    {DecisionEvent::complete, "complete"},
    {DecisionEvent::reopen, "reopen"},
    {DecisionEvent::cancel, "cancel"},
};
constexpr Named<YearlyReportStatus> report_status_names[] = {
    {YearlyReportStatus::draft, "draft"},
    {YearlyReportStatus::circulating, "circulating"},
    {YearlyReportStatus::submitted, "submitted"},
};
constexpr Named<YearlyReportEvent> report_event_names[] = {
    {YearlyReportEvent::circulate, "circulate"},
    {YearlyReportEvent::reopen, "reopen"},
    {YearlyReportEvent::submit, "submit"},
};

bool before(const Date& a, const Date& b) {
    return days_between(a, b) > 0;
}

}  // namespace

// ---------------------------------------------------------------- codes

const std::vector<CommitteeKind>& all_committee_kinds() {
    static const auto v = values_of(committee_kind_names);
    return v;
}
std::string_view code(CommitteeKind k) {
    return code_of(committee_kind_names, k);
}
std::optional<CommitteeKind> parse_committee_kind(std::string_view s) {
    return parse_of(committee_kind_names, s);
}

const std::vector<MeetingStatus>& all_meeting_statuses() {
    static const auto v = values_of(meeting_status_names);
    return v;
}
const std::vector<MeetingEvent>& all_meeting_events() {
    static const auto v = values_of(meeting_event_names);
    return v;
}
std::string_view code(MeetingStatus s) {
    return code_of(meeting_status_names, s);
}
std::string_view code(MeetingEvent e) {
    return code_of(meeting_event_names, e);
}
std::optional<MeetingStatus> parse_meeting_status(std::string_view s) {
    return parse_of(meeting_status_names, s);
}
std::optional<MeetingEvent> parse_meeting_event(std::string_view s) {
    return parse_of(meeting_event_names, s);
}

const std::vector<DecisionStatus>& all_decision_statuses() {
    static const auto v = values_of(decision_status_names);
    return v;
}
const std::vector<DecisionEvent>& all_decision_events() {
    static const auto v = values_of(decision_event_names);
    return v;
}
std::string_view code(DecisionStatus s) {
    return code_of(decision_status_names, s);
}
std::string_view code(DecisionEvent e) {
    return code_of(decision_event_names, e);
}
std::optional<DecisionStatus> parse_decision_status(std::string_view s) {
    return parse_of(decision_status_names, s);
}
std::optional<DecisionEvent> parse_decision_event(std::string_view s) {
    return parse_of(decision_event_names, s);
}

const std::vector<YearlyReportStatus>& all_yearly_report_statuses() {
    static const auto v = values_of(report_status_names);
    return v;
}
const std::vector<YearlyReportEvent>& all_yearly_report_events() {
    static const auto v = values_of(report_event_names);
    return v;
}
std::string_view code(YearlyReportStatus s) {
    return code_of(report_status_names, s);
}
std::string_view code(YearlyReportEvent e) {
    return code_of(report_event_names, e);
}
std::optional<YearlyReportStatus> parse_yearly_report_status(std::string_view s) {
    return parse_of(report_status_names, s);
}
std::optional<YearlyReportEvent> parse_yearly_report_event(std::string_view s) {
    return parse_of(report_event_names, s);
}

// ---------------------------------------------------------------- committees

std::vector<FieldError> validate(const CommitteeForm& in, Committee& out) {
    std::vector<FieldError> e;
    text(e, "name_fr", in.name_fr, max_governance_name_length, true, out.name_fr);
    text(e, "name_en", in.name_en, max_governance_name_length, true, out.name_en);
    choice(e, "kind", in.kind, &parse_committee_kind, out.kind);
    long_text(e, "mandate", in.mandate, max_governance_text_length, false, out.mandate);
    return e;
}

std::vector<FieldError> validate(const CommitteeMemberForm& in, CommitteeMember& out) {
    std::vector<FieldError> e;
    const std::string organisation = trim(in.organisation);
    if (organisation.empty())
        e.push_back({"organisation", "field.required", {}});
    else if (auto id = parse_id(organisation))
        out.organisation = *id;
    else
        e.push_back({"organisation", "field.choose_from_list", {}});
    text(e, "representative", in.representative, max_governance_name_length, true, out.representative);
    text(e, "title", in.title, max_governance_name_length, false, out.title);
    // A representative is reached by email only; the phone half of the shared check is unused.
    std::optional<std::string> no_phone;
    phone_email(e, "", "", in.email, no_phone, out.email);
    return e;
}

// ---------------------------------------------------------------- meetings

std::vector<FieldError> validate(const CommitteeMeetingForm& in, CommitteeMeeting& out) {
    std::vector<FieldError> e;
    std::optional<Date> held_on;
    date_field(e, "held_on", in.held_on, true, held_on);
    if (held_on) out.held_on = *held_on;
    text(e, "location", in.location, max_governance_name_length, false, out.location);
    long_text(e, "agenda", in.agenda, max_governance_text_length, true, out.agenda);
    return e;
}

std::vector<FieldError> validate(const MinutesForm& in, Minutes& out) {
    std::vector<FieldError> e;
    long_text(e, "minutes", in.minutes, max_governance_text_length, true, out.minutes);
    out.present.clear();
    bool bad = false;
    for (const auto& raw : in.present) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        if (auto id = parse_id(s))
            out.present.push_back(*id);
        else
            bad = true;
    }
    std::sort(out.present.begin(), out.present.end());
    out.present.erase(std::unique(out.present.begin(), out.present.end()), out.present.end());
    if (bad)
        e.push_back({"present", "field.choose_from_list", {}});
    else if (out.present.empty())
        e.push_back({"present", "governance.attendance_required", {}});
    return e;
}

namespace {
bool day_reached(const MeetingFacts& f) {
    return f.day_reached;
}
}  // namespace

const MeetingLifecycle& meeting_lifecycle() {
    using S = MeetingStatus;
    using E = MeetingEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    static const MeetingLifecycle table(
        "meeting",
        {
            {S::scheduled, E::hold, S::held, agency, &day_reached, "its day has come", "governance.meeting_not_yet"},
            {S::held, E::approve_minutes, S::minutes_approved, agency},
            {S::scheduled, E::cancel, S::cancelled, agency},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

MeetingFacts meeting_facts(const Date& held_on, const Date& today) {
    return {!before(today, held_on)};
}

// ---------------------------------------------------------------- the decisions log

std::vector<FieldError> validate(const DecisionLogForm& in, const Date& today, LoggedDecision& out) {
    std::vector<FieldError> e;
    optional_id(e, "meeting", in.meeting, out.meeting);

    std::optional<Date> decided_on, due_on;
    date_field(e, "decided_on", in.decided_on, true, decided_on);
    if (decided_on) {
        out.decided_on = *decided_on;
        if (before(today, *decided_on)) e.push_back({"decided_on", "governance.decided_in_future", {}});
    }
    long_text(e, "decision", in.decision, max_decision_text_length, true, out.decision);
    text(e, "decided_by", in.decided_by, max_governance_name_length, true, out.decided_by);

    const std::string owner = trim(in.owner);
    if (owner.empty())
        e.push_back({"owner", "governance.owner_required", {}});
    else if (auto id = parse_id(owner))
        out.owner = *id;
    else
        e.push_back({"owner", "field.choose_from_list", {}});
    text(e, "owner_person", in.owner_person, max_governance_name_length, false, out.owner_person);

    date_field(e, "due_on", in.due_on, true, due_on);
    if (due_on) {
        out.due_on = *due_on;
        if (decided_on && before(*due_on, *decided_on)) e.push_back({"due_on", "governance.due_before_decision", {}});
    }
    return e;
}

const DecisionLifecycle& decision_lifecycle() {
    using S = DecisionStatus;
    using E = DecisionEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    // The owner's team carries the decision out, so it reports its progress; reopening or
    // cancelling what the committee decided is the agency's call.
    const std::vector<Relationship> agency_or_owner = {Relationship::coordinating_agency, Relationship::team_member};
    static const DecisionLifecycle table(
        "decision",
        {
            {S::open, E::start, S::in_progress, agency_or_owner},
            {S::open, E::complete, S::done, agency_or_owner},
            {S::in_progress, E::complete, S::done, agency_or_owner},
            {S::done, E::reopen, S::in_progress, agency},
            {S::open, E::cancel, S::cancelled, agency},
            {S::in_progress, E::cancel, S::cancelled, agency},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

bool decision_note_required(DecisionEvent e) {
    return e == DecisionEvent::complete || e == DecisionEvent::reopen || e == DecisionEvent::cancel;
}

bool decision_overdue(DecisionStatus s, const Date& due_on, const Date& today) {
    return decision_pending(s) && before(due_on, today);
}

std::vector<FieldError> validate(const DecisionLogQuery& in, DecisionLogFilter& out) {
    std::vector<FieldError> e;
    optional_id(e, "committee", in.committee, out.committee);
    optional_choice(e, "status", in.status, &parse_decision_status, out.status);
    optional_id(e, "owner", in.owner, out.owner);
    const std::string due = trim(in.due);
    out.overdue_only = due == "overdue";
    out.due_soon = due == "soon";
    if (!due.empty() && !out.overdue_only && !out.due_soon) e.push_back({"due", "field.choose_from_list", {}});
    return e;
}

bool decision_reminder_due(DecisionStatus s, const Date& due_on, const Date& today) {
    return decision_pending(s) && days_between(today, due_on) <= decision_reminder_days;
}

// ---------------------------------------------------------------- the yearly report

std::vector<FieldError> validate(const YearlyReportForm& in, const Date& today, YearlyReportBody& out) {
    std::vector<FieldError> e;
    whole_number(e, "year", in.year, first_report_year, today.year, out.year);
    long_text(e, "activities", in.activities, max_governance_text_length, true, out.activities);
    long_text(e, "achievements", in.achievements, max_governance_text_length, false, out.achievements);
    long_text(e, "challenges", in.challenges, max_governance_text_length, false, out.challenges);
    long_text(e, "priorities", in.priorities, max_governance_text_length, false, out.priorities);
    return e;
}

namespace {
// A text as "key: <bytes>:<text>": with its length in front, a section holding a line that looks
// like the next key cannot pass for it, so two different reports never read the same.
void text_line(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).append(": ").append(std::to_string(value.size())).append(":").append(value).append("\n");
}
void number_line(std::string& out, std::string_view key, int value) {
    out.append(key).append(": ").append(std::to_string(value)).append("\n");
}
}  // namespace

std::string yearly_report_canonical(const std::string& committee_name_fr, const std::string& committee_name_en,
                                    const YearlyReportBody& body, const YearlyReportFigures& figures) {
    // The form's version comes first: a later change of the form gives other digests rather than
    // letting an old signature vouch for a text read another way.
    std::string out = "arrimage_yearly_report: 1\n";
    text_line(out, "committee_name_fr", committee_name_fr);
    text_line(out, "committee_name_en", committee_name_en);
    number_line(out, "year", body.year);
    text_line(out, "activities", body.activities);
    text_line(out, "achievements", body.achievements);
    text_line(out, "challenges", body.challenges);
    text_line(out, "priorities", body.priorities);
    number_line(out, "members", figures.members);
    number_line(out, "meetings_held", figures.meetings_held);
    number_line(out, "decisions_made", figures.decisions_made);
    number_line(out, "decisions_done", figures.decisions_done);
    number_line(out, "decisions_open", figures.decisions_open);
    return out;
}

namespace {
bool has_members(const YearlyReportFacts& f) {
    return f.has_members;
}
bool all_signed(const YearlyReportFacts& f) {
    return f.all_signed;
}
}  // namespace

const YearlyReportLifecycle& yearly_report_lifecycle() {
    using S = YearlyReportStatus;
    using E = YearlyReportEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    static const YearlyReportLifecycle table(
        "yearly_report",
        {
            {S::draft, E::circulate, S::circulating, agency, &has_members, "the committee has a current member",
             "governance.no_members"},
            {S::circulating, E::reopen, S::draft, agency},
            {S::circulating, E::submit, S::submitted, agency, &all_signed, "every member asked has signed",
             "governance.report_unsigned"},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

}  // namespace arrimage::domain
