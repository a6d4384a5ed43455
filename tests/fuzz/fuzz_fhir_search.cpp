// libFuzzer target for the FHIR API's parsers (features/fhir/domain/fhir.hpp): the search
// parameters of a search (domain::parse_fhir_search) and SMART v2 system scopes
// (domain::parse_fhir_scopes, format_fhir_scopes, narrow_fhir_scopes).
//
// The input is three lines: a resource type, a query string and scopes as a client would ask
// them ("Patient\nname=Roy&_count=5\nsystem/Patient.rs"). The query is decoded as the server
// does (http::parse_urlencoded) and, when that refuses it, split raw on '&' and '=' so the
// parser also sees what the server would never hand it. It is searched on the type given and
// on each served type, without a base and with one (absolute references). Checked on every
// input: a search is returned exactly when no error is, and then within its bounds (count
// 0..100, offset 0..10000, positive ids, real dates, names of 1..100 characters, name:contains
// never for Patient, an identifier's parts as written); at most 20 errors, and a single one for
// more than 50 parameters; every error names a fhir.search.* message with printable arguments.
// A reference written absolute on the base parses as the same reference written relative.
// Scopes that parse are at most 50, of served types or "*", each with a letter and each type
// once; they format back to text that parses to the same scopes; a token narrowed from them
// permits exactly what both the client's and the asked scopes permit. Refused scopes are field
// errors on "scopes" with fhir.scope.* messages.
// Built and run by scripts/fuzz-smoke. Any crash, sanitizer report or FUZZ_CHECK failure is a
// bug in the code under test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "http/message.hpp"

using namespace arrimage;
namespace d = arrimage::domain;

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

constexpr d::FhirInteraction interactions[] = {d::FhirInteraction::create, d::FhirInteraction::read, d::FhirInteraction::update,
                                               d::FhirInteraction::delete_, d::FhirInteraction::search};

std::string_view next_line(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    return line;
}

// The query as the server decodes it, or split raw when the server would refuse it.
Query query_of(std::string_view text) {
    if (auto decoded = http::parse_urlencoded(text)) return std::move(*decoded);
    Query out;
    for (const auto& item : split_on(text, '&')) {
        const auto eq = item.find('=');
        out.emplace_back(item.substr(0, eq), eq == std::string::npos ? std::string() : item.substr(eq + 1));
    }
    return out;
}

bool printable(const std::string& s) {
    if (!valid_utf8(s)) return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
    return true;
}

constexpr std::string_view fuzz_base = "https://arrimage.example/fhir";

void check_search(std::string_view type, const Query& query, std::string_view base = {}) {
    const auto [search, errors] = d::parse_fhir_search(type, query, base);
    FUZZ_CHECK(search.has_value() == errors.empty());
    if (!d::fhir_supported(type)) FUZZ_CHECK(!search && errors.size() == 1);
    FUZZ_CHECK(errors.size() <= d::max_fhir_search_errors);
    std::size_t asking = 0;
    for (const auto& [name, value] : query)
        if (!name.empty() || !value.empty()) ++asking;
    if (asking > d::max_fhir_search_parameters) FUZZ_CHECK(errors.size() == 1);
    for (const auto& e : errors) {
        FUZZ_CHECK(e.message_key.starts_with("fhir.search."));
        FUZZ_CHECK(printable(e.parameter));
        for (const auto& a : e.args) FUZZ_CHECK(printable(a));
    }
    if (!search) return;
    const auto& s = *search;
    FUZZ_CHECK(asking <= d::max_fhir_search_parameters);
    FUZZ_CHECK(s.resource_type == type);
    FUZZ_CHECK(s.count >= 0 && s.count <= d::max_fhir_search_count);
    FUZZ_CHECK(s.offset >= 0 && s.offset <= 10000);
    for (const auto& id : {s.id, s.patient, s.organization}) FUZZ_CHECK(!id || *id > 0);
    if (s.patient) FUZZ_CHECK(type == "RelatedPerson");
    if (s.organization) FUZZ_CHECK(type == "Location" || type == "HealthcareService");
    if (s.birthdate) FUZZ_CHECK(type == "Patient" && parse_date(*s.birthdate));
    FUZZ_CHECK(s.birthdate_prefix == "eq" || s.birthdate_prefix == "ge" || s.birthdate_prefix == "le");
    if (s.last_updated_ge) FUZZ_CHECK(type != "Patient" && parse_date(*s.last_updated_ge));
    if (s.name) FUZZ_CHECK(valid_utf8(*s.name) && utf8_length(*s.name) >= 1 && utf8_length(*s.name) <= 100);
    if (s.name_contains) FUZZ_CHECK(s.name && type != "Patient");
    // Identifier: "value", "system|value", "system|" or "|value", never "|".
    if (s.identifier_system && !s.identifier_value) FUZZ_CHECK(!s.identifier_system->empty());
    if (s.identifier_system) FUZZ_CHECK(s.identifier_system->find('|') == std::string::npos);
    if (s.identifier_value) FUZZ_CHECK(!s.identifier_value->empty() && s.identifier_value->find('|') == std::string::npos);
    if (s.identifier_system || s.identifier_value) FUZZ_CHECK(type == "Patient" || type == "Organization");
    // Something was asked that no id of ours is: an _id or a reference given without an id.
    if (s.matches_nothing) {
        bool unmatched = false;
        for (const auto& [name, value] : query) {
            if (name == "_id" && !s.id) unmatched = true;
            if (name == "patient" && !s.patient) unmatched = true;
            if (name == "organization" && !s.organization) unmatched = true;
        }
        FUZZ_CHECK(unmatched);
    }
    // The same query parses the same way again.
    const auto again = d::parse_fhir_search(type, query, base);
    FUZZ_CHECK(again.first && again.first->count == s.count && again.first->offset == s.offset && again.first->id == s.id &&
               again.first->matches_nothing == s.matches_nothing);
    // References written absolute on the base are the same references.
    if (base.empty()) {
        Query absolute = query;
        bool changed = false;
        for (auto& [name, value] : absolute)
            if ((name == "patient" || name == "organization") && !value.empty() && value.find('/') == std::string::npos) {
                value = std::string(fuzz_base) + (name == "patient" ? "/Patient/" : "/Organization/") + value;
                changed = true;
            }
        if (changed) {
            const auto on_base = d::parse_fhir_search(type, absolute, fuzz_base);
            FUZZ_CHECK(on_base.first.has_value());
            FUZZ_CHECK(on_base.first->patient == s.patient && on_base.first->organization == s.organization &&
                       on_base.first->matches_nothing == s.matches_nothing);
        }
    }
}

