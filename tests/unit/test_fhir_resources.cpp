// Our records as FHIR R4 resources and back (features/fhir/web/resources.hpp): each mapping with
// every field filled and with the optional ones empty, in both languages, comes back through its
// inverse field for field; a withheld identity leaves only the file's id, its agency and the
// REDACTED label; a search row is SUBSETTED; the relationship table both ways; the searchset
// Bundle's total and links, with a total and without; the OperationOutcome, HTTP parameters as
// its location; the inverses' field errors on resources of another type and on malformed
// JSON (arrays, numbers, strings, nulls anywhere) without a crash; and every resource produced
// validated against the official FHIR R4 JSON schema (../shared/reference/fhir-r4) with
// python3-jsonschema, its type checked against the list of standard R4 resource types.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/people.hpp"
#include "features/fhir/web/resources.hpp"

namespace fhir = arrimage::web::fhir;
namespace interop = arrimage::interop;
namespace store = arrimage::store;
namespace d = arrimage::domain;
namespace fs = std::filesystem;
using arrimage::Errc;
using arrimage::Lang;
using arrimage::Result;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------- synthetic records

store::PersonIdentity full_identity() {
    store::PersonIdentity i;
    i.given_name = "Alix";
    i.family_name = "Exemple-Essai";
    i.preferred_name = "Lix";
    i.date_of_birth = "2014-03-09";
    i.preferred_language = "Français";
    i.official_language = "fr";
    i.phone = "613-555-0142";
    i.email = "famille.essai@example.org";
    i.address = "12, rue de l'Exemple, app. 3";
    i.postal_code = "A1A 1A1";
    i.capable_of_consent = true;
    return i;
}

store::PersonFile file_with(std::optional<store::PersonIdentity> identity) {
    store::PersonFile f;
    f.id = 4207;
    f.coordinating_agency_id = 31;
    f.sda_id = 2;
    f.agency_name_fr = "Agence d'essai";
    f.agency_name_en = "Test agency";
    f.identity = std::move(identity);
    return f;
}

store::FamilyMemberRow member(std::string relationship) {
    store::FamilyMemberRow m;
    m.id = 77;
    m.given_name = "Camille";
    m.family_name = "Exemple-Essai";
    m.relationship = std::move(relationship);
    m.is_substitute_decision_maker = true;
    m.phone = "613-555-0199";
    m.email = "parent.essai@example.org";
    m.preferred_language = "Arabe";
    return m;
}

interop::DirOrganisation full_organisation() {
    return {31,
            "Centre d'essai pour l'enfance",
            "Test Children's Centre",
            "info@essai.example.org",
            "613-555-0100",
            "https://essai.example.org",
            true};
}

interop::DirLocation full_location() {
    interop::DirLocation l;
    l.id = 501;
    l.organisation_id = 31;
    l.name_fr = "Site d'essai nord";
    l.name_en = "North test site";
    l.address = "100, chemin de l'Essai";
    l.city = "Ottawa";
    l.postal_code = "A1A 1A1";
    l.phone = "613-555-0110";
    l.hours_fr = "Du lundi au vendredi, de 8 h 30 à 16 h 30";
    l.hours_en = "Monday to Friday, 8:30 a.m. to 4:30 p.m.";
    l.accessibility_fr = "Entrée accessible par la rue latérale.\nAscenseur.";
    l.accessibility_en = "Accessible entrance on the side street.\nElevator.";
    l.step_free_access = true;
    return l;
}

interop::DirService full_service() {
    interop::DirService s;
    s.id = 9001;
    s.organisation_id = 31;
    s.name_fr = "Orthophonie d'essai";
    s.name_en = "Test speech therapy";
    s.description_fr = "Évaluation et thérapie du langage.\n\nEn groupe ou individuelle.";
    s.description_en = "Speech and language assessment and therapy.\n\nGroup or individual.";
    s.eligibility_fr = "Enfants d'âge préscolaire.";
    s.eligibility_en = "Preschool children.";
    s.age_min = 0;
    s.age_max = 6;
    s.area_served_fr = "Ottawa";
    s.area_served_en = "Ottawa";
    s.access_fr = "Aiguillage par un professionnel ou demande directe.";
    s.access_en = "Professional referral or self-referral.";
    s.intake_fr = "Un intervenant rappelle la famille dans les deux semaines.";
    s.intake_en = "An intake worker calls the family back within two weeks.";
    s.fees_fr = "Gratuit";
    s.fees_en = "Free";
    s.contact_name = "Accueil d'essai";
    s.email = "accueil@essai.example.org";
    s.phone = "613-555-0120";
    s.website = "https://essai.example.org/orthophonie";
    s.fls_designated = true;
    s.waitlist_status = "waitlist";
    s.wait_weeks = 12;
    s.waitlist_updated_at = "2026-01-15T14:05:00Z";
    s.categories = {"autism", "speech_language"};
    s.languages = {"asl", "en", "fr", "lsq"};
    s.site_ids = {501, 502};
    return s;
}

interop::DirectorySnapshot snapshot() {
    interop::DirectorySnapshot d;
    d.organisations = {full_organisation()};
    auto second = full_location();
    second.id = 502;
    second.name_fr = "Site d'essai sud";
    second.name_en = "South test site";
    d.locations = {full_location(), second};
    d.services = {full_service()};
    d.terms = {{1, "autism", "Autisme", "Autism"}, {2, "speech_language", "Parole et langage", "Speech and language"}};
    return d;
}

// ---------------------------------------------------------------- comparisons

void expect_same(const store::PersonIdentity& a, const store::PersonIdentity& b) {
    EXPECT_EQ(a.given_name, b.given_name);
    EXPECT_EQ(a.family_name, b.family_name);
    EXPECT_EQ(a.preferred_name, b.preferred_name);
    EXPECT_EQ(a.date_of_birth, b.date_of_birth);
    EXPECT_EQ(a.preferred_language, b.preferred_language);
    EXPECT_EQ(a.official_language, b.official_language);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.address, b.address);
    EXPECT_EQ(a.postal_code, b.postal_code);
    EXPECT_EQ(a.capable_of_consent, b.capable_of_consent);
}

void expect_same(const store::FamilyMemberRow& a, const store::FamilyMemberRow& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.given_name, b.given_name);
    EXPECT_EQ(a.family_name, b.family_name);
    EXPECT_EQ(a.relationship, b.relationship);
    EXPECT_EQ(a.is_substitute_decision_maker, b.is_substitute_decision_maker);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.preferred_language, b.preferred_language);
}

