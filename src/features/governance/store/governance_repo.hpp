#pragma once
// The network's governance in a service delivery area (features/governance/domain/governance.hpp,
// docs/GOVERNANCE.md): committees, members, meetings, the decisions log, yearly reports.
//
// Who:
//   - the area's coordinating agency administrators (role ca_admin; their organisation's area)
//     create committees, name members, schedule and hold meetings, log decisions, write,
//     circulate and submit yearly reports, and move everything (relationship
//     coordinating_agency in the lifecycle tables);
//   - a provider manager reads the committees their organisation is or was a member of; moves
//     and follows up the decisions their organisation owns (relationship team_member); signs,
//     for their organisation, a yearly report circulated to it;
//   - a ministry analyst reads every area's;
//   - a ca_admin signs for the agency when the agency is a member.
// Anyone else is refused (Forbidden); a committee the reader may not see is not found, and so
// is a meeting, decision or report not of the committee named.
//
// What: organisations, their representatives and the network's decisions; never a child or a
// family: the policy decision point is not asked. Each write records who made it (created_by,
// updated_by, the events tables, the signatures).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/governance/domain/governance.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct CommitteeSummary {
    std::int64_t id = 0;
    std::int64_t sda_id = 0;
    std::string area_fr, area_en;
    std::string name_fr, name_en;
    domain::CommitteeKind kind = domain::CommitteeKind::governance_table;
    int members = 0;              // current member organisations
    int pending_decisions = 0;    // open or in progress
    int overdue_decisions = 0;    // of those, past their due date
    std::string next_meeting_on;  // the next scheduled meeting's day, "" when none
};

struct CommitteeMemberRow {
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en;  // the organisation's
    bool agency = false;           // the area's coordinating agency
    bool can_sign = false;         // someone there may sign a yearly report (an active provider_manager or ca_admin)
    std::string representative, title, email;
    std::string joined_on, left_on;  // YYYY-MM-DD; left_on "" while a member
};

struct GovernanceEventRow {
    std::string at;  // ISO timestamp
    std::string event, status, note, user_name;
};

struct MeetingRow {
    std::int64_t id = 0;
    std::string held_on, location;
    domain::MeetingStatus status = domain::MeetingStatus::scheduled;
    int decisions = 0;  // logged at it
};

struct DecisionRow {
    std::int64_t id = 0;
    std::int64_t committee_id = 0;
    std::string committee_fr, committee_en;
    std::string reference;  // "DEC-2026-0004"
    std::string decided_on, decision, decided_by;
    std::int64_t owner_id = 0;
    std::string owner_fr, owner_en, owner_person;
    std::string due_on;
    domain::DecisionStatus status = domain::DecisionStatus::open;
    bool overdue = false;
    std::int64_t meeting_id = 0;  // 0: not taken at a recorded meeting
    std::string meeting_on;
};

struct YearlyReportRow {
    std::int64_t id = 0;
    int year = 0;
    domain::YearlyReportStatus status = domain::YearlyReportStatus::draft;
    int signed_count = 0, signers = 0;  // signatures gathered, asked for (0 while a draft)
};

struct CommitteeRecord {
    CommitteeSummary summary;
    std::string mandate;
    std::vector<CommitteeMemberRow> members;  // current first (agency first, then by name), then past
    std::vector<MeetingRow> meetings;         // newest first
    std::vector<DecisionRow> decisions;       // pending first by due date, then the rest newest first
    std::vector<YearlyReportRow> reports;     // newest year first
    bool may_manage = false;                  // the reader is the area's ca_admin
};

struct MeetingRecord {
    std::int64_t committee_id = 0;
    std::string committee_fr, committee_en;
    MeetingRow meeting;
    std::string agenda, minutes;
    std::vector<std::int64_t> present;            // organisations present (once held)
    std::vector<CommitteeMemberRow> members;      // current members (the attendance form's choices)
    std::vector<DecisionRow> decisions;           // logged at it
    std::vector<GovernanceEventRow> events;       // oldest first
    std::vector<domain::MeetingEvent> available;  // what the reader may fire now
    bool may_log_decision = false;                // held or approved, and the reader manages
};

struct DecisionRecord {
    DecisionRow row;
    std::vector<GovernanceEventRow> events;        // moves and follow-up notes, oldest first
    std::vector<domain::DecisionEvent> available;  // what the reader may fire now
    bool may_follow_up = false;                    // agency, or the owner's manager, while pending
};

struct SignatureRow {
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en;
    bool is_signed = false;
    std::string signed_by, signed_at;  // user's display name, ISO timestamp ("" until signed)
};

struct YearlyReportRecord {
    std::int64_t committee_id = 0;
    std::string committee_fr, committee_en;
    std::int64_t id = 0;
    domain::YearlyReportBody body;
    domain::YearlyReportStatus status = domain::YearlyReportStatus::draft;
    int version = 1;
    domain::YearlyReportFigures figures;   // counted when circulated (zeros while a draft)
    std::string digest;                    // what every member signs, hex ("" while a draft)
    std::vector<SignatureRow> signatures;  // by organisation name (empty while a draft)
    std::vector<GovernanceEventRow> events;
    std::vector<domain::YearlyReportEvent> available;
    bool may_edit = false;  // a draft, and the reader manages
    bool may_sign = false;  // circulating, and the reader's organisation has yet to sign
};

// An organisation a form offers (members to add; the follow-up owner among the members).
struct GovernanceOrganisation {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

class GovernanceRepo {
  public:
    explicit GovernanceRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader manages the area's governance (a ca_admin with an area).
    bool may_manage() const;

