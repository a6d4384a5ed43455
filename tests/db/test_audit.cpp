// The hash-chained audit of access to personal information, against SQLite (label db) and
// PostgreSQL (label pg): appends in the caller's transaction, append-only guards, tampering of
// every kind named at the first broken row, and parallel writers keeping one unbroken chain.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "store/audit_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

AuditEvent event(int i) {
    AuditEvent e;
    e.user_id = 1 + i % 3;
    e.organisation_id = 100;
    e.person_id = 500 + i % 2;
    e.action = i % 4 == 0 ? d::Action::list : d::Action::read;
    e.category = d::Category::health;
    e.purpose = d::Purpose::coordination;
    e.decision = i % 5 == 0 ? d::Decision{d::Effect::deny, d::Reason::no_consent, false, 0}
                            : d::Decision{d::Effect::permit, d::Reason::consent, false, 11};
    e.request_id = "req-" + std::to_string(i);
    return e;
}

const char* const update_sql =
    "UPDATE audit_events SET at = ?, user_id = ?, organisation_id = ?, person_id = ?, action = ?, category = ?, "
    "purpose = ?, decision = ?, reason = ?, break_glass = ?, request_id = ?, prev_hash = ?, hash = ? WHERE id = ?";

void overwrite(Tx& tx, std::int64_t id, const AuditRow& r) {
    tx.exec(update_sql, {r.at, opt(r.user_id), opt(r.organisation_id), opt(r.person_id), r.action, r.category, r.purpose,
                         r.decision, r.reason, std::int64_t{r.break_glass ? 1 : 0}, r.request_id, r.prev_hash, r.hash, id});
}

void insert_raw(Tx& tx, const AuditRow& r) {
    tx.exec(
        "INSERT INTO audit_events (id, at, user_id, organisation_id, person_id, action, category, purpose, decision, "
        "reason, break_glass, request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r.id, r.at, opt(r.user_id), opt(r.organisation_id), opt(r.person_id), r.action, r.category, r.purpose, r.decision,
         r.reason, std::int64_t{r.break_glass ? 1 : 0}, r.request_id, r.prev_hash, r.hash});
}

}  // namespace

class Audit : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    Database& db() { return *t_->db; }

    // `n` events, each in its own committed transaction.
    void append_events(int n) {
        for (int i = 1; i <= n; ++i) {
            auto tx = db().begin(TxMode::write);
            AuditRepo(*tx, clock_).append(event(i));
            tx->commit();
            clock_.advance(std::chrono::seconds(1));
        }
    }

    // What an intruder with database access does first.
    void drop_guards() {
        auto tx = db().begin(TxMode::write);
        if (db().dialect() == Dialect::sqlite)
            tx->exec_script(
                "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; "
                "DROP TRIGGER audit_events_no_replace;");
        else
            tx->exec_script(
                "DROP TRIGGER audit_events_no_change ON audit_events; "
                "DROP TRIGGER audit_events_no_truncate ON audit_events;");
        tx->commit();
    }

    template <typename Fn>
    void tamper(Fn&& fn) {
        drop_guards();
        auto tx = db().begin(TxMode::write);
        AuditRepo repo(*tx, clock_);
        fn(*tx, repo);
        tx->commit();
    }

    void expect_break(std::int64_t id, AuditBreak::Kind kind, const std::optional<AuditAnchor>& anchor = std::nullopt) {
        // A small page size makes the walk cross page boundaries.
        const auto v = verify_audit_chain(db(), anchor, 3);
        ASSERT_FALSE(v.intact()) << "tampering went unnoticed";
        EXPECT_EQ(v.broken->id, id) << v.broken->detail;
        EXPECT_EQ(code(v.broken->kind), code(kind)) << v.broken->detail;
        EXPECT_FALSE(v.broken->detail.empty());
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
};

TEST_F(Audit, AnEmptyTrailIsIntact) {
    const auto v = verify_audit_chain(db());
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.rows, 0);
    EXPECT_EQ(v.head.id, 0);
    EXPECT_EQ(v.head.hash, audit_genesis_hash);
}

