// The family's own access (docs/FAMILY.md). Target: "The family's plan page p99 <= 5 ms and the
// access report of a file with 10,000 audit rows p99 <= 20 ms under 16 concurrent clients on the
// province-sized data set, printed beside /healthz and the baseline server from the same run."
//
// Each request is the store's part of its route, as a family account signed in makes it. The plan
// page (GET /family/children/{id}): a read transaction, PlanRepo::read as the family account (the
// family's profile of the policy: every section's category decided, the signatures read), then the
// group commit of its audit rows (store::AuditWriter), durable before the request counts as done.
// The access report (GET /family/children/{id}/access): a read transaction,
// PrivacyOfficeRepo::access_report of the file's latest 200 rows (one page, as the page asks) as the family
// account, then the group commit of its audit row likewise. A primary-key read of one plan through
// the same threads, measured in the same run, is the baseline. The same from one client alone are
// printed beside them. /healthz and the baseline server are HTTP measurements: scripts/bench prints
// their figures from the same run beside this report.
//
// Setup (bench_registry.hpp, as bench_plan): a temporary SQLite database, migrated, the demo data
// (app/demo_data.hpp), coordinators of the area's CSP providers up to --coordinators, then the
// registry up to --children in one transaction of plain SQL. Then the file measured, through the
// production repositories: a child registered by the agency with a parent, assigned to a
// coordinator, and a plan of --goals goals, --actions actions and --notes-and-versions notes and
// versions; the parent invited by the coordinator with a printed code (FamilyRepo::invite), joined
// from the public page (FamilyRepo::join, nobody signed in), and the plan signed by the family
// account (PlanRepo::sign). Then --audit-rows more audit rows about the file, appended through the
// audit chain (AuditRepo::append_all, 1,000 per transaction: the chain hashes each row with the one
// before it, so plain INSERTs would break it): the coordinator, the team member, the agency and the
// family reading and updating, and now and then a coordinator with no relationship refused. The
// report runs before the plan page, so it reads the file at about that size (each request adds
// its own rows to the file).
//
//   bench_family [--children 100000] [--coordinators 500] [--plans-every 5] [--goals 5] [--actions 15]
//                [--notes-and-versions 60] [--audit-rows 10000] [--clients 16] [--seconds 5] [--seed 11]
//                [--db PATH (default: a temp file, removed)] [--target-view-p99-ms 5]
//                [--target-report-p99-ms 20]
//
// Machine-readable line: "RESULT_FAMILY children=... audit_rows=... report_rows=... view_p99_ms=...
// report_p99_ms=... baseline_p99_ms=... result=...".
// Exit status: 0 when every measurement ran (PASS/FAIL is in the report), 1 on error.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/demo_data.hpp"
#include "bench_registry.hpp"
#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/i18n.hpp"
#include "features/family/domain/family.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "store/audit_repo.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "store/privacy_office_repo.hpp"

using namespace arrimage;
namespace d = arrimage::domain;
using bench::check;
using bench::Clk;
using bench::count;
using bench::percentile;
using bench::print;
using bench::require;
using bench::run;
using bench::since;
using bench::verdict;

