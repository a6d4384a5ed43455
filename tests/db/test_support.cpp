#include "db/test_support.hpp"

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

}  // namespace arrimage::testsupport
