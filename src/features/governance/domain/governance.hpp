#pragma once
// The network's governance (docs/GOVERNANCE.md): the committees and tables of a service delivery
// area (for CSP, the area's cross-sectoral steering group), their member organisations and
// representatives, their meetings with agendas and minutes, the decisions log with each
// decision's follow-up, and the yearly report to the ministry's regional office signed by every
// member.
//
// Meetings, decisions and yearly reports each move only through their table
// (meeting_lifecycle(), decision_lifecycle(), yearly_report_lifecycle()). Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

inline constexpr std::size_t max_governance_name_length = 200;   // names, titles, places: one line
inline constexpr std::size_t max_governance_text_length = 8000;  // mandates, agendas, minutes, report sections
inline constexpr std::size_t max_decision_text_length = 4000;    // a decision, a follow-up note

// ---------------------------------------------------------------- committees

// The area's cross-sectoral CSP steering group, a governance table, a working group.
enum class CommitteeKind : std::uint8_t { steering_group, governance_table, working_group };
const std::vector<CommitteeKind>& all_committee_kinds();
std::string_view code(CommitteeKind k);
std::optional<CommitteeKind> parse_committee_kind(std::string_view s);

struct CommitteeForm {
    std::string name_fr, name_en, kind, mandate;
};
struct Committee {
    std::string name_fr, name_en;
    CommitteeKind kind = CommitteeKind::governance_table;
    std::string mandate;  // multi-line, optional
};
// Field errors (catalogue keys) or `out` filled: both names (one line, up to 200 characters), a
// known kind, the mandate up to 8,000 characters.
std::vector<FieldError> validate(const CommitteeForm& in, Committee& out);

// A member organisation and who represents it.
struct CommitteeMemberForm {
    std::string organisation, representative, title, email;
};
struct CommitteeMember {
    std::int64_t organisation = 0;
    std::string representative, title;  // one line; title optional
    std::optional<std::string> email;   // normalised, optional
};
// Field errors or `out` filled: an organisation ("field.required", "field.choose_from_list"),
// the representative's name (required, up to 200 characters), their title (optional, up to
// 200), an email well formed when given ("field.email", as phone_email() checks it).
std::vector<FieldError> validate(const CommitteeMemberForm& in, CommitteeMember& out);

// ---------------------------------------------------------------- meetings

enum class MeetingStatus : std::uint8_t { scheduled, held, minutes_approved, cancelled };
enum class MeetingEvent : std::uint8_t { hold, approve_minutes, cancel };
const std::vector<MeetingStatus>& all_meeting_statuses();
const std::vector<MeetingEvent>& all_meeting_events();
std::string_view code(MeetingStatus s);
std::string_view code(MeetingEvent e);
std::optional<MeetingStatus> parse_meeting_status(std::string_view s);
std::optional<MeetingEvent> parse_meeting_event(std::string_view s);

struct CommitteeMeetingForm {
    std::string held_on, location, agenda;
};
struct CommitteeMeeting {
    Date held_on;
    std::string location;  // one line, optional
    std::string agenda;    // multi-line, required
};
// Field errors or `out` filled: its day (YYYY-MM-DD), the place up to 200 characters, the
// agenda (required, up to 8,000 characters).
std::vector<FieldError> validate(const CommitteeMeetingForm& in, CommitteeMeeting& out);

// The minutes recorded when the meeting is held: what was said and decided (required, up to
// 8,000 characters) and the member organisations present (ids; at least one,
// "governance.attendance_required" on "present"; anything not an id "field.choose_from_list").
struct MinutesForm {
    std::string minutes;
    std::vector<std::string> present;
};
struct Minutes {
    std::string minutes;
    std::vector<std::int64_t> present;  // each once, ascending
};
std::vector<FieldError> validate(const MinutesForm& in, Minutes& out);

struct MeetingFacts {
    bool day_reached = false;  // its day is today or past
};
using MeetingLifecycle = Lifecycle<MeetingStatus, MeetingEvent, MeetingFacts>;
// Fired by the area's coordinating agency administrators (relationship coordinating_agency):
//   scheduled --hold--> held, with its minutes and attendance, once its day has come
//   ("governance.meeting_not_yet"); held --approve_minutes--> minutes_approved (at a later
//   meeting, the minutes read and approved); scheduled --cancel--> cancelled.
const MeetingLifecycle& meeting_lifecycle();
MeetingFacts meeting_facts(const Date& held_on, const Date& today);

// ---------------------------------------------------------------- the decisions log

enum class DecisionStatus : std::uint8_t { open, in_progress, done, cancelled };
enum class DecisionEvent : std::uint8_t { start, complete, reopen, cancel };
const std::vector<DecisionStatus>& all_decision_statuses();
const std::vector<DecisionEvent>& all_decision_events();
std::string_view code(DecisionStatus s);
std::string_view code(DecisionEvent e);
std::optional<DecisionStatus> parse_decision_status(std::string_view s);
std::optional<DecisionEvent> parse_decision_event(std::string_view s);
// Still to be followed up: open or in progress.
constexpr bool decision_pending(DecisionStatus s) {
    return s == DecisionStatus::open || s == DecisionStatus::in_progress;
}

