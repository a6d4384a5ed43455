// HSDS 3.0 CSV import and export against the backend under test (SQLite: label db,
// PostgreSQL: label pg): the demo directory survives export → import into an empty database,
// and every kind of bad input is reported by file, line and field with nothing written.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "db/test_support.hpp"
#include "interop/hsds_tables.hpp"
#include "interop/uuid.hpp"
#include "store/directory_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using namespace arrimage::interop;

namespace {

// The directory without database ids, keyed by names, so two databases compare: each record
// as (field, value) pairs, so the test can also check that the directory it round-trips sets
// every field somewhere (a field that is never set could be lost without the test noticing).
using Record = std::vector<std::pair<std::string, std::string>>;
struct Canon {
    std::vector<Record> organisations, locations, services;
};

std::vector<std::string> flat(const std::vector<Record>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        std::string line;
        for (const auto& [field, value] : r) line += field + "=" + value + "|";
        out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Fields empty in every record.
std::vector<std::string> never_set(const std::vector<Record>& records) {
    std::vector<std::string> out;
    if (records.empty()) return {"(no records)"};
    for (std::size_t f = 0; f < records.front().size(); ++f)
        if (std::all_of(records.begin(), records.end(), [&](const Record& r) { return r[f].second.empty(); }))
            out.push_back(records.front()[f].first);
    return out;
}

Canon canon(const DirectorySnapshot& d) {
    Canon c;
    auto org_name = [&](std::int64_t id) {
        for (const auto& o : d.organisations)
            if (o.id == id) return o.name_en;
        return std::string("?");
    };
    auto loc_name = [&](std::int64_t id) {
        for (const auto& l : d.locations)
            if (l.id == id) return l.name_en;
        return std::string("?");
    };
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
    auto flag = [](bool b) { return b ? std::string("yes") : std::string(); };
    auto list = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& x : v) out += x + ",";
        return out;
    };
    for (const auto& o : d.organisations)
        c.organisations.push_back({{"name_fr", o.name_fr},
                                   {"name_en", o.name_en},
                                   {"email", o.email},
                                   {"phone", o.phone},
                                   {"website", o.website},
                                   {"fls_designated", flag(o.fls_designated)}});
    for (const auto& l : d.locations)
        c.locations.push_back({{"organisation", org_name(l.organisation_id)},
                               {"name_fr", l.name_fr},
                               {"name_en", l.name_en},
                               {"address", l.address},
                               {"city", l.city},
                               {"postal_code", l.postal_code},
                               {"phone", l.phone},
                               {"hours_fr", l.hours_fr},
                               {"hours_en", l.hours_en},
                               {"accessibility_fr", l.accessibility_fr},
                               {"accessibility_en", l.accessibility_en},
                               {"step_free_access", flag(l.step_free_access)}});
    for (const auto& s : d.services) {
        std::vector<std::string> names;
        for (auto id : s.site_ids) names.push_back(loc_name(id));
        std::sort(names.begin(), names.end());
        c.services.push_back({{"organisation", org_name(s.organisation_id)},
                              {"name_fr", s.name_fr},
                              {"name_en", s.name_en},
                              {"description_fr", s.description_fr},
                              {"description_en", s.description_en},
                              {"eligibility_fr", s.eligibility_fr},
                              {"eligibility_en", s.eligibility_en},
                              {"age_min", opt(s.age_min)},
                              {"age_max", opt(s.age_max)},
                              {"area_served_fr", s.area_served_fr},
                              {"area_served_en", s.area_served_en},
                              {"access_fr", s.access_fr},
                              {"access_en", s.access_en},
                              {"intake_fr", s.intake_fr},
                              {"intake_en", s.intake_en},
                              {"fees_fr", s.fees_fr},
                              {"fees_en", s.fees_en},
                              {"contact_name", s.contact_name},
                              {"email", s.email},
                              {"phone", s.phone},
                              {"website", s.website},
                              {"fls_designated", flag(s.fls_designated)},
                              {"waitlist_status", s.waitlist_status},
                              {"wait_weeks", opt(s.wait_weeks)},
                              // HSDS carries the day the waitlist was last confirmed (assured_date).
                              {"waitlist_confirmed_on", s.waitlist_updated_at.substr(0, 10)},
                              {"categories", list(s.categories)},
                              {"languages", list(s.languages)},
                              {"locations", list(names)}});
    }
    return c;
}

