#include "store/data_copy.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "store/migrate.hpp"

namespace arrimage::store {

namespace {

// Rows read from the source and inserted into the target per statement, at most (and at most
// max_params_per_insert values per statement: PostgreSQL takes 65,535 parameters).
constexpr std::size_t rows_per_batch = 500;
constexpr std::size_t max_params_per_insert = 20000;

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// The highest migration applied, read without creating anything (store::current_version
// creates the bookkeeping table when it is missing); 0 when the database has none.
int schema_version(Database& db) {
    auto tx = db.begin(TxMode::read);
    const auto has = tx->query_one(db.dialect() == Dialect::sqlite
                                       ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                                       : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                                         "AND table_name = 'schema_migrations'");
    if (!has || has->i64(0) == 0) return 0;
    const auto v = tx->query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return v ? static_cast<int>(v->i64(0)) : 0;
}

// Tables the PostgreSQL migrations themselves fill (the taxonomy, the default indicators, the
// directory's version counter): a freshly migrated database has rows there, so they do not make
// the target "hold data", and the source's rows replace them.
std::set<std::string> tables_filled_by_migrations() {
    static const std::regex insert(R"(INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*))", std::regex::icase);
    std::set<std::string> out;
    for (const auto& m : migrations_for(Dialect::postgres)) {
        const std::string sql(m.sql);
        for (auto it = std::sregex_iterator(sql.begin(), sql.end(), insert); it != std::sregex_iterator(); ++it)
            out.insert((*it)[1].str());
    }
    return out;
}

struct SourceTable {
    std::string name;
    std::vector<std::string> columns;
    std::set<std::string> parents;  // tables its foreign keys refer to, itself excluded
};

struct TargetColumn {
    std::string type;  // information_schema data_type
    bool generated = false;
    bool identity_always = false;
    bool sequence = false;  // an identity or serial column: its sequence restarts after the copy
};

std::vector<SourceTable> source_tables(Tx& src) {
    std::vector<SourceTable> out;
    // type 'table' leaves out the FTS5 table ('virtual') and its 'shadow' tables.
    for (const auto& t :
         src.query("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' "
                   "AND name <> 'schema_migrations' ORDER BY name")) {
        SourceTable table{t.str(0), {}, {}};
        for (const auto& c : src.query("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", {table.name}))
            table.columns.push_back(c.str(0));
        for (const auto& f : src.query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", {table.name}))
            if (f.str(0) != table.name) table.parents.insert(f.str(0));
        out.push_back(std::move(table));
    }
    return out;
}

std::map<std::string, std::map<std::string, TargetColumn>> target_tables(Tx& dst) {
    std::map<std::string, std::map<std::string, TargetColumn>> out;
    for (const auto& t : dst.query(
             "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE "
             "TABLE'"))
        out[t.str(0)];
    for (const auto& c :
         dst.query("SELECT table_name, column_name, data_type, is_generated, is_identity, COALESCE(identity_generation, ''), "
                   "COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = current_schema()")) {
        auto it = out.find(c.str(0));
        if (it == out.end()) continue;  // a view's
        TargetColumn col;
        col.type = c.str(2);
        col.generated = c.str(3) == "ALWAYS";
        col.identity_always = c.str(4) == "YES" && c.str(5) == "ALWAYS";
        col.sequence = c.str(4) == "YES" || c.str(6).rfind("nextval(", 0) == 0;
        it->second[c.str(1)] = col;
    }
    return out;
}

// Parents first; among tables free to go, by name. Empty when the foreign keys form a cycle
// (`cycle` then names its tables).
std::vector<const SourceTable*> in_dependency_order(const std::vector<SourceTable>& tables, std::string& cycle) {
    std::map<std::string, const SourceTable*> by_name;
    for (const auto& t : tables) by_name[t.name] = &t;
    std::map<std::string, int> waiting;  // parents not yet placed
    std::map<std::string, std::vector<std::string>> children;
    for (const auto& t : tables) {
        waiting[t.name] = 0;
        for (const auto& p : t.parents) {
            if (!by_name.contains(p)) continue;
            ++waiting[t.name];
            children[p].push_back(t.name);
        }
    }
    std::set<std::string> ready;
    for (const auto& [name, n] : waiting)
        if (n == 0) ready.insert(name);
    std::vector<const SourceTable*> out;
    while (!ready.empty()) {
        const std::string next = *ready.begin();
        ready.erase(ready.begin());
        out.push_back(by_name[next]);
        for (const auto& c : children[next])
            if (--waiting[c] == 0) ready.insert(c);
    }
    if (out.size() == tables.size()) return out;
    for (const auto& [name, n] : waiting)
        if (n > 0) cycle += (cycle.empty() ? "" : ", ") + name;
    return {};
}

std::string hex_bytea(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out = "\\x";
    out.reserve(2 + bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

std::string insert_statement(const std::string& table, const std::vector<std::string>& columns, bool overriding,
                             std::size_t rows) {
    std::string sql = "INSERT INTO " + quoted(table) + " (";
    std::string one = "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        sql += (i ? ", " : "") + quoted(columns[i]);
        one += i ? ", ?" : "?";
    }
    one += ")";
    sql += ")";
    if (overriding) sql += " OVERRIDING SYSTEM VALUE";
    sql += " VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += (r ? ", " : "") + one;
    return sql;
}

// Copies one table's rows in rowid order, a batch at a time; returns how many.
std::int64_t copy_table(Tx& src, Tx& dst, const SourceTable& table, const std::map<std::string, TargetColumn>& target) {
    bool overriding = false;
    std::vector<bool> bytea;
    for (const auto& c : table.columns) {
        const auto& col = target.at(c);
        overriding = overriding || col.identity_always;
        bytea.push_back(col.type == "bytea");
    }
    const std::size_t batch = std::max<std::size_t>(1, std::min(rows_per_batch, max_params_per_insert / table.columns.size()));
    std::string select = "SELECT rowid";
    for (const auto& c : table.columns) select += ", " + quoted(c);
    select += " FROM " + quoted(table.name) + " WHERE rowid > ? ORDER BY rowid LIMIT " + std::to_string(batch);

    std::int64_t copied = 0;
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        const auto rows = src.query(select, {after});
        if (rows.empty()) break;
        Params params;
        params.reserve(rows.size() * table.columns.size());
        for (const auto& r : rows) {
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                const auto v = r.opt_str(i + 1);
                if (!v)
                    params.emplace_back(Null{});
                else
                    params.emplace_back(bytea[i] ? hex_bytea(*v) : *v);
            }
        }
        dst.exec(insert_statement(table.name, table.columns, overriding, rows.size()), params);
        copied += static_cast<std::int64_t>(rows.size());
        after = rows.back().i64(0);
        if (rows.size() < batch) break;
    }
    return copied;
}

}  // namespace

CopyReport copy_database(Database& from, Database& to, const std::function<void(const TableCopy&)>& progress) {
    CopyReport report;
    auto refuse = [&](std::string why) {
        report.refused = std::move(why) + " Nothing was copied.";
        return report;
    };
    if (from.dialect() != Dialect::sqlite) return refuse("The source must be an SQLite database (sqlite:PATH).");
    if (to.dialect() != Dialect::postgres) return refuse("The target must be a PostgreSQL database (postgresql://...).");

    const int source_version = schema_version(from);
    const int target_version = schema_version(to);
    if (source_version == 0) return refuse("The source is not an Arrimage database: it has no applied migration.");
    if (target_version == 0)
        return refuse("The target has no Arrimage schema yet: run `arrimage migrate --database-url TARGET` first.");
    if (source_version != target_version)
        return refuse("The source is at schema version " + std::to_string(source_version) + " and the target at " +
                      std::to_string(target_version) +
                      ": both must be at the same version. Run `arrimage migrate` on the one behind, with this same "
                      "version of Arrimage, and try again.");
    report.schema_version = source_version;

    report.source_audit = verify_audit_chain(from);
    if (!report.source_audit.intact()) {
        const auto& b = *report.source_audit.broken;
        return refuse("The source's audit chain is broken at row " + std::to_string(b.id) + " (" + std::string(code(b.kind)) +
                      "): " + b.detail + ". Investigate with `arrimage audit verify` before moving the data.");
    }

    // One snapshot of the source for the whole copy, one transaction on the target.
    auto src = from.begin(TxMode::read);
    auto dst = to.begin(TxMode::write);
    plan_for_bulk_writes(*dst);
    // The rows are copied as they are, directory_version's included: its triggers (V009) are
    // told that this transaction has already moved it.
    dst->query("SELECT set_config('arrimage.directory_bumped', 'yes', true)");

    const auto tables = source_tables(*src);
    const auto target = target_tables(*dst);
    for (const auto& t : tables) {
        const auto it = target.find(t.name);
        if (it == target.end()) return refuse("The source's table " + t.name + " does not exist in the target.");
        for (const auto& c : t.columns)
            if (!it->second.contains(c) || it->second.at(c).generated)
                return refuse("The source's column " + t.name + "." + c + " does not exist in the target.");
        for (const auto& [c, col] : it->second)
            if (!col.generated && std::find(t.columns.begin(), t.columns.end(), c) == t.columns.end())
                return refuse("The target's column " + t.name + "." + c + " does not exist in the source.");
    }

    const auto filled_by_migrations = tables_filled_by_migrations();
    for (const auto& [name, columns] : target) {
        if (name == "schema_migrations" || filled_by_migrations.contains(name)) continue;
        if (dst->query_one("SELECT 1 FROM " + quoted(name) + " LIMIT 1"))
            return refuse("The target already holds data (its table " + name +
                          " has rows): the data is only copied into a freshly migrated, empty database.");
    }

    std::string cycle;
    const auto order = in_dependency_order(tables, cycle);
    if (order.empty() && !tables.empty())
        return refuse("The foreign keys of the tables " + cycle + " refer to each other in a cycle: no order to copy them in.");

    // The migrations' own rows give way to the source's, children first.
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        if (filled_by_migrations.contains((*it)->name)) dst->exec("DELETE FROM " + quoted((*it)->name));

    for (const auto* t : order) {
        TableCopy copied{t->name, copy_table(*src, *dst, *t, target.at(t->name))};
        report.rows += copied.rows;
        report.tables.push_back(copied);
        if (progress) progress(copied);
    }

    // Identity sequences restart after the highest id copied (at 1 in an empty table).
    for (const auto* t : order)
        for (const auto& [c, col] : target.at(t->name))
            if (col.sequence)
                dst->query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" + quoted(c) + ") FROM " +
                               quoted(t->name) + "), 0) + 1, false)",
                           {quoted(t->name), c});
    src->commit();
    dst->commit();
    // A PostgreSQL transaction keeps its connection until destroyed, and ANALYZE needs one.
    src.reset();
    dst.reset();

    try {
        analyze(to);
    } catch (const DbError& e) {
        report.analyze_error = e.what();
    }
    return report;
}

}  // namespace arrimage::store
