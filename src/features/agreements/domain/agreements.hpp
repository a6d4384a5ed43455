#pragma once
// The agreements registry (docs/AGREEMENTS.md): the formal agreements of an area's network, kept
// by its coordinating agency.
//
// The guidelines ask for a formal agreement between the coordinating agency and every provider
// and participant (how and when to refer families, share information and contribute to plans),
// and seed 002 asks each region to inventory its partnership agreements, update or strengthen
// them for current and emerging needs, judge whether new ones are needed and follow them up.
// Here: an agreement has two or more parties, a kind, what it covers, its dates and a status
// moved only through agreement_lifecycle(); each evaluation records what was expected, the
// indicators followed, what was found and what was decided, and may set the next review.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// With a CSP provider (its role, how it is accountable to the agency), with a CSP participant
// (how and when it refers, shares information, contributes to plans), or a partnership with
// community organisations (seed 002).
enum class AgreementKind : std::uint8_t { csp_provider, csp_participant, partnership };
const std::vector<AgreementKind>& all_agreement_kinds();
std::string_view code(AgreementKind k);
std::optional<AgreementKind> parse_agreement_kind(std::string_view s);
// Whether the area's coordinating agency must be one of the parties (the CSP kinds).
constexpr bool agency_is_party(AgreementKind k) {
    return k != AgreementKind::partnership;
}

enum class AgreementScope : std::uint8_t {
    referral,
    information_sharing,
    plan_contribution,
    governance,
    reporting,
    joint_training,
    access_mechanisms,
};
const std::vector<AgreementScope>& all_agreement_scopes();
std::string_view code(AgreementScope s);
std::optional<AgreementScope> parse_agreement_scope(std::string_view s);

// ---------------------------------------------------------------- the agreement

inline constexpr std::size_t max_agreement_title_length = 200;
inline constexpr std::size_t max_agreement_summary_length = 4000;
inline constexpr std::size_t max_agreement_parties = 40;

// As posted: organisations by id, dates as YYYY-MM-DD.
struct AgreementTermsForm {
    std::string title_fr, title_en, kind;
    std::vector<std::string> scopes, parties;
    std::string effective_on, expires_on, review_due, summary;
};
struct AgreementTerms {
    std::string title_fr, title_en;
    AgreementKind kind = AgreementKind::partnership;
    std::vector<AgreementScope> scopes;  // at least one, each once, in the catalogue's order
    std::vector<std::int64_t> parties;   // two or more organisations, each once, ascending
    Date effective_on, review_due;
    std::optional<Date> expires_on;  // none: until ended
    std::string summary;             // what each party undertakes (multi-line, optional)
};
// Field errors (catalogue keys) or, when empty, `out` filled:
//   both titles (one line, up to 200 characters); a known kind; at least one scope
//   ("field.choose_at_least_one"), each known; two or more distinct organisations
//   ("agreement.two_parties" on "parties"; up to 40); an effective date; an expiry date, when
//   given, after it ("agreement.expiry_before_effective" on "expires_on"); a review date not
//   before the effective date ("agreement.review_before_effective") nor after the expiry date
//   ("agreement.review_after_expiry"); the summary up to 4,000 characters.
std::vector<FieldError> validate(const AgreementTermsForm& in, AgreementTerms& out);

// ---------------------------------------------------------------- its lifecycle

enum class AgreementStatus : std::uint8_t { draft, active, under_review, renewed, expired, terminated };
enum class AgreementEvent : std::uint8_t { activate, open_review, conclude_review, renew, expire, terminate };
const std::vector<AgreementStatus>& all_agreement_statuses();
const std::vector<AgreementEvent>& all_agreement_events();
std::string_view code(AgreementStatus s);
std::string_view code(AgreementEvent e);
std::optional<AgreementStatus> parse_agreement_status(std::string_view s);
std::optional<AgreementEvent> parse_agreement_event(std::string_view s);
// In force: active, under review or renewed.
constexpr bool in_force(AgreementStatus s) {
    return s == AgreementStatus::active || s == AgreementStatus::under_review || s == AgreementStatus::renewed;
}
// Whose terms may still be changed: not once expired or terminated.
constexpr bool terms_editable(AgreementStatus s) {
    return s != AgreementStatus::expired && s != AgreementStatus::terminated;
}

struct AgreementFacts {
    bool past_expiry = false;  // it has an expiry date and today is on or after it
};
using AgreementLifecycle = Lifecycle<AgreementStatus, AgreementEvent, AgreementFacts>;
// Fired by the area's coordinating agency administrators (relationship coordinating_agency):
//   draft --activate--> active; active or renewed --open_review--> under review;
//   under review --conclude_review--> active (kept as it is) or --renew--> renewed (new dates);
//   in force --expire--> expired once its expiry date has come; anything but expired or
//   terminated --terminate--> terminated (with its reason).
const AgreementLifecycle& agreement_lifecycle();
AgreementFacts agreement_facts(const std::optional<Date>& expires_on, const Date& today);

// A renewal's new dates: an expiry date after today and after the current one
// ("agreement.renewal_expiry"), a review date from today to it ("agreement.review_after_expiry",
// "agreement.review_in_past").
struct RenewalForm {
    std::string expires_on, review_due;
};
struct Renewal {
    Date expires_on, review_due;
};
std::vector<FieldError> validate(const RenewalForm& in, const std::optional<Date>& current_expiry, const Date& today,
                                 Renewal& out);

inline constexpr std::size_t max_transition_note_length = 2000;

// ---------------------------------------------------------------- evaluations

