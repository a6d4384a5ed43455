#pragma once
// Backups of an SQLite deployment and their restore (`arrimage backup`, `arrimage restore`).
//
// A backup is taken online with SQLite's backup API from a read snapshot held for the whole
// copy: in WAL mode (the driver's mode, store/sqlite) writers carry on meanwhile and the backup
// is the database as it was when the snapshot began, every transaction committed before it and
// none after. It is written to a temporary file beside the destination, checked with
// PRAGMA integrity_check, flushed to disk, then renamed: the destination's name never holds half
// a backup. The backup is a single file (rollback journal mode, no -wal beside it).
//
// A restore checks the backup (sound, an Arrimage database, its audit chain intact), copies it
// beside the target the same way, and renames it over the target. The server must be stopped:
// a target still open by a process is refused.
//
// PostgreSQL is backed up with its own tools (pg_dump, pg_basebackup): `arrimage backup` says how.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace arrimage::store {

// "sqlite:PATH" gives PATH and a bare path itself; nullopt for a PostgreSQL URL
// ("postgresql://", "postgres://", "pg:") or an in-memory database.
std::optional<std::string> sqlite_file_of(const std::string& url_or_path);
bool is_postgres_url(const std::string& url);

enum class FileOutcome {
    done,
    refused,  // bad input (a missing file, an existing destination without overwrite, ...): nothing written
    failed,   // the copy or its check failed: nothing left under the destination's name
};

struct BackupOptions {
    bool overwrite = false;     // replace an existing destination
    int pages_per_step = 1024;  // pages copied per step of the backup API (4 MB at SQLite's 4 kB pages)
    // Called after each step with the pages left and the total, while the snapshot is held.
    std::function<void(int remaining, int total)> after_step;
};

struct BackupResult {
    FileOutcome outcome = FileOutcome::failed;
    std::string message;  // English, for operators: why it was refused or failed; empty when done
    std::string path;     // the file written
    std::uintmax_t bytes = 0;
    int pages = 0;
    bool ok() const { return outcome == FileOutcome::done; }
};

// Backs up the SQLite database at `source` (a path or sqlite:PATH) to the file `destination`.
BackupResult backup_sqlite(const std::string& source, const std::string& destination, const BackupOptions& options = {});

struct RestoreResult {
    FileOutcome outcome = FileOutcome::failed;
    std::string message;  // English, for operators
    int schema_version = 0;
    std::int64_t audit_rows = 0;  // rows of the audit chain verified in the restored copy
    std::uintmax_t bytes = 0;
    bool ok() const { return outcome == FileOutcome::done; }
};

// Restores the backup file `backup` as the SQLite database `target` (a path or sqlite:PATH).
// Refuses, changing nothing: a backup that is not a sound SQLite database, not an Arrimage
// database (no schema_migrations table), or whose audit chain does not verify; an existing
// target unless `overwrite`; a target some process still has open (the server is running).
// Stale -wal and -shm files of the old target are removed with it.
RestoreResult restore_sqlite(const std::string& backup, const std::string& target, bool overwrite);

}  // namespace arrimage::store
