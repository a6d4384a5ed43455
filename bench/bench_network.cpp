// The network feature at the size of a large network (docs/NETWORK.md). Targets: "With 2,000
// organisations and 10,000 agreements: the network map's data <= 100 ms and a maturity history
// page p99 <= 20 ms under 16 concurrent clients, in the same run as the baseline server."
//
// Each request is the store's part of a page as the area's coordinating agency administrator
// makes it: a read transaction from the pool (TxMode::read, as the routes are declared), the
// repository for the administrator, its operations, the commit. The map and the assessments are
// about organisations, so the repositories record no audit row; a read's rows would go to the
// group commit (store::AuditWriter) before the request counted as done, as the pipeline does, so
// a change there would show here. Measured:
//   - from one client, repeated for --seconds: the network map's data of the area, no filter
//     (NetworkMapRepo::map), judged against --target-map-ms on its p99; the map with a filter per
//     request in turn (a kind, a standing, both), reported with each filter's figures under it;
//     the baseline from one client beside them;
//   - from --clients threads for --seconds each: the maturity history page's store part (GET
//     /network/maturity/history?area=...&subject=area: the area's history, MaturityRepo::history),
//     judged against --target-history-ms on its p99; the subjects overview (GET /network/maturity,
//     MaturityRepo::subjects), reported;
//   - the baseline, from one client and from --clients threads: a primary-key read of one
//     agreement row, as bench_agreements does.
// Every p99 is printed with its ratio to the p99 of the baseline measured with as many clients in
// this run. The baseline server and /healthz are HTTP measurements: scripts/bench prints their
// figures from the same run beside this report.
//
// Setup: the data of bench_agreements (bench_agreements_data.hpp: two areas, the agency and its
// administrator, --organisations organisations, agreements up to --agreements in plain SQL in one
// write transaction, a handful through AgreementRepo), except that a few of the area's
// organisations are set aside from it: half of them have no agreement at all (unconnected on the
// map), the other half only agreements that have ended, expired or terminated (lapsed), written
// in plain SQL as well and counted in --agreements. Then --assessments maturity assessments: about
// half of the area, the rest spread over a few of its partnerships in force, dated a month apart
// up to today, their levels rising over time; in plain SQL in one write transaction (the rows
// MaturityRepo::create writes, the score computed by domain::score; tests/db/test_maturity_repo.cpp
// checks the repository's own path), and a handful through MaturityRepo::create, so its path is
// part of the run.
//
//   bench_network [--organisations 2000] [--agreements 10000] [--assessments 200] [--clients 16] [--seconds 5]
//                 [--seed 13] [--db PATH (default: a temp file, removed)] [--target-map-ms 100]
//                 [--target-history-ms 20]
//
// Machine-readable line: "RESULT_NETWORK organisations=... agreements=... assessments=...
// map_p99_ms=... history_p99_ms=... baseline_p99_ms=... result=..." (the baseline of --clients).
// Exit status: 0 when every measurement ran (PASS/FAIL is in the report), 1 on error.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench_agreements_data.hpp"
#include "bench_measure.hpp"
#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/network/domain/network.hpp"
#include "features/network/domain/network_map.hpp"
#include "features/network/store/maturity_repo.hpp"
#include "features/network/store/network_map_repo.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"

using namespace arrimage;
namespace d = arrimage::domain;
using bench::check;
using bench::Clk;
using bench::line;
using bench::percentile;
using bench::require;
using bench::run;
using bench::Run;
using bench::since;

