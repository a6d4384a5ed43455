// The coordinated service plan of a large registry (docs/PLAN.md). Target: "A plan with 20 goals,
// 60 actions and 500 notes and versions, on a province-sized data set (100,000 children): viewing it
// p99 <= 5 ms and saving an action p99 <= 15 ms under 16 concurrent clients; a PDF <= 1 s; each
// printed beside /healthz and the baseline server from the same run."
//
// Each request is the store's part of its route. Viewing (GET /children/{id}/plan): a read
// transaction, PlanRepo::read as the plan's keeper (every section's category decided), then the
// group commit of its audit rows (store::AuditWriter), durable before the request counts as done.
// Saving an action (POST of a progress note on one of its actions): a write transaction,
// PlanRepo::record_progress with a note (its audit rows in the same transaction), committed. The
// PDF (GET /children/{id}/plan.pdf): the read as above, then the document and web::render_pdf, one
// request at a time, --pdf-runs of them (French and English in turn), judged on the slowest.
// The document is the printed page's own (features/plan/web/plan_document.hpp). A primary-key read of one plan through the
// same threads, measured in the same run, is the baseline of the reads; a one-row update by primary
// key committed through the same threads, that of the saves. The view and the save from one client
// alone are printed beside them, and the view of a small plan for comparison. /healthz and the
// baseline server are HTTP measurements: scripts/bench prints their figures from the same run beside
// this report.
//
// Setup (bench_registry.hpp, shared with bench_family): a temporary SQLite database, migrated, the
// demo data (app/demo_data.hpp), coordinators of the area's CSP providers up to --coordinators
// (through IdentityRepo), then the registry up to --children in one transaction of plain SQL
// (through the repositories, 100,000 files would take far longer than everything measured): each
// child with a family member, an assigned coordinator on the file's team and the family's
// consent for the coordinator's organisation; one child in --plans-every with a small plan (two
// goals, one action, two versions). Then the plan measured, entirely through the production
// repositories: a child registered by the agency (PersonRepo), a coordinator assigned and a team
// member from the treatment centre added, the family's consent for both; the plan started by the
// coordinator (PlanRepo), its sections saved, --goals goals, --actions actions owned in turn by the
// coordinator, their organisation, the team member, the centre and the family, some goals moved on,
// the plan made active, a meeting and the family's agreement, actions started and completed (each
// a version), and progress notes until its notes and versions number --notes-and-versions. The
// views run before the saves, so they read the plan at that size; the saves add notes to it.
//
//   bench_plan [--children 100000] [--coordinators 500] [--plans-every 5] [--goals 20] [--actions 60]
//              [--notes-and-versions 500] [--clients 16] [--seconds 5] [--pdf-runs 5] [--seed 11]
//              [--db PATH (default: a temp file, removed)] [--target-view-p99-ms 5]
//              [--target-save-p99-ms 15] [--target-pdf-ms 1000]
//
// Machine-readable line: "RESULT_PLAN children=... goals=... actions=... notes=... versions=...
// view_p99_ms=... save_p99_ms=... pdf_ms=... baseline_p99_ms=... write_baseline_p99_ms=... result=...".
// Exit status: 0 when every measurement ran (PASS/FAIL is in the report), 1 on error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
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
#include "core/time.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/plan/web/plan_document.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "web/app.hpp"
#include "web/pdf.hpp"

using namespace arrimage;
namespace d = arrimage::domain;
using bench::check;
using bench::Clk;
using bench::count;
using bench::ms_since;
using bench::percentile;
using bench::print;
using bench::require;
using bench::Run;
using bench::run;
using bench::since;
using bench::verdict;

