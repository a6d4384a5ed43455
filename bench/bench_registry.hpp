#pragma once
// Shared by the benchmarks of a province-sized registry (bench_plan, bench_family): the demo
// area's coordinators, the registry in plain SQL, the plan measured built through the
// repositories, and the measuring loop with its report lines. Kept apart from bench_support.hpp:
// every benchmark includes that one, only these two need the plan's store.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iterator>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "store/audit_writer.hpp"
#include "store/db.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"

namespace arrimage::bench {

using Clk = std::chrono::steady_clock;

// The value of a repository's answer, or std::runtime_error naming `what` when it was refused.
template <typename R>
auto check(R&& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + " rejected: " + r.error().message_key);
    if constexpr (!std::is_same_v<std::decay_t<R>, Result<void>>) return *r;
}

// As check(), without copying what was read (inside a measured request).
template <typename R>
void require(const R& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + " rejected: " + r.error().message_key);
}

inline double since(Clk::time_point a) {
    return std::chrono::duration<double>(Clk::now() - a).count();
}

inline double ms_since(Clk::time_point a) {
    return std::chrono::duration<double, std::milli>(Clk::now() - a).count();
}

inline domain::Actor actor_of(store::Tx& tx, const std::string& email) {
    auto r = tx.query_one(
        "SELECT u.id, m.organisation_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id "
        "WHERE u.email = ? AND m.active = 1",
        {email});
    if (!r) throw std::runtime_error("no demo user " + email);
    return {r->i64(0), r->i64(1), domain::parse_role(r->str(2)).value()};
}

inline std::int64_t count(store::Database& db, const std::string& sql, const store::Params& p = {}) {
    auto tx = db.begin(store::TxMode::read);
    return tx->query_one(sql, p)->i64(0);
}

inline constexpr const char* given_names[] = {"Léa", "Noah",  "Amira", "Sam",    "Élodie", "Liam", "Chloé", "Malik",
                                              "Zoé", "Ethan", "Inès",  "Olivia", "Nathan", "Maya", "Félix", "Aïcha"};

struct Area {
    domain::Actor agency;                     // the demo agency's intake coordinator, who registers files
    std::int64_t sda_id = 0;                  // the agency's service delivery area
    std::vector<domain::Actor> coordinators;  // every coordinator of the area's CSP providers
};

// Coordinators of the area's CSP providers up to `target`, as bench_caseload makes them.
inline Area coordinators(store::Database& db, const Clock& clock, int target) {
    Area a;
    auto tx = db.begin(store::TxMode::write);
    a.agency = actor_of(*tx, "coord.ca@demo.arrimage.invalid");
    a.sda_id = tx->query_one("SELECT sda_id FROM organisations WHERE id = ?", {a.agency.organisation_id})->i64(0);
    const std::string providers_sql =
        "SELECT DISTINCT organisation_id FROM memberships WHERE role = 'coordinator' AND active = 1 AND organisation_id <> ?";
    std::vector<std::int64_t> providers;
    for (const auto& r : tx->query(providers_sql, {a.agency.organisation_id})) providers.push_back(r.i64(0));
    if (providers.empty()) throw std::runtime_error("the demo area has no CSP provider with a coordinator");
    store::IdentityRepo identity(*tx, clock);
    const auto existing = tx->query_one(
                                "SELECT COUNT(*) FROM memberships WHERE role = 'coordinator' AND active = 1 AND "
                                "organisation_id <> ?",
                                {a.agency.organisation_id})
                              ->i64(0);
    for (int i = static_cast<int>(existing); i < target; ++i) {
        const auto id = check(identity.create_user({"spc-plan" + std::to_string(i) + "@bench.arrimage.invalid",
                                                    "Coordination Plan-" + std::to_string(i), i % 2 ? Lang::fr : Lang::en},
                                                   0),
                              "a coordinator");
        check(identity.add_membership(id, {providers[static_cast<std::size_t>(i) % providers.size()], domain::Role::coordinator},
                                      0),
              "a membership");
    }
    for (const auto& r : tx->query("SELECT user_id, organisation_id FROM memberships WHERE role = 'coordinator' AND active = 1 "
                                   "AND organisation_id <> ? ORDER BY user_id",
                                   {a.agency.organisation_id}))
        a.coordinators.push_back({r.i64(0), r.i64(1), domain::Role::coordinator});
    tx->commit();
    return a;
}