void expect_same(const interop::DirOrganisation& a, const interop::DirOrganisation& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name_fr, b.name_fr);
    EXPECT_EQ(a.name_en, b.name_en);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.website, b.website);
    EXPECT_EQ(a.fls_designated, b.fls_designated);
}

void expect_same(const interop::DirLocation& a, const interop::DirLocation& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.organisation_id, b.organisation_id);
    EXPECT_EQ(a.name_fr, b.name_fr);
    EXPECT_EQ(a.name_en, b.name_en);
    EXPECT_EQ(a.address, b.address);
    EXPECT_EQ(a.city, b.city);
    EXPECT_EQ(a.postal_code, b.postal_code);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.hours_fr, b.hours_fr);
    EXPECT_EQ(a.hours_en, b.hours_en);
    EXPECT_EQ(a.accessibility_fr, b.accessibility_fr);
    EXPECT_EQ(a.accessibility_en, b.accessibility_en);
    EXPECT_EQ(a.step_free_access, b.step_free_access);
}

void expect_same(const interop::DirService& a, const interop::DirService& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.organisation_id, b.organisation_id);
    EXPECT_EQ(a.name_fr, b.name_fr);
    EXPECT_EQ(a.name_en, b.name_en);
    EXPECT_EQ(a.description_fr, b.description_fr);
    EXPECT_EQ(a.description_en, b.description_en);
    EXPECT_EQ(a.eligibility_fr, b.eligibility_fr);
    EXPECT_EQ(a.eligibility_en, b.eligibility_en);
    EXPECT_EQ(a.age_min, b.age_min);
    EXPECT_EQ(a.age_max, b.age_max);
    EXPECT_EQ(a.area_served_fr, b.area_served_fr);
    EXPECT_EQ(a.area_served_en, b.area_served_en);
    EXPECT_EQ(a.access_fr, b.access_fr);
    EXPECT_EQ(a.access_en, b.access_en);
    EXPECT_EQ(a.intake_fr, b.intake_fr);
    EXPECT_EQ(a.intake_en, b.intake_en);
    EXPECT_EQ(a.fees_fr, b.fees_fr);
    EXPECT_EQ(a.fees_en, b.fees_en);
    EXPECT_EQ(a.contact_name, b.contact_name);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.website, b.website);
    EXPECT_EQ(a.fls_designated, b.fls_designated);
    EXPECT_EQ(a.waitlist_status, b.waitlist_status);
    EXPECT_EQ(a.wait_weeks, b.wait_weeks);
    EXPECT_EQ(a.waitlist_updated_at, b.waitlist_updated_at);
    EXPECT_EQ(a.categories, b.categories);
    EXPECT_EQ(a.languages, b.languages);
    EXPECT_EQ(a.site_ids, b.site_ids);
}

// The extension of `url` on `j` (null when absent).
json extension(const json& j, const std::string& url) {
    if (!j.contains("extension")) return nullptr;
    for (const auto& e : j["extension"])
        if (e["url"] == url) return e;
    return nullptr;
}

// The translation carried on `_key` of `j`, as {lang, content}.
std::pair<std::string, std::string> translation_of(const json& j, const std::string& key) {
    const auto& t = j.at("_" + key).at("extension").at(0);
    EXPECT_EQ(t["url"], "http://hl7.org/fhir/StructureDefinition/translation");
    std::string lang, content;
    for (const auto& part : t["extension"]) {
        if (part["url"] == "lang") lang = part["valueCode"].get<std::string>();
        if (part["url"] == "content") content = part["valueString"].get<std::string>();
    }
    return {lang, content};
}

template <typename T>
bool has_error(const Result<T>& r, const std::string& field, const std::string& key) {
    if (r.ok()) return false;
    for (const auto& f : r.error().fields)
        if (f.field == field && f.message_key == key) return true;
    return false;
}

template <typename T>
std::string errors_of(const Result<T>& r) {
    if (r.ok()) return "(no error)";
    std::string out;
    for (const auto& f : r.error().fields) out += f.field + " " + f.message_key + "; ";
    return out;
}

}  // namespace

// ---------------------------------------------------------------- Patient

TEST(FhirPatient, EveryIdentityFieldComesBack) {
    const auto file = file_with(full_identity());
    const auto r = fhir::patient(file);
    EXPECT_EQ(r["resourceType"], "Patient");
    EXPECT_EQ(r["id"], "4207");
    EXPECT_FALSE(r.contains("meta"));
    EXPECT_EQ(r["identifier"], json::parse(R"([{"system":"https://arrimage.ca/fhir/sid/person","value":"4207"}])"));
    EXPECT_EQ(r["active"], true);
    EXPECT_EQ(r["managingOrganization"]["reference"], "Organization/31");
    EXPECT_EQ(r["name"][0], json::parse(R"({"use":"official","family":"Exemple-Essai","given":["Alix"]})"));
    EXPECT_EQ(r["name"][1], json::parse(R"({"use":"usual","given":["Lix"]})"));
    EXPECT_EQ(r["birthDate"], "2014-03-09");
    EXPECT_EQ(r["telecom"], json::parse(R"([{"system":"phone","value":"613-555-0142"},
                                            {"system":"email","value":"famille.essai@example.org"}])"));
    EXPECT_EQ(r["address"][0]["line"][0], "12, rue de l'Exemple, app. 3");
    EXPECT_EQ(r["address"][0]["postalCode"], "A1A 1A1");
    EXPECT_EQ(r["address"][0]["country"], "CA");
    // Free text as typed, and the language it names as a BCP-47 code.
    EXPECT_EQ(r["communication"][0]["language"]["text"], "Français");
    EXPECT_EQ(r["communication"][0]["language"]["coding"][0], json::parse(R"({"system":"urn:ietf:bcp:47","code":"fr"})"));
    EXPECT_EQ(r["communication"][0]["preferred"], true);
    EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/capable-of-consent")["valueBoolean"], true);
    EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/official-language")["valueCode"], "fr");

    const auto back = fhir::patient_from(r);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    EXPECT_EQ(back->id, 4207);
    EXPECT_EQ(back->managing_organization, 31);
    ASSERT_TRUE(back->identity);
    expect_same(*back->identity, *file.identity);
}

TEST(FhirPatient, OptionalFieldsEmptyAreLeftOutAndComeBackEmpty) {
    store::PersonIdentity i;
    i.given_name = "Noa";
    i.family_name = "Essai";
    i.date_of_birth = "2019-11-30";
    i.official_language = "en";
    const auto file = file_with(i);
    const auto r = fhir::patient(file);
    EXPECT_EQ(r["name"].size(), 1u);
    for (const char* absent : {"telecom", "address", "communication", "meta"}) EXPECT_FALSE(r.contains(absent)) << absent;
    EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/capable-of-consent")["valueBoolean"], false);
    const auto back = fhir::patient_from(r);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    ASSERT_TRUE(back->identity);
    expect_same(*back->identity, i);

    // A language we do not know is kept as text, without a coding.
    i.preferred_language = "Langue inconnue d'essai";
    const auto other = fhir::patient(file_with(i));
    EXPECT_EQ(other["communication"][0]["language"], json({{"text", "Langue inconnue d'essai"}}));
    EXPECT_EQ(fhir::patient_from(other)->identity->preferred_language, "Langue inconnue d'essai");
}

TEST(FhirPatient, WithheldIdentityLeavesOnlyTheFileAndTheRedactedLabel) {
    const auto r = fhir::patient(file_with(std::nullopt));
    EXPECT_EQ(r["meta"]["security"], json::parse(R"([{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                                                      "code":"REDACTED"}])"));
    EXPECT_EQ(r["id"], "4207");
    EXPECT_EQ(r["identifier"][0]["value"], "4207");
    EXPECT_EQ(r["managingOrganization"]["reference"], "Organization/31");
    std::set<std::string> keys;
    for (const auto& [k, _] : r.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"resourceType", "id", "meta", "identifier", "managingOrganization"}));

    const auto back = fhir::patient_from(r);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    EXPECT_EQ(back->id, 4207);
    EXPECT_EQ(back->managing_organization, 31);
    EXPECT_FALSE(back->identity);
}