namespace {

// The rows one page of the family's access report shows (report_page_rows, web/pages_privacy_office.cpp).
constexpr int report_rows = 200;

struct Options {
    int children = 100000;
    int coordinators = 500;
    int plans_every = 5;
    int goals = 5;
    int actions = 15;
    int notes_and_versions = 60;
    int audit_rows = 10000;
    int clients = 16;
    double seconds = 5;
    unsigned seed = 11;
    std::string db;
    double target_view_p99_ms = 5;
    double target_report_p99_ms = 20;
};

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--children N] [--coordinators N] [--plans-every N] [--goals N] [--actions N] "
                 "[--notes-and-versions N] [--audit-rows N] [--clients N] [--seconds S] [--seed N] [--db PATH] "
                 "[--target-view-p99-ms MS] [--target-report-p99-ms MS]\n",
                 argv0);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(argv[0]);
        const std::string v = argv[++i];
        if (a == "--children")
            o.children = std::atoi(v.c_str());
        else if (a == "--coordinators")
            o.coordinators = std::atoi(v.c_str());
        else if (a == "--plans-every")
            o.plans_every = std::atoi(v.c_str());
        else if (a == "--goals")
            o.goals = std::atoi(v.c_str());
        else if (a == "--actions")
            o.actions = std::atoi(v.c_str());
        else if (a == "--notes-and-versions")
            o.notes_and_versions = std::atoi(v.c_str());
        else if (a == "--audit-rows")
            o.audit_rows = std::atoi(v.c_str());
        else if (a == "--clients")
            o.clients = std::atoi(v.c_str());
        else if (a == "--seconds")
            o.seconds = std::atof(v.c_str());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::atol(v.c_str()));
        else if (a == "--db")
            o.db = v;
        else if (a == "--target-view-p99-ms")
            o.target_view_p99_ms = std::atof(v.c_str());
        else if (a == "--target-report-p99-ms")
            o.target_report_p99_ms = std::atof(v.c_str());
        else
            usage(argv[0]);
    }
    // A goal's place is at most domain::max_priority; every action needs a goal to serve.
    if (o.children < 1 || o.coordinators < 1 || o.plans_every < 1 || o.goals < 1 || o.goals > d::max_priority || o.actions < 1 ||
        o.notes_and_versions < 0 || o.audit_rows < 0 || o.clients < 1 || o.seconds <= 0 || o.target_view_p99_ms <= 0 ||
        o.target_report_p99_ms <= 0)
        usage(argv[0]);
    return o;
}

// The file's parent, invited by its coordinator with a printed code, joined from the public page,
// and the plan signed as it stands, each its own request: the family account's user id.
std::int64_t family_account(store::Database& db, const Clock& clock, const bench::PlanTarget& t, std::mt19937& rng) {
    std::array<unsigned char, d::code_length> bytes{};
    auto random_bytes = [&] {
        for (auto& b : bytes) b = static_cast<unsigned char>(rng());
        return bytes;
    };
    const auto code = d::code_from_bytes(random_bytes());
    const auto login = d::sign_in_name_from_bytes(random_bytes());
    {
        auto tx = db.begin(store::TxMode::write);
        store::FamilyRepo family(bench::AccessForBench::as(*tx, clock, t.keeper, "bench-family-invite"));
        d::Invite in;
        in.relation = d::FamilyRelation::family_of;
        in.family_member_id = t.family_member_id;
        in.authority = true;
        in.delivery = d::InviteDelivery::print;
        check(family.invite(t.person_id, in, code, login), "the invitation");
        tx->commit();
    }
    std::int64_t user = 0;
    {
        auto tx = db.begin(store::TxMode::write);
        store::FamilyRepo visitor(bench::AccessForBench::anonymous(*tx, clock, "bench-family-join"));
        const std::string password = "un long mot de passe de famille";
        user = check(visitor.join({code, "Camille", Lang::fr}, password, hash_password(password, PasswordHashCost::minimum())),
                     "joining with the code");
        tx->commit();
    }
    {
        auto tx = db.begin(store::TxMode::write);
        store::PlanRepo plans(bench::AccessForBench::family(*tx, clock, user, "bench-family-sign"));
        const auto version = check(plans.read(t.person_id), "the plan as the family reads it").version;
        check(plans.sign(t.person_id, {version, d::SignatureDecision::agreed, ""}), "the family's signature");
        tx->commit();
    }
    return user;
}

