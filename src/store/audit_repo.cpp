#include "store/audit_repo.hpp"

#include <charconv>
#include <limits>

#include "core/text.hpp"
#include "core/time.hpp"

namespace arrimage::store {

namespace {

constexpr const char* audit_columns =
    "id, at, user_id, organisation_id, person_id, action, category, purpose, decision, reason, break_glass, "
    "request_id, prev_hash, hash, referral_id";

AuditRow row_from(const Row& r) {
    AuditRow a;
    a.id = r.i64(0);
    a.at = r.str(1);
    a.user_id = r.opt_i64(2);
    a.organisation_id = r.opt_i64(3);
    a.person_id = r.opt_i64(4);
    a.action = r.str(5);
    a.category = r.str(6);
    a.purpose = r.str(7);
    a.decision = r.str(8);
    a.reason = r.str(9);
    a.break_glass = r.boolean(10);
    a.request_id = r.str(11);
    a.prev_hash = r.str(12);
    a.hash = r.str(13);
    a.referral_id = r.opt_i64(14);
    return a;
}

std::vector<AuditRow> audit_rows_after(Tx& tx, std::int64_t after_id, int limit) {
    std::vector<AuditRow> out;
    for (const auto& r : tx.query(std::string("SELECT ") + audit_columns + " FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                                  {after_id, std::int64_t{limit}}))
        out.push_back(row_from(r));
    return out;
}

void put(std::string& out, std::string_view v) {
    out += '|';
    out += std::to_string(v.size());
    out += ':';
    out += v;
}
void put(std::string& out, const std::optional<std::int64_t>& v) {
    if (v)
        put(out, std::to_string(*v));
    else
        out += "|-";
}

}  // namespace

AuditEvent AuditEvent::of(const domain::AccessRequest& request, const domain::Decision& decision,
                          std::optional<std::int64_t> person_id, std::string request_id) {
    AuditEvent e;
    e.user_id = request.actor.user_id;
    e.organisation_id = request.actor.organisation_id;
    e.person_id = person_id;
    e.action = request.action;
    e.category = request.category;
    e.purpose = request.purpose;
    e.decision = decision;
    e.request_id = std::move(request_id);
    return e;
}

std::string audit_canonical(const AuditRow& r) {
    // v2 adds the referral; rows without one keep the v1 bytes they were chained with.
    std::string out = r.referral_id ? "arrimage-audit-v2" : "arrimage-audit-v1";
    out.reserve(160 + r.request_id.size());
    put(out, r.at);
    put(out, r.user_id);
    put(out, r.organisation_id);
    put(out, r.person_id);
    put(out, r.action);
    put(out, r.category);
    put(out, r.purpose);
    put(out, r.decision);
    put(out, r.reason);
    put(out, r.break_glass ? "1" : "0");
    put(out, r.request_id);
    if (r.referral_id) put(out, r.referral_id);
    return out;
}

std::string audit_chain_hash(std::string_view prev_hash, const AuditRow& row) {
    std::string data(prev_hash);
    data += audit_canonical(row);
    return hash_token(data);
}

std::int64_t AuditRepo::append(const AuditEvent& event) {
    return append_all(std::span(&event, 1)).front();
}

std::vector<std::int64_t> AuditRepo::append_all(std::span<const AuditEvent> events) {
    std::vector<std::int64_t> ids;
    if (events.empty()) return ids;
    ids.reserve(events.size());
    // Serialise appenders, then read the head inside this transaction: on PostgreSQL (read
    // committed) this statement sees every row committed by the previous holder of the lock.
    tx_.lock("audit_chain");
    std::int64_t id = 0;
    std::string prev(audit_genesis_hash);
    if (auto last = tx_.query_one("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")) {
        id = last->i64(0);
        prev = last->str(1);
    }
    const std::string at = format_iso(clock_.now());
    for (const auto& e : events) {
        AuditRow r;
        r.id = ++id;
        r.at = at;
        r.user_id = e.user_id;
        r.organisation_id = e.organisation_id;
        r.person_id = e.person_id;
        r.action = std::string(domain::code(e.action));
        r.category = std::string(domain::code(e.category));
        r.purpose = std::string(domain::code(e.purpose));
        r.decision = std::string(domain::code(e.decision.effect));
        r.reason = std::string(domain::code(e.decision.reason));
        r.break_glass = e.decision.break_glass;
        r.request_id = e.request_id;
        r.referral_id = e.referral_id;
        r.prev_hash = prev;
        r.hash = audit_chain_hash(prev, r);
        tx_.exec(
            "INSERT INTO audit_events (id, at, user_id, organisation_id, person_id, action, category, purpose, decision, "
            "reason, break_glass, request_id, prev_hash, hash, referral_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {r.id, r.at, opt(r.user_id), opt(r.organisation_id), opt(r.person_id), r.action, r.category, r.purpose, r.decision,
             r.reason, std::int64_t{r.break_glass ? 1 : 0}, r.request_id, r.prev_hash, r.hash, opt(r.referral_id)});
        ids.push_back(r.id);
        prev = std::move(r.hash);
    }
    return ids;
}

std::optional<AuditRow> AuditRepo::find(std::int64_t id) {
    auto r = tx_.query_one(std::string("SELECT ") + audit_columns + " FROM audit_events WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return row_from(*r);
}

std::vector<AuditRow> AuditRepo::rows_after(std::int64_t after_id, int limit) {
    return audit_rows_after(tx_, after_id, limit);
}

std::string_view code(AuditBreak::Kind kind) {
    switch (kind) {
        case AuditBreak::Kind::altered:
            return "altered";
        case AuditBreak::Kind::missing:
            return "missing";
        case AuditBreak::Kind::reordered:
            return "reordered";
        case AuditBreak::Kind::inserted:
            return "inserted";
    }
    return "altered";
}

std::optional<AuditAnchor> parse_audit_anchor(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    AuditAnchor a;
    const auto id = s.substr(0, colon);
    auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), a.id);
    if (ec != std::errc{} || p != id.data() + id.size() || a.id <= 0) return std::nullopt;
    a.hash = std::string(s.substr(colon + 1));
    if (a.hash.size() != audit_genesis_hash.size()) return std::nullopt;
    for (char c : a.hash)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    return a;
}

namespace {

using Kind = AuditBreak::Kind;

AuditBreak broken(std::int64_t id, Kind kind, std::string detail) {
    return AuditBreak{id, kind, std::move(detail)};
}

// Why row `r` cannot follow the previous row (`prev_id`, `prev_hash`; id 0 and the genesis hash
// before the first row), or nothing when it can.
std::optional<AuditBreak> check_link(Tx& tx, const AuditRow& r, std::int64_t prev_id, const std::string& prev_hash) {
    const std::int64_t expected_id = prev_id + 1;
    const bool linked = r.prev_hash == prev_hash;
    const bool consistent = constant_time_equal(audit_chain_hash(r.prev_hash, r), r.hash);
    const std::string n = std::to_string(r.id);
    if (r.id != expected_id) {
        if (r.id < expected_id || linked)
            return broken(r.id, Kind::inserted,
                          "row " + n + " is out of sequence: id " + std::to_string(expected_id) + " was expected here");
        return broken(expected_id, Kind::missing,
                      "rows " + std::to_string(expected_id) + " to " + std::to_string(r.id - 1) + " are missing before row " + n);
    }
    if (!linked) {
        // What is row r chained to, if not to the row before it?
        auto target = tx.query_one("SELECT id FROM audit_events WHERE hash = ? ORDER BY id LIMIT 1", {r.prev_hash});
        if (target && target->i64(0) < prev_id) {
            auto first = tx.query_one("SELECT MIN(id) FROM audit_events WHERE id > ?", {target->i64(0)});
            const std::int64_t inserted = first ? first->i64(0) : prev_id;
            return broken(inserted, Kind::inserted,
                          "row " + n + " follows row " + std::to_string(target->i64(0)) + ": row " + std::to_string(inserted) +
                              " was inserted into the chain");
        }
        if (target && target->i64(0) > r.id)
            return broken(r.id, Kind::reordered,
                          "row " + n + " is chained to row " + std::to_string(target->i64(0)) + ", which comes after it");
        if (!consistent) return broken(r.id, Kind::altered, "row " + n + " does not match its hash");
        if (prev_id > 0)
            return broken(prev_id, Kind::altered,
                          "row " + std::to_string(prev_id) + " no longer has the hash row " + n +
                              " was chained to (changed and re-hashed, or a row after it was removed)");
        return broken(r.id, Kind::missing, "row " + n + " is chained to a row that is no longer in the table");
    }
    if (!consistent) return broken(r.id, Kind::altered, "row " + n + " does not match its hash");
    return std::nullopt;
}

}  // namespace

AuditVerification verify_audit_chain(Database& db, const std::optional<AuditAnchor>& anchor, int page_size) {
    AuditVerification v;
    v.head = {0, std::string(audit_genesis_hash)};
    auto tx = db.begin(TxMode::read);
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        const auto page = audit_rows_after(*tx, after, page_size);
        for (const auto& r : page) {
            if (auto b = check_link(*tx, r, v.head.id, v.head.hash)) {
                v.broken = std::move(b);
                tx->commit();
                return v;
            }
            v.head = {r.id, r.hash};
            ++v.rows;
        }
        if (static_cast<int>(page.size()) < page_size) break;
        after = page.back().id;
    }
    if (anchor) {
        if (anchor->id > v.head.id)
            v.broken = broken(v.head.id + 1, Kind::missing,
                              "the chain ends at row " + std::to_string(v.head.id) + " but reached row " +
                                  std::to_string(anchor->id) + " before: rows were removed from its end");
        else if (auto row = tx->query_one("SELECT hash FROM audit_events WHERE id = ?", {anchor->id});
                 !row || row->str(0) != anchor->hash)
            v.broken = broken(
                anchor->id, Kind::altered,
                "row " + std::to_string(anchor->id) + " no longer has the recorded hash: the chain was rewritten up to it");
    }
    tx->commit();
    return v;
}

}  // namespace arrimage::store
