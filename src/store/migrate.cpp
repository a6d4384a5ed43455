#include "store/migrate.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string_view>

#include "core/time.hpp"

namespace arrimage::embedded {
const std::map<std::string, std::string_view>& migrations();
}

namespace arrimage::store {

std::vector<Migration> migrations_for(Dialect d) {
    const std::string prefix = d == Dialect::sqlite ? "sqlite/V" : "pg/V";
    std::vector<Migration> out;
    for (const auto& [path, sql] : embedded::migrations()) {
        if (path.rfind(prefix, 0) != 0) continue;
        const std::string rest = path.substr(prefix.size());
        const auto sep = rest.find("__");
        out.push_back({std::stoi(rest.substr(0, sep)), rest.substr(sep + 2, rest.size() - sep - 6), sql});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

static void ensure_table(Database& db) {
    auto tx = db.begin(TxMode::write);
    tx->exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)");
    tx->commit();
}

int current_version(Database& db) {
    ensure_table(db);
    auto tx = db.begin(TxMode::read);
    auto row = tx->query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    tx->commit();
    return static_cast<int>(row ? row->i64(0) : 0);
}

// Every shipped migration not recorded as applied, in version order: a migration that lands
// with a lower number than one already applied is still applied.
std::vector<Migration> pending_migrations(Database& db) {
    ensure_table(db);
    std::set<int> applied;
    {
        auto tx = db.begin(TxMode::read);
        for (const auto& r : tx->query("SELECT version FROM schema_migrations")) applied.insert(static_cast<int>(r.i64(0)));
        tx->commit();
    }
    auto all = migrations_for(db.dialect());
    std::erase_if(all, [&](const Migration& m) { return applied.contains(m.version); });
    return all;
}

std::vector<int> migrate(Database& db) {
    std::vector<int> applied;
    for (const auto& m : pending_migrations(db)) {
        auto tx = db.begin(TxMode::write);
        tx->lock("schema_migrations");
        // Another node may have applied it while we waited for the lock.
        if (tx->query_one("SELECT 1 FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}})) {
            tx->commit();
            continue;
        }
        tx->exec_script(m.sql);
        tx->exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                 {std::int64_t{m.version}, m.name, format_iso(std::chrono::system_clock::now())});
        tx->commit();
        applied.push_back(m.version);
    }
    return applied;
}

}  // namespace arrimage::store