void replace(CsvSet& set, const std::string& name, std::string text) {
    for (auto& [n, t] : set.files)
        if (n == name) {
            t = std::move(text);
            return;
        }
    set.files.emplace_back(name, std::move(text));
}

}  // namespace

class Hsds : public ::testing::Test {
  protected:
    void SetUp() override {
        t_ = open();
        if (!t_) GTEST_SKIP() << why_;
    }
    std::unique_ptr<testsupport::TestDb> open() { return testsupport::open_test_db(why_); }

    std::int64_t make_sda(store::Database& db) {
        auto tx = db.begin(store::TxMode::write);
        if (auto row = tx->query_one("SELECT id FROM service_delivery_areas WHERE code = 'import'")) return row->i64(0);
        auto id = *store::IdentityRepo(*tx, clock_).create_sda({"import", "Importation", "Import"}, 0);
        tx->commit();
        return id;
    }
    DirectorySnapshot snapshot(store::Database& db) {
        auto tx = db.begin(store::TxMode::read);
        return load_directory(*tx);
    }
    // Imports in one transaction committed only when the report is clean (as the CLI does).
    ImportReport import(store::Database& db, const CsvSet& en, const CsvSet& fr, std::int64_t sda) {
        auto tx = db.begin(store::TxMode::write);
        ImportOptions o;
        o.sda_id = sda;
        auto report = hsds_import(*tx, clock_, en, fr, o);
        if (report.ok())
            tx->commit();
        else
            tx->rollback();
        return report;
    }
    std::int64_t count(store::Database& db, const std::string& table) {
        auto tx = db.begin(store::TxMode::read);
        return tx->query_one("SELECT COUNT(*) FROM " + table)->i64(0);
    }

    // A small valid set: one organisation, one location, one service on a waitlist.
    CsvSet small_set() {
        org_ = hsds_id("organization", 1);
        loc_ = hsds_id("location", 1);
        svc_ = hsds_id("service", 1);
        const auto autism = hsds_id("taxonomy_term", std::string("autism"));
        CsvSet s;
        s.files = {
            {"organizations.csv", "id,name,description,email,website\r\n" + org_ +
                                      ",Test Agency,Test Agency,info@example.org,https://example.org\r\n"},
            {"locations.csv", "id,location_type,organization_id,name\r\n" + loc_ + ",physical," + org_ + ",Main office\r\n"},
            {"addresses.csv", "id,location_id,address_1,city,state_province,postal_code,country,address_type\r\n" +
                                  hsds_id("address", 1) + "," + loc_ + ",1 Main St,Ottawa,ON,K1A 0B1,CA,physical\r\n"},
            {"phones.csv", "id,organization_id,service_id,location_id,number\r\n" + hsds_id("location-phone", 1) + ",,," + loc_ +
                               ",613-555-0100\r\n"},
            {"services.csv", "id,organization_id,name,description,status,wait_time\r\n" + svc_ + "," + org_ +
                                 ",Autism program,\"Support, with a comma\nand a newline\",active,12 weeks\r\n"},
            {"service_at_location.csv", "id,service_id,location_id\r\n" + hsds_id("sal", 1) + "," + svc_ + "," + loc_ + "\r\n"},
            {"languages.csv", "id,service_id,code\r\n" + hsds_id("language", 1) + "," + svc_ + ",en\r\n"},
            {"taxonomy_terms.csv", "id,code,name,description\r\n" + autism + ",autism,Autism,Autism\r\n"},
            {"attributes.csv", "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n" + hsds_id("attribute", 1) + "," +
                                   svc_ + ",service,service," + autism + ",\r\n"},
        };
        return s;
    }
    // Imports `set` and expects it refused with an issue on `file` [`field`], and nothing written.
    void expect_refused(const CsvSet& set, const std::string& file, const std::string& field, const std::string& problem = "") {
        const auto sda = make_sda(*t_->db);
        auto r = import(*t_->db, set, {}, sda);
        ASSERT_FALSE(r.ok());
        const bool found = std::any_of(r.issues.begin(), r.issues.end(), [&](const ImportIssue& i) {
            return i.file == file && i.field == field && (problem.empty() || i.problem == problem);
        });
        EXPECT_TRUE(found) << "expected " << file << " [" << field << "] " << problem << ", got:\n" << r.text();
        EXPECT_EQ(count(*t_->db, "services"), 0);
        EXPECT_EQ(count(*t_->db, "organisations"), 0);
        EXPECT_EQ(count(*t_->db, "sites"), 0);
    }

