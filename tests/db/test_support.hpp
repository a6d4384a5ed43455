#pragma once
// Opens a fresh, migrated database for the backend under test: SQLite in a temporary file
// (ARRIMAGE_TEST_BACKEND=sqlite) or the PostgreSQL server named by ARRIMAGE_TEST_PG_URL
// (ARRIMAGE_TEST_BACKEND=pg), emptied first. Tests call GTEST_SKIP when PostgreSQL is wanted
// but not configured.
#include <memory>
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

}  // namespace arrimage::testsupport

namespace arrimage::testsupport {

// Tests stand in for the request pipeline: the only other code allowed to mint access contexts
// (store/access.hpp).
struct AccessForTests {
    static store::AccessContext as(store::Tx& tx, const Clock& clock, const domain::Actor& actor, std::string request_id) {
        domain::Principal p;
        p.user_id = actor.user_id;
        p.grants.push_back({actor.organisation_id, 0, actor.role});
        return *store::AccessMint::member(tx, clock, p, p.grants.front(), std::move(request_id));
    }
    static store::AccessContext anonymous(store::Tx& tx, const Clock& clock, std::string request_id) {
        return store::AccessMint::anonymous(tx, clock, std::move(request_id));
    }
    static std::optional<store::AccessContext> member(store::Tx& tx, const Clock& clock, const domain::Principal& p,
                                                      const domain::Grant& g, std::string request_id) {
        return store::AccessMint::member(tx, clock, p, g, std::move(request_id));
    }
    // An actor given as optional: nobody when empty.
    static store::AccessContext as(store::Tx& tx, const Clock& clock, const std::optional<domain::Actor>& actor,
                                   std::string request_id) {
        return actor ? as(tx, clock, *actor, std::move(request_id)) : anonymous(tx, clock, std::move(request_id));
    }
};

// The audit rows as stored, for tests (the product reads them only through the privacy
// office's decided path).
struct AuditForTests {
    static std::optional<store::AuditRow> find(store::AuditRepo repo, std::int64_t id) { return repo.find(id); }
    static std::vector<store::AuditRow> rows_after(store::AuditRepo repo, std::int64_t after_id, int limit) {
        return repo.rows_after(after_id, limit);
    }
};

}  // namespace arrimage::testsupport
