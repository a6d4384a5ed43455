#include "app/demo_agreements.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/demo_common.hpp"
#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/agreements/store/agreement_repo.hpp"
#include "web/app.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The demo organisations that are parties, by their English names (demo_data.cpp).
constexpr const char* agency = "Demo Coordinating Agency";
constexpr const char* blue_river = "Blue River Family Services (fictional)";
constexpr const char* maple = "Fictional Maple Youth Centre";
constexpr const char* north = "Demo North Community Network";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* public_board = "Demo East Public School Board";
constexpr const char* catholic_board = "Example Catholic School Board";
constexpr const char* mental_health = "Demo Youth Mental Health";
constexpr const char* home_care = "Demo Home and Community Care";
constexpr const char* town = "Town of Demoville";

template <typename T>
T check(Result<T> r) {
    if (!r) {
        std::string why = r.error().message_key;
        for (const auto& f : r.error().fields) why += " " + f.field + ": " + f.message_key;
        throw std::runtime_error("demo agreements: " + why);
    }
    return std::move(*r);
}

std::vector<std::string> scopes(std::initializer_list<d::AgreementScope> list) {
    std::vector<std::string> out;
    for (auto s : list) out.emplace_back(d::code(s));
    return out;
}

// The administrator's steps, each on its own day: the repository's clock (`when`) is set to
// that day, at today's time, before each one.
class Steps {
  public:
    Steps(store::AgreementRepo& repo, ManualClock& when, TimePoint now, std::map<std::string, std::int64_t> orgs)
        : repo_(repo), when_(when), now_(now), today_(date_of(now)), orgs_(std::move(orgs)) {}

    // The day `n` days from today (before it when negative).
    Date day(int n) const { return add_days(today_, n); }

    std::vector<std::string> parties(std::initializer_list<const char*> names) const {
        std::vector<std::string> out;
        for (const auto* n : names) out.push_back(std::to_string(orgs_.at(n)));
        return out;
    }

    std::int64_t record(const Date& on, const d::AgreementTermsForm& form) {
        at(on);
        return check(repo_.create(form));
    }
    void fire(const Date& on, std::int64_t id, d::AgreementEvent event, const std::string& note = "",
              const d::RenewalForm& renewal = {}) {
        at(on);
        check(repo_.fire(id, event, note, renewal));
    }
    void evaluate(std::int64_t id, const d::EvaluationForm& form) {
        at(*parse_date(form.evaluated_on));
        check(repo_.add_evaluation(id, form));
    }

  private:
    void at(const Date& on) { when_.set(now_ + std::chrono::hours(24) * days_between(today_, on)); }

    store::AgreementRepo& repo_;
    ManualClock& when_;
    TimePoint now_;
    Date today_;
    std::map<std::string, std::int64_t> orgs_;
};

}  // namespace

