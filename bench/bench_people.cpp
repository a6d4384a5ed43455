// Audited reads of a child's file at full durability (docs/ARCHITECTURE.md, "No personal
// information leaves before the audit row of its access is durable"). GET /children/{id} reads
// in a read transaction; its audit rows go to the group commit (store::AuditWriter), and the
// response waits until they are durable. Target, on the demo data scaled to 10,000 children,
// WAL with synchronous=FULL, 16 concurrent clients: audited reads reach at least 60 % of the
// throughput of the same reads with auditing off, with p99 <= 5 ms. The single-client latency
// ratio is printed beside it, for information.
//
// Setup: a temporary SQLite database, migrated, the demo data (app/demo_data.hpp), then
// children up to --children registered through PersonRepo as the demo agency's intake
// coordinator would (register_person with a family contact; for most an assigned coordinator,
// for some a team member from a participant organisation; consent directives, some amended,
// withdrawn or expired; lockbox entries), so every row and every audit row is written by the
// production code.
//
// Measure: a list of (random child, actor with a relationship to the file) requests; each
// client thread takes the next one and does exactly the store's part of the route:
//   audited    begin(read), PersonRepo::read_file (the guard collects the rows), the read
//              transaction ends, then AuditWriter::write (waits for the batch to be durable);
//   unaudited  the same, and the rows are dropped instead of written.
// Every policy decision and every row built is the same in both arms; only the group commit
// differs. The arms run in turns (unaudited, audited, unaudited, audited...) of --seconds each;
// throughput is the total of each arm's turns.
//
//   bench_people [--children 10000] [--clients 16] [--seconds 5 (per turn)] [--turns 2]
//                [--seed 42] [--db PATH (default: a temp file, removed)]
//                [--target-throughput 0.6] [--target-p99-ms 5]
//
// Machine-readable line: "RESULT_PEOPLE children=... throughput_ratio=... p99_ms=... result=...".
// Exit status: 0 when every measurement ran (PASS/FAIL is in the report), 1 on error.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/demo_data.hpp"
#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "store/audit_repo.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "store/person_repo.hpp"

#include <unistd.h>

using namespace arrimage;
namespace d = arrimage::domain;
using Clk = std::chrono::steady_clock;

namespace {

struct Options {
    int children = 10000;
    int clients = 16;
    double seconds = 5;
    int turns = 2;
    unsigned seed = 42;
    std::string db;
    double target_throughput = 0.6;
    double target_p99_ms = 5;
};

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--children N] [--clients N] [--seconds S] [--turns N] [--seed N] [--db PATH] "
                 "[--target-throughput R] [--target-p99-ms MS]\n",
                 argv0);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage(argv[0]);
        std::string v = argv[++i];
        if (a == "--children")
            o.children = std::atoi(v.c_str());
        else if (a == "--clients")
            o.clients = std::atoi(v.c_str());
        else if (a == "--seconds")
            o.seconds = std::atof(v.c_str());
        else if (a == "--turns")
            o.turns = std::atoi(v.c_str());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::atol(v.c_str()));
        else if (a == "--db")
            o.db = v;
        else if (a == "--target-throughput")
            o.target_throughput = std::atof(v.c_str());
        else if (a == "--target-p99-ms")
            o.target_p99_ms = std::atof(v.c_str());
        else
            usage(argv[0]);
    }
    if (o.children < 1 || o.clients < 1 || o.seconds <= 0 || o.turns < 1 || o.target_throughput <= 0 || o.target_p99_ms <= 0)
        usage(argv[0]);
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
double us_between(Clk::time_point a, Clk::time_point b) {
    return std::chrono::duration<double, std::micro>(b - a).count();
}

// ---------------------------------------------------------------- fictional children

