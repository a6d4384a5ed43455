#pragma once
// Shared by the benchmarks of the network's agreements (bench_agreements, bench_network): two
// areas, the first one's coordinating agency and its administrator, the organisations, and the
// agreements between them, most in plain SQL in one write transaction (the rows the repository
// would write; tests/db/test_agreement_repo.cpp checks its own path), a few through
// AgreementRepo so its path is part of the run. Each benchmark's header comment says what it adds.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/agreements/store/agreement_repo.hpp"
#include "store/db.hpp"

namespace arrimage::bench {

// The value of a repository's answer, or std::runtime_error naming `what` and why it was refused.
template <typename R>
auto check(R&& r, const char* what) {
    if (!r) {
        std::string why = r.error().message_key;
        for (const auto& f : r.error().fields) why += " " + f.field + ": " + f.message_key;
        throw std::runtime_error(std::string(what) + " rejected: " + why);
    }
    if constexpr (!std::is_same_v<std::decay_t<R>, Result<void>>) return *r;
}

// What network() made: who acts, and the organisations the agreements are drawn between.
struct Network {
    domain::Actor admin;                  // the agency's administrator (ca_admin)
    std::int64_t sda_id = 0;              // the area
    std::int64_t agency = 0;              // its coordinating agency
    std::vector<std::int64_t> area_orgs;  // the area's other organisations
    std::vector<std::int64_t> beyond;     // the second area's
};

// The two areas, `organisations` organisations (the agency included, a tenth in the second
// area), and the agency's administrator.
inline Network network(store::Database& db, const Clock& clock, int organisations) {
    Network n;
    auto tx = db.begin(store::TxMode::write);
    const std::string at = format_iso(clock.now());
    auto area = [&](const char* code, const char* fr, const char* en) {
        return tx
            ->query_one(
                "INSERT INTO service_delivery_areas (code, name_fr, name_en, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                "RETURNING id",
                {std::string(code), std::string(fr), std::string(en), at, at})
            ->i64(0);
    };
    n.sda_id = area("BANC-EST", "Région du banc d'essai (Est)", "Bench Region (East)");
    const auto second = area("BANC-NORD", "Région du banc d'essai (Nord)", "Bench Region (North)");
    auto organisation = [&](std::int64_t sda, const std::string& fr, const std::string& en, domain::Sector sector) {
        return tx
            ->query_one(
                "INSERT INTO organisations (sda_id, name_fr, name_en, sector, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                {sda, fr, en, std::string(domain::code(sector)), at, at})
            ->i64(0);
    };
    auto csp_role = [&](std::int64_t org, domain::CspRole role) {
        tx->exec("INSERT INTO organisation_csp_roles (organisation_id, csp_role) VALUES (?, ?)",
                 {org, std::string(domain::code(role))});
    };
    n.agency = organisation(n.sda_id, "Agence de coordination du banc d'essai", "Bench Coordinating Agency",
                            domain::Sector::childrens_services);
    csp_role(n.agency, domain::CspRole::coordinating_agency);
    const domain::CspRole roles[] = {domain::CspRole::csp_provider, domain::CspRole::csp_participant,
                                     domain::CspRole::broader_partner};
    const auto& sectors = domain::all_sectors();
    const int in_second = organisations / 10;
    for (int i = 1; i < organisations; ++i) {
        char number[16];
        std::snprintf(number, sizeof number, "%04d", i);
        const bool far = i >= organisations - in_second;
        const auto id =
            organisation(far ? second : n.sda_id, std::string("Organisme du banc d'essai ") + number,
                         std::string("Bench organisation ") + number, sectors[static_cast<std::size_t>(i) % sectors.size()]);
        if (far) {
            n.beyond.push_back(id);
        } else {
            csp_role(id, roles[i % std::size(roles)]);
            n.area_orgs.push_back(id);
        }
    }
    const auto user =
        tx->query_one(
              "INSERT INTO users (email, display_name, preferred_lang, created_at, updated_at) VALUES (?, ?, 'fr', ?, ?) "
              "RETURNING id",
              {std::string("ca.admin@bench.arrimage.invalid"), std::string("Administration Banc d'essai"), at, at})
            ->i64(0);
    tx->exec("INSERT INTO memberships (user_id, organisation_id, role, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
             {user, n.agency, std::string(domain::code(domain::Role::ca_admin)), at, at});
    tx->commit();
    n.admin = {user, n.agency, domain::Role::ca_admin};
    return n;
}

// The moves an agreement made to reach `s` from its draft, each with the status it led to.
std::vector<std::pair<domain::AgreementEvent, domain::AgreementStatus>> moves_to(domain::AgreementStatus s) {
    using E = domain::AgreementEvent;
    using S = domain::AgreementStatus;
    std::vector<std::pair<E, S>> out;
    if (s == S::draft) return out;
    out.emplace_back(E::activate, S::active);
    if (s == S::under_review || s == S::renewed) out.emplace_back(E::open_review, S::under_review);
    if (s == S::renewed) out.emplace_back(E::renew, S::renewed);
    if (s == S::expired) out.emplace_back(E::expire, S::expired);
    if (s == S::terminated) out.emplace_back(E::terminate, S::terminated);
    return out;
}

// `count` agreements of the area in plain SQL, in one transaction: the rows create, fire and
// add_evaluation would write. Spread over the kinds, the statuses (mostly active), review dates over
// two years around today, expiry dates (some none); 2 to 4 parties each among the agency and
// `n.area_orgs` (the agency in every CSP agreement), 1 to 3 scopes, their events, and evaluations
// for about one in four.
inline void bulk_agreements(store::Database& db, const Clock& clock, const Network& n, int count, std::mt19937& rng) {
    using K = domain::AgreementKind;
    using S = domain::AgreementStatus;
    auto pick = [&](std::size_t m) { return static_cast<int>(rng() % m); };
    const auto today = date_of(clock.now());
    const auto by = n.admin.user_id;
    const auto& scopes = domain::all_agreement_scopes();
    const auto& outcomes = domain::all_evaluation_outcomes();
    auto tx = db.begin(store::TxMode::write);
    for (int k = 0; k < count; ++k) {
        const int kind_roll = pick(100), status_roll = pick(100);
        const auto kind = kind_roll < 40 ? K::csp_provider : kind_roll < 75 ? K::csp_participant : K::partnership;
        const auto status = status_roll < 70   ? S::active
                            : status_roll < 78 ? S::draft
                            : status_roll < 86 ? S::under_review
                            : status_roll < 92 ? S::renewed
                            : status_roll < 96 ? S::expired
                                               : S::terminated;
        // Review dates over two years around today (an expired agreement's in the past, its
        // expiry between it and yesterday); in force for 30 days to two years before the review.
        const int review_in = status == S::expired ? -1 - pick(365) : pick(731) - 365;
        const Date review = add_days(today, review_in);
        const Date effective = add_days(review, -(30 + pick(700)));
        std::string expires;
        if (status == S::expired)
            expires = add_days(review, pick(static_cast<std::size_t>(-review_in))).iso();
        else if (pick(5) != 0)
            expires = add_days(review, 1 + pick(730)).iso();
        const std::string recorded = add_days(effective, -pick(60)).iso() + "T14:00:00Z";

        char number[16];
        std::snprintf(number, sizeof number, "%05d", k + 1);
        const std::string reference = "ENT-" + std::to_string(effective.year) + "-" + number;
        const char* const about_fr = kind == K::csp_provider      ? "Entente avec un fournisseur du PSC"
                                     : kind == K::csp_participant ? "Entente avec un participant au PSC"
                                                                  : "Entente de partenariat";
        const char* const about_en = kind == K::csp_provider      ? "Agreement with a CSP provider"
                                     : kind == K::csp_participant ? "Agreement with a CSP participant"
                                                                  : "Partnership agreement";
        const auto id =
            tx->query_one(
                  "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, summary, effective_on, expires_on, "
                  "review_due, status, version, created_at, created_by, updated_at, updated_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {n.sda_id, reference, std::string(about_fr) + " n° " + number, std::string(about_en) + " no. " + number,
                   std::string(domain::code(kind)),
                   std::string("Chaque partie s'engage à orienter les familles et à partager "
                               "l'information convenue."),
                   effective.iso(), expires, review.iso(), std::string(domain::code(status)), std::int64_t{1}, recorded, by,
                   recorded, by})
                ->i64(0);

        // 2 to 4 parties of the area (as the repository requires): the agency in every CSP
        // agreement and in a third of the partnerships.
        std::vector<std::int64_t> parties;
        const std::size_t want = 2 + static_cast<std::size_t>(pick(3));
        if (domain::agency_is_party(kind) || pick(3) == 0) parties.push_back(n.agency);
        while (parties.size() < want) {
            const auto& from = n.area_orgs;
            const auto org = from[static_cast<std::size_t>(pick(from.size()))];
            if (std::find(parties.begin(), parties.end(), org) == parties.end()) parties.push_back(org);
        }
        for (auto org : parties)
            tx->exec("INSERT INTO agreement_parties (agreement_id, organisation_id) VALUES (?, ?)", {id, org});

        // 1 to 3 scopes, each once.
        std::vector<domain::AgreementScope> covered;
        const std::size_t scope_count = 1 + static_cast<std::size_t>(pick(3));
        while (covered.size() < scope_count) {
            const auto s = scopes[static_cast<std::size_t>(pick(scopes.size()))];
            if (std::find(covered.begin(), covered.end(), s) == covered.end()) covered.push_back(s);
        }
        for (auto s : covered)
            tx->exec("INSERT INTO agreement_scopes (agreement_id, scope) VALUES (?, ?)", {id, std::string(domain::code(s))});

        tx->exec(
            "INSERT INTO agreement_events (agreement_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'record', "
            "'draft', '')",
            {id, recorded, by});
        for (const auto& [event, to] : moves_to(status))
            tx->exec("INSERT INTO agreement_events (agreement_id, at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, '')",
                     {id, recorded, by, std::string(domain::code(event)), std::string(domain::code(to))});

        // About one in four agreements that took effect: one or two evaluations since.
        const int days_in_force = days_between(effective, today);
        if (status == S::draft || days_in_force < 0 || pick(4) != 0) continue;
        for (int e = 0, evaluations = 1 + pick(2); e < evaluations; ++e) {
            const std::string on = add_days(effective, pick(static_cast<std::size_t>(days_in_force) + 1)).iso();
            tx->exec(
                "INSERT INTO agreement_evaluations (agreement_id, evaluated_on, expected_results, indicators, findings, "
                "adjustments, outcome, next_review_due, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
                {id, on, std::string("Des orientations dans les 30 jours."), std::string("Délai moyen d'orientation."),
                 std::string("Les délais sont respectés la plupart du temps."), std::string(""),
                 std::string(domain::code(outcomes[static_cast<std::size_t>(pick(outcomes.size()))])), on + "T16:00:00Z", by});
        }
    }
    tx->commit();
}

// `count` agreements recorded through the repository, as the administrator's form does; all but
// the first activated, the second evaluated.
inline void repo_agreements(store::Database& db, const Clock& clock, const Network& n, int count) {
    const auto today = date_of(clock.now());
    auto tx = db.begin(store::TxMode::write);
    store::AgreementRepo repo(AccessForBench::as(*tx, clock, n.admin, "bench-agreements-record"));
    const auto& kinds = domain::all_agreement_kinds();
    for (int j = 0; j < count; ++j) {
        domain::AgreementTermsForm form;
        form.title_fr = "Entente enregistrée par le formulaire " + std::to_string(j + 1);
        form.title_en = "Agreement recorded through the form " + std::to_string(j + 1);
        form.kind = std::string(domain::code(kinds[static_cast<std::size_t>(j) % kinds.size()]));
        form.scopes = {std::string(domain::code(domain::AgreementScope::referral)),
                       std::string(domain::code(domain::AgreementScope::information_sharing))};
        form.parties = {std::to_string(n.agency), std::to_string(n.area_orgs[static_cast<std::size_t>(j) % n.area_orgs.size()])};
        form.effective_on = add_days(today, -30).iso();
        form.expires_on = add_days(today, 700).iso();
        form.review_due = add_days(today, 10 + 30 * j).iso();
        form.summary = "L'agence coordonne; le fournisseur oriente les familles dans les 30 jours.";
        const auto id = check(repo.create(form), "an agreement recorded through the repository");
        if (j == 0) continue;
        check(repo.fire(id, domain::AgreementEvent::activate, ""), "its activation");
        if (j != 1) continue;
        domain::EvaluationForm evaluation;
        evaluation.evaluated_on = today.iso();
        evaluation.expected_results = "Des orientations dans les 30 jours.";
        evaluation.findings = "Les délais sont respectés.";
        evaluation.outcome = std::string(domain::code(domain::EvaluationOutcome::keep));
        check(repo.add_evaluation(id, evaluation), "its evaluation");
    }
    tx->commit();
}

}  // namespace arrimage::bench
