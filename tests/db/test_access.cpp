// The access kernel (store/access.hpp) against SQLite (label db) and PostgreSQL (label pg): the
// guard writes exactly the rows of each path of an operation (permit, withheld by a gate,
// refusal, error, exception, nesting), and only the pipeline's mint makes contexts, from a
// membership the principal holds.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "domain/access.hpp"
#include "store/access.hpp"
#include "store/audit_repo.hpp"
#include "store/audit_writer.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

const d::Actor officer{7, 70, d::Role::privacy_officer};

// A question the policy permits (the privacy officer reading the access log under oversight).
d::AccessRequest permitted() {
    d::AccessRequest q;
    q.relationship = d::Relationship::privacy_officer;
    q.purpose = d::Purpose::oversight;
    q.category = d::Category::access_log;
    q.action = d::Action::read;
    return q;
}

// One it refuses (no relationship).
d::AccessRequest refused() {
    d::AccessRequest q;
    q.relationship = d::Relationship::none;
    q.action = d::Action::read;
    return q;
}

}  // namespace

class AccessKernel : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }

    // Runs `op` with a guard in a committed write transaction, then counts the audit rows.
    template <typename F>
    std::vector<AuditRow> run(F&& op) {
        auto tx = t_->db->begin(TxMode::write);
        auto ctx = testsupport::AccessForTests::as(*tx, clock_, officer, "req-guard");
        Guard guard(ctx);
        try {
            (void)op(guard);
        } catch (const std::runtime_error&) {
        }
        EXPECT_TRUE(guard.pending().empty()) << "every row is written or dropped when the operation ends";
        tx->commit();
        auto read = t_->db->begin(TxMode::write);
        return testsupport::AuditForTests::rows_after(AuditRepo(*read, clock_), 0, 100);
    }

    std::unique_ptr<testsupport::TestDb> t_;
    ManualClock clock_{*parse_iso("2026-12-02T09:00:00Z")};
};

TEST_F(AccessKernel, APermittedOperationWritesEachDecisionWithTheContextsActorAndRequest) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            g.decide(permitted(), {42, std::nullopt});
            g.decide(permitted(), {43, 9});
            return 1;
        });
    });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].user_id, officer.user_id);
    EXPECT_EQ(rows[0].organisation_id, officer.organisation_id);
    EXPECT_EQ(rows[0].person_id, 42);
    EXPECT_EQ(rows[1].referral_id, 9);
    EXPECT_EQ(rows[0].decision, "permit");
    EXPECT_EQ(rows[0].request_id, "req-guard");
}

TEST_F(AccessKernel, TheActorIsTheContextsWhateverTheQuestionSays) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            auto q = permitted();
            q.actor = d::Actor{999, 999, d::Role::ca_admin};
            g.decide(q, {42, std::nullopt});
            return 1;
        });
    });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].user_id, officer.user_id);
    EXPECT_EQ(rows[0].organisation_id, officer.organisation_id);
}

TEST_F(AccessKernel, ARefusalIsWrittenAndAnsweredNotFoundWithoutARelationshipForbiddenWithOne) {
    Result<int> answer = Error::internal();
    auto rows = run([&](Guard& g) {
        answer = g.operation([&]() -> Result<int> {
            if (!g.decide(refused(), {42, std::nullopt}).permitted()) return g.refuse(d::Relationship::none);
            return 1;
        });
    });
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, Errc::NotFound);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].decision, "deny");

    auto tx = t_->db->begin(TxMode::write);
    auto ctx = testsupport::AccessForTests::as(*tx, clock_, officer, "r");
    Guard g(ctx);
    EXPECT_EQ(g.refuse(d::Relationship::team_member).code, Errc::Forbidden);
}

TEST_F(AccessKernel, AnErrorThatIsNotARefusalDropsTheRowsNothingWasShownOrChanged) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            g.decide(permitted(), {42, std::nullopt});
            return Error::invalid_field("reason", "error.required");
        });
    });
    EXPECT_TRUE(rows.empty());
}

TEST_F(AccessKernel, AnExceptionDropsTheRows) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            g.decide(permitted(), {42, std::nullopt});
            throw std::runtime_error("boom");
        });
    });
    EXPECT_TRUE(rows.empty());
}