// A child of the registry with a small plan, and the coordinator who keeps it.
struct SmallPlan {
    std::int64_t person_id = 0, plan_id = 0;
    domain::Actor keeper;
};

// The registry up to `target` children, in one transaction of plain SQL (through the repositories,
// 100,000 files would take far longer than everything measured): the rows register_person,
// add_to_team and record_directive would write, without their audit rows. Each child has a family
// member, an assigned coordinator on the file's team and the family's consent for the
// coordinator's organisation; one child in `plans_every` a small plan (two goals, one action, two
// versions), returned.
inline std::vector<SmallPlan> registry(store::Database& db, const Clock& clock, const Area& area, int target, int plans_every,
                                       std::mt19937& rng) {
    std::vector<SmallPlan> plans;
    auto tx = db.begin(store::TxMode::write);
    const int existing = static_cast<int>(tx->query_one("SELECT COUNT(*) FROM people")->i64(0));
    const auto now = clock.now();
    const auto day = std::chrono::hours(24);
    const std::string at = format_iso(now);
    const std::string from = format_iso(now - day * 30);
    const auto today = date_of(now);
    const auto by = area.agency.user_id;
    std::string categories;
    for (auto c : domain::consentable_categories()) categories += (categories.empty() ? "" : " ") + std::string(domain::code(c));
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    for (int n = existing; n < target; ++n) {
        char number[16];
        std::snprintf(number, sizeof number, "%06d", n);
        const std::string given = given_names[pick(std::size(given_names))];
        const std::string family = std::string("Enfant-") + number;
        const auto& spc = area.coordinators[pick(area.coordinators.size())];
        const auto person =
            tx->query_one(
                  "INSERT INTO people (coordinating_agency_id, sda_id, given_name, family_name, date_of_birth, "
                  "official_language, given_key, family_key, search_key, created_at, created_by, updated_at, updated_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {area.agency.organisation_id, area.sda_id, given, family,
                   date_of(now - day * static_cast<int>(200 + pick(365 * 17))).iso(), std::string(pick(2) ? "fr" : "en"),
                   domain::name_key(given), domain::name_key(family), domain::search_key(given, family, ""), at, by, at, by})
                ->i64(0);
        const auto parent =
            tx->query_one(
                  "INSERT INTO family_members (person_id, given_name, family_name, relationship, is_substitute_decision_maker, "
                  "phone, created_at, created_by, updated_at, updated_by) VALUES (?, 'Parent', ?, 'parent', 1, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  {person, family, "+1 613-555-" + std::to_string(1000 + n % 9000), at, by, at, by})
                ->i64(0);
        tx->exec(
            "INSERT INTO file_team (person_id, user_id, organisation_id, kind, from_at, created_at, created_by) VALUES (?, ?, ?, "
            "'assigned_coordinator', ?, ?, ?)",
            {person, spc.user_id, spc.organisation_id, from, from, by});
        const auto directive =
            tx->query_one(
                  "INSERT INTO consent_directives (person_id, effect, categories, purposes, given_by, given_by_name, method, "
                  "given_at, created_at, created_by) VALUES (?, 'permit', ?, 'coordination', 'substitute_decision_maker', ?, "
                  "'written', ?, ?, ?) RETURNING id",
                  {person, categories, "Parent " + family, from, from, by})
                ->i64(0);
        tx->exec("INSERT INTO consent_directive_organisations (directive_id, organisation_id) VALUES (?, ?)",
                 {directive, spc.organisation_id});
        if (n % plans_every != 0) continue;

        // A small plan: made active with two goals and one action; its two versions hold the
        // plan as it then was, as PlanRepo writes them.
        domain::PlanContent c;
        c.status = domain::PlanStatus::active;
        c.sections.about = given + " aime le dessin et le soccer.";
        c.sections.hopes = "Que l'école se passe mieux.";
        const auto plan =
            tx->query_one(
                  "INSERT INTO plans (person_id, status, about, hopes, version, created_at, created_by, updated_at, "
                  "review_from) VALUES (?, 'active', ?, ?, 2, ?, ?, ?, ?) RETURNING id",
                  {person, c.sections.about, c.sections.hopes, from, spc.user_id, at, today.iso()})
                ->i64(0);
        for (int g = 1; g <= 2; ++g) {
            domain::PlanGoal goal;
            goal.priority = g;
            goal.text = g == 1 ? "Aller à l'école tous les jours." : "Une fin de semaine de répit par mois.";
            goal.expressed_by = g == 1 ? domain::ExpressedBy::child : domain::ExpressedBy::family;
            goal.id = tx->query_one(
                            "INSERT INTO plan_goals (plan_id, priority, text, expressed_by, progress, created_at, created_by, "
                            "updated_at, updated_by) VALUES (?, ?, ?, ?, 'not_started', ?, ?, ?, ?) RETURNING id",
                            {plan, std::int64_t{g}, goal.text, std::string(domain::code(goal.expressed_by)), from, spc.user_id,
                             from, spc.user_id})
                          ->i64(0);
            c.goals.push_back(goal);
        }
        domain::PlanAction action;
        action.goal_id = c.goals.front().id;
        action.text = "Rencontrer l'école.";
        action.owner = "Parent";
        action.due = add_days(today, 30).iso();
        action.id = tx->query_one(
                          "INSERT INTO plan_actions (plan_id, goal_id, text, owner_family_member_id, due_on, status, created_at, "
                          "created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 'not_started', ?, ?, ?, ?) RETURNING id",
                          {plan, action.goal_id, action.text, parent, action.due, from, spc.user_id, from, spc.user_id})
                        ->i64(0);
        c.actions.push_back(action);
        tx->exec("INSERT INTO plan_events (plan_id, at, user_id, event, status) VALUES (?, ?, ?, 'create', 'draft')",
                 {plan, from, spc.user_id});
        tx->exec("INSERT INTO plan_events (plan_id, at, user_id, event, status) VALUES (?, ?, ?, 'activate', 'active')",
                 {plan, from, spc.user_id});
        for (std::int64_t v = 1; v <= 2; ++v) {
            auto then = c;
            if (v == 1) then.status = domain::PlanStatus::draft;
            tx->exec(
                "INSERT INTO plan_versions (plan_id, version, at, user_id, change, reason, snapshot) VALUES (?, ?, ?, ?, ?, '', "
                "?)",
                {plan, v, from, spc.user_id, std::string(v == 1 ? "created" : "status"), domain::snapshot(then)});
        }
        plans.push_back({person, plan, spc});
    }
    tx->commit();
    return plans;
}