// As posted: the meeting it was taken at (optional, an id), the day, the decision itself, who
// decided, the follow-up owner (a member organisation, by id) and the person there who carries
// it, the due date of its follow-up.
struct DecisionLogForm {
    std::string meeting, decided_on, decision, decided_by, owner, owner_person, due_on;
};
struct LoggedDecision {
    std::optional<std::int64_t> meeting;
    Date decided_on;
    std::string decision;      // multi-line, required
    std::string decided_by;    // one line, required ("The steering group, by consensus")
    std::int64_t owner = 0;    // the follow-up owner's organisation
    std::string owner_person;  // one line, optional
    Date due_on;
};
// Field errors or `out` filled: a meeting, when given, an id ("field.choose_from_list"); the
// day, not after today ("governance.decided_in_future"); the decision (required, up to 4,000
// characters); who decided (required, up to 200); a follow-up owner ("governance.owner_required"
// on "owner" when none, "field.choose_from_list" when not an id); the person (optional, up to
// 200); the due date (required), not before the day decided ("governance.due_before_decision").
std::vector<FieldError> validate(const DecisionLogForm& in, const Date& today, LoggedDecision& out);

using DecisionLifecycle = Lifecycle<DecisionStatus, DecisionEvent, std::monostate>;
// Who: the area's coordinating agency administrators (coordinating_agency) and the managers of
// the follow-up owner's organisation (team_member: the team carrying it out).
//   open --start--> in_progress (either); open or in progress --complete--> done (either, with
//   what was done); done --reopen--> in_progress (the agency, with why); open or in progress
//   --cancel--> cancelled (the agency, with why).
const DecisionLifecycle& decision_lifecycle();
// The events whose note is required: complete, reopen, cancel.
bool decision_note_required(DecisionEvent e);

// Overdue: still pending and its due date passed.
bool decision_overdue(DecisionStatus s, const Date& due_on, const Date& today);

// The log's filter (query parameters, each optional; anything not in its list a field error):
// committee (id), status, owner (organisation id), due ("overdue": past due and pending;
// "soon": pending and due within 30 days or past).
struct DecisionLogQuery {
    std::string committee, status, owner, due;
};
struct DecisionLogFilter {
    std::optional<std::int64_t> committee, owner;
    std::optional<DecisionStatus> status;
    bool overdue_only = false, due_soon = false;
};
inline constexpr int decision_soon_days = 30;
std::vector<FieldError> validate(const DecisionLogQuery& in, DecisionLogFilter& out);

// A decision's follow-up reminder (docs/GOVERNANCE.md): to the owner's managers and the agency,
// pending and due within 7 days or past; once per decision and due date.
inline constexpr int decision_reminder_days = 7;
bool decision_reminder_due(DecisionStatus s, const Date& due_on, const Date& today);

// ---------------------------------------------------------------- the yearly report

enum class YearlyReportStatus : std::uint8_t { draft, circulating, submitted };
enum class YearlyReportEvent : std::uint8_t { circulate, reopen, submit };
const std::vector<YearlyReportStatus>& all_yearly_report_statuses();
const std::vector<YearlyReportEvent>& all_yearly_report_events();
std::string_view code(YearlyReportStatus s);
std::string_view code(YearlyReportEvent e);
std::optional<YearlyReportStatus> parse_yearly_report_status(std::string_view s);
std::optional<YearlyReportEvent> parse_yearly_report_event(std::string_view s);

// The year covered and its sections, as posted.
struct YearlyReportForm {
    std::string year, activities, achievements, challenges, priorities;
};
struct YearlyReportBody {
    int year = 0;
    std::string activities, achievements, challenges, priorities;  // multi-line
};
inline constexpr int first_report_year = 2000;
// Field errors or `out` filled: a year from 2000 to the current one ("field.number_between" on
// "year"); the activities (required) and the other sections (optional), each up to 8,000
// characters.
std::vector<FieldError> validate(const YearlyReportForm& in, const Date& today, YearlyReportBody& out);

// The year's figures, counted from the log when the report is circulated and kept with it.
struct YearlyReportFigures {
    int members = 0;         // member organisations when circulated
    int meetings_held = 0;   // meetings of the year held (minutes recorded or approved)
    int decisions_made = 0;  // decisions of the year
    int decisions_done = 0;  // of those, done
    int decisions_open = 0;  // of those, still open or in progress
};
// What every member signs: the report's text and figures in a fixed form; its BLAKE2b-256 (in
// the store) is the digest each signature carries.
std::string yearly_report_canonical(const std::string& committee_name_fr, const std::string& committee_name_en,
                                    const YearlyReportBody& body, const YearlyReportFigures& figures);

struct YearlyReportFacts {
    bool has_members = false;  // the committee has a current member
    bool all_signed = false;   // every member asked to sign has signed
};
using YearlyReportLifecycle = Lifecycle<YearlyReportStatus, YearlyReportEvent, YearlyReportFacts>;
// Fired by the area's coordinating agency administrators:
//   draft --circulate--> circulating, for signature by every current member (its text frozen,
//   its figures counted; "governance.no_members" when there is none); circulating --reopen-->
//   draft (the signatures gathered set aside); circulating --submit--> submitted to the
//   ministry's regional office once every member has signed ("governance.report_unsigned").
const YearlyReportLifecycle& yearly_report_lifecycle();

}  // namespace arrimage::domain
