// Caseloads and the incoming queue of a large area (docs/INTAKE.md). Target, with data for a large
// service delivery area (20,000 children, 200 coordinators, at least 200,000 events), 16 concurrent
// clients: a coordinator's caseload dashboard (IntakeRepo::caseload, as GET /caseload) p99 <= 20 ms,
// and the receiving organisation's incoming referrals (ReferralRepo::inbox, as GET /referrals)
// p99 <= 20 ms. Each request is the store's part of the route: a read transaction, the repository
// (every row decided), then the group commit of its audit rows (store::AuditWriter), durable before
// the request counts as done. A primary-key read of one intake through the same threads, measured in
// the same run, is the baseline the ratios are printed against; the same three from one client
// alone are printed beside them, and the 16-client reads with their audit rows dropped (what the
// group commit of one row per file shown costs).
//
// Setup: a temporary SQLite database, migrated, the demo data (app/demo_data.hpp) without its
// referrals, coordinators up to --coordinators (users and memberships of the area's CSP providers
// through IdentityRepo, each with a caseload limit large enough for their share), then children up
// to --children, each through the production repositories: a referral submitted and accepted, its
// intake opened, the story recorded, decided eligible, the child's file registered and linked, the
// family's consent for the coordinator's organisation (for most), the coordinator assigned; some
// files reassigned, some closed. Every row and every audit row is written by the production code.
//
//   bench_caseload [--children 20000] [--coordinators 200] [--clients 16] [--seconds 5] [--seed 7]
//                  [--db PATH (default: a temp file, removed)] [--target-p99-ms 20]
//
// Machine-readable line: "RESULT_CASELOAD children=... events=... caseload_p99_ms=... queue_p99_ms=...
// result=...". Exit status: 0 when every measurement ran (PASS/FAIL is in the report), 1 on error.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/demo_data.hpp"
#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/identity_repo.hpp"
#include "store/migrate.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
namespace d = arrimage::domain;
using Clk = std::chrono::steady_clock;

namespace {

struct Options {
    int children = 20000;
    int coordinators = 200;
    int clients = 16;
    double seconds = 5;
    unsigned seed = 7;
    std::string db;
    double target_p99_ms = 20;
};

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--children N] [--coordinators N] [--clients N] [--seconds S] [--seed N] [--db PATH] "
                 "[--target-p99-ms MS]\n",
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
        else if (a == "--clients")
            o.clients = std::atoi(v.c_str());
        else if (a == "--seconds")
            o.seconds = std::atof(v.c_str());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::atol(v.c_str()));
        else if (a == "--db")
            o.db = v;
        else if (a == "--target-p99-ms")
            o.target_p99_ms = std::atof(v.c_str());
        else
            usage(argv[0]);
    }
    if (o.children < 1 || o.coordinators < 1 || o.clients < 1 || o.seconds <= 0 || o.target_p99_ms <= 0) usage(argv[0]);
    return o;
}

template <typename R>
auto check(R&& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + " rejected: " + r.error().message_key);
    if constexpr (!std::is_same_v<std::decay_t<R>, Result<void>>) return *r;
}

double since(Clk::time_point a) {
    return std::chrono::duration<double>(Clk::now() - a).count();
}

d::Actor actor_of(store::Tx& tx, const std::string& email) {
    auto r = tx.query_one(
        "SELECT u.id, m.organisation_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id "
        "WHERE u.email = ? AND m.active = 1",
        {email});
    if (!r) throw std::runtime_error("no demo user " + email);
    return {r->i64(0), r->i64(1), d::parse_role(r->str(2)).value()};
}

std::int64_t count(store::Database& db, const std::string& sql) {
    auto tx = db.begin(store::TxMode::read);
    return tx->query_one(sql)->i64(0);
}

const char* const given_names[] = {"Léa", "Noah",  "Amira", "Sam",    "Élodie", "Liam", "Chloé", "Malik",
                                   "Zoé", "Ethan", "Inès",  "Olivia", "Nathan", "Maya", "Félix", "Aïcha"};
const char* const family_roots[] = {"Tremblay", "Gagnon", "Roy",    "Côté",   "Bouchard", "Gauthier", "Morin",  "Lavoie",
                                    "Smith",    "Brown",  "Wilson", "Haddad", "Nguyen",   "Singh",    "Okafor", "Chen"};

