// The FHIR R4 API's rules (features/fhir/domain/fhir.hpp): the resource types served, SMART v2
// system scopes (parsing v2 letters and v1 aliases, what is refused and why, formatting back,
// what a set of scopes permits, narrowing a token's request to what the client holds), an API
// client's registration form, its lifecycle table pair by pair, and the search parameters of
// each resource type (accepted, unknown, repeated, with a modifier, bad values and bounds,
// values that match nothing, too many parameters).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "features/fhir/domain/fhir.hpp"
#include "web/app.hpp"

namespace d = arrimage::domain;
using arrimage::Errc;
using arrimage::FieldError;
using arrimage::Lang;

namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

d::FhirScope scope(std::string resource, std::string_view letters) {
    d::FhirScope s;
    s.resource = std::move(resource);
    for (char c : letters) {
        if (c == 'c') s.c = true;
        if (c == 'r') s.r = true;
        if (c == 'u') s.u = true;
        if (c == 'd') s.d = true;
        if (c == 's') s.s = true;
    }
    return s;
}

std::vector<d::FhirScope> scopes(std::string_view text) {
    auto parsed = d::parse_fhir_scopes(text);
    EXPECT_TRUE(parsed) << text;
    return parsed ? parsed.value() : std::vector<d::FhirScope>{};
}

// The field errors of scopes that must be refused: all on the field "scopes".
std::vector<FieldError> scope_errors(std::string_view text) {
    const auto parsed = d::parse_fhir_scopes(text);
    EXPECT_FALSE(parsed) << text;
    if (parsed) return {};
    EXPECT_EQ(parsed.error().code, Errc::Invalid);
    for (const auto& f : parsed.error().fields) EXPECT_EQ(f.field, "scopes") << text;
    return parsed.error().fields;
}

// The one error of scopes with a single problem: its key and arguments.
void expect_scope_error(std::string_view text, const std::string& key, const std::vector<std::string>& args = {}) {
    SCOPED_TRACE(std::string(text));
    const auto errors = scope_errors(text);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message_key, key);
    EXPECT_EQ(errors[0].args, args);
}

d::FhirSearch search_ok(std::string_view type, const Query& q) {
    auto [search, errors] = d::parse_fhir_search(type, q);
    EXPECT_TRUE(errors.empty()) << type << ": " << (errors.empty() ? "" : errors[0].message_key + " on " + errors[0].parameter);
    EXPECT_TRUE(search.has_value());
    return search.value_or(d::FhirSearch{});
}

std::vector<d::FhirSearchError> search_errors(std::string_view type, const Query& q) {
    auto [search, errors] = d::parse_fhir_search(type, q);
    EXPECT_FALSE(search.has_value()) << "a refused search returns no search";
    EXPECT_FALSE(errors.empty());
    return errors;
}

// The one error of a search with a single problem.
void expect_search_error(std::string_view type, const Query& q, const std::string& parameter, const std::string& key,
                         const std::vector<std::string>& args) {
    SCOPED_TRACE(std::string(type) + "?" + (q.empty() ? "" : q[0].first + "=" + q[0].second));
    const auto errors = search_errors(type, q);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].parameter, parameter);
    EXPECT_EQ(errors[0].message_key, key);
    EXPECT_EQ(errors[0].args, args);
}

}  // namespace

// ---------------------------------------------------------------- resource types

TEST(FhirTypes, TheFiveTypesInTheCapabilityStatementsOrder) {
    EXPECT_EQ(d::fhir_resource_types(),
              (std::vector<std::string>{"Patient", "RelatedPerson", "Organization", "Location", "HealthcareService"}));
    for (const auto& t : d::fhir_resource_types()) EXPECT_TRUE(d::fhir_supported(t)) << t;
    for (const char* t : {"patient", "Observation", "", "*", "Patient ", "Bundle"}) EXPECT_FALSE(d::fhir_supported(t)) << t;
}

// ---------------------------------------------------------------- scopes

TEST(FhirScopes, V2LettersAreReadInTheirOrder) {
    EXPECT_EQ(scopes("system/Patient.rs"), (std::vector{scope("Patient", "rs")}));
    EXPECT_EQ(scopes("system/Patient.cruds"), (std::vector{scope("Patient", "cruds")}));
    EXPECT_EQ(scopes("system/Organization.r"), (std::vector{scope("Organization", "r")}));
    EXPECT_EQ(scopes("system/*.s"), (std::vector{scope("*", "s")}));
    EXPECT_EQ(scopes("system/Location.cd"), (std::vector{scope("Location", "cd")}));
    const auto many = scopes("system/Patient.rs system/RelatedPerson.r system/HealthcareService.s");
    EXPECT_EQ(many, (std::vector{scope("Patient", "rs"), scope("RelatedPerson", "r"), scope("HealthcareService", "s")}));
}

TEST(FhirScopes, V1AliasesBecomeTheirV2Letters) {
    EXPECT_EQ(scopes("system/Patient.read"), (std::vector{scope("Patient", "rs")}));
    EXPECT_EQ(scopes("system/Patient.write"), (std::vector{scope("Patient", "cud")}));
    EXPECT_EQ(scopes("system/Patient.*"), (std::vector{scope("Patient", "cruds")}));
    EXPECT_EQ(scopes("system/*.read"), (std::vector{scope("*", "rs")}));
    EXPECT_EQ(scopes("system/*.*"), (std::vector{scope("*", "cruds")}));
}

TEST(FhirScopes, SpacesTabsAndLineBreaksSeparateScopes) {
    EXPECT_EQ(scopes("  system/Patient.r \n\tsystem/Organization.s\r\n"),
              (std::vector{scope("Patient", "r"), scope("Organization", "s")}));
}