// `n` audit rows about the file (see the header), through the chain, 1,000 per transaction: in
// each 20, eight by the coordinator, five by the team member and three by the agency (reads of
// every category of the file in turn, one in nine an update), three by the family account (the
// plan read, the access report printed), and one refused to a coordinator with no relationship.
void history(store::Database& db, const Clock& clock, const bench::PlanTarget& t, const bench::Area& area,
             std::int64_t family_user, int n) {
    const d::Category categories[] = {d::Category::identity_contact,    d::Category::health, d::Category::education,
                                      d::Category::assessments_reports, d::Category::plan,   d::Category::case_notes};
    std::vector<d::Actor> strangers;
    for (const auto& c : area.coordinators)
        if (c.user_id != t.keeper.user_id) strangers.push_back(c);
    if (strangers.empty()) strangers.push_back(area.agency);  // a tiny area: refused all the same
    constexpr int batch_rows = 1000;
    for (int done = 0; done < n;) {
        std::vector<store::AuditEvent> batch;
        for (; done < n && static_cast<int>(batch.size()) < batch_rows; ++done) {
            store::AuditEvent e;
            e.person_id = t.person_id;
            e.purpose = d::Purpose::coordination;
            e.decision = {d::Effect::permit, d::Reason::consent, false, 0};
            e.request_id = "bench-history-" + std::to_string(done);
            const int who = done % 20, round = done / 20;
            if (who < 16) {
                const auto& staff = who < 8 ? t.keeper : who < 13 ? t.team : area.agency;
                e.user_id = staff.user_id;
                e.organisation_id = staff.organisation_id;
                e.category = categories[static_cast<std::size_t>(round) % std::size(categories)];
                e.action = done % 9 == 0 ? d::Action::update : d::Action::read;
            } else if (who < 19) {
                e.user_id = family_user;  // a family account acts for no organisation
                e.category = who == 18 ? d::Category::access_log : d::Category::plan;
                e.action = who == 18 ? d::Action::print : d::Action::read;
                e.decision.reason = d::Reason::family_access;
            } else {
                const auto& stranger = strangers[static_cast<std::size_t>(round) % strangers.size()];
                e.user_id = stranger.user_id;
                e.organisation_id = stranger.organisation_id;
                e.decision = {d::Effect::deny, d::Reason::no_relationship, false, 0};
            }
            batch.push_back(std::move(e));
        }
        auto tx = db.begin(store::TxMode::write);
        store::AuditRepo(*tx, clock).append_all(batch);
        tx->commit();
    }
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = parse(argc, argv);
    try {
        bench::ScratchDatabase scratch(o.db, "arrimage-family", "family.db");
        if (!scratch.ok()) return 1;
        // A connection per client and one for the group commit (as bench_plan).
        auto db = store::open_database("sqlite:" + scratch.path(), o.clients + 2);
        store::migrate(*db);
        SystemClock clock;
        if (count(*db, "SELECT COUNT(*) FROM users") == 0) app::load_demo_data(*db, clock, PasswordHashCost::minimum());
        if (count(*db, "SELECT COUNT(*) FROM people WHERE family_name = 'Famille-Banc'") > 0)
            throw std::runtime_error("--db already holds this benchmark's file: give a new file");
        std::printf(
            "bench_family: a family's plan and access report, %d audit rows added to its file, among %d children, in %s\n",
            o.audit_rows, o.children, scratch.path().c_str());
        std::fflush(stdout);
        std::mt19937 rng(o.seed);
        auto load_start = Clk::now();
        const auto area = bench::coordinators(*db, clock, o.coordinators);
        // The registry up to --children, the measured file included.
        const auto small = bench::registry(*db, clock, area, o.children - 1, o.plans_every, rng);
        const double registry_s = since(load_start);
        load_start = Clk::now();
        const auto target = bench::target_plan(*db, clock, area, {"Famille-Banc", o.goals, o.actions, o.notes_and_versions});
        const auto account = family_account(*db, clock, target, rng);
        const double file_s = since(load_start);
        load_start = Clk::now();
        history(*db, clock, target, area, account, o.audit_rows);
        const double history_s = since(load_start);
        store::analyze(*db);  // as `arrimage serve` does on a database never analysed
        const auto person = target.person_id;
        const std::string file_rows_sql = "SELECT COUNT(*) FROM audit_events WHERE person_id = ?";
        const auto children = count(*db, "SELECT COUNT(*) FROM people");
        const auto file_rows = count(*db, file_rows_sql, {person});
        std::printf(
            "  data: %lld children, %zu coordinators; registry in %.1f s, the file, its plan and the family's access in %.1f s, "
            "%d audit rows in %.1f s\n",
            static_cast<long long>(children), area.coordinators.size(), registry_s, file_s, o.audit_rows, history_s);
        if (small.empty()) throw std::runtime_error("no small plan: give more --children or a smaller --plans-every");

        store::AuditWriter writer(*db, clock);
        // Once before measuring: the family is shown its plan, signed, and a report of the file's rows.
        std::size_t shown_rows = 0;
        {
            std::vector<store::AuditEvent> rows;
            auto tx = db->begin(store::TxMode::read);
            store::PlanRepo plans(bench::AccessForBench::family(*tx, clock, account, "bench-family-check", &rows));
            const auto plan = check(plans.read(person), "the family's plan");
            store::PrivacyOfficeRepo office(bench::AccessForBench::family(*tx, clock, account, "bench-family-check", &rows));
            const auto report = check(office.access_report(person, report_rows), "the family's access report");
            tx->commit();
            if (!rows.empty() && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
            if (!plan.id || plan.withheld) throw std::runtime_error("the family was shown no plan");
            if (plan.signatures.empty()) throw std::runtime_error("the family's signature is not on its plan");
            if (report.rows.empty()) throw std::runtime_error("the family's access report shows no row");
            shown_rows = report.rows.size();
            std::printf(
                "  the family's file: a plan of %zu goals and %zu actions at version %d, %zu signature(s), %zu section(s) "
                "withheld; %lld audit rows, of which the report shows %zu%s\n",
                plan.goals.size(), plan.actions.size(), plan.version, plan.signatures.size(), plan.withheld_sections.size(),
                static_cast<long long>(file_rows), shown_rows, report.truncated ? " (the latest: truncated)" : "");
        }

        auto baseline = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) {
            tx.query_one("SELECT status, version FROM plans WHERE id = ?", {small[(i * 7919) % small.size()].plan_id});
        };
        auto view = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) {
            store::PlanRepo repo(bench::AccessForBench::family(tx, clock, account, "bench-family-view", &rows));
            require(repo.read(person), "the family's plan");
        };
        auto report = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) {
            store::PrivacyOfficeRepo repo(bench::AccessForBench::family(tx, clock, account, "bench-family-report", &rows));
            require(repo.access_report(person, report_rows), "the family's access report");
        };
        run(*db, writer, store::TxMode::read, o.clients, 0.25, report);  // warm-up
        run(*db, writer, store::TxMode::read, o.clients, 0.25, view);
        const auto rows_before = count(*db, file_rows_sql, {person});
        const auto base = run(*db, writer, store::TxMode::read, o.clients, o.seconds, baseline);
        const auto r = run(*db, writer, store::TxMode::read, o.clients, o.seconds, report);
        const auto v = run(*db, writer, store::TxMode::read, o.clients, o.seconds, view);
        // One client alone: the latency of one request when nothing waits beside it.
        const auto base1 = run(*db, writer, store::TxMode::read, 1, o.seconds / 2, baseline);
        const auto r1 = run(*db, writer, store::TxMode::read, 1, o.seconds / 2, report);
        const auto v1 = run(*db, writer, store::TxMode::read, 1, o.seconds / 2, view);
        const auto rows_after = count(*db, file_rows_sql, {person});

        std::printf("  %d clients, %.1f s each:\n", o.clients, o.seconds);
        print("baseline: one plan by primary key", base, base);
        print("the report (GET /family/children/{id}/access)", r, base);
        print("the family's plan (GET /family/children/{id})", v, base);
        std::printf("  1 client, %.1f s each:\n", o.seconds / 2);
        print("baseline: one plan by primary key", base1, base1);
        print("the report (GET /family/children/{id}/access)", r1, base1);
        print("the family's plan (GET /family/children/{id})", v1, base1);
        const auto per_request = [](const bench::Run& x) {
            return x.ms.empty() ? 0.0 : static_cast<double>(x.rows) / x.ms.size();
        };
        std::printf("  audit rows group-committed per request: %.1f for the plan, %.1f for the report\n", per_request(v),
                    per_request(r));
        std::printf("  the file's audit rows: %lld before the measured runs, %lld after (each request adds its own)\n",
                    static_cast<long long>(rows_before), static_cast<long long>(rows_after));

        const double view_p99 = percentile(v.ms, 0.99), report_p99 = percentile(r.ms, 0.99);
        const bool view_ok = view_p99 <= o.target_view_p99_ms, report_ok = report_p99 <= o.target_report_p99_ms;
        std::printf("  target: the family's plan p99 <= %.0f ms: %s\n", o.target_view_p99_ms, verdict(view_ok));
        std::printf("  target: the access report p99 <= %.0f ms: %s\n", o.target_report_p99_ms, verdict(report_ok));
        std::printf(
            "RESULT_FAMILY children=%lld audit_rows=%lld report_rows=%zu view_p99_ms=%.2f report_p99_ms=%.2f "
            "baseline_p99_ms=%.2f result=%s\n",
            static_cast<long long>(children), static_cast<long long>(file_rows), shown_rows, view_p99, report_p99,
            percentile(base.ms, 0.99), verdict(view_ok && report_ok));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_family: %s\n", e.what());
        return 1;
    }
}
