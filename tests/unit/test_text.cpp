#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

using namespace arrimage;

TEST(Text, Utf8Validation) {
    EXPECT_TRUE(valid_utf8("Élise à l'école"));
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
    EXPECT_FALSE(valid_utf8("\xFF"));
}

TEST(Text, PercentDecoding) {
    EXPECT_EQ(percent_decode("a%20b+c", true).value(), "a b c");
    EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
    EXPECT_EQ(percent_decode("%C3%A9", true).value(), "é");
    EXPECT_FALSE(percent_decode("%", true));
    EXPECT_FALSE(percent_decode("%2", true));
    EXPECT_FALSE(percent_decode("%zz", true));
    EXPECT_EQ(percent_encode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(Text, Emails) {
    EXPECT_TRUE(plausible_email("a.b@example.org"));
    EXPECT_FALSE(plausible_email("a@b"));
    EXPECT_FALSE(plausible_email("a@@b.org"));
    EXPECT_FALSE(plausible_email("a b@c.org"));
    EXPECT_FALSE(plausible_email("@c.org"));
    EXPECT_FALSE(plausible_email("a@c.org."));
}

TEST(Text, TokensAndHashes) {
    SodiumRandom r;
    const auto a = r.token(32), b = r.token(32);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 43u);
    EXPECT_EQ(hash_token("x"), hash_token("x"));
    EXPECT_NE(hash_token("x"), hash_token("y"));
    EXPECT_NE(keyed_hash("k1", "x"), keyed_hash("k2", "x"));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    SeededRandom s1(7), s2(7);
    EXPECT_EQ(s1.token(), s2.token());
}

TEST(Crypto, PasswordHashRoundTrip) {
    const auto h = hash_password("correct horse battery", PasswordHashCost::minimum());
    EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
    EXPECT_TRUE(verify_password("correct horse battery", h));
    EXPECT_FALSE(verify_password("correct horse batterY", h));
}

TEST(Crypto, TotpAcceptsCurrentAndAdjacentStepsOnly) {
    const std::string secret = totp_secret_base32("12345678901234567890");
    EXPECT_EQ(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    // RFC 6238 test vector (SHA-1, T = 59 s): 94287082 → last 6 digits.
    const TimePoint t59 = TimePoint(std::chrono::seconds(59));
    EXPECT_EQ(totp_code(secret, t59), "287082");
    EXPECT_EQ(totp_verify(secret, "287082", t59).value(), 1);
    EXPECT_TRUE(totp_verify(secret, "287082", t59 + std::chrono::seconds(30)));    // one step late
    EXPECT_FALSE(totp_verify(secret, "287082", t59 + std::chrono::seconds(120)));  // too late
    EXPECT_FALSE(totp_verify(secret, "28708", t59));
    EXPECT_FALSE(totp_verify(secret, "abcdef", t59));
}

// Redirect targets (security review, finding 3): a path of this site, as sent and decoded.
TEST(Text, LocalRedirectTargets) {
    for (const char* ok : {"/", "/directory?q=orthophonie&area=1", "/refer?need=l%E2%80%99enfant", "/children/12/consent",
                           "/lang/fr?next=%2Fadmin"})
        EXPECT_TRUE(is_local_redirect(ok)) << ok;
    for (const char* bad : {"",
                            "x",
                            "https://attacker.example",
                            "//attacker.example",
                            "/\\attacker.example",
                            "/%5Cattacker.example",
                            "/%2F/attacker.example",
                            "/%09/attacker.example/x",
                            "/\t/attacker.example",
                            "/ /x",
                            "/%20/x",
                            "/x%0D%0ALocation:%20//a",
                            "/%00",
                            "/%ZZ",
                            "/%E2%80%AE/x",
                            "/%C2%A0/x",
                            "/%E2%80%8B/x",
                            "/%EF%BB%BF/x",
                            "/%FF",
                            "/caf\xc3\xa9"})
        EXPECT_FALSE(is_local_redirect(bad)) << bad;
}

// Names (finding 9): a visible letter, no bidirectional control.
TEST(Text, NamesMustShowALetterAndKeepTheirDirection) {
    for (const char* ok : {"Léa", "O'Neil", "Ŝaŭlo", "ᐊᓯᐊᓂ", "Nguyễn", "D'Arcy-Démo 2", "Ève"})
        EXPECT_EQ(name_problem(ok), std::nullopt) << ok;
    for (const char* none : {"\u200B\u200B", "...", "123", "-", "\u00A0\u3000", "\u2063", "\uFEFF", "\u0301\u0301", "— –"})
        EXPECT_EQ(name_problem(none), std::optional<std::string_view>("field.no_visible_letter")) << none;
    for (const char* bidi : {"Test\u202Eelif", "\u2066Clinique\u2069", "Léa\u200F", "\u061CX"})
        EXPECT_EQ(name_problem(bidi), std::optional<std::string_view>("field.bidi_control")) << bidi;
    EXPECT_EQ(code_points("é\u202E"), std::u32string(U"é\u202E"));
}