TEST_F(Audit, AppendsFormAChain) {
    append_events(7);
    {
        auto tx = db().begin(TxMode::write);
        AuditRepo repo(*tx, clock_);
        // Several events of one request under one lock.
        const std::vector<AuditEvent> batch = {event(8), event(9), event(10)};
        EXPECT_EQ(repo.append_all(batch), (std::vector<std::int64_t>{8, 9, 10}));
        tx->commit();
    }
    auto tx = db().begin(TxMode::read);
    AuditRepo repo(*tx, clock_);
    const auto rows = testsupport::AuditForTests::rows_after(repo, 0, 100);
    ASSERT_EQ(rows.size(), 10u);
    EXPECT_EQ(rows[0].prev_hash, audit_genesis_hash);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(rows[i].hash, audit_chain_hash(rows[i].prev_hash, rows[i]));
        if (i) {
            EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
        }
    }
    const auto r5 = *testsupport::AuditForTests::find(repo, 5);
    EXPECT_EQ(r5.at, "2026-11-23T09:00:04Z");
    EXPECT_EQ(r5.user_id, 3);
    EXPECT_EQ(r5.person_id, 501);
    EXPECT_EQ(r5.decision, "deny");
    EXPECT_EQ(r5.reason, "no_consent");
    EXPECT_EQ(r5.request_id, "req-5");
    EXPECT_FALSE(r5.break_glass);
    tx->commit();

    const auto v = verify_audit_chain(db(), std::nullopt, 3);
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.rows, 10);
    EXPECT_EQ(v.head.id, 10);
    EXPECT_EQ(v.head.hash, rows.back().hash);
}

TEST_F(Audit, TheAuditRowBelongsToTheAccessTransaction) {
    append_events(2);
    {
        auto tx = db().begin(TxMode::write);
        AuditRepo(*tx, clock_).append(event(3));
        // The access fails later: rolled back, its audit row with it, and no gap is left.
    }
    auto with_glass = event(3);
    with_glass.decision = {d::Effect::permit, d::Reason::break_glass, true, 0};
    with_glass.person_id.reset();
    with_glass.user_id.reset();
    {
        auto tx = db().begin(TxMode::write);
        EXPECT_EQ(AuditRepo(*tx, clock_).append(with_glass), 3);
        tx->commit();
    }
    auto tx = db().begin(TxMode::read);
    const auto r = testsupport::AuditForTests::find(AuditRepo(*tx, clock_), 3);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->break_glass);
    EXPECT_FALSE(r->person_id);
    EXPECT_FALSE(r->user_id);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM audit_events")->i64(0), 3);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM audit_events WHERE break_glass = 1")->i64(0), 1);
    tx->commit();
    EXPECT_TRUE(verify_audit_chain(db()).intact());
}

TEST_F(Audit, RowsCannotBeChangedOrRemoved) {
    append_events(3);
    auto refused = [&](const std::string& sql) {
        auto tx = db().begin(TxMode::write);
        EXPECT_THROW(tx->exec(sql), DbError) << sql;
    };
    refused("UPDATE audit_events SET reason = 'consent' WHERE id = 2");
    refused("DELETE FROM audit_events WHERE id = 3");
    refused("DELETE FROM audit_events");
    if (db().dialect() == Dialect::sqlite) {
        refused(
            "INSERT OR REPLACE INTO audit_events (id, at, action, category, purpose, decision, reason, prev_hash, hash) "
            "VALUES (2, 'x', 'read', 'health', 'coordination', 'permit', 'consent', 'p', 'h')");
    } else {
        refused("TRUNCATE audit_events");
        refused(
            "INSERT INTO audit_events (id, at, action, category, purpose, decision, reason, prev_hash, hash) "
            "VALUES (2, 'x', 'read', 'health', 'coordination', 'permit', 'consent', 'p', 'h') "
            "ON CONFLICT (id) DO UPDATE SET reason = 'x'");
    }
    const auto v = verify_audit_chain(db());
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.rows, 3);
}

TEST_F(Audit, AlteredRowIsNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo&) { tx.exec("UPDATE audit_events SET decision = 'permit', reason = 'consent' WHERE id = 5"); });
    expect_break(5, AuditBreak::Kind::altered);
}