const char* const given_names[] = {"Léa",   "Noah",    "Amira", "Sam",    "Élodie", "Liam",   "Chloé", "Malik",
                                   "Zoé",   "Ethan",   "Inès",  "Olivia", "Nathan", "Maya",   "Félix", "Aïcha",
                                   "Jacob", "Rosalie", "Adam",  "Emma",   "Owen",   "Léonie", "Yanis", "Charlotte",
                                   "Théo",  "Sofia",   "Hugo",  "Alice",  "Isaac",  "Jade",   "Louis", "Mila"};
const char* const family_roots[] = {"Tremblay", "Gagnon", "Roy",      "Côté",      "Bouchard", "Gauthier", "Morin",    "Lavoie",
                                    "Fortin",   "Gagné",  "Ouellet",  "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc",
                                    "Paquette", "Girard", "Simard",   "Boucher",   "Caron",    "Smith",    "Brown",    "Wilson",
                                    "Martin",   "Taylor", "Campbell", "Haddad",    "Nguyen",   "Singh",    "Okafor",   "Chen"};
const char* const schools[] = {"École Démo-des-Pins",      "Demo East Public School",  "Example Catholic Secondary",
                               "École secondaire Fictive", "Sample Valley Elementary", ""};

// One file's people: who may read it in the measured mix.
struct FileActors {
    std::int64_t person_id = 0;
    std::optional<d::Actor> coordinator, team_member;
};

struct Loaded {
    d::Actor intake;                // the demo agency's coordinator
    std::vector<FileActors> files;  // every child, demo ones included
    double seconds = 0;
    long long audit_rows = 0;
    int with_consent = 0, amended = 0, withdrawn = 0, expired = 0, lockbox = 0, with_team_member = 0, intake_only = 0;
};

d::Actor actor_of(store::Tx& tx, const std::string& email) {
    auto r = tx.query_one(
        "SELECT u.id, m.organisation_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id "
        "WHERE u.email = ? AND m.active = 1",
        {email});
    if (!r) throw std::runtime_error("no demo user " + email);
    return {r->i64(0), r->i64(1), d::parse_role(r->str(2)).value()};
}