struct Area {
    d::Actor agency;                     // the demo agency's intake coordinator
    std::vector<d::Actor> coordinators;  // every coordinator of the area
};

// Coordinators of the area's CSP providers up to `target`, each able to hold their share.
Area coordinators(store::Database& db, const Clock& clock, int target, int children) {
    Area a;
    auto tx = db.begin(store::TxMode::write);
    a.agency = actor_of(*tx, "coord.ca@demo.arrimage.invalid");
    const auto admin = actor_of(*tx, "ca.admin@demo.arrimage.invalid");
    std::vector<std::int64_t> providers;
    for (const auto& r : tx->query("SELECT DISTINCT organisation_id FROM memberships WHERE role = 'coordinator' AND active = 1"))
        providers.push_back(r.i64(0));
    store::IdentityRepo identity(*tx, clock);
    const int existing =
        static_cast<int>(tx->query_one("SELECT COUNT(*) FROM memberships WHERE role = 'coordinator' AND active = 1")->i64(0));
    for (int i = existing; i < target; ++i) {
        const auto id = check(identity.create_user({"spc" + std::to_string(i) + "@bench.arrimage.invalid",
                                                    "Coordination Banc-" + std::to_string(i), i % 2 ? Lang::fr : Lang::en},
                                                   0),
                              "a coordinator");
        check(identity.add_membership(id, {providers[static_cast<std::size_t>(i) % providers.size()], d::Role::coordinator}, 0),
              "a membership");
    }
    store::IntakeRepo profiles(bench::AccessForBench::as(*tx, clock, admin, "bench-profiles"));
    const int limit = std::min(200, children / std::max(1, target) + 10);
    for (const auto& r : tx->query("SELECT m.user_id, m.organisation_id FROM memberships m WHERE m.role = 'coordinator' "
                                   "AND m.active = 1 ORDER BY m.user_id")) {
        a.coordinators.push_back({r.i64(0), r.i64(1), d::Role::coordinator});
        check(profiles.save_profile(r.i64(0), {"fr", "en"}, limit), "a coordinator's profile");
    }
    tx->commit();
    return a;
}

// Children up to `target`, each from a referral to an assigned coordinator (see the header).
void children(store::Database& db, const Clock& clock, const Area& area, int target, std::mt19937& rng) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::int64_t pathway = 0;
    {
        auto tx = db.begin(store::TxMode::read);
        pathway = tx->query_one(
                        "SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id "
                        "WHERE t.code = 'developmental'")
                      ->i64(0);
    }
    const auto now = clock.now();
    const auto day = std::chrono::hours(24);
    std::uint64_t bits = 0xBE7C0000;
    constexpr int batch = 200;
    int n = static_cast<int>(count(db, "SELECT COUNT(*) FROM intakes"));
    while (n < target) {
        auto tx = db.begin(store::TxMode::write);
        auto ctx = bench::AccessForBench::as(*tx, clock, area.agency, "bench-load");
        store::ReferralRepo refs(ctx);
        store::IntakeRepo intakes(ctx);
        store::PersonRepo people(ctx);
        const store::Referrer referrer{"Noa Coordination-Démo", "", "coord.ca@demo.arrimage.invalid"};
        for (int k = 0; k < batch && n < target; ++k, ++n) {
            d::Referral r;
            r.pathway_id = pathway;
            r.source = d::ReferralSource::family;
            r.given_name = given_names[pick(std::size(given_names))];
            r.family_name = std::string("Banc-") + family_roots[pick(std::size(family_roots))] + "-" + std::to_string(n);
            r.date_of_birth = date_of(now - day * static_cast<int>(400 + pick(365 * 16)));
            r.official_language = pick(2) ? Lang::fr : Lang::en;
            r.contact.given_name = "Parent";
            r.contact.family_name = r.family_name;
            r.contact.relationship = d::FamilyRelationship::parent;
            r.contact.is_substitute_decision_maker = true;
            r.contact.phone = "+1 613-555-0" + std::to_string(100 + n % 900);
            r.needs = "Besoins dans plusieurs secteurs.";
            r.consent_given_by = d::GivenBy::substitute_decision_maker;
            r.consent_method = d::ConsentMethod::verbal;
            const auto referral = check(refs.submit(r, referrer, bits++), "a referral").id;
            check(refs.accept(referral, ""), "an acceptance");
            const auto intake = check(intakes.open(referral), "an intake");
            auto version = [&] {
                return static_cast<int>(tx->query_one("SELECT version FROM intakes WHERE id = ?", {intake})->i64(0));
            };
            d::Story s;
            s.story = "Le récit de la famille, dans ses mots.";
            s.in_school = true;
            s.sectors = {d::Sector::education, d::Sector::health};
            for (const auto& c : intakes.criteria_for(intake)) s.answers[c.id] = true;
            check(intakes.save_story(intake, s, version()), "a story");
            check(intakes.decide(intake, {true, "Admissible."}, version()), "a decision");
            store::Registration reg;
            reg.person.given_name = r.given_name;
            reg.person.family_name = r.family_name;
            reg.person.date_of_birth = r.date_of_birth;
            reg.person.official_language = r.official_language;
            reg.confirmed_distinct = true;
            d::FamilyMember m;
            m.given_name = "Parent";
            m.family_name = r.family_name;
            m.is_substitute_decision_maker = true;
            m.phone = "+1 613-555-0199";
            reg.family.push_back(m);
            const auto person = check(people.register_person(reg), "a file").person_id;
            check(refs.link_file(referral, person), "a link");
            const auto& spc = area.coordinators[pick(area.coordinators.size())];
            if (pick(10) < 8) {
                d::ConsentDirective c;
                c.organisations = {spc.organisation_id};
                for (auto cat : d::consentable_categories()) c.categories.insert(cat);
                c.purposes = {d::Purpose::coordination};
                c.given_by_name = "Parent " + r.family_name;
                c.given_at = now - std::chrono::hours(1);
                check(people.record_directive(person, c), "a consent");
            }
            check(intakes.assign(intake, {spc.user_id, spc.organisation_id, "", "Banc d'essai."}, version()), "an assignment");
            const auto roll = pick(20);
            if (roll == 0) {
                const auto& other = area.coordinators[pick(area.coordinators.size())];
                if (other.user_id != spc.user_id)
                    check(intakes.assign(intake, {other.user_id, other.organisation_id, "Changement de besoins.", "Banc."},
                                         version()),
                          "a reassignment");
            } else if (roll == 1) {
                check(intakes.close(intake, {d::CloseReason::goals_met, ""}, version()), "a closure");
            }
        }
        tx->commit();
    }
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

