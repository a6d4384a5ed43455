// The library of common tools and forms (features/network/domain/tools.hpp): the codes of its
// kinds and standings; a tool's form field by field (titles one line up to 200 characters,
// descriptions up to 4,000, a kind from the list, mandatory only when "1", a version label up to
// 20 characters), lengths counted in characters, not bytes; where a provider stands on a
// mandatory tool from the labels it adopted; and the library's filter.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "features/network/domain/tools.hpp"

namespace d = arrimage::domain;

namespace {

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

using Fields = std::vector<std::string>;
const Fields none;

// A string of `n` characters, each two bytes in UTF-8: limits count characters, not bytes.
std::string accented(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "é";
    return s;
}

d::ToolForm valid() {
    d::ToolForm f;
    f.title_fr = "Formulaire de consentement à la communication de renseignements";
    f.title_en = "Consent to share information form";
    f.description_fr = "Le formulaire commun.\r\nSignée par la famille.";
    f.description_en = "The shared form.";
    f.kind = "form";
    f.mandatory = "1";
    f.version_label = " 2026-1 ";
    return f;
}

Fields check(const d::ToolForm& f) {
    d::ToolTerms out;
    return fields_of(d::validate(f, out));
}

}  // namespace

// ---------------------------------------------------------------- codes

TEST(ToolCodes, KindsRoundTripInOrder) {
    const std::vector<std::string> expected = {"form", "guide", "checklist", "assessment_tool", "template", "other"};
    ASSERT_EQ(d::all_tool_kinds().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto k = d::all_tool_kinds()[i];
        EXPECT_EQ(d::code(k), expected[i]);
        EXPECT_EQ(d::parse_tool_kind(expected[i]), k);
    }
    EXPECT_EQ(d::parse_tool_kind("template"), d::ToolKind::template_);
    EXPECT_FALSE(d::parse_tool_kind(""));
    EXPECT_FALSE(d::parse_tool_kind("Form"));
    EXPECT_FALSE(d::parse_tool_kind("template_"));
}

TEST(ToolCodes, StandingsRoundTripInOrder) {
    const std::vector<std::string> expected = {"adopted_current", "adopted_older", "not_adopted"};
    ASSERT_EQ(d::all_adoption_standings().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto s = d::all_adoption_standings()[i];
        EXPECT_EQ(d::code(s), expected[i]);
        EXPECT_EQ(d::parse_adoption_standing(expected[i]), s);
    }
    EXPECT_FALSE(d::parse_adoption_standing("adopted"));
}

// ---------------------------------------------------------------- the form

TEST(ToolForm, AValidFormIsTrimmedAndItsLineBreaksKept) {
    d::ToolTerms out;
    ASSERT_EQ(fields_of(d::validate(valid(), out)), none);
    EXPECT_EQ(out.title_en, "Consent to share information form");
    EXPECT_EQ(out.title_fr, valid().title_fr);
    EXPECT_EQ(out.description_fr, "Le formulaire commun.\nSignée par la famille.") << "CR LF becomes LF";
    EXPECT_EQ(out.kind, d::ToolKind::form);
    EXPECT_TRUE(out.mandatory);
    EXPECT_EQ(out.version_label, "2026-1");
}

TEST(ToolForm, MandatoryOnlyWhenOne) {
    for (const char* raw : {"", "0", "on", "yes", "true", "2"}) {
        auto f = valid();
        f.mandatory = raw;
        d::ToolTerms out;
        out.mandatory = true;
        EXPECT_EQ(fields_of(d::validate(f, out)), none) << raw;
        EXPECT_FALSE(out.mandatory) << raw;
    }
    auto f = valid();
    f.mandatory = " 1 ";
    d::ToolTerms out;
    EXPECT_EQ(fields_of(d::validate(f, out)), none);
    EXPECT_TRUE(out.mandatory);
}

TEST(ToolForm, TitlesAreRequiredOneLineAndAtMost200Characters) {
    auto f = valid();
    f.title_fr = "  ";
    f.title_en = "";
    EXPECT_EQ(check(f), (Fields{"title_fr:field.required", "title_en:field.required"}));

    f = valid();
    f.title_fr = accented(200);
    f.title_en = std::string(200, 'x');
    EXPECT_EQ(check(f), none) << "200 characters, 400 bytes";
    f.title_fr = accented(201);
    f.title_en = std::string(201, 'x');
    EXPECT_EQ(check(f), (Fields{"title_fr:field.too_long", "title_en:field.too_long"}));

    f = valid();
    f.title_en = "Two\nlines";
    EXPECT_EQ(check(f), Fields{"title_en:field.invalid_text"});
    f = valid();
    f.title_fr = "Pas\xffvalide";
    EXPECT_EQ(check(f), Fields{"title_fr:field.invalid_text"});
}