// Registers children until the registry holds `target`, in transactions of `batch`.
Loaded scale(store::Database& db, const Clock& clock, int target, std::mt19937& rng) {
    Loaded out;
    const auto start = Clk::now();
    std::vector<d::Actor> coordinators, participants;
    {
        auto tx = db.begin(store::TxMode::read);
        out.intake = actor_of(*tx, "coord.ca@demo.arrimage.invalid");
        for (const char* e : {"coord1", "coord2", "coord3", "coord4"})
            coordinators.push_back(actor_of(*tx, std::string(e) + "@demo.arrimage.invalid"));
        for (const char* e : {"staff.ctc", "staff.board1", "staff.board2", "staff.mh", "staff.home", "staff.town"})
            participants.push_back(actor_of(*tx, std::string(e) + "@demo.arrimage.invalid"));
    }
    const auto now = clock.now();
    const auto day = std::chrono::hours(24);
    auto pick = [&](std::size_t n) { return static_cast<int>(rng() % n); };
    auto chance = [&](int percent) { return pick(100) < percent; };

    int existing = 0;
    {
        auto tx = db.begin(store::TxMode::read);
        existing = static_cast<int>(tx->query_one("SELECT COUNT(*) FROM people")->i64(0));
    }
    constexpr int batch = 250;
    for (int n = existing; n < target;) {
        auto tx = db.begin(store::TxMode::write);
        store::PersonRepo repo(bench::AccessForBench::as(*tx, clock, out.intake, "bench-load"));
        for (int k = 0; k < batch && n < target; ++k, ++n) {
            store::Registration r;
            auto& p = r.person;
            p.given_name = given_names[pick(std::size(given_names))];
            p.family_name = std::string("Démo-") + family_roots[pick(std::size(family_roots))] + "-" +
                            family_roots[pick(std::size(family_roots))];
            const int age_days = 200 + pick(365 * 18);
            p.date_of_birth = date_of(now - day * age_days);
            p.official_language = chance(45) ? Lang::fr : Lang::en;
            p.school = schools[pick(std::size(schools))];
            p.capable_of_consent = age_days > 365 * 14 && chance(70);
            p.address = std::to_string(1 + pick(999)) + " rue Fictive / Fictional Street";
            p.postal_code = "K0A 1A0";
            d::FamilyMember m;
            m.given_name = given_names[pick(std::size(given_names))];
            m.family_name = p.family_name;
            m.relationship = chance(80) ? d::FamilyRelationship::parent : d::FamilyRelationship::guardian;
            m.is_substitute_decision_maker = !p.capable_of_consent;
            m.phone = "+1 613-555-0" + std::to_string(100 + pick(900));
            m.email = "famille" + std::to_string(n) + "@demo.arrimage.invalid";
            m.preferred_language = p.official_language == Lang::fr ? "Français" : "English";
            r.family.push_back(m);
            if (chance(30)) {
                m.given_name = given_names[pick(std::size(given_names))];
                m.email = "famille" + std::to_string(n) + "b@demo.arrimage.invalid";
                r.family.push_back(m);
            }
            r.confirmed_distinct = true;
            const auto id = check(repo.register_person(r), "registration").person_id;
            if (id == 0) throw std::runtime_error("registration: no file created");

            FileActors fa{id, std::nullopt, std::nullopt};
            if (chance(8)) {  // a referral just received: intake only
                ++out.intake_only;
                out.files.push_back(fa);
                continue;
            }
            const auto& coord = coordinators[static_cast<std::size_t>(pick(coordinators.size()))];
            check(repo.add_to_team(id, coord.user_id, coord.organisation_id, d::TeamKind::assigned_coordinator), "team");
            fa.coordinator = coord;
            if (chance(40)) {
                const auto& staff = participants[static_cast<std::size_t>(pick(participants.size()))];
                check(repo.add_to_team(id, staff.user_id, staff.organisation_id, d::TeamKind::team_member), "team");
                fa.team_member = staff;
                ++out.with_team_member;
            }
            if (chance(88)) {
                d::ConsentDirective c;
                c.organisations = {coord.organisation_id};
                if (fa.team_member) c.organisations.push_back(fa.team_member->organisation_id);
                std::sort(c.organisations.begin(), c.organisations.end());
                c.organisations.erase(std::unique(c.organisations.begin(), c.organisations.end()), c.organisations.end());
                for (auto cat : d::consentable_categories()) c.categories.insert(cat);
                c.purposes = {d::Purpose::coordination, d::Purpose::referral};
                c.given_by = p.capable_of_consent ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
                c.given_by_name = p.capable_of_consent ? p.given_name + " " + p.family_name : m.given_name + " " + m.family_name;
                c.method = d::ConsentMethod::written;
                const bool expired = chance(3);
                c.given_at = now - day * (expired ? 800 : 10 + pick(700));
                c.expires_at = expired ? now - day * 30 : now + day * (30 + pick(700));
                const auto first = check(repo.record_directive(id, c), "directive");
                ++out.with_consent;
                if (expired) ++out.expired;
                if (!expired && chance(10)) {  // amended: a new version that withdraws the first
                    c.given_at = now - day * 5;
                    c.categories = {};
                    for (auto cat : d::consentable_categories())
                        if (cat != d::Category::case_notes) c.categories.insert(cat);
                    check(repo.record_directive(id, c, first), "amendment");
                    ++out.amended;
                } else if (!expired && chance(4)) {
                    check(repo.withdraw_directive(id, first), "withdrawal");
                    ++out.withdrawn;
                }
                if (chance(10)) {  // the family keeps one kind of information from one organisation
                    d::LockboxEntry l;
                    l.organisation_id = fa.team_member ? fa.team_member->organisation_id : coord.organisation_id;
                    l.category = chance(50) ? d::Category::education : d::Category::health;
                    l.requested_by = c.given_by;
                    check(repo.add_lockbox(id, l), "lockbox");
                    ++out.lockbox;
                }
            }
            out.files.push_back(fa);
        }
        tx->commit();
    }
    // The demo's own children (and any registered before): their team, read back.
    {
        auto tx = db.begin(store::TxMode::read);
        std::map<std::int64_t, FileActors> known;
        for (const auto& f : out.files) known[f.person_id] = f;
        for (const auto& r : tx->query("SELECT p.id FROM people p ORDER BY p.id")) {
            const auto id = r.i64(0);
            if (known.count(id)) continue;
            FileActors fa{id, std::nullopt, std::nullopt};
            for (const auto& t :
                 tx->query("SELECT ft.user_id, ft.organisation_id, m.role, ft.kind FROM file_team ft "
                           "JOIN memberships m ON m.user_id = ft.user_id AND m.organisation_id = ft.organisation_id "
                           "WHERE ft.person_id = ? AND ft.until_at IS NULL",
                           {id})) {
                const d::Actor a{t.i64(0), t.i64(1), d::parse_role(t.str(2)).value()};
                if (t.str(3) == "assigned_coordinator")
                    fa.coordinator = a;
                else
                    fa.team_member = a;
            }
            known[id] = fa;
        }
        out.files.clear();
        for (auto& [_, f] : known) out.files.push_back(f);
        out.audit_rows = tx->query_one("SELECT COUNT(*) FROM audit_events")->i64(0);
    }
    out.seconds = since(start);
    return out;
}