TEST(FhirScopes, DuplicatesAreMergedWhereTheTypeFirstAppears) {
    EXPECT_EQ(scopes("system/Patient.r system/Organization.r system/Patient.rs system/Patient.read"),
              (std::vector{scope("Patient", "rs"), scope("Organization", "r")}));
    EXPECT_EQ(scopes("system/Patient.r system/Patient.u"), (std::vector{scope("Patient", "ru")}));
    // "*" and a type are different scopes.
    EXPECT_EQ(scopes("system/*.r system/Patient.s"), (std::vector{scope("*", "r"), scope("Patient", "s")}));
}

TEST(FhirScopes, LettersOutOfOrderRepeatedUnknownOrMissingAreRefused) {
    for (const char* bad : {"system/Patient.sr", "system/Patient.rr", "system/Patient.rsr", "system/Patient.dc",
                            "system/Patient.x", "system/Patient.", "system/Patient.R", "system/Patient.Read",
                            "system/Patient.rs?category=x", "system/Patient.r.s", "system/Patient.read,write"})
        expect_scope_error(bad, "fhir.scope.letters", {bad});
}

TEST(FhirScopes, OnlyTheServedTypesOrAStar) {
    expect_scope_error("system/Observation.rs", "fhir.scope.unknown_type", {"Observation"});
    expect_scope_error("system/patient.rs", "fhir.scope.unknown_type", {"patient"});
    expect_scope_error("system/.rs", "fhir.scope.unknown_type", {""});
    expect_scope_error("system/**.rs", "fhir.scope.unknown_type", {"**"});
    // A bad type and bad letters: both are said.
    const auto both = scope_errors("system/Foo.sr");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].message_key, "fhir.scope.unknown_type");
    EXPECT_EQ(both[1].message_key, "fhir.scope.letters");
}

TEST(FhirScopes, PatientAndUserContextsAreRefused) {
    expect_scope_error("patient/Patient.rs", "fhir.scope.not_system", {"patient/Patient.rs"});
    expect_scope_error("user/Patient.read", "fhir.scope.not_system", {"user/Patient.read"});
    expect_scope_error("patient/*.rs", "fhir.scope.not_system", {"patient/*.rs"});
}

TEST(FhirScopes, AnythingElseIsNotAScope) {
    for (const char* bad : {"openid", "launch", "offline_access", "system/Patient", "System/Patient.rs", "system:Patient.rs",
                            "fhirUser", "system/"})
        expect_scope_error(bad, "fhir.scope.malformed", {bad});
}

TEST(FhirScopes, EmptyTooManyAndInvalidText) {
    expect_scope_error("", "fhir.scope.required");
    expect_scope_error("   \n\t ", "fhir.scope.required");
    std::string fifty, fifty_one;
    for (int i = 0; i < 50; ++i) fifty += "system/Patient.r ";
    fifty_one = fifty + "system/Patient.r";
    EXPECT_EQ(scopes(fifty), (std::vector{scope("Patient", "r")})) << "fifty scopes are accepted, and merged";
    expect_scope_error(fifty_one, "fhir.scope.too_many", {"50"});
    expect_scope_error("system/Patient.r\xff", "fhir.scope.invalid_text");
    expect_scope_error(std::string("system/Patient.r\x01"), "fhir.scope.invalid_text");
}

TEST(FhirScopes, EveryProblemIsReportedInOrder) {
    const auto errors = scope_errors("patient/Patient.r system/Patient.rs system/Foo.r openid system/Organization.sr");
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_EQ(errors[0].message_key, "fhir.scope.not_system");
    EXPECT_EQ(errors[1].message_key, "fhir.scope.unknown_type");
    EXPECT_EQ(errors[1].args, std::vector<std::string>{"Foo"});
    EXPECT_EQ(errors[2].message_key, "fhir.scope.malformed");
    EXPECT_EQ(errors[3].message_key, "fhir.scope.letters");
    EXPECT_EQ(errors[3].args, std::vector<std::string>{"system/Organization.sr"});
}

TEST(FhirScopes, ALongScopeIsQuotedShortened) {
    const std::string token = "system/Patient." + std::string(200, 'x');
    const auto errors = scope_errors(token);
    ASSERT_EQ(errors.size(), 1u);
    ASSERT_EQ(errors[0].args.size(), 1u);
    EXPECT_EQ(errors[0].args[0], token.substr(0, 60) + "…");
}

TEST(FhirScopes, FormattedBackInV2FormInTheOrderGiven) {
    EXPECT_EQ(d::format_fhir_scopes({}), "");
    EXPECT_EQ(d::format_fhir_scopes({scope("Patient", "rs"), scope("Organization", "r")}),
              "system/Patient.rs system/Organization.r");
    EXPECT_EQ(d::format_fhir_scopes({scope("*", "cruds")}), "system/*.cruds");
    EXPECT_EQ(d::format_fhir_scopes(scopes("system/Patient.read system/*.write system/Location.*")),
              "system/Patient.rs system/*.cud system/Location.cruds");
    for (const char* text : {"system/Patient.rs", "system/*.cruds system/Organization.s", "system/HealthcareService.cu"})
        EXPECT_EQ(d::format_fhir_scopes(scopes(text)), text) << "round trip";
}

TEST(FhirScopes, WhatScopesPermit) {
    using I = d::FhirInteraction;
    const auto s = scopes("system/Patient.rs system/Organization.r system/*.s");
    EXPECT_TRUE(d::fhir_permits(s, "Patient", I::read));
    EXPECT_TRUE(d::fhir_permits(s, "Patient", I::search));
    EXPECT_FALSE(d::fhir_permits(s, "Patient", I::create));
    EXPECT_FALSE(d::fhir_permits(s, "Patient", I::update));
    EXPECT_FALSE(d::fhir_permits(s, "Patient", I::delete_));
    EXPECT_TRUE(d::fhir_permits(s, "Organization", I::read));
    EXPECT_TRUE(d::fhir_permits(s, "Organization", I::search)) << "through system/*.s";
    EXPECT_TRUE(d::fhir_permits(s, "Location", I::search)) << "through system/*.s";
    EXPECT_FALSE(d::fhir_permits(s, "Location", I::read));
    EXPECT_FALSE(d::fhir_permits(s, "RelatedPerson", I::read));
    EXPECT_FALSE(d::fhir_permits({}, "Patient", I::read)) << "no scopes, nothing";
    const auto all = scopes("system/*.cruds");
    for (const auto& t : d::fhir_resource_types())
        for (auto i : {I::create, I::read, I::update, I::delete_, I::search}) EXPECT_TRUE(d::fhir_permits(all, t, i)) << t;
    const auto writes = scopes("system/Patient.write");
    EXPECT_TRUE(d::fhir_permits(writes, "Patient", I::create));
    EXPECT_TRUE(d::fhir_permits(writes, "Patient", I::update));
    EXPECT_TRUE(d::fhir_permits(writes, "Patient", I::delete_));
    EXPECT_FALSE(d::fhir_permits(writes, "Patient", I::read));
    EXPECT_FALSE(d::fhir_permits(writes, "Patient", I::search));
}