TEST_F(Audit, AlteredAndRehashedRowIsNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo& repo) {
        auto r = *testsupport::AuditForTests::find(repo, 6);
        r.user_id = 99;
        r.hash = audit_chain_hash(r.prev_hash, r);  // the intruder knows the scheme
        overwrite(tx, 6, r);
    });
    expect_break(6, AuditBreak::Kind::altered);
}

TEST_F(Audit, AlteredLinkIsNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo&) { tx.exec("UPDATE audit_events SET prev_hash = ? WHERE id = 7", {std::string(64, 'a')}); });
    expect_break(7, AuditBreak::Kind::altered);
}

TEST_F(Audit, DeletedRowIsNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo&) { tx.exec("DELETE FROM audit_events WHERE id = 4"); });
    expect_break(4, AuditBreak::Kind::missing);
}

TEST_F(Audit, DeletedFirstRowIsNamed) {
    append_events(5);
    tamper([](Tx& tx, AuditRepo&) { tx.exec("DELETE FROM audit_events WHERE id = 1"); });
    expect_break(1, AuditBreak::Kind::missing);
}

TEST_F(Audit, DeletedAndRenumberedRowIsCaught) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo&) {
        tx.exec("DELETE FROM audit_events WHERE id = 4");
        for (int id = 5; id <= 10; ++id)
            tx.exec("UPDATE audit_events SET id = ? WHERE id = ?", {std::int64_t{id - 1}, std::int64_t{id}});
    });
    // Row 4 (formerly 5) is chained to a hash no row has any more.
    expect_break(3, AuditBreak::Kind::altered);
}

TEST_F(Audit, InsertedRowIsNamed) {
    append_events(10);
    tamper([this](Tx& tx, AuditRepo& repo) {
        // Make room after row 5, then forge a well-formed row chained to it.
        for (int id = 10; id >= 6; --id)
            tx.exec("UPDATE audit_events SET id = ? WHERE id = ?", {std::int64_t{id + 1}, std::int64_t{id}});
        AuditRow forged = *testsupport::AuditForTests::find(repo, 5);
        forged.id = 6;
        forged.at = format_iso(clock_.now());
        forged.user_id = 42;
        forged.request_id = "forged";
        forged.prev_hash = testsupport::AuditForTests::find(repo, 5)->hash;
        forged.hash = audit_chain_hash(forged.prev_hash, forged);
        insert_raw(tx, forged);
    });
    expect_break(6, AuditBreak::Kind::inserted);
}

TEST_F(Audit, RowWithAnOutOfSequenceIdIsNamed) {
    append_events(5);
    tamper([](Tx& tx, AuditRepo& repo) {
        AuditRow forged = *testsupport::AuditForTests::find(repo, 5);
        forged.id = 9;  // chained to the head, but not the next id
        forged.prev_hash = forged.hash;
        forged.hash = audit_chain_hash(forged.prev_hash, forged);
        insert_raw(tx, forged);
    });
    expect_break(9, AuditBreak::Kind::inserted);
}

TEST_F(Audit, RowInsertedBeforeTheFirstIsNamed) {
    append_events(5);
    tamper([](Tx& tx, AuditRepo& repo) {
        AuditRow forged = *testsupport::AuditForTests::find(repo, 1);
        forged.id = 0;
        forged.request_id = "forged";
        forged.hash = audit_chain_hash(forged.prev_hash, forged);
        insert_raw(tx, forged);
    });
    expect_break(0, AuditBreak::Kind::inserted);
}

TEST_F(Audit, SwappedRowsAreNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo& repo) {
        const auto a = *testsupport::AuditForTests::find(repo, 3);
        const auto b = *testsupport::AuditForTests::find(repo, 4);
        auto parked = a;
        parked.hash = "parked";  // hashes are unique: park one while swapping
        overwrite(tx, 3, parked);
        overwrite(tx, 4, a);
        overwrite(tx, 3, b);
    });
    expect_break(3, AuditBreak::Kind::reordered);
}

TEST_F(Audit, TheFirstOfSeveralBreaksIsNamed) {
    append_events(10);
    tamper([](Tx& tx, AuditRepo&) {
        tx.exec("UPDATE audit_events SET request_id = 'x' WHERE id = 8");
        tx.exec("DELETE FROM audit_events WHERE id = 3");
    });
    expect_break(3, AuditBreak::Kind::missing);
}

