#pragma once
// Complaints and issue resolution (docs/COMPLAINTS.md): the area's register of complaints and
// conflicts. A family raises one from their account or from the public bilingual form; a
// provider raises one (a complaint, or a conflict with another provider or with a family). The
// coordinating agency triages it (category, severity, an owner among its staff), acknowledges it
// within the area's deadline, records the steps taken and a resolution; the complainant may
// appeal within the area's window, and an administrator of the area who neither owns nor
// resolved it decides the appeal.
//
// A complaint moves only through complaint_lifecycle(). Deadlines come from the area's settings
// (ComplaintSettings). Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

inline constexpr std::size_t max_complaint_name_length = 200;   // the complainant's name: one line
inline constexpr std::size_t max_complaint_text_length = 4000;  // description, outcome wanted, notes, resolution

// Label keys: complaint.kind.<code>.
enum class ComplaintKind : std::uint8_t { complaint, conflict };
// Who raised it. Label keys: complaint.source.<code>.
enum class ComplaintSource : std::uint8_t { public_form, family, provider };  // codes: public, family, provider
// Label keys: complaint.category.<code>. Codes: access, wait_times, quality, communication,
// coordination (between providers), privacy, conduct (of staff), other.
enum class ComplaintCategory : std::uint8_t { access, wait_times, quality, communication, coordination, privacy, conduct, other };
// Set at triage. Label keys: complaint.severity.<code>.
enum class ComplaintSeverity : std::uint8_t { low, medium, high, critical };
// The complainant's relation to the child or youth. Label keys: complaint.relation.<code>.
enum class ComplainantRelation : std::uint8_t { parent, youth, caregiver, professional, other };

const std::vector<ComplaintKind>& all_complaint_kinds();
const std::vector<ComplaintSource>& all_complaint_sources();
const std::vector<ComplaintCategory>& all_complaint_categories();
const std::vector<ComplaintSeverity>& all_complaint_severities();
const std::vector<ComplainantRelation>& all_complainant_relations();
std::string_view code(ComplaintKind k);
std::string_view code(ComplaintSource s);
std::string_view code(ComplaintCategory c);
std::string_view code(ComplaintSeverity s);
std::string_view code(ComplainantRelation r);
std::optional<ComplaintKind> parse_complaint_kind(std::string_view s);
std::optional<ComplaintSource> parse_complaint_source(std::string_view s);
std::optional<ComplaintCategory> parse_complaint_category(std::string_view s);
std::optional<ComplaintSeverity> parse_complaint_severity(std::string_view s);
std::optional<ComplainantRelation> parse_complainant_relation(std::string_view s);

// ---------------------------------------------------------------- the lifecycle

// Label keys: complaint.status.<code>, complaint.event.<code>.
enum class ComplaintStatus : std::uint8_t { received, triaged, acknowledged, resolved, appealed, closed, withdrawn };
enum class ComplaintEvent : std::uint8_t { triage, acknowledge, resolve, appeal, decide_appeal, close, withdraw };
const std::vector<ComplaintStatus>& all_complaint_statuses();
const std::vector<ComplaintEvent>& all_complaint_events();
std::string_view code(ComplaintStatus s);
std::string_view code(ComplaintEvent e);
std::optional<ComplaintStatus> parse_complaint_status(std::string_view s);
std::optional<ComplaintEvent> parse_complaint_event(std::string_view s);
// Still being handled: received, triaged, acknowledged or appealed.
constexpr bool complaint_open(ComplaintStatus s) {
    return s == ComplaintStatus::received || s == ComplaintStatus::triaged || s == ComplaintStatus::acknowledged ||
           s == ComplaintStatus::appealed;
}

