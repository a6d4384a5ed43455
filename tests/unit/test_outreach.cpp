// Outreach and knowledge sharing (features/network/domain/outreach.hpp): the codes of its
// vocabularies in their order; an activity's form field by field (kind, audiences merged and
// ordered, title on one line, language, the day held never in the future, people reached at its
// edges, organisations merged and bounded, summary and follow-up lengths counted in characters),
// every field's errors at once; and the log's filters (dates, a reversed range, unknown values).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/network/domain/outreach.hpp"

namespace d = arrimage::domain;
using arrimage::Date;

namespace {

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

std::vector<std::string> one(const std::string& s) {
    return {s};
}

const std::vector<std::string> none;

// A string of `n` characters, each two bytes in UTF-8: limits count characters, not bytes.
std::string accented(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "é";
    return s;
}

const Date today{2026, 5, 20};

d::OutreachForm good() {
    d::OutreachForm f;
    f.kind = "family_session";
    f.audiences = {"families"};
    f.title = "Soirée d'information pour les familles";
    f.language = "fr";
    f.held_on = "2026-05-12";
    f.people_reached = "18";
    f.organisations = {"7", "3"};
    f.summary = "Présentation de la planification coordonnée.";
    f.follow_up = "Envoyer le dépliant.";
    return f;
}

std::vector<std::string> errors(const d::OutreachForm& f) {
    d::OutreachTerms out;
    return fields_of(d::validate(f, today, out));
}

d::OutreachTerms terms(const d::OutreachForm& f) {
    d::OutreachTerms out;
    EXPECT_EQ(fields_of(d::validate(f, today, out)), none);
    return out;
}

}  // namespace

// ---------------------------------------------------------------- codes

TEST(OutreachCodes, KindsRoundTripInOrder) {
    const std::vector<std::string> expected = {
        "family_session", "referrer_presentation", "community_event", "webinar", "community_of_practice", "publication", "other"};
    ASSERT_EQ(d::all_outreach_kinds().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto k = d::all_outreach_kinds()[i];
        EXPECT_EQ(d::code(k), expected[i]);
        EXPECT_EQ(d::parse_outreach_kind(expected[i]), k);
    }
    EXPECT_FALSE(d::parse_outreach_kind(""));
    EXPECT_FALSE(d::parse_outreach_kind("Webinar"));
    EXPECT_FALSE(d::parse_outreach_kind("newsletter"));
}

TEST(OutreachCodes, AudiencesRoundTripInOrder) {
    const std::vector<std::string> expected = {"families", "referring_agencies", "schools", "health", "community", "providers"};
    ASSERT_EQ(d::all_outreach_audiences().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto a = d::all_outreach_audiences()[i];
        EXPECT_EQ(d::code(a), expected[i]);
        EXPECT_EQ(d::parse_outreach_audience(expected[i]), a);
    }
    EXPECT_FALSE(d::parse_outreach_audience("parents"));
    EXPECT_FALSE(d::parse_outreach_audience(" families"));
}

TEST(OutreachCodes, LanguagesRoundTripInOrder) {
    const std::vector<std::string> expected = {"fr", "en", "both"};
    ASSERT_EQ(d::all_outreach_languages().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto l = d::all_outreach_languages()[i];
        EXPECT_EQ(d::code(l), expected[i]);
        EXPECT_EQ(d::parse_outreach_language(expected[i]), l);
    }
    EXPECT_FALSE(d::parse_outreach_language("FR"));
    EXPECT_FALSE(d::parse_outreach_language("es"));
}

// ---------------------------------------------------------------- an activity

