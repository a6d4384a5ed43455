// Scheduled work run once across nodes: the leader lock, the record of runs (job_runs) and the
// scheduler, on SQLite and PostgreSQL. Two schedulers in one process stand for two nodes: each
// has its own leader lock (its own PostgreSQL session, its own open lock file).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "jobs/scheduler.hpp"
#include "store/job_runs.hpp"
#include "store/leader_lock.hpp"

using namespace arrimage;
using namespace arrimage::store;
using namespace std::chrono_literals;
using arrimage::testsupport::scalar;

namespace {

// A lock name of this test process's own: two test runs on one PostgreSQL server do not meet.
std::string lock_name(const std::string& what) {
    return "test-" + what + "-" + std::to_string(::getpid());
}

}  // namespace

class Jobs : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    Database& db() { return *t_->db; }
    bool postgres() { return db().dialect() == Dialect::postgres; }
    std::unique_ptr<LeaderLock> lock(const std::string& name = "scheduler") { return open_leader_lock(t_->url, lock_name(name)); }

    std::vector<JobRun> runs(const std::string& job, int limit = 1000) {
        auto tx = db().begin(TxMode::read);
        auto out = JobRunsRepo(*tx, clock_).recent(limit, job);
        tx->commit();
        return out;
    }
    std::optional<JobRun> last(const std::string& job) {
        auto tx = db().begin(TxMode::read);
        auto out = JobRunsRepo(*tx, clock_).last(job);
        tx->commit();
        return out;
    }

    // The PostgreSQL backend holding the advisory lock `name`, as pg_locks shows it (the key's
    // high half in classid, its low half in objid).
    std::int64_t holder_pid(const std::string& name) {
        const auto key = static_cast<std::uint64_t>(advisory_key(lock_name(name)));
        return scalar(db(),
                      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = ? AND "
                      "objid::bigint = ? AND objsubid = 1",
                      {static_cast<std::int64_t>(key >> 32), static_cast<std::int64_t>(key & 0xffffffffULL)});
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
};

TEST_F(Jobs, OneLeaderLockAtATimeAndTheOtherTakesOverOnRelease) {
    auto a = lock(), b = lock();
    ASSERT_TRUE(a->try_acquire());
    EXPECT_FALSE(b->try_acquire());
    EXPECT_FALSE(b->held());
    // Taking it again while holding it says so, and one release still frees it (on PostgreSQL
    // the advisory lock counts how often its session took it).
    EXPECT_TRUE(a->try_acquire());
    EXPECT_TRUE(a->held());
    EXPECT_FALSE(b->try_acquire());
    a->release();
    EXPECT_FALSE(a->held());
    ASSERT_TRUE(b->try_acquire());
    EXPECT_FALSE(a->try_acquire());
    EXPECT_EQ(b->last_error(), "");
    EXPECT_EQ(a->last_error(), "");  // refused, not out of reach
    // Another name is another lock on PostgreSQL; on a SQLite file there is one leadership.
    auto other = open_leader_lock(t_->url, lock_name("other"));
    EXPECT_EQ(other->try_acquire(), postgres());
}

TEST_F(Jobs, AnInMemoryDatabaseAlwaysHasThisProcessAsItsLeader) {
    auto a = open_leader_lock("sqlite::memory:", "scheduler"), b = open_leader_lock("sqlite::memory:", "scheduler");
    EXPECT_TRUE(a->try_acquire());
    EXPECT_TRUE(b->try_acquire());
    EXPECT_THROW(open_leader_lock("mysql://nowhere", "scheduler"), DbError);
}

// kill -9 of the leader: the system closes its descriptor or its connection, and the lock goes
// with it; nothing has to be cleaned up by hand.
TEST_F(Jobs, ALeaderKilledOutrightLosesTheLock) {
    const std::string name = lock_name("scheduler");  // this process's: the child's pid differs
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(ready[0]);
        auto held = open_leader_lock(t_->url, name);
        const char answer = held->try_acquire() ? 'y' : 'n';
        if (::write(ready[1], &answer, 1) != 1) ::_exit(1);
        for (;;) ::pause();
    }
    ::close(ready[1]);
    char answer = 0;
    ASSERT_EQ(::read(ready[0], &answer, 1), 1);
    ::close(ready[0]);
    EXPECT_EQ(answer, 'y');
    auto b = lock();
    EXPECT_FALSE(b->try_acquire());
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // SQLite: at once. PostgreSQL: once its server process has read the end of the connection
    // (milliseconds); tried for up to ten seconds.
    bool taken = b->try_acquire();
    for (int i = 0; !taken && postgres() && i < 200; ++i) {
        std::this_thread::sleep_for(50ms);
        taken = b->try_acquire();
    }
    EXPECT_TRUE(taken);
}

