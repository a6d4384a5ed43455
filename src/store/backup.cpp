#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "store/audit_repo.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"

namespace arrimage::store {

namespace fs = std::filesystem;

std::optional<std::string> sqlite_file_of(const std::string& url_or_path) {
    if (is_postgres_url(url_or_path)) return std::nullopt;
    std::string path = url_or_path.rfind("sqlite:", 0) == 0 ? url_or_path.substr(7) : url_or_path;
    if (path.empty() || path == ":memory:") return std::nullopt;
    return path;
}

bool is_postgres_url(const std::string& url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 || url.rfind("pg:", 0) == 0;
}

namespace {

// A connection of our own, without the driver: the driver turns WAL on and runs its
// transactions, while a backup needs the backup API and must leave the file it reads alone.
class RawSqlite {
  public:
    RawSqlite(const std::string& path, int flags) {
        if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
            error_ = db_ ? sqlite3_errmsg(db_) : "out of memory";
        if (db_) sqlite3_busy_timeout(db_, 10000);
    }
    ~RawSqlite() { sqlite3_close_v2(db_); }
    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;

    bool opened() const { return error_.empty(); }
    const std::string& open_error() const { return error_; }
    sqlite3* get() const { return db_; }
    void busy_timeout(int ms) { sqlite3_busy_timeout(db_, ms); }

    // One statement: its result code (SQLITE_OK when it ran to the end), the error message, and
    // the first column of every row as text.
    struct Answer {
        int rc = SQLITE_OK;
        std::string error;
        std::vector<std::string> values;
        bool ok() const { return rc == SQLITE_OK; }
    };
    Answer run(const std::string& sql) const {
        Answer a;
        sqlite3_stmt* s = nullptr;
        a.rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
        if (a.rc == SQLITE_OK) {
            int rc;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
                a.values.emplace_back(text ? text : "");
            }
            a.rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
        if (!a.ok()) a.error = sqlite3_errmsg(db_);
        sqlite3_finalize(s);
        return a;
    }