TEST(FhirPatient, SearchRowsCarryNamesAndBirthDateOrOnlyTheIdAndAreSubsetted) {
    const json subsetted = json::parse(R"([{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                                            "code":"SUBSETTED"}])");
    store::PersonSummary row;
    row.id = 12;
    row.coordinating_agency_id = 31;
    row.given_name = "Alix";
    row.family_name = "Exemple-Essai";
    row.preferred_name = "Lix";
    row.date_of_birth = "2014-03-09";
    const auto r = fhir::patient(row);
    EXPECT_EQ(r["id"], "12");
    // A part of the resource: tagged so, with no security label when nothing is withheld.
    EXPECT_EQ(r["meta"], json({{"tag", subsetted}}));
    EXPECT_EQ(r["managingOrganization"]["reference"], "Organization/31");
    EXPECT_FALSE(r.contains("telecom"));
    const auto back = fhir::patient_from(r);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    EXPECT_EQ(back->managing_organization, 31);
    ASSERT_TRUE(back->identity);
    EXPECT_EQ(back->identity->given_name, "Alix");
    EXPECT_EQ(back->identity->family_name, "Exemple-Essai");
    EXPECT_EQ(back->identity->preferred_name, "Lix");
    EXPECT_EQ(back->identity->date_of_birth, "2014-03-09");

    row.withheld = true;
    const auto hidden = fhir::patient(row);
    EXPECT_EQ(hidden["meta"]["security"][0]["code"], "REDACTED");
    EXPECT_EQ(hidden["meta"]["tag"], subsetted);  // beside the security label
    EXPECT_EQ(hidden["managingOrganization"]["reference"], "Organization/31");
    for (const char* absent : {"name", "birthDate", "active"}) EXPECT_FALSE(hidden.contains(absent)) << absent;
    EXPECT_FALSE(fhir::patient_from(hidden)->identity);
    EXPECT_EQ(fhir::patient_from(hidden)->managing_organization, 31);

    // A row without its agency (none known) has no managingOrganization rather than a bad one.
    row.coordinating_agency_id = 0;
    EXPECT_FALSE(fhir::patient(row).contains("managingOrganization"));
}

// ---------------------------------------------------------------- RelatedPerson

TEST(FhirRelatedPerson, TheRelationshipTableGoesBothWays) {
    const std::vector<std::pair<d::FamilyRelationship, std::string>> table = {
        {d::FamilyRelationship::parent, "PRN"},
        {d::FamilyRelationship::guardian, "GUARD"},
        {d::FamilyRelationship::substitute_decision_maker, "POWATT"},
        {d::FamilyRelationship::other_caregiver, "FAMMEMB"},
    };
    ASSERT_EQ(table.size(), d::all_family_relationships().size()) << "every relationship has a RoleCode";
    std::set<std::string> codes;
    for (const auto& [rel, role_code] : table) {
        const auto m = member(std::string(d::code(rel)));
        const auto r = fhir::related_person(4207, m);
        ASSERT_EQ(r["relationship"].size(), 1u);
        const auto& coding = r["relationship"][0]["coding"][0];
        EXPECT_EQ(coding["system"], "http://terminology.hl7.org/CodeSystem/v3-RoleCode");
        EXPECT_EQ(coding["code"], role_code);
        codes.insert(role_code);
        const auto back = fhir::related_person_from(r);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        EXPECT_EQ(back->member.relationship, d::code(rel));
    }
    EXPECT_EQ(codes.size(), table.size()) << "one to one";
}