struct Run {
    std::vector<double> ms;
    double seconds = 0;
    long long rows = 0;
    double per_second() const { return seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0; }
};

// `clients` threads for `seconds`, each doing `op(i, rows)` in a read transaction then writing the
// audit rows it collected through the group commit (durable before the request counts).
// With `drop`, the rows are counted and dropped instead (what the reads cost without their audit).
template <typename Op>
Run run(store::Database& db, store::AuditWriter& writer, int clients, double seconds, Op op, bool drop = false) {
    Run out;
    std::mutex m;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    const auto start = Clk::now();
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            while (since(start) < seconds) {
                const auto i = next++;
                const auto a = Clk::now();
                std::vector<store::AuditEvent> rows;
                {
                    auto tx = db.begin(store::TxMode::read);
                    op(*tx, i, rows);
                    tx->commit();
                }
                const auto n = static_cast<long long>(rows.size());
                if (n > 0 && !drop && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
                const double ms = std::chrono::duration<double, std::milli>(Clk::now() - a).count();
                std::lock_guard lk(m);
                out.ms.push_back(ms);
                out.rows += n;
            }
        });
    for (auto& t : threads) t.join();
    out.seconds = since(start);
    return out;
}

void print(const char* name, const Run& r, const Run& base) {
    std::printf("  %-44s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%.2fx the baseline's throughput; %lld audit rows)\n", name,
                r.per_second(), percentile(r.ms, 0.5), percentile(r.ms, 0.99),
                base.per_second() > 0 ? r.per_second() / base.per_second() : 0.0, r.rows);
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = parse(argc, argv);
    try {
        bench::ScratchDatabase scratch(o.db, "arrimage-caseload", "caseload.db");
        if (!scratch.ok()) return 1;
        // A connection per client and one for the group commit (as bench_people).
        auto db = store::open_database("sqlite:" + scratch.path(), o.clients + 2);
        store::migrate(*db);
        SystemClock clock;
        if (count(*db, "SELECT COUNT(*) FROM users") == 0) app::load_demo_data(*db, clock, PasswordHashCost::minimum(), false);
        std::printf("bench_caseload: a large area up to %d children and %d coordinators in %s\n", o.children, o.coordinators,
                    scratch.path().c_str());
        std::fflush(stdout);
        std::mt19937 rng(o.seed);
        const auto load_start = Clk::now();
        const auto area = coordinators(*db, clock, o.coordinators, o.children);
        children(*db, clock, area, o.children, rng);
        const double load_s = since(load_start);
        store::analyze(*db);  // as `arrimage serve` does on a database never analysed
        const auto events = count(*db,
                                  "SELECT (SELECT COUNT(*) FROM intake_events) + (SELECT COUNT(*) FROM referral_events) + "
                                  "(SELECT COUNT(*) FROM audit_events)");
        std::printf("  data: %lld children, %zu coordinators, %lld events (intake, referral and audit), loaded in %.1f s\n",
                    static_cast<long long>(count(*db, "SELECT COUNT(*) FROM intakes")), area.coordinators.size(),
                    static_cast<long long>(events), load_s);

        std::vector<std::int64_t> intake_ids;
        {
            auto tx = db->begin(store::TxMode::read);
            for (const auto& r : tx->query("SELECT id FROM intakes ORDER BY id")) intake_ids.push_back(r.i64(0));
        }
        store::AuditWriter writer(*db, clock);
        const auto& spcs = area.coordinators;
        auto baseline = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) {
            tx.query_one("SELECT status, version FROM intakes WHERE id = ?", {intake_ids[i % intake_ids.size()]});
        };
        auto caseload = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>& rows) {
            store::IntakeRepo repo(bench::AccessForBench::as(tx, clock, spcs[i % spcs.size()], "bench-c", &rows));
            check(repo.caseload(), "a caseload");
        };
        auto queue = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) {
            store::ReferralRepo repo(bench::AccessForBench::as(tx, clock, area.agency, "bench-q", &rows));
            check(repo.inbox(d::ReferralStatus::accepted, "", 50, 0), "an incoming queue");
        };
        run(*db, writer, o.clients, 0.5, caseload);  // warm-up
        const auto base = run(*db, writer, o.clients, o.seconds, baseline);
        const auto c = run(*db, writer, o.clients, o.seconds, caseload);
        const auto q = run(*db, writer, o.clients, o.seconds, queue);
        const auto c_dropped = run(*db, writer, o.clients, o.seconds, caseload, true);
        const auto q_dropped = run(*db, writer, o.clients, o.seconds, queue, true);
        std::printf("  %d clients, %.1f s each:\n", o.clients, o.seconds);
        print("baseline: one intake by primary key", base, base);
        print("a coordinator's caseload (GET /caseload)", c, base);
        print("the agency's incoming referrals (GET /referrals)", q, base);
        print("  the caseload, audit rows dropped", c_dropped, base);
        print("  the incoming referrals, audit rows dropped", q_dropped, base);
        // One client alone: the latency of one request when nothing waits beside it.
        const auto base1 = run(*db, writer, 1, o.seconds / 2, baseline);
        const auto c1 = run(*db, writer, 1, o.seconds / 2, caseload);
        const auto q1 = run(*db, writer, 1, o.seconds / 2, queue);
        std::printf("  1 client, %.1f s each:\n", o.seconds / 2);
        print("baseline: one intake by primary key", base1, base1);
        print("a coordinator's caseload (GET /caseload)", c1, base1);
        print("the agency's incoming referrals (GET /referrals)", q1, base1);
        const auto audited_rows = [](const Run& r) { return r.ms.empty() ? 0.0 : static_cast<double>(r.rows) / r.ms.size(); };
        std::printf("  audit rows per request: caseload %.1f, incoming referrals %.1f (one per file shown)\n", audited_rows(c),
                    audited_rows(q));
        const double cp99 = percentile(c.ms, 0.99), qp99 = percentile(q.ms, 0.99);
        const bool pass = cp99 <= o.target_p99_ms && qp99 <= o.target_p99_ms;
        std::printf("  target: both p99 <= %.0f ms: %s\n", o.target_p99_ms, pass ? "PASS" : "FAIL");
        std::printf("RESULT_CASELOAD children=%d events=%lld caseload_p99_ms=%.2f queue_p99_ms=%.2f result=%s\n", o.children,
                    static_cast<long long>(events), cp99, qp99, pass ? "PASS" : "FAIL");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_caseload: %s\n", e.what());
        return 1;
    }
}