    // The committees the reader may see (see above), the area's by name.
    Result<std::vector<CommitteeSummary>> committees() const;
    // A new committee of the administrator's area (field errors of domain::validate(CommitteeForm)).
    Result<std::int64_t> create_committee(const domain::CommitteeForm& form);
    Result<CommitteeRecord> committee(std::int64_t id) const;
    // The area's active organisations (the member form's choices; Forbidden but for a ca_admin).
    Result<std::vector<GovernanceOrganisation>> organisation_choices() const;

    // A member added (joined today), or its representative changed; a former member rejoining
    // keeps its row (left_on cleared, joined today). Field errors of
    // domain::validate(CommitteeMemberForm); an organisation that is not active
    // ("field.choose_from_list" on "organisation") or of another area
    // ("governance.member_other_area").
    Result<void> set_member(std::int64_t committee, const domain::CommitteeMemberForm& form);
    // Its membership ended today (NotFound when not a current member).
    Result<void> end_member(std::int64_t committee, std::int64_t organisation);

    // A meeting scheduled (field errors of domain::validate(CommitteeMeetingForm)).
    Result<std::int64_t> schedule_meeting(std::int64_t committee, const domain::CommitteeMeetingForm& form);
    Result<MeetingRecord> meeting(std::int64_t committee, std::int64_t meeting) const;
    // Moves it through domain::meeting_lifecycle(). Holding it needs its minutes (field errors
    // of domain::validate(MinutesForm); organisations present that are not members, and did not
    // leave on or after the meeting's day: "field.choose_from_list" on "present"), written with
    // the status; `note`
    // (optional, up to 2,000 characters) is the event's.
    Result<domain::MeetingStatus> fire_meeting(std::int64_t committee, std::int64_t meeting, domain::MeetingEvent event,
                                               const domain::MinutesForm& minutes, const std::string& note);

    // A decision logged (field errors of domain::validate(DecisionLogForm)): a meeting, when
    // named, of this committee and held ("field.choose_from_list" on "meeting"), and the day
    // decided its day ("governance.decision_meeting_day" on "decided_on", with that day); the
    // owner a current member ("governance.owner_not_member" on "owner").
    Result<std::int64_t> log_decision(std::int64_t committee, const domain::DecisionLogForm& form);
    Result<DecisionRecord> decision(std::int64_t committee, std::int64_t decision) const;
    // Moves it through domain::decision_lifecycle(); the note required for complete, reopen and
    // cancel ("field.required" on "note"), up to 4,000 characters.
    Result<domain::DecisionStatus> fire_decision(std::int64_t committee, std::int64_t decision, domain::DecisionEvent event,
                                                 const std::string& note);
    // A follow-up note on a pending decision (required, up to 4,000 characters, on "note"), by
    // the agency or the owner's manager; not once done or cancelled (Conflict
    // "governance.decision_closed").
    Result<void> follow_up(std::int64_t committee, std::int64_t decision, const std::string& note);
    // The decisions log across the committees the reader may see, filtered (field errors of
    // domain::validate(DecisionLogQuery)): pending first by due date, then the rest newest first.
    Result<std::vector<DecisionRow>> decisions(const domain::DecisionLogQuery& query) const;
    // The current members of a committee the reader manages (the owner choices).
    Result<std::vector<GovernanceOrganisation>> member_choices(std::int64_t committee) const;

    // A yearly report started as a draft (field errors of domain::validate(YearlyReportForm));
    // one per committee and year (Conflict "governance.report_exists").
    Result<std::int64_t> start_report(std::int64_t committee, const domain::YearlyReportForm& form);
    Result<YearlyReportRecord> report(std::int64_t committee, std::int64_t report) const;
    // Its sections changed, from the version shown (Conflict "governance.changed_meanwhile");
    // only while a draft (Conflict "governance.report_frozen"); its year is kept.
    Result<void> update_report(std::int64_t committee, std::int64_t report, int version, const domain::YearlyReportForm& form);
    // Moves it through domain::yearly_report_lifecycle(). Circulating counts its figures, fixes
    // its digest and asks every current member to sign (written with the status); a member
    // where nobody may sign (no active provider manager or administrator) would hold the report
    // forever, so circulating is refused (Conflict "governance.member_cannot_sign"; the
    // committee's page marks them, CommitteeMemberRow::can_sign). Reopening sets the signatures aside;
    // submitting needs every one.
    Result<domain::YearlyReportStatus> fire_report(std::int64_t committee, std::int64_t report, domain::YearlyReportEvent event,
                                                   const std::string& note);
    // The reader signs, for their organisation, the report as shown (`digest`: another one, the
    // report changed since: Conflict "governance.report_changed"); only while circulating, by a
    // provider manager or ca_admin of an organisation asked to sign and that has not (Forbidden
    // otherwise; Conflict "governance.already_signed").
    Result<void> sign_report(std::int64_t committee, std::int64_t report, const std::string& digest);

  private:
    AccessContext ctx_;
    // The committee's row for the reader, or the refusal: Forbidden for a role that reads none,
    // NotFound for one the reader may not see. `manager`: the reader is its area's ca_admin.
    Result<Row> readable(std::int64_t committee, bool& manager) const;
    // The administrator's area, or Forbidden.
    Result<std::int64_t> admin_area() const;
    // The committee, of the administrator's area (NotFound otherwise).
    Result<void> managed(std::int64_t committee) const;
};

// The reminder job's part (`arrimage reminders`, hourly in `serve`): a decision pending and due
// within 7 days or past, to the owner organisation's managers and the area's coordinating agency
// administrators, once per decision and due date; a yearly report circulated for signature, to
// the managers (provider_manager, ca_admin) of each member organisation yet to sign, once per
// report and organisation. Notification kind 'governance'. Returns the notifications written.
int raise_governance_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                               bool email = true);

}  // namespace arrimage::store