TEST(FhirRelatedPerson, EveryFieldComesBack) {
    const auto m = member("guardian");
    const auto r = fhir::related_person(4207, m);
    EXPECT_EQ(r["resourceType"], "RelatedPerson");
    EXPECT_EQ(r["id"], "77");
    EXPECT_EQ(r["identifier"][0], json::parse(R"({"system":"https://arrimage.ca/fhir/sid/family-member","value":"77"})"));
    EXPECT_EQ(r["patient"]["reference"], "Patient/4207");
    EXPECT_EQ(r["active"], true);
    EXPECT_EQ(r["name"][0]["family"], "Exemple-Essai");
    EXPECT_EQ(r["name"][0]["given"][0], "Camille");
    EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/substitute-decision-maker")["valueBoolean"], true);
    EXPECT_EQ(r["communication"][0]["language"]["text"], "Arabe");
    EXPECT_EQ(r["communication"][0]["language"]["coding"][0]["code"], "ar");
    const auto back = fhir::related_person_from(r);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    EXPECT_EQ(back->person_id, 4207);
    expect_same(back->member, m);

    store::FamilyMemberRow bare;
    bare.id = 78;
    bare.given_name = "Sacha";
    bare.family_name = "Essai";
    bare.relationship = "other_caregiver";
    const auto r2 = fhir::related_person(4207, bare);
    for (const char* absent : {"telecom", "communication"}) EXPECT_FALSE(r2.contains(absent)) << absent;
    const auto back2 = fhir::related_person_from(r2);
    ASSERT_TRUE(back2.ok()) << errors_of(back2);
    expect_same(back2->member, bare);
}

// ---------------------------------------------------------------- Organization

TEST(FhirOrganization, NameInTheReadersLanguageAliasAndTranslationInTheOther) {
    const auto o = full_organisation();
    for (const auto lang : {Lang::fr, Lang::en}) {
        const auto r = fhir::organization(o, lang);
        const bool fr = lang == Lang::fr;
        EXPECT_EQ(r["resourceType"], "Organization");
        EXPECT_EQ(r["id"], "31");
        EXPECT_EQ(r["language"], fr ? "fr" : "en");
        EXPECT_EQ(r["identifier"][0]["system"], "https://arrimage.ca/fhir/sid/organization");
        EXPECT_EQ(r["name"], fr ? o.name_fr : o.name_en);
        EXPECT_EQ(r["alias"], json::array({fr ? o.name_en : o.name_fr}));
        EXPECT_EQ(translation_of(r, "name"), std::make_pair(std::string(fr ? "en" : "fr"), fr ? o.name_en : o.name_fr));
        EXPECT_EQ(r["telecom"].size(), 3u);
        EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/fls-designated")["valueBoolean"], true);
        const auto back = fhir::organization_from(r, lang);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        expect_same(*back, o);
    }
}

TEST(FhirOrganization, TheSameNameInBothLanguagesHasNoAliasAndComesBackTwice) {
    interop::DirOrganisation o{32, "Kinark d'essai", "Kinark d'essai", "", "", "", false};
    const auto r = fhir::organization(o, Lang::en);
    EXPECT_FALSE(r.contains("alias"));
    EXPECT_FALSE(r.contains("_name"));
    EXPECT_FALSE(r.contains("telecom"));
    const auto back = fhir::organization_from(r, Lang::en);
    ASSERT_TRUE(back.ok()) << errors_of(back);
    expect_same(*back, o);
}

// ---------------------------------------------------------------- Location

TEST(FhirLocation, EveryFieldComesBackInBothLanguages) {
    const auto l = full_location();
    for (const auto lang : {Lang::fr, Lang::en}) {
        const bool fr = lang == Lang::fr;
        const auto r = fhir::location(l, lang);
        EXPECT_EQ(r["resourceType"], "Location");
        EXPECT_EQ(r["id"], "501");
        EXPECT_EQ(r["status"], "active");
        EXPECT_EQ(r["identifier"][0]["system"], "https://arrimage.ca/fhir/sid/site");
        EXPECT_EQ(r["name"], fr ? l.name_fr : l.name_en);
        EXPECT_EQ(r["alias"][0], fr ? l.name_en : l.name_fr);
        EXPECT_EQ(r["address"]["line"][0], l.address);
        EXPECT_EQ(r["address"]["city"], "Ottawa");
        EXPECT_EQ(r["address"]["postalCode"], "A1A 1A1");
        EXPECT_EQ(r["address"]["country"], "CA");
        EXPECT_EQ(r["managingOrganization"]["reference"], "Organization/31");
        EXPECT_EQ(r["availabilityExceptions"], fr ? l.hours_fr : l.hours_en);
        EXPECT_EQ(translation_of(r, "availabilityExceptions").second, fr ? l.hours_en : l.hours_fr);
        const auto access = extension(r, "https://arrimage.ca/fhir/StructureDefinition/accessibility");
        EXPECT_EQ(access["valueString"], fr ? l.accessibility_fr : l.accessibility_en);
        EXPECT_EQ(translation_of(access, "valueString").second, fr ? l.accessibility_en : l.accessibility_fr);
        EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/step-free-access")["valueBoolean"], true);
        const auto back = fhir::location_from(r, lang);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        expect_same(*back, l);
    }
}

TEST(FhirLocation, TextsInOneLanguageOnlyAndEmptyOnesComeBackAsTheyWere) {
    interop::DirLocation l;
    l.id = 503;
    l.organisation_id = 31;
    l.name_fr = "Site d'essai";
    l.name_en = "Test site";
    l.hours_fr = "Sur rendez-vous";            // no English hours
    l.accessibility_en = "Ramp at the back.";  // no French accessibility
    for (const auto lang : {Lang::fr, Lang::en}) {
        const auto r = fhir::location(l, lang);
        EXPECT_FALSE(r.contains("address"));
        EXPECT_FALSE(r.contains("telecom"));
        if (lang == Lang::en) {
            EXPECT_FALSE(r.contains("availabilityExceptions"));
            EXPECT_EQ(translation_of(r, "availabilityExceptions"), std::make_pair(std::string("fr"), l.hours_fr));
        }
        const auto back = fhir::location_from(r, lang);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        expect_same(*back, l);
    }
}

// ---------------------------------------------------------------- HealthcareService

TEST(FhirHealthcareService, EveryFieldComesBackInBothLanguages) {
    const auto d = snapshot();
    const auto s = full_service();
    for (const auto lang : {Lang::fr, Lang::en}) {
        const bool fr = lang == Lang::fr;
        const auto r = fhir::healthcare_service(s, d, lang);
        EXPECT_EQ(r["resourceType"], "HealthcareService");
        EXPECT_EQ(r["id"], "9001");
        EXPECT_EQ(r["active"], true);
        EXPECT_EQ(r["identifier"][0]["system"], "https://arrimage.ca/fhir/sid/service");
        EXPECT_EQ(r["providedBy"]["reference"], "Organization/31");
        EXPECT_EQ(r["providedBy"]["display"], fr ? "Centre d'essai pour l'enfance" : "Test Children's Centre");
        ASSERT_EQ(r["location"].size(), 2u);
        EXPECT_EQ(r["location"][1]["reference"], "Location/502");
        EXPECT_EQ(r["location"][1]["display"], fr ? "Site d'essai sud" : "South test site");
        EXPECT_EQ(r["name"], fr ? s.name_fr : s.name_en);
        EXPECT_EQ(translation_of(r, "name").second, fr ? s.name_en : s.name_fr);
        EXPECT_EQ(r["comment"], fr ? s.description_fr : s.description_en);
        EXPECT_EQ(r["extraDetails"], fr ? s.intake_fr : s.intake_en);
        EXPECT_EQ(r["category"][1]["coding"][0]["system"], "https://arrimage.ca/fhir/CodeSystem/service-category");
        EXPECT_EQ(r["category"][1]["coding"][0]["code"], "speech_language");
        EXPECT_EQ(r["category"][1]["coding"][0]["display"], fr ? "Parole et langage" : "Speech and language");
        // Sign languages as their BCP-47 tags.
        std::vector<std::string> tags;
        for (const auto& c : r["communication"]) {
            EXPECT_EQ(c["coding"][0]["system"], "urn:ietf:bcp:47");
            tags.push_back(c["coding"][0]["code"].get<std::string>());
        }
        EXPECT_EQ(tags, (std::vector<std::string>{"ase", "en", "fr", "fcs"}));
        EXPECT_EQ(r["eligibility"][0]["comment"], fr ? s.eligibility_fr : s.eligibility_en);
        const auto ages = extension(r["eligibility"][0], "https://arrimage.ca/fhir/StructureDefinition/age-range");
        EXPECT_EQ(ages["valueRange"]["low"]["value"], 0);
        EXPECT_EQ(ages["valueRange"]["high"]["value"], 6);
        EXPECT_EQ(ages["valueRange"]["high"]["code"], "a");
        EXPECT_EQ(r["referralMethod"][0]["text"], fr ? s.access_fr : s.access_en);
        EXPECT_EQ(r["serviceProvisionCode"][0]["text"], fr ? s.fees_fr : s.fees_en);
        // The same words in both languages still carry their translation (an optional text).
        EXPECT_EQ(r["coverageArea"][0]["display"], "Ottawa");
        EXPECT_EQ(translation_of(r["coverageArea"][0], "display").second, "Ottawa");
        const auto waitlist = extension(r, "https://arrimage.ca/fhir/StructureDefinition/waitlist");
        EXPECT_EQ(waitlist["extension"], json::parse(R"([{"url":"status","valueCode":"waitlist"},
                                                          {"url":"weeks","valueInteger":12},
                                                          {"url":"updated","valueDateTime":"2026-01-15T14:05:00Z"}])"));
        EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/contact-name")["valueString"], "Accueil d'essai");
        EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/fls-designated")["valueBoolean"], true);
        const auto back = fhir::healthcare_service_from(r, lang);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        expect_same(*back, s);
    }
}

TEST(FhirHealthcareService, OptionalFieldsEmptyAreLeftOutAndComeBackEmpty) {
    interop::DirService s;
    s.id = 9002;
    s.organisation_id = 99;  // not in the snapshot: no display
    s.name_fr = "Répit d'essai";
    s.name_en = "Test respite";
    s.description_fr = "Description seulement en français.";
    s.waitlist_status = "open";
    s.categories = {"unknown_code"};
    s.languages = {"fr"};
    s.site_ids = {777};  // not in the snapshot either
    for (const auto lang : {Lang::fr, Lang::en}) {
        const auto r = fhir::healthcare_service(s, snapshot(), lang);
        for (const char* absent :
             {"telecom", "eligibility", "coverageArea", "serviceProvisionCode", "referralMethod", "extraDetails"})
            EXPECT_FALSE(r.contains(absent)) << absent;
        EXPECT_FALSE(r["providedBy"].contains("display"));
        EXPECT_FALSE(r["location"][0].contains("display"));
        EXPECT_FALSE(r["category"][0]["coding"][0].contains("display"));
        EXPECT_EQ(extension(r, "https://arrimage.ca/fhir/StructureDefinition/waitlist")["extension"],
                  json::parse(R"([{"url":"status","valueCode":"open"}])"));
        EXPECT_TRUE(extension(r, "https://arrimage.ca/fhir/StructureDefinition/contact-name").is_null());
        if (lang == Lang::en) {
            EXPECT_FALSE(r.contains("comment"));
        }
        const auto back = fhir::healthcare_service_from(r, lang);
        ASSERT_TRUE(back.ok()) << errors_of(back);
        expect_same(*back, s);
    }
}

// ---------------------------------------------------------------- Bundle and OperationOutcome

TEST(FhirBundle, LinksOnlyWhereThereIsAPageToGoTo) {
    const std::string base = "https://fhir.example.org/fhir";
    const std::string query = "name=al&_count=2&_offset=0&birthdate=ge2010-01-01";
    auto page = [&](int offset, std::int64_t total) {
        return fhir::searchset(base, "Patient", query, {fhir::patient(file_with(full_identity()))}, total, 2, offset);
    };
    auto links = [](const json& b) {
        std::map<std::string, std::string> out;
        for (const auto& l : b["link"]) out[l["relation"].get<std::string>()] = l["url"].get<std::string>();
        return out;
    };
    const auto first = page(0, 5);
    EXPECT_EQ(first["resourceType"], "Bundle");
    EXPECT_EQ(first["type"], "searchset");
    EXPECT_EQ(first["total"], 5);
    auto l = links(first);
    EXPECT_EQ(l["self"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=0");
    EXPECT_EQ(l["next"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=2");
    EXPECT_FALSE(l.contains("previous"));
    const auto& entry = first["entry"][0];
    EXPECT_EQ(entry["fullUrl"], base + "/Patient/4207");
    EXPECT_EQ(entry["resource"]["id"], "4207");
    EXPECT_EQ(entry["search"], json({{"mode", "match"}}));

    l = links(page(2, 5));
    EXPECT_EQ(l["next"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=4");
    EXPECT_EQ(l["previous"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=0");
    l = links(page(4, 5));
    EXPECT_FALSE(l.contains("next"));
    EXPECT_EQ(l["previous"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=2");
    l = links(page(3, 5));  // an offset not on a page boundary goes back to 1, then 0
    EXPECT_EQ(l["previous"], base + "/Patient?name=al&birthdate=ge2010-01-01&_count=2&_offset=1");
    EXPECT_FALSE(links(page(0, 2)).contains("next"));  // exactly one page

    const auto empty = fhir::searchset(base, "Organization", "", {}, std::int64_t{0}, 20, 0);
    EXPECT_EQ(empty["total"], 0);
    EXPECT_FALSE(empty.contains("entry"));
    EXPECT_EQ(links(empty), (std::map<std::string, std::string>{{"self", base + "/Organization?_count=20&_offset=0"}}));

    // What a URL may not carry as it is gets percent-encoded.
    const auto odd = fhir::searchset(base, "Patient", "?name=a b&identifier=https://arrimage.ca/fhir/sid/person|12", {},
                                     std::int64_t{0}, 5, 0);
    EXPECT_EQ(odd["link"][0]["url"],
              base + "/Patient?name=a%20b&identifier=https://arrimage.ca/fhir/sid/person%7C12&_count=5&_offset=0");
}

TEST(FhirBundle, WithoutATotalNoTotalElementAndANextLinkAfterEveryFullPage) {
    const std::string base = "https://fhir.example.org/fhir";
    auto page = [&](std::size_t found, int offset) {
        std::vector<json> resources(found, fhir::patient(file_with(full_identity())));
        return fhir::searchset(base, "Patient", "name=al", std::move(resources), std::nullopt, 2, offset);
    };
    auto links = [](const json& b) {
        std::map<std::string, std::string> out;
        for (const auto& l : b["link"]) out[l["relation"].get<std::string>()] = l["url"].get<std::string>();
        return out;
    };
    const auto full = page(2, 0);
    EXPECT_FALSE(full.contains("total"));
    EXPECT_EQ(full["entry"].size(), 2u);
    EXPECT_EQ(links(full)["next"], base + "/Patient?name=al&_count=2&_offset=2");
    // A page not full is the last one.
    auto l = links(page(1, 2));
    EXPECT_FALSE(l.contains("next"));
    EXPECT_EQ(l["previous"], base + "/Patient?name=al&_count=2&_offset=0");
    // The page after a full one may be empty: no entry, no next, a way back.
    const auto empty = page(0, 4);
    EXPECT_FALSE(empty.contains("total"));
    EXPECT_FALSE(empty.contains("entry"));
    l = links(empty);
    EXPECT_FALSE(l.contains("next"));
    EXPECT_EQ(l["previous"], base + "/Patient?name=al&_count=2&_offset=2");
    // A count below 1 is taken as 1: one resource is then a full page.
    EXPECT_TRUE(links(fhir::searchset(base, "Patient", "", {fhir::patient(file_with(full_identity()))}, std::nullopt, 0, 0))
                    .contains("next"));
}

TEST(FhirOperationOutcome, OneErrorIssueWithTheHttpParametersAsLocationOnlyWhenGiven) {
    EXPECT_EQ(fhir::operation_outcome("not-found", "Ce dossier n'existe pas."), json::parse(R"({"resourceType":"OperationOutcome",
                              "issue":[{"severity":"error","code":"not-found","diagnostics":"Ce dossier n'existe pas."}]})"));
    EXPECT_EQ(fhir::operation_outcome("invalid", "Unknown parameter.", {"foo"}),
              json::parse(R"({"resourceType":"OperationOutcome",
                              "issue":[{"severity":"error","code":"invalid","diagnostics":"Unknown parameter.",
                                        "location":["http.foo"]}]})"));
    const auto two = fhir::operation_outcome("invalid", "Conflicting parameters.", {"_count", "", "birthdate"});
    EXPECT_EQ(two["issue"][0]["location"], json({"http._count", "http.birthdate"}));
    EXPECT_FALSE(two["issue"][0].contains("expression"));
}

// ---------------------------------------------------------------- the inverses on bad input

TEST(FhirInverses, AnotherResourceTypeOrNoResourceAtAllIsInvalid) {
    const auto org = fhir::organization(full_organisation(), Lang::fr);
    const std::vector<json> not_resources = {json::array({org}),
                                             12,
                                             "Patient",
                                             nullptr,
                                             json::object(),
                                             json({{"resourceType", 5}}),
                                             json({{"resourceType", json::array()}})};
    auto check = [](const auto& result, const std::string& type) {
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().code, Errc::Invalid);
        EXPECT_TRUE(has_error(result, "resourceType", "fhir.invalid.resource_type")) << errors_of(result);
        EXPECT_EQ(result.error().fields.at(0).args, std::vector<std::string>{type});
    };
    check(fhir::patient_from(org), "Patient");
    check(fhir::related_person_from(org), "RelatedPerson");
    check(fhir::location_from(org, Lang::fr), "Location");
    check(fhir::healthcare_service_from(org, Lang::fr), "HealthcareService");
    check(fhir::organization_from(fhir::location(full_location(), Lang::fr), Lang::fr), "Organization");
    for (const auto& j : not_resources) {
        check(fhir::patient_from(j), "Patient");
        check(fhir::related_person_from(j), "RelatedPerson");
        check(fhir::organization_from(j, Lang::en), "Organization");
        check(fhir::location_from(j, Lang::en), "Location");
        check(fhir::healthcare_service_from(j, Lang::en), "HealthcareService");
    }
}

TEST(FhirInverses, MalformedElementsAreNamedByTheirPath) {
    auto p = fhir::patient(file_with(full_identity()));
    auto with = [](json j, const std::string& pointer, json v) {
        j[json::json_pointer(pointer)] = std::move(v);
        return j;
    };
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/id", 4207)), "Patient.id", "fhir.invalid.id"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/id", "12a")), "Patient.id", "fhir.invalid.id"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/name", json::object())), "Patient.name", "fhir.invalid.array"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/name/0", 5)), "Patient.name[0]", "fhir.invalid.object"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/name/0/family", 5)), "Patient.name[0].family", "fhir.invalid.string"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/name/0/given", "Alix")), "Patient.name[0].given", "fhir.invalid.array"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/birthDate", 20140309)), "Patient.birthDate", "fhir.invalid.string"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/birthDate", "2014-02-30")), "Patient.birthDate", "fhir.invalid.date"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/managingOrganization/reference", "Location/3")),
                          "Patient.managingOrganization.reference", "fhir.invalid.reference"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/managingOrganization", json::array())), "Patient.managingOrganization",
                          "fhir.invalid.object"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/extension/0/valueBoolean", "yes")), "Patient.extension[0].valueBoolean",
                          "fhir.invalid.boolean"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/extension/1/valueCode", "de")), "Patient.extension[1].valueCode",
                          "fhir.invalid.code"));
    EXPECT_TRUE(has_error(fhir::patient_from(with(p, "/meta", json::array())), "Patient.meta", "fhir.invalid.object"));
    // An absolute reference to the same kind of resource is understood.
    const auto absolute =
        fhir::patient_from(with(p, "/managingOrganization/reference", "https://x.example.org/fhir/Organization/31"));
    ASSERT_TRUE(absolute.ok()) << errors_of(absolute);
    EXPECT_EQ(absolute->managing_organization, 31);

    auto rp = fhir::related_person(4207, member("parent"));
    rp.erase("patient");
    EXPECT_TRUE(has_error(fhir::related_person_from(rp), "RelatedPerson.patient", "fhir.invalid.required"));
    rp = fhir::related_person(4207, member("parent"));
    EXPECT_TRUE(has_error(fhir::related_person_from(with(rp, "/relationship/0/coding/0/code", "NIECE")),
                          "RelatedPerson.relationship[0].coding[0].code", "fhir.invalid.code"));
    EXPECT_TRUE(has_error(fhir::related_person_from(with(rp, "/patient/reference", "Patient/0")),
                          "RelatedPerson.patient.reference", "fhir.invalid.reference"));

    auto hs = fhir::healthcare_service(full_service(), snapshot(), Lang::en);
    EXPECT_TRUE(has_error(fhir::healthcare_service_from(with(hs, "/extension/2/extension/1/valueInteger", "12"), Lang::en),
                          "HealthcareService.extension[2].extension[1].valueInteger", "fhir.invalid.integer"))
        << errors_of(fhir::healthcare_service_from(with(hs, "/extension/2/extension/1/valueInteger", "12"), Lang::en));
    EXPECT_TRUE(
        has_error(fhir::healthcare_service_from(with(hs, "/extension/2/extension/2/valueDateTime", "yesterday"), Lang::en),
                  "HealthcareService.extension[2].extension[2].valueDateTime", "fhir.invalid.datetime"));
    EXPECT_TRUE(has_error(fhir::healthcare_service_from(with(hs, "/_name", "Test"), Lang::en), "HealthcareService._name",
                          "fhir.invalid.object"));
    EXPECT_TRUE(has_error(fhir::healthcare_service_from(with(hs, "/location/0/reference", 502), Lang::en),
                          "HealthcareService.location[0].reference", "fhir.invalid.string"));

    auto loc = fhir::location(full_location(), Lang::fr);
    EXPECT_TRUE(has_error(fhir::location_from(with(loc, "/address", json::array({loc["address"]})), Lang::fr), "Location.address",
                          "fhir.invalid.object"));
}

// Every element of each resource replaced in turn by each kind of JSON value: the inverse answers
// (a value, or Invalid with fhir.invalid.* errors naming a path), never crashes or throws.
TEST(FhirInverses, AnyJsonValueAnywhereIsAnsweredWithoutACrash) {
    const auto d = snapshot();
    const std::vector<json> resources = {fhir::patient(file_with(full_identity())), fhir::related_person(4207, member("parent")),
                                         fhir::organization(full_organisation(), Lang::fr),
                                         fhir::location(full_location(), Lang::en),
                                         fhir::healthcare_service(full_service(), d, Lang::fr)};
    const std::vector<json> weird = {json::array(),
                                     json::array({1, "x"}),
                                     json::array({json::object()}),
                                     json::object(),
                                     -3,
                                     1.5,
                                     18446744073709551615ull,
                                     "x",
                                     "",
                                     nullptr,
                                     true};
    int tried = 0, refused = 0;
    for (const auto& resource : resources) {
        const auto type = resource["resourceType"].get<std::string>();
        std::vector<std::string> pointers;
        const auto leaves = resource.flatten();
        for (const auto& [pointer, _] : leaves.items()) {
            // Every node on the way to each leaf.
            json::json_pointer p(pointer);
            while (!p.empty()) {
                pointers.push_back(p.to_string());
                p = p.parent_pointer();
            }
        }
        std::sort(pointers.begin(), pointers.end());
        pointers.erase(std::unique(pointers.begin(), pointers.end()), pointers.end());
        for (const auto& pointer : pointers) {
            if (pointer == "/resourceType") continue;
            for (const auto& v : weird) {
                json changed = resource;
                changed[json::json_pointer(pointer)] = v;
                auto check = [&](const auto& result) {
                    ++tried;
                    if (result.ok()) return;
                    ++refused;
                    EXPECT_EQ(result.error().code, Errc::Invalid);
                    for (const auto& f : result.error().fields) {
                        EXPECT_EQ(f.message_key.rfind("fhir.invalid.", 0), 0u) << f.message_key;
                        EXPECT_EQ(f.field.rfind(type, 0), 0u) << pointer << ": " << f.field;
                    }
                };
                EXPECT_NO_THROW({
                    if (type == "Patient") check(fhir::patient_from(changed));
                    if (type == "RelatedPerson") check(fhir::related_person_from(changed));
                    if (type == "Organization") check(fhir::organization_from(changed, Lang::fr));
                    if (type == "Location") check(fhir::location_from(changed, Lang::en));
                    if (type == "HealthcareService") check(fhir::healthcare_service_from(changed, Lang::fr));
                }) << type
                   << " " << pointer << " = " << v.dump();
            }
        }
    }
    EXPECT_GT(tried, 1000);
    EXPECT_GT(refused, tried / 4);  // most replacements are of the wrong type
}

// ---------------------------------------------------------------- the official schema

namespace {

fs::path reference_dir() {
    return fs::path(ARRIMAGE_SOURCE_DIR) / ".." / "shared" / "reference" / "fhir-r4";
}

// Everything the mappings produce, full and sparse, in both languages.
std::vector<std::pair<std::string, json>> produced() {
    std::vector<std::pair<std::string, json>> out;
    const auto d = snapshot();
    out.emplace_back("patient-full", fhir::patient(file_with(full_identity())));
    store::PersonIdentity sparse;
    sparse.given_name = "Noa";
    sparse.family_name = "Essai";
    out.emplace_back("patient-sparse", fhir::patient(file_with(sparse)));
    out.emplace_back("patient-withheld", fhir::patient(file_with(std::nullopt)));
    store::PersonSummary row;
    row.id = 12;
    row.coordinating_agency_id = 31;
    row.given_name = "Alix";
    row.family_name = "Essai";
    row.date_of_birth = "2014-03-09";
    out.emplace_back("patient-row", fhir::patient(row));
    row.withheld = true;
    out.emplace_back("patient-row-withheld", fhir::patient(row));
    for (auto rel : d::all_family_relationships())
        out.emplace_back("related-" + std::string(d::code(rel)), fhir::related_person(4207, member(std::string(d::code(rel)))));
    store::FamilyMemberRow bare;
    bare.id = 78;
    bare.relationship = "other_caregiver";
    out.emplace_back("related-bare", fhir::related_person(4207, bare));
    interop::DirLocation one_language;
    one_language.id = 503;
    one_language.organisation_id = 31;
    one_language.name_fr = "Site";
    one_language.name_en = "Site";
    one_language.hours_fr = "Sur rendez-vous";
    one_language.accessibility_en = "Ramp.";
    interop::DirService minimal;
    minimal.id = 9002;
    minimal.organisation_id = 31;
    minimal.name_fr = "Répit";
    minimal.name_en = "Respite";
    minimal.description_en = "English only.";
    minimal.age_max = 17;
    for (const auto lang : {Lang::fr, Lang::en}) {
        const std::string l(code(lang));
        out.emplace_back("organization-" + l, fhir::organization(full_organisation(), lang));
        out.emplace_back("organization-bare-" + l, fhir::organization({33, "Essai", "Essai", "", "", "", false}, lang));
        out.emplace_back("location-" + l, fhir::location(full_location(), lang));
        out.emplace_back("location-sparse-" + l, fhir::location(one_language, lang));
        out.emplace_back("service-" + l, fhir::healthcare_service(full_service(), d, lang));
        out.emplace_back("service-minimal-" + l, fhir::healthcare_service(minimal, d, lang));
    }
    std::vector<json> entries;
    for (const auto& [name, r] : out) entries.push_back(r);
    out.emplace_back("bundle", fhir::searchset("https://fhir.example.org/fhir", "Patient", "name=a b&_count=3", entries,
                                               static_cast<std::int64_t>(entries.size()) + 10, 3, 3));
    out.emplace_back("bundle-no-total", fhir::searchset("https://fhir.example.org/fhir", "Patient", "name=a b", entries,
                                                        std::nullopt, static_cast<int>(entries.size()), 0));
    out.emplace_back("bundle-empty",
                     fhir::searchset("https://fhir.example.org/fhir", "Location", "", {}, std::int64_t{0}, 20, 0));
    out.emplace_back("bundle-empty-no-total",
                     fhir::searchset("https://fhir.example.org/fhir", "Patient", "", {}, std::nullopt, 20, 40));
    out.emplace_back("outcome", fhir::operation_outcome("invalid", "Paramètre inconnu.", {"foo"}));
    out.emplace_back("outcome-bare", fhir::operation_outcome("throttled", "Too many requests."));
    return out;
}

}  // namespace

TEST(FhirSchema, EveryResourceTypeIsAStandardR4Type) {
    const auto list = reference_dir() / "r4-resource-types.txt";
    if (!fs::exists(list)) GTEST_SKIP() << "the list of R4 resource types is not at " << list << ": check skipped";
    std::ifstream in(list);
    std::set<std::string> r4;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) r4.insert(line);
    ASSERT_GT(r4.size(), 100u);
    for (const auto& [name, r] : produced()) {
        EXPECT_TRUE(r4.contains(r["resourceType"].get<std::string>())) << name;
        if (r.contains("entry")) {
            for (const auto& e : r["entry"]) EXPECT_TRUE(r4.contains(e["resource"]["resourceType"].get<std::string>())) << name;
        }
    }
}

