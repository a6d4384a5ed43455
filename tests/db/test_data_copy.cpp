// Moving an SQLite deployment to PostgreSQL (store/data_copy.hpp): the demo data copied into a
// database of its own on the test server, every table's rows the same on both sides, the audit
// chain verified there, searches answered there; all or nothing, and never into a database that
// holds data. Runs once, in the PostgreSQL pass.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "app/data_commands.hpp"
#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "domain/directory.hpp"
#include "store/audit_repo.hpp"
#include "store/data_copy.hpp"
#include "store/directory_repo.hpp"
#include "store/migrate.hpp"
#include "store/search_index.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace fs = std::filesystem;

namespace {

const TimePoint demo_time = *parse_iso("2026-11-23T09:00:00Z");

// The demo data in an SQLite file of a temporary directory, loaded once per test binary.
struct DemoSource {
    std::string dir, file;
    DemoSource() {
        SodiumRandom r;
        dir = (fs::temp_directory_path() / ("arrimage-copy-" + r.token(9))).string();
        fs::create_directories(dir);
        file = dir + "/demo.db";
        auto db = open_database("sqlite:" + file, 2);
        migrate(*db);
        ManualClock clock(demo_time);
        EXPECT_TRUE(app::load_demo_data(*db, clock, PasswordHashCost::minimum()));
        db->close();
    }
    ~DemoSource() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};
const DemoSource& demo_source() {
    static const DemoSource source;
    return source;
}

// Runs one statement outside a transaction (CREATE and DROP DATABASE refuse to run in one);
// returns libpq's error, empty when it ran.
std::string run_outside_transaction(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
        error = PQerrorMessage(conn);
    } else {
        PGresult* res = PQexec(conn, sql.c_str());
        if (PQresultStatus(res) != PGRES_COMMAND_OK) error = PQerrorMessage(conn);
        PQclear(res);
    }
    PQfinish(conn);
    return error;
}