TEST(FhirScopes, ATokenGetsWhatWasAskedAndIsGranted) {
    const auto granted = scopes("system/Patient.rs system/Organization.r");
    EXPECT_EQ(d::narrow_fhir_scopes(granted, {}), granted) << "nothing asked: all the client's";
    EXPECT_EQ(d::narrow_fhir_scopes(granted, scopes("system/Patient.cruds")), (std::vector{scope("Patient", "rs")}));
    EXPECT_EQ(d::narrow_fhir_scopes(granted, scopes("system/Patient.r")), (std::vector{scope("Patient", "r")}));
    EXPECT_EQ(d::narrow_fhir_scopes(granted, scopes("system/Organization.rs system/Location.rs")),
              (std::vector{scope("Organization", "r")}))
        << "a type the client lacks is dropped";
    EXPECT_TRUE(d::narrow_fhir_scopes(granted, scopes("system/Location.rs")).empty());
    EXPECT_TRUE(d::narrow_fhir_scopes(granted, scopes("system/Patient.cud")).empty());
    // A star asked of specific grants: each grant, within the letters asked.
    EXPECT_EQ(d::narrow_fhir_scopes(granted, scopes("system/*.r")),
              (std::vector{scope("Patient", "r"), scope("Organization", "r")}));
    // A specific type asked of a star grant.
    const auto star = scopes("system/*.rs");
    EXPECT_EQ(d::narrow_fhir_scopes(star, scopes("system/Patient.cruds system/Location.r")),
              (std::vector{scope("Patient", "rs"), scope("Location", "r")}));
    EXPECT_EQ(d::narrow_fhir_scopes(star, scopes("system/*.cruds")), (std::vector{scope("*", "rs")}));
    // Grants that overlap are merged for the type asked.
    EXPECT_EQ(d::narrow_fhir_scopes(scopes("system/*.r system/Patient.cruds"), scopes("system/Patient.ru")),
              (std::vector{scope("Patient", "ru")}));
}

TEST(FhirScopes, ANarrowedTokenPermitsExactlyWhatBothAllow) {
    using I = d::FhirInteraction;
    const std::vector<std::string> sets = {"system/Patient.rs system/Organization.r", "system/*.rs",
                                           "system/*.r system/Patient.cruds", "system/Location.s system/HealthcareService.cud",
                                           "system/*.cruds"};
    std::vector<std::string> types = d::fhir_resource_types();
    for (const auto& g : sets)
        for (const auto& q : sets) {
            const auto granted = scopes(g), requested = scopes(q);
            const auto token = d::narrow_fhir_scopes(granted, requested);
            for (const auto& t : types)
                for (auto i : {I::create, I::read, I::update, I::delete_, I::search})
                    EXPECT_EQ(d::fhir_permits(token, t, i), d::fhir_permits(granted, t, i) && d::fhir_permits(requested, t, i))
                        << "granted " << g << ", asked " << q << ", " << t << " " << static_cast<int>(i);
        }
}

// ---------------------------------------------------------------- API clients

TEST(ApiClients, TheRolesAClientMayActIn) {
    EXPECT_EQ(d::api_client_roles(), (std::vector{d::Role::coordinator, d::Role::provider_manager, d::Role::participant_staff}));
}

TEST(ApiClients, AValidClient) {
    EXPECT_TRUE(d::validate_api_client({"Hôpital régional — DSE", "coordinator", "system/Patient.rs"}).empty());
    EXPECT_TRUE(d::validate_api_client({"  Clinique Nord  ", "participant_staff", "system/*.read"}).empty());
    for (auto r : d::api_client_roles())
        EXPECT_TRUE(d::validate_api_client({"Clinique Nord", std::string(d::code(r)), "system/Organization.r"}).empty())
            << d::code(r);
}

TEST(ApiClients, TheName) {
    auto name_errors = [](std::string name) {
        return d::validate_api_client({std::move(name), "coordinator", "system/Patient.rs"});
    };
    const auto expect = [&](std::string name, const std::string& key, std::vector<std::string> args = {}) {
        const auto e = name_errors(name);
        ASSERT_EQ(e.size(), 1u) << name;
        EXPECT_EQ(e[0].field, "name");
        EXPECT_EQ(e[0].message_key, key) << name;
        EXPECT_EQ(e[0].args, args);
    };
    expect("", "field.required");
    expect("   ", "field.required");
    expect("Clinique\nNord", "field.invalid_text");
    expect("Clinique\xff", "field.invalid_text");
    expect(std::string(121, 'a'), "field.too_long", {"120"});
    EXPECT_TRUE(name_errors(std::string(120, 'a')).empty());
    // 120 characters of two bytes each are 120 characters.
    std::string accented;
    for (int i = 0; i < 120; ++i) accented += "é";
    EXPECT_TRUE(name_errors(accented).empty());
    expect("Clinique \u202eNord", "field.bidi_control");
    expect("---", "field.no_visible_letter");
}