namespace {

// Recorded through AgreementRepo::create (part of --agreements), as bench_agreements does.
constexpr int agreements_through_repo = 5;
// Recorded through MaturityRepo::create (part of --assessments): half of the area, half of a
// partnership.
constexpr int assessments_through_repo = 4;
// The partnerships assessed besides the area.
constexpr std::size_t partnerships_assessed = 4;

// The area's organisations set aside from bench_agreements' data (a fiftieth of them, at least
// four, an even number): half with no agreement, half with one ended agreement each.
int set_aside(int organisations) {
    const int in_area = organisations - 1 - organisations / 10;  // the agency and the second area's excluded
    return std::max(4, in_area / 50) / 2 * 2;
}

struct Options {
    int organisations = 2000;
    int agreements = 10000;
    int assessments = 200;
    int clients = 16;
    double seconds = 5;
    unsigned seed = 13;
    std::string db;
    double target_map_ms = 100;
    double target_history_ms = 20;
};

// The fewest agreements the data needs: twice those through the repository, and the ended ones.
int fewest_agreements(int organisations) {
    return 2 * agreements_through_repo + set_aside(organisations) / 2;
}

[[noreturn]] void usage(const char* argv0, int organisations) {
    std::fprintf(stderr,
                 "usage: %s [--organisations N (at least 10)] [--agreements N (at least %d with %d organisations)] "
                 "[--assessments N (at least %d)] [--clients N] [--seconds S] [--seed N] [--db PATH] [--target-map-ms MS] "
                 "[--target-history-ms MS]\n",
                 argv0, fewest_agreements(std::max(organisations, 10)), std::max(organisations, 10),
                 2 * assessments_through_repo);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(argv[0], o.organisations);
        const std::string v = argv[++i];
        if (a == "--organisations")
            o.organisations = std::atoi(v.c_str());
        else if (a == "--agreements")
            o.agreements = std::atoi(v.c_str());
        else if (a == "--assessments")
            o.assessments = std::atoi(v.c_str());
        else if (a == "--clients")
            o.clients = std::atoi(v.c_str());
        else if (a == "--seconds")
            o.seconds = std::atof(v.c_str());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::atol(v.c_str()));
        else if (a == "--db")
            o.db = v;
        else if (a == "--target-map-ms")
            o.target_map_ms = std::atof(v.c_str());
        else if (a == "--target-history-ms")
            o.target_history_ms = std::atof(v.c_str());
        else
            usage(argv[0], o.organisations);
    }
    // Ten organisations leave the area four set aside and four for the agreements' parties.
    if (o.organisations < 10 || o.agreements < fewest_agreements(o.organisations) ||
        o.assessments < 2 * assessments_through_repo || o.clients < 1 || o.seconds <= 0 || o.target_map_ms <= 0 ||
        o.target_history_ms <= 0)
        usage(argv[0], o.organisations);
    return o;
}

std::int64_t count(store::Database& db, const std::string& sql, const store::Params& params = {}) {
    auto tx = db.begin(store::TxMode::read);
    return tx->query_one(sql, params)->i64(0);
}

// ---------------------------------------------------------------- the data

// bench_agreements' network, with the organisations set aside from its agreements.
struct Setting {
    bench::Network net;                     // area_orgs: those the agreements are drawn between
    std::vector<std::int64_t> unconnected;  // no agreement at all
    std::vector<std::int64_t> lapsed;       // only ended agreements
};

Setting setting(store::Database& db, const Clock& clock, int organisations) {
    Setting s;
    s.net = bench::network(db, clock, organisations);
    auto& orgs = s.net.area_orgs;
    const auto aside = static_cast<std::size_t>(set_aside(organisations));
    const auto first = orgs.end() - static_cast<std::ptrdiff_t>(aside);
    s.unconnected.assign(first, first + static_cast<std::ptrdiff_t>(aside / 2));
    s.lapsed.assign(first + static_cast<std::ptrdiff_t>(aside / 2), orgs.end());
    orgs.erase(first, orgs.end());
    return s;
}

