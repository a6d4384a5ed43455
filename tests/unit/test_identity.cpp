#include <gtest/gtest.h>

#include "domain/identity.hpp"
#include "domain/password.hpp"

using namespace arrimage;
using namespace arrimage::domain;

namespace {
bool has_error(const std::vector<FieldError>& e, const std::string& field, const std::string& key) {
    for (const auto& x : e)
        if (x.field == field && x.message_key == key) return true;
    return false;
}
}  // namespace

TEST(Identity, PostalCodes) {
    EXPECT_EQ(normalise_postal_code("k1a0b1").value(), "K1A 0B1");
    EXPECT_EQ(normalise_postal_code(" K1A-0B1 ").value(), "K1A 0B1");
    EXPECT_FALSE(normalise_postal_code("D1A 0B1"));  // D never used
    EXPECT_FALSE(normalise_postal_code("W1A 0B1"));  // W never first
    EXPECT_FALSE(normalise_postal_code("K1A 0B"));
    EXPECT_FALSE(normalise_postal_code("12345"));
}

TEST(Identity, Phones) {
    EXPECT_EQ(normalise_phone("613-555-0100").value(), "+1 613-555-0100");
    EXPECT_EQ(normalise_phone("(613) 555 0100 x12").value(), "+1 613-555-0100 x12");
    EXPECT_EQ(normalise_phone("+1 613 555 0100 poste 3").value(), "+1 613-555-0100 x3");
    EXPECT_FALSE(normalise_phone("555-0100"));
    EXPECT_FALSE(normalise_phone("013-555-0100"));  // area code cannot start with 0
    EXPECT_FALSE(normalise_phone("613-555-0100 x1234567"));
    EXPECT_FALSE(normalise_phone("613-555-01OO"));
}

TEST(Identity, SdaValidation) {
    Sda out;
    EXPECT_TRUE(validate(SdaForm{" Ottawa-1 ", "Ottawa", "Ottawa"}, out).empty());
    EXPECT_EQ(out.code, "ottawa-1");
    auto e = validate(SdaForm{"bad code!", "", std::string(201, 'x')}, out);
    EXPECT_TRUE(has_error(e, "code", "sda.code_format"));
    EXPECT_TRUE(has_error(e, "name_fr", "field.required"));
    EXPECT_TRUE(has_error(e, "name_en", "field.too_long"));
    EXPECT_TRUE(has_error(validate(SdaForm{"a", "\xC3", "ok"}, out), "name_fr", "field.invalid_text"));
    EXPECT_TRUE(has_error(validate(SdaForm{"a", "tab\there", "ok"}, out), "name_fr", "field.invalid_text"));
}

TEST(Identity, OrganisationValidation) {
    OrganisationForm in;
    in.sda_id = "3";
    in.name_fr = "Organisme";
    in.name_en = "Agency";
    in.sector = "health";
    in.csp_roles = {"csp_participant", "csp_participant", "broader_partner"};
    in.phone = "613 555 0100";
    in.website = "https://example.org";
    Organisation out;
    ASSERT_TRUE(validate(in, out).empty());
    EXPECT_EQ(out.sda_id, 3);
    EXPECT_EQ(out.sector, Sector::health);
    EXPECT_EQ(out.csp_roles.size(), 2u);  // duplicates folded
    EXPECT_EQ(out.phone.value(), "+1 613-555-0100");
    EXPECT_FALSE(out.email);

    OrganisationForm bad;
    bad.sda_id = "x";
    bad.sector = "banking";
    bad.csp_roles = {"overlord"};
    bad.email = "nope";
    bad.phone = "12";
    bad.website = "ftp://x";
    auto e = validate(bad, out);
    EXPECT_TRUE(has_error(e, "sda_id", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "sector", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "csp_roles", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "email", "field.email"));
    EXPECT_TRUE(has_error(e, "phone", "field.phone"));
    EXPECT_TRUE(has_error(e, "website", "field.url"));
    EXPECT_TRUE(has_error(e, "name_fr", "field.required"));

    OrganisationForm none = in;
    none.csp_roles.clear();
    EXPECT_TRUE(has_error(validate(none, out), "csp_roles", "field.choose_at_least_one"));
}