TEST_F(Jobs, OnPostgresqlALeaderWhoseSessionIsTerminatedLosesLeadershipAndReconnects) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL sessions only";
    auto a = lock(), b = lock();
    ASSERT_TRUE(a->try_acquire());
    const std::int64_t pid = holder_pid("scheduler");
    ASSERT_GT(pid, 0);
    // Waits (up to 5 s) until the server process has ended, its locks released.
    EXPECT_EQ(scalar(db(), "SELECT CASE WHEN pg_terminate_backend(?::integer, 5000) THEN 1 ELSE 0 END", {pid}), 1);
    EXPECT_FALSE(a->held());
    EXPECT_NE(a->last_error(), "");
    ASSERT_TRUE(b->try_acquire());
    // On a new session, refused while b leads, then taken once b gives it up.
    EXPECT_FALSE(a->try_acquire());
    EXPECT_EQ(a->last_error(), "");
    b->release();
    EXPECT_TRUE(a->try_acquire());
    EXPECT_NE(holder_pid("scheduler"), pid);
}

TEST_F(Jobs, OnSqliteALeaderWhoseLockFileIsRemovedLosesLeadership) {
    if (postgres()) GTEST_SKIP() << "SQLite files only";
    auto a = lock(), b = lock();
    ASSERT_TRUE(a->try_acquire());
    const std::string file = t_->url.substr(7) + ".leader";
    ASSERT_TRUE(std::filesystem::exists(file));
    std::filesystem::remove(file);
    // Another process would now create and lock a new file: a must not go on believing it leads.
    EXPECT_FALSE(a->held());
    EXPECT_TRUE(b->try_acquire());
    EXPECT_FALSE(a->try_acquire());
}

// Two nodes, a job every minute, the clock moving by uneven steps and both nodes ticking after
// each step; halfway the leader stops and the other takes over. The job runs exactly when a
// minute has passed since its last start, whichever node started it, and every run is one row.
TEST_F(Jobs, TwoSchedulersRunAJobOncePerIntervalAcrossAHandOver) {
    std::atomic<int> count{0};
    const std::vector<jobs::Job> work{{"count", 60s, [&](Database&) {
                                           ++count;
                                           return 3;
                                       }}};
    jobs::Scheduler a(db(), clock_, lock(), work, "node-a"), b(db(), clock_, lock(), work, "node-b");
    const int steps[] = {0, 7, 13, 23, 41, 5, 59, 1, 60, 17, 31, 2, 11, 45, 3, 29};
    std::optional<TimePoint> last_start;
    int expected = 0, expected_a = 0;
    for (int round = 0; round < 6; ++round) {
        for (const int step : steps) {
            clock_.advance(std::chrono::seconds(step));
            if (!last_start || clock_.now() - *last_start >= 60s) {
                ++expected;
                last_start = clock_.now();
            }
            if (round < 3) {
                a.run_due_once();
                b.run_due_once();
                EXPECT_TRUE(a.is_leader());
                EXPECT_FALSE(b.is_leader());
            } else {
                b.run_due_once();
                a.run_due_once();  // stopped: does nothing
                EXPECT_TRUE(b.is_leader());
                EXPECT_FALSE(a.is_leader());
            }
            ASSERT_EQ(count.load(), expected) << "after " << format_iso(clock_.now());
        }
        if (round == 2) {
            expected_a = expected;
            a.stop();
        }
    }
    const auto rows = runs("count");
    ASSERT_EQ(static_cast<int>(rows.size()), expected);
    EXPECT_GT(expected, 10);
    EXPECT_GT(expected, expected_a);
    int by_a = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].outcome, JobOutcome::ok);
        EXPECT_EQ(rows[i].items, 3);
        EXPECT_EQ(rows[i].finished_at, rows[i].started_at);  // the clock stood still during the run
        by_a += rows[i].node == "node-a";
        // Newest first, a minute at least between two starts.
        if (i + 1 < rows.size()) {
            EXPECT_GE(*parse_iso(rows[i].started_at) - *parse_iso(rows[i + 1].started_at), 60s);
        }
    }
    EXPECT_EQ(by_a, expected_a);
    EXPECT_EQ(rows.front().node, "node-b");
    EXPECT_EQ(rows.back().node, "node-a");
}

