#pragma once
// The FHIR R4 API's rules (docs/FHIR.md): API clients of an organisation and their lifecycle,
// SMART App Launch v2 system scopes, and the search parameters each resource type accepts.
// Pure: no I/O.
//
// An API client is registered by an administrator for one organisation and acts as that
// organisation in one role (coordinator, provider_manager or participant_staff), through a
// service account of its own (a users row without a password, with one membership): every call
// goes through the same access kernel, policy and consent as a person of that organisation in
// that role, and its accesses are audited under the client's name. To see a child's file the
// client must be on the file's team, like a person.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "domain/identity.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// ---------------------------------------------------------------- resource types

// The resource types the API serves, in the CapabilityStatement's order: Patient,
// RelatedPerson, Organization, Location, HealthcareService.
const std::vector<std::string>& fhir_resource_types();
bool fhir_supported(std::string_view resource_type);

// ---------------------------------------------------------------- scopes (SMART v2)

// Interactions a scope may permit: SMART v2's c, r, u, d, s.
enum class FhirInteraction : std::uint8_t { create, read, update, delete_, search };

// One scope: `system/<type or *>.<cruds>` (SMART v2), also accepted in v1 form
// (`system/Patient.read` = rs, `.write` = cud, `.*` = cruds) and written back in v2 form.
struct FhirScope {
    std::string resource;  // a supported type, or "*"
    bool c = false, r = false, u = false, d = false, s = false;
    bool operator==(const FhirScope&) const = default;
};

// Space-separated scopes. Field errors (field "scopes", keys fhir.scope.*) for an empty list, a
// scope not of the system/ context (patient/ and user/ are not offered to a client without a
// user), an unknown resource type, letters out of order or repeated (v2 requires c, r, u, d, s
// in that order) or more than 50 scopes. Duplicates are merged.
Result<std::vector<FhirScope>> parse_fhir_scopes(std::string_view text);
// Back to text, v2 form, in the order given ("system/Patient.rs system/Organization.r").
std::string format_fhir_scopes(const std::vector<FhirScope>& scopes);
// Whether `scopes` permit `interaction` on `resource_type`.
bool fhir_permits(const std::vector<FhirScope>& scopes, std::string_view resource_type, FhirInteraction interaction);
// The scopes of a token asked with `requested` (empty: all the client's): each requested scope
// narrowed to what the client's scopes grant (a type and letters the client lacks are dropped).
// Empty when nothing requested is granted (the token endpoint answers invalid_scope).
std::vector<FhirScope> narrow_fhir_scopes(const std::vector<FhirScope>& granted, const std::vector<FhirScope>& requested);

// ---------------------------------------------------------------- API clients

inline constexpr std::size_t max_api_client_name_length = 120;
inline constexpr int api_token_minutes = 60;  // an access token's life

// Roles a client may act in (Role codes). Label keys: role.<code>.
const std::vector<Role>& api_client_roles();

struct NewApiClient {
    std::string name;    // shown to administrators and in the audit: "Hôpital régional — DSE"
    std::string role;    // a code among api_client_roles()
    std::string scopes;  // as typed: parse_fhir_scopes
};
// Field errors (fields name, role, scopes): name required, one line, at most
// max_api_client_name_length; role among api_client_roles(); scopes as parse_fhir_scopes says.
std::vector<FieldError> validate_api_client(const NewApiClient& in);

// Label keys: api_client.status.<code>, api_client.event.<code>.
enum class ApiClientStatus : std::uint8_t { active, revoked };
enum class ApiClientEvent : std::uint8_t { revoke };
const std::vector<ApiClientStatus>& all_api_client_statuses();
std::string_view code(ApiClientStatus s);
std::string_view code(ApiClientEvent e);
std::optional<ApiClientStatus> parse_api_client_status(std::string_view s);
struct ApiClientFacts {};
using ApiClientLifecycle = Lifecycle<ApiClientStatus, ApiClientEvent, ApiClientFacts>;
// active --revoke--> revoked, fired by the administrators who may register clients for the
// organisation (relationship coordinating_agency in the table). Revocation is final: a new
// client is registered instead. Its tokens stop working at once.
const ApiClientLifecycle& api_client_lifecycle();

// ---------------------------------------------------------------- search parameters

// One search as asked: the common parameters the issue lists that apply to the type.
//   all types:          _id, _lastUpdated (not for Patient: a file has no public update time),
//                       _count (0..100, default 20; a larger one is taken as 100; 0 asks for
//                       the total alone), _offset (paging links; 0..10000), _format
//   Patient:            identifier, name, birthdate, _id
//   RelatedPerson:      patient, name, _id
//   Organization:       identifier, name, _id
//   Location:           organization, name, _id
//   HealthcareService:  organization, name, _id
// Values: _id is one of our ids, a positive integer; any other value is no id of ours and
// matches nothing (as a read of Patient/abc finds nothing). The references (patient=,
// organization=) are written 12, Type/12 or, on this server's FHIR base `base`, <base>/Type/12;
// a reference to a non-integer id matches nothing, one to another type or another server is
// refused. identifier is "value", "system|value", "system|" (any value in that system) or
// "|value" (an identifier without a system); birthdate is YYYY-MM-DD with an optional eq, ge,
// le prefix; name is 1..100 characters; _format is json, application/json or
// application/fhir+json. The only modifier is name:contains (any part of a name rather than
// the start of one of its words), for every type but Patient; any other is refused. A search
// of more than max_fhir_search_parameters parameters is refused as a whole.
struct FhirSearch {
    std::string resource_type;
    // A value no resource of ours can have was asked (an _id or a reference that is not one of
    // our ids): the search finds nothing.
    bool matches_nothing = false;
    std::optional<std::int64_t> id;
    // As written: "value" gives the value alone; "system|value" both; "system|" the system
    // alone; "|value" the system "" (none) and the value. Neither: no identifier asked.
    std::optional<std::string> identifier_system, identifier_value;
    std::optional<std::string> name;
    bool name_contains = false;                  // name:contains
    std::optional<std::string> birthdate;        // YYYY-MM-DD
    std::string birthdate_prefix = "eq";         // eq, ge, le
    std::optional<std::int64_t> patient;         // RelatedPerson
    std::optional<std::int64_t> organization;    // Location, HealthcareService
    std::optional<std::string> last_updated_ge;  // _lastUpdated=geYYYY-MM-DD (other forms refused)
    int count = 20;                              // 0..max_fhir_search_count
    int offset = 0;
};

inline constexpr int max_fhir_search_count = 100;
// More parameters than this: the search is refused with one error (fhir.search.too_many).
inline constexpr std::size_t max_fhir_search_parameters = 50;
// At most this many errors are reported for one search.
inline constexpr std::size_t max_fhir_search_errors = 20;

// A search parameter refused: the parameter's name and a catalogue key (fhir.search.*) with its
// arguments. Unknown parameter, duplicate, bad value, unsupported modifier, too many.
struct FhirSearchError {
    std::string parameter;
    std::string message_key;
    std::vector<std::string> args;
};

// Parses the query of a search on `resource_type` (a supported type). Every problem is reported,
// not only the first (at most max_fhir_search_errors of them). `base` is this server's FHIR
// base without a trailing slash ("https://arrimage.example/fhir"), for absolute references;
// empty: only relative ones are read.
std::pair<std::optional<FhirSearch>, std::vector<FhirSearchError>> parse_fhir_search(
    std::string_view resource_type, const std::vector<std::pair<std::string, std::string>>& query, std::string_view base = {});

}  // namespace arrimage::domain
