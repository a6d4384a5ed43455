// Backups of an SQLite deployment and their restore (store/backup.hpp): a backup taken while
// another connection writes is one consistent snapshot, and a restore checks what it is given
// and replaces the database whole or not at all. SQLite only: PostgreSQL is backed up with its
// own tools.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/data_commands.hpp"
#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "store/audit_repo.hpp"
#include "store/backup.hpp"
#include "store/migrate.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace fs = std::filesystem;

namespace {

const TimePoint demo_time = *parse_iso("2026-11-23T09:00:00Z");

struct TempDir {
    std::string path;
    TempDir() {
        SodiumRandom r;
        path = (fs::temp_directory_path() / ("arrimage-backup-" + r.token(9))).string();
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

// The demo data in a closed SQLite file, loaded once per test binary (it takes seconds); each
// test copies it.
const std::string& demo_file() {
    static const TempDir dir;
    static const std::string file = [] {
        const std::string f = dir / "demo.db";
        auto db = open_database("sqlite:" + f, 2);
        migrate(*db);
        ManualClock clock(demo_time);
        EXPECT_TRUE(app::load_demo_data(*db, clock, PasswordHashCost::minimum()));
        db->close();
        return f;
    }();
    return file;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// PRAGMA integrity_check's answer ("ok" when sound), and the file's journal mode as its header
// says (1: rollback journal, 2: WAL), from a read-only connection of the test's own.
struct FileCheck {
    std::string integrity;
    int header_mode = 0;
};
FileCheck check_file(const std::string& path) {
    FileCheck c;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            c.integrity = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_close_v2(db);
    const std::string bytes = read_file(path);
    if (bytes.size() > 19) c.header_mode = bytes[18];
    return c;
}

// Every table's content but the audit trail's.
std::string tables_but_audit(Database& db) {
    const std::string all = testsupport::snapshot_tables(db);
    const auto start = all.find("## audit_events\n");
    if (start == std::string::npos) return all;
    const auto end = all.find("## ", start + 3);
    return all.substr(0, start) + (end == std::string::npos ? "" : all.substr(end));
}

AuditEvent system_event(int i) {
    AuditEvent e;
    e.action = domain::Action::read;
    e.category = domain::Category::identity_contact;
    e.purpose = domain::Purpose::coordination;
    e.decision = domain::Decision{domain::Effect::permit, domain::Reason::consent, false, 0};
    e.request_id = "backup-test-" + std::to_string(i);
    return e;
}

std::int64_t max_audit_id(Database& db) {
    return testsupport::scalar(db, "SELECT COALESCE(MAX(id), 0) FROM audit_events");
}

}  // namespace

class Backup : public ::testing::Test {
  protected:
    void SetUp() override {
        if (testsupport::backend_name() != "sqlite")
            GTEST_SKIP() << "SQLite backups only: a PostgreSQL database is backed up with pg_dump or pg_basebackup";
        live_ = dir_ / "live.db";
        fs::copy_file(demo_file(), live_);
    }

    TempDir dir_;
    std::string live_;
    ManualClock clock_{demo_time};
};

// The writer commits audit rows all along; the backup holds one snapshot: every row committed
// before it started, none committed after its first step, and an intact chain.
TEST_F(Backup, IsOneConsistentSnapshotWhileAnotherConnectionWrites) {
    auto live = open_database("sqlite:" + live_, 2);
    const std::string before = tables_but_audit(*live);

    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        for (int i = 1; !stop; ++i) {
            auto tx = live->begin(TxMode::write);
            AuditRepo(*tx, clock_).append(system_event(i));
            tx->commit();
            ++written;
        }
    });
    // Waits (up to a minute, not a measure of speed) until the writer has committed `n` rows.
    auto wait_for_writes = [&](int n) {
        for (int i = 0; i < 6000 && written < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return written >= n;
    };
    ASSERT_TRUE(wait_for_writes(3));
    const std::int64_t committed_before = max_audit_id(*live);

    BackupOptions options;
    options.pages_per_step = 8;  // many steps, with writes between them
    int steps = 0;
    std::int64_t committed_at_first_step = 0;
    bool writes_between_steps = true;
    options.after_step = [&](int remaining, int total) {
        EXPECT_GT(total, 0);
        EXPECT_LT(remaining, total);
        if (++steps == 1) committed_at_first_step = max_audit_id(*live);
        if (steps <= 3) writes_between_steps = writes_between_steps && wait_for_writes(written + 2);
    };
    const auto r = backup_sqlite("sqlite:" + live_, dir_ / "backup.db", options);
    stop = true;
    writer.join();

    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_TRUE(writes_between_steps);
    EXPECT_GT(steps, 3);
    EXPECT_EQ(r.bytes, fs::file_size(dir_ / "backup.db"));
    const auto file = check_file(dir_ / "backup.db");
    EXPECT_EQ(file.integrity, "ok");
    EXPECT_EQ(file.header_mode, 1) << "a backup is one file, without a write-ahead log";
    EXPECT_FALSE(fs::exists(dir_ / "backup.db-wal"));

    auto copy = open_database("sqlite:" + (dir_ / "backup.db"), 1);
    const auto verified = verify_audit_chain(*copy);
    EXPECT_TRUE(verified.intact()) << verified.broken->detail;
    EXPECT_GE(verified.head.id, committed_before);
    EXPECT_LE(verified.head.id, committed_at_first_step);
    EXPECT_GT(max_audit_id(*live), verified.head.id) << "the writer went on after the snapshot";
    EXPECT_EQ(verified.rows, verified.head.id);
    EXPECT_EQ(tables_but_audit(*copy), before);
    // The rows both hold are the same rows: the live chain passes through the backup's head.
    EXPECT_TRUE(verify_audit_chain(*live, verified.head).intact());
    copy->close();
    live->close();
}

TEST_F(Backup, NeverOverwritesUnlessAskedAndLeavesNoPartialFile) {
    const std::string out = dir_ / "nightly.db";
    ASSERT_TRUE(backup_sqlite("sqlite:" + live_, out).ok());
    const std::string first = read_file(out);

    const auto again = backup_sqlite("sqlite:" + live_, out);
    EXPECT_EQ(again.outcome, FileOutcome::refused);
    EXPECT_NE(again.message.find("already exists"), std::string::npos) << again.message;
    EXPECT_EQ(read_file(out), first);

    BackupOptions force;
    force.overwrite = true;
    EXPECT_TRUE(backup_sqlite(live_, out, force).ok());
    EXPECT_EQ(check_file(out).integrity, "ok");

    EXPECT_EQ(backup_sqlite("sqlite:" + (dir_ / "missing.db"), dir_ / "x.db").outcome, FileOutcome::refused);
    EXPECT_EQ(backup_sqlite("sqlite:" + live_, dir_ / "no-such-dir/x.db").outcome, FileOutcome::refused);
    EXPECT_EQ(backup_sqlite("sqlite:" + live_, live_, force).outcome, FileOutcome::refused) << "never over the database";
    EXPECT_EQ(backup_sqlite("postgresql://localhost/arrimage", dir_ / "x.db").outcome, FileOutcome::refused);

    // Only the database, the backup and nothing half-written beside them.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_.path)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"live.db", "nightly.db"}));
}

TEST_F(Backup, RestoresRoundTripAndReplacesOnlyWhenForcedAndStopped) {
    const std::string backup = dir_ / "backup.db";
    ASSERT_TRUE(backup_sqlite(live_, backup).ok());
    std::string expected;
    {
        auto live = open_database("sqlite:" + live_, 1);
        expected = testsupport::snapshot_tables(*live);
        live->close();
    }
    const std::string backup_bytes = read_file(backup);

    const std::string target = dir_ / "restored.db";
    const auto r = restore_sqlite(backup, "sqlite:" + target, false);
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.schema_version, migrations_for(Dialect::sqlite).back().version);
    EXPECT_GT(r.audit_rows, 0);
    EXPECT_EQ(read_file(backup), backup_bytes) << "the backup itself is left as it was";
    EXPECT_FALSE(fs::exists(target + "-wal"));
    {
        auto restored = open_database("sqlite:" + target, 1);
        EXPECT_EQ(testsupport::snapshot_tables(*restored), expected);
        EXPECT_TRUE(verify_audit_chain(*restored).intact());
        // Write something the restore must undo.
        auto tx = restored->begin(TxMode::write);
        AuditRepo(*tx, clock_).append(system_event(1));
        tx->commit();
        restored->close();
    }
    const std::string changed = read_file(target);

