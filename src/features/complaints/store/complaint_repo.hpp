#pragma once
// The complaints register of a service delivery area (features/complaints/domain/complaints.hpp,
// docs/COMPLAINTS.md).
//
// Who stands how to a complaint (the relationship complaint_lifecycle() is asked with):
//   - coordinating_agency: the area's coordinating agency administrators (ca_admin of an
//     organisation of the area, as elsewhere in the project): read the area's whole register,
//     triage, name and change owners, move everything, decide appeals (not one they own or
//     resolved: another administrator of the area decides it), set the area's deadlines;
//   - assigned_coordinator: the complaint's owner (a user with an active membership at the
//     area's coordinating agency, its first active organisation with that CSP role: ca_admin,
//     coordinator, provider_manager or privacy_officer), while acting for that agency: reads and
//     works the complaints they own (one rule for the complaint's page, the register and the
//     owner's counts);
//   - self: whoever raised it: the family account that raised it; the staff member who raised it
//     and the provider managers of the organisation that raised it. They read its status, the
//     acknowledgement, the resolution and the appeal decision (not the agency's internal steps),
//     may withdraw it until it is resolved and appeal a resolution within the window;
//   - none: anyone else (another organisation, a coordinator of the agency who does not own it,
//     the ministry's analyst, who sees complaints only as counts in the quarterly report):
//     NotFound for a complaint. The register is Forbidden to nobody signed in, the platform's
//     administrators and the ministry's analyst; any other staff member or family account gets
//     theirs, empty when they raised and own none.
//
// Personal information: a complaint holds the complainant's name and contact details and their
// account of events. Each read or write of a complaint is an access recorded by the kernel's
// guard (store/access.hpp): the repository decides by the rule above (deny by default) and
// records the decision with Guard::record (category identity_contact, purpose coordination,
// reason complaint_handling; a refusal no_relationship or role_relationship_not_permitted); a
// list records one row for the page, decided for the reader's relationship to the register
// (coordinating_agency for the area's administrators; assigned_coordinator when the page holds a
// complaint they own; self otherwise). The public form writes as nobody (AccessContext without an
// actor), like the public referral form.
//
// "Today" is the UTC day of the clock (date_of(clock.now())), as everywhere in the project: the
// day received, resolved or appealed, and whether a deadline is due or past.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/complaints/domain/complaints.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct ComplaintRow {
    std::int64_t id = 0;
    std::string reference;  // "CMP-2026-0007"
    domain::ComplaintKind kind = domain::ComplaintKind::complaint;
    domain::ComplaintSource source = domain::ComplaintSource::public_form;
    domain::ComplaintCategory category = domain::ComplaintCategory::other;
    std::optional<domain::ComplaintSeverity> severity;  // until triaged: none
    domain::ComplaintStatus status = domain::ComplaintStatus::received;
    std::string received_at;                         // ISO timestamp
    std::string about_fr, about_en;                  // the organisation it is about ("" when none)
    std::string raised_by_org_fr, raised_by_org_en;  // a provider's ("" otherwise)
    std::int64_t owner_id = 0;                       // 0: none yet
    std::string owner_name;
    std::optional<domain::DeadlineState> deadline;  // what the agency is working against now
};

struct ComplaintEventRow {
    std::string at;                              // ISO timestamp
    std::string event, status, note, user_name;  // codes; user_name "" for the system or the public form
};

struct ComplaintRecord {
    ComplaintRow row;
    std::string name, relation, email, phone, preferred_lang;  // the complainant's ("" when not given)
    std::string description, desired_outcome;
    std::string acknowledge_due, resolve_due, appeal_due;  // YYYY-MM-DD ("" when not set)
    std::string resolution, resolved_on, appeal_reason, appeal_decision;
    std::vector<ComplaintEventRow> events;          // oldest first; for `self`, moves only (no steps, reassignments, escalations)
    std::vector<domain::ComplaintEvent> available;  // what the reader may fire now
    domain::Relationship relationship = domain::Relationship::none;  // the reader's (see above)
    bool may_add_step = false;                                       // agency or owner, while open
    bool may_reassign = false;                                       // agency, while open
};

// A staff member of the agency who may own complaints (the triage and reassignment choices).
struct ComplaintOwnerChoice {
    std::int64_t user_id = 0;
    std::string name;
};

// An organisation a form offers ("about which organisation"; the public form's are the area's
// active organisations).
struct ComplaintOrganisationChoice {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

struct ComplaintAreaChoice {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

struct RaisedComplaint {
    std::int64_t id = 0;
    std::string reference;
    std::string acknowledge_due;  // YYYY-MM-DD: what the confirmation promises
};

// How the repository tells people (the notices above and below): the sentences written in both
// languages from `catalogue`, the emails' links made absolute on `public_base_url`; `email` false
// writes the notifications without their emails (the demo's, whose addresses go nowhere).
struct ComplaintNotices {
    const Catalogue& catalogue;
    std::string public_base_url;
    bool email = true;
};

class ComplaintRepo {
  public:
    ComplaintRepo(AccessContext ctx, ComplaintNotices notices) : ctx_(std::move(ctx)), notices_(std::move(notices)) {}

