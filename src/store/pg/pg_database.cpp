#include "store/pg/pg_database.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <string>
#include <unordered_map>

#include "store/connect.hpp"

namespace arrimage::store {

std::string pg_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
            out.push_back(c);
        } else if (c == '\'' || c == '"') {
            quote = c;
            out.push_back(c);
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

struct DbTimer {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~DbTimer() {
        thread_db_nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    }
};

DbError error_from(PGconn* conn, const PGresult* res) {
    const std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string s = state ? state : "";
    if (s == "23505") return DbError(DbError::Kind::unique_violation, msg);
    if (s == "23503") return DbError(DbError::Kind::foreign_key_violation, msg);
    if (s == "23514" || s == "23502") return DbError(DbError::Kind::check_violation, msg);
    if (s == "40001" || s == "40P01" || s == "55P03") return DbError(DbError::Kind::busy, msg);
    if (PQstatus(conn) != CONNECTION_OK || s.rfind("08", 0) == 0) return DbError(DbError::Kind::unavailable, msg);
    return DbError(DbError::Kind::other, msg);
}

struct Res {
    PGresult* r;
    explicit Res(PGresult* res) : r(res) {}
    ~Res() { PQclear(r); }
    Res(const Res&) = delete;
    Res& operator=(const Res&) = delete;
};

}  // namespace

struct PgConn {
    PGconn* conn = nullptr;
    std::string conninfo;
    std::unordered_map<std::string, std::string> prepared;  // sql → statement name
    std::uint64_t generation = 0;

    explicit PgConn(std::string info) : conninfo(std::move(info)) { connect(); }
    ~PgConn() { PQfinish(conn); }
    PgConn(const PgConn&) = delete;
    PgConn& operator=(const PgConn&) = delete;

    void connect() {
        if (conn) PQfinish(conn);
        prepared.clear();
        conn = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            DbError e(DbError::Kind::unavailable, std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn));
            PQfinish(conn);  // also when thrown from the constructor, whose destructor will not run
            conn = nullptr;
            throw e;
        }
        run("SET client_min_messages = warning");
    }
    void ensure_connected() {
        if (PQstatus(conn) != CONNECTION_OK) connect();
    }
    void run(const char* sql) {
        Res res(PQexec(conn, sql));
        const auto st = PQresultStatus(res.r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw error_from(conn, res.r);
    }

    PGresult* execute(std::string_view sql, const Params& params) {
        std::string key(sql);
        auto it = prepared.find(key);
        if (it == prepared.end()) {
            // Bounded: searches build many different statements.
            if (prepared.size() >= 512) {
                run("DEALLOCATE ALL");
                prepared.clear();
                ++generation;
            }
            std::string name = "s" + std::to_string(generation) + "_" + std::to_string(prepared.size());
            const std::string text = pg_placeholders(sql);
            Res res(PQprepare(conn, name.c_str(), text.c_str(), 0, nullptr));
            if (PQresultStatus(res.r) != PGRES_COMMAND_OK) throw error_from(conn, res.r);
            it = prepared.emplace(std::move(key), std::move(name)).first;
        }
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (auto* n = std::get_if<std::int64_t>(&params[i])) {
                storage[i] = std::to_string(*n);
                values[i] = storage[i].c_str();
            } else if (auto* s = std::get_if<std::string>(&params[i])) {
                values[i] = s->c_str();
            }
        }
        PGresult* r =
            PQexecPrepared(conn, it->second.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0);
        const auto st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            DbError e = error_from(conn, r);
            PQclear(r);
            throw e;
        }
        return r;
    }
};

namespace {

class PgTx final : public Tx {
  public:
    PgTx(Pool<PgConn>& pool, TxMode mode) : pool_(pool), c_(pool.acquire()), mode_(mode) {
        try {
            begin();
        } catch (...) {
            driver_counters().begin_failures.fetch_add(1, std::memory_order_relaxed);
            pool_.release(c_);
            throw;
        }
    }
    ~PgTx() override {
        if (!done_) {
            try {
                c_->run("ROLLBACK");
            } catch (...) {
            }
        }
        pool_.release(c_);
    }

    std::vector<Row> query(std::string_view sql, const Params& params) override {
        DbTimer timer;
        Res res(c_->execute(sql, params));
        const int nrows = PQntuples(res.r);
        const int ncols = PQnfields(res.r);
        std::vector<Row> rows;
        rows.reserve(static_cast<std::size_t>(nrows));
        for (int r = 0; r < nrows; ++r) {
            std::vector<std::optional<std::string>> cols;
            cols.reserve(static_cast<std::size_t>(ncols));
            for (int c = 0; c < ncols; ++c) {
                if (PQgetisnull(res.r, r, c))
                    cols.emplace_back(std::nullopt);
                else
                    cols.emplace_back(std::string(PQgetvalue(res.r, r, c), static_cast<std::size_t>(PQgetlength(res.r, r, c))));
            }
            rows.emplace_back(std::move(cols));
        }
        return rows;
    }

    std::int64_t exec(std::string_view sql, const Params& params) override {
        DbTimer timer;
        Res res(c_->execute(sql, params));
        const char* n = PQcmdTuples(res.r);
        return (n && *n) ? std::stoll(n) : 0;
    }

    void exec_script(std::string_view sql) override { c_->run(std::string(sql).c_str()); }

    void commit() override {
        done_ = true;
        c_->run("COMMIT");
    }
    void rollback() override {
        if (done_) return;
        done_ = true;
        c_->run("ROLLBACK");
    }
    Dialect dialect() const override { return Dialect::postgres; }
    TxMode mode() const override { return mode_; }

    void lock(std::string_view name) override {
        std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
        for (unsigned char ch : name) h = (h ^ ch) * 1099511628211ULL;
        query("SELECT pg_advisory_xact_lock(?::bigint)", {static_cast<std::int64_t>(h)});
    }

  private:
    // A pooled connection whose server went away (a restart, a terminated backend) still says
    // CONNECTION_OK until a statement fails on it. When BEGIN fails because the connection is
    // gone, nothing of this transaction has been sent: connect again and try once more, so that
    // the first request after a restart is served instead of answered 503.
    void begin() {
        const char* sql = mode_ == TxMode::write ? "BEGIN" : "BEGIN READ ONLY";
        try {
            c_->ensure_connected();
            c_->run(sql);
            return;
        } catch (const DbError& e) {
            if (e.kind() != DbError::Kind::unavailable) throw;
        }
        driver_counters().reconnects.fetch_add(1, std::memory_order_relaxed);
        c_->connect();
        c_->run(sql);
    }

    Pool<PgConn>& pool_;
    PgConn* c_;
    TxMode mode_;
    bool done_ = false;
};

}  // namespace

PgDatabase::PgDatabase(const std::string& conninfo, int pool_size) {
    for (int i = 0; i < std::max(1, pool_size); ++i) pool_.add(std::make_unique<PgConn>(conninfo));
}

PgDatabase::~PgDatabase() {
    close();
}

std::unique_ptr<Tx> PgDatabase::begin(TxMode mode) {
    if (closed_) throw DbError(DbError::Kind::unavailable, "database is closed");
    return std::make_unique<PgTx>(pool_, mode);
}

void PgDatabase::close() {
    if (closed_.exchange(true)) return;
    pool_.drain();
}

}  // namespace arrimage::store