TEST(ToolForm, DescriptionsAreOptionalUpTo4000Characters) {
    auto f = valid();
    f.description_fr = "";
    f.description_en = "";
    EXPECT_EQ(check(f), none);
    f.description_fr = accented(4000);
    f.description_en = std::string(3999, 'x') + "\n";
    EXPECT_EQ(check(f), none);
    f.description_fr = accented(4001);
    f.description_en = std::string(4001, 'x');
    EXPECT_EQ(check(f), (Fields{"description_fr:field.too_long", "description_en:field.too_long"}));
    f = valid();
    f.description_en = std::string("a\x01") + "b";
    EXPECT_EQ(check(f), Fields{"description_en:field.invalid_text"});
}

TEST(ToolForm, AKindFromTheList) {
    auto f = valid();
    f.kind = "";
    EXPECT_EQ(check(f), Fields{"kind:field.required"});
    f.kind = "poster";
    EXPECT_EQ(check(f), Fields{"kind:field.choose_from_list"});
    for (auto k : d::all_tool_kinds()) {
        f.kind = std::string(d::code(k));
        d::ToolTerms out;
        EXPECT_EQ(fields_of(d::validate(f, out)), none) << f.kind;
        EXPECT_EQ(out.kind, k);
    }
}

TEST(ToolForm, TheVersionLabelIsRequiredOneLineAndAtMost20Characters) {
    auto f = valid();
    f.version_label = " ";
    EXPECT_EQ(check(f), Fields{"version_label:field.required"});
    f.version_label = std::string(20, '9');
    EXPECT_EQ(check(f), none);
    f.version_label = "Édition été " + accented(8);  // 20 characters, more bytes
    EXPECT_EQ(check(f), none);
    f.version_label = std::string(21, '9');
    EXPECT_EQ(check(f), Fields{"version_label:field.too_long"});
    f.version_label = "2026\t1";
    EXPECT_EQ(check(f), Fields{"version_label:field.invalid_text"});
}

TEST(ToolForm, EveryFieldWrongAtOnce) {
    d::ToolForm f;
    f.kind = "x";
    f.description_fr = accented(4001);
    EXPECT_EQ(check(f), (Fields{"title_fr:field.required", "title_en:field.required", "description_fr:field.too_long",
                                "kind:field.choose_from_list", "version_label:field.required"}));
}

// ---------------------------------------------------------------- standings

TEST(ToolAdoption, StandingFromTheLabelsAdopted) {
    using S = d::AdoptionStanding;
    EXPECT_EQ(d::adoption_standing({}, "2026-1"), S::not_adopted);
    EXPECT_EQ(d::adoption_standing({"2026-1"}, "2026-1"), S::adopted_current);
    EXPECT_EQ(d::adoption_standing({"2025-2"}, "2026-1"), S::adopted_older);
    EXPECT_EQ(d::adoption_standing({"2025-1", "2025-2"}, "2026-1"), S::adopted_older);
    EXPECT_EQ(d::adoption_standing({"2025-2", "2026-1"}, "2026-1"), S::adopted_current) << "in any order";
    EXPECT_EQ(d::adoption_standing({"2026-1", "2025-2"}, "2026-1"), S::adopted_current);
    // Compared exactly: neither case nor a prefix makes a label the current one.
    EXPECT_EQ(d::adoption_standing({"V2"}, "v2"), S::adopted_older);
    EXPECT_EQ(d::adoption_standing({"2026"}, "2026-1"), S::adopted_older);
    // A tool given back an earlier label finds that label's adoptions current again.
    EXPECT_EQ(d::adoption_standing({"2025-2"}, "2025-2"), S::adopted_current);
}

// ---------------------------------------------------------------- the filter

TEST(ToolFilter, EachParameterOptionalAndFromItsList) {
    d::ToolFilter out;
    EXPECT_EQ(fields_of(d::validate(d::ToolQuery{}, out)), none);
    EXPECT_FALSE(out.kind);
    EXPECT_FALSE(out.mandatory);
    EXPECT_FALSE(out.include_retired);

    EXPECT_EQ(fields_of(d::validate(d::ToolQuery{"checklist", "1", "1"}, out)), none);
    EXPECT_EQ(out.kind, d::ToolKind::checklist);
    EXPECT_EQ(out.mandatory, std::optional<bool>(true));
    EXPECT_TRUE(out.include_retired);

    EXPECT_EQ(fields_of(d::validate(d::ToolQuery{"", "0", "0"}, out)), none);
    EXPECT_FALSE(out.kind);
    EXPECT_EQ(out.mandatory, std::optional<bool>(false));
    EXPECT_FALSE(out.include_retired);

    EXPECT_EQ(fields_of(d::validate(d::ToolQuery{"poster", "yes", "all"}, out)),
              (Fields{"kind:field.choose_from_list", "mandatory:field.choose_from_list", "retired:field.choose_from_list"}));
}
