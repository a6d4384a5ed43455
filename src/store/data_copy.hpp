#pragma once
// Moving an SQLite deployment to PostgreSQL (`arrimage migrate-data`): every row of every table,
// copied verbatim, so that ids, timestamps and the audit chain's hashes are the same on the
// target and the chain verifies there.
//
// What is copied: the tables of the SQLite database but SQLite's own (sqlite_*), the full-text
// index (the FTS5 table and its shadow tables: PostgreSQL keeps its own as a generated tsvector
// column of services, filled as the rows arrive) and schema_migrations (the target has its
// own). Parents before children (foreign keys), each table's rows in rowid (id) order so that a
// row referring to an earlier row of its table finds it. Values travel as text and PostgreSQL
// reads them into its column types (bytea from hex). The identity sequences then restart after
// the highest id of their table.
//
// All or nothing: one write transaction on the target, which a failure rolls back. Refused with
// nothing written: the two databases at different schema versions, a target holding data (the
// rows the migrations themselves insert, such as the taxonomy and the default indicators, do not
// count: they are replaced by the source's), a table or column of the source without its
// counterpart in the target, an audit chain already broken in the source.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/audit_repo.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct TableCopy {
    std::string table;
    std::int64_t rows = 0;
};

struct CopyReport {
    std::string refused;  // English, for operators; empty when copied
    int schema_version = 0;
    std::vector<TableCopy> tables;  // in the order copied
    std::int64_t rows = 0;
    AuditVerification source_audit;  // the source's chain, verified before the copy
    std::string analyze_error;       // ANALYZE on the target failed after the commit (the copy stands)
    bool ok() const { return refused.empty(); }
};

// `from`: an SQLite database; `to`: a PostgreSQL database migrated to the same version and
// empty. `progress` is called after each table. Driver failures throw DbError, the target's
// transaction rolled back. Runs ANALYZE on the target after the commit.
CopyReport copy_database(Database& from, Database& to, const std::function<void(const TableCopy&)>& progress = {});

}  // namespace arrimage::store
