// Service directory: validation of services, waitlists, locations, pathways and search
// filters, staleness, and who may change what.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "domain/directory.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::domain;

namespace {

bool has_error(const std::vector<FieldError>& e, const std::string& field, const std::string& key) {
    for (const auto& x : e)
        if (x.field == field && x.message_key == key) return true;
    return false;
}

ServiceForm good_service() {
    ServiceForm f;
    f.name_fr = "Orthophonie";
    f.name_en = "Speech therapy";
    f.description_fr = "Évaluation et thérapie.\r\nEn personne ou en ligne.";
    f.description_en = "Assessment and therapy.";
    f.categories = {"speech_language"};
    f.languages = {"fr", "en"};
    f.waitlist_status = "waitlist";
    f.wait_weeks = "12";
    return f;
}

}  // namespace

TEST(Directory, AValidServiceIsNormalised) {
    auto f = good_service();
    f.phone = "(613) 555-0100 poste 12";
    f.email = " Intake@Example.ORG ";
    f.age_min = "0";
    f.age_max = " 18 ";
    f.locations = {"3", "3", "4"};
    Service s;
    EXPECT_TRUE(validate(f, s, true).empty());
    EXPECT_EQ(s.description_fr, "Évaluation et thérapie.\nEn personne ou en ligne.");
    EXPECT_EQ(s.phone, "+1 613-555-0100 x12");
    EXPECT_EQ(s.email, "intake@example.org");
    EXPECT_EQ(s.age_min, 0);
    EXPECT_EQ(s.age_max, 18);
    EXPECT_EQ(s.site_ids, (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(s.waitlist.status, WaitlistStatus::waitlist);
    EXPECT_EQ(s.waitlist.wait_weeks, 12);
}

TEST(Directory, BadServiceInputGivesFieldErrors) {
    auto f = good_service();
    f.name_fr = "";
    f.description_en = std::string(4001, 'x');
    f.categories = {"speech_language", "Not a Code!"};
    f.languages = {"klingon"};
    f.phone = "12";
    f.email = "nobody";
    f.website = "ftp://example.org";
    f.age_min = "-1";
    f.age_max = "abc";
    f.locations = {"x"};
    Service s;
    auto e = validate(f, s, true);
    EXPECT_TRUE(has_error(e, "name_fr", "field.required"));
    EXPECT_TRUE(has_error(e, "description_en", "field.too_long"));
    EXPECT_TRUE(has_error(e, "categories", "service.unknown_category"));
    EXPECT_TRUE(has_error(e, "languages", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "phone", "field.phone"));
    EXPECT_TRUE(has_error(e, "email", "field.email"));
    EXPECT_TRUE(has_error(e, "website", "field.url"));
    EXPECT_TRUE(has_error(e, "age_min", "service.age_range"));
    EXPECT_TRUE(has_error(e, "age_max", "service.age_range"));
    EXPECT_TRUE(has_error(e, "locations", "field.choose_from_list"));

    f = good_service();
    f.age_min = "12";
    f.age_max = "6";
    f.categories.clear();
    f.languages.clear();
    f.name_en = "Tab\tin a name";
    e = validate(f, s, false);
    EXPECT_TRUE(has_error(e, "age_max", "service.age_order"));
    EXPECT_TRUE(has_error(e, "categories", "field.choose_at_least_one"));
    EXPECT_TRUE(has_error(e, "languages", "field.choose_at_least_one"));
    EXPECT_TRUE(has_error(e, "name_en", "field.invalid_text"));
    EXPECT_TRUE(validate(good_service(), s, false).empty());
}

TEST(Directory, WaitTimesMustBeSensible) {
    Waitlist w;
    EXPECT_TRUE(validate(WaitlistForm{"waitlist", "26"}, w).empty());
    EXPECT_EQ(w.wait_weeks, 26);
    EXPECT_TRUE(validate(WaitlistForm{"open", ""}, w).empty());
    EXPECT_FALSE(w.wait_weeks);
    EXPECT_TRUE(validate(WaitlistForm{"closed", " "}, w).empty());

    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", "-4"}, w), "wait_weeks", "waitlist.weeks_range"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", "0"}, w), "wait_weeks", "waitlist.weeks_range"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", "261"}, w), "wait_weeks", "waitlist.weeks_range"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", "99999999999"}, w), "wait_weeks", "waitlist.weeks_range"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", "3.5"}, w), "wait_weeks", "waitlist.weeks_range"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"waitlist", ""}, w), "wait_weeks", "waitlist.weeks_required"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"open", "4"}, w), "wait_weeks", "waitlist.weeks_only_waitlist"));
    EXPECT_TRUE(has_error(validate(WaitlistForm{"maybe", ""}, w), "waitlist_status", "field.choose_one"));
}