    // The areas the public form offers (every area with a coordinating agency), by name.
    std::vector<ComplaintAreaChoice> areas() const;
    // The active organisations of an area, by name (the "about" choices).
    std::vector<ComplaintOrganisationChoice> organisations(std::int64_t area) const;
    // The area a signed-in raiser raises in: their organisation's (staff) or that of a file they
    // have family access to (a family account; the first by file id). nullopt: the public form asks.
    std::optional<std::int64_t> raiser_area() const;

    // A complaint raised (field errors of domain::validate(ComplaintForm); an area or
    // organisation that does not exist or is not active, or an organisation of another area:
    // "field.choose_from_list"). Source: public (no actor), family (a family account; the
    // complainant's name, email and language default to the account's when left empty),
    // provider (staff: raised_by_org their organisation). Its deadlines are the area's. The
    // area's administrators are told (notification kind 'complaint', no personal information in it:
    // the reference and the category). Staff roles that may raise: ca_admin, coordinator,
    // provider_manager, participant_staff, privacy_officer (Forbidden otherwise).
    Result<RaisedComplaint> raise(const domain::ComplaintForm& form, std::string_view page_lang);

    // The register shows at most this many rows; the page asks for one more to tell that its
    // filters should narrow it.
    static constexpr std::size_t max_rows = 500;

    // The register for the reader: the area's for its administrators, the ones they own for an
    // owner, the ones they raised for `self` (empty for a staff member who raised and owns none;
    // Forbidden for nobody signed in, system_admin and ministry_analyst). Overdue first, then by
    // deadline, then the rest newest first; at most `limit` rows.
    Result<std::vector<ComplaintRow>> list(const domain::ComplaintQuery& query, std::size_t limit = max_rows) const;
    // Counts for the reader's dashboard: open complaints they own, of which overdue and due
    // within 2 days (zeros for anyone who owns none).
    struct OwnerSummary {
        int open = 0, overdue = 0, due_soon = 0;
    };
    OwnerSummary owner_summary() const;

    Result<ComplaintRecord> complaint(std::int64_t id) const;

    // Fires `event` (domain::complaint_lifecycle()); `note` checked by domain::validate_note.
    // triage takes `triage` (field errors of domain::validate(TriageForm); an owner who is not
    // the agency's staff: "field.choose_from_list" on "owner") and sets category, severity and
    // owner with the status; the owner is told. resolve writes the resolution and resolved_on
    // (today) and sets appeal_due (the last day to appeal, from the area's settings of today);
    // appeal writes the reason and sets appeal_due to the day the appeal must be decided by (from
    // the area's settings of today); decide_appeal writes the decision, and is Forbidden (a
    // recorded refusal) to the complaint's owner and to whoever made its latest resolution;
    // withdraw writes the note. The raiser (a family account, or the raising organisation's
    // staff) is told of the acknowledgement, the resolution and the appeal decision; the area's
    // administrators of an appeal; the owner (the administrators while it has none) of a
    // withdrawal.
    Result<domain::ComplaintStatus> fire(std::int64_t id, domain::ComplaintEvent event, const domain::TriageForm& triage,
                                         const std::string& note);
    // A step taken (required note), by the agency or the owner, while open: received, triaged,
    // acknowledged or appealed (Conflict "complaint.closed" once resolved, closed or withdrawn).
    Result<void> add_step(std::int64_t id, const std::string& note);
    // Another owner named by the agency while open, as for a step (field "owner":
    // "field.choose_from_list" when not the agency's staff); the new owner is told, except before
    // triage, whose notice tells the owner it names.
    Result<void> reassign(std::int64_t id, const std::string& owner);
    // The agency's staff who may own complaints (the area's administrators only; Forbidden
    // otherwise).
    Result<std::vector<ComplaintOwnerChoice>> owner_choices() const;

    // The area's deadlines (defaults when never set) for its administrators (Forbidden otherwise).
    Result<domain::ComplaintSettings> settings() const;
    // Changed by the area's administrators (field errors of domain::validate(ComplaintSettingsForm)).
    // Complaints already received keep their acknowledgement and resolution deadlines; the window
    // to appeal and the time to decide an appeal are those in force when one is resolved or
    // appealed.
    Result<void> save_settings(const domain::ComplaintSettingsForm& form);

  private:
    AccessContext ctx_;
    ComplaintNotices notices_;
};

// The reminder job's part (`arrimage reminders`, hourly in `serve`; in a transaction of its own,
// so that a complaint it cannot read holds back no other reminder): an open complaint whose deadline is within 2 days, once per
// complaint, deadline and due day, to its owner while they have an active owner's membership at the agency (the area's
// administrators otherwise), and for the decision on an appeal to the area's administrators, who
// decide it; an overdue one escalated to the area's administrators, once per complaint and
// deadline, with an 'escalate' event row (note: the deadline's code). Notification kind
// 'complaint'; the texts name the reference only. Returns the notifications written.
int raise_complaint_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                              bool email = true);

}  // namespace arrimage::store