// One agreement that has ended for each organisation of `s.lapsed`, in plain SQL in one
// transaction: in turn a partnership with the next one, expired, and a CSP provider agreement with
// the agency, terminated. Returns how many.
int ended_agreements(store::Database& db, const Clock& clock, const Setting& s) {
    using K = d::AgreementKind;
    using S = d::AgreementStatus;
    const auto today = date_of(clock.now());
    const auto by = s.net.admin.user_id;
    auto tx = db.begin(store::TxMode::write);
    const auto n = s.lapsed.size();
    for (std::size_t k = 0; k < n; ++k) {
        const bool partnership = k % 2 == 0;
        const auto kind = partnership ? K::partnership : K::csp_provider;
        const auto status = partnership ? S::expired : S::terminated;
        const Date expired_on = add_days(today, -30 - static_cast<int>(k) * 7);
        const Date effective = add_days(expired_on, -730);
        const std::string recorded = add_days(effective, -14).iso() + "T14:00:00Z";
        char number[24];
        std::snprintf(number, sizeof number, "%04zu", k + 1);
        const auto id =
            tx->query_one(
                  "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, summary, effective_on, expires_on, "
                  "review_due, status, version, created_at, created_by, updated_at, updated_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {s.net.sda_id, std::string("ENT-FIN-") + number, std::string("Entente terminée n° ") + number,
                   std::string("Ended agreement no. ") + number, std::string(d::code(kind)),
                   std::string("Les parties ont cessé de travailler ensemble."), effective.iso(),
                   partnership ? expired_on.iso() : std::string(), add_days(expired_on, -60).iso(), std::string(d::code(status)),
                   std::int64_t{1}, recorded, by, recorded, by})
                ->i64(0);
        const std::int64_t parties[] = {partnership ? s.lapsed[(k + 1) % n] : s.net.agency, s.lapsed[k]};
        for (auto org : parties)
            tx->exec("INSERT INTO agreement_parties (agreement_id, organisation_id) VALUES (?, ?)", {id, org});
        tx->exec("INSERT INTO agreement_scopes (agreement_id, scope) VALUES (?, ?)",
                 {id, std::string(d::code(d::AgreementScope::referral))});
        tx->exec(
            "INSERT INTO agreement_events (agreement_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'record', "
            "'draft', '')",
            {id, recorded, by});
        for (const auto& [event, to] : bench::moves_to(status))
            tx->exec("INSERT INTO agreement_events (agreement_id, at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, '')",
                     {id, recorded, by, std::string(d::code(event)), std::string(d::code(to))});
    }
    tx->commit();
    return static_cast<int>(n);
}

// The subjects assessed: the area (no agreement), then up to `partnerships_assessed` of its
// partnerships in force.
std::vector<std::optional<std::int64_t>> assessed_subjects(store::Database& db, const Setting& s) {
    std::vector<std::optional<std::int64_t>> out = {std::nullopt};
    auto tx = db.begin(store::TxMode::read);
    for (const auto& r :
         tx->query("SELECT id FROM agreements WHERE sda_id = ? AND kind = ? AND status IN (?, ?, ?) "
                   "ORDER BY id LIMIT ?",
                   {s.net.sda_id, std::string(d::code(d::AgreementKind::partnership)),
                    std::string(d::code(d::AgreementStatus::active)), std::string(d::code(d::AgreementStatus::under_review)),
                    std::string(d::code(d::AgreementStatus::renewed)), static_cast<std::int64_t>(partnerships_assessed)}))
        out.emplace_back(r.i64(0));
    // The data always has one: bench_agreements_data.hpp's third agreement through the
    // repository is an active partnership.
    if (out.size() < 2) throw std::runtime_error("the area has no partnership in force to assess");
    return out;
}

