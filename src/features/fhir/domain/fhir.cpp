#include "features/fhir/domain/fhir.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr std::size_t max_scopes = 50;
constexpr std::size_t max_name_search_length = 100;
constexpr std::size_t max_identifier_part_length = 200;
constexpr int max_count = max_fhir_search_count, default_count = 20;
constexpr int max_offset = 10000;
// How much of a value a message quotes back.
constexpr std::size_t max_shown_length = 60;

constexpr Named<ApiClientStatus> status_names[] = {
    {ApiClientStatus::active, "active"},
    {ApiClientStatus::revoked, "revoked"},
};
constexpr Named<ApiClientEvent> event_names[] = {
    {ApiClientEvent::revoke, "revoke"},
};

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

// A value as a message may quote it: printable, valid UTF-8 (anything else becomes '?') and
// at most max_shown_length characters.
std::string shown(std::string_view raw) {
    std::string s;
    if (valid_utf8(raw)) {
        s = std::string(raw);
    } else {
        for (char c : raw) s.push_back(static_cast<unsigned char>(c) < 0x80 ? c : '?');
    }
    for (auto& c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    if (utf8_length(s) <= max_shown_length) return s;
    std::string out;
    std::size_t chars = 0;
    for (char c : s) {
        const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (starts_char && chars++ == max_shown_length) break;
        out.push_back(c);
    }
    return out + "…";
}

// ---------------------------------------------------------------- scopes

constexpr std::string_view letters = "cruds";

bool* letter_flag(FhirScope& s, char c) {
    switch (c) {
        case 'c':
            return &s.c;
        case 'r':
            return &s.r;
        case 'u':
            return &s.u;
        case 'd':
            return &s.d;
        case 's':
            return &s.s;
        default:
            return nullptr;
    }
}

bool any_letter(const FhirScope& s) {
    return s.c || s.r || s.u || s.d || s.s;
}

FhirScope letters_and(std::string resource, const FhirScope& a, const FhirScope& b) {
    FhirScope out;
    out.resource = std::move(resource);
    out.c = a.c && b.c;
    out.r = a.r && b.r;
    out.u = a.u && b.u;
    out.d = a.d && b.d;
    out.s = a.s && b.s;
    return out;
}

// Adds `s` to `out`, merged into the scope of the same resource when there is one.
void merge_into(std::vector<FhirScope>& out, const FhirScope& s) {
    for (auto& o : out)
        if (o.resource == s.resource) {
            o.c = o.c || s.c;
            o.r = o.r || s.r;
            o.u = o.u || s.u;
            o.d = o.d || s.d;
            o.s = o.s || s.s;
            return;
        }
    out.push_back(s);
}

// The letters after the dot: v1 read, write or *, or SMART v2 letters, each once, in the
// order c, r, u, d, s. False when they are none of these.
bool parse_permissions(std::string_view p, FhirScope& out) {
    if (p == "read") {
        out.r = out.s = true;
        return true;
    }
    if (p == "write") {
        out.c = out.u = out.d = true;
        return true;
    }
    if (p == "*") {
        out.c = out.r = out.u = out.d = out.s = true;
        return true;
    }
    if (p.empty()) return false;
    std::size_t last = 0;  // position in `letters` after the previous letter
    for (char c : p) {
        const auto at = letters.find(c);
        if (at == std::string_view::npos || at < last) return false;
        *letter_flag(out, c) = true;
        last = at + 1;
    }
    return true;
}

// ---------------------------------------------------------------- search parameters

enum class Param : std::uint8_t { id, last_updated, count, offset, format, identifier, name, birthdate, patient, organization };

constexpr Named<Param> param_names[] = {
    {Param::id, "_id"},          {Param::last_updated, "_lastUpdated"}, {Param::count, "_count"}, {Param::offset, "_offset"},
    {Param::format, "_format"},  {Param::identifier, "identifier"},     {Param::name, "name"},    {Param::birthdate, "birthdate"},
    {Param::patient, "patient"}, {Param::organization, "organization"},
};

// The parameters a type accepts, in the order messages list them.
std::vector<Param> params_of(std::string_view type) {
    std::vector<Param> own;
    if (type == "Patient")
        own = {Param::identifier, Param::name, Param::birthdate};
    else if (type == "RelatedPerson")
        own = {Param::patient, Param::name};
    else if (type == "Organization")
        own = {Param::identifier, Param::name};
    else if (type == "Location" || type == "HealthcareService")
        own = {Param::organization, Param::name};
    own.push_back(Param::id);
    // A child's file has no public update time.
    if (type != "Patient") own.push_back(Param::last_updated);
    for (auto p : {Param::count, Param::offset, Param::format}) own.push_back(p);
    return own;
}

std::string param_list(const std::vector<Param>& params) {
    std::string out;
    for (auto p : params) {
        if (!out.empty()) out += ", ";
        out += code_of(param_names, p);
    }
    return out;
}

// A whole number written with digits only, within [lo, hi].
std::optional<int> bounded_int(std::string_view s, int lo, int hi) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    if (v < lo || v > hi) return std::nullopt;
    return v;
}