struct ComplaintFacts {
    bool has_owner = false;           // an owner is named (the triage form's, or already set)
    bool appeal_window_open = false;  // today is on or before the last day to appeal
    bool appeal_window_over = false;  // the last day to appeal has passed (a resolved one may close)
};
using ComplaintLifecycle = Lifecycle<ComplaintStatus, ComplaintEvent, ComplaintFacts>;
// Relationships (the store's, see store/complaint_repo.hpp):
//   coordinating_agency: the area's coordinating agency administrators (ca_admin of an
//                        organisation of the area);
//   assigned_coordinator: the complaint's owner (a staff member of the agency);
//   self: whoever raised it (the family account, a staff member of the raising organisation:
//         that organisation's provider managers and the staff member who raised it).
// Rows:
//   received     --triage-->        triaged       agency; guard has_owner ("complaint.owner_required")
//   triaged      --acknowledge-->   acknowledged  agency, owner
//   acknowledged --resolve-->       resolved      agency, owner (a resolution, which the complainant reads)
//   resolved     --appeal-->        appealed      agency (on the complainant's behalf), self; guard
//                                                 appeal_window_open ("complaint.appeal_window_closed")
//   appealed     --decide_appeal--> closed        agency (not the owner; the store also refuses the
//                                                 administrator who owns it or resolved it)
//   resolved     --close-->         closed        agency; guard appeal_window_over ("complaint.appeal_window_open")
//   received, triaged, acknowledged --withdraw--> withdrawn   agency, self
const ComplaintLifecycle& complaint_lifecycle();

// ---------------------------------------------------------------- the area's deadlines

// Receipt fixes a complaint's acknowledge and resolve deadlines from the settings in force that
// day; its window to appeal and the time to decide an appeal follow the settings in force the day
// it is resolved, and the day it is appealed.
struct ComplaintSettings {
    int acknowledge_days = 3;  // from receipt, 1 to 60
    int resolve_days = 30;     // from receipt, 1 to 365
    int appeal_days = 30;      // the window to appeal from the resolution, and the time to decide an appeal, 1 to 365
};
struct ComplaintSettingsForm {
    std::string acknowledge_days, resolve_days, appeal_days;
};
// Field errors ("field.required", "complaint.days_range" with the bounds; an acknowledgement due
// after the resolution: "complaint.acknowledge_after_resolve" on "acknowledge_days") or `out`
// filled.
std::vector<FieldError> validate(const ComplaintSettingsForm& in, ComplaintSettings& out);

struct ComplaintDeadlines {
    Date acknowledge_due, resolve_due;
};
// From the day it was received (the UTC day, as the store computes every day) and the settings in
// force that day.
ComplaintDeadlines deadlines_for(const Date& received_on, const ComplaintSettings& s);
// The last day to appeal, and the day an appeal must be decided by, from the day of the
// resolution or of the appeal and the settings in force that day.
Date appeal_due_from(const Date& from, const ComplaintSettings& s);

// Which deadline a complaint in `status` is working against, and whether it has passed.
// Label keys: complaint.deadline.<code>.
enum class ComplaintDeadline : std::uint8_t { acknowledge, resolve, appeal };
std::string_view code(ComplaintDeadline d);
struct DeadlineState {
    ComplaintDeadline which = ComplaintDeadline::acknowledge;
    Date due;
    bool overdue = false;   // today is past `due`
    bool due_soon = false;  // due today or within 2 days, not yet overdue
};
// received, triaged: acknowledge (by acknowledge_due); acknowledged: resolve (resolve_due);
// appealed: appeal (appeal_due, the day the appeal must be decided by); nullopt otherwise
// (resolved, closed, withdrawn: nothing is waited on the agency). An acknowledged complaint past
// acknowledge_due is not overdue for it: it was acknowledged.
std::optional<DeadlineState> deadline_state(ComplaintStatus status, const Date& acknowledge_due, const Date& resolve_due,
                                            const std::optional<Date>& appeal_due, const Date& today);

ComplaintFacts complaint_facts(bool has_owner, const std::optional<Date>& appeal_due, const Date& today);

// ---------------------------------------------------------------- raising one