TEST(ApiClients, TheRole) {
    const auto role_error = [](const std::string& role) {
        const auto e = d::validate_api_client({"Clinique Nord", role, "system/Patient.rs"});
        return e.size() == 1 && e[0].field == "role" ? e[0].message_key : std::string("(") + std::to_string(e.size()) + ")";
    };
    EXPECT_EQ(role_error(""), "field.required");
    for (const char* refused : {"system_admin", "ca_admin", "privacy_officer", "ministry_analyst", "family", "Coordinator", "x"})
        EXPECT_EQ(role_error(refused), "api_client.role") << refused;
}

TEST(ApiClients, TheScopesAndEveryFieldAtOnce) {
    const auto e = d::validate_api_client({"", "ca_admin", "patient/Patient.rs system/Foo.r"});
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e[0].field, "name");
    EXPECT_EQ(e[1].field, "role");
    EXPECT_EQ(e[2].field, "scopes");
    EXPECT_EQ(e[2].message_key, "fhir.scope.not_system");
    EXPECT_EQ(e[3].field, "scopes");
    EXPECT_EQ(e[3].message_key, "fhir.scope.unknown_type");
    const auto empty = d::validate_api_client({"Clinique Nord", "coordinator", ""});
    ASSERT_EQ(empty.size(), 1u);
    EXPECT_EQ(empty[0].message_key, "fhir.scope.required");
}

TEST(ApiClients, StatusAndEventCodes) {
    EXPECT_EQ(d::all_api_client_statuses(), (std::vector{d::ApiClientStatus::active, d::ApiClientStatus::revoked}));
    EXPECT_EQ(d::code(d::ApiClientStatus::active), "active");
    EXPECT_EQ(d::code(d::ApiClientStatus::revoked), "revoked");
    EXPECT_EQ(d::code(d::ApiClientEvent::revoke), "revoke");
    EXPECT_EQ(d::parse_api_client_status("active"), d::ApiClientStatus::active);
    EXPECT_EQ(d::parse_api_client_status("revoked"), d::ApiClientStatus::revoked);
    EXPECT_FALSE(d::parse_api_client_status("Active"));
    EXPECT_FALSE(d::parse_api_client_status(""));
    EXPECT_FALSE(d::parse_api_client_status("revoke"));
}

TEST(ApiClientLifecycle, EveryStateEventAndRelationshipIsAllowedOrRefusedOnPurpose) {
    using S = d::ApiClientStatus;
    using E = d::ApiClientEvent;
    const auto& l = d::api_client_lifecycle();
    EXPECT_EQ(l.name(), "api_client");
    ASSERT_EQ(l.rows().size(), 1u);
    for (auto from : d::all_api_client_statuses())
        for (auto who : d::all_relationships()) {
            SCOPED_TRACE(std::string(d::code(from)) + " by " + std::string(d::code(who)));
            const auto fired = l.fire(from, E::revoke, who, {});
            if (from == S::revoked) {
                ASSERT_FALSE(fired);
                EXPECT_EQ(fired.error().code, Errc::Conflict) << "revocation is final";
                EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
            } else if (who == d::Relationship::coordinating_agency) {
                ASSERT_TRUE(fired);
                EXPECT_EQ(fired.value()->to, S::revoked);
            } else {
                ASSERT_FALSE(fired);
                EXPECT_EQ(fired.error().code, Errc::Forbidden);
            }
        }
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.available(S::active, agency, {}), std::vector{E::revoke});
    EXPECT_TRUE(l.available(S::revoked, agency, {}).empty());
    EXPECT_TRUE(l.available(S::active, d::Relationship::team_member, {}).empty());
    EXPECT_EQ(l.event_to(S::active, S::revoked), E::revoke);
    EXPECT_FALSE(l.event_to(S::revoked, S::active)) << "nothing brings a revoked client back";
    EXPECT_EQ(l.markdown(),
              "| from | event | to | who may | guard |\n|---|---|---|---|---|\n"
              "| `active` | `revoke` | `revoked` | coordinating_agency | — |\n");
}

// ---------------------------------------------------------------- search parameters

TEST(FhirSearch, NothingAskedGivesTheDefaults) {
    for (const auto& type : d::fhir_resource_types()) {
        const auto s = search_ok(type, {});
        EXPECT_EQ(s.resource_type, type);
        EXPECT_EQ(s.count, 20);
        EXPECT_EQ(s.offset, 0);
        EXPECT_FALSE(s.id || s.identifier_system || s.identifier_value || s.name || s.birthdate || s.patient || s.organization ||
                     s.last_updated_ge);
        EXPECT_FALSE(s.matches_nothing);
        EXPECT_FALSE(s.name_contains);
        EXPECT_EQ(s.birthdate_prefix, "eq");
    }
}

TEST(FhirSearch, AnUnsupportedTypeIsRefused) {
    expect_search_error("Observation", {}, "", "fhir.search.unsupported_type", {"Observation"});
    expect_search_error("patient", {{"name", "x"}}, "", "fhir.search.unsupported_type", {"patient"});
}

TEST(FhirSearch, Patient) {
    const auto s = search_ok("Patient", {{"identifier", "https://example.org/ohip|9000000001"},
                                         {"name", "Tremblay"},
                                         {"birthdate", "ge2015-03-04"},
                                         {"_id", "12"},
                                         {"_count", "50"},
                                         {"_offset", "100"},
                                         {"_format", "application/fhir+json"}});
    EXPECT_EQ(s.identifier_system, "https://example.org/ohip");
    EXPECT_EQ(s.identifier_value, "9000000001");
    EXPECT_EQ(s.name, "Tremblay");
    EXPECT_EQ(s.birthdate, "2015-03-04");
    EXPECT_EQ(s.birthdate_prefix, "ge");
    EXPECT_EQ(s.id, 12);
    EXPECT_EQ(s.count, 50);
    EXPECT_EQ(s.offset, 100);
    expect_search_error("Patient", {{"_lastUpdated", "ge2026-01-01"}}, "_lastUpdated", "fhir.search.unknown",
                        {"_lastUpdated", "Patient", "identifier, name, birthdate, _id, _count, _offset, _format"});
    expect_search_error("Patient", {{"patient", "12"}}, "patient", "fhir.search.unknown",
                        {"patient", "Patient", "identifier, name, birthdate, _id, _count, _offset, _format"});
    expect_search_error("Patient", {{"organization", "12"}}, "organization", "fhir.search.unknown",
                        {"organization", "Patient", "identifier, name, birthdate, _id, _count, _offset, _format"});
}

