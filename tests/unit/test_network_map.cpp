// The network map's domain (features/network/domain/network_map.hpp): an organisation's standing
// from its counts of agreements in force and ended, the standings' codes, and the map's filter
// parameter by parameter (empty is no filter, anything else must be in its list).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "features/agreements/domain/agreements.hpp"
#include "features/network/domain/network_map.hpp"

namespace d = arrimage::domain;

namespace {

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

// The agreements registry's check, as the page passes it.
bool agreement_kind(std::string_view s) {
    return d::parse_agreement_kind(s).has_value();
}

std::vector<std::string> errors_of(const d::MapQuery& q) {
    d::MapFilter f;
    return fields_of(d::validate(q, &agreement_kind, f));
}

}  // namespace

// ---------------------------------------------------------------- standings

TEST(MapStanding, OneAgreementInForceConnectsWhateverHasEnded) {
    EXPECT_EQ(d::map_standing(1, 0), d::MapStanding::connected);
    EXPECT_EQ(d::map_standing(1, 5), d::MapStanding::connected);
    EXPECT_EQ(d::map_standing(12, 0), d::MapStanding::connected);
}

TEST(MapStanding, NoneInForceButOneEndedIsLapsed) {
    EXPECT_EQ(d::map_standing(0, 1), d::MapStanding::lapsed);
    EXPECT_EQ(d::map_standing(0, 3), d::MapStanding::lapsed);
}

TEST(MapStanding, NeverAnyAgreementIsUnconnected) {
    EXPECT_EQ(d::map_standing(0, 0), d::MapStanding::unconnected);
}

TEST(MapStanding, CodesRoundTripInTheirOrder) {
    const auto& all = d::all_map_standings();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0], d::MapStanding::connected);
    EXPECT_EQ(all[1], d::MapStanding::lapsed);
    EXPECT_EQ(all[2], d::MapStanding::unconnected);
    EXPECT_EQ(d::code(d::MapStanding::connected), "connected");
    EXPECT_EQ(d::code(d::MapStanding::lapsed), "lapsed");
    EXPECT_EQ(d::code(d::MapStanding::unconnected), "unconnected");
    for (auto s : all) EXPECT_EQ(d::parse_map_standing(d::code(s)), s);
    EXPECT_FALSE(d::parse_map_standing(""));
    EXPECT_FALSE(d::parse_map_standing("Connected"));
    EXPECT_FALSE(d::parse_map_standing("draft"));
}

// ---------------------------------------------------------------- the filter

TEST(MapFilter, EmptyParametersAreNoFilter) {
    d::MapFilter f;
    f.area = 9;
    f.sector = d::Sector::health;
    f.kind = "partnership";
    f.standing = d::MapStanding::lapsed;
    ASSERT_EQ(fields_of(d::validate(d::MapQuery{}, &agreement_kind, f)), std::vector<std::string>{});
    EXPECT_FALSE(f.area) << "a filter left from before is cleared";
    EXPECT_FALSE(f.sector);
    EXPECT_FALSE(f.kind);
    EXPECT_FALSE(f.standing);
    ASSERT_EQ(errors_of({" ", "  ", "\t", ""}), std::vector<std::string>{}) << "blanks are empty";
}

TEST(MapFilter, GoodValuesFillTheFilterTrimmed) {
    d::MapFilter f;
    ASSERT_EQ(fields_of(d::validate({" 12 ", "education", "csp_participant", "unconnected"}, &agreement_kind, f)),
              std::vector<std::string>{});
    EXPECT_EQ(f.area, 12);
    EXPECT_EQ(f.sector, d::Sector::education);
    EXPECT_EQ(f.kind, "csp_participant");
    EXPECT_EQ(f.standing, d::MapStanding::unconnected);
}

TEST(MapFilter, EveryKnownCodeIsAccepted) {
    for (auto s : d::all_sectors()) EXPECT_EQ(errors_of({"", std::string(d::code(s)), "", ""}).size(), 0u);
    for (auto k : d::all_agreement_kinds()) EXPECT_EQ(errors_of({"", "", std::string(d::code(k)), ""}).size(), 0u);
    for (auto s : d::all_map_standings()) EXPECT_EQ(errors_of({"", "", "", std::string(d::code(s))}).size(), 0u);
}

TEST(MapFilter, AnAreaMustBeAPositiveId) {
    for (const char* bad : {"0", "-3", "abc", "1.5", "12x", "99999999999999999999", "1 2"})
        EXPECT_EQ(errors_of({bad, "", "", ""}), std::vector<std::string>{"area:field.choose_from_list"}) << bad;
}

TEST(MapFilter, EachUnknownValueIsAnErrorOnItsParameter) {
    EXPECT_EQ(errors_of({"", "hospital", "", ""}), std::vector<std::string>{"sector:field.choose_from_list"});
    EXPECT_EQ(errors_of({"", "", "draft", ""}), std::vector<std::string>{"kind:field.choose_from_list"});
    EXPECT_EQ(errors_of({"", "", "", "orphan"}), std::vector<std::string>{"standing:field.choose_from_list"});
    EXPECT_EQ(
        errors_of({"x", "Health", "PARTNERSHIP", "lapsed "}),
        (std::vector<std::string>{"area:field.choose_from_list", "sector:field.choose_from_list", "kind:field.choose_from_list"}))
        << "codes are case-sensitive; each error on its own parameter";
}