    std::string why_;
    std::unique_ptr<testsupport::TestDb> t_;
    ManualClock clock_{std::chrono::system_clock::now()};
    std::string org_, loc_, svc_;
};

TEST_F(Hsds, DemoDirectoryRoundTripsThroughCsv) {
    ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
    {
        // Waitlists confirmed on different days, some of them long ago (stale).
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec("UPDATE services SET waitlist_updated_at = '2026-01-15T10:20:30Z' WHERE id % 3 = 0");
        tx->exec("UPDATE services SET waitlist_updated_at = '2025-06-01T23:59:59Z' WHERE id % 3 = 1");
        // Fields the demo directory leaves empty.
        tx->exec("UPDATE organisations SET website = 'https://org' || id || '.example.org' WHERE id % 2 = 0");
        tx->exec(
            "UPDATE services SET website = 'https://service' || id || '.example.org', "
            "eligibility_fr = 'Enfants de 0 à 6 ans', eligibility_en = 'Children aged 0 to 6' WHERE id % 2 = 0");
        tx->commit();
    }
    const auto before = snapshot(*t_->db);
    ASSERT_GT(before.services.size(), 10u);
    // Every compared field is set somewhere in the directory, so losing one fails the test.
    const auto c = canon(before);
    EXPECT_EQ(never_set(c.organisations), std::vector<std::string>{});
    EXPECT_EQ(never_set(c.locations), std::vector<std::string>{});
    EXPECT_EQ(never_set(c.services), std::vector<std::string>{});
    const auto en = hsds_csv_export(before, Lang::en);
    const auto fr = hsds_csv_export(before, Lang::fr);
    // Stable ids: exporting twice gives the same files.
    EXPECT_EQ(hsds_csv_export(before, Lang::en).files, en.files);

    t_.reset();  // on PostgreSQL the next database is the same server, emptied
    t_ = open();
    ASSERT_TRUE(t_) << why_;
    const auto sda = make_sda(*t_->db);
    auto r = import(*t_->db, en, fr, sda);
    ASSERT_TRUE(r.ok()) << r.text();
    EXPECT_EQ(r.services, before.services.size());
    const auto after = snapshot(*t_->db);
    const auto a = canon(before), b = canon(after);
    EXPECT_EQ(flat(a.organisations), flat(b.organisations));
    EXPECT_EQ(flat(a.locations), flat(b.locations));
    EXPECT_EQ(flat(a.services), flat(b.services));
}

