#include "app/data_commands.hpp"

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>

#include "store/audit_repo.hpp"
#include "store/backup.hpp"
#include "store/data_copy.hpp"
#include "store/db.hpp"

namespace arrimage::app {

namespace {

// For a shell: between single quotes.
std::string shell_quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

// A PostgreSQL URL or keyword string as libpq's tools take it, without its password (printed
// commands end up in shell histories and tickets). `had_password` tells whether one was removed.
std::string libpq_target_without_password(const std::string& url, bool& had_password) {
    std::string target = url.rfind("pg:", 0) == 0 ? url.substr(3) : url;
    static const std::regex url_password(R"(^(postgres(?:ql)?://[^:@/?]*):[^@/?]*@)");
    static const std::regex keyword_password(R"((^|\s)password\s*=\s*('[^']*'|\S+))");
    const std::string without = std::regex_replace(std::regex_replace(target, url_password, "$1@"), keyword_password, "$1");
    had_password = without != target;
    return without;
}

void print_postgres_backup_tools(const std::string& url, const std::string& destination, std::ostream& err) {
    bool had_password = false;
    const std::string target = shell_quoted(libpq_target_without_password(url, had_password));
    const std::string dump = destination.empty() ? "arrimage.dump" : destination;
    err << "This is a PostgreSQL database: it is backed up with PostgreSQL's own tools, not with arrimage backup.\n"
        << "A logical backup, in one file, restored with pg_restore:\n"
        << "  pg_dump --format=custom --file=" << shell_quoted(dump) << " --dbname=" << target << "\n"
        << "A physical base backup, which with WAL archiving allows point-in-time recovery:\n"
        << "  pg_basebackup --dbname=" << target << " --pgdata=" << shell_quoted(dump + ".base")
        << " --format=tar --gzip --wal-method=stream --checkpoint=fast --progress\n";
    if (had_password) err << "The password was left out of these commands: give it in PGPASSWORD or in ~/.pgpass.\n";
}

}  // namespace

int run_backup(const std::string& database_url, const std::string& destination, bool force, std::ostream& out,
               std::ostream& err) {
    if (store::is_postgres_url(database_url)) {
        print_postgres_backup_tools(database_url, destination, err);
        return 2;
    }
    try {
        store::BackupOptions options;
        options.overwrite = force;
        const auto r = store::backup_sqlite(database_url, destination, options);
        if (!r.ok()) {
            err << r.message << "\n";
            return r.outcome == store::FileOutcome::refused ? 2 : 1;
        }
        out << "Backup written to " << r.path << ": " << r.bytes << " bytes, " << r.pages
            << " pages; it passed the integrity check.\n";
        return 0;
    } catch (const std::exception& e) {
        err << "The backup failed and was not written: " << e.what() << "\n";
        return 1;
    }
}

int run_restore(const std::string& backup, const std::string& database_url, bool force, std::ostream& out, std::ostream& err) {
    try {
        const auto r = store::restore_sqlite(backup, database_url, force);
        if (!r.ok()) {
            err << r.message << "\n";
            return r.outcome == store::FileOutcome::refused ? 2 : 1;
        }
        out << "Restored " << backup << " as " << *store::sqlite_file_of(database_url) << ": schema version " << r.schema_version
            << ", audit chain intact (" << r.audit_rows << " rows). The server can be started.\n";
        return 0;
    } catch (const std::exception& e) {
        err << "The restore failed and nothing was replaced: " << e.what() << "\n";
        return 1;
    }
}

int run_migrate_data(const std::string& from_url, const std::string& to_url, std::ostream& out, std::ostream& err) {
    const auto source = store::sqlite_file_of(from_url);
    if (from_url.rfind("sqlite:", 0) != 0 || !source) {
        err << "--from must name the SQLite database to move (sqlite:PATH).\n";
        return 2;
    }
    if (std::error_code ec; !std::filesystem::is_regular_file(*source, ec)) {
        err << "There is no SQLite database at " << *source << ".\n";
        return 2;
    }
    if (!store::is_postgres_url(to_url)) {
        err << "--to must name the PostgreSQL database to move to (postgresql://...).\n";
        return 2;
    }
    std::unique_ptr<store::Database> from, to;
    try {
        from = store::open_database(from_url, 1);
        to = store::open_database(to_url, 1);
    } catch (const std::exception& e) {
        err << "Cannot open the databases: " << e.what() << "\n";
        return 1;
    }
    store::CopyReport report;
    try {
        report = store::copy_database(*from, *to, [&](const store::TableCopy& t) {
            out << "Copied " << t.rows << (t.rows == 1 ? " row" : " rows") << " of " << t.table << ".\n";
            out.flush();
        });
    } catch (const std::exception& e) {
        err << "The copy failed and nothing was written to the target: " << e.what() << "\n";
        return 1;
    }
    if (!report.ok()) {
        err << report.refused << "\n";
        return 2;
    }
    if (!report.analyze_error.empty())
        err << "The planner's statistics could not be refreshed on the target (" << report.analyze_error
            << "); autovacuum will refresh them.\n";

    // The chain as copied, up to the source's head unchanged.
    store::AuditVerification verified;
    try {
        std::optional<store::AuditAnchor> anchor;
        if (report.source_audit.rows > 0) anchor = report.source_audit.head;
        verified = store::verify_audit_chain(*to, anchor);
    } catch (const std::exception& e) {
        err << "The rows were copied but the audit chain could not be read on the target: " << e.what() << "\n";
        return 1;
    }
    if (!verified.intact() || verified.rows != report.source_audit.rows) {
        err << "The rows were copied but the audit chain does NOT verify on the target";
        if (verified.broken)
            err << ": broken at row " << verified.broken->id << " (" << store::code(verified.broken->kind)
                << "): " << verified.broken->detail;
        else
            err << ": " << verified.rows << " rows instead of the source's " << report.source_audit.rows;
        err << ". Do not use the target: drop it, create and migrate it again, then repeat the copy.\n";
        return 1;
    }
    out << "Copied " << report.rows << " rows in " << report.tables.size() << " tables from " << *source
        << " to the PostgreSQL database (schema version " << report.schema_version
        << "). The audit chain verified on the target: " << verified.rows << " rows, head " << verified.head.id << ":"
        << verified.head.hash << ", the same as the source's.\n";
    return 0;
}

}  // namespace arrimage::app