TEST_F(AccessKernel, AGateRecordsOnlyItsRefusalAndAQuestionRecordsNothing) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            EXPECT_TRUE(g.gate(permitted()).permitted());
            EXPECT_FALSE(g.ask(refused()).permitted());
            g.decide(permitted(), {42, std::nullopt});
            return 1;
        });
    });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].person_id, 42);

    rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            if (!g.gate(refused(), {43, std::nullopt}).permitted()) return g.refuse(Error::forbidden());
            return 1;
        });
    });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].person_id, 43);
    EXPECT_EQ(rows[1].decision, "deny");
}

TEST_F(AccessKernel, NestedOperationsWriteOnceAtTheOutermostAndAFailedInnerOneDropsOnlyItsOwnRows) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            g.decide(permitted(), {1, std::nullopt});
            auto inner = g.operation([&]() -> Result<int> {
                g.decide(permitted(), {2, std::nullopt});
                return Error::conflict("lifecycle.not_from_state");
            });
            EXPECT_FALSE(inner);
            EXPECT_EQ(g.pending().size(), 1u) << "nothing is written before the outermost operation ends";
            auto refused_inner = g.operation([&]() -> Result<int> {
                g.decide(refused(), {3, std::nullopt});
                return g.refuse(d::Relationship::none);
            });
            EXPECT_FALSE(refused_inner);
            return 1;
        });
    });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].person_id, 1);
    EXPECT_EQ(rows[1].person_id, 3);
}

TEST_F(AccessKernel, AnOuterErrorAfterAnInnerRefusalStillWritesTheRefusal) {
    auto rows = run([](Guard& g) {
        return g.operation([&]() -> Result<int> {
            auto inner = g.operation([&]() -> Result<int> {
                g.decide(refused(), {3, std::nullopt});
                return g.refuse(d::Relationship::none);
            });
            return inner.error();
        });
    });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].decision, "deny");
}

TEST_F(AccessKernel, AnAnonymousContextWritesRowsWithoutAUser) {
    auto tx = t_->db->begin(TxMode::write);
    auto ctx = testsupport::AccessForTests::anonymous(*tx, clock_, "public");
    Guard g(ctx);
    auto r = g.operation([&]() -> Result<int> {
        g.decide(refused(), {std::nullopt, 5});
        return g.refuse(Error::forbidden());
    });
    EXPECT_FALSE(r);
    tx->commit();
    auto read = t_->db->begin(TxMode::write);
    auto rows = testsupport::AuditForTests::rows_after(AuditRepo(*read, clock_), 0, 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0].user_id);
    EXPECT_FALSE(rows[0].organisation_id);
    EXPECT_EQ(rows[0].referral_id, 5);
}

TEST_F(AccessKernel, TheMintMakesAContextOnlyFromAMembershipThePrincipalHolds) {
    auto tx = t_->db->begin(TxMode::write);
    d::Principal p;
    p.user_id = 7;
    p.grants = {{70, 1, d::Role::coordinator}};
    auto held = testsupport::AccessForTests::member(*tx, clock_, p, {70, 1, d::Role::coordinator}, "r");
    ASSERT_TRUE(held);
    EXPECT_EQ(held->actor->organisation_id, 70);
    EXPECT_EQ(held->actor->user_id, 7);
    // Another organisation, or the same one in a role the user does not hold: no context.
    EXPECT_FALSE(testsupport::AccessForTests::member(*tx, clock_, p, {71, 1, d::Role::coordinator}, "r"));
    EXPECT_FALSE(testsupport::AccessForTests::member(*tx, clock_, p, {70, 1, d::Role::ca_admin}, "r"));
    EXPECT_FALSE(testsupport::AccessForTests::member(*tx, clock_, d::Principal{}, {70, 1, d::Role::coordinator}, "r"));
}

// ---- the membership a user acts under

// ---- reads: rows collected for the group commit (store/audit_writer.hpp)