TEST_F(Hsds, SmallSetImportsWithoutFrenchFiles) {
    const auto sda = make_sda(*t_->db);
    auto r = import(*t_->db, small_set(), {}, sda);
    ASSERT_TRUE(r.ok()) << r.text();
    auto d = snapshot(*t_->db);
    ASSERT_EQ(d.services.size(), 1u);
    EXPECT_EQ(d.services[0].description_en, "Support, with a comma\nand a newline");
    EXPECT_EQ(d.services[0].name_fr, "Autism program");  // no French set: English in both
    EXPECT_EQ(d.services[0].waitlist_status, "waitlist");
    EXPECT_EQ(d.services[0].wait_weeks, 12);
    EXPECT_EQ(d.services[0].categories, std::vector<std::string>{"autism"});
    ASSERT_EQ(d.locations.size(), 1u);
    EXPECT_EQ(d.locations[0].postal_code, "K1A 0B1");
}

TEST_F(Hsds, MissingRequiredName) {
    auto s = small_set();
    replace(s, "services.csv", "id,organization_id,name,description,status\r\n" + svc_ + "," + org_ + ",,Desc,active\r\n");
    expect_refused(s, "services.csv", "name");
}

TEST_F(Hsds, UnknownTaxonomyTerm) {
    auto s = small_set();
    const auto bogus = hsds_id("taxonomy_term", std::string("bogus"));
    replace(s, "taxonomy_terms.csv", "id,code,name,description\r\n" + bogus + ",bogus,Bogus,Bogus\r\n");
    replace(s, "attributes.csv",
            "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n" + hsds_id("attribute", 1) + "," + svc_ +
                ",service,service," + bogus + ",\r\n");
    expect_refused(s, "attributes.csv", "taxonomy_term_id", "unknown_taxonomy_term");
}

TEST_F(Hsds, InvalidPhoneNumberIsReportedOnItsPhonesRow) {
    auto s = small_set();
    // The bad number is on the second row, for the service.
    replace(s, "phones.csv",
            "id,organization_id,service_id,location_id,number\r\n" + hsds_id("p", 1) + ",,," + loc_ + ",613-555-0100\r\n" +
                hsds_id("p", 2) + ",," + svc_ + ",,12\r\n");
    expect_refused(s, "phones.csv", "number", "field.phone");
    const auto sda = make_sda(*t_->db);
    auto r = import(*t_->db, s, {}, sda);
    ASSERT_EQ(r.issues.size(), 1u) << r.text();
    EXPECT_EQ(r.issues[0].line, 3u);
}

TEST_F(Hsds, InvalidPostalCodeIsReportedOnItsAddressRow) {
    auto s = small_set();
    replace(s, "addresses.csv",
            "id,location_id,address_1,city,postal_code\r\n" + hsds_id("a", 1) + "," + loc_ + ",1 Main,Ottawa,99999\r\n");
    expect_refused(s, "addresses.csv", "postal_code");
}

TEST_F(Hsds, NegativeAndAbsurdWaitTimes) {
    for (const std::string wait : {"-3 weeks", "9999 weeks", "soon"}) {
        auto s = small_set();
        replace(s, "services.csv",
                "id,organization_id,name,description,status,wait_time\r\n" + svc_ + "," + org_ + ",Program,Desc,active," + wait +
                    "\r\n");
        expect_refused(s, "services.csv", "wait_time");
    }
}

TEST_F(Hsds, InvalidUtf8AndBrokenCsv) {
    auto s = small_set();
    replace(s, "organizations.csv", "id,name,description\r\n" + org_ + ",Bad \xC3\x28 name,x\r\n");
    expect_refused(s, "organizations.csv", "", "csv.invalid_utf8");
    auto r = import(*t_->db, s, {}, make_sda(*t_->db));
    ASSERT_EQ(r.issues.size(), 1u) << r.text();
    EXPECT_EQ(r.issues[0].line, 2u);  // the line of the first invalid byte
    s = small_set();
    replace(s, "services.csv", "id,organization_id,name,status\r\n\"" + svc_ + ",x\r\n");
    expect_refused(s, "services.csv", "", "csv.unterminated_quote");
}

