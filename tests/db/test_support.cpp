#include "db/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/random.hpp"
#include "store/migrate.hpp"

namespace arrimage::testsupport {

namespace fs = std::filesystem;

std::string backend_name() {
    const char* b = std::getenv("ARRIMAGE_TEST_BACKEND");
    return b ? b : "sqlite";
}

TestDb::~TestDb() {
    if (db) db->close();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
}

std::unique_ptr<TestDb> open_test_db(std::string& why, int pool) {
    auto holder = std::make_unique<TestDb>();
    TestDb& t = *holder;
    if (backend_name() == "pg") {
        const char* url = std::getenv("ARRIMAGE_TEST_PG_URL");
        if (!url || !*url) {
            why = "ARRIMAGE_TEST_PG_URL is not set: run through scripts/with-postgres (make test does)";
            return nullptr;
        }
        t.url = url;
        {
            // A clean schema for every test.
            auto db = store::open_database(t.url, 1);
            {
                auto tx = db->begin(store::TxMode::write);
                tx->exec_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
                tx->commit();
            }
            db->close();
        }
    } else {
        SodiumRandom r;
        t.dir = (fs::temp_directory_path() / ("arrimage-test-" + r.token(9))).string();
        fs::create_directories(t.dir);
        t.url = "sqlite:" + t.dir + "/test.db";
    }
    t.db = store::open_database(t.url, pool);
    store::migrate(*t.db);
    return holder;
}

class FaultyTx final : public store::Tx {
  public:
    FaultyTx(FaultyDatabase& db, std::unique_ptr<store::Tx> inner) : db_(db), inner_(std::move(inner)) {}

    std::vector<store::Row> query(std::string_view sql, const store::Params& params) override {
        check(sql);
        return inner_->query(sql, params);
    }
    std::int64_t exec(std::string_view sql, const store::Params& params) override {
        check(sql);
        return inner_->exec(sql, params);
    }
    void exec_script(std::string_view sql) override {
        check(sql);
        inner_->exec_script(sql);
    }
    void commit() override {
        if (db_.commit_fails(wrote_table_)) throw store::DbError(store::DbError::Kind::unavailable, "injected: commit failed");
        inner_->commit();
    }
    void rollback() override { inner_->rollback(); }
    store::Dialect dialect() const override { return inner_->dialect(); }
    store::TxMode mode() const override { return inner_->mode(); }
    void lock(std::string_view name) override { inner_->lock(name); }

  private:
    void check(std::string_view sql) {
        if (db_.statement_fails()) throw store::DbError(store::DbError::Kind::unavailable, "injected: statement failed");
        if (!db_.commit_table_set_) return;
        std::string table;
        {
            std::lock_guard lk(db_.m_);
            table = db_.commit_table_;
        }
        if (!table.empty() && sql.find("INSERT INTO " + table) != std::string_view::npos) wrote_table_ = true;
    }

    FaultyDatabase& db_;
    std::unique_ptr<store::Tx> inner_;
    bool wrote_table_ = false;
};

void FaultyDatabase::fail_commits_writing(std::string table) {
    std::lock_guard lk(m_);
    commit_table_set_ = !table.empty();
    commit_table_ = std::move(table);
}

bool FaultyDatabase::statement_fails() {
    ++statements_;
    if (countdown_.load() <= 0) return false;
    if (--countdown_ == 0) {
        fired_ = true;
        return true;
    }
    return false;
}

bool FaultyDatabase::commit_fails(bool wrote_table) {
    if (fail_all_commits_ || wrote_table) {
        fired_ = true;
        return true;
    }
    return false;
}

std::unique_ptr<store::Tx> FaultyDatabase::begin(store::TxMode mode) {
    return std::make_unique<FaultyTx>(*this, inner_.begin(mode));
}

std::string snapshot_tables(store::Database& db) {
    auto tx = db.begin(store::TxMode::read);
    const auto tables = tx->query(db.dialect() == store::Dialect::postgres
                                      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                        "AND table_type = 'BASE TABLE' ORDER BY table_name"
                                      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                        "AND name NOT LIKE '%_fts%' ORDER BY name");
    std::string out;
    for (const auto& t : tables) {
        const std::string name = t.str(0);
        out += "## " + name + "\n";
        if (db.dialect() == store::Dialect::postgres) {
            // Each row as one text value, in that text's order.
            for (const auto& r : tx->query("SELECT x::text FROM " + name + " x ORDER BY 1")) out += r.str(0) + "\n";
            continue;
        }
        // Ordered by every column (1, 2, ...): the first column alone may not be unique.
        const auto first = tx->query("SELECT * FROM " + name + " LIMIT 1");
        std::string order;
        for (std::size_t i = 1; i <= (first.empty() ? 0 : first.front().size()); ++i)
            order += (order.empty() ? "" : ", ") + std::to_string(i);
        for (const auto& r : tx->query("SELECT * FROM " + name + (order.empty() ? "" : " ORDER BY " + order))) {
            for (std::size_t i = 0; i < r.size(); ++i) out += (r.is_null(i) ? std::string("\\N") : r.str(i)) + "\t";
            out += "\n";
        }
    }
    return out;
}

std::int64_t scalar(store::Database& db, const std::string& sql, const store::Params& params) {
    auto tx = db.begin(store::TxMode::read);
    auto r = tx->query_one(sql, params);
    return r ? r->i64(0) : 0;
}

domain::Actor actor_of(store::Database& db, const std::string& email) {
    auto tx = db.begin(store::TxMode::read);
    auto r = tx->query_one(
        "SELECT u.id, m.organisation_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ?", {email});
    EXPECT_TRUE(r) << email;
    return {r->i64(0), r->i64(1), *domain::parse_role(r->str(2))};
}

}  // namespace arrimage::testsupport