// Should two nodes both believe they lead (a lock that always says yes), the record of runs still
// lets only one of them start a job within its interval, even racing each other.
TEST_F(Jobs, TheRecordOfRunsAloneKeepsTwoRacingSchedulersFromRunningAJobTwice) {
    std::atomic<int> count{0};
    const std::vector<jobs::Job> work{{"count", 3600s, [&](Database&) { return ++count; }}};
    jobs::Scheduler a(db(), clock_, open_leader_lock("sqlite::memory:", "x"), work, "node-a");
    jobs::Scheduler b(db(), clock_, open_leader_lock("sqlite::memory:", "x"), work, "node-b");
    for (int hour = 0; hour < 3; ++hour) {
        std::thread ta([&] {
            for (int i = 0; i < 20; ++i) a.run_due_once();
        });
        std::thread tb([&] {
            for (int i = 0; i < 20; ++i) b.run_due_once();
        });
        ta.join();
        tb.join();
        EXPECT_EQ(count.load(), hour + 1);
        clock_.advance(3600s);
    }
    EXPECT_EQ(runs("count").size(), 3u);
}

TEST_F(Jobs, AFailingJobIsRecordedFailedAndRunsAgainAtItsNextInterval) {
    int failing_calls = 0, other_calls = 0;
    const std::string long_reason = "relay refused the message: " + std::string(2000, 'x') + " \xC3\xA9t\xC3\xA9";
    std::vector<jobs::Job> work{{"flaky", 600s,
                                 [&](Database&) -> int {
                                     if (++failing_calls == 1) throw std::runtime_error(long_reason);
                                     return 2;
                                 }},
                                {"other", 600s, [&](Database&) { return ++other_calls; }}};
    jobs::Scheduler s(db(), clock_, lock(), work, "node-a");
    s.run_due_once();
    EXPECT_EQ(failing_calls, 1);
    EXPECT_EQ(other_calls, 1);  // the failure stopped nothing else
    auto failed = last("flaky");
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->outcome, JobOutcome::failed);
    EXPECT_EQ(failed->error.rfind("relay refused the message: xxx", 0), 0u);
    EXPECT_LE(failed->error.size(), job_error_max);
    EXPECT_EQ(failed->finished_at, format_iso(clock_.now()));
    EXPECT_EQ(last("other")->outcome, JobOutcome::ok);

    // A failed run counts as the interval's run.
    s.run_due_once();
    clock_.advance(599s);
    s.run_due_once();
    EXPECT_EQ(failing_calls, 1);
    clock_.advance(1s);
    s.run_due_once();
    EXPECT_EQ(failing_calls, 2);
    EXPECT_EQ(other_calls, 2);
    const auto rows = runs("flaky");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].outcome, JobOutcome::ok);
    EXPECT_EQ(rows[0].items, 2);
    EXPECT_EQ(rows[0].error, "");
    EXPECT_EQ(rows[1].outcome, JobOutcome::failed);
}

// What a failure's text becomes in job_runs: PostgreSQL takes only UTF-8, and a column is not a
// place for a whole stack of messages.
TEST(JobErrorText, IsValidUtf8CutOnACharactersBoundary) {
    const std::string accented = std::string(job_error_max - 1, 'x') + "\xC3\xA9 and more";
    EXPECT_EQ(job_error_text(accented), std::string(job_error_max - 1, 'x'));
    EXPECT_EQ(job_error_text("bad \xFF byte, caf\xC3\xA9"), "bad ? byte, caf??");
    EXPECT_EQ(job_error_text(std::string("nul\0inside", 10)), "nulinside");
    EXPECT_EQ(job_error_text(""), "unknown error");
    EXPECT_EQ(job_error_text("caf\xC3\xA9"), "caf\xC3\xA9");
}

