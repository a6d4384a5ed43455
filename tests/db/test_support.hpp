#pragma once
// Opens a fresh, migrated database for the backend under test: SQLite in a temporary file
// (ARRIMAGE_TEST_BACKEND=sqlite) or the PostgreSQL server named by ARRIMAGE_TEST_PG_URL
// (ARRIMAGE_TEST_BACKEND=pg), emptied first. Tests call GTEST_SKIP when PostgreSQL is wanted
// but not configured.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "domain/privacy.hpp"
#include "store/access.hpp"
#include "store/audit_repo.hpp"
#include "store/db.hpp"

namespace arrimage::testsupport {

struct TestDb {
    std::unique_ptr<store::Database> db;
    std::string url;
    std::string dir;  // temporary directory (SQLite), removed on destruction
    ~TestDb();
};

// nullopt with `why` set when the backend is unavailable (the test should skip).
std::unique_ptr<TestDb> open_test_db(std::string& why, int pool = 4);
std::string backend_name();

// A real database that fails on purpose where a test says (fault injection): every transaction
// it begins is the inner database's, and a statement or a commit armed to fail throws
// DbError(unavailable) instead of running, as a lost connection or a full disk would. Used to
// prove that a failure at any point of a write leaves nothing half-written, and that a failed
// audit commit shows nothing.
class FaultyDatabase final : public store::Database {
  public:
    explicit FaultyDatabase(store::Database& inner) : inner_(inner) {}
    // The nth statement (1-based) run from now on, in any transaction, fails; 0 disarms.
    void fail_statement(int n) {
        countdown_ = n;
        statements_ = 0;
    }
    // Every commit of a transaction that has written to `table` fails ("" disarms).
    void fail_commits_writing(std::string table);
    // Every commit fails (or none).
    void fail_commits(bool on) { fail_all_commits_ = on; }
    // Statements run since the last fail_statement().
    int statements() const { return statements_; }
    bool fired() const { return fired_; }
    void reset_fired() { fired_ = false; }

    std::unique_ptr<store::Tx> begin(store::TxMode mode) override;
    store::Dialect dialect() const override { return inner_.dialect(); }
    void close() override {}

  private:
    friend class FaultyTx;
    bool statement_fails();
    bool commit_fails(bool wrote_table);

    store::Database& inner_;
    std::atomic<int> countdown_{0};
    std::atomic<int> statements_{0};
    std::atomic<bool> fail_all_commits_{false};
    std::atomic<bool> fired_{false};
    std::atomic<bool> commit_table_set_{false};
    std::mutex m_;
    std::string commit_table_;
};

// Every table's full content, as text in a stable order: two snapshots are equal when nothing
// was written (row counts alone would miss an UPDATE).
std::string snapshot_tables(store::Database& db);

// The first column of the first row `sql` returns, as a number (0 when there is none).
std::int64_t scalar(store::Database& db, const std::string& sql, const store::Params& params = {});
// The user with this email, acting under their membership (the test fails when there is none).
domain::Actor actor_of(store::Database& db, const std::string& email);

}  // namespace arrimage::testsupport

namespace arrimage::testsupport {

// Tests stand in for the request pipeline: the only other code allowed to mint access contexts
// (store/access.hpp).
struct AccessForTests {
    static store::AccessContext as(store::Tx& tx, const Clock& clock, const domain::Actor& actor, std::string request_id) {
        if (actor.role == domain::Role::family) return family(tx, clock, actor.user_id, std::move(request_id));
        domain::Principal p;
        p.user_id = actor.user_id;
        p.grants.push_back({actor.organisation_id, 0, actor.role});
        return *store::AccessMint::member(tx, clock, p, p.grants.front(), std::move(request_id));
    }
    // A family account (features/family), as the pipeline mints it.
    static store::AccessContext family(store::Tx& tx, const Clock& clock, std::int64_t user_id, std::string request_id) {
        domain::Principal p;
        p.user_id = user_id;
        p.family = true;
        return *store::AccessMint::family(tx, clock, p, std::move(request_id));
    }
    static store::AccessContext anonymous(store::Tx& tx, const Clock& clock, std::string request_id) {
        return store::AccessMint::anonymous(tx, clock, std::move(request_id));
    }
    static std::optional<store::AccessContext> member(store::Tx& tx, const Clock& clock, const domain::Principal& p,
                                                      const domain::Grant& g, std::string request_id) {
        return store::AccessMint::member(tx, clock, p, g, std::move(request_id));
    }
    // A context in a read transaction whose rows go to `read_audit` (as the pipeline's do).
    static store::AccessContext reading(store::Tx& tx, const Clock& clock, const domain::Actor& actor, std::string request_id,
                                        std::vector<store::AuditEvent>* read_audit) {
        domain::Principal p;
        p.user_id = actor.user_id;
        p.grants.push_back({actor.organisation_id, 0, actor.role});
        return *store::AccessMint::member(tx, clock, p, p.grants.front(), std::move(request_id), read_audit);
    }
    // An actor given as optional: nobody when empty.
    static store::AccessContext as(store::Tx& tx, const Clock& clock, const std::optional<domain::Actor>& actor,
                                   std::string request_id) {
        return actor ? as(tx, clock, *actor, std::move(request_id)) : anonymous(tx, clock, std::move(request_id));
    }
};

// Runs `f` with a `Repo` for `who` (nullopt: nobody signed in) in one write transaction, and
// commits it, as one request would.
template <typename Repo, typename F>
auto run_as(store::Database& db, const Clock& clock, const std::optional<domain::Actor>& who, F f) {
    auto tx = db.begin(store::TxMode::write);
    Repo repo(AccessForTests::as(*tx, clock, who, "test"));
    auto out = f(repo);
    tx->commit();
    return out;
}

// The audit rows as stored, for tests (the product reads them only through the privacy
// office's decided path).
struct AuditForTests {
    static std::optional<store::AuditRow> find(store::AuditRepo repo, std::int64_t id) { return repo.find(id); }
    static std::vector<store::AuditRow> rows_after(store::AuditRepo repo, std::int64_t after_id, int limit) {
        return repo.rows_after(after_id, limit);
    }
};

}  // namespace arrimage::testsupport