TEST(FhirSearch, RelatedPerson) {
    EXPECT_EQ(search_ok("RelatedPerson", {{"patient", "12"}}).patient, 12);
    EXPECT_EQ(search_ok("RelatedPerson", {{"patient", "Patient/12"}}).patient, 12);
    const auto s = search_ok("RelatedPerson", {{"name", "Roy"}, {"_lastUpdated", "ge2026-01-01"}, {"_id", "3"}});
    EXPECT_EQ(s.name, "Roy");
    EXPECT_EQ(s.last_updated_ge, "2026-01-01");
    EXPECT_EQ(s.id, 3);
    EXPECT_FALSE(search_ok("RelatedPerson", {{"patient", "12"}}).matches_nothing);
    // On this server's base, written absolute.
    const std::string base = "https://arrimage.example/fhir";
    const auto absolute = d::parse_fhir_search("RelatedPerson", {{"patient", base + "/Patient/12"}}, base);
    ASSERT_TRUE(absolute.first);
    EXPECT_EQ(absolute.first->patient, 12);
    EXPECT_FALSE(absolute.first->matches_nothing);
    // Ids that are none of ours: a search that finds nothing, as a read of Patient/abc does.
    for (const char* none : {"0", "-1", "Patient/0", "Patient/abc", "12x", "1.5", "abc", "99999999999999999999"}) {
        SCOPED_TRACE(none);
        const auto s = search_ok("RelatedPerson", {{"patient", none}});
        EXPECT_TRUE(s.matches_nothing);
        EXPECT_FALSE(s.patient);
    }
    EXPECT_TRUE(d::parse_fhir_search("RelatedPerson", {{"patient", base + "/Patient/abc"}}, base).first->matches_nothing);
    // No reference to a Patient of this server: refused.
    for (const char* bad : {"Patient/", "Organization/12", "patient/12", "RelatedPerson/12", "Patient/12/_history/1",
                            "https://example.org/fhir/Patient/12", "https://arrimage.example/fhir/Patient/12", "/Patient/12"})
        expect_search_error("RelatedPerson", {{"patient", bad}}, "patient", "fhir.search.reference", {"patient", bad, "Patient"});
    // Another server, or this one's base with another type.
    for (const std::string& bad : {std::string("https://example.org/fhir/Patient/12"), base + "/Organization/12",
                                   base + "/Patient/", base, base + "Patient/12", base + "/Patient/12/_history/1"}) {
        SCOPED_TRACE(bad);
        const auto [search, errors] = d::parse_fhir_search("RelatedPerson", {{"patient", bad}}, base);
        EXPECT_FALSE(search);
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_EQ(errors[0].message_key, "fhir.search.reference");
    }
    const std::string related = "patient, name, _id, _lastUpdated, _count, _offset, _format";
    expect_search_error("RelatedPerson", {{"identifier", "x"}}, "identifier", "fhir.search.unknown",
                        {"identifier", "RelatedPerson", related});
    expect_search_error("RelatedPerson", {{"birthdate", "2015-01-01"}}, "birthdate", "fhir.search.unknown",
                        {"birthdate", "RelatedPerson", related});
}

TEST(FhirSearch, Organization) {
    const auto s = search_ok("Organization", {{"identifier", "ORG-7"}, {"name", "Clinique"}});
    EXPECT_FALSE(s.identifier_system) << "a value without a system";
    EXPECT_EQ(s.identifier_value, "ORG-7");
    EXPECT_EQ(s.name, "Clinique");
    expect_search_error("Organization", {{"organization", "1"}}, "organization", "fhir.search.unknown",
                        {"organization", "Organization", "identifier, name, _id, _lastUpdated, _count, _offset, _format"});
}

TEST(FhirSearch, LocationAndHealthcareService) {
    for (const char* type : {"Location", "HealthcareService"}) {
        SCOPED_TRACE(type);
        EXPECT_EQ(search_ok(type, {{"organization", "7"}}).organization, 7);
        EXPECT_EQ(search_ok(type, {{"organization", "Organization/7"}}).organization, 7);
        EXPECT_EQ(search_ok(type, {{"name", "Centre"}}).name, "Centre");
        for (const char* none : {"Organization/x", "0", "x"}) {
            const auto s = search_ok(type, {{"organization", none}});
            EXPECT_TRUE(s.matches_nothing) << none;
            EXPECT_FALSE(s.organization) << none;
        }
        for (const char* bad : {"Patient/7", "Organization/", "Organization/7/x"})
            expect_search_error(type, {{"organization", bad}}, "organization", "fhir.search.reference",
                                {"organization", bad, "Organization"});
        expect_search_error(type, {{"identifier", "x"}}, "identifier", "fhir.search.unknown",
                            {"identifier", type, "organization, name, _id, _lastUpdated, _count, _offset, _format"});
    }
}

TEST(FhirSearch, UnknownParametersAreRefusedByName) {
    expect_search_error("Organization", {{"_sort", "name"}}, "_sort", "fhir.search.unknown",
                        {"_sort", "Organization", "identifier, name, _id, _lastUpdated, _count, _offset, _format"});
    expect_search_error("Organization", {{"Name", "x"}}, "Name", "fhir.search.unknown",
                        {"Name", "Organization", "identifier, name, _id, _lastUpdated, _count, _offset, _format"});
    // An unknown parameter with a modifier is unknown.
    expect_search_error("Organization", {{"address:exact", "x"}}, "address:exact", "fhir.search.unknown",
                        {"address", "Organization", "identifier, name, _id, _lastUpdated, _count, _offset, _format"});
}