TEST_F(Hsds, TooManyRowsAndUnknownReferences) {
    auto s = small_set();
    const auto sda = make_sda(*t_->db);
    auto tx = t_->db->begin(store::TxMode::write);
    ImportOptions o;
    o.sda_id = sda;
    o.limits.max_rows = 0;
    auto r = hsds_import(*tx, clock_, s, {}, o);
    tx->rollback();
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.text().find("csv.too_many_rows"), std::string::npos) << r.text();

    s = small_set();
    replace(
        s, "services.csv",
        "id,organization_id,name,description,status\r\n" + svc_ + "," + hsds_id("organization", 99) + ",Program,Desc,active\r\n");
    expect_refused(s, "services.csv", "organization_id", "unknown_organization");
}

TEST_F(Hsds, MalformedPostalCodesInAnExportAreReported) {
    ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
    {
        // A code with letters Canada Post never uses (D, F, I, O, Q, U), as an older system
        // might have stored it.
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec("UPDATE sites SET postal_code = 'K0D 1D0' WHERE id = (SELECT MIN(id) FROM sites)");
        tx->commit();
    }
    const auto before = snapshot(*t_->db);
    const auto en = hsds_csv_export(before, Lang::en);
    t_.reset();
    t_ = open();
    ASSERT_TRUE(t_) << why_;
    auto r = import(*t_->db, en, {}, make_sda(*t_->db));
    ASSERT_FALSE(r.ok());
    for (const auto& i : r.issues) EXPECT_EQ(i.field, "postal_code") << r.text();
    EXPECT_EQ(count(*t_->db, "services"), 0);
}

TEST_F(Hsds, ServiceLocationLinksImportUnderTheHsdsNameAndTheOlderOne) {
    for (const std::string name : {"service_at_location.csv", "service_at_locations.csv"}) {
        auto s = small_set();
        for (auto& [n, text] : s.files)
            if (n == "service_at_location.csv") n = name;
        const auto sda = make_sda(*t_->db);
        auto tx = t_->db->begin(store::TxMode::write);
        ImportOptions o;
        o.sda_id = sda;
        auto r = hsds_import(*tx, clock_, s, {}, o);
        ASSERT_TRUE(r.ok()) << name << "\n" << r.text();
        const auto d = load_directory(*tx);
        tx->rollback();
        ASSERT_EQ(d.services.size(), 1u) << name;
        ASSERT_EQ(d.locations.size(), 1u) << name;
        EXPECT_EQ(d.services[0].site_ids, std::vector<std::int64_t>{d.locations[0].id}) << name;
    }
    // Both names in one set: which to read is unclear, so the set is refused.
    auto s = small_set();
    s.files.emplace_back("service_at_locations.csv", "id,service_id,location_id\r\n");
    expect_refused(s, "service_at_locations.csv", "", "duplicate_file");
}

TEST_F(Hsds, TheExportUsesTheOfficialTableNames) {
    const auto en = hsds_csv_export({}, Lang::en);
    EXPECT_TRUE(en.find("service_at_location.csv"));
    for (const auto& [name, text] : en.files) EXPECT_NE(name, "service_at_locations.csv");
}