TEST(Identity, UserAndMembershipValidation) {
    User u;
    EXPECT_TRUE(validate(UserForm{" Ada@Example.ORG ", "Ada Exemple", "fr"}, u).empty());
    EXPECT_EQ(u.email, "ada@example.org");
    EXPECT_EQ(u.preferred_lang, Lang::fr);
    auto e = validate(UserForm{"ada", "", "de"}, u);
    EXPECT_TRUE(has_error(e, "email", "field.email"));
    EXPECT_TRUE(has_error(e, "display_name", "field.required"));
    EXPECT_TRUE(has_error(e, "preferred_lang", "field.choose_one"));

    Membership m;
    EXPECT_TRUE(validate(MembershipForm{"12", "coordinator"}, m).empty());
    EXPECT_EQ(m.role, Role::coordinator);
    auto me = validate(MembershipForm{"-1", "king"}, m);
    EXPECT_TRUE(has_error(me, "organisation_id", "field.choose_one"));
    EXPECT_TRUE(has_error(me, "role", "field.choose_one"));
}

TEST(Identity, IdsAreStrict) {
    EXPECT_EQ(parse_id("42").value(), 42);
    EXPECT_FALSE(parse_id("0"));
    EXPECT_FALSE(parse_id("-3"));
    EXPECT_FALSE(parse_id("4x"));
    EXPECT_FALSE(parse_id("99999999999999999999"));
    EXPECT_FALSE(parse_id(""));
}

TEST(Identity, EnumCodesRoundTrip) {
    for (auto r : all_roles()) EXPECT_EQ(parse_role(code(r)), r);
    for (auto s : all_sectors()) EXPECT_EQ(parse_sector(code(s)), s);
    for (auto c : all_csp_roles()) EXPECT_EQ(parse_csp_role(code(c)), c);
    EXPECT_EQ(all_roles().size(), 7u);
    EXPECT_EQ(all_sectors().size(), 6u);
    EXPECT_EQ(all_csp_roles().size(), 4u);
}

TEST(Password, Policy) {
    EXPECT_TRUE(check_new_password("a long enough phrase", "a long enough phrase", "x@y.org").empty());
    EXPECT_TRUE(has_error(check_new_password("short", "short", ""), "password", "password.too_short"));
    EXPECT_TRUE(has_error(check_new_password("aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa", ""), "password", "password.too_common"));
    EXPECT_TRUE(has_error(check_new_password("Password1234", "Password1234", ""), "password", "password.too_common"));
    EXPECT_TRUE(has_error(check_new_password("someone@example.org", "someone@example.org", "someone@example.org"), "password",
                          "password.too_common"));
    EXPECT_TRUE(has_error(check_new_password("a long enough phrase", "a long enough phrasE", ""), "password_confirm",
                          "password.mismatch"));
    // Twelve characters, not bytes: accented letters count once.
    EXPECT_FALSE(has_error(check_new_password("ééééééééééé1", "ééééééééééé1", ""), "password", "password.too_short"));
    EXPECT_TRUE(has_error(check_new_password("éééééééééé1", "éééééééééé1", ""), "password", "password.too_short"));
}

// A growing delay rather than a lock (security review, finding 6).
TEST(Password, SignInDelayDoublesFromTheThresholdUpToTheCap) {
    using std::chrono::seconds;
    EXPECT_EQ(sign_in_delay(0, 5, seconds(900)), seconds(0));
    EXPECT_EQ(sign_in_delay(4, 5, seconds(900)), seconds(0));
    EXPECT_EQ(sign_in_delay(5, 5, seconds(900)), seconds(1));
    EXPECT_EQ(sign_in_delay(6, 5, seconds(900)), seconds(2));
    EXPECT_EQ(sign_in_delay(14, 5, seconds(900)), seconds(512));
    EXPECT_EQ(sign_in_delay(15, 5, seconds(900)), seconds(900));
    EXPECT_EQ(sign_in_delay(1000, 5, seconds(900)), seconds(900));
}