TEST(FhirSearch, AParameterGivenTwiceIsRefusedOnce) {
    expect_search_error("Patient", {{"name", "a"}, {"name", "b"}}, "name", "fhir.search.duplicate", {"name"});
    expect_search_error("Patient", {{"_count", "5"}, {"_count", "5"}, {"_count", "5"}}, "_count", "fhir.search.duplicate",
                        {"_count"});
}

TEST(FhirSearch, NameContainsIsTheOnlyModifierAndNotForPatient) {
    for (const char* type : {"RelatedPerson", "Organization", "Location", "HealthcareService"}) {
        SCOPED_TRACE(type);
        const auto s = search_ok(type, {{"name:contains", "ntre"}});
        EXPECT_EQ(s.name, "ntre");
        EXPECT_TRUE(s.name_contains);
        EXPECT_FALSE(search_ok(type, {{"name", "Centre"}}).name_contains) << "the start of a word by default";
        expect_search_error(type, {{"name:exact", "Centre"}}, "name:exact", "fhir.search.modifier", {"name", "exact"});
        expect_search_error(type, {{"name:Contains", "x"}}, "name:Contains", "fhir.search.modifier", {"name", "Contains"});
        expect_search_error(type, {{"_id:contains", "1"}}, "_id:contains", "fhir.search.modifier", {"_id", "contains"});
        // name and name:contains are the same parameter, given twice.
        expect_search_error(type, {{"name", "a"}, {"name:contains", "b"}}, "name:contains", "fhir.search.duplicate", {"name"});
        expect_search_error(type, {{"name:contains", ""}}, "name:contains", "fhir.search.empty", {"name"});
    }
    // A Patient's name is searched by the registry, by the start of a word only.
    expect_search_error("Patient", {{"name:contains", "Ro"}}, "name:contains", "fhir.search.modifier", {"name", "contains"});
}

TEST(FhirSearch, ModifiersAreRefused) {
    expect_search_error("Patient", {{"name:exact", "Roy"}}, "name:exact", "fhir.search.modifier", {"name", "exact"});
    expect_search_error("Patient", {{"name:contains", "Ro"}}, "name:contains", "fhir.search.modifier", {"name", "contains"});
    expect_search_error("Patient", {{"identifier:missing", "true"}}, "identifier:missing", "fhir.search.modifier",
                        {"identifier", "missing"});
    expect_search_error("RelatedPerson", {{"patient:Patient", "12"}}, "patient:Patient", "fhir.search.modifier",
                        {"patient", "Patient"});
    expect_search_error("Patient", {{"name:", "Roy"}}, "name:", "fhir.search.modifier", {"name", ""});
}

TEST(FhirSearch, AnEmptyValueIsRefused) {
    expect_search_error("Patient", {{"name", ""}}, "name", "fhir.search.empty", {"name"});
    expect_search_error("Organization", {{"_count", ""}}, "_count", "fhir.search.empty", {"_count"});
    // An empty pair (a stray "&=&") asks nothing.
    EXPECT_EQ(search_ok("Organization", {{"", ""}, {"name", "x"}}).name, "x");
    expect_search_error("Organization", {{"", "x"}}, "", "fhir.search.unknown",
                        {"", "Organization", "identifier, name, _id, _lastUpdated, _count, _offset, _format"});
}

TEST(FhirSearch, Ids) {
    EXPECT_EQ(search_ok("Location", {{"_id", "1"}}).id, 1);
    EXPECT_EQ(search_ok("Location", {{"_id", "999999999999"}}).id, 999999999999);
    EXPECT_FALSE(search_ok("Location", {{"_id", "1"}}).matches_nothing);
    // Not one of our ids: nothing is found (a read of Location/abc finds nothing either).
    for (const char* none : {"0", "-3", "abc", "1.0", " 4", "Location/4", "1e3", "9999999999999999999"}) {
        const auto s = search_ok("Location", {{"_id", none}});
        EXPECT_TRUE(s.matches_nothing) << none;
        EXPECT_FALSE(s.id) << none;
    }
    expect_search_error("Location", {{"_id", ""}}, "_id", "fhir.search.empty", {"_id"});
}

TEST(FhirSearch, Identifier) {
    const auto with = search_ok("Patient", {{"identifier", "urn:oid:2.16.840.1.113883.4.59|1234"}});
    EXPECT_EQ(with.identifier_system, "urn:oid:2.16.840.1.113883.4.59");
    EXPECT_EQ(with.identifier_value, "1234");
    const auto without = search_ok("Patient", {{"identifier", "1234"}});
    EXPECT_FALSE(without.identifier_system);
    EXPECT_EQ(without.identifier_value, "1234");
    // A system alone: any identifier of that system.
    const auto system_only = search_ok("Patient", {{"identifier", "https://arrimage.ca/fhir/sid/person|"}});
    EXPECT_EQ(system_only.identifier_system, "https://arrimage.ca/fhir/sid/person");
    EXPECT_FALSE(system_only.identifier_value);
    // A value without a system: the system "" (none).
    const auto no_system = search_ok("Patient", {{"identifier", "|1234"}});
    EXPECT_EQ(no_system.identifier_system, "");
    EXPECT_EQ(no_system.identifier_value, "1234");
    for (const char* bad : {"|", "a|b|c", "||", "a||"})
        expect_search_error("Patient", {{"identifier", bad}}, "identifier", "fhir.search.identifier", {bad, "200"});
    EXPECT_EQ(search_errors("Patient", {{"identifier", std::string(201, 's') + "|"}})[0].message_key, "fhir.search.identifier");
    const std::string long_value(201, '7');
    EXPECT_EQ(search_errors("Patient", {{"identifier", long_value}})[0].message_key, "fhir.search.identifier");
    EXPECT_EQ(search_ok("Patient", {{"identifier", std::string(200, '7')}}).identifier_value, std::string(200, '7'));
}

