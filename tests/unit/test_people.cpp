// Children and youth: validation of the registration form and its family contact, and the
// fuzzy matching that warns of a probable duplicate before a file is created.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "domain/people.hpp"

using namespace arrimage;
using namespace arrimage::domain;

namespace {

const Date today{2026, 11, 23};

PersonForm good_person() {
    PersonForm f;
    f.given_name = " Léa ";
    f.family_name = "Demo-Tremblay";
    f.date_of_birth = "2015-03-07";
    f.official_language = "fr";
    f.preferred_language = "Français";
    f.school = "École Démo";
    f.phone = "613 555 0199";
    f.email = "Famille@Example.org";
    f.address = "1 rue Exemple";
    f.postal_code = "k1a0b1";
    f.capable_of_consent = "no";
    return f;
}

FamilyMemberForm good_contact() {
    FamilyMemberForm f;
    f.given_name = "Marie";
    f.family_name = "Demo-Tremblay";
    f.relationship = "parent";
    f.is_substitute_decision_maker = "1";
    f.phone = "(613) 555-0142";
    return f;
}

std::vector<std::string> keys(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.field + ":" + e.message_key);
    return out;
}

std::vector<std::string> person_errors(const PersonForm& f) {
    Person p;
    return keys(validate(f, today, p));
}

NameAndBirth nb(const char* given, const char* family, const char* dob) {
    return {name_key(given), name_key(family), *parse_date(dob)};
}

}  // namespace

TEST(PeopleValidation, AGoodFormIsNormalised) {
    Person p;
    ASSERT_TRUE(validate(good_person(), today, p).empty());
    EXPECT_EQ(p.given_name, "Léa");
    EXPECT_EQ(p.date_of_birth.iso(), "2015-03-07");
    EXPECT_EQ(p.official_language, Lang::fr);
    EXPECT_EQ(p.phone, "+1 613-555-0199");
    EXPECT_EQ(p.email, "famille@example.org");
    EXPECT_EQ(p.postal_code, "K1A 0B1");
    EXPECT_FALSE(p.capable_of_consent);
}

TEST(PeopleValidation, EveryBadFieldIsNamedWithACatalogueKey) {
    using V = std::vector<std::string>;
    auto f = good_person();
    f.given_name = "  ";
    f.family_name = std::string(101, 'x');
    EXPECT_EQ(person_errors(f), (V{"given_name:field.required", "family_name:field.too_long"}));

    struct Case {
        const char* dob;
        const char* expected;
    };
    for (const Case c :
         {Case{"", "date_of_birth:field.required"}, Case{"2015-02-30", "date_of_birth:people.invalid_date"},
          Case{"07/03/2015", "date_of_birth:people.invalid_date"}, Case{"2026-11-24", "date_of_birth:people.dob_in_future"},
          Case{"2100-01-01", "date_of_birth:people.dob_in_future"}, Case{"2000-11-22", "date_of_birth:people.dob_too_old"},
          Case{"1890-01-01", "date_of_birth:people.dob_too_old"}}) {
        f = good_person();
        f.date_of_birth = c.dob;
        EXPECT_EQ(person_errors(f), V{c.expected}) << c.dob;
    }
    // Born today, and exactly 25 today: both accepted.
    for (const char* ok : {"2026-11-23", "2001-11-23"}) {
        f = good_person();
        f.date_of_birth = ok;
        EXPECT_TRUE(person_errors(f).empty()) << ok;
    }

    f = good_person();
    f.official_language = "de";
    f.phone = "555-0199";
    f.email = "not-an-email";
    f.postal_code = "90210";
    f.capable_of_consent = "";
    EXPECT_EQ(person_errors(f), (V{"official_language:field.choose_one", "phone:field.phone", "email:field.email",
                                   "postal_code:field.postal_code", "capable_of_consent:field.choose_one"}));
    f = good_person();
    f.school = "École\x01";
    EXPECT_EQ(person_errors(f), V{"school:field.invalid_text"});
}

TEST(PeopleValidation, FamilyContact) {
    using V = std::vector<std::string>;
    FamilyMember m;
    ASSERT_TRUE(validate(good_contact(), "contact_", m).empty());
    EXPECT_EQ(m.relationship, FamilyRelationship::parent);
    EXPECT_TRUE(m.is_substitute_decision_maker);
    EXPECT_EQ(m.phone, "+1 613-555-0142");

    auto f = good_contact();
    f.relationship = "uncle";
    EXPECT_EQ(keys(validate(f, "contact_", m)), V{"contact_relationship:people.unknown_relationship"});
    f.relationship = "";
    EXPECT_EQ(keys(validate(f, "contact_", m)), V{"contact_relationship:field.choose_one"});
    f = good_contact();
    f.phone = "";
    EXPECT_EQ(keys(validate(f, "contact_", m)), V{"contact_phone:people.contact_needed"});
    f.email = "bad@";
    EXPECT_EQ(keys(validate(f, "contact_", m)), V{"contact_email:field.email"});
    f = good_contact();
    f.relationship = "substitute_decision_maker";
    f.is_substitute_decision_maker = "";
    ASSERT_TRUE(validate(f, "", m).empty());
    EXPECT_TRUE(m.is_substitute_decision_maker);
    for (auto r : all_family_relationships()) EXPECT_EQ(parse_family_relationship(code(r)), r);
    EXPECT_EQ(parse_team_kind("assigned_coordinator"), TeamKind::assigned_coordinator);
    EXPECT_FALSE(parse_team_kind("owner"));
}