// A node killed in the middle of a run leaves it 'running'. Within abandon_after (two intervals,
// at most an hour) it holds the job back, as a slow run would; past it, the next leader records it
// as failed. Its start still counts as the interval's run.
TEST_F(Jobs, ARunLeftRunningByAStoppedNodeIsRecordedFailedAfterItsGrace) {
    EXPECT_EQ(abandon_after(10s), 20s);
    EXPECT_EQ(abandon_after(600s), 1200s);
    EXPECT_EQ(abandon_after(24h), 1h);
    int quick = 0, daily = 0;
    std::vector<jobs::Job> work{{"quick", 600s, [&](Database&) { return ++quick; }},
                                {"daily", 24h, [&](Database&) { return ++daily; }}};
    {
        auto tx = db().begin(TxMode::write);
        JobRunsRepo(*tx, clock_).start("quick", "gone:1");
        JobRunsRepo(*tx, clock_).start("daily", "gone:1");
        tx->commit();
    }
    jobs::Scheduler s(db(), clock_, lock(), work, "node-b");
    clock_.advance(600s);  // the interval has passed, the grace has not
    s.run_due_once();
    EXPECT_EQ(quick, 0);
    EXPECT_EQ(last("quick")->outcome, JobOutcome::running);
    clock_.advance(599s);
    s.run_due_once();
    EXPECT_EQ(quick, 0);
    clock_.advance(1s);  // 20 minutes: abandoned
    s.run_due_once();
    EXPECT_EQ(quick, 1);
    auto quick_runs = runs("quick");
    ASSERT_EQ(quick_runs.size(), 2u);
    EXPECT_EQ(quick_runs[1].node, "gone:1");
    EXPECT_EQ(quick_runs[1].outcome, JobOutcome::failed);
    EXPECT_NE(quick_runs[1].error.find("no end recorded"), std::string::npos);
    EXPECT_EQ(quick_runs[1].finished_at, format_iso(clock_.now()));
    EXPECT_EQ(quick_runs[0].node, "node-b");
    EXPECT_EQ(quick_runs[0].outcome, JobOutcome::ok);

    // The daily job's run, an hour past, is recorded as failed but still the day's run.
    clock_.advance(40min);
    s.run_due_once();
    EXPECT_EQ(last("daily")->outcome, JobOutcome::failed);
    EXPECT_EQ(daily, 0);
    clock_.advance(std::chrono::seconds(24h) - 60min - 1s);
    s.run_due_once();
    EXPECT_EQ(daily, 0);
    clock_.advance(1s);
    s.run_due_once();
    EXPECT_EQ(daily, 1);
    EXPECT_EQ(last("daily")->outcome, JobOutcome::ok);
}

// `arrimage reminders` and `directory-reminders` by hand: recorded, and counted as the job's run.
TEST_F(Jobs, ARunAskedByHandIsRecordedAndCountsAsTheIntervalsRun) {
    EXPECT_EQ(jobs::run_recorded(db(), clock_, "reminders", "cron:7", [] { return 5; }), 5);
    auto manual = last("reminders");
    ASSERT_TRUE(manual);
    EXPECT_EQ(manual->node, "cron:7");
    EXPECT_EQ(manual->outcome, JobOutcome::ok);
    EXPECT_EQ(manual->items, 5);
    EXPECT_THROW(jobs::run_recorded(db(), clock_, "reminders", "cron:8", []() -> int { throw std::runtime_error("disk full"); }),
                 std::runtime_error);
    EXPECT_EQ(last("reminders")->outcome, JobOutcome::failed);
    EXPECT_EQ(last("reminders")->error, "disk full");

    int scheduled = 0;
    jobs::Scheduler s(db(), clock_, lock(), {{"reminders", 3600s, [&](Database&) { return ++scheduled; }}}, "node-a");
    s.run_due_once();
    EXPECT_EQ(scheduled, 0);
    clock_.advance(3600s);
    s.run_due_once();
    EXPECT_EQ(scheduled, 1);
}

TEST_F(Jobs, OldRunsAreDeletedAsNewOnesEndAndTheLatestComeFirst) {
    EXPECT_EQ(keep_runs_for(10s), std::chrono::seconds(24h * 7));
    EXPECT_EQ(keep_runs_for(24h), std::chrono::seconds(24h * 100));
    int n = 0;
    jobs::Scheduler s(db(), clock_, lock(), {{"outbox", 10s, [&](Database&) { return ++n; }}}, "node-a");
    s.run_due_once();
    clock_.advance(10s);
    s.run_due_once();
    EXPECT_EQ(runs("outbox").size(), 2u);
    clock_.advance(std::chrono::seconds(24h * 7));
    s.run_due_once();
    const auto rows = runs("outbox");
    ASSERT_EQ(rows.size(), 2u);  // the first run is more than a week old, the second exactly a week
    EXPECT_EQ(rows[0].items, 3);
    EXPECT_EQ(rows[1].items, 2);
    EXPECT_EQ(runs("outbox", 1).size(), 1u);
    auto tx = db().begin(TxMode::read);
    EXPECT_EQ(JobRunsRepo(*tx, clock_).jobs(), std::vector<std::string>{"outbox"});
    tx->commit();
}