// Rows of the secondary files that point nowhere, or repeat a link, are each reported on their
// own row; nothing is written.
TEST_F(Hsds, OrphanAndDuplicateRowsAreReported) {
    struct Case {
        std::string file, text, field, problem;
        std::size_t line;
    };
    const auto nowhere = hsds_id("service", 777), noloc = hsds_id("location", 777);
    small_set();  // sets org_, loc_, svc_
    const auto autism = hsds_id("taxonomy_term", std::string("autism"));
    const std::string phones_h = "id,organization_id,service_id,location_id,number\r\n";
    const std::vector<Case> cases = {
        {"phones.csv", phones_h + "p1,,," + loc_ + ",613-555-0100\r\np2,," + nowhere + ",,613-555-0101\r\n", "service_id",
         "unknown_service", 3},
        {"phones.csv", phones_h + "p1,,," + noloc + ",613-555-0100\r\n", "location_id", "unknown_location", 2},
        {"phones.csv", phones_h + "p1,,,,613-555-0100\r\n", "", "no_owner", 2},
        {"phones.csv", phones_h + "p1,,," + loc_ + ",613-555-0100\r\np1,," + svc_ + ",,613-555-0199\r\n", "id", "duplicate_id",
         3},
        {"languages.csv", "id,service_id,code\r\nl1," + nowhere + ",en\r\n", "service_id", "unknown_service", 2},
        {"languages.csv", "id,service_id,code\r\nl1," + svc_ + ",en\r\nl2," + svc_ + ",en\r\n", "code", "duplicate_row", 3},
        {"contacts.csv", "id,service_id,name\r\nc1," + nowhere + ",Jane Roe\r\n", "service_id", "unknown_service", 2},
        {"service_areas.csv", "id,service_id,name,description\r\na1," + nowhere + ",East,East\r\n", "service_id",
         "unknown_service", 2},
        {"schedules.csv", "id,location_id,description\r\ns1," + noloc + ",Mon-Fri\r\n", "location_id", "unknown_location", 2},
        {"accessibility.csv", "id,location_id,description,details\r\nx1," + noloc + ",Ramp,\r\n", "location_id",
         "unknown_location", 2},
        {"addresses.csv", "id,location_id,address_1,city,postal_code\r\na1," + noloc + ",1 Main,Ottawa,K1A 0B1\r\n",
         "location_id", "unknown_location", 2},
        {"attributes.csv",
         "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\nt1," + nowhere + ",service,service," + autism + ",\r\n",
         "link_id", "unknown_service", 2},
        {"attributes.csv",
         "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\nt1," + svc_ + ",service,service," + autism + ",\r\nt2," +
             svc_ + ",service,service," + autism + ",\r\n",
         "taxonomy_term_id", "duplicate_row", 3},
        {"service_at_location.csv", "id,service_id,location_id\r\nl1," + svc_ + "," + noloc + "\r\n", "location_id",
         "unknown_location", 2},
        {"service_at_location.csv", "id,service_id,location_id\r\nl1," + nowhere + "," + loc_ + "\r\n", "service_id",
         "unknown_service", 2},
        {"service_at_location.csv",
         "id,service_id,location_id\r\nl1," + svc_ + "," + loc_ + "\r\nl2," + svc_ + "," + loc_ + "\r\n", "location_id",
         "duplicate_row", 3},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file + " " + c.problem);
        auto s = small_set();
        replace(s, c.file, c.text);
        expect_refused(s, c.file, c.field, c.problem);
        auto r = import(*t_->db, s, {}, make_sda(*t_->db));
        const auto it =
            std::find_if(r.issues.begin(), r.issues.end(), [&](const ImportIssue& i) { return i.problem == c.problem; });
        ASSERT_NE(it, r.issues.end()) << r.text();
        EXPECT_EQ(it->line, c.line) << r.text();
    }
}