// Scopes that parse, or nullopt; the invariants of either outcome checked.
std::optional<std::vector<d::FhirScope>> check_scopes(std::string_view text) {
    auto parsed = d::parse_fhir_scopes(text);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().code == Errc::Invalid);
        FUZZ_CHECK(!parsed.error().fields.empty());
        for (const auto& f : parsed.error().fields) {
            FUZZ_CHECK(f.field == "scopes");
            FUZZ_CHECK(f.message_key.starts_with("fhir.scope."));
            for (const auto& a : f.args) FUZZ_CHECK(printable(a));
        }
        return std::nullopt;
    }
    const auto& scopes = parsed.value();
    FUZZ_CHECK(!scopes.empty() && scopes.size() <= 50);
    std::set<std::string> types;
    for (const auto& s : scopes) {
        FUZZ_CHECK(s.resource == "*" || d::fhir_supported(s.resource));
        FUZZ_CHECK(s.c || s.r || s.u || s.d || s.s);
        FUZZ_CHECK(types.insert(s.resource).second);
    }
    // Written back in v2 form, they read the same.
    const std::string text_again = d::format_fhir_scopes(scopes);
    const auto reparsed = d::parse_fhir_scopes(text_again);
    FUZZ_CHECK(reparsed && reparsed.value() == scopes);
    FUZZ_CHECK(d::format_fhir_scopes(reparsed.value()) == text_again);
    return scopes;
}

// A token narrowed from `granted` by `requested` permits what both permit, nothing more.
void check_narrowing(const std::vector<d::FhirScope>& granted, const std::vector<d::FhirScope>& requested) {
    const auto token = d::narrow_fhir_scopes(granted, requested);
    std::vector<std::string> types = d::fhir_resource_types();
    types.emplace_back("Observation");  // served by nobody: never permitted through a type
    for (const auto& t : types)
        for (auto i : interactions) {
            const bool asked = requested.empty() || d::fhir_permits(requested, t, i);
            FUZZ_CHECK(d::fhir_permits(token, t, i) == (d::fhir_permits(granted, t, i) && asked));
        }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const std::string type(next_line(rest));
    const std::string query_text(next_line(rest));
    const std::string scopes_text(rest);

    const Query query = query_of(query_text);
    check_search(type, query);
    for (const auto& t : d::fhir_resource_types()) {
        check_search(t, query);
        check_search(t, query, fuzz_base);
    }

    const auto scopes = check_scopes(scopes_text);
    // The query's values read as scopes too: a second set to narrow against.
    std::string values;
    for (const auto& [name, value] : query) values += value + " ";
    const auto others = check_scopes(values);
    if (scopes) {
        check_narrowing(*scopes, *scopes);
        check_narrowing(*scopes, {});
        if (others) {
            check_narrowing(*scopes, *others);
            check_narrowing(*others, *scopes);
        }
    }
    return 0;
}