// `count` assessments in plain SQL, in one transaction: half of the area (subjects[0]), the rest
// in turn over its partnerships; each subject's a month apart up to a month ago, oldest first,
// their levels rising from fragmented towards integrated with some noise, the marks held more
// often as time goes, the score computed as the repository does (domain::score).
void bulk_assessments(store::Database& db, const Clock& clock, const Setting& s,
                      const std::vector<std::optional<std::int64_t>>& subjects, int count, std::mt19937& rng) {
    auto pick = [&](int m) { return static_cast<int>(rng() % static_cast<unsigned>(m)); };
    const auto today = date_of(clock.now());
    const auto by = s.net.admin.user_id;
    std::vector<int> per_subject(subjects.size(), 0);
    per_subject[0] = (count + 1) / 2;
    for (int k = 0; k < count - per_subject[0]; ++k) ++per_subject[1 + static_cast<std::size_t>(k) % (subjects.size() - 1)];
    auto tx = db.begin(store::TxMode::write);
    for (std::size_t subject = 0; subject < subjects.size(); ++subject) {
        const int m = per_subject[subject];
        for (int k = 0; k < m; ++k) {
            const double progress = m > 1 ? static_cast<double>(k) / (m - 1) : 1.0;
            const Date on = add_days(today, -30 * (m - k));
            std::vector<d::MaturityAnswer> answers;
            for (auto dimension : d::all_maturity_dimensions()) {
                const int level = std::clamp(static_cast<int>(1.5 + 3.5 * progress) + pick(3) - 1, 1, 5);
                answers.push_back({dimension, *d::level_of_rank(level),
                                   "Constat pour " + std::string(d::code(dimension)) + " à l'évaluation du " + on.iso() + "."});
            }
            std::vector<d::MarkAnswer> marks;
            for (auto mark : d::all_integration_marks()) {
                const bool held = pick(100) < 20 + static_cast<int>(70 * progress);
                marks.push_back({mark, held, held ? "Pièce justificative versée au dossier du réseau." : ""});
            }
            const auto score = d::score(answers, marks);
            const auto id =
                tx->query_one(
                      "INSERT INTO maturity_assessments (sda_id, agreement_id, assessed_on, summary, score_tenths, stage, "
                      "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      {s.net.sda_id, store::opt(subjects[subject]), on.iso(),
                       std::string("Auto-évaluation du réseau, tenue en comité de coordination."),
                       static_cast<std::int64_t>(score.tenths), std::string(d::code(score.stage)), on.iso() + "T15:00:00Z", by})
                    ->i64(0);
            for (const auto& a : answers)
                tx->exec("INSERT INTO maturity_answers (assessment_id, dimension, level, evidence) VALUES (?, ?, ?, ?)",
                         {id, std::string(d::code(a.dimension)), static_cast<std::int64_t>(d::rank(a.level)), a.evidence});
            for (const auto& a : marks)
                tx->exec("INSERT INTO maturity_marks (assessment_id, mark, held, evidence) VALUES (?, ?, ?, ?)",
                         {id, std::string(d::code(a.mark)), static_cast<std::int64_t>(a.held ? 1 : 0), a.evidence});
        }
    }
    tx->commit();
}

// `count` assessments dated today through the repository, as the administrator's form records
// them: the first half of the area, the rest of its first partnership assessed.
void repo_assessments(store::Database& db, const Clock& clock, const Setting& s,
                      const std::vector<std::optional<std::int64_t>>& subjects, int count) {
    const auto today = date_of(clock.now());
    auto tx = db.begin(store::TxMode::write);
    store::MaturityRepo repo(bench::AccessForBench::as(*tx, clock, s.net.admin, "bench-network-record"));
    for (int j = 0; j < count; ++j) {
        d::AssessmentForm form;
        form.assessed_on = today.iso();
        form.subject = j < count / 2 ? std::string("area") : std::to_string(*subjects[1]);
        for (auto dimension : d::all_maturity_dimensions())
            form.answers.push_back(
                {std::to_string(3 + j % 2), "Constat du comité pour " + std::string(d::code(dimension)) + "."});
        for (auto mark : d::all_integration_marks()) {
            const bool held = mark != d::IntegrationMark::formal_agreements || j % 2 == 1;
            form.marks.push_back({held ? "1" : "", held ? "Compte rendu du comité de coordination." : ""});
        }
        form.summary = "Évaluation enregistrée par le formulaire " + std::to_string(j + 1) + ".";
        check(repo.create(form), "an assessment recorded through the repository");
    }
    tx->commit();
}