// The plan measured: the family name of its child, and its size.
struct PlanShape {
    std::string family_name;
    int goals = 20, actions = 60, notes_and_versions = 500;
};

// The child whose plan is measured, its keeper and the team member, its family member, the ids
// of its actions, and its size once built.
struct PlanTarget {
    std::int64_t person_id = 0;
    domain::Actor keeper, team;
    std::int64_t family_member_id = 0;  // the parent and substitute decision-maker, Camille
    std::vector<std::int64_t> actions;
    std::int64_t notes = 0, versions = 0;
};

inline std::string long_text(const std::string& start, int sentences) {
    static const char* const more[] = {
        " La famille en a parlé lors de la première rencontre, dans ses mots.",
        " The school and the treatment centre agreed to share what they see each month.",
        " Les grands-parents aident après l'école les mardis et les jeudis.",
        " Progress is checked at each team meeting, with the child present when they wish.",
    };
    std::string out = start;
    for (int i = 0; i < sentences; ++i) out += more[i % 4];
    return out;
}

// The plan measured, entirely through the production repositories: a child registered by the
// agency (PersonRepo) with a parent, a coordinator assigned and a team member from the treatment
// centre added, the family's consent for both; the plan started by the coordinator (PlanRepo), its
// sections saved, `shape.goals` goals, `shape.actions` actions owned in turn by the coordinator,
// their organisation, the team member, the centre and the family, some goals moved on, the plan
// made active, a meeting and the family's agreement, actions started and completed (each a
// version), and progress notes until its notes and versions number `shape.notes_and_versions`.
inline PlanTarget target_plan(store::Database& db, const Clock& clock, const Area& area, const PlanShape& shape) {
    PlanTarget t;
    auto tx = db.begin(store::TxMode::write);
    t.keeper = actor_of(*tx, "coord1@demo.arrimage.invalid");
    t.team = actor_of(*tx, "staff.ctc@demo.arrimage.invalid");
    const auto& team = t.team;
    const auto now = clock.now();
    const auto today = date_of(now);
    {
        store::PersonRepo people(AccessForBench::as(*tx, clock, area.agency, "bench-plan-file"));
        store::Registration reg;
        reg.person.given_name = "Enfant";
        reg.person.family_name = shape.family_name;
        reg.person.date_of_birth = date_of(now - std::chrono::hours(24 * 365 * 13));
        reg.person.official_language = Lang::fr;
        reg.person.school = "École secondaire Exemple";
        reg.confirmed_distinct = true;
        domain::FamilyMember m;
        m.given_name = "Camille";
        m.family_name = shape.family_name;
        m.relationship = domain::FamilyRelationship::parent;
        m.is_substitute_decision_maker = true;
        m.phone = "+1 613-555-0142";
        reg.family.push_back(m);
        t.person_id = check(people.register_person(reg), "the plan's file").person_id;
        check(people.add_to_team(t.person_id, t.keeper.user_id, t.keeper.organisation_id, domain::TeamKind::assigned_coordinator),
              "the assignment");
        check(people.add_to_team(t.person_id, team.user_id, team.organisation_id, domain::TeamKind::team_member),
              "the team member");
        // The family's consent for the coordinator's organisation and the treatment centre (as
        // app/demo_people.cpp records it for Léa's file, whose team the centre is on).
        domain::ConsentDirective consent;
        consent.organisations = {t.keeper.organisation_id, team.organisation_id};
        std::sort(consent.organisations.begin(), consent.organisations.end());
        for (auto c : domain::consentable_categories()) consent.categories.insert(c);
        consent.purposes = {domain::Purpose::coordination};
        consent.given_by = domain::GivenBy::substitute_decision_maker;
        consent.given_by_name = "Camille " + shape.family_name;
        consent.method = domain::ConsentMethod::written;
        consent.given_at = now - std::chrono::hours(1);
        check(people.record_directive(t.person_id, consent), "the consent");
    }
    const auto person = t.person_id;
    store::PlanRepo plans(AccessForBench::as(*tx, clock, t.keeper, "bench-plan-load"));
    check(plans.create(person), "the plan");
    auto save_sections = [&](const std::string& words, const std::string& reason) {
        const auto shown = check(plans.read(person), "the plan's sections");
        domain::PlanSections seen, text;
        int n = 0;
        for (auto s : domain::all_sections()) {
            domain::text_of(seen, s) = domain::fingerprint(domain::text_of(shown.sections, s));
            domain::text_of(text, s) = long_text(words + " (" + std::string(domain::code(s)) + ")", 3 + n++ % 5);
        }
        check(plans.save_sections(person, text, seen, reason), "the sections");
    };
    save_sections("Ce que la famille a raconté", "Première rencontre.");
    save_sections("Ce que la famille a précisé", "Deuxième rencontre.");
    std::vector<std::int64_t> goals;
    for (int g = 0; g < shape.goals; ++g) {
        const auto who = g % 3 == 0   ? domain::ExpressedBy::child
                         : g % 3 == 1 ? domain::ExpressedBy::family
                                      : domain::ExpressedBy::provider;
        goals.push_back(
            check(plans.add_goal(person, {long_text("Objectif " + std::to_string(g + 1) + " :", 1 + g % 2), who, ""}), "a goal"));
    }
    for (std::size_t g = 0; g < goals.size(); g += 2)
        check(plans.update_goal(person, goals[g],
                                {domain::GoalProgress::in_progress, static_cast<int>(g / 2 + 1), "En bonne voie."}, 1),
              "a goal's progress");
    const auto family = tx->query_one("SELECT id FROM family_members WHERE person_id = ? ORDER BY id", {person})->i64(0);
    t.family_member_id = family;
    using K = domain::ActionOwner::Kind;
    const domain::ActionOwner owners[] = {{K::team_member, t.keeper.user_id, t.keeper.organisation_id, 0},
                                          {K::organisation, 0, t.keeper.organisation_id, 0},
                                          {K::team_member, team.user_id, team.organisation_id, 0},
                                          {K::organisation, 0, team.organisation_id, 0},
                                          {K::family, 0, 0, family}};
    for (int a = 0; a < shape.actions; ++a)
        t.actions.push_back(check(plans.add_action(person, {long_text("Action " + std::to_string(a + 1) + " :", 1),
                                                            goals[static_cast<std::size_t>(a) % goals.size()],
                                                            owners[a % std::size(owners)], add_days(today, 7 + a * 3), ""}),
                                  "an action"));
    check(plans.transition(person, {domain::PlanEvent::activate, "Convenu avec la famille."}), "the activation");
    const auto meeting = check(plans.add_meeting(person, {today, "Camille, Coordination, Centre de traitement",
                                                          "Lecture du plan ensemble.", "Commencer par l'école."}),
                               "a meeting");
    const auto agreed = static_cast<int>(tx->query_one("SELECT version FROM plans WHERE person_id = ?", {person})->i64(0));
    check(plans.record_agreement(person, {family, domain::AgreementMethod::in_person, today, agreed, meeting}), "the agreement");
    // Two actions in three started, one in four of those completed: each move a version.
    for (std::size_t a = 0; a < t.actions.size(); ++a) {
        if (a % 3 == 2) continue;
        check(plans.record_progress(person, t.actions[a], {domain::ActionEvent::start, "Commencé."}, 1), "a start");
        if (a % 4 == 0)
            check(plans.record_progress(person, t.actions[a], {domain::ActionEvent::complete, "Fait."}, 2), "a completion");
    }
    auto sizes = [&] {
        t.versions =
            tx->query_one("SELECT COUNT(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.person_id = ?", {person})
                ->i64(0);
        t.notes = tx->query_one(
                        "SELECT COUNT(*) FROM plan_action_events e JOIN plan_actions a ON a.id = e.action_id JOIN plans p ON "
                        "p.id = a.plan_id WHERE p.person_id = ? AND e.event = 'note'",
                        {person})
                      ->i64(0);
    };
    sizes();
    // Progress notes, in turn on every action, until notes and versions reach the target.
    for (auto n = t.notes + t.versions; n < shape.notes_and_versions; ++n)
        check(plans.record_progress(person, t.actions[static_cast<std::size_t>(n) % t.actions.size()],
                                    {std::nullopt, long_text("Note de suivi " + std::to_string(n) + ".", 1)}, 0),
              "a progress note");
    sizes();
    tx->commit();
    return t;
}

