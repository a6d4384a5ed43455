#pragma once
// Opens a fresh, migrated database for the backend under test: SQLite in a temporary file
// (ARRIMAGE_TEST_BACKEND=sqlite) or the PostgreSQL server named by ARRIMAGE_TEST_PG_URL
// (ARRIMAGE_TEST_BACKEND=pg), emptied first. Tests call GTEST_SKIP when PostgreSQL is wanted
// but not configured.
#include <memory>
#include <optional>
#include <string>

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