TEST(Directory, LocationsNeedARealAddress) {
    Location l;
    EXPECT_TRUE(validate(LocationForm{"Bureau", "Office", "1 rue X", "Ottawa", "k1a0b1", "613 555 0100"}, l).empty());
    EXPECT_EQ(l.postal_code, "K1A 0B1");
    EXPECT_EQ(l.phone, "+1 613-555-0100");
    auto e = validate(LocationForm{"Bureau", "Office", "", "Ottawa", "D1A 0B1", "555-0100"}, l);
    EXPECT_TRUE(has_error(e, "address", "field.required"));
    EXPECT_TRUE(has_error(e, "postal_code", "field.postal_code"));
    EXPECT_TRUE(has_error(e, "phone", "field.phone"));
    EXPECT_TRUE(has_error(validate(LocationForm{"B", "O", "1 rue X", "Ottawa", ""}, l), "postal_code", "field.required"));
}

TEST(Directory, PathwaysNeedANeedOrSectorAndATarget) {
    Pathway p;
    EXPECT_TRUE(validate(PathwayForm{"1", "speech_language", "", "single_window", "", "4", "", ""}, p).empty());
    EXPECT_EQ(p.need, "speech_language");
    EXPECT_FALSE(p.sector);
    EXPECT_EQ(p.organisation_id, 4);
    EXPECT_EQ(p.mechanism, AccessMechanism::single_window);
    auto e = validate(PathwayForm{"", "", "", "teleport", "", "", "", ""}, p);
    EXPECT_TRUE(has_error(e, "sda_id", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "need", "pathway.need_or_sector"));
    EXPECT_TRUE(has_error(e, "mechanism", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "service_id", "pathway.target_required"));
    e = validate(PathwayForm{"1", "BAD CODE", "banking", "direct_intake", "x", "", "", ""}, p);
    EXPECT_TRUE(has_error(e, "need", "service.unknown_category"));
    EXPECT_TRUE(has_error(e, "sector", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "service_id", "field.choose_from_list"));
}

TEST(Directory, SearchFilters) {
    SearchFilters f;
    EXPECT_TRUE(validate(SearchForm{"orthophonie", "2", "autism", "7", "fr", "12", "1", "", "3"}, f).empty());
    EXPECT_EQ(f.sort, SearchSort::relevance);
    EXPECT_EQ(f.sda_id, 2);
    EXPECT_EQ(f.category, "autism");
    EXPECT_EQ(f.age, 7);
    EXPECT_EQ(f.language, "fr");
    EXPECT_EQ(f.max_wait_weeks, 12);
    EXPECT_TRUE(f.fls_only);
    EXPECT_EQ(f.page, 3);
    EXPECT_FALSE(f.query.empty());

    EXPECT_TRUE(validate(SearchForm{"", "", "", "", "", "open", "", "relevance", "-2"}, f).empty());
    EXPECT_EQ(f.sort, SearchSort::name);  // nothing to rank by
    EXPECT_TRUE(f.open_only);
    EXPECT_EQ(f.page, 1);

    auto e = validate(SearchForm{std::string(201, 'a'), "east", "No Such", "-3", "tlh", "forever", "yes", "sideways", ""}, f);
    EXPECT_TRUE(has_error(e, "q", "search.query_too_long"));
    EXPECT_TRUE(has_error(e, "area", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "category", "service.unknown_category"));
    EXPECT_TRUE(has_error(e, "age", "search.age_range"));
    EXPECT_TRUE(has_error(e, "language", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "wait", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "fls", "field.choose_one"));
    EXPECT_TRUE(has_error(e, "sort", "field.choose_one"));
    EXPECT_TRUE(has_error(validate(SearchForm{.age = "121"}, f), "age", "search.age_range"));
}