// What the evaluation concluded for the agreement.
enum class EvaluationOutcome : std::uint8_t { keep, strengthen, renegotiate, new_agreement_needed, end };
const std::vector<EvaluationOutcome>& all_evaluation_outcomes();
std::string_view code(EvaluationOutcome o);
std::optional<EvaluationOutcome> parse_evaluation_outcome(std::string_view s);

inline constexpr std::size_t max_evaluation_text_length = 4000;

struct EvaluationForm {
    std::string evaluated_on, expected_results, indicators, findings, adjustments, outcome, next_review_due;
};
struct Evaluation {
    std::int64_t id = 0;
    Date evaluated_on;
    std::string expected_results, indicators, findings, adjustments;  // multi-line
    EvaluationOutcome outcome = EvaluationOutcome::keep;
    std::optional<Date> next_review_due;
    std::string created_at;  // ISO timestamp (store)
};
// Field errors or `out` filled: the day it was evaluated, not after today
// ("agreement.evaluated_in_future"); findings required, each text up to 4,000 characters; an
// outcome; the next review, when given, after the evaluation ("agreement.next_review_order") and
// not before today ("agreement.review_in_past").
std::vector<FieldError> validate(const EvaluationForm& in, const Date& today, Evaluation& out);

// ---------------------------------------------------------------- documents

// A signed copy, an amendment, an annex, anything else of the agreement's.
enum class DocumentKind : std::uint8_t { signed_copy, amendment, annex, other };
const std::vector<DocumentKind>& all_document_kinds();
std::string_view code(DocumentKind k);
std::optional<DocumentKind> parse_document_kind(std::string_view s);

inline constexpr std::size_t max_document_bytes = 10 * 1024 * 1024;
inline constexpr std::size_t max_document_name_length = 120;

// The files accepted, by extension (lower case), with the type they are served as: PDF,
// Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG and JPEG. Nothing a browser would
// run or show as a page.
struct DocumentType {
    std::string_view extension;     // "pdf"
    std::string_view content_type;  // "application/pdf"
};
const std::vector<DocumentType>& document_types();

struct DocumentUpload {
    std::string kind;
    std::string filename;   // as the browser sent it
    std::string_view data;  // the file's bytes
};
struct DocumentCheck {
    DocumentKind kind = DocumentKind::other;
    std::string filename;      // the name shown and given back on download
    std::string content_type;  // of its type (document_types())
};
// Field errors (on "file" unless said) or `out` filled:
//   a kind ("field.required", "field.choose_from_list" on "kind");
//   a file that is not empty ("agreement.document_missing") and at most 10 MiB
//   ("agreement.document_too_large");
//   a plain name: valid UTF-8, up to 120 characters, no folder (/ or \), no control,
//   invisible or direction-changing character (spaces are fine), none of : * ? " < > |, not
//   starting with a dot
//   ("agreement.document_name");
//   one of the extensions accepted ("agreement.document_type");
//   content that is what its extension says: a PDF starts with %PDF-, a PNG and a JPEG with
//   their signatures, .docx and .xlsx are Office Open XML packages with their word/ or xl/
//   part, .odt an OpenDocument package of text: its mimetype entry first, another entry after
//   ("agreement.document_content").
std::vector<FieldError> validate(const DocumentUpload& in, DocumentCheck& out);

// ---------------------------------------------------------------- the inventory's filter

// Query parameters of the inventory: each optional, anything not in its list a field error.
struct InventoryQuery {
    std::string kind, status, scope, organisation, review;  // review: "due" (within 60 days or past)
    std::string page;                                       // 1 when empty
};
struct InventoryFilter {
    std::optional<AgreementKind> kind;
    std::optional<AgreementStatus> status;
    std::optional<AgreementScope> scope;
    std::optional<std::int64_t> organisation;
    bool review_due = false;
    int page = 1;  // from 1 to max_inventory_page ("field.number_between" on "page")
};
inline constexpr int inventory_page_size = 50;
inline constexpr int max_inventory_page = 100000;
inline constexpr int review_soon_days = 60;
std::vector<FieldError> validate(const InventoryQuery& in, InventoryFilter& out);

// The reminders (docs/AGREEMENTS.md): a review due within 30 days or past, an expiry within 90
// days, while the agreement is in force; once per agreement and date.
inline constexpr int review_reminder_days = 30;
inline constexpr int expiry_reminder_days = 90;
bool review_reminder_due(AgreementStatus s, const Date& review_due, const Date& today);
bool expiry_reminder_due(AgreementStatus s, const std::optional<Date>& expires_on, const Date& today);

// ---------------------------------------------------------------- coverage

// Whether new agreements are needed (seed 002's "evaluate whether new ones are needed"): the
// guidelines ask a formal agreement of every CSP provider (kind csp_provider) and participant
// (csp_participant) with the area's coordinating agency. None is asked of the agency itself or of
// a broader partner (a partnership is theirs to choose).
std::optional<AgreementKind> required_agreement(CspRole role);

// Where an organisation stands against the agreement its role asks for:
//   covered     one in force, not expiring within 90 days (or another in force beyond);
//   expiring    in force, but every one expires within 90 days (expiry_reminder_days);
//   draft_only  none in force, one being drafted;
//   lapsed      none in force or drafted, one expired or terminated;
//   missing     none ever recorded.
enum class CoverageState : std::uint8_t { covered, expiring, draft_only, lapsed, missing };
const std::vector<CoverageState>& all_coverage_states();
std::string_view code(CoverageState s);
struct CoverageInput {
    AgreementStatus status = AgreementStatus::draft;
    std::optional<Date> expires_on;
};
// From the organisation's agreements of the kind asked for (any order).
CoverageState coverage_state(const std::vector<CoverageInput>& agreements, const Date& today);

}  // namespace arrimage::domain
