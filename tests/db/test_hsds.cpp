// HSDS 3.0 CSV import and export against the backend under test (SQLite: label db,
// PostgreSQL: label pg): the demo directory survives export → import into an empty database,
// and every kind of bad input is reported by file, line and field with nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "db/test_support.hpp"
#include "interop/hsds_tables.hpp"
#include "interop/uuid.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using namespace arrimage::interop;

namespace {

// The directory without database ids or timestamps, keyed by names, so two databases compare.
struct Canon {
    std::vector<std::string> organisations, locations, services;
    bool operator==(const Canon&) const = default;
};

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
    auto join = [](std::initializer_list<std::string> parts) {
        std::string out;
        for (const auto& p : parts) out += p + "|";
        return out;
    };
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
    for (const auto& o : d.organisations)
        c.organisations.push_back(join({o.name_fr, o.name_en, o.email, o.phone, o.website, o.fls_designated ? "fls" : ""}));
    for (const auto& l : d.locations)
        c.locations.push_back(join({org_name(l.organisation_id), l.name_fr, l.name_en, l.address, l.city, l.postal_code, l.phone,
                                    l.hours_fr, l.hours_en, l.accessibility_fr, l.accessibility_en, l.step_free_access ? "sf" : ""}));
    for (const auto& s : d.services) {
        std::string cats, langs, locs;
        for (const auto& x : s.categories) cats += x + ",";
        for (const auto& x : s.languages) langs += x + ",";
        std::vector<std::string> names;
        for (auto id : s.site_ids) names.push_back(loc_name(id));
        std::sort(names.begin(), names.end());
        for (const auto& x : names) locs += x + ",";
        c.services.push_back(join({org_name(s.organisation_id), s.name_fr, s.name_en, s.description_fr, s.description_en,
                                   s.eligibility_fr, s.eligibility_en, opt(s.age_min), opt(s.age_max), s.area_served_fr,
                                   s.area_served_en, s.access_fr, s.access_en, s.intake_fr, s.intake_en, s.fees_fr, s.fees_en,
                                   s.contact_name, s.email, s.phone, s.website, s.fls_designated ? "fls" : "",
                                   s.waitlist_status, opt(s.wait_weeks), cats, langs, locs}));
    }
    for (auto* v : {&c.organisations, &c.locations, &c.services}) std::sort(v->begin(), v->end());
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
        if (report.ok()) tx->commit();
        else tx->rollback();
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
            {"organizations.csv", "id,name,description,email,website\r\n" + org_ + ",Test Agency,Test Agency,info@example.org,https://example.org\r\n"},
            {"locations.csv", "id,location_type,organization_id,name\r\n" + loc_ + ",physical," + org_ + ",Main office\r\n"},
            {"addresses.csv", "id,location_id,address_1,city,state_province,postal_code,country,address_type\r\n" +
                                  hsds_id("address", 1) + "," + loc_ + ",1 Main St,Ottawa,ON,K1A 0B1,CA,physical\r\n"},
            {"phones.csv", "id,organization_id,service_id,location_id,number\r\n" + hsds_id("location-phone", 1) + ",,," + loc_ +
                               ",613-555-0100\r\n"},
            {"services.csv", "id,organization_id,name,description,status,wait_time\r\n" + svc_ + "," + org_ +
                                 ",Autism program,\"Support, with a comma\nand a newline\",active,12 weeks\r\n"},
            {"service_at_locations.csv", "id,service_id,location_id\r\n" + hsds_id("sal", 1) + "," + svc_ + "," + loc_ + "\r\n"},
            {"languages.csv", "id,service_id,code\r\n" + hsds_id("language", 1) + "," + svc_ + ",en\r\n"},
            {"taxonomy_terms.csv", "id,code,name,description\r\n" + autism + ",autism,Autism,Autism\r\n"},
            {"attributes.csv", "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n" + hsds_id("attribute", 1) + "," + svc_ +
                                   ",service,service," + autism + ",\r\n"},
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
    const auto before = snapshot(*t_->db);
    ASSERT_GT(before.services.size(), 10u);
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
    EXPECT_EQ(a.organisations, b.organisations);
    EXPECT_EQ(a.locations, b.locations);
    EXPECT_EQ(a.services, b.services);
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
    replace(s, "attributes.csv", "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n" + hsds_id("attribute", 1) + "," +
                                     svc_ + ",service,service," + bogus + ",\r\n");
    expect_refused(s, "attributes.csv", "taxonomy_term_id", "unknown_taxonomy_term");
}

TEST_F(Hsds, InvalidPhoneNumber) {
    auto s = small_set();
    replace(s, "phones.csv", "id,organization_id,service_id,location_id,number\r\n" + hsds_id("p", 1) + ",,," + loc_ + ",12\r\n");
    expect_refused(s, "locations.csv", "phone");
}

TEST_F(Hsds, InvalidPostalCode) {
    auto s = small_set();
    replace(s, "addresses.csv", "id,location_id,address_1,city,postal_code\r\n" + hsds_id("a", 1) + "," + loc_ + ",1 Main,Ottawa,99999\r\n");
    expect_refused(s, "locations.csv", "postal_code");
}

TEST_F(Hsds, NegativeAndAbsurdWaitTimes) {
    for (const std::string wait : {"-3 weeks", "9999 weeks", "soon"}) {
        auto s = small_set();
        replace(s, "services.csv", "id,organization_id,name,description,status,wait_time\r\n" + svc_ + "," + org_ +
                                       ",Program,Desc,active," + wait + "\r\n");
        expect_refused(s, "services.csv", "wait_time");
    }
}

TEST_F(Hsds, InvalidUtf8AndBrokenCsv) {
    auto s = small_set();
    replace(s, "organizations.csv", "id,name,description\r\n" + org_ + ",Bad \xC3\x28 name,x\r\n");
    expect_refused(s, "organizations.csv", "", "csv.invalid_utf8");
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
    replace(s, "services.csv", "id,organization_id,name,description,status\r\n" + svc_ + "," + hsds_id("organization", 99) +
                                   ",Program,Desc,active\r\n");
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