TEST(OutreachForm, AGoodFormFillsTheTerms) {
    auto f = good();
    f.title = "  Soirée d'information pour les familles  ";
    f.audiences = {"schools", "families", "schools", ""};
    f.organisations = {"7", " 3 ", "7", ""};
    f.summary = "Ligne un\r\nLigne deux\rLigne trois";
    const auto t = terms(f);
    EXPECT_EQ(t.kind, d::OutreachKind::family_session);
    EXPECT_EQ(t.audiences, (std::vector<d::OutreachAudience>{d::OutreachAudience::families, d::OutreachAudience::schools}))
        << "merged, in their order";
    EXPECT_EQ(t.title, "Soirée d'information pour les familles");
    EXPECT_EQ(t.language, d::OutreachLanguage::fr);
    EXPECT_EQ(t.held_on.iso(), "2026-05-12");
    EXPECT_EQ(t.people_reached, std::optional<int>(18));
    EXPECT_EQ(t.organisations, (std::vector<std::int64_t>{3, 7})) << "merged, ascending";
    EXPECT_EQ(t.summary, "Ligne un\nLigne deux\nLigne trois");
    EXPECT_EQ(t.follow_up, "Envoyer le dépliant.");
}

TEST(OutreachForm, EveryKindAudienceAndLanguageIsAccepted) {
    for (auto k : d::all_outreach_kinds()) {
        auto f = good();
        f.kind = std::string(d::code(k));
        EXPECT_EQ(terms(f).kind, k) << d::code(k);
    }
    auto f = good();
    f.audiences.clear();
    for (auto a : d::all_outreach_audiences()) f.audiences.push_back(std::string(d::code(a)));
    EXPECT_EQ(terms(f).audiences, d::all_outreach_audiences());
    for (auto l : d::all_outreach_languages()) {
        f = good();
        f.language = std::string(d::code(l));
        EXPECT_EQ(terms(f).language, l) << d::code(l);
    }
}

TEST(OutreachForm, EveryFieldHasItsErrors) {
    auto f = good();
    f.kind = "";
    EXPECT_EQ(errors(f), one("kind:field.required"));
    f.kind = "newsletter";
    EXPECT_EQ(errors(f), one("kind:field.choose_from_list"));

    f = good();
    f.audiences = {};
    EXPECT_EQ(errors(f), one("audiences:network.outreach.audience_required"));
    f.audiences = {"", " "};
    EXPECT_EQ(errors(f), one("audiences:network.outreach.audience_required"));
    f.audiences = {"families", "parents"};
    EXPECT_EQ(errors(f), one("audiences:field.choose_from_list"));

    f = good();
    f.title = "   ";
    EXPECT_EQ(errors(f), one("title:field.required"));
    f.title = "Deux\nlignes";
    EXPECT_EQ(errors(f), one("title:field.invalid_text")) << "one line";
    f.title = accented(200);
    EXPECT_EQ(errors(f), none);
    f.title = accented(201);
    EXPECT_EQ(errors(f), one("title:field.too_long"));

    f = good();
    f.language = "";
    EXPECT_EQ(errors(f), one("language:field.required"));
    f.language = "es";
    EXPECT_EQ(errors(f), one("language:field.choose_from_list"));

    f = good();
    f.held_on = "";
    EXPECT_EQ(errors(f), one("held_on:field.required"));
    f.held_on = "2026-02-30";
    EXPECT_EQ(errors(f), one("held_on:people.invalid_date"));
    f.held_on = "12/05/2026";
    EXPECT_EQ(errors(f), one("held_on:people.invalid_date"));
    f.held_on = "2026-05-21";
    EXPECT_EQ(errors(f), one("held_on:network.outreach.held_in_future"));
    f.held_on = "2026-05-20";
    EXPECT_EQ(errors(f), none) << "today";

    f = good();
    f.organisations = {};
    EXPECT_EQ(errors(f), one("organisations:network.outreach.organisations_required"));
    f.organisations = {"3", "abc"};
    EXPECT_EQ(errors(f), one("organisations:field.choose_from_list"));
    f.organisations = {"0"};
    EXPECT_EQ(errors(f), one("organisations:field.choose_from_list"));
    f.organisations = {"-4"};
    EXPECT_EQ(errors(f), one("organisations:field.choose_from_list"));

    f = good();
    f.summary = "";
    EXPECT_EQ(errors(f), one("summary:field.required"));
    f.summary = accented(4000);
    EXPECT_EQ(errors(f), none);
    f.summary = accented(4001);
    EXPECT_EQ(errors(f), one("summary:field.too_long"));
    f.summary = std::string("a\x01") + "b";
    EXPECT_EQ(errors(f), one("summary:field.invalid_text"));

    f = good();
    f.follow_up = "";
    EXPECT_EQ(errors(f), none) << "optional";
    f.follow_up = accented(2000);
    EXPECT_EQ(errors(f), none);
    f.follow_up = accented(2001);
    EXPECT_EQ(errors(f), one("follow_up:field.too_long"));
}