// HSDS allows several phones, contacts, schedules, addresses... per record; Arrimage keeps one.
// The set is still imported: the first row is kept (the physical address, when the type says
// so) and each row left out is noted on its own line.
TEST_F(Hsds, RowsBeyondOneValuePerRecordAreLeftOutAndNoted) {
    struct Case {
        std::string file, text, field;
        std::size_t noted_line;
    };
    small_set();  // sets org_, loc_, svc_
    const std::string phones_h = "id,organization_id,service_id,location_id,number\r\n";
    const std::vector<Case> cases = {
        {"phones.csv", phones_h + "p1,,," + loc_ + ",613-555-0100\r\np2,,," + loc_ + ",613-555-0199\r\n", "location_id", 3},
        {"contacts.csv", "id,service_id,name\r\nc1," + svc_ + ",Jane Roe\r\nc2," + svc_ + ",John Doe\r\n", "service_id", 3},
        {"service_areas.csv", "id,service_id,name,description\r\na1," + svc_ + ",East,East\r\na2," + svc_ + ",West,West\r\n",
         "service_id", 3},
        {"schedules.csv", "id,location_id,description\r\ns1," + loc_ + ",Mon-Fri\r\ns2," + loc_ + ",Sat\r\n", "location_id", 3},
        {"accessibility.csv", "id,location_id,description,details\r\nx1," + loc_ + ",Ramp,\r\nx2," + loc_ + ",Lift,\r\n",
         "location_id", 3},
        // The postal address comes first; the physical one is kept.
        {"addresses.csv",
         "id,location_id,address_1,city,postal_code,address_type\r\na1," + loc_ + ",PO Box 12,Ottawa,K1A 0B1,postal\r\na2," +
             loc_ + ",2 Main,Ottawa,K1A 0B1,physical\r\n",
         "location_id", 2},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        auto db = open();
        ASSERT_TRUE(db);
        auto s = small_set();
        replace(s, c.file, c.text);
        auto r = import(*db->db, s, {}, make_sda(*db->db));
        ASSERT_TRUE(r.ok()) << r.text();
        ASSERT_EQ(r.notes.size(), 1u) << r.notes_text();
        EXPECT_EQ(r.notes[0].file, c.file);
        EXPECT_EQ(r.notes[0].line, c.noted_line);
        EXPECT_EQ(r.notes[0].field, c.field);
        EXPECT_EQ(r.notes[0].problem, "kept_first");
        const auto d = snapshot(*db->db);
        ASSERT_EQ(d.services.size(), 1u);
        ASSERT_EQ(d.locations.size(), 1u);
        const auto& svc = d.services[0];
        const auto& loc = d.locations[0];
        const std::map<std::string, std::pair<std::string, std::string>> kept = {
            {"phones.csv", {loc.phone, "+1 613-555-0100"}},        {"contacts.csv", {svc.contact_name, "Jane Roe"}},
            {"service_areas.csv", {svc.area_served_en, "East"}},   {"schedules.csv", {loc.hours_en, "Mon-Fri"}},
            {"accessibility.csv", {loc.accessibility_en, "Ramp"}}, {"addresses.csv", {loc.address, "2 Main"}}};
        EXPECT_EQ(kept.at(c.file).first, kept.at(c.file).second);
    }
    // A French set may repeat them too: its first row of each record is used.
    auto s = small_set();
    replace(s, "schedules.csv", "id,location_id,description\r\ns1," + loc_ + ",Mon-Fri\r\n");
    CsvSet fr;
    fr.files = {{"organizations.csv", "id,name\r\n" + org_ + ",Agence\r\n"},
                {"services.csv", "id,name\r\n" + svc_ + ",Programme\r\n"},
                {"schedules.csv", "id,location_id,description\r\ns1," + loc_ + ",lun-ven\r\ns2," + loc_ + ",sam\r\n"}};
    auto db = open();
    ASSERT_TRUE(db);
    auto r = import(*db->db, s, fr, make_sda(*db->db));
    ASSERT_TRUE(r.ok()) << r.text();
    ASSERT_EQ(r.notes.size(), 1u) << r.notes_text();
    EXPECT_EQ(r.notes[0].file, "fr/schedules.csv");
    EXPECT_EQ(snapshot(*db->db).locations.at(0).hours_fr, "lun-ven");
}

TEST_F(Hsds, FrenchRowsMustTranslateARowOfTheMainSet) {
    auto en = small_set();
    CsvSet fr;
    fr.files = {{"organizations.csv", "id,name\r\n" + org_ + ",Agence\r\n"},
                {"services.csv", "id,name\r\n" + svc_ + ",Programme\r\n" + hsds_id("service", 555) + ",Orphelin\r\n"}};
    const auto sda = make_sda(*t_->db);
    auto r = import(*t_->db, en, fr, sda);
    ASSERT_EQ(r.issues.size(), 1u) << r.text();
    EXPECT_EQ(r.issues[0].file, "fr/services.csv");
    EXPECT_EQ(r.issues[0].line, 3u);
    EXPECT_EQ(r.issues[0].problem, "not_in_main_set");
    EXPECT_EQ(count(*t_->db, "services"), 0);
}