// _count: a whole number written with digits only; above max_count (however long) it is
// max_count, the most a page holds.
std::optional<int> count_of(std::string_view s) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    if (s.size() > 3) return max_count;
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return std::min(v, max_count);
}

// A reference to a resource of `type`: "12", "Type/12" or "<base>/Type/12". `valid` false when
// it is no reference to a `type` of this server (another type, another server, more parts, an
// empty id); `id` empty when the id is not one of ours (not a positive integer).
struct Reference {
    bool valid = false;
    std::optional<std::int64_t> id;
};
Reference reference_of(std::string_view s, std::string_view type, std::string_view base) {
    if (!base.empty() && s.size() > base.size() + 1 && s.starts_with(base) && s[base.size()] == '/')
        s.remove_prefix(base.size() + 1);
    const std::string prefix = std::string(type) + "/";
    if (s.starts_with(prefix)) s.remove_prefix(prefix.size());
    if (s.empty() || s.find('/') != std::string_view::npos) return {};
    return {true, parse_id(s)};
}

// Text of a search value: valid UTF-8 without control characters, 1..max characters.
bool text_value(std::string_view s, std::size_t max) {
    return !s.empty() && valid_utf8(s) && !has_control(s) && utf8_length(s) <= max;
}

}  // namespace

// ---------------------------------------------------------------- resource types

const std::vector<std::string>& fhir_resource_types() {
    static const std::vector<std::string> v = {"Patient", "RelatedPerson", "Organization", "Location", "HealthcareService"};
    return v;
}

bool fhir_supported(std::string_view resource_type) {
    const auto& v = fhir_resource_types();
    return std::find(v.begin(), v.end(), resource_type) != v.end();
}

// ---------------------------------------------------------------- scopes

Result<std::vector<FhirScope>> parse_fhir_scopes(std::string_view text) {
    const std::string field = "scopes";
    std::vector<FieldError> e;
    if (!valid_utf8(text)) return Error::invalid_field(field, "fhir.scope.invalid_text");
    // Scopes are separated by spaces; a form's text may also break them over lines.
    std::vector<std::string> tokens;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!current.empty()) tokens.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    if (tokens.empty()) return Error::invalid_field(field, "fhir.scope.required");
    if (tokens.size() > max_scopes) return Error::invalid_field(field, "fhir.scope.too_many", {std::to_string(max_scopes)});

    std::vector<FhirScope> out;
    for (const auto& token : tokens) {
        std::string_view t = token;
        if (has_control(t)) {
            e.push_back({field, "fhir.scope.invalid_text", {}});
            continue;
        }
        if (t.starts_with("patient/") || t.starts_with("user/")) {
            e.push_back({field, "fhir.scope.not_system", {shown(t)}});
            continue;
        }
        const auto dot = t.find('.');
        if (!t.starts_with("system/") || dot == std::string_view::npos) {
            e.push_back({field, "fhir.scope.malformed", {shown(t)}});
            continue;
        }
        FhirScope s;
        s.resource = std::string(t.substr(7, dot - 7));
        const std::string_view permissions = t.substr(dot + 1);
        bool ok = true;
        if (s.resource != "*" && !fhir_supported(s.resource)) {
            e.push_back({field, "fhir.scope.unknown_type", {shown(s.resource)}});
            ok = false;
        }
        if (!parse_permissions(permissions, s)) {
            e.push_back({field, "fhir.scope.letters", {shown(t)}});
            ok = false;
        }
        if (ok) merge_into(out, s);
    }
    if (!e.empty()) return Error::invalid(std::move(e));
    return out;
}

std::string format_fhir_scopes(const std::vector<FhirScope>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        if (!out.empty()) out += ' ';
        out += "system/" + s.resource + ".";
        const std::array<bool, 5> on = {s.c, s.r, s.u, s.d, s.s};
        for (std::size_t i = 0; i < on.size(); ++i)
            if (on[i]) out += letters[i];
    }
    return out;
}