// ---------------------------------------------------------------- the map's filters

// The filtered map's requests, in turn.
constexpr const char* map_filter_names[] = {"a kind", "a standing", "a kind and a standing"};
constexpr std::size_t map_filter_count = std::size(map_filter_names);

// The filter `which`, its `round`-th time: kinds and standings in turn.
d::MapFilter map_filter(std::size_t which, std::size_t round) {
    const auto& kinds = d::all_agreement_kinds();
    const auto& standings = d::all_map_standings();
    d::MapFilter f;
    if (which != 1) f.kind = std::string(d::code(kinds[round % kinds.size()]));
    if (which != 0) f.standing = standings[(which == 2 ? round / kinds.size() : round) % standings.size()];
    return f;
}

// ---------------------------------------------------------------- measuring

void header(int clients, double seconds) {
    std::printf(
        "  %d client%s, %.1f s each (p50 and p99 in ms; the ratio is p99 over the baseline's p99 with as many clients):\n",
        clients, clients == 1 ? "" : "s", seconds);
    std::printf("  %-52s %9s %9s %9s %11s  %s\n", "operation", "req/s", "p50", "p99", "p99 ratio", "target");
}

const char* verdict(bool pass) {
    return pass ? "PASS" : "FAIL";
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = parse(argc, argv);
    try {
        bench::ScratchDatabase scratch(o.db, "arrimage-network", "network.db");
        if (!scratch.ok()) return 1;
        // A connection per client and one for the group commit (as bench_agreements).
        auto db = store::open_database("sqlite:" + scratch.path(), o.clients + 2);
        store::migrate(*db);
        SystemClock clock;
        if (count(*db, "SELECT COUNT(*) FROM organisations") > 0)
            throw std::runtime_error("--db already holds organisations: give a new file");
        std::printf(
            "bench_network: the network map and the maturity history, %d organisations, %d agreements and %d assessments, in "
            "%s\n",
            o.organisations, o.agreements, o.assessments, scratch.path().c_str());
        std::fflush(stdout);
        std::mt19937 rng(o.seed);
        const auto load_start = Clk::now();
        const auto data = setting(*db, clock, o.organisations);
        const int ended = static_cast<int>(data.lapsed.size());
        bench::bulk_agreements(*db, clock, data.net, o.agreements - agreements_through_repo - ended, rng);
        ended_agreements(*db, clock, data);
        bench::repo_agreements(*db, clock, data.net, agreements_through_repo);
        const auto subjects = assessed_subjects(*db, data);
        bulk_assessments(*db, clock, data, subjects, o.assessments - assessments_through_repo, rng);
        repo_assessments(*db, clock, data, subjects, assessments_through_repo);
        const double load_s = since(load_start);
        store::analyze(*db);  // as `arrimage serve` does on a database never analysed
        const auto area_assessments =
            count(*db, "SELECT COUNT(*) FROM maturity_assessments WHERE sda_id = ? AND agreement_id IS NULL", {data.net.sda_id});
        std::printf(
            "  data: %lld organisations in 2 areas (%zu of the area without agreement, %zu with only ended ones), %lld "
            "agreements (%d through AgreementRepo), %lld parties; %lld assessments (%d through MaturityRepo), %lld of the "
            "area and the rest of %zu partnerships; loaded in %.1f s\n",
            static_cast<long long>(count(*db, "SELECT COUNT(*) FROM organisations")), data.unconnected.size(), data.lapsed.size(),
            static_cast<long long>(count(*db, "SELECT COUNT(*) FROM agreements")), agreements_through_repo,
            static_cast<long long>(count(*db, "SELECT COUNT(*) FROM agreement_parties")),
            static_cast<long long>(count(*db, "SELECT COUNT(*) FROM maturity_assessments")), assessments_through_repo,
            static_cast<long long>(area_assessments), subjects.size() - 1, load_s);

        std::vector<std::int64_t> ids;
        {
            auto tx = db->begin(store::TxMode::read);
            for (const auto& r : tx->query("SELECT id FROM agreements ORDER BY id")) ids.push_back(r.i64(0));
        }
        const auto assessments = count(*db, "SELECT COUNT(*) FROM maturity_assessments");
        // What the map must draw: every organisation of the area, every agreement of it but drafts.
        const auto area_organisations = count(*db, "SELECT COUNT(*) FROM organisations WHERE sda_id = ?", {data.net.sda_id});
        const auto drawn_agreements = count(*db, "SELECT COUNT(*) FROM agreements WHERE sda_id = ? AND status <> ?",
                                            {data.net.sda_id, std::string(d::code(d::AgreementStatus::draft))});
        store::AuditWriter writer(*db, clock);

        // Once before measuring: what each request shows, so a map or a history missing its
        // volume (and so measured fast) is seen.
        {
            std::vector<store::AuditEvent> rows;
            auto tx = db->begin(store::TxMode::read);
            const auto ctx = [&] { return bench::AccessForBench::as(*tx, clock, data.net.admin, "bench-network-check", &rows); };
            const auto map = check(store::NetworkMapRepo(ctx()).map({}), "the network map");
            if (static_cast<std::int64_t>(map.nodes.size()) != area_organisations ||
                static_cast<std::int64_t>(map.edges.size()) != drawn_agreements)
                throw std::runtime_error("the administrator's map does not draw the area's organisations and agreements");
            if (map.unconnected < static_cast<int>(data.unconnected.size()) || map.lapsed < static_cast<int>(data.lapsed.size()))
                throw std::runtime_error("the map does not show the organisations without an agreement in force");
            std::printf("  the map: %zu organisations (%d connected, %d lapsed, %d unconnected), %zu agreements drawn\n",
                        map.nodes.size(), map.connected, map.lapsed, map.unconnected, map.edges.size());
            std::printf("  the map's filters, the first of each (organisations / agreements):");
            for (std::size_t f = 0; f < map_filter_count; ++f) {
                const auto filtered = check(store::NetworkMapRepo(ctx()).map(map_filter(f, 0)), "a filtered map");
                std::printf("%s %s %zu / %zu", f ? ";" : "", map_filter_names[f], filtered.nodes.size(), filtered.edges.size());
            }
            std::printf("\n");
            const store::MaturityRepo maturity(ctx());
            const auto history = check(maturity.history(data.net.sda_id, std::nullopt), "the area's history");
            const auto overview = check(maturity.subjects(), "the subjects");
            if (static_cast<std::int64_t>(history.size()) != area_assessments || overview.size() < subjects.size())
                throw std::runtime_error("the administrator's maturity pages do not show the area's assessments");
            std::printf("  the maturity history: %zu assessments of the area, from %s to %s; %zu subjects in the overview\n",
                        history.size(), history.front().assessed_on.c_str(), history.back().assessed_on.c_str(), overview.size());
            tx->commit();
            if (!rows.empty() && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
        }

        auto as_admin = [&](store::Tx& tx, std::vector<store::AuditEvent>& rows) {
            return bench::AccessForBench::as(tx, clock, data.net.admin, "bench-network", &rows);
        };
        auto baseline = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>&) -> std::size_t {
            tx.query_one("SELECT status, version FROM agreements WHERE id = ?", {ids[(i * 7919) % ids.size()]});
            return 0;
        };
        auto whole_map = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) -> std::size_t {
            require(store::NetworkMapRepo(as_admin(tx, rows)).map({}), "the network map");
            return 0;
        };
        auto filtered_map = [&](store::Tx& tx, std::size_t i, std::vector<store::AuditEvent>& rows) {
            const auto which = i % map_filter_count;
            require(store::NetworkMapRepo(as_admin(tx, rows)).map(map_filter(which, i / map_filter_count)), "a filtered map");
            return which;
        };
        auto overview = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) -> std::size_t {
            require(store::MaturityRepo(as_admin(tx, rows)).subjects(), "the subjects");
            return 0;
        };
        auto history_page = [&](store::Tx& tx, std::size_t, std::vector<store::AuditEvent>& rows) -> std::size_t {
            const store::MaturityRepo repo(as_admin(tx, rows));
            require(repo.history(data.net.sda_id, std::nullopt), "the area's history");
            return 0;
        };
        run(*db, writer, 1, 0.25, whole_map);  // warm-up
        run(*db, writer, o.clients, 0.25, history_page);
        const auto base_one = run(*db, writer, 1, o.seconds, baseline);
        const auto map = run(*db, writer, 1, o.seconds, whole_map);
        const auto map_filtered = run(*db, writer, 1, o.seconds, filtered_map);
        const auto base = run(*db, writer, o.clients, o.seconds, baseline);
        const auto page = run(*db, writer, o.clients, o.seconds, history_page);
        const auto seen = run(*db, writer, o.clients, o.seconds, overview);

        const double base_one_p99 = percentile(base_one.ms, 0.99), base_p99 = percentile(base.ms, 0.99);
        const double map_p99 = percentile(map.ms, 0.99), page_p99 = percentile(page.ms, 0.99);
        const bool map_pass = map_p99 <= o.target_map_ms, page_pass = page_p99 <= o.target_history_ms;
        char map_target[64], page_target[64];
        std::snprintf(map_target, sizeof map_target, "p99 <= %.0f ms: %s", o.target_map_ms, verdict(map_pass));
        std::snprintf(page_target, sizeof page_target, "p99 <= %.0f ms: %s", o.target_history_ms, verdict(page_pass));

        header(1, o.seconds);
        line("baseline: one agreement by primary key", base_one.ms, base_one.seconds, base_one_p99, "-");
        line("the network map's data, no filter (GET /network/map)", map.ms, map.seconds, base_one_p99, map_target);
        line("the map with a filter (GET /network/map?...)", map_filtered.ms, map_filtered.seconds, base_one_p99, "(reported)");
        for (std::size_t f = 0; f < map_filter_count; ++f)
            line(std::string("  ") + map_filter_names[f], map_filtered.of(f), map_filtered.seconds, base_one_p99, "");
        header(o.clients, o.seconds);
        line("baseline: one agreement by primary key", base.ms, base.seconds, base_p99, "-");
        line("the maturity history page's store part", page.ms, page.seconds, base_p99, page_target);
        line("the subjects overview (GET /network/maturity)", seen.ms, seen.seconds, base_p99, "(reported)");
        const long long audit_rows =
            base_one.audit_rows + map.audit_rows + map_filtered.audit_rows + base.audit_rows + page.audit_rows + seen.audit_rows;
        std::printf("  audit rows group-committed: %lld (the map and the assessments are about organisations: none expected)\n",
                    audit_rows);
        std::printf("  target: the network map's data p99 <= %.0f ms: %s\n", o.target_map_ms, verdict(map_pass));
        std::printf("  target: the maturity history page p99 <= %.0f ms under %d client%s: %s\n", o.target_history_ms, o.clients,
                    o.clients == 1 ? "" : "s", verdict(page_pass));
        std::printf(
            "RESULT_NETWORK organisations=%d agreements=%zu assessments=%lld map_p99_ms=%.2f history_p99_ms=%.2f "
            "baseline_p99_ms=%.2f result=%s\n",
            o.organisations, ids.size(), static_cast<long long>(assessments), map_p99, page_p99, base_p99,
            verdict(map_pass && page_pass));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_network: %s\n", e.what());
        return 1;
    }
}
