#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/connect.hpp"

namespace arrimage::store {

namespace {

// How long a transaction waits for the database lock (and a writer for the writing connection).
constexpr int busy_timeout_ms = 10000;

struct DbTimer {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~DbTimer() {
        thread_db_nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    }
};

DbError error_from(sqlite3* db, int rc) {
    const std::string msg = sqlite3_errmsg(db);
    switch (sqlite3_extended_errcode(db)) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return DbError(DbError::Kind::unique_violation, msg);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return DbError(DbError::Kind::foreign_key_violation, msg);
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL:
            return DbError(DbError::Kind::check_violation, msg);
        default:
            break;
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return DbError(DbError::Kind::busy, msg);
    return DbError(DbError::Kind::other, msg);
}

// Before the library's first use in the process: no memory statistics. With them on, every
// allocation inside SQLite takes one process-wide mutex, which the io threads then contend
// for on every statement.
void configure_library_once() {
    static const bool done = [] {
        (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // refused (harmlessly) if already initialised
        return true;
    }();
    (void)done;
}

}  // namespace

struct SqliteConn {
    sqlite3* db = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> stmts;

    explicit SqliteConn(const std::string& path) {
        configure_library_once();
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
        if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
            const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close_v2(db);
            throw DbError(DbError::Kind::unavailable, "cannot open SQLite database: " + msg);
        }
        sqlite3_busy_timeout(db, busy_timeout_ms);
        sqlite3_extended_result_codes(db, 1);
        run("PRAGMA journal_mode=WAL");
        run("PRAGMA foreign_keys=ON");
        run("PRAGMA synchronous=FULL");
        // Memory-mapped reads and a 16 MB page cache per connection: directory search reads
        // much of the services table, and the 2 MB default made every connection re-read it.
        run("PRAGMA mmap_size=268435456");
        run("PRAGMA cache_size=-16384");
    }
    ~SqliteConn() {
        for (auto& [_, s] : stmts) sqlite3_finalize(s);
        sqlite3_close_v2(db);
    }
    SqliteConn(const SqliteConn&) = delete;
    SqliteConn& operator=(const SqliteConn&) = delete;

    // BEGIN/COMMIT/ROLLBACK through the statement cache: they run on every request.
    void step_cached(const char* sql) {
        sqlite3_stmt* s = prepare(sql);
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) throw error_from(db, rc);
    }

    void run(const char* sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : "error";
            sqlite3_free(err);
            throw error_from(db, rc);
        }
    }

    sqlite3_stmt* prepare(std::string_view sql) {
        std::string key(sql);
        if (auto it = stmts.find(key); it != stmts.end()) {
            sqlite3_reset(it->second);
            sqlite3_clear_bindings(it->second);
            return it->second;
        }
        // Bounded: searches build many different statements.
        if (stmts.size() >= 512) {
            for (auto& [_, old] : stmts) sqlite3_finalize(old);
            stmts.clear();
        }
        sqlite3_stmt* s = nullptr;
        const int rc = sqlite3_prepare_v3(db, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
        if (rc != SQLITE_OK) throw error_from(db, rc);
        stmts.emplace(std::move(key), s);
        return s;
    }

    sqlite3_stmt* bind(std::string_view sql, const Params& params) {
        sqlite3_stmt* s = prepare(sql);
        if (sqlite3_bind_parameter_count(s) != static_cast<int>(params.size()))
            throw DbError(DbError::Kind::other, "parameter count mismatch");
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int idx = static_cast<int>(i + 1);
            int rc = SQLITE_OK;
            if (std::holds_alternative<Null>(params[i]))
                rc = sqlite3_bind_null(s, idx);
            else if (auto* n = std::get_if<std::int64_t>(&params[i]))
                rc = sqlite3_bind_int64(s, idx, *n);
            else {
                const auto& str = std::get<std::string>(params[i]);
                rc = sqlite3_bind_text(s, idx, str.data(), static_cast<int>(str.size()), SQLITE_TRANSIENT);
            }
            if (rc != SQLITE_OK) throw error_from(db, rc);
        }
        return s;
    }
};