TEST(FhirSearch, Name) {
    std::string hundred;
    for (int i = 0; i < 100; ++i) hundred += "é";
    EXPECT_EQ(search_ok("Patient", {{"name", hundred}}).name, hundred) << "100 characters, 200 bytes";
    EXPECT_EQ(search_ok("Patient", {{"name", "  Roy  "}}).name, "Roy");
    expect_search_error("Patient", {{"name", hundred + "e"}}, "name", "fhir.search.name", {"100"});
    expect_search_error("Patient", {{"name", "   "}}, "name", "fhir.search.name", {"100"});
    expect_search_error("Patient", {{"name", "Ro\ny"}}, "name", "fhir.search.name", {"100"});
}

TEST(FhirSearch, BirthdateAndItsPrefixes) {
    for (const auto& [value, prefix] : std::vector<std::pair<std::string, std::string>>{
             {"2015-03-04", "eq"}, {"eq2015-03-04", "eq"}, {"ge2015-03-04", "ge"}, {"le2015-03-04", "le"}}) {
        const auto s = search_ok("Patient", {{"birthdate", value}});
        EXPECT_EQ(s.birthdate, "2015-03-04") << value;
        EXPECT_EQ(s.birthdate_prefix, prefix) << value;
    }
    for (const char* bad : {"gt2015-03-04", "lt2015-03-04", "ne2015-03-04", "sa2015-03-04", "ap2015-03-04", "2015", "2015-03",
                            "2015-02-30", "15-03-04", "ge", "2015-03-04T10:00:00Z", "GE2015-03-04", "gege2015-03-04"})
        expect_search_error("Patient", {{"birthdate", bad}}, "birthdate", "fhir.search.birthdate", {bad});
}

TEST(FhirSearch, LastUpdatedOnlyFromADay) {
    EXPECT_EQ(search_ok("HealthcareService", {{"_lastUpdated", "ge2026-01-31"}}).last_updated_ge, "2026-01-31");
    for (const char* bad :
         {"2026-01-31", "le2026-01-31", "gt2026-01-31", "eq2026-01-31", "ge2026-02-30", "ge", "g", "ge2026-01-31T00:00:00Z"})
        expect_search_error("HealthcareService", {{"_lastUpdated", bad}}, "_lastUpdated", "fhir.search.last_updated", {bad});
}

TEST(FhirSearch, CountFromZeroAndAtMostAHundred) {
    EXPECT_EQ(search_ok("Organization", {{"_count", "0"}}).count, 0) << "the total alone";
    EXPECT_EQ(search_ok("Organization", {{"_count", "000"}}).count, 0);
    EXPECT_EQ(search_ok("Patient", {{"_count", "0"}}).count, 0) << "refused by the page: a Patient search has no total";
    EXPECT_EQ(search_ok("Organization", {{"_count", "1"}}).count, 1);
    EXPECT_EQ(search_ok("Organization", {{"_count", "100"}}).count, 100);
    EXPECT_EQ(search_ok("Organization", {{"_count", "007"}}).count, 7);
    // More than a page holds is a full page.
    for (const char* big : {"101", "500", "0000101", "99999999999999999999", "1000000000"})
        EXPECT_EQ(search_ok("Organization", {{"_count", big}}).count, 100) << big;
    for (const char* bad : {"-1", "+5", " 5", "5 ", "abc", "1.5", "1e3", "0x10"})
        expect_search_error("Organization", {{"_count", bad}}, "_count", "fhir.search.count", {bad, "100"});
}

TEST(FhirSearch, OffsetFromZeroToTenThousand) {
    EXPECT_EQ(search_ok("Organization", {{"_offset", "0"}}).offset, 0);
    EXPECT_EQ(search_ok("Organization", {{"_offset", "10000"}}).offset, 10000);
    for (const char* bad : {"10001", "-1", "x", "1e3"})
        expect_search_error("Organization", {{"_offset", bad}}, "_offset", "fhir.search.offset", {bad, "10000"});
}

TEST(FhirSearch, FormatIsJsonOnly) {
    for (const char* ok : {"json", "application/json", "application/fhir+json", "application/fhir json"})
        EXPECT_TRUE(d::parse_fhir_search("Organization", {{"_format", ok}}).first) << ok;
    for (const char* bad : {"xml", "application/fhir+xml", "JSON", "text/html", "ttl"})
        expect_search_error("Organization", {{"_format", bad}}, "_format", "fhir.search.format", {bad});
}

TEST(FhirSearch, EveryProblemIsReportedInOrder) {
    const auto errors = search_errors("Patient", {{"name", "Roy"},
                                                  {"_count", "-5"},
                                                  {"foo", "1"},
                                                  {"birthdate", "gt2015-01-01"},
                                                  {"name", "Tremblay"},
                                                  {"identifier:of-type", "x"},
                                                  {"_id", "12"}});
    ASSERT_EQ(errors.size(), 5u);
    EXPECT_EQ(errors[0].parameter, "_count");
    EXPECT_EQ(errors[0].message_key, "fhir.search.count");
    EXPECT_EQ(errors[1].parameter, "foo");
    EXPECT_EQ(errors[1].message_key, "fhir.search.unknown");
    EXPECT_EQ(errors[2].parameter, "birthdate");
    EXPECT_EQ(errors[2].message_key, "fhir.search.birthdate");
    EXPECT_EQ(errors[3].parameter, "name");
    EXPECT_EQ(errors[3].message_key, "fhir.search.duplicate");
    EXPECT_EQ(errors[4].parameter, "identifier:of-type");
    EXPECT_EQ(errors[4].message_key, "fhir.search.modifier");
}

