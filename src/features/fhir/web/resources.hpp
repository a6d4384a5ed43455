#pragma once
// Our records as FHIR R4 resources and back (docs/FHIR.md, "Resources"). Each mapping has its
// inverse, and tests/unit/test_fhir_resources.cpp checks that our model -> FHIR -> our model gives the
// same data for every field the resource carries.
//
// Identifiers use the system URIs documented in docs/FHIR.md:
//   https://arrimage.ca/fhir/sid/person          a child's or youth's file number (people.id)
//   https://arrimage.ca/fhir/sid/family-member   a family member (family_members.id)
//   https://arrimage.ca/fhir/sid/organization    an organisation (organisations.id)
//   https://arrimage.ca/fhir/sid/site            a site (sites.id)
//   https://arrimage.ca/fhir/sid/service         a directory service (services.id)
// Resource ids are our integer ids as text. Names are in both languages where the resource
// allows: Organization.name is the reader's language and alias the other;
// HealthcareService/Location likewise; each text carries the translation extension
// (http://hl7.org/fhir/StructureDefinition/translation) with the other language when it
// differs. Nothing withheld from the reader is mapped: a withheld identity is absent and the
// resource carries meta.security REDACTED (v3-ObservationValue), as the issue asks.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/i18n.hpp"
#include "core/result.hpp"
#include "interop/hsds.hpp"
#include "store/person_repo.hpp"

namespace arrimage::web::fhir {

inline constexpr const char* sid_person = "https://arrimage.ca/fhir/sid/person";
inline constexpr const char* sid_family_member = "https://arrimage.ca/fhir/sid/family-member";
inline constexpr const char* sid_organization = "https://arrimage.ca/fhir/sid/organization";
inline constexpr const char* sid_site = "https://arrimage.ca/fhir/sid/site";
inline constexpr const char* sid_service = "https://arrimage.ca/fhir/sid/service";

// A child's or youth's file as Patient: identifier, name (official; preferred name as a usual
// name), birthDate, communication (preferred language, preferred), telecom, address (line and
// postal code, country CA), managingOrganization (the coordinating agency), active. `file.identity`
// empty (withheld or denied): only id, identifier, managingOrganization and meta.security.
nlohmann::json patient(const store::PersonFile& file);
// A search result row as Patient: names and birth date only (nothing when withheld, with the
// REDACTED label), and managingOrganization. It is a part of the resource, so it carries
// meta.tag SUBSETTED (v3-ObservationValue) beside any security label: the whole resource is
// read by id.
nlohmann::json patient(const store::PersonSummary& row);
// A family member as RelatedPerson of patient `person_id`: relationship coded in
// http://terminology.hl7.org/CodeSystem/v3-RoleCode (our domain::FamilyRelationship codes mapped
// one to one: parent PRN, guardian GUARD, substitute_decision_maker POWATT, other_caregiver
// FAMMEMB; the mapping is a table in resources.cpp, its inverse the same table), the substitute decision-maker flag as the
// extension https://arrimage.ca/fhir/StructureDefinition/substitute-decision-maker (valueBoolean), name, telecom (phone, email),
// communication (preferred language).
nlohmann::json related_person(std::int64_t person_id, const store::FamilyMemberRow& m);
nlohmann::json organization(const interop::DirOrganisation& o, Lang lang);
nlohmann::json location(const interop::DirLocation& l, Lang lang);
nlohmann::json healthcare_service(const interop::DirService& s, const interop::DirectorySnapshot& d, Lang lang);

// The inverses: Invalid (field = the FHIR element's path, key fhir.invalid.*) when the JSON is
// not such a resource. Each takes back exactly what its mapping writes (a Patient's identity
// fields, a RelatedPerson's family member, the directory records in both languages).
struct PatientRecord {
    std::int64_t id = 0;
    std::int64_t managing_organization = 0;
    std::optional<store::PersonIdentity> identity;
};
Result<PatientRecord> patient_from(const nlohmann::json& r);
struct RelatedPersonRecord {
    std::int64_t person_id = 0;
    store::FamilyMemberRow member;
};
Result<RelatedPersonRecord> related_person_from(const nlohmann::json& r);
Result<interop::DirOrganisation> organization_from(const nlohmann::json& r, Lang lang);
Result<interop::DirLocation> location_from(const nlohmann::json& r, Lang lang);
Result<interop::DirService> healthcare_service_from(const nlohmann::json& r, Lang lang);

// A searchset Bundle: self/next/previous links on `base` + `query` (the search's own
// parameters, _count and _offset rewritten), each entry with its fullUrl and search.mode match.
// With a `total`, the Bundle's total and a next link while offset + count < total. Without one
// (a search whose total would reveal what the policy refuses: Patient), no total element, and a
// next link whenever the page is full (resources.size() == count): the next page may be empty,
// which FHIR allows.
nlohmann::json searchset(const std::string& base, const std::string& resource_type, const std::string& query,
                         std::vector<nlohmann::json> resources, std::optional<std::int64_t> total, int count, int offset);

// An OperationOutcome with one issue: severity error, `code` (FHIR issue-type: invalid,
// not-found, forbidden, login, security, not-supported, processing, exception, throttled...),
// `diagnostics` (the reader's language) and, for the HTTP parameters at fault (their names, as
// the request gave them: "birthdate", "_count"), location "http.<name>" each, as R4 asks for
// HTTP parameters (expression is for FHIRPath into a resource).
nlohmann::json operation_outcome(const std::string& code, const std::string& diagnostics,
                                 const std::vector<std::string>& parameters = {});

}  // namespace arrimage::web::fhir