TEST_F(Audit, AnAnchorCatchesRowsRemovedFromTheEnd) {
    append_events(10);
    const auto before = verify_audit_chain(db());
    ASSERT_TRUE(before.intact());
    const auto anchor = parse_audit_anchor(std::to_string(before.head.id) + ":" + before.head.hash);
    ASSERT_TRUE(anchor);
    EXPECT_TRUE(verify_audit_chain(db(), anchor).intact());
    append_events(2);
    EXPECT_TRUE(verify_audit_chain(db(), anchor).intact());  // growing past the anchor is fine

    tamper([](Tx& tx, AuditRepo&) { tx.exec("DELETE FROM audit_events WHERE id >= 9"); });
    EXPECT_TRUE(verify_audit_chain(db()).intact());      // a shorter chain is still a chain...
    expect_break(9, AuditBreak::Kind::missing, anchor);  // ...that no longer reaches the anchor
}

TEST_F(Audit, AnAnchorCatchesARewrittenChain) {
    append_events(4);
    const auto before = verify_audit_chain(db());
    tamper([](Tx& tx, AuditRepo& repo) {
        // Rewrite every row consistently from row 2 on.
        std::string prev = testsupport::AuditForTests::find(repo, 1)->hash;
        for (std::int64_t id = 2; id <= 4; ++id) {
            auto r = *testsupport::AuditForTests::find(repo, id);
            r.user_id = 77;  // someone else's accesses pinned on user 77
            r.prev_hash = prev;
            r.hash = audit_chain_hash(prev, r);
            overwrite(tx, id, r);
            prev = r.hash;
        }
    });
    EXPECT_TRUE(verify_audit_chain(db()).intact());
    expect_break(4, AuditBreak::Kind::altered, before.head);
}

TEST_F(Audit, AnchorsAreParsedStrictly) {
    const std::string h(64, 'c');
    EXPECT_TRUE(parse_audit_anchor("12:" + h));
    EXPECT_FALSE(parse_audit_anchor("12"));
    EXPECT_FALSE(parse_audit_anchor("0:" + h));
    EXPECT_FALSE(parse_audit_anchor("x:" + h));
    EXPECT_FALSE(parse_audit_anchor("12:" + h.substr(1)));
    EXPECT_FALSE(parse_audit_anchor("12:" + std::string(64, 'G')));
}

TEST_F(Audit, ParallelWritersKeepOneChain) {
    constexpr int threads = 4, per_thread = 50;
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            try {
                for (int i = 0; i < per_thread; ++i) {
                    auto e = event(i);
                    e.user_id = 1000 + t;
                    e.request_id = "t" + std::to_string(t) + "-" + std::to_string(1000 + i);
                    if (i % 10 == 3) {
                        // An access that fails after auditing: rolled back, leaving no gap.
                        auto tx = db().begin(TxMode::write);
                        AuditRepo(*tx, clock_).append(e);
                        tx->rollback();
                    }
                    auto tx = db().begin(TxMode::write);
                    AuditRepo(*tx, clock_).append(e);
                    tx->commit();
                }
            } catch (const std::exception& ex) {
                ++failures;
                ADD_FAILURE() << "writer " << t << ": " << ex.what();
            }
        });
    }
    for (auto& w : workers) w.join();
    ASSERT_EQ(failures.load(), 0);

    const auto v = verify_audit_chain(db());
    EXPECT_TRUE(v.intact()) << v.broken->detail;
    EXPECT_EQ(v.rows, threads * per_thread);
    EXPECT_EQ(v.head.id, threads * per_thread);
    // Each writer's events are in the order it wrote them.
    auto tx = db().begin(TxMode::read);
    const auto rows = testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 1000);
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(threads * per_thread));
    std::vector<std::string> last(threads);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i + 1));
        const auto t = static_cast<std::size_t>(*rows[i].user_id - 1000);
        ASSERT_LT(t, last.size());
        EXPECT_LT(last[t], rows[i].request_id);
        last[t] = rows[i].request_id;
    }
    tx->commit();
}