    // An existing database: refused without --force, and left as it was.
    const auto refused = restore_sqlite(backup, target, false);
    EXPECT_EQ(refused.outcome, FileOutcome::refused);
    EXPECT_NE(refused.message.find("--force"), std::string::npos) << refused.message;
    EXPECT_EQ(read_file(target), changed);

    // Refused while a process has it open (the server running), even with --force.
    {
        auto running = open_database("sqlite:" + target, 1);
        EXPECT_TRUE(running->ping());
        const auto in_use = restore_sqlite(backup, target, true);
        EXPECT_EQ(in_use.outcome, FileOutcome::refused);
        EXPECT_NE(in_use.message.find("in use"), std::string::npos) << in_use.message;
        running->close();
    }

    // Stopped and forced: replaced by the backup, the row written since gone.
    ASSERT_TRUE(restore_sqlite(backup, target, true).ok());
    auto restored = open_database("sqlite:" + target, 1);
    EXPECT_EQ(testsupport::snapshot_tables(*restored), expected);
    restored->close();
}

TEST_F(Backup, RestoreRefusesWhatIsNotASoundArrimageBackup) {
    const std::string target = dir_ / "target.db";

    const std::string text = dir_ / "notes.txt";
    std::ofstream(text)
        << "Not a database at all: only words, more than enough of them to fill the hundred bytes of a database header.\n";
    const auto not_sqlite = restore_sqlite(text, target, false);
    EXPECT_EQ(not_sqlite.outcome, FileOutcome::refused);
    EXPECT_NE(not_sqlite.message.find("not a sound SQLite database"), std::string::npos) << not_sqlite.message;

    const std::string other = dir_ / "other.db";
    {
        auto db = open_database("sqlite:" + other, 1);
        auto tx = db->begin(TxMode::write);
        tx->exec_script("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)");
        tx->commit();
        db->close();
    }
    const auto not_ours = restore_sqlite(other, target, false);
    EXPECT_EQ(not_ours.outcome, FileOutcome::refused);
    EXPECT_NE(not_ours.message.find("not an Arrimage"), std::string::npos) << not_ours.message;

    // A backup whose audit trail was altered.
    const std::string tampered = dir_ / "tampered.db";
    ASSERT_TRUE(backup_sqlite(live_, tampered).ok());
    {
        auto db = open_database("sqlite:" + tampered, 1);
        auto tx = db->begin(TxMode::write);
        tx->exec_script("DROP TRIGGER audit_events_no_update");
        tx->exec("UPDATE audit_events SET request_id = 'edited' WHERE id = 2");
        tx->commit();
        db->close();
    }
    const auto broken = restore_sqlite(tampered, target, false);
    EXPECT_EQ(broken.outcome, FileOutcome::refused);
    EXPECT_NE(broken.message.find("audit chain"), std::string::npos) << broken.message;

    EXPECT_EQ(restore_sqlite(dir_ / "missing.db", target, false).outcome, FileOutcome::refused);
    EXPECT_EQ(restore_sqlite(live_, "postgresql://localhost/arrimage", false).outcome, FileOutcome::refused);

    // Nothing was created where the database would go, nor beside it.
    EXPECT_FALSE(fs::exists(target));
    for (const auto& e : fs::directory_iterator(dir_.path))
        EXPECT_EQ(e.path().filename().string().find("target.db"), std::string::npos) << e.path();
}

// The commands print sentences and say by their exit status what happened; on PostgreSQL,
// the tools to use, without the password.
TEST_F(Backup, CommandsSpeakSentences) {
    std::ostringstream out, err;
    EXPECT_EQ(app::run_backup("postgresql://arrimage:s3cret@db.example/arrimage", dir_ / "x.dump", false, out, err), 2);
    EXPECT_NE(err.str().find("pg_dump --format=custom --file='" + (dir_ / "x.dump") +
                             "' --dbname='postgresql://arrimage@db.example/arrimage'"),
              std::string::npos)
        << err.str();
    EXPECT_NE(err.str().find("pg_basebackup --dbname='postgresql://arrimage@db.example/arrimage'"), std::string::npos)
        << err.str();
    EXPECT_EQ(err.str().find("s3cret"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir_ / "x.dump"));

    err.str("");
    EXPECT_EQ(app::run_backup("sqlite:" + live_, dir_ / "b.db", false, out, err), 0) << err.str();
    EXPECT_NE(out.str().find("Backup written to " + (dir_ / "b.db")), std::string::npos) << out.str();
    EXPECT_EQ(app::run_backup("sqlite:" + live_, dir_ / "b.db", false, out, err), 2);
    EXPECT_NE(err.str().find("already exists"), std::string::npos) << err.str();

    out.str("");
    EXPECT_EQ(app::run_restore(dir_ / "b.db", "sqlite:" + (dir_ / "r.db"), false, out, err), 0);
    EXPECT_NE(out.str().find("audit chain intact"), std::string::npos) << out.str();
    EXPECT_EQ(app::run_restore(dir_ / "b.db", "sqlite:" + (dir_ / "r.db"), false, out, err), 2);
}