// ---------------------------------------------------------------- measuring

struct Request {
    std::int64_t person_id = 0;
    d::Actor actor;
};

// Who reads: the assigned coordinator half the time, a team member a quarter (when the file has
// one), otherwise the coordinating agency's intake coordinator.
std::vector<Request> requests(const Loaded& l, int n, std::mt19937& rng) {
    std::vector<Request> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto& f = l.files[rng() % l.files.size()];
        const int roll = static_cast<int>(rng() % 100);
        Request q{f.person_id, l.intake};
        if (roll < 50 && f.coordinator)
            q.actor = *f.coordinator;
        else if (roll < 75 && f.team_member)
            q.actor = *f.team_member;
        else if (roll < 75 && f.coordinator)
            q.actor = *f.coordinator;
        out.push_back(q);
    }
    return out;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)];
}

// One arm's turns, added up.
struct Arm {
    std::vector<double> us;  // each read's latency, from begin to durable (audited) or dropped
    double seconds = 0;
    long long rows = 0;
    int shown = 0, forbidden = 0, not_found = 0;

    double per_second() const { return seconds > 0 ? static_cast<double>(us.size()) / seconds : 0; }
    double at(double p) const {
        auto v = us;
        std::sort(v.begin(), v.end());
        return percentile(v, p);
    }
    double mean() const { return us.empty() ? 0 : std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size()); }
};

// One GET /children/{id} as the store sees it (see the header). Returns the latency in µs.
double read_once(store::Database& db, const Clock& clock, store::AuditWriter* writer, const Request& q, const std::string& id,
                 Arm& arm, std::mutex& m) {
    const auto a = Clk::now();
    std::vector<store::AuditEvent> rows;
    Result<store::PersonFile> f = Error::internal();
    {
        auto tx = db.begin(store::TxMode::read);
        store::PersonRepo repo(bench::AccessForBench::as(*tx, clock, q.actor, id, &rows));
        f = repo.read_file(q.person_id);
        tx->commit();
    }
    const auto n = static_cast<long long>(rows.size());
    if (writer && !writer->write(std::move(rows))) throw std::runtime_error("the group commit failed");
    const double us = us_between(a, Clk::now());
    std::lock_guard lk(m);
    arm.us.push_back(us);
    arm.rows += n;
    if (f)
        ++arm.shown;
    else if (f.error().code == Errc::Forbidden)
        ++arm.forbidden;
    else
        ++arm.not_found;
    return us;
}