TEST(FhirSchema, EveryResourceValidatesAgainstTheOfficialSchema) {
    const auto schema = reference_dir() / "fhir.schema.json";
    if (!fs::exists(schema)) GTEST_SKIP() << "the FHIR R4 schema is not at " << schema << ": schema validation skipped";
    if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3-jsonschema is not installed (scripts/install-deps): schema validation skipped";
    const fs::path dir = fs::temp_directory_path() / ("arrimage-fhir-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream list(dir / "documents.txt");
    for (const auto& [name, r] : produced()) {
        std::ofstream(dir / (name + ".json")) << r.dump();
        list << name << ".json\n";
    }
    // A control the schema must refuse, so that a validator that accepts anything fails here.
    std::ofstream(dir / "control.json") << R"({"resourceType":"Patient","birthDate":"2014-13-40","name":"Alix"})";
    list.close();

    // Draft-06. Each document against the whole schema (its top-level oneOf over every resource
    // type), then against its own type's definition for a precise message.
    std::ofstream script(dir / "validate.py");
    script << "import json, sys, pathlib\n"
              "import jsonschema\n"
              "schema = json.loads(pathlib.Path(sys.argv[1]).read_text())\n"
              "folder = pathlib.Path(sys.argv[2])\n"
              "whole = jsonschema.Draft6Validator(schema)\n"
              "def of_type(t):\n"
              "    return jsonschema.Draft6Validator({'$ref': '#/definitions/' + t, 'definitions': schema['definitions']})\n"
              "bad = 0\n"
              "for name in (folder / 'documents.txt').read_text().split():\n"
              "    doc = json.loads((folder / name).read_text())\n"
              "    errors = list(whole.iter_errors(doc))\n"
              "    if errors:\n"
              "        bad += 1\n"
              "        for e in of_type(doc['resourceType']).iter_errors(doc):\n"
              "            print(name, list(e.absolute_path), e.message[:300])\n"
              "        print(name, 'refused by the whole schema:', errors[0].message[:200])\n"
              "control = json.loads((folder / 'control.json').read_text())\n"
              "if whole.is_valid(control) or of_type('Patient').is_valid(control):\n"
              "    bad += 1\n"
              "    print('the control document was accepted: the validator checks nothing')\n"
              "sys.exit(1 if bad else 0)\n";
    script.close();
    const auto cmd = "/usr/bin/python3 " + (dir / "validate.py").string() + " " + schema.string() + " " + dir.string() + " > " +
                     (dir / "out.txt").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir / "out.txt");
    const std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report;
    fs::remove_all(dir);
}
