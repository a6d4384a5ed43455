#include <gtest/gtest.h>

#include "core/i18n.hpp"
#include "core/time.hpp"

using namespace arrimage;

TEST(Time, IsoRoundTrip) {
    const auto t = parse_iso("2026-11-23T08:07:14Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(format_iso(*t), "2026-11-23T08:07:14Z");
    EXPECT_FALSE(parse_iso("2026-13-01T00:00:00Z"));
    EXPECT_FALSE(parse_iso("2026-02-30T00:00:00Z"));
    EXPECT_FALSE(parse_iso("2026-11-23 08:07:14"));
    EXPECT_FALSE(parse_iso("2026-11-23T24:00:00Z"));
}

TEST(Time, Dates) {
    EXPECT_TRUE(parse_date("2024-02-29"));
    EXPECT_FALSE(parse_date("2023-02-29"));
    EXPECT_FALSE(parse_date("2023-2-9"));
    EXPECT_FALSE(parse_date("abcd-ef-gh"));
    EXPECT_EQ(parse_date("2024-02-29")->iso(), "2024-02-29");
}

TEST(Time, DayArithmetic) {
    EXPECT_EQ(add_days({2026, 12, 30}, 5).iso(), "2027-01-04");
    EXPECT_EQ(add_days({2024, 3, 1}, -1).iso(), "2024-02-29");
    EXPECT_EQ(days_between({2026, 1, 1}, {2026, 3, 1}), 59);
    EXPECT_EQ(days_between({2026, 3, 1}, {2026, 1, 1}), -59);
    EXPECT_EQ(add_years({2024, 2, 29}, 10).iso(), "2034-02-28");
    EXPECT_EQ(add_years({2024, 2, 29}, 4).iso(), "2028-02-29");
}

TEST(I18n, NegotiatesLanguage) {
    EXPECT_EQ(negotiate_lang("fr-CA,fr;q=0.9,en;q=0.8"), Lang::fr);
    EXPECT_EQ(negotiate_lang("en-CA,en;q=0.9,fr;q=0.8"), Lang::en);
    EXPECT_EQ(negotiate_lang("de-DE,fr;q=0.5,en;q=0.4"), Lang::fr);
    EXPECT_EQ(negotiate_lang("en;q=0.2,fr;q=0.7"), Lang::fr);
    EXPECT_EQ(negotiate_lang(""), Lang::en);
    EXPECT_EQ(negotiate_lang("fr;q=0"), Lang::en);
}

TEST(I18n, Substitutes) {
    EXPECT_EQ(substitute("Use at most {0} characters of {1}.", {"5", "x"}), "Use at most 5 characters of x.");
    EXPECT_EQ(substitute("{0} {2}", {"a"}), "a {2}");
    auto c = Catalogue::from_json(R"({"k": "bonjour {0}"})", R"({"k": "hello {0}"})");
    EXPECT_EQ(c.t(Lang::fr, "k", {"Ada"}), "bonjour Ada");
    EXPECT_EQ(c.t(Lang::en, "missing"), "missing");
}
