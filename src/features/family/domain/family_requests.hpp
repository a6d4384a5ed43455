#pragma once
// What a family raises on its own file (docs/FAMILY.md, "Concerns, complaints and requests"):
// a concern or a complaint, addressed to the file's coordinator or to the coordinating agency,
// and requests for access to or correction of the file's records, which become rows of the
// privacy office's register with its 30-day clock (domain/privacy_office.hpp). Pure: no I/O.
//
// A concern or complaint is received, acknowledged, then closed with a response, by the table
// concern_lifecycle() (docs/FAMILY.md renders it). Who may move it: the file's assigned
// coordinator (only what is addressed to them; the store does not show them the rest) or the
// coordinating agency's staff (everything on the file).
//
// Who is told when the family raises something (audience_of): a concern or complaint addressed to
// the coordinator goes to the file's assigned coordinator, or to the agency's managers when the
// file has none; addressed to the agency, to the agency's managers. An access or correction
// request goes to the agency's privacy officers, whose register it is in.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/lifecycle.hpp"
#include "domain/people.hpp"
#include "domain/privacy_office.hpp"
#include "features/family/domain/family.hpp"

namespace arrimage::domain {

// Label keys: family.request_kind.<code>.
enum class FamilyRequestKind : std::uint8_t { concern, complaint, correction, access };
const std::vector<FamilyRequestKind>& all_family_request_kinds();
std::string_view code(FamilyRequestKind k);
std::optional<FamilyRequestKind> parse_family_request_kind(std::string_view s);
// Correction and access requests are the privacy office's (nullopt for a concern or complaint).
std::optional<RequestKind> privacy_request_kind(FamilyRequestKind k);

// To whom a concern or complaint is addressed. Label keys: family.addressed_to.<code>.
enum class ConcernAddressee : std::uint8_t { coordinator, agency };
const std::vector<ConcernAddressee>& all_concern_addressees();
std::string_view code(ConcernAddressee a);
std::optional<ConcernAddressee> parse_concern_addressee(std::string_view s);

// Label keys: family.concern_status.<code>.
enum class ConcernStatus : std::uint8_t { received, acknowledged, closed };
enum class ConcernEvent : std::uint8_t { acknowledge, close };
const std::vector<ConcernStatus>& all_concern_statuses();
const std::vector<ConcernEvent>& all_concern_events();
std::string_view code(ConcernStatus s);
std::string_view code(ConcernEvent e);
std::optional<ConcernStatus> parse_concern_status(std::string_view s);
std::optional<ConcernEvent> parse_concern_event(std::string_view s);

// A concern's guards look at nothing but its status (the response is checked by validate_answer).
struct ConcernFacts {};
using ConcernLifecycle = Lifecycle<ConcernStatus, ConcernEvent, ConcernFacts>;
const ConcernLifecycle& concern_lifecycle();
// Who answers concerns on a file: its assigned coordinator or its coordinating agency's staff.
bool answers_concerns(Relationship r);

inline constexpr std::size_t max_family_request_length = 4000;
inline constexpr std::size_t max_concern_answer_length = 4000;

// The family's form as submitted.
struct FamilyRequestForm {
    std::string kind, addressed_to, description;
};
struct FamilyRequest {
    FamilyRequestKind kind = FamilyRequestKind::concern;
    std::optional<ConcernAddressee> addressed_to;  // a concern or complaint only
    std::string description;
};
// Field errors (catalogue keys) or, when empty, `out` filled: a kind from the list; to whom, for a
// concern or complaint (ignored for a privacy request); a description of 1 to 4000 characters,
// plain text (domain::plain_long_text: no markup).
std::vector<FieldError> validate(const FamilyRequestForm& in, FamilyRequest& out);

// Staff's answer: a note when acknowledging (optional), a response when closing (required, which
// the family reads); up to 4000 characters, line breaks kept. Field "response".
std::vector<FieldError> validate_answer(ConcernEvent event, std::string_view raw, std::string& out);

// Who the register names as making a request: the youth for their own file; a family member by
// their relationship to the child (an other caregiver acting for the child: a substitute
// decision-maker).
Requester requester_for(FamilyRelation relation, std::optional<FamilyRelationship> member);

// Who hears of what the family raised (see the header).
enum class Audience : std::uint8_t { assigned_coordinator, agency_managers, privacy_officers };
Audience audience_of(const FamilyRequest& r, bool file_has_coordinator);

}  // namespace arrimage::domain
