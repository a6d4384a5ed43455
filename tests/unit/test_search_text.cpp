// Search normalisation of the service directory: accent folding, tokens, Snowball stems in
// French and English, and the queries given to SQLite FTS5 and PostgreSQL.
#include <gtest/gtest.h>

#include "domain/search_text.hpp"

using namespace arrimage::domain;

namespace {

// Does a service whose text is `document` come up for `query`?
bool finds(const std::string& query, const std::string& document) {
    return search_matches(index_text(document), parse_search_query(query));
}

}  // namespace

TEST(SearchText, FoldsCaseAndAccentsOfLatinLetters) {
    EXPECT_EQ(fold("École"), "ecole");
    EXPECT_EQ(fold("ÉCOLE"), "ecole");
    EXPECT_EQ(fold("Œuvre Cœur Æsop Straße"), "oeuvre coeur aesop strasse");
    EXPECT_EQ(fold("Ça, c'est ÇA: à À â Â ä ë ï ö ü ÿ Ÿ ñ"), "ca, c'est ca: a a a a a e i o u y y n");
    EXPECT_EQ(fold("Łódź Dvořák Ğ ı"), "lodz dvorak g i");
    // Decomposed text (a letter followed by a combining accent) folds the same way.
    EXPECT_EQ(fold("e\xCC\x81"
                   "cole"),
              "ecole");
    // Other scripts and symbols are kept.
    EXPECT_EQ(fold("ᐃᓄᒃᑎᑐᑦ × 2"), "ᐃᓄᒃᑎᑐᑦ × 2");
}

TEST(SearchText, TokensDropPunctuationShortWordsAndStopWords) {
    EXPECT_EQ(search_tokens("L'École des enfants, pour les parents!"), (std::vector<std::string>{"ecole", "enfants", "parents"}));
    EXPECT_EQ(search_tokens("The speech-language pathologist and the family"),
              (std::vector<std::string>{"speech", "language", "pathologist", "family"}));
    EXPECT_EQ(search_tokens("Ages 0–18, 24/7"), (std::vector<std::string>{"ages", "18", "24"}));
    EXPECT_TRUE(search_tokens("de la et the of à").empty());
    EXPECT_TRUE(parse_search_query("de la et the of").empty());
    EXPECT_TRUE(parse_search_query("  ").empty());
}

TEST(SearchText, SnowballStemsInBothLanguages) {
    // Real Snowball output, folded before stemming.
    // "orthophonistes" also stands for its discipline, "orthophonie".
    EXPECT_EQ(token_stems("orthophonistes"), (std::vector<std::string>{"orthophon", "orthophonist", "orthophoni"}));
    EXPECT_EQ(token_stems("orthophonie"), (std::vector<std::string>{"orthophon", "orthophoni"}));
    EXPECT_EQ(token_stems("enfants"), (std::vector<std::string>{"enfant"}));
    // English stems; "therapists" also stands for its discipline, "therapy".
    EXPECT_EQ(token_stems("services"), (std::vector<std::string>{"servic"}));
    EXPECT_EQ(token_stems("therapists"), (std::vector<std::string>{"therapist", "therapy", "therapi"}));
}

TEST(SearchText, AccentInsensitiveMatching) {
    EXPECT_TRUE(finds("ECOLE", "Soutien à l'école primaire"));
    EXPECT_TRUE(finds("école", "ECOLE SECONDAIRE"));
    EXPECT_TRUE(finds("repit", "Répit familial"));
    EXPECT_TRUE(finds("Répit", "repit familial"));
    EXPECT_TRUE(finds("sante mentale", "Santé mentale jeunesse"));
    EXPECT_TRUE(finds("parentalite", "Ateliers de parentalité"));
}

TEST(SearchText, FrenchStemmingFindsRelatedWords) {
    EXPECT_TRUE(finds("orthophonistes", "Orthophonie pédiatrique"));
    EXPECT_TRUE(finds("orthophonie", "Nos orthophonistes reçoivent les enfants"));
    EXPECT_TRUE(finds("enfant", "pour les enfants de 0 à 6 ans"));
    EXPECT_TRUE(finds("loisir", "Loisirs adaptés"));
    EXPECT_TRUE(finds("physiothérapeute", "Physiothérapie et ergothérapie"));
    EXPECT_TRUE(finds("psychologue", "psychologie de l'enfant"));
}

TEST(SearchText, EnglishStemmingFindsRelatedWords) {
    EXPECT_TRUE(finds("speech therapists", "Paediatric speech therapy"));
    EXPECT_TRUE(finds("speech therapy", "Our speech therapists see children"));
    EXPECT_TRUE(finds("families", "Family respite"));
    EXPECT_TRUE(finds("housing", "Help for families to find houses"));
    EXPECT_TRUE(finds("counselling", "Youth counseling"));  // both spellings stem to "counsel"
}

TEST(SearchText, WordsOfOneLanguageFindTheOther) {
    // Stems shared by the two languages match across them.
    EXPECT_TRUE(finds("autism", "Services en autisme"));
    EXPECT_TRUE(finds("therapy", "thérapie familiale"));
    EXPECT_TRUE(finds("mental", "Santé mentale"));
}

TEST(SearchText, ShortFrenchStemsDoNotMergeUnrelatedWords) {
    // Snowball's French stemmer gives "rep" for both répit (respite) and repas (meal).
    EXPECT_EQ(token_stems("repit"), (std::vector<std::string>{"repit"}));
    EXPECT_EQ(token_stems("repas"), (std::vector<std::string>{"repa"}));
    EXPECT_FALSE(finds("répit", "Banque alimentaire et repas"));
    EXPECT_TRUE(finds("répits", "Répit familial"));
    EXPECT_TRUE(finds("aides", "Aide au logement"));
}

TEST(SearchText, EveryWordMustMatch) {
    EXPECT_FALSE(finds("speech housing", "Paediatric speech therapy"));
    EXPECT_FALSE(finds("orthophonie", "Orthopédie"));
    EXPECT_FALSE(finds("autism", "Respite care"));
    // A practitioner word does not match a different discipline.
    EXPECT_FALSE(finds("physiotherapist", "speech therapy"));
}

TEST(SearchText, QueriesForEachDatabaseCannotCarryOperators) {
    const auto q = parse_search_query("orthophonistes \"NEAR\" (speech*) OR -x'; DROP TABLE services;--");
    EXPECT_EQ(fts5_match(parse_search_query("orthophonistes speech")),
              "(\"orthophon\" OR \"orthophonist\" OR \"orthophoni\") AND \"speech\"");
    EXPECT_EQ(pg_tsquery(parse_search_query("orthophonistes speech")), "(orthophon | orthophonist | orthophoni) & speech");
    for (const auto& group : q.groups)
        for (const auto& stem : group)
            for (char c : stem) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << stem;
    EXPECT_EQ(fts5_match(SearchQuery{}), "");
    // Repeated words and the word limit.
    EXPECT_EQ(parse_search_query("service services SERVICE").groups.size(), 1u);
    EXPECT_EQ(parse_search_query("aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo").groups.size(), 12u);
}

TEST(SearchText, InvalidUtf8IsHarmless) {
    EXPECT_EQ(search_tokens("caf\xC3 bar\xFF"), (std::vector<std::string>{"caf", "bar"}));
    EXPECT_FALSE(index_text("\xC3\xA9t\xC3\xA9\xC3").empty());
}