TEST_F(AccessKernel, InAReadTransactionTheRowsGoToTheReadAuditNotTheDatabase) {
    std::vector<AuditEvent> collected;
    {
        auto tx = t_->db->begin(TxMode::read);
        auto ctx = testsupport::AccessForTests::reading(*tx, clock_, officer, "req-read", &collected);
        Guard g(ctx);
        auto r = g.operation([&]() -> Result<int> {
            g.decide(permitted(), {42, std::nullopt});
            return 1;
        });
        ASSERT_TRUE(r);
        // Without somewhere to put them, a read transaction's accesses cannot be recorded at all.
        auto bare = testsupport::AccessForTests::as(*tx, clock_, officer, "req-bare");
        EXPECT_THROW(Guard{bare}, std::logic_error);
    }
    ASSERT_EQ(collected.size(), 1u);
    EXPECT_EQ(collected[0].person_id, 42);
    EXPECT_EQ(collected[0].request_id, "req-read");
    auto tx = t_->db->begin(TxMode::write);
    EXPECT_TRUE(testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 10).empty());
}

TEST_F(AccessKernel, TheAuditWriterCommitsConcurrentSubmissionsAsOneChain) {
    AuditEvent e = AuditEvent::of(permitted(), d::decide(permitted(), clock_.now()), 42, "req-group");
    e.user_id = officer.user_id;
    e.organisation_id = officer.organisation_id;
    constexpr int submitters = 16, each = 3;
    std::atomic<int> durable{0};
    AuditWriter::Stats stats;
    {
        AuditWriter writer(*t_->db, clock_);
        std::vector<std::thread> threads;
        for (int i = 0; i < submitters; ++i)
            threads.emplace_back([&] {
                for (int k = 0; k < each; ++k)
                    if (writer.write(std::vector<AuditEvent>(2, e))) ++durable;
            });
        for (auto& t : threads) t.join();
        EXPECT_TRUE(writer.write({}));  // nothing to write is durable at once
        stats = writer.stats();
    }
    EXPECT_EQ(durable.load(), submitters * each);
    EXPECT_EQ(stats.submissions, submitters * each);
    EXPECT_EQ(stats.rows, 2 * submitters * each);
    EXPECT_LE(stats.batches, stats.submissions);
    EXPECT_EQ(stats.failed, 0);
    const auto v = verify_audit_chain(*t_->db);
    EXPECT_TRUE(v.intact()) << (v.broken ? v.broken->detail : "");
    EXPECT_EQ(v.rows, 2 * submitters * each);
}

TEST_F(AccessKernel, AFailedGroupCommitWritesNoneOfItsRowsAndSaysSo) {
    testsupport::FaultyDatabase faulty(*t_->db);
    AuditWriter writer(faulty, clock_);
    AuditEvent e = AuditEvent::of(permitted(), d::decide(permitted(), clock_.now()), 42, "req-fail");
    faulty.fail_commits(true);
    EXPECT_FALSE(writer.write({e, e}));
    faulty.fail_commits(false);
    EXPECT_EQ(writer.stats().failed, 1);
    {
        auto tx = t_->db->begin(TxMode::write);
        EXPECT_TRUE(testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 10).empty());
    }
    EXPECT_TRUE(writer.write({e}));
    auto tx = t_->db->begin(TxMode::write);
    EXPECT_EQ(testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 10).size(), 1u);
}

// The SQLite driver refuses a write in a read transaction, as PostgreSQL's READ ONLY does: a
// read route cannot write by mistake.
TEST_F(AccessKernel, AReadTransactionRefusesAWrite) {
    auto tx = t_->db->begin(TxMode::read);
    EXPECT_THROW(tx->exec("INSERT INTO settings (key, value) VALUES ('x', 'y')"), DbError);
}

TEST(ActingGrant, TheSessionsChoiceWhileHeldOtherwiseTheOldestMembership) {
    d::Principal p;
    p.user_id = 1;
    p.grants = {{10, 1, d::Role::coordinator}, {20, 1, d::Role::privacy_officer}};
    EXPECT_EQ(d::acting_grant(p, std::nullopt, "")->organisation_id, 10);
    EXPECT_EQ(d::acting_grant(p, 20, "privacy_officer")->organisation_id, 20);
    // A stale or forged choice (no longer held, another role, nonsense) falls back to the rule.
    EXPECT_EQ(d::acting_grant(p, 20, "coordinator")->organisation_id, 10);
    EXPECT_EQ(d::acting_grant(p, 30, "coordinator")->organisation_id, 10);
    EXPECT_EQ(d::acting_grant(p, 20, "nonsense")->organisation_id, 10);
    EXPECT_FALSE(d::acting_grant(d::Principal{1, {}}, 20, "privacy_officer"));
}