// `clients` threads reading for `seconds`, taking requests in turn from `qs`.
void turn(store::Database& db, const Clock& clock, store::AuditWriter* writer, const std::vector<Request>& qs, int clients,
          double seconds, Arm& arm, std::atomic<std::size_t>& next, const std::string& tag) {
    std::mutex m;
    std::vector<std::thread> threads;
    const auto start = Clk::now();
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            while (since(start) < seconds) {
                const auto i = next++;
                read_once(db, clock, writer, qs[i % qs.size()], tag + std::to_string(i), arm, m);
            }
        });
    for (auto& t : threads) t.join();
    arm.seconds += since(start);
}

struct Pass {
    Arm audited, unaudited;
    store::AuditWriter::Stats group;
};

Pass measure(store::Database& db, const Clock& clock, const std::vector<Request>& qs, int clients, const Options& o) {
    Pass p;
    std::atomic<std::size_t> next{0};
    store::AuditWriter writer(db, clock);
    // Warm-up: both arms, one short turn each, not counted.
    Arm warm;
    turn(db, clock, nullptr, qs, clients, 0.5, warm, next, "bench-warm-");
    turn(db, clock, &writer, qs, clients, 0.5, warm, next, "bench-warm-");
    const auto before = writer.stats();
    for (int t = 0; t < o.turns; ++t) {
        turn(db, clock, nullptr, qs, clients, o.seconds, p.unaudited, next, "bench-u-");
        turn(db, clock, &writer, qs, clients, o.seconds, p.audited, next, "bench-a-");
    }
    const auto after = writer.stats();
    p.group.batches = after.batches - before.batches;
    p.group.submissions = after.submissions - before.submissions;
    p.group.rows = after.rows - before.rows;
    p.group.failed = after.failed - before.failed;
    return p;
}