namespace {

struct Options {
    int children = 100000;
    int coordinators = 500;
    int plans_every = 5;
    int goals = 20;
    int actions = 60;
    int notes_and_versions = 500;
    int clients = 16;
    double seconds = 5;
    int pdf_runs = 5;
    unsigned seed = 11;
    std::string db;
    double target_view_p99_ms = 5;
    double target_save_p99_ms = 15;
    double target_pdf_ms = 1000;
};

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--children N] [--coordinators N] [--plans-every N] [--goals N] [--actions N] "
                 "[--notes-and-versions N] [--clients N] [--seconds S] [--pdf-runs N] [--seed N] [--db PATH] "
                 "[--target-view-p99-ms MS] [--target-save-p99-ms MS] [--target-pdf-ms MS]\n",
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
        else if (a == "--clients")
            o.clients = std::atoi(v.c_str());
        else if (a == "--seconds")
            o.seconds = std::atof(v.c_str());
        else if (a == "--pdf-runs")
            o.pdf_runs = std::atoi(v.c_str());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::atol(v.c_str()));
        else if (a == "--db")
            o.db = v;
        else if (a == "--target-view-p99-ms")
            o.target_view_p99_ms = std::atof(v.c_str());
        else if (a == "--target-save-p99-ms")
            o.target_save_p99_ms = std::atof(v.c_str());
        else if (a == "--target-pdf-ms")
            o.target_pdf_ms = std::atof(v.c_str());
        else
            usage(argv[0]);
    }
    // A goal's place is at most domain::max_priority; every action needs a goal to serve.
    if (o.children < 1 || o.coordinators < 1 || o.plans_every < 1 || o.goals < 1 || o.goals > d::max_priority || o.actions < 1 ||
        o.notes_and_versions < 0 || o.clients < 1 || o.seconds <= 0 || o.pdf_runs < 1 || o.target_view_p99_ms <= 0 ||
        o.target_save_p99_ms <= 0 || o.target_pdf_ms <= 0)
        usage(argv[0]);
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = parse(argc, argv);
    try {
        bench::ScratchDatabase scratch(o.db, "arrimage-plan", "plan.db");
        if (!scratch.ok()) return 1;
        // A connection per client and one for the group commit (as bench_caseload).
        auto db = store::open_database("sqlite:" + scratch.path(), o.clients + 2);
        store::migrate(*db);
        SystemClock clock;
        // With its referrals: the demo's own plan (Noah's) is among the plans.
        if (count(*db, "SELECT COUNT(*) FROM users") == 0) app::load_demo_data(*db, clock, PasswordHashCost::minimum());
        if (count(*db, "SELECT COUNT(*) FROM people WHERE family_name = 'Plan-Banc'") > 0)
            throw std::runtime_error("--db already holds this benchmark's plan: give a new file");
        std::printf("bench_plan: a plan of %d goals, %d actions and %d notes and versions among %d children, in %s\n", o.goals,
                    o.actions, o.notes_and_versions, o.children, scratch.path().c_str());
        std::fflush(stdout);
        std::mt19937 rng(o.seed);
        auto load_start = Clk::now();
        const auto area = bench::coordinators(*db, clock, o.coordinators);
        // The registry up to --children, the plan's own child included.
        const auto small = bench::registry(*db, clock, area, o.children - 1, o.plans_every, rng);
        const double registry_s = since(load_start);
        load_start = Clk::now();
        const auto target = bench::target_plan(*db, clock, area, {"Plan-Banc", o.goals, o.actions, o.notes_and_versions});
        const double plan_s = since(load_start);
        store::analyze(*db);  // as `arrimage serve` does on a database never analysed
        const auto children = count(*db, "SELECT COUNT(*) FROM people");
        const auto plans_n = count(*db, "SELECT COUNT(*) FROM plans");
        std::printf("  data: %lld children, %zu coordinators, %lld plans; registry in %.1f s, the plan in %.1f s\n",
                    static_cast<long long>(children), area.coordinators.size(), static_cast<long long>(plans_n), registry_s,
                    plan_s);
        std::printf("  the plan: %d goals, %zu actions, %lld progress notes and %lld versions (%lld together)\n", o.goals,
                    target.actions.size(), static_cast<long long>(target.notes), static_cast<long long>(target.versions),
                    static_cast<long long>(target.notes + target.versions));
        if (small.empty()) throw std::runtime_error("no small plan: give more --children or a smaller --plans-every");

        store::AuditWriter writer(*db, clock);
        const auto person = target.person_id;
        const auto& keeper = target.keeper;
        auto baseline = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) {
            tx.query_one("SELECT status, version FROM plans WHERE id = ?", {small[(i * 7919) % small.size()].plan_id});
        };
        auto view = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) {
            store::PlanRepo repo(bench::AccessForBench::as(tx, clock, keeper, "bench-view", &rows));
            require(repo.read(person), "the plan's view");
        };
        auto view_small = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>& rows) {
            const auto& s = small[(i * 7919) % small.size()];
            store::PlanRepo repo(bench::AccessForBench::as(tx, clock, s.keeper, "bench-view-small", &rows));
            require(repo.read(s.person_id), "a small plan's view");
        };
        run(*db, writer, store::TxMode::read, o.clients, 0.5, view);  // warm-up
        const auto base = run(*db, writer, store::TxMode::read, o.clients, o.seconds, baseline);
        const auto v = run(*db, writer, store::TxMode::read, o.clients, o.seconds, view);
        const auto v_small = run(*db, writer, store::TxMode::read, o.clients, o.seconds, view_small);
        // One client alone: the latency of one view when nothing waits beside it.
        const auto base1 = run(*db, writer, store::TxMode::read, 1, o.seconds / 2, baseline);
        const auto v1 = run(*db, writer, store::TxMode::read, 1, o.seconds / 2, view);

        // The PDF, one request at a time: the read (audited as a view), the document, the PDF.
        const Catalogue catalogue = web::load_catalogue();
        const std::string today = date_of(clock.now()).iso();
        std::vector<double> pdf_ms, render_ms;
        std::size_t pdf_bytes = 0, pdf_blocks = 0;
        for (int k = 0; k < o.pdf_runs; ++k) {
            const auto a = Clk::now();
            std::vector<store::AuditEvent> rows;
            std::optional<store::PlanRecord> record;
            {
                auto tx = db->begin(store::TxMode::read);
                store::PlanRepo repo(bench::AccessForBench::as(*tx, clock, keeper, "bench-pdf", &rows));
                record = check(repo.read(person), "the plan for its PDF");
                tx->commit();
            }
            if (!rows.empty() && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
            const auto r = Clk::now();
            const auto doc = web::plan_pages::plan_document(catalogue, k % 2 ? Lang::en : Lang::fr, *record, today);
            const auto pdf = web::render_pdf(doc);
            render_ms.push_back(ms_since(r));
            pdf_ms.push_back(ms_since(a));
            if (pdf.size() < 5 || pdf.compare(0, 5, "%PDF-") != 0) throw std::runtime_error("render_pdf gave no PDF");
            pdf_bytes = pdf.size();
            pdf_blocks = doc.blocks.size();
        }

        // Saves: a progress note on one of the plan's actions, in turn, as its keeper.
        auto write_baseline = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) {
            tx.exec("UPDATE plans SET updated_at = ? WHERE id = ?",
                    {format_iso(clock.now()), small[(i * 7919) % small.size()].plan_id});
        };
        auto save = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) {
            store::PlanRepo repo(bench::AccessForBench::as(tx, clock, keeper, "bench-save"));
            require(repo.record_progress(person, target.actions[i % target.actions.size()],
                                         {std::nullopt, "Appel à la famille : tout avance comme prévu."}, 0),
                    "a progress note");
        };
        const auto wbase = run(*db, writer, store::TxMode::write, o.clients, o.seconds, write_baseline);
        const auto s = run(*db, writer, store::TxMode::write, o.clients, o.seconds, save);
        const auto wbase1 = run(*db, writer, store::TxMode::write, 1, o.seconds / 2, write_baseline);
        const auto s1 = run(*db, writer, store::TxMode::write, 1, o.seconds / 2, save);

        std::printf("  %d clients, %.1f s each:\n", o.clients, o.seconds);
        print("baseline: one plan by primary key", base, base);
        print("the plan viewed (GET /children/{id}/plan)", v, base);
        print("  a small plan viewed, for comparison", v_small, base);
        print("write baseline: one plan row updated, committed", wbase, wbase);
        print("a progress note on an action saved", s, wbase);
        std::printf("  1 client, %.1f s each:\n", o.seconds / 2);
        print("baseline: one plan by primary key", base1, base1);
        print("the plan viewed (GET /children/{id}/plan)", v1, base1);
        print("write baseline: one plan row updated, committed", wbase1, wbase1);
        print("a progress note on an action saved", s1, wbase1);
        const double pdf_worst = *std::max_element(pdf_ms.begin(), pdf_ms.end());
        std::printf(
            "  the PDF (GET /children/{id}/plan.pdf), one request at a time, %d in all: median %.1f ms, slowest %.1f ms, of "
            "which the document and render_pdf %.1f ms at the median; %zu blocks, %zu bytes\n",
            o.pdf_runs, percentile(pdf_ms, 0.5), pdf_worst, percentile(render_ms, 0.5), pdf_blocks, pdf_bytes);
        const auto per_request = [](const Run& r) { return r.ms.empty() ? 0.0 : static_cast<double>(r.rows) / r.ms.size(); };
        std::printf(
            "  audit rows group-committed per view: %.1f (one per decision: the plan, each other category of its sections, "
            "the child's date of birth)\n",
            per_request(v));
        std::printf("  the plan after the saves: %lld progress notes\n",
                    static_cast<long long>(count(*db,
                                                 "SELECT COUNT(*) FROM plan_action_events e JOIN plan_actions a ON a.id = "
                                                 "e.action_id JOIN plans p ON p.id = a.plan_id WHERE p.person_id = ? AND "
                                                 "e.event = 'note'",
                                                 {person})));

        const double view_p99 = percentile(v.ms, 0.99), save_p99 = percentile(s.ms, 0.99);
        const bool view_ok = view_p99 <= o.target_view_p99_ms, save_ok = save_p99 <= o.target_save_p99_ms,
                   pdf_ok = pdf_worst <= o.target_pdf_ms;
        std::printf("  target: the view's p99 <= %.0f ms: %s\n", o.target_view_p99_ms, verdict(view_ok));
        std::printf("  target: the save's p99 <= %.0f ms: %s\n", o.target_save_p99_ms, verdict(save_ok));
        std::printf("  target: the PDF (slowest of %d) <= %.0f ms: %s\n", o.pdf_runs, o.target_pdf_ms, verdict(pdf_ok));
        const bool pass = view_ok && save_ok && pdf_ok;
        std::printf(
            "RESULT_PLAN children=%lld goals=%d actions=%zu notes=%lld versions=%lld view_p99_ms=%.2f save_p99_ms=%.2f "
            "pdf_ms=%.1f baseline_p99_ms=%.2f write_baseline_p99_ms=%.2f result=%s\n",
            static_cast<long long>(children), o.goals, target.actions.size(), static_cast<long long>(target.notes),
            static_cast<long long>(target.versions), view_p99, save_p99, pdf_worst, percentile(base.ms, 0.99),
            percentile(wbase.ms, 0.99), verdict(pass));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_plan: %s\n", e.what());
        return 1;
    }
}