namespace {

class SqliteTx final : public Tx {
  public:
    SqliteTx(Pool<SqliteConn>& pool, SqliteConn* c, TxMode mode) : pool_(pool), c_(c), mode_(mode) {
        try {
            c_->step_cached(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN");
        } catch (...) {
            driver_counters().begin_failures.fetch_add(1, std::memory_order_relaxed);
            pool_.release(c_);
            throw;
        }
    }
    // A read transaction refuses a statement that writes, as PostgreSQL's READ ONLY does (SQLite
    // would take the write lock and let it through): a read route cannot write by mistake.
    sqlite3_stmt* writable(sqlite3_stmt* s) const {
        if (mode_ == TxMode::read && !sqlite3_stmt_readonly(s))
            throw DbError(DbError::Kind::other, std::string("a statement that writes in a read transaction: ") +
                                                    std::string(sqlite3_sql(s)).substr(0, 80));
        return s;
    }

    // The connection goes back to its pool when the transaction ends (commit, rollback or
    // destruction), so a committed transaction still in scope holds no connection: the one
    // writing connection is free for the next write at once.
    ~SqliteTx() override {
        if (!done_) {
            try {
                c_->step_cached("ROLLBACK");
            } catch (...) {
            }
        }
        release();
    }

    std::vector<Row> query(std::string_view sql, const Params& params) override {
        DbTimer timer;
        sqlite3_stmt* s = writable(conn().bind(sql, params));
        std::vector<Row> rows;
        for (;;) {
            const int rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) {
                DbError e = error_from(conn().db, rc);
                sqlite3_reset(s);
                throw e;
            }
            const int n = sqlite3_column_count(s);
            std::vector<std::optional<std::string>> cols;
            cols.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                if (sqlite3_column_type(s, i) == SQLITE_NULL) {
                    cols.emplace_back(std::nullopt);
                } else {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
                    cols.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i))));
                }
            }
            rows.emplace_back(std::move(cols));
        }
        sqlite3_reset(s);
        return rows;
    }

    std::int64_t exec(std::string_view sql, const Params& params) override {
        DbTimer timer;
        sqlite3_stmt* s = writable(conn().bind(sql, params));
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            DbError e = error_from(conn().db, rc);
            sqlite3_reset(s);
            throw e;
        }
        sqlite3_reset(s);
        return sqlite3_changes64(conn().db);
    }

    void exec_script(std::string_view sql) override { conn().run(std::string(sql).c_str()); }

    void commit() override {
        conn().step_cached("COMMIT");
        done_ = true;
        release();
    }
    void rollback() override {
        if (done_) return;
        done_ = true;
        try {
            c_->step_cached("ROLLBACK");
        } catch (...) {
            release();
            throw;
        }
        release();
    }
    Dialect dialect() const override { return Dialect::sqlite; }
    TxMode mode() const override { return mode_; }
    void lock(std::string_view) override {}

  private:
    SqliteConn& conn() const {
        if (!c_) throw DbError(DbError::Kind::other, "a statement after the transaction ended");
        return *c_;
    }
    void release() {
        if (c_) pool_.release(std::exchange(c_, nullptr));
    }
    Pool<SqliteConn>& pool_;
    SqliteConn* c_;
    TxMode mode_;
    bool done_ = false;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, int pool_size) {
    // An in-memory database exists per connection, so it gets exactly one.
    memory_ = path == ":memory:";
    const int n = memory_ ? 1 : std::max(1, pool_size);
    for (int i = 0; i < n; ++i) pool_.add(std::make_unique<SqliteConn>(path));
    if (!memory_) writer_.add(std::make_unique<SqliteConn>(path));
}

SqliteDatabase::~SqliteDatabase() {
    close();
}

std::unique_ptr<Tx> SqliteDatabase::begin(TxMode mode) {
    if (closed_) throw DbError(DbError::Kind::unavailable, "database is closed");
    if (mode == TxMode::read || memory_) return std::make_unique<SqliteTx>(pool_, pool_.acquire(), mode);
    // As long as the busy timeout a second writer would wait for SQLite's lock.
    auto* c = writer_.acquire_for(std::chrono::milliseconds(busy_timeout_ms));
    if (!c) throw DbError(DbError::Kind::busy, "database is busy: another write transaction did not end in time");
    return std::make_unique<SqliteTx>(writer_, c, mode);
}

void SqliteDatabase::close() {
    if (closed_.exchange(true)) return;
    pool_.drain();
    if (!memory_) writer_.drain();
}

}  // namespace arrimage::store