TEST(FhirSearch, MoreThanFiftyParametersAreRefusedWithOneError) {
    Query fifty;
    for (int i = 0; i < 50; ++i) fifty.emplace_back("", "");  // empty pairs ask nothing
    for (int i = 0; i < 49; ++i) fifty.emplace_back("_format", "json");
    fifty.emplace_back("name", "x");
    // Fifty: each is looked at (and the repeated _format refused once).
    const auto at_fifty = search_errors("Organization", fifty);
    ASSERT_EQ(at_fifty.size(), 1u);
    EXPECT_EQ(at_fifty[0].message_key, "fhir.search.duplicate");
    Query distinct;
    for (const char* n : {"name", "_id", "_count", "_offset", "_format"}) distinct.emplace_back(n, "1");
    distinct[4].second = "json";
    for (int i = 0; i < 45; ++i) distinct.emplace_back("", "");
    EXPECT_TRUE(d::parse_fhir_search("Organization", distinct).first) << "50 pairs, 5 asking";
    // Fifty-one: one error for the whole search.
    auto many = fifty;
    many.emplace_back("_id", "1");
    const auto errors = search_errors("Organization", many);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].parameter, "");
    EXPECT_EQ(errors[0].message_key, "fhir.search.too_many");
    EXPECT_EQ(errors[0].args, std::vector<std::string>{"50"});
    Query unknown;
    for (int i = 0; i < 500; ++i) unknown.emplace_back("p" + std::to_string(i), "1");
    EXPECT_EQ(search_errors("Patient", unknown).size(), 1u);
}

TEST(FhirSearch, AtMostTwentyErrorsAreReported) {
    Query q;
    for (int i = 0; i < 30; ++i) q.emplace_back("p" + std::to_string(i), "1");
    const auto errors = search_errors("Organization", q);
    ASSERT_EQ(errors.size(), d::max_fhir_search_errors);
    EXPECT_EQ(errors.size(), 20u);
    EXPECT_EQ(errors.front().parameter, "p0");
    EXPECT_EQ(errors.back().parameter, "p19");
}

TEST(FhirSearch, QuotedValuesAreShortAndPrintable) {
    const auto errors = search_errors("Organization", {{"_format", std::string(100, 'x') + "\x01"}});
    ASSERT_EQ(errors.size(), 1u);
    ASSERT_EQ(errors[0].args.size(), 1u);
    EXPECT_EQ(errors[0].args[0], std::string(60, 'x') + "…");
    const auto control = search_errors("Organization", {{"_format", "a\x01z"}});
    EXPECT_EQ(control[0].args, std::vector<std::string>{"a?z"});
    const auto bytes = search_errors("Organization", {{"_format", "a\xff"}});
    EXPECT_EQ(bytes[0].args, std::vector<std::string>{"a?"});
}

// ---------------------------------------------------------------- messages

// Every message these rules can give, and the labels their codes promise, exist in both
// languages with every placeholder filled.
TEST(FhirMessages, EveryKeyTheRulesGiveIsASentenceInBothLanguages) {
    const auto c = arrimage::web::load_catalogue();
    std::vector<std::pair<std::string, std::vector<std::string>>> given;
    for (const char* text : {"", "system/Patient.r\xff", "patient/Patient.r system/Foo.r openid system/Patient.sr"}) {
        const auto p = d::parse_fhir_scopes(text);
        for (const auto& f : p.error().fields) given.emplace_back(f.message_key, f.args);
    }
    std::string many;
    for (int i = 0; i < 51; ++i) many += "system/Patient.r ";
    const auto too_many = d::parse_fhir_scopes(many);
    for (const auto& f : too_many.error().fields) given.emplace_back(f.message_key, f.args);
    for (const auto& f : d::validate_api_client({"", "ca_admin", "system/Patient.rs"})) given.emplace_back(f.message_key, f.args);
    const std::vector<std::pair<std::string, Query>> searches = {
        {"Observation", {}},
        {"Patient",
         {{"foo", "1"},
          {"name:exact", "x"},
          {"name", ""},
          {"identifier", "|"},
          {"birthdate", "x"},
          {"_count", "x"},
          {"_offset", "-1"},
          {"_format", "xml"},
          {"foo", "2"}}},
        {"Patient", {{"name", std::string(101, 'a')}}},
        {"RelatedPerson", {{"patient", "Organization/1"}, {"_lastUpdated", "x"}}},
        {"Organization", {{"_count", "1"}, {"_count", "2"}}},
        {"Organization", Query(51, {"_id", "1"})},
    };
    for (const auto& [type, q] : searches) {
        const auto [search, errors] = d::parse_fhir_search(type, q);
        for (const auto& e : errors) given.emplace_back(e.message_key, e.args);
    }
    std::vector<std::string> keys;
    for (const auto& [key, _] : given) keys.push_back(key);
    for (const char* expected :
         {"fhir.scope.required",          "fhir.scope.invalid_text", "fhir.scope.not_system", "fhir.scope.unknown_type",
          "fhir.scope.malformed",         "fhir.scope.letters",      "fhir.scope.too_many",   "api_client.role",
          "fhir.search.unsupported_type", "fhir.search.unknown",     "fhir.search.modifier",  "fhir.search.empty",
          "fhir.search.too_many",         "fhir.search.identifier",  "fhir.search.birthdate", "fhir.search.count",
          "fhir.search.offset",           "fhir.search.format",      "fhir.search.duplicate", "fhir.search.name",
          "fhir.search.reference",        "fhir.search.last_updated"})
        EXPECT_NE(std::find(keys.begin(), keys.end(), expected), keys.end()) << expected << " is never given here";
    for (const auto& [key, args] : given)
        for (auto lang : {Lang::fr, Lang::en}) {
            ASSERT_TRUE(c.has(lang, key)) << key << " missing in " << arrimage::code(lang);
            const auto text = c.t(lang, key, args);
            EXPECT_EQ(text.find('{'), std::string::npos) << key << ": " << text;
        }
    for (auto s : d::all_api_client_statuses())
        for (auto lang : {Lang::fr, Lang::en}) EXPECT_TRUE(c.has(lang, "api_client.status." + std::string(d::code(s))));
    for (auto lang : {Lang::fr, Lang::en}) {
        EXPECT_TRUE(c.has(lang, "api_client.event." + std::string(d::code(d::ApiClientEvent::revoke))));
        for (auto r : d::api_client_roles()) EXPECT_TRUE(c.has(lang, "role." + std::string(d::code(r))));
    }
}