bool load_demo_agreements(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM agreements LIMIT 1")) return false;
    auto admin = tx->query_one(
        "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.active = 1",
        {std::string("ca.admin@demo.arrimage.invalid")});
    if (!admin) return false;
    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT o.id, o.name_en FROM organisations o JOIN organisations a ON a.sda_id = o.sda_id "
                                   "WHERE a.id = ? AND o.active = 1",
                                   {admin->i64(1)}))
        orgs[r.str(1)] = r.i64(0);
    for (const auto* name :
         {agency, blue_river, maple, north, treatment_centre, public_board, catholic_board, mental_health, home_care, town})
        if (!orgs.contains(name)) return false;
    ManualClock when(clock.now());
    auto access = Tooling::demo_loader(*tx, when, admin->i64(0), admin->i64(1));
    if (!access) return false;
    store::AgreementRepo repo(*access);
    Steps steps(repo, when, clock.now(), std::move(orgs));
    using S = d::AgreementScope;
    using E = d::AgreementEvent;
    const std::string signed_by_all = "Signée par toutes les parties.";

    // Fictional Maple Youth Centre: three years, reviewed as it came to its end, evaluated (to be
    // strengthened) and renewed for three more.
    {
        const Date ends = steps.day(-45), starts = add_years(ends, -3);
        const auto id = steps.record(
            add_days(starts, -20),
            {"Entente de prestation de la planification coordonnée des services — Centre jeunesse Érable-Fictif",
             "Coordinated service planning provider agreement — Fictional Maple Youth Centre",
             std::string(d::code(d::AgreementKind::csp_provider)),
             scopes({S::referral, S::information_sharing, S::plan_contribution, S::reporting, S::joint_training}),
             steps.parties({agency, maple}), starts.iso(), ends.iso(), steps.day(-130).iso(),
             "Fictional Maple Youth Centre employs service planning coordinators, takes the families the single window assigns "
             "to it and builds one coordinated service plan per child with each family.\n"
             "It reports its coordinators' activity to the coordinating agency each quarter on the common form and trains its "
             "coordinators on the common tools.\n"
             "The coordinating agency assigns the families, keeps the service directory current and brings unresolved issues "
             "to the service resolution mechanism."});
        steps.fire(starts, id, E::activate, signed_by_all);
        steps.fire(steps.day(-120), id, E::open_review,
                   "Échéance dans moins de trois mois : évaluation avant le renouvellement.");
        steps.evaluate(id, {steps.day(-100).iso(),
                            "Every family assigned to the Centre is contacted by a service planning coordinator within 10 "
                            "business days.\nQuarterly activity reported to the coordinating agency on the common form.\n"
                            "Every coordinator trained on the common tools.",
                            "Days from assignment to first contact (target: 10 business days or fewer)\n"
                            "Quarterly reports received on time\nCoordinators trained on the common tools in the year",
                            "First contact within 10 business days for 41 of 52 families (79%); the late contacts were in "
                            "July and August, while two coordinator positions were vacant.\n"
                            "Three of the four quarterly reports arrived on time; one was two weeks late.\n"
                            "All five coordinators completed the common tools training. Requests for service in French were "
                            "passed to a designated provider, as the agreement provides.",
                            "Add a summer coverage plan (shared on-call with another provider) to the renewed agreement.\n"
                            "Tell the coordinating agency of a vacant coordinator position within 5 business days.",
                            std::string(d::code(d::EvaluationOutcome::strengthen)), ""});
        steps.fire(steps.day(-70), id, E::renew, "Renouvelée pour trois ans, avec un plan de couverture estivale.",
                   {add_years(ends, 3).iso(), steps.day(-70 + 365).iso()});
    }

    // The Demo Children's Treatment Centre: evaluated before its end (a new agreement is
    // needed), then expired.
    {
        const Date ends = steps.day(-40), starts = add_years(ends, -3);
        const auto id = steps.record(
            add_days(starts, -10),
            {"Entente de participation à la planification coordonnée des services — Centre de traitement pour enfants Démo",
             "Coordinated service planning participation agreement — Demo Children's Treatment Centre",
             std::string(d::code(d::AgreementKind::csp_participant)),
             scopes({S::referral, S::information_sharing, S::plan_contribution}), steps.parties({agency, treatment_centre}),
             starts.iso(), ends.iso(), steps.day(-75).iso(),
             "Le centre de traitement oriente vers le guichet unique les familles dont l'enfant a besoin de services de "
             "plusieurs secteurs.\n"
             "Il participe aux rencontres de plan lorsqu'il offre des services à l'enfant et transmet ses rapports "
             "d'évaluation avec le consentement de la famille."});
        steps.fire(starts, id, E::activate, signed_by_all);
        steps.evaluate(id, {steps.day(-70).iso(),
                            "Le centre oriente vers le guichet unique les familles dont l'enfant a besoin de services de "
                            "plusieurs secteurs et participe aux rencontres de plan où il est attendu.",
                            "Orientations reçues du centre par le guichet unique\n"
                            "Présence du centre aux rencontres de plan où il est attendu\n"
                            "Délai de transmission des rapports d'évaluation, avec le consentement de la famille",
                            "27 orientations reçues du centre dans l'année, dont 9 incomplètes (consentement manquant).\n"
                            "Le centre était présent à 18 des 25 rencontres de plan où il était attendu.\n"
                            "L'entente ne prévoit ni la transmission électronique des rapports ni le point de service de "
                            "Nordville-Démo, ouvert depuis sa signature.",
                            "Préparer une nouvelle entente : consentement joint à l'orientation, rapports transmis par "
                            "Arrimage, point de service de Nordville-Démo, participation à la table de gouvernance.",
                            std::string(d::code(d::EvaluationOutcome::new_agreement_needed)), ""});
        steps.fire(steps.day(-38), id, E::expire, "Arrivée à échéance; la nouvelle entente avec le centre est en préparation.");
    }

    // Demo North Community Network: under review, ending within 90 days.
    {
        const Date ends = steps.day(75), starts = add_years(ends, -3);
        const auto id = steps.record(
            add_days(starts, -14),
            {"Entente de prestation de la planification coordonnée des services — Réseau communautaire Démo-Nord",
             "Coordinated service planning provider agreement — Demo North Community Network",
             std::string(d::code(d::AgreementKind::csp_provider)),
             scopes({S::referral, S::plan_contribution, S::reporting, S::access_mechanisms}), steps.parties({agency, north}),
             starts.iso(), ends.iso(), add_days(ends, -30).iso(),
             "Le Réseau communautaire Démo-Nord offre la planification coordonnée des services aux familles du secteur nord "
             "et y tient un point d'accès pour celles qui ne peuvent se déplacer.\n"
             "Il rend compte de ses activités à l'agence de coordination chaque trimestre.\n"
             "L'agence de coordination lui attribue les familles du secteur nord et soutient le point d'accès."});
        steps.fire(starts, id, E::activate, signed_by_all);
        steps.fire(steps.day(-6), id, E::open_review,
                   "L'entente prend fin dans moins de trois mois : revue en vue du renouvellement.");
    }

    // The two school boards: active, its review overdue.
    {
        const Date starts = steps.day(-790);
        const auto id = steps.record(
            steps.day(-800),
            {"Entente de participation à la planification coordonnée des services — conseils scolaires de la zone Est",
             "Coordinated service planning participation agreement — Demo East Region school boards",
             std::string(d::code(d::AgreementKind::csp_participant)),
             scopes({S::referral, S::information_sharing, S::plan_contribution, S::governance}),
             steps.parties({agency, public_board, catholic_board}), starts.iso(), add_years(starts, 5).iso(),
             steps.day(-12).iso(),
             "Les conseils scolaires orientent vers le guichet unique, avec le consentement de la famille, les élèves dont les "
             "besoins touchent plusieurs secteurs.\n"
             "Ils désignent une personne-ressource par école pour les rencontres de plan et y transmettent les renseignements "
             "utiles, avec le consentement de la famille.\n"
             "Ils siègent à la table de gouvernance de la zone.\n"
             "L'agence de coordination informe l'école de l'attribution d'une coordonnatrice ou d'un coordonnateur lorsque la "
             "famille y consent."});
        steps.fire(starts, id, E::activate, signed_by_all);
    }

    // Blue River Family Services: active, evaluated a year ago, its next review within 30 days.
    {
        const Date starts = steps.day(-730);
        const auto id = steps.record(
            steps.day(-745),
            {"Entente de prestation de la planification coordonnée des services — Services à la famille Rivière-Bleue",
             "Coordinated service planning provider agreement — Blue River Family Services",
             std::string(d::code(d::AgreementKind::csp_provider)),
             scopes({S::referral, S::information_sharing, S::plan_contribution, S::reporting, S::joint_training}),
             steps.parties({agency, blue_river}), starts.iso(), add_years(starts, 3).iso(), add_years(starts, 1).iso(),
             "Services à la famille Rivière-Bleue emploie des coordonnatrices et coordonnateurs de la planification des "
             "services, en français et en anglais, et prend en charge les familles que lui attribue le guichet unique.\n"
             "Il rend compte de leurs activités à l'agence de coordination chaque trimestre, sur le formulaire commun.\n"
             "L'agence de coordination attribue les familles, forme les nouveaux coordonnateurs aux outils communs et tient "
             "le répertoire des services à jour."});
        steps.fire(starts, id, E::activate, signed_by_all);
        steps.evaluate(id, {steps.day(-350).iso(),
                            "Chaque famille attribuée à Services à la famille Rivière-Bleue a une coordonnatrice ou un "
                            "coordonnateur dans les 15 jours ouvrables et un plan de services coordonnés dans les 60 jours, "
                            "dans la langue officielle de son choix.",
                            "Délai entre l'attribution et le premier contact\n"
                            "Part des plans établis dans les 60 jours\n"
                            "Demandes de services en français servies en français",
                            "Premier contact dans les 15 jours ouvrables pour 34 familles sur 38 (89 %).\n"
                            "Plan établi dans les 60 jours pour 30 familles sur 38 (79 %); les retards tiennent surtout à la "
                            "difficulté de réunir l'école et le centre de traitement à la même rencontre.\n"
                            "Les 14 demandes en français ont été servies en français.",
                            "Proposer les rencontres de plan en visioconférence aux partenaires éloignés.\n"
                            "Revoir l'entente dans un an.",
                            std::string(d::code(d::EvaluationOutcome::keep)), steps.day(20).iso()});
    }

    // Community partners' summer respite pilot (seed 002: a partnership without the agency):
    // terminated when its funding ended.
    {
        const Date starts = steps.day(-600);
        const auto id = steps.record(
            steps.day(-615),
            {"Entente de partenariat — projet pilote de répit estival", "Partnership agreement — summer respite pilot project",
             std::string(d::code(d::AgreementKind::partnership)), scopes({S::referral, S::access_mechanisms}),
             steps.parties({town, home_care, north}), starts.iso(), steps.day(130).iso(), steps.day(-235).iso(),
             "The Town of Demoville offers places in its summer day camp to children with complex needs, with a support worker "
             "from Demo Home and Community Care.\n"
             "Demo North Community Network drives the children of the north sector to the camp.\n"
             "The partners meet at the end of each summer to review the places used and the families' comments."});
        steps.fire(starts, id, E::activate, signed_by_all);
        steps.fire(steps.day(-120), id, E::terminate,
                   "Le financement municipal du projet pilote a pris fin après deux étés. Les places de répit sont maintenant "
                   "offertes directement par le camp de jour municipal, inscrit au répertoire des services.");
    }

    // The Youth Crisis Line and the community organisations (seed 002): active, no end date.
    {
        const Date starts = steps.day(-400);
        const auto id = steps.record(
            steps.day(-410),
            {"Entente de collaboration — Ligne de crise jeunesse et organismes communautaires",
             "Collaboration agreement — Youth Crisis Line and community organisations",
             std::string(d::code(d::AgreementKind::partnership)),
             scopes({S::referral, S::information_sharing, S::joint_training, S::access_mechanisms}),
             steps.parties({agency, mental_health, north, town}), starts.iso(), "", steps.day(150).iso(),
             "La Ligne de crise jeunesse (Santé mentale jeunesse Démo) répond 24 heures sur 24 et dirige les jeunes et les "
             "familles, avec leur accord, vers l'organisme communautaire qui peut assurer le suivi.\n"
             "Les organismes communautaires rappellent dans les deux jours ouvrables les personnes qui leur sont dirigées.\n"
             "L'agence de coordination tient à jour le répertoire des services dont se sert la ligne de crise.\n"
             "Les parties se rencontrent deux fois par année pour faire le point et organisent une formation commune."});
        steps.fire(starts, id, E::activate, signed_by_all);
    }

    // The expired agreement's replacement with the Demo Children's Treatment Centre, a draft being prepared.
    steps.record(steps.day(-10),
                 {"Nouvelle entente de participation — Centre de traitement pour enfants Démo",
                  "New participation agreement — Demo Children's Treatment Centre",
                  std::string(d::code(d::AgreementKind::csp_participant)),
                  scopes({S::referral, S::information_sharing, S::plan_contribution, S::governance, S::reporting}),
                  steps.parties({agency, treatment_centre}), steps.day(21).iso(), add_years(steps.day(21), 3).iso(),
                  add_years(steps.day(21), 1).iso(),
                  "The Centre refers families to the single window with the family's consent attached to the referral.\n"
                  "It shares its assessment reports through Arrimage, with the family's consent, within 10 business days of "
                  "a request.\n"
                  "Its Nordville-Demo satellite office takes part in the plan meetings of families of the north sector.\n"
                  "It sits on the area's governance table and reports its participation indicators each year."});

    // The reminders the demo's dates have already earned, in the administrator's notifications
    // (without their emails).
    store::raise_agreement_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
