#pragma once
// The audit of access to personal information: one row per policy decision (domain/privacy.hpp),
// permitted or denied, written in the transaction of the access itself so that an access
// without its audit row cannot commit.
//
// The table is append-only (triggers refuse UPDATE, DELETE, REPLACE and, on PostgreSQL,
// TRUNCATE) and hash-chained: row n stores prev_hash = hash of row n-1 (64 zeros for row 1)
// and hash = BLAKE2b-256(prev_hash || canonical serialisation of its own columns). Ids are
// 1, 2, 3... without gaps: `append` takes the "audit_chain" lock (BEGIN IMMEDIATE already
// serialises SQLite writers; a transaction advisory lock on PostgreSQL, across nodes), reads
// the last row in the same transaction and writes the next. The lock is held until commit, so
// a request should audit as late as possible (all its events at once with `append_all`).
//
// `verify_audit_chain` walks the chain in id order and names the first broken link: a row
// whose content no longer matches its hash (altered), a gap (missing), a row chained to a
// later one (reordered), a row the chain does not lead through (inserted). Removing rows at the
// very end leaves a shorter chain that is still valid: compare the head with one recorded
// earlier (an anchor) to detect that.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "domain/privacy.hpp"
#include "store/db.hpp"

namespace arrimage::testsupport {
struct AuditForTests;
}

namespace arrimage::store {

// One access: who, acting for which organisation, on whose file, what was asked and decided.
struct AuditEvent {
    std::optional<std::int64_t> user_id;  // empty: the system itself
    std::optional<std::int64_t> organisation_id;
    std::optional<std::int64_t> person_id;    // the child or youth; empty for a list or search across files
    std::optional<std::int64_t> referral_id;  // a referral (features/referral/store/referral_repo.hpp), may have no file yet
    domain::Action action = domain::Action::read;
    domain::Category category = domain::Category::identity_contact;
    domain::Purpose purpose = domain::Purpose::coordination;
    domain::Decision decision;
    std::string request_id;

    static AuditEvent of(const domain::AccessRequest& request, const domain::Decision& decision,
                         std::optional<std::int64_t> person_id, std::string request_id);
};

// A row as stored.
struct AuditRow {
    std::int64_t id = 0;
    std::string at;
    std::optional<std::int64_t> user_id, organisation_id, person_id;
    std::string action, category, purpose, decision, reason;
    bool break_glass = false;
    std::string request_id;
    std::string prev_hash, hash;
    std::optional<std::int64_t> referral_id;
};

inline constexpr std::string_view audit_genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

// Every column but id, prev_hash and hash, length-prefixed after a version tag: unambiguous,
// and the same bytes whichever database the row was read from.
std::string audit_canonical(const AuditRow& row);
std::string audit_chain_hash(std::string_view prev_hash, const AuditRow& row);

class AuditRepo {
  public:
    AuditRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}

    // Appends in the caller's write transaction; returns the new row's id.
    std::int64_t append(const AuditEvent& event);
    // Several events under one lock acquisition, in order; returns their ids.
    std::vector<std::int64_t> append_all(std::span<const AuditEvent> events);

  private:
    // Audit rows are read only through the privacy officer's decided path
    // (store/privacy_office_repo.hpp), `arrimage audit verify`, and test support.
    friend struct testsupport::AuditForTests;
    std::optional<AuditRow> find(std::int64_t id);
    // Rows with id > after_id in id order, at most `limit`.
    std::vector<AuditRow> rows_after(std::int64_t after_id, int limit);

    Tx& tx_;
    const Clock& clock_;
};

struct AuditBreak {
    enum class Kind { altered, missing, reordered, inserted };
    std::int64_t id = 0;  // the first row where the chain breaks (for `missing`: the first absent id)
    Kind kind = Kind::altered;
    std::string detail;  // English, for operators
};
std::string_view code(AuditBreak::Kind kind);

// A row the chain is known to have reached (recorded from an earlier verification).
struct AuditAnchor {
    std::int64_t id = 0;
    std::string hash;
};
// "ID:HASH" as printed by `arrimage audit verify`.
std::optional<AuditAnchor> parse_audit_anchor(std::string_view s);

struct AuditVerification {
    std::int64_t rows = 0;  // rows verified before the break (all of them when intact)
    AuditAnchor head;       // last verified row (id 0 and the genesis hash when empty)
    std::optional<AuditBreak> broken;
    bool intact() const { return !broken; }
};

// Reads the whole chain in pages of `page_size` rows in one read transaction; memory does not
// grow with the table. With `anchor`, also checks that the chain still holds that row unchanged.
AuditVerification verify_audit_chain(Database& db, const std::optional<AuditAnchor>& anchor = std::nullopt, int page_size = 1000);

}  // namespace arrimage::store
