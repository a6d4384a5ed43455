#include "store/leader_lock.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/db.hpp"

namespace arrimage::store {

std::int64_t advisory_key(const std::string& name) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char ch : name) h = (h ^ ch) * 1099511628211ULL;
    return static_cast<std::int64_t>(h);
}

namespace {

// libpq's messages end with a newline, sometimes two lines.
std::string one_line(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    for (char& c : s)
        if (c == '\n') c = ' ';
    return s;
}

// A session-level advisory lock on a connection kept for it alone. Its keepalives and user
// timeout let a node cut off from the server find out within about 15 s that it may have lost
// leadership (the server frees the lock when it notices the connection is gone: see its
// tcp_keepalives_* settings).
class PgLeaderLock final : public LeaderLock {
  public:
    PgLeaderLock(std::string conninfo, std::int64_t key) : conninfo_(std::move(conninfo)), key_(std::to_string(key)) {}
    ~PgLeaderLock() override { disconnect(); }
    PgLeaderLock(const PgLeaderLock&) = delete;
    PgLeaderLock& operator=(const PgLeaderLock&) = delete;

    bool try_acquire() override {
        if (held_) return held();
        if (!connected() && !connect()) return false;
        // Taken at most once per session: the lock counts how often it was taken.
        const char* values[] = {key_.c_str()};
        PGresult* r = PQexecParams(conn_, "SELECT pg_try_advisory_lock($1::bigint)", 1, nullptr, values, nullptr, nullptr, 0);
        const bool answered = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        held_ = answered && std::strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        if (!answered) fail(r);
        PQclear(r);
        if (answered) error_.clear();
        return held_;
    }

    bool held() override {
        if (!held_) return false;
        PGresult* r = PQexec(conn_, "SELECT 1");
        // The session is gone, and its lock with it (or it will be once the server notices).
        if (PQresultStatus(r) != PGRES_TUPLES_OK) fail(r);
        PQclear(r);
        return held_;
    }

    void release() override {
        if (!held_) return;
        held_ = false;
        const char* values[] = {key_.c_str()};
        PGresult* r = PQexecParams(conn_, "SELECT pg_advisory_unlock($1::bigint)", 1, nullptr, values, nullptr, nullptr, 0);
        // Closing the session frees the lock when unlocking could not be asked.
        if (PQresultStatus(r) != PGRES_TUPLES_OK) disconnect();
        PQclear(r);
    }

    std::string last_error() const override { return error_; }

  private:
    bool connected() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

    bool connect() {
        disconnect();
        // Later values win: the database URL's own settings over these defaults.
        const char* keys[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                              "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                              "application_name",    "dbname",           nullptr};
        const char* values[] = {"10", "1", "10", "5", "3", "15000", "arrimage-leader", conninfo_.c_str(), nullptr};
        conn_ = PQconnectdbParams(keys, values, 1);
        if (connected()) return true;
        error_ = "cannot connect to PostgreSQL: " + one_line(conn_ ? PQerrorMessage(conn_) : "out of memory");
        disconnect();
        return false;
    }

    void fail(const PGresult* r) {
        error_ = one_line(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
        if (error_.empty()) error_ = one_line(PQerrorMessage(conn_));
        // A later try_acquire starts on a new session, which cannot hold the lock unknowingly.
        disconnect();
    }

    void disconnect() {
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        held_ = false;
    }

    std::string conninfo_;
    std::string key_;
    PGconn* conn_ = nullptr;
    bool held_ = false;
    std::string error_;
};

// An exclusive flock on a file beside the database, held by the open descriptor: closed by the
// system when the process ends, however it ends. flock (not fcntl) locks belong to the open file,
// so two locks in one process exclude each other as two processes do, and SQLite's own fcntl
// locks on the database file are not disturbed.
class FileLeaderLock final : public LeaderLock {
  public:
    explicit FileLeaderLock(std::string path) : path_(std::move(path)) {}
    ~FileLeaderLock() override { release(); }
    FileLeaderLock(const FileLeaderLock&) = delete;
    FileLeaderLock& operator=(const FileLeaderLock&) = delete;

    bool try_acquire() override {
        if (fd_ >= 0) return held();
        const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            error_ = "cannot open " + path_ + ": " + std::strerror(errno);
            return false;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            error_ = errno == EWOULDBLOCK ? "" : "cannot lock " + path_ + ": " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        fd_ = fd;
        error_.clear();
        return held();
    }

    // Held while the locked file is still the one at the path: were it removed, another process
    // would create and lock a new one.
    bool held() override {
        if (fd_ < 0) return false;
        struct stat open_file {
        }, at_path{};
        if (::fstat(fd_, &open_file) != 0 || ::stat(path_.c_str(), &at_path) != 0 || open_file.st_dev != at_path.st_dev ||
            open_file.st_ino != at_path.st_ino) {
            error_ = path_ + " was removed or replaced";
            release();
        }
        return fd_ >= 0;
    }

    void release() override {
        if (fd_ < 0) return;
        ::close(fd_);
        fd_ = -1;
    }

    std::string last_error() const override { return error_; }

  private:
    std::string path_;
    int fd_ = -1;
    std::string error_;
};

// An in-memory database lives in one process: nobody else to share the work with.
class SoleLeader final : public LeaderLock {
  public:
    bool try_acquire() override { return held_ = true; }
    bool held() override { return held_; }
    void release() override { held_ = false; }
    std::string last_error() const override { return ""; }

  private:
    bool held_ = false;
};

// The file a SQLite URL's path names: a plain path, or a URI ("file:data/a.db?mode=rwc",
// "file:///srv/a.db"); empty for an in-memory or temporary database.
std::string sqlite_file(std::string path) {
    if (path.rfind("file:", 0) == 0) {
        path = path.substr(5);
        if (const auto q = path.find('?'); q != std::string::npos) {
            if (path.find("mode=memory", q) != std::string::npos) return "";
            path.resize(q);
        }
        if (path.rfind("//", 0) == 0) {
            const auto slash = path.find('/', 2);  // past the authority ("localhost" or nothing)
            path = slash == std::string::npos ? "" : path.substr(slash);
        }
    }
    return path == ":memory:" ? "" : path;
}

}  // namespace

std::unique_ptr<LeaderLock> open_leader_lock(const std::string& database_url, const std::string& name) {
    if (database_url.rfind("sqlite:", 0) == 0) {
        const std::string file = sqlite_file(database_url.substr(7));
        if (file.empty()) return std::make_unique<SoleLeader>();
        return std::make_unique<FileLeaderLock>(file + ".leader");
    }
    if (database_url.rfind("postgresql://", 0) == 0 || database_url.rfind("postgres://", 0) == 0)
        return std::make_unique<PgLeaderLock>(database_url, advisory_key(name));
    if (database_url.rfind("pg:", 0) == 0) return std::make_unique<PgLeaderLock>(database_url.substr(3), advisory_key(name));
    throw DbError(DbError::Kind::unavailable, "unsupported database URL (expected sqlite:PATH or postgresql://...)");
}

}  // namespace arrimage::store