void print_pass(const char* title, const Pass& p) {
    const auto& a = p.audited;
    const auto& u = p.unaudited;
    std::printf("\n%s\n", title);
    std::printf("%-36s %12s %12s %7s\n", "measure", "audited", "unaudited", "ratio");
    std::printf("%-36s %12.0f %12.0f %7.2f\n", "reads per second", a.per_second(), u.per_second(),
                u.per_second() > 0 ? a.per_second() / u.per_second() : 0);
    std::printf("%-36s %12.3f %12.3f %7.2f\n", "latency mean (ms)", a.mean() / 1000, u.mean() / 1000,
                u.mean() > 0 ? a.mean() / u.mean() : 0);
    std::printf("%-36s %12.3f %12.3f %7s\n", "latency p50 (ms)", a.at(0.5) / 1000, u.at(0.5) / 1000, "");
    std::printf("%-36s %12.3f %12.3f %7s\n", "latency p99 (ms)", a.at(0.99) / 1000, u.at(0.99) / 1000, "");
    std::printf("%-36s %12zu %12zu %7s\n", "reads", a.us.size(), u.us.size(), "");
    std::printf("outcomes (audited arm): %d shown, %d refused (403), %d not found (404); %lld audit rows\n", a.shown, a.forbidden,
                a.not_found, a.rows);
    const double per_batch =
        p.group.batches ? static_cast<double>(p.group.submissions) / static_cast<double>(p.group.batches) : 0;
    std::printf("group commit: %lld batches for %lld reads (%.1f reads per commit, so per fsync), %lld rows, %lld failed\n",
                static_cast<long long>(p.group.batches), static_cast<long long>(p.group.submissions), per_batch,
                static_cast<long long>(p.group.rows), static_cast<long long>(p.group.failed));
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const bench::ScratchDatabase scratch(o.db, "arrimage-bench-people", "people.db");
    if (!scratch.ok()) return 1;
    const std::string& path = scratch.path();
    int status = 0;
    try {
        SystemClock clock;
        // A connection per client and one for the group commit, so no client waits for a
        // connection (the server's waiting requests hold none; see store/audit_writer.hpp).
        auto db = store::open_database("sqlite:" + path, o.clients + 2);
        store::migrate(*db);
        if (!app::load_demo_data(*db, clock, PasswordHashCost::minimum()))
            throw std::runtime_error("the database already had organisations");
        std::mt19937 rng(o.seed);
        std::printf("bench_people: registering fictional children up to %d through PersonRepo in %s\n", o.children, path.c_str());
        std::fflush(stdout);
        const auto l = scale(*db, clock, o.children, rng);
        std::printf(
            "bench_people: %zu children in %.1f s (%d intake only, %d with a team member, %d with consent: %d amended, "
            "%d withdrawn, %d expired; %d lockbox entries); %lld audit rows so far\n",
            l.files.size(), l.seconds, l.intake_only, l.with_team_member, l.with_consent, l.amended, l.withdrawn, l.expired,
            l.lockbox, l.audit_rows);
        store::analyze(*db);  // as `arrimage serve` does on a database never analysed
        const auto qs = requests(l, 20000, rng);
        {
            // PRAGMA statements count as writes to SQLite: a write transaction, rolled back.
            auto tx = db->begin(store::TxMode::write);
            std::printf("bench_people: journal_mode=%s synchronous=%s (2 = FULL, as the server opens it)\n",
                        tx->query_one("PRAGMA journal_mode")->str(0).c_str(),
                        tx->query_one("PRAGMA synchronous")->str(0).c_str());
        }
        std::fflush(stdout);
        const auto many = measure(*db, clock, qs, o.clients, o);
        const auto one = measure(*db, clock, qs, 1, o);
        db->close();

        char title[160];
        std::snprintf(title, sizeof title, "%d concurrent clients, WAL, synchronous=FULL (the target is judged here)", o.clients);
        print_pass(title, many);
        print_pass("1 client, WAL, synchronous=FULL (for information)", one);
        const double ratio = many.unaudited.per_second() > 0 ? many.audited.per_second() / many.unaudited.per_second() : 0;
        const double p99_ms = many.audited.at(0.99) / 1000;
        const double single_ratio = one.unaudited.mean() > 0 ? one.audited.mean() / one.unaudited.mean() : 0;
        const bool pass = ratio >= o.target_throughput && p99_ms <= o.target_p99_ms;
        std::printf("\n%-58s %10s %10s  %s\n", "target", "measured", "wanted", "result");
        std::printf("%-58s %10.2f %10s  %s\n", "audited / unaudited throughput, 16 clients", ratio,
                    (">= " + std::to_string(o.target_throughput).substr(0, 4)).c_str(),
                    ratio >= o.target_throughput ? "PASS" : "FAIL");
        std::printf("%-58s %10.2f %10s  %s\n", "audited p99 (ms), 16 clients", p99_ms,
                    ("<= " + std::to_string(o.target_p99_ms).substr(0, 4)).c_str(), p99_ms <= o.target_p99_ms ? "PASS" : "FAIL");
        std::printf("%-58s %10.2f %10s  %s\n", "audited / unaudited latency, 1 client (information)", single_ratio, "-", "-");
        std::printf(
            "RESULT_PEOPLE children=%zu clients=%d audited_per_s=%.0f unaudited_per_s=%.0f throughput_ratio=%.2f "
            "p99_ms=%.3f reads_per_commit=%.1f single_client_latency_ratio=%.2f target_throughput=%.2f target_p99_ms=%.1f "
            "result=%s\n",
            l.files.size(), o.clients, many.audited.per_second(), many.unaudited.per_second(), ratio, p99_ms,
            many.group.batches ? static_cast<double>(many.group.submissions) / static_cast<double>(many.group.batches) : 0,
            single_ratio, o.target_throughput, o.target_p99_ms, pass ? "PASS" : "FAIL");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_people: %s\n", e.what());
        status = 1;
    }
    return status;
}