// The form as submitted (public form, family account, provider staff).
struct ComplaintForm {
    std::string area;  // the area's id (public form; signed-in staff and families: their own, ignored)
    std::string kind, category, about_organisation;
    std::string name, relation, email, phone, preferred_lang;
    std::string description, desired_outcome;
};
struct ComplaintInput {
    std::int64_t area = 0;
    ComplaintKind kind = ComplaintKind::complaint;
    ComplaintCategory category = ComplaintCategory::other;
    std::optional<std::int64_t> about_organisation;  // the organisation it is about, optional
    std::string name;                                // one line, up to 200; optional (anonymous)
    std::optional<ComplainantRelation> relation;     // optional
    std::optional<std::string> email;                // normalised, optional
    std::optional<std::string> phone;                // normalised, optional
    std::string preferred_lang = "fr";               // fr or en (default: the page's)
    std::string description;                         // required, up to 4,000 characters, plain text
    std::string desired_outcome;                     // optional, up to 4,000
};
// Field errors (catalogue keys, on the form's field names) or `out` filled:
//   - area: an id ("field.choose_from_list") when `need_area` (the public form); else ignored;
//   - kind, category: required ("complaint.category_required" on "category" when empty),
//     from the lists ("field.choose_from_list");
//   - about_organisation: empty or an id ("field.choose_from_list");
//   - name up to 200 characters on one line; relation empty or from the list;
//   - email well formed ("field.email") and phone ("field.phone") as domain::phone_email() checks
//     them; for the public form (`need_contact`), an email or a phone when a name is given, so
//     that the agency can answer ("complaint.contact_required" on "email"); a complaint with
//     neither name nor contact is anonymous, and allowed;
//   - preferred_lang fr or en (empty: `page_lang`);
//   - description required, 1 to 4,000 characters, plain text (domain::plain_long_text);
//     desired_outcome up to 4,000.
std::vector<FieldError> validate(const ComplaintForm& in, bool need_area, bool need_contact, std::string_view page_lang,
                                 ComplaintInput& out);

// ---------------------------------------------------------------- handling it

// The triage form: category (may be changed), severity (required, "complaint.severity_required"),
// owner (a user id, required: "complaint.owner_required"; the store checks it is the agency's
// staff, "field.choose_from_list" otherwise).
struct TriageForm {
    std::string category, severity, owner;
};
struct Triage {
    ComplaintCategory category = ComplaintCategory::other;
    ComplaintSeverity severity = ComplaintSeverity::medium;
    std::int64_t owner = 0;
};
std::vector<FieldError> validate(const TriageForm& in, Triage& out);

// The text an event carries, on field "note" (line breaks kept, plain text, up to 4,000):
// required for resolve (the resolution), appeal (the reason), decide_appeal (the decision) and
// withdraw; optional for acknowledge (the acknowledgement sent) and close; triage takes none
// (ignored). A step taken ("step", not a move) requires one too. "field.required" when missing.
std::vector<FieldError> validate_note(std::optional<ComplaintEvent> event, std::string_view raw, std::string& out);

// Reference "CMP-YYYY-NNNN" (the year received, a sequence within it).
std::string complaint_reference(int year, int sequence);

// The register's filter (query of /complaints).
struct ComplaintQueryForm {
    std::string status, category, severity, source, owner, overdue;  // owner: "me", a user id or ""; overdue: "1" or ""
};
struct ComplaintQuery {
    std::optional<ComplaintStatus> status;
    bool open_only = false;  // status "open": received, triaged, acknowledged or appealed
    std::optional<ComplaintCategory> category;
    std::optional<ComplaintSeverity> severity;
    std::optional<ComplaintSource> source;
    bool mine = false;                  // owner "me"
    std::optional<std::int64_t> owner;  // a user id
    bool overdue_only = false;
};
// Field errors ("field.choose_from_list" on the field) or `out` filled; status also takes "open".
std::vector<FieldError> validate(const ComplaintQueryForm& in, ComplaintQuery& out);

}  // namespace arrimage::domain