bool fhir_permits(const std::vector<FhirScope>& scopes, std::string_view resource_type, FhirInteraction interaction) {
    for (const auto& s : scopes) {
        if (s.resource != "*" && s.resource != resource_type) continue;
        switch (interaction) {
            case FhirInteraction::create:
                if (s.c) return true;
                break;
            case FhirInteraction::read:
                if (s.r) return true;
                break;
            case FhirInteraction::update:
                if (s.u) return true;
                break;
            case FhirInteraction::delete_:
                if (s.d) return true;
                break;
            case FhirInteraction::search:
                if (s.s) return true;
                break;
        }
    }
    return false;
}

std::vector<FhirScope> narrow_fhir_scopes(const std::vector<FhirScope>& granted, const std::vector<FhirScope>& requested) {
    if (requested.empty()) return granted;
    // What a requested scope and a granted one both allow: the more specific resource of the
    // two (they must be the same type or one of them "*"), the letters both have.
    std::vector<FhirScope> out;
    for (const auto& q : requested)
        for (const auto& g : granted) {
            if (q.resource != "*" && g.resource != "*" && q.resource != g.resource) continue;
            auto both = letters_and(q.resource == "*" ? g.resource : q.resource, q, g);
            if (any_letter(both)) merge_into(out, both);
        }
    return out;
}

// ---------------------------------------------------------------- API clients

const std::vector<Role>& api_client_roles() {
    static const std::vector<Role> v = {Role::coordinator, Role::provider_manager, Role::participant_staff};
    return v;
}

std::vector<FieldError> validate_api_client(const NewApiClient& in) {
    std::vector<FieldError> e;
    const std::string name = trim(in.name);
    if (!valid_utf8(name) || has_control(name))
        e.push_back({"name", "field.invalid_text", {}});
    else if (name.empty())
        e.push_back({"name", "field.required", {}});
    else if (utf8_length(name) > max_api_client_name_length)
        e.push_back({"name", "field.too_long", {std::to_string(max_api_client_name_length)}});
    else if (auto problem = name_problem(name))
        e.push_back({"name", std::string(*problem), {}});

    const std::string role = trim(in.role);
    if (role.empty()) {
        e.push_back({"role", "field.required", {}});
    } else {
        const auto parsed = parse_role(role);
        const auto& offered = api_client_roles();
        if (!parsed || std::find(offered.begin(), offered.end(), *parsed) == offered.end())
            e.push_back({"role", "api_client.role", {}});
    }

    if (auto scopes = parse_fhir_scopes(in.scopes); !scopes)
        for (const auto& f : scopes.error().fields) e.push_back(f);
    return e;
}

const std::vector<ApiClientStatus>& all_api_client_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
std::string_view code(ApiClientStatus s) {
    return code_of(status_names, s);
}
std::string_view code(ApiClientEvent e) {
    return code_of(event_names, e);
}
std::optional<ApiClientStatus> parse_api_client_status(std::string_view s) {
    return parse_of(status_names, s);
}