TEST_F(Hsds, AssuredDateKeepsTheWaitlistsLastConfirmation) {
    auto s = small_set();
    replace(s, "services.csv",
            "id,organization_id,name,description,status,wait_time,assured_date\r\n" + svc_ + "," + org_ +
                ",Program,Desc,active,12 weeks,2026-01-15\r\n");
    const auto sda = make_sda(*t_->db);
    auto r = import(*t_->db, s, {}, sda);
    ASSERT_TRUE(r.ok()) << r.text();
    const auto d = snapshot(*t_->db);
    ASSERT_EQ(d.services.size(), 1u);
    EXPECT_EQ(d.services[0].waitlist_updated_at, "2026-01-15T00:00:00Z");
    // Still stale after the import: the reminder job sees it.
    auto tx = t_->db->begin(store::TxMode::read);
    const auto stale = store::DirectoryRepo(*tx, clock_).stale_services(std::nullopt, clock_.now(), 30);
    ASSERT_EQ(stale.size(), 1u);
    // Sorting by last update reads the same date.
    EXPECT_EQ(tx->query_one("SELECT updated_at FROM service_search")->str(0), "2026-01-15T00:00:00Z");
    // The export gives the same date back.
    const auto en = hsds_csv_export(d, Lang::en);
    EXPECT_NE(en.find("services.csv")->find(",2026-01-15,"), std::string::npos) << *en.find("services.csv");
}

TEST_F(Hsds, AssuredDateMustBeARealDateNotInTheFuture) {
    for (const std::string date : {"2026-02-30", "15/01/2026", "2026-1-5", "2999-01-01"}) {
        SCOPED_TRACE(date);
        auto s = small_set();
        replace(s, "services.csv",
                "id,organization_id,name,description,status,assured_date\r\n" + svc_ + "," + org_ + ",Program,Desc,active," +
                    date + "\r\n");
        expect_refused(s, "services.csv", "assured_date", date == "2999-01-01" ? "date_in_future" : "invalid_date");
    }
}

// The command line reads a directory: the links are read under either name, never dropped.
TEST_F(Hsds, ADirectoryIsReadWithTheOfficialOrTheOlderLinkFileName) {
    namespace fs = std::filesystem;
    for (const std::string name : {"service_at_location.csv", "service_at_locations.csv", "both"}) {
        SCOPED_TRACE(name);
        const auto dir = fs::temp_directory_path() / ("arrimage-hsds-dir-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        for (const auto& [n, text] : small_set().files) {
            const bool links = n == "service_at_location.csv";
            if (links && name == "both") {
                std::ofstream(dir / "service_at_location.csv", std::ios::binary) << text;
                std::ofstream(dir / "service_at_locations.csv", std::ios::binary) << text;
            } else {
                std::ofstream(dir / (links ? name : n), std::ios::binary) << text;
            }
        }
        CsvSet en, fr;
        ImportReport read;
        ASSERT_TRUE(read_hsds_dir(dir.string(), en, fr, read, 1u << 20)) << read.text();
        fs::remove_all(dir);
        const auto sda = make_sda(*t_->db);
        auto tx = t_->db->begin(store::TxMode::write);
        ImportOptions o;
        o.sda_id = sda;
        auto r = hsds_import(*tx, clock_, en, fr, o);
        const auto d = load_directory(*tx);
        tx->rollback();
        if (name == "both") {
            ASSERT_EQ(r.issues.size(), 1u) << r.text();
            EXPECT_EQ(r.issues[0].problem, "duplicate_file");
            continue;
        }
        ASSERT_TRUE(r.ok()) << r.text();
        ASSERT_EQ(d.services.size(), 1u);
        EXPECT_EQ(d.services[0].site_ids.size(), 1u);
    }
}