TEST(PeopleMatching, NameKeysFoldAccentsCaseAndPunctuation) {
    EXPECT_EQ(name_key("Léa-Marie O'Brien"), "leamarieobrien");
    EXPECT_EQ(name_key("ÉLOÏSE"), "eloise");
    EXPECT_EQ(name_key("Zoë  Cœur"), "zoecoeur");
    EXPECT_EQ(normalise_name_query("  Demo-Tremblay,  LÉA "), "demotremblay lea");
    EXPECT_EQ(normalise_name_query("%_'"), "");
    EXPECT_EQ(search_key("Léa", "Demo-Tremblay", ""), " demotremblay demo tremblay lea ");
    EXPECT_EQ(search_key("Zoé", "Roy", "Zozo"), " roy zoe zozo ");
}

TEST(PeopleMatching, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0);
    EXPECT_EQ(edit_distance("tremblay", "tremblay"), 0);
    EXPECT_EQ(edit_distance("tremblay", "tremblya"), 1);  // swapped neighbours
    EXPECT_EQ(edit_distance("tremblay", "trembley"), 1);
    EXPECT_EQ(edit_distance("tremblay", "tremblai"), 1);
    EXPECT_EQ(edit_distance("tremblay", "tremble"), 2);
    EXPECT_EQ(edit_distance("abc", ""), 3);
    EXPECT_TRUE(names_close("gagnon", "gagnion"));
    EXPECT_TRUE(names_close("lea", "leah"));
    EXPECT_FALSE(names_close("leo", "noe"));  // short names two edits apart are different names
    EXPECT_FALSE(names_close("bo", "bob"));
    EXPECT_FALSE(names_close("tremblay", "tremble-o"));
    EXPECT_FALSE(names_close("", ""));
}

TEST(PeopleMatching, BirthDates) {
    const Date d{2015, 3, 7};
    EXPECT_TRUE(birth_dates_close(d, {2015, 3, 7}));
    EXPECT_TRUE(birth_dates_close(d, {2015, 7, 3}));   // day and month swapped
    EXPECT_TRUE(birth_dates_close(d, {2016, 3, 7}));   // one digit
    EXPECT_TRUE(birth_dates_close(d, {2015, 3, 17}));  // one digit
    EXPECT_FALSE(birth_dates_close(d, {2015, 4, 8}));  // two digits
    EXPECT_FALSE(birth_dates_close(d, {2005, 3, 8}));  // two digits
    EXPECT_TRUE(birth_dates_close(d, {2014, 3, 7}));   // one digit of the year
    const auto close = close_birth_dates(d);
    EXPECT_NE(std::find(close.begin(), close.end(), "2015-07-03"), close.end());
    EXPECT_NE(std::find(close.begin(), close.end(), "2015-03-07"), close.end());
    EXPECT_EQ(std::find(close.begin(), close.end(), "2015-03-00"), close.end());  // not a real date
    for (const auto& s : close) EXPECT_TRUE(birth_dates_close(d, *parse_date(s))) << s;
    EXPECT_TRUE(std::is_sorted(close.begin(), close.end()));
}

TEST(PeopleMatching, ProbableDuplicates) {
    const auto lea = nb("Léa", "Demo-Tremblay", "2015-03-07");
    EXPECT_TRUE(probable_duplicate(lea, nb("LEA", "demo tremblay", "2015-03-07")));
    EXPECT_TRUE(probable_duplicate(lea, nb("Lea", "Demo-Tremblai", "2015-07-03")));
    EXPECT_TRUE(probable_duplicate(lea, nb("Léah", "Demo-Trenblay", "2015-03-08")));
    EXPECT_TRUE(probable_duplicate(lea, nb("Demo-Tremblay", "Léa", "2015-03-07")));   // given and family swapped
    EXPECT_FALSE(probable_duplicate(lea, nb("Noé", "Demo-Tremblay", "2015-03-07")));  // a twin
    EXPECT_FALSE(probable_duplicate(lea, nb("Léa", "Demo-Gagnon", "2015-03-07")));
    EXPECT_FALSE(probable_duplicate(lea, nb("Léa", "Demo-Tremblay", "2011-04-07")));
    EXPECT_FALSE(probable_duplicate(lea, nb("Léa", "Demo-Tremblay", "2015-05-09")));
}

TEST(PeopleValidation, AgeInYears) {
    EXPECT_EQ(age_in_years({2015, 3, 7}, {2026, 3, 6}), 10);
    EXPECT_EQ(age_in_years({2015, 3, 7}, {2026, 3, 7}), 11);
    EXPECT_EQ(age_in_years({2027, 1, 1}, {2026, 3, 7}), -1);
}

// Who is offered the registry and registration: the roles privacy.hpp lets near a file, and
// those whose "agency" profile may create identity and contact at intake.
TEST(PeopleAccess, RolesOfferedTheRegistry) {
    for (auto r : all_roles()) {
        const bool never = r == Role::system_admin || r == Role::ministry_analyst;
        EXPECT_EQ(may_use_registry(r), !never) << code(r);
        const bool agency = r == Role::ca_admin || r == Role::coordinator || r == Role::provider_manager;
        EXPECT_EQ(may_register(r), agency) << code(r);
    }
}