// ---- measuring

// The `p` quantile (0 to 1) of `v`, nearest rank.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// One measurement: each request's latency, how long it ran, and the audit rows group-committed.
struct Run {
    std::vector<double> ms;
    double seconds = 0;
    long long rows = 0;
    double per_second() const { return seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0; }
};

// `clients` threads for `seconds`, each doing `op(tx, i, rows)` in a transaction of `mode`, then
// committing it. A read transaction's audit rows go to the group commit (durable before the request
// counts, as bench_caseload); a write transaction's are written in it, by the guard.
template <typename Op>
Run run(store::Database& db, store::AuditWriter& writer, store::TxMode mode, int clients, double seconds, Op op) {
    Run out;
    std::mutex m;
    std::exception_ptr failure;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    const auto start = Clk::now();
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            try {
                while (since(start) < seconds) {
                    const auto i = next++;
                    const auto a = Clk::now();
                    std::vector<store::AuditEvent> rows;
                    {
                        auto tx = db.begin(mode);
                        op(*tx, i, rows);
                        tx->commit();
                    }
                    const auto n = static_cast<long long>(rows.size());
                    if (n > 0 && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
                    const double ms = ms_since(a);
                    std::lock_guard lk(m);
                    out.ms.push_back(ms);
                    out.rows += n;
                }
            } catch (...) {
                std::lock_guard lk(m);
                if (!failure) failure = std::current_exception();
            }
        });
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    out.seconds = since(start);
    return out;
}

// One line of the report: `r` beside `base`, its baseline measured in the same run.
inline void print(const char* name, const Run& r, const Run& base) {
    const double p99 = percentile(r.ms, 0.99), base_p99 = percentile(base.ms, 0.99);
    std::printf("  %-46s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%.3fx the baseline's throughput, %.1fx its p99)\n", name,
                r.per_second(), percentile(r.ms, 0.5), p99, base.per_second() > 0 ? r.per_second() / base.per_second() : 0.0,
                base_p99 > 0 ? p99 / base_p99 : 0.0);
}

inline const char* verdict(bool pass) {
    return pass ? "PASS" : "FAIL";
}

}  // namespace arrimage::bench