TEST(Directory, WaitlistsGoStaleAfterTheConfiguredDays) {
    const auto updated = *parse_iso("2026-01-01T12:00:00Z");
    EXPECT_FALSE(waitlist_is_stale(updated, *parse_iso("2026-01-31T12:00:00Z"), 30));
    EXPECT_TRUE(waitlist_is_stale(updated, *parse_iso("2026-01-31T12:00:01Z"), 30));
    EXPECT_TRUE(waitlist_is_stale(updated, *parse_iso("2026-01-09T00:00:00Z"), 7));
}

// One row per role and relation to the organisation → may manage its directory entries.
TEST(Directory, WhoMayManageTheDirectory) {
    const std::int64_t org = 5, sda = 1, other_org = 6, other_sda = 2;
    struct Case {
        Role role;
        std::int64_t grant_org, grant_sda;
        bool manage, pathways, view_pathways;
    };
    const Case cases[] = {
        {Role::system_admin, other_org, other_sda, true, true, true},
        {Role::ca_admin, other_org, sda, true, true, true},
        {Role::ca_admin, other_org, other_sda, false, false, false},
        {Role::provider_manager, org, sda, true, false, true},
        {Role::provider_manager, other_org, sda, false, false, true},
        {Role::coordinator, org, sda, false, false, true},
        {Role::participant_staff, org, sda, false, false, true},
        {Role::privacy_officer, org, sda, false, false, true},
        {Role::ministry_analyst, other_org, other_sda, false, false, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(code(c.role)) + " of org " + std::to_string(c.grant_org));
        Principal p{1, {{c.grant_org, c.grant_sda, c.role}}};
        EXPECT_EQ(can_manage_directory(p, org, sda), c.manage);
        EXPECT_EQ(can_manage_pathways(p, sda), c.pathways);
        EXPECT_EQ(can_view_pathways(p, sda), c.view_pathways);
    }
    EXPECT_FALSE(can_manage_directory(Principal{}, org, sda));
    EXPECT_FALSE(can_manage_any_directory(Principal{}));
    EXPECT_TRUE(can_manage_any_directory(Principal{1, {{org, sda, Role::provider_manager}}}));
    EXPECT_FALSE(can_manage_any_directory(Principal{1, {{org, sda, Role::coordinator}}}));
}

// Keys completed at run time ("waitlist.status." + code) are invisible to the catalogue test.
TEST(Directory, MessagesBuiltAtRunTimeExistInBothLanguages) {
    const auto c = web::load_catalogue();
    std::vector<std::string> keys;
    for (auto s : all_waitlist_statuses()) keys.push_back("waitlist.status." + std::string(code(s)));
    for (auto m : all_access_mechanisms()) keys.push_back("pathway.mechanism." + std::string(code(m)));
    for (auto s : all_search_sorts()) keys.push_back("search.sort." + std::string(code(s)));
    for (auto l : service_languages()) keys.push_back("service.language." + std::string(l));
    for (const char* status : {"open", "waitlist", "closed"}) keys.push_back(std::string("waitlist.text.") + status);
    EXPECT_EQ(keys.size(), 3u + 3u + 4u + 16u + 3u);
    for (const auto& k : keys) {
        EXPECT_TRUE(c.has(Lang::en, k)) << k;
        EXPECT_TRUE(c.has(Lang::fr, k)) << k;
    }
}