const ApiClientLifecycle& api_client_lifecycle() {
    using S = ApiClientStatus;
    using E = ApiClientEvent;
    static const ApiClientLifecycle table(
        "api_client",
        {
            {S::active, E::revoke, S::revoked, {Relationship::coordinating_agency}},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

// ---------------------------------------------------------------- search parameters

std::pair<std::optional<FhirSearch>, std::vector<FhirSearchError>> parse_fhir_search(
    std::string_view resource_type, const std::vector<std::pair<std::string, std::string>>& query, std::string_view base) {
    std::vector<FhirSearchError> errors;
    if (!fhir_supported(resource_type)) {
        errors.push_back({"", "fhir.search.unsupported_type", {shown(resource_type)}});
        return {std::nullopt, std::move(errors)};
    }
    // "a=1&=&b=2": an empty pair asks nothing.
    const auto asks = [](const std::pair<std::string, std::string>& p) { return !p.first.empty() || !p.second.empty(); };
    if (static_cast<std::size_t>(std::count_if(query.begin(), query.end(), asks)) > max_fhir_search_parameters) {
        errors.push_back({"", "fhir.search.too_many", {std::to_string(max_fhir_search_parameters)}});
        return {std::nullopt, std::move(errors)};
    }
    const auto accepted = params_of(resource_type);
    FhirSearch out;
    out.resource_type = std::string(resource_type);
    out.count = default_count;
    std::vector<std::string> seen, reported_twice;

    for (const auto& [raw_name, value] : query) {
        if (raw_name.empty() && value.empty()) continue;
        if (errors.size() >= max_fhir_search_errors) break;
        const std::string shown_name = shown(raw_name);
        auto bad = [&](std::string key, std::vector<std::string> args) {
            errors.push_back({shown_name, std::move(key), std::move(args)});
        };
        const auto colon = raw_name.find(':');
        const std::string name = raw_name.substr(0, colon);
        const auto param = parse_of(param_names, name);
        if (!param || std::find(accepted.begin(), accepted.end(), *param) == accepted.end()) {
            bad("fhir.search.unknown", {shown(name), out.resource_type, param_list(accepted)});
            continue;
        }
        // name:contains, where names are matched in memory (a Patient's name is searched by the
        // registry, by the start of a word only).
        const bool contains = colon != std::string::npos && *param == Param::name && resource_type != "Patient" &&
                              std::string_view(raw_name).substr(colon + 1) == "contains";
        if (colon != std::string::npos && !contains) {
            bad("fhir.search.modifier", {name, shown(raw_name.substr(colon + 1))});
            continue;
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            if (std::find(reported_twice.begin(), reported_twice.end(), name) == reported_twice.end()) {
                bad("fhir.search.duplicate", {name});
                reported_twice.push_back(name);
            }
            continue;
        }
        seen.push_back(name);
        if (value.empty()) {
            bad("fhir.search.empty", {name});
            continue;
        }
        const std::string v = shown(value);
        switch (*param) {
            case Param::id:
                // Our ids are positive integers: any other value is the id of nothing here.
                out.id = parse_id(value);
                if (!out.id) out.matches_nothing = true;
                break;
            case Param::patient:
            case Param::organization: {
                const char* type = *param == Param::patient ? "Patient" : "Organization";
                const auto ref = reference_of(value, type, base);
                if (!ref.valid) {
                    bad("fhir.search.reference", {name, v, type});
                    break;
                }
                (*param == Param::patient ? out.patient : out.organization) = ref.id;
                if (!ref.id) out.matches_nothing = true;
                break;
            }
            case Param::identifier: {
                const auto bar = value.find('|');
                const std::string system = bar == std::string::npos ? std::string() : value.substr(0, bar);
                const std::string id_value = bar == std::string::npos ? value : value.substr(bar + 1);
                // One bar at most; each part, when given, printable and not too long; not both empty.
                const bool ok = id_value.find('|') == std::string::npos && (!system.empty() || !id_value.empty()) &&
                                (system.empty() || text_value(system, max_identifier_part_length)) &&
                                (id_value.empty() || text_value(id_value, max_identifier_part_length));
                if (!ok) {
                    bad("fhir.search.identifier", {v, std::to_string(max_identifier_part_length)});
                } else {
                    if (bar != std::string::npos) out.identifier_system = system;
                    if (!id_value.empty()) out.identifier_value = id_value;
                }
                break;
            }
            case Param::name: {
                const std::string trimmed = trim(value);
                if (text_value(trimmed, max_name_search_length)) {
                    out.name = trimmed;
                    out.name_contains = contains;
                } else {
                    bad("fhir.search.name", {std::to_string(max_name_search_length)});
                }
                break;
            }
            case Param::birthdate: {
                std::string_view date = value;
                std::string prefix = "eq";
                for (const char* p : {"eq", "ge", "le"})
                    if (date.starts_with(p)) {
                        prefix = p;
                        date.remove_prefix(2);
                        break;
                    }
                if (parse_date(date)) {
                    out.birthdate = std::string(date);
                    out.birthdate_prefix = prefix;
                } else {
                    bad("fhir.search.birthdate", {v});
                }
                break;
            }
            case Param::last_updated: {
                const std::string_view date = std::string_view(value).substr(std::min<std::size_t>(2, value.size()));
                if (value.starts_with("ge") && parse_date(date))
                    out.last_updated_ge = std::string(date);
                else
                    bad("fhir.search.last_updated", {v});
                break;
            }
            case Param::count:
                if (auto n = count_of(value))
                    out.count = *n;
                else
                    bad("fhir.search.count", {v, std::to_string(max_count)});
                break;
            case Param::offset:
                if (auto n = bounded_int(value, 0, max_offset))
                    out.offset = *n;
                else
                    bad("fhir.search.offset", {v, std::to_string(max_offset)});
                break;
            case Param::format:
                // "application/fhir+json" written unescaped in a query reaches us with a space.
                if (value != "json" && value != "application/json" && value != "application/fhir+json" &&
                    value != "application/fhir json")
                    bad("fhir.search.format", {v});
                break;
        }
    }
    if (!errors.empty()) return {std::nullopt, std::move(errors)};
    return {std::move(out), {}};
}

}  // namespace arrimage::domain