  private:
    sqlite3* db_ = nullptr;
    std::string error_;
};

// The file and the journals SQLite may leave beside it.
void remove_with_journals(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

// Removes a temporary file (and its journals) unless it was renamed into place.
struct TemporaryFile {
    std::string path;
    bool kept = false;
    ~TemporaryFile() {
        if (!kept) remove_with_journals(path);
    }
};

bool fsync_path(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

std::string directory_of(const std::string& path) {
    const auto parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// The first problem PRAGMA integrity_check reports, or "" when it says "ok".
std::string integrity_problem(const RawSqlite& db) {
    const auto a = db.run("PRAGMA integrity_check");
    if (!a.ok()) return a.error;
    if (a.values.size() == 1 && a.values.front() == "ok") return "";
    return a.values.empty() ? "no answer" : a.values.front();
}

struct Copied {
    std::string error;  // English; empty when copied
    int pages = 0;
};

// Copies the database at `source` into the new file `tmp` with the backup API, from one read
// snapshot, then turns the copy into a single file (rollback journal), checks it with
// integrity_check and flushes it to disk.
Copied copy_database_file(const std::string& source, int source_flags, const std::string& tmp, const BackupOptions& options) {
    Copied out;
    auto src = std::make_unique<RawSqlite>(source, source_flags);
    // A database this user may only read is backed up all the same.
    if (!src->opened() && source_flags != SQLITE_OPEN_READONLY) src = std::make_unique<RawSqlite>(source, SQLITE_OPEN_READONLY);
    if (!src->opened()) return {"cannot open " + source + ": " + src->open_error(), 0};
    // The snapshot: a read transaction held across every step. Without it, a write by another
    // connection between two steps restarts the backup from the first page, which a busy
    // server could do forever. In WAL mode the snapshot blocks no writer.
    if (auto a = src->run("BEGIN"); !a.ok()) return {source + ": " + a.error, 0};
    if (auto a = src->run("SELECT COUNT(*) FROM sqlite_master"); !a.ok())
        return {source + " cannot be read as an SQLite database: " + a.error, 0};
    {
        RawSqlite dst(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        if (!dst.opened()) return {"cannot create " + tmp + ": " + dst.open_error(), 0};
        sqlite3_backup* backup = sqlite3_backup_init(dst.get(), "main", src->get(), "main");
        if (!backup) return {"cannot start the backup: " + std::string(sqlite3_errmsg(dst.get())), 0};
        int rc;
        int busy_waits = 0;
        const int steps = options.pages_per_step > 0 ? options.pages_per_step : -1;
        for (;;) {
            rc = sqlite3_backup_step(backup, steps);
            if (rc == SQLITE_OK) {
                if (options.after_step) options.after_step(sqlite3_backup_remaining(backup), sqlite3_backup_pagecount(backup));
                continue;
            }
            // Only the destination can be busy (the source is read from a held snapshot).
            if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy_waits < 500) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            break;
        }
        out.pages = sqlite3_backup_pagecount(backup);
        const int finished = sqlite3_backup_finish(backup);
        if (rc != SQLITE_DONE || finished != SQLITE_OK)
            return {"the copy stopped: " + std::string(sqlite3_errstr(rc != SQLITE_DONE ? rc : finished)), out.pages};
    }
    (void)src->run("COMMIT");
    {
        // The copied first page says WAL when the source is in WAL mode: back to a rollback
        // journal, so that the backup is one file, complete without a -wal beside it.
        RawSqlite copy(tmp, SQLITE_OPEN_READWRITE);
        if (!copy.opened()) return {"cannot reopen the copy " + tmp + ": " + copy.open_error(), out.pages};
        if (auto a = copy.run("PRAGMA journal_mode=DELETE"); !a.ok() || a.values.empty() || a.values.front() != "delete")
            return {"cannot turn the copy into a single file: " + (a.ok() ? std::string("journal mode unchanged") : a.error),
                    out.pages};
        if (auto problem = integrity_problem(copy); !problem.empty())
            return {"the copy does not pass the integrity check: " + problem, out.pages};
    }
    std::error_code ec;
    if (fs::exists(tmp + "-wal", ec)) return {"the copy still has a write-ahead log beside it", out.pages};
    if (!fsync_path(tmp, false)) return {"cannot flush the copy to disk", out.pages};
    return out;
}

// Renames `tmp` to `destination` and flushes the directory entry.
std::string move_into_place(TemporaryFile& tmp, const std::string& destination) {
    std::error_code ec;
    fs::rename(tmp.path, destination, ec);
    if (ec) return "cannot rename " + tmp.path + " to " + destination + ": " + ec.message();
    tmp.kept = true;
    if (!fsync_path(directory_of(destination), true)) return "cannot flush the directory of " + destination + " to disk";
    return "";
}

std::string temporary_name(const std::string& destination, const char* what) {
    return destination + "." + what + "-" + std::to_string(::getpid());
}

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

BackupResult backup_sqlite(const std::string& source_url, const std::string& destination, const BackupOptions& options) {
    BackupResult r;
    r.path = destination;
    auto refuse = [&](std::string why) {
        r.outcome = FileOutcome::refused;
        r.message = std::move(why);
        return r;
    };
    const auto source = sqlite_file_of(source_url);
    if (!source) return refuse("Only an SQLite database file can be backed up this way (sqlite:PATH).");
    std::error_code ec;
    if (!fs::is_regular_file(*source, ec)) return refuse("There is no SQLite database at " + *source + ".");
    if (destination.empty()) return refuse("The backup needs a destination file (--out).");
    if (same_file(*source, destination)) return refuse("The backup cannot be written over the database itself.");
    if (fs::exists(destination, ec) && !options.overwrite)
        return refuse(destination + " already exists: choose another name, or add --force to replace it.");
    if (!fs::is_directory(directory_of(destination), ec))
        return refuse("The directory " + directory_of(destination) + " does not exist.");

    TemporaryFile tmp{temporary_name(destination, "partial")};
    remove_with_journals(tmp.path);
    const auto copied = copy_database_file(*source, SQLITE_OPEN_READWRITE, tmp.path, options);
    r.pages = copied.pages;
    if (!copied.error.empty()) {
        r.message = "The backup failed and was not written: " + copied.error + ".";
        return r;
    }
    if (auto error = move_into_place(tmp, destination); !error.empty()) {
        r.message = "The backup failed: " + error + ".";
        return r;
    }
    r.bytes = fs::file_size(destination, ec);
    r.outcome = FileOutcome::done;
    return r;
}

RestoreResult restore_sqlite(const std::string& backup, const std::string& target_url, bool overwrite) {
    RestoreResult r;
    auto refuse = [&](std::string why) {
        r.outcome = FileOutcome::refused;
        r.message = std::move(why);
        return r;
    };
    const auto target = sqlite_file_of(target_url);
    if (!target)
        return refuse(
            "The restore target must be an SQLite database file (--database-url sqlite:PATH); a PostgreSQL database is "
            "restored with pg_restore.");
    std::error_code ec;
    if (!fs::is_regular_file(backup, ec)) return refuse("There is no backup file at " + backup + ".");
    if (same_file(backup, *target)) return refuse("The backup and the database to restore are the same file.");
    const bool target_exists = fs::exists(*target, ec);
    if (target_exists && !overwrite)
        return refuse(*target +
                      " already exists: restoring would replace it. Stop the server, then run the restore again with --force "
                      "to replace it.");
    if (!fs::is_directory(directory_of(*target), ec))
        return refuse("The directory " + directory_of(*target) + " does not exist.");

    // The backup itself, read-only: a sound SQLite file, an Arrimage database, a schema this
    // version knows.
    {
        RawSqlite b(backup, SQLITE_OPEN_READONLY);
        if (!b.opened()) return refuse(backup + " cannot be opened: " + b.open_error() + ".");
        if (auto problem = integrity_problem(b); !problem.empty())
            return refuse(backup + " is not a sound SQLite database (" + problem + "). Nothing was restored.");
        const auto has = b.run("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
        if (!has.ok() || has.values.empty() || has.values.front() != "1")
            return refuse(backup +
                          " is an SQLite database but not an Arrimage one (it has no schema_migrations table). Nothing was "
                          "restored.");
        const auto version = b.run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        r.schema_version = version.ok() && !version.values.empty() ? std::stoi(version.values.front()) : 0;
        const auto known = migrations_for(Dialect::sqlite);
        const int newest = known.empty() ? 0 : known.back().version;
        if (r.schema_version > newest)
            return refuse(backup + " is at schema version " + std::to_string(r.schema_version) +
                          ", newer than this version of Arrimage knows (" + std::to_string(newest) +
                          "): restore it with the version that wrote it. Nothing was restored.");
    }

    TemporaryFile tmp{temporary_name(*target, "restoring")};
    remove_with_journals(tmp.path);
    const auto copied = copy_database_file(backup, SQLITE_OPEN_READONLY, tmp.path, {});
    if (!copied.error.empty()) {
        r.message = "The restore failed and nothing was replaced: " + copied.error + ".";
        return r;
    }
    // The audit chain, on the copy (opening the backup through the driver would turn it to WAL).
    {
        AuditVerification verified;
        try {
            auto db = open_database("sqlite:" + tmp.path, 1);
            verified = verify_audit_chain(*db);
            db->close();
        } catch (const DbError& e) {
            return refuse("The audit chain of " + backup + " cannot be read (" + e.what() + "). Nothing was restored.");
        }
        if (!verified.intact())
            return refuse("The audit chain of " + backup + " is broken at row " + std::to_string(verified.broken->id) + " (" +
                          std::string(code(verified.broken->kind)) + "): " + verified.broken->detail + ". Nothing was restored.");
        r.audit_rows = verified.rows;
        RawSqlite copy(tmp.path, SQLITE_OPEN_READWRITE);
        if (auto a = copy.run("PRAGMA journal_mode=DELETE"); !a.ok()) {
            r.message = "The restore failed and nothing was replaced: " + a.error + ".";
            return r;
        }
    }
    if (!fsync_path(tmp.path, false)) {
        r.message = "The restore failed and nothing was replaced: cannot flush the copy to disk.";
        return r;
    }
    if (target_exists) {
        // Leaving WAL mode needs every other connection closed: a running server holds some. It
        // also folds what the old database's -wal still holds into it, before it is replaced.
        RawSqlite old(*target, SQLITE_OPEN_READWRITE);
        old.busy_timeout(2000);
        if (old.opened()) {
            const auto a = old.run("PRAGMA journal_mode=DELETE");
            if ((a.rc & 0xff) == SQLITE_BUSY || (a.rc & 0xff) == SQLITE_LOCKED)
                return refuse(*target + " is in use by another process (is the server still running?): stop it and try again. " +
                              "Nothing was restored.");
        }
    }
    // A stale -wal beside the restored file would be replayed into it.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(*target + suffix, ec);
    if (auto error = move_into_place(tmp, *target); !error.empty()) {
        r.message = "The restore failed: " + error + ".";
        return r;
    }
    r.bytes = fs::file_size(*target, ec);
    r.outcome = FileOutcome::done;
    return r;
}

}  // namespace arrimage::store