TEST(OutreachForm, PeopleReachedIsAWholeNumberUpToOneHundredThousandOrNothing) {
    auto f = good();
    f.people_reached = "";
    EXPECT_FALSE(terms(f).people_reached) << "not counted";
    f.people_reached = "0";
    EXPECT_EQ(terms(f).people_reached, std::optional<int>(0));
    f.people_reached = "100000";
    EXPECT_EQ(terms(f).people_reached, std::optional<int>(100000));
    f.people_reached = " 42 ";
    EXPECT_EQ(terms(f).people_reached, std::optional<int>(42));
    for (const char* bad : {"100001", "-1", "1.5", "1,200", "1 200", "+3", "about 40", "9999999999"}) {
        f.people_reached = bad;
        EXPECT_EQ(errors(f), one("people_reached:network.outreach.people_reached_invalid")) << bad;
    }
}

TEST(OutreachForm, AtMostFortyOrganisations) {
    auto f = good();
    f.organisations.clear();
    for (int i = 1; i <= 40; ++i) f.organisations.push_back(std::to_string(i));
    f.organisations.push_back("40");  // a duplicate is merged, not counted twice
    EXPECT_EQ(terms(f).organisations.size(), 40u);
    f.organisations.push_back("41");
    d::OutreachTerms out;
    const auto e = d::validate(f, today, out);
    ASSERT_EQ(fields_of(e), one("organisations:network.outreach.too_many_organisations"));
    EXPECT_EQ(e.front().args, std::vector<std::string>{"40"});
}

TEST(OutreachForm, AnEmptyFormHasAnErrorOnEveryRequiredField) {
    EXPECT_EQ(errors({}),
              (std::vector<std::string>{"kind:field.required", "audiences:network.outreach.audience_required",
                                        "title:field.required", "language:field.required", "held_on:field.required",
                                        "organisations:network.outreach.organisations_required", "summary:field.required"}));
}

// ---------------------------------------------------------------- the log's filters

TEST(OutreachFilter, EmptyIsEverything) {
    d::OutreachFilter f;
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{}, f)), none);
    EXPECT_FALSE(f.from);
    EXPECT_FALSE(f.to);
    EXPECT_FALSE(f.kind);
    EXPECT_FALSE(f.audience);
    EXPECT_FALSE(f.organisation);
}

TEST(OutreachFilter, GoodValuesAreRead) {
    d::OutreachFilter f;
    const d::OutreachQuery q{"2025-01-01", "2025-12-31", "webinar", "schools", "12"};
    EXPECT_EQ(fields_of(d::validate(q, f)), none);
    EXPECT_EQ(f.from->iso(), "2025-01-01");
    EXPECT_EQ(f.to->iso(), "2025-12-31");
    EXPECT_EQ(f.kind, d::OutreachKind::webinar);
    EXPECT_EQ(f.audience, d::OutreachAudience::schools);
    EXPECT_EQ(f.organisation, std::optional<std::int64_t>(12));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"2025-03-01", "2025-03-01", "", "", ""}, f)), none) << "one day";
}

TEST(OutreachFilter, UnknownValuesAreFieldErrors) {
    d::OutreachFilter f;
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"2025-13-01", "", "", "", ""}, f)), one("from:people.invalid_date"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"", "demain", "", "", ""}, f)), one("to:people.invalid_date"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"2025-06-02", "2025-06-01", "", "", ""}, f)),
              one("to:network.outreach.range_reversed"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"", "", "newsletter", "", ""}, f)), one("kind:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"", "", "", "parents", ""}, f)), one("audience:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"", "", "", "", "x1"}, f)), one("organisation:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::OutreachQuery{"x", "y", "z", "w", "v"}, f)),
              (std::vector<std::string>{"from:people.invalid_date", "to:people.invalid_date", "kind:field.choose_from_list",
                                        "audience:field.choose_from_list", "organisation:field.choose_from_list"}));
}
