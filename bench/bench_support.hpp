#pragma once
// Shared by the benchmarks that build a SQLite database of their own.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "domain/access.hpp"
#include "store/access.hpp"

namespace arrimage::bench {

// Benchmarks stand in for the request pipeline, as tests do (store/access.hpp): a context for
// `actor`, whose reads' rows go to `read_audit` when given.
struct AccessForBench {
    static store::AccessContext as(store::Tx& tx, const Clock& clock, const domain::Actor& actor, std::string request_id,
                                   std::vector<store::AuditEvent>* read_audit = nullptr) {
        domain::Principal p;
        p.user_id = actor.user_id;
        p.grants.push_back({actor.organisation_id, 0, actor.role});
        return *store::AccessMint::member(tx, clock, p, p.grants.front(), std::move(request_id), read_audit);
    }
    // A family account (features/family) acting as itself, as the pipeline mints it.
    static store::AccessContext family(store::Tx& tx, const Clock& clock, std::int64_t user_id, std::string request_id,
                                       std::vector<store::AuditEvent>* read_audit = nullptr) {
        domain::Principal p;
        p.user_id = user_id;
        p.family = true;
        return *store::AccessMint::family(tx, clock, p, std::move(request_id), read_audit);
    }
    // Nobody signed in: the public pages (joining with a family's code).
    static store::AccessContext anonymous(store::Tx& tx, const Clock& clock, std::string request_id) {
        return store::AccessMint::anonymous(tx, clock, std::move(request_id));
    }
};

// The database file a benchmark works in: the one given (--db), or `file` in a fresh temporary
// directory named after `prefix`, removed with everything in it when this goes out of scope.
class ScratchDatabase {
  public:
    ScratchDatabase(const std::string& given, const std::string& prefix, const std::string& file) : path_(given) {
        if (!path_.empty()) return;
        std::string templ = (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
        if (!mkdtemp(templ.data())) {
            std::perror("mkdtemp");
            return;
        }
        dir_ = templ;
        path_ = (dir_ / file).string();
    }
    ~ScratchDatabase() {
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    bool ok() const { return !path_.empty(); }
    const std::string& path() const { return path_; }

  private:
    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace arrimage::bench