// The test server's URL naming another database on it.
std::string with_database(const std::string& url, const std::string& name) {
    if (url.rfind("pg:", 0) == 0) return url + " dbname=" + name;
    const auto authority = url.find("://") + 3;
    const auto path = url.find('/', authority);
    const auto query = url.find('?', authority);
    const std::string base = url.substr(0, std::min(path, query));
    return base + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// A table's rows, the given columns as text, sorted: the same on both databases when the
// content is.
Rows table_rows(Database& db, const std::string& table, const std::vector<std::string>& columns) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", \"" : "\"") + columns[i] + "\"";
    sql += " FROM \"" + table + "\"";
    auto tx = db.begin(TxMode::read);
    Rows rows;
    for (const auto& r : tx->query(sql)) {
        std::vector<std::optional<std::string>> row;
        for (std::size_t i = 0; i < r.size(); ++i) row.push_back(r.opt_str(i));
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::vector<std::string> sqlite_columns(Database& db, const std::string& table) {
    auto tx = db.begin(TxMode::read);
    std::vector<std::string> out;
    for (const auto& c : tx->query("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", {table}))
        out.push_back(c.str(0));
    return out;
}

// The names of the services a search finds, sorted (relevance ranks differently on the two
// databases; what is found must not).
std::vector<std::string> found(Database& db, const std::string& q, bool through_index) {
    domain::SearchForm form;
    form.q = q;
    domain::SearchFilters f;
    EXPECT_TRUE(domain::validate(form, f).empty());
    ManualClock clock(demo_time);
    auto tx = db.begin(TxMode::read);
    SearchResults results;
    if (through_index) {
        SearchIndex index(db);
        index.rebuild(*tx);
        results = index.search(*tx, clock, f, Lang::en, 100);
        index.stop();
    } else {
        results = DirectoryRepo(*tx, clock).search(f, Lang::en, 100);
    }
    std::vector<std::string> names;
    for (const auto& s : results.services) names.push_back(s.name_en);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

class DataCopy : public ::testing::Test {
  protected:
    void SetUp() override {
        if (testsupport::backend_name() != "pg") GTEST_SKIP() << "runs once, in the PostgreSQL pass (ARRIMAGE_TEST_BACKEND=pg)";
        const char* url = std::getenv("ARRIMAGE_TEST_PG_URL");
        if (!url || !*url) GTEST_SKIP() << "ARRIMAGE_TEST_PG_URL is not set: run through scripts/with-postgres (make test does)";
        server_url_ = url;
        name_ = "arrimage_copy_" + std::to_string(::getpid());
        (void)run_outside_transaction(server_url_, "DROP DATABASE IF EXISTS " + name_);
        ASSERT_EQ(run_outside_transaction(server_url_, "CREATE DATABASE " + name_), "");
        created_ = true;
        target_ = open_database(with_database(server_url_, name_), 2);
        source_ = open_database("sqlite:" + demo_source().file, 2);
    }
    void TearDown() override {
        if (target_) target_->close();
        if (source_) source_->close();
        if (created_) {
            EXPECT_EQ(run_outside_transaction(server_url_, "DROP DATABASE " + name_ + " WITH (FORCE)"), "");
        }
    }

    std::string server_url_, name_;
    bool created_ = false;
    std::unique_ptr<Database> target_, source_;
};

TEST_F(DataCopy, MovesEveryRowAllOrNothingAndOnlyIntoAnEmptyDatabase) {
    // Not migrated yet: refused, and nothing created there.
    auto unmigrated = copy_database(*source_, *target_);
    EXPECT_FALSE(unmigrated.ok());
    EXPECT_NE(unmigrated.refused.find("arrimage migrate"), std::string::npos) << unmigrated.refused;
    EXPECT_EQ(testsupport::snapshot_tables(*target_), "");

    migrate(*target_);
    const std::string fresh = testsupport::snapshot_tables(*target_);

    // A failure anywhere leaves the target as it was: at the commit, with every row written in
    // the one transaction, then at the last statement and half-way.
    {
        testsupport::FaultyDatabase faulty(*target_);
        faulty.fail_commits(true);
        EXPECT_THROW((void)copy_database(*source_, faulty), DbError);
        EXPECT_TRUE(faulty.fired());
        EXPECT_EQ(testsupport::snapshot_tables(*target_), fresh);
        const int statements = faulty.statements();
        faulty.fail_commits(false);
        for (const int n : {statements, statements / 2}) {
            faulty.reset_fired();
            faulty.fail_statement(n);
            EXPECT_THROW((void)copy_database(*source_, faulty), DbError) << n;
            EXPECT_TRUE(faulty.fired()) << n;
            EXPECT_EQ(testsupport::snapshot_tables(*target_), fresh) << n;
        }
    }

    std::vector<TableCopy> progress;
    const auto report = copy_database(*source_, *target_, [&](const TableCopy& t) { progress.push_back(t); });
    ASSERT_TRUE(report.ok()) << report.refused;
    EXPECT_EQ(report.schema_version, current_version(*source_));
    EXPECT_EQ(report.analyze_error, "");
    ASSERT_EQ(progress.size(), report.tables.size());
    std::int64_t total = 0;
    for (const auto& t : progress) total += t.rows;
    EXPECT_EQ(total, report.rows);

    // Every table of the source, row for row (the full-text index and schema_migrations aside).
    std::map<std::string, std::int64_t> copied;
    for (const auto& t : report.tables) copied[t.table] = t.rows;
    for (const char* expected : {"users", "organisations", "audit_events", "services", "service_search", "taxonomy_terms"})
        EXPECT_TRUE(copied.contains(expected)) << expected;
    EXPECT_FALSE(copied.contains("schema_migrations"));
    EXPECT_FALSE(copied.contains("service_fts"));
    EXPECT_FALSE(copied.contains("service_fts_data"));
    for (const auto& [table, rows] : copied) {
        const auto columns = sqlite_columns(*source_, table);
        const auto expected = table_rows(*source_, table, columns);
        EXPECT_EQ(static_cast<std::int64_t>(expected.size()), rows) << table;
        EXPECT_EQ(table_rows(*target_, table, columns), expected) << table;
    }
    EXPECT_GT(copied["audit_events"], 0);

    // The chain, as it was on the source.
    const auto verified = verify_audit_chain(*target_, report.source_audit.head);
    EXPECT_TRUE(verified.intact()) << verified.broken->detail;
    EXPECT_EQ(verified.rows, report.source_audit.rows);
    EXPECT_EQ(verified.head.hash, report.source_audit.head.hash);

    // Public searches, through the database and through the in-memory index.
    for (const std::string q : {"", "autism", "famille"}) {
        const auto expected = found(*source_, q, false);
        EXPECT_FALSE(expected.empty()) << q;
        EXPECT_EQ(found(*target_, q, false), expected) << q;
        EXPECT_EQ(found(*target_, q, true), expected) << q;
    }

    // Every identity sequence goes on after the highest id copied (at 1 in an empty table), and
    // the chain after its head.
    {
        auto tx = target_->begin(TxMode::write);
        const auto sequences = tx->query(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND "
            "is_identity = 'YES' ORDER BY table_name");
        EXPECT_GT(sequences.size(), 50u);
        for (const auto& s : sequences) {
            const std::string table = s.str(0), column = s.str(1);
            if (!copied.contains(table)) continue;
            const auto next = tx->query_one("SELECT nextval(pg_get_serial_sequence(?, ?))", {table, column});
            const auto highest = testsupport::scalar(*source_, "SELECT COALESCE(MAX(" + column + "), 0) FROM " + table);
            EXPECT_EQ(next->i64(0), highest + 1) << table << "." << column;
        }
        tx->rollback();
    }
    {
        auto tx = target_->begin(TxMode::write);
        ManualClock clock(demo_time);
        AuditEvent e;
        e.decision = domain::Decision{domain::Effect::permit, domain::Reason::consent, false, 0};
        e.request_id = "after-copy";
        EXPECT_EQ(AuditRepo(*tx, clock).append(e), report.source_audit.head.id + 1);
        tx->commit();
    }
    EXPECT_TRUE(verify_audit_chain(*target_).intact());

    // A second copy into what now holds data: refused, nothing changed.
    const std::string after = testsupport::snapshot_tables(*target_);
    const auto again = copy_database(*source_, *target_);
    EXPECT_FALSE(again.ok());
    EXPECT_NE(again.refused.find("already holds data"), std::string::npos) << again.refused;
    EXPECT_EQ(testsupport::snapshot_tables(*target_), after);

    // Schema versions that differ: refused before anything else.
    {
        auto tx = target_->begin(TxMode::write);
        tx->exec("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
        tx->commit();
    }
    const auto behind = copy_database(*source_, *target_);
    EXPECT_FALSE(behind.ok());
    EXPECT_NE(behind.refused.find("schema version"), std::string::npos) << behind.refused;
}

// The command: a sentence per table, the totals and the chain verified; then refused (exit 2)
// into the database it filled.
TEST_F(DataCopy, CommandPrintsEachTableAndTheVerifiedChain) {
    const std::string from = "sqlite:" + demo_source().file, to = with_database(server_url_, name_);
    std::ostringstream out, err;
    EXPECT_EQ(app::run_migrate_data(from, to, out, err), 2) << "not migrated yet";
    EXPECT_NE(err.str().find("arrimage migrate"), std::string::npos) << err.str();

    migrate(*target_);
    out.str("");
    err.str("");
    ASSERT_EQ(app::run_migrate_data(from, to, out, err), 0) << err.str();
    const auto users = testsupport::scalar(*source_, "SELECT COUNT(*) FROM users");
    EXPECT_NE(out.str().find("Copied " + std::to_string(users) + " rows of users.\n"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("The audit chain verified on the target"), std::string::npos) << out.str();
    EXPECT_EQ(err.str(), "");

    out.str("");
    err.str("");
    EXPECT_EQ(app::run_migrate_data(from, to, out, err), 2);
    EXPECT_NE(err.str().find("already holds data"), std::string::npos) << err.str();
    EXPECT_EQ(app::run_migrate_data("sqlite:" + demo_source().dir + "/missing.db", to, out, err), 2);
    EXPECT_EQ(app::run_migrate_data(from, "sqlite:" + demo_source().file, out, err), 2);
}
