#pragma once
// The privacy officer's tools (pure): anomaly detection over the access audit, the statutory
// clock of families' access and correction requests with its transition table, and the
// validation of requests and privacy breaches. No I/O; the store (store/privacy_office_repo.hpp)
// loads the rows and the web layer renders them. Time is always passed in.
//
// Access and correction requests (CYFSA Part X, PHIPA): a request must be answered within 30
// days of receipt; the time may be extended once, by at most 30 more days, with a reason given
// to the requester. Transitions ("who may": the privacy officer of the file's coordinating
// agency; guards are the validations below):
//
//  from      | event    | to        | guard
//  ----------+----------+-----------+---------------------------------------------------------
//  open      | extend   | extended  | 1 to 30 days, a reason
//  open      | complete | completed | closing date (received <= date <= today), an outcome
//  open      | refuse   | refused   | closing date, the reason for refusal (in `outcome`)
//  extended  | complete | completed | as above
//  extended  | refuse   | refused   | as above
//  (any other pair is refused: one extension only; closed requests stay closed)
//
// Due date = received + 30 days + extension days. Overdue: still open or extended and today is
// after the due date.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/lifecycle.hpp"
#include "domain/privacy.hpp"

namespace arrimage::domain {

// ---------------------------------------------------------------- anomalies

// One opening of a file, from the audit (user, file, time).
struct FileOpening {
    std::int64_t user_id = 0;
    std::int64_t person_id = 0;
    TimePoint at;
};

// "More than max_distinct_files distinct files within `window`", looked for in the
// `lookback` period that ends now.
struct BulkAccessRule {
    int max_distinct_files = 20;
    std::chrono::minutes window{60};
    std::chrono::hours lookback{24 * 7};
};
inline constexpr int max_threshold = 10000;
inline constexpr int max_window_minutes = 7 * 24 * 60;
inline constexpr int max_lookback_days = 90;

// A user who went over the rule: the busiest window (the earliest of equally busy ones).
struct BulkAccessFlag {
    std::int64_t user_id = 0;
    int distinct_files = 0;
    TimePoint first, last;  // first and last opening in that window
    friend bool operator==(const BulkAccessFlag&, const BulkAccessFlag&) = default;
};

// Openings outside [now - lookback, now] are ignored; input order does not matter. Flags are
// ordered by distinct files (most first), then user id.
std::vector<BulkAccessFlag> detect_bulk_access(std::span<const FileOpening> openings, const BulkAccessRule& rule, TimePoint now);

// The audit actions that count as opening a file.
bool opens_file(Action a);
// A refusal because the user has nothing to do with the file (policy steps 3): the anomaly
// "access attempted without a relationship".
bool unrelated_attempt(Reason r);

// Validates the anomaly form (threshold, window in minutes, look-back in days; empty: default).
std::vector<FieldError> validate_bulk_rule(std::string_view threshold, std::string_view window_minutes,
                                           std::string_view lookback_days, BulkAccessRule& out);

// ---------------------------------------------------------------- requests

enum class RequestKind : std::uint8_t { access, correction };
enum class RequestStatus : std::uint8_t { open, extended, completed, refused };
enum class RequestEvent : std::uint8_t { extend, complete, refuse };
// Who made the request on the family's behalf.
enum class Requester : std::uint8_t { child_youth, parent, guardian, substitute_decision_maker, authorised_representative };

inline constexpr int statutory_days = 30;
inline constexpr int max_extension_days = 30;

const std::vector<RequestKind>& all_request_kinds();
const std::vector<RequestStatus>& all_request_statuses();
const std::vector<Requester>& all_requesters();
std::string_view code(RequestKind k);
std::string_view code(RequestStatus s);
std::string_view code(RequestEvent e);
std::string_view code(Requester r);
std::optional<RequestKind> parse_request_kind(std::string_view s);
std::optional<RequestStatus> parse_request_status(std::string_view s);
std::optional<Requester> parse_requester(std::string_view s);

// A request's guards look at nothing but its status (the forms validate days and dates).
struct RequestFacts {};
using RequestLifecycle = Lifecycle<RequestStatus, RequestEvent, RequestFacts>;
// The table (docs/PRIVACY_OFFICE.md renders it): the privacy officer extends once, completes or
// refuses; a closed request is final.
const RequestLifecycle& request_lifecycle();
// The status `event` leads to from `from`, if the table has that move.
std::optional<RequestStatus> next_status(RequestStatus from, RequestEvent event);
bool closed(RequestStatus s);

// -1, 0, 1 as a is before, the same as, after b.
int compare(const Date& a, const Date& b);
Date due_date(const Date& received, int extension_days);
bool overdue(RequestStatus status, const Date& due, const Date& today);

// The request form as submitted.
struct RequestForm {
    std::string person_id, requester, kind, received_on, description;
};
struct NewRequest {
    std::int64_t person_id = 0;
    Requester requester = Requester::parent;
    RequestKind kind = RequestKind::access;
    Date received;
    std::string description;
};
std::vector<FieldError> validate(const RequestForm& in, const Date& today, NewRequest& out);

struct ExtensionForm {
    std::string days, reason;
};
// `current`: the request's status and extension so far.
std::vector<FieldError> validate_extension(const ExtensionForm& in, RequestStatus current, int& days, std::string& reason);

struct ClosingForm {
    std::string result, closed_on, outcome;  // result: completed | refused
};
struct Closing {
    RequestEvent event = RequestEvent::complete;
    Date closed_on;
    std::string outcome;
};
std::vector<FieldError> validate_closing(const ClosingForm& in, RequestStatus current, const Date& received, const Date& today,
                                         Closing& out);

// ---------------------------------------------------------------- breaches

enum class BreachStatus : std::uint8_t { open, contained, closed };
enum class BreachEvent : std::uint8_t { contain, close, reopen };
const std::vector<BreachStatus>& all_breach_statuses();
const std::vector<BreachEvent>& all_breach_events();
std::string_view code(BreachStatus s);
std::string_view code(BreachEvent e);
std::optional<BreachStatus> parse_breach_status(std::string_view s);
struct BreachFacts {};
using BreachLifecycle = Lifecycle<BreachStatus, BreachEvent, BreachFacts>;
// The table (docs/PRIVACY_OFFICE.md renders it): a breach is contained, then closed (or
// closed at once when contained on discovery); a closed breach can be reopened. The edit form
// names the status wanted: breach_lifecycle().event_to says which move that is, if any.
const BreachLifecycle& breach_lifecycle();

inline constexpr int max_files_affected = 1000000;

struct BreachForm {
    std::string discovered_on, description, files_affected, containment, ipc_notified_on, families_notified_on, status;
};
// Dates of notification are empty until notified.
struct Breach {
    Date discovered_on;
    std::string description;
    int files_affected = 0;
    std::string containment;
    std::optional<Date> ipc_notified_on, families_notified_on;
    BreachStatus status = BreachStatus::open;
};
std::vector<FieldError> validate(const BreachForm& in, const Date& today, Breach& out);

// Longest free text kept (descriptions, reasons, outcomes, containment steps).
inline constexpr std::size_t max_note_length = 4000;

}  // namespace arrimage::domain
