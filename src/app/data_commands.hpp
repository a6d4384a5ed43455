#pragma once
// The operators' data commands: `arrimage backup`, `arrimage restore` and `arrimage migrate-data`
// (store/backup.hpp, store/data_copy.hpp). Each prints English sentences and returns the process's
// exit status: 0 done, 1 failed, 2 refused (bad input; nothing changed).
#include <ostream>
#include <string>

namespace arrimage::app {

// Backs up the SQLite database of `database_url` to the file `destination` (replacing it only
// with `force`). For a PostgreSQL URL, prints the pg_dump and pg_basebackup commands to use and
// returns 2.
int run_backup(const std::string& database_url, const std::string& destination, bool force, std::ostream& out, std::ostream& err);

// Restores the backup file `backup` as the SQLite database of `database_url` (the server
// stopped; an existing database is replaced only with `force`).
int run_restore(const std::string& backup, const std::string& database_url, bool force, std::ostream& out, std::ostream& err);

// Copies every row of the SQLite database `from_url` into the PostgreSQL database `to_url`
// (migrated to the same version, empty), printing each table copied, then checks the audit
// chain on the target.
int run_migrate_data(const std::string& from_url, const std::string& to_url, std::ostream& out, std::ostream& err);

}  // namespace arrimage::app
