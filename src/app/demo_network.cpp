#include "app/demo_network.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/demo_common.hpp"
#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/network/store/community_plan_repo.hpp"
#include "features/network/store/maturity_repo.hpp"
#include "web/app.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The demo organisations the plans name, by their English names (demo_data.cpp).
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
constexpr const char* ministry_office = "Ministry Regional Office (demo)";

// The partnership assessed (demo_agreements.cpp), by the start of its English title.
constexpr std::string_view crisis_line_title = "Collaboration agreement — Youth Crisis Line";

// Owners the demo has no organisation for: a plan's owner name reads the same in both languages.
constexpr const char* health_team = "Équipe Santé Ontario Démo-Est (fictive) / Demo East Ontario Health Team (fictional)";
constexpr const char* service_manager =
    "Gestionnaire de services municipaux regroupés de l'Est (fictif) / Demo East Consolidated Municipal Service Manager "
    "(fictional)";
constexpr const char* ministry =
    "Ministère des Services à l'enfance et des Services sociaux et communautaires / Ministry of Children, Community and "
    "Social Services";

void fail(const Error& e) {
    std::string why = e.message_key;
    for (const auto& f : e.fields) why += " " + f.field + ": " + f.message_key;
    throw std::runtime_error("demo network: " + why);
}
template <typename T>
T check(Result<T> r) {
    if (!r) fail(r.error());
    return std::move(*r);
}

// One dimension's answer and one mark's, as the form posts them (catalogue order).
struct Answer {
    d::MaturityLevel level;
    const char* evidence;
};
struct Mark {
    bool held;
    const char* evidence;
};
using Answers = std::array<Answer, 6>;  // entry points, information, management, funding, equipment, clientele
using Marks = std::array<Mark, 4>;      // teams, decision body, centred on the people served, agreements

d::AssessmentForm assessment(const Date& on, const std::string& subject, const Answers& answers, const Marks& marks,
                             const char* summary) {
    d::AssessmentForm f;
    f.assessed_on = on.iso();
    f.subject = subject;
    for (const auto& a : answers) f.answers.push_back({std::string(d::code(a.level)), a.evidence});
    for (const auto& m : marks) f.marks.push_back({m.held ? "1" : "", m.held ? m.evidence : ""});
    f.summary = summary;
    return f;
}

// The administrator's steps, each on its own day: the repositories' clock (`when`) is set to
// that day, at today's time, before each one.
class Steps {
  public:
    Steps(store::MaturityRepo& maturity, store::CommunityPlanRepo& plans, ManualClock& when, TimePoint now,
          std::map<std::string, std::int64_t> orgs, std::int64_t area)
        : maturity_(maturity), plans_(plans), when_(when), now_(now), today_(date_of(now)), orgs_(std::move(orgs)), area_(area) {}

    // The day `n` days from today (before it when negative).
    Date day(int n) const { return add_days(today_, n); }

    std::string org(const char* name) const { return std::to_string(orgs_.at(name)); }
    std::vector<std::string> orgs(std::initializer_list<const char*> names) const {
        std::vector<std::string> out;
        for (const auto* n : names) out.push_back(org(n));
        return out;
    }
    std::vector<std::string> area() const { return {std::to_string(area_)}; }

    // Recorded on the day it was assessed.
    void assess(const d::AssessmentForm& form) {
        at(*parse_date(form.assessed_on));
        check(maturity_.create(form));
    }
    // The area's partnership in force whose English title starts with `title_en`, if any.
    std::optional<std::int64_t> partnership(std::string_view title_en) {
        at(today_);
        for (const auto& s : check(maturity_.subject_choices()))
            if (s.agreement_id && s.title_en.starts_with(title_en)) return s.agreement_id;
        return std::nullopt;
    }

    std::int64_t record(const Date& on, const d::CommunityPlanForm& form) {
        at(on);
        return check(plans_.create(form));
    }
    // Approving and re-approving carry the approval date, which may be before the day it is
    // recorded (a plan approved before the registry knew it).
    void fire(const Date& on, std::int64_t id, d::CommunityPlanEvent event, const std::string& note = "",
              const std::optional<Date>& approved_on = std::nullopt) {
        at(on);
        check(plans_.fire(id, event, note, approved_on ? approved_on->iso() : std::string()));
    }

  private:
    void at(const Date& on) { when_.set(now_ + std::chrono::hours(24) * days_between(today_, on)); }

    store::MaturityRepo& maturity_;
    store::CommunityPlanRepo& plans_;
    ManualClock& when_;
    TimePoint now_;
    Date today_;
    std::map<std::string, std::int64_t> orgs_;
    std::int64_t area_;
};

d::CommunityPlanForm plan(const char* title_fr, const char* title_en, d::CommunityPlanKind kind, const std::string& owner_org,
                          const char* owner_name, const char* description, const char* scope, d::ReviewCycle cycle,
                          const std::optional<Date>& fixed_review_on, bool yearly_progress,
                          std::vector<std::string> organisations, std::vector<std::string> areas) {
    d::CommunityPlanForm f;
    f.title_fr = title_fr;
    f.title_en = title_en;
    f.kind = std::string(d::code(kind));
    f.owner_organisation = owner_org;
    f.owner_name = owner_name;
    f.description = description;
    f.scope = scope;
    f.cycle = std::string(d::code(cycle));
    f.fixed_review_on = fixed_review_on ? fixed_review_on->iso() : "";
    f.yearly_progress = yearly_progress ? "1" : "";
    f.organisations = std::move(organisations);
    f.areas = std::move(areas);
    return f;
}

using L = d::MaturityLevel;
using K = d::CommunityPlanKind;
using C = d::ReviewCycle;
using E = d::CommunityPlanEvent;

// ------------------------------------------------ the area's assessments

// Two years ago: the first self-assessment, mostly cooperation.
d::AssessmentForm area_first(const Date& on) {
    return assessment(
        on, "area",
        {{{L::coordination,
           "Le guichet unique de l'agence de coordination est la porte d'entrée de la planification coordonnée des services, "
           "et les fournisseurs en diffusent les coordonnées.\n"
           "Les autres services gardent chacun leur propre porte d'entrée; les écoles et le centre de traitement orientent "
           "souvent directement vers un fournisseur."},
          {L::cooperation,
           "Les renseignements circulent au cas par cas, par téléphone et par courriel, entre intervenantes et intervenants "
           "qui se connaissent.\n"
           "Il n'existe pas de formulaire de consentement commun aux secteurs."},
          {L::cooperation,
           "Chaque organisme garde ses propres fonctions de gestion et d'administration. Les directions se rencontrent deux "
           "fois par année, sans instance commune."},
          {L::cooperation, "Programmes de financement distincts pour chaque organisme et chaque secteur; aucun coût partagé."},
          {L::cooperation, "Prêt occasionnel de salles de rencontre entre les fournisseurs; aucun autre équipement partagé."},
          {L::cooperation,
           "Chaque programme sert sa clientèle cible selon ses propres critères; les familles dont les besoins touchent "
           "plusieurs secteurs passent d'un programme à l'autre."}}},
        {{{false, ""},
          {false, ""},
          {false, ""},
          {true,
           "Ententes de prestation signées avec le Centre jeunesse Érable-Fictif et Services à la famille Rivière-Bleue; "
           "entente de participation signée avec les deux conseils scolaires."}}},
        "Première autoévaluation de la zone, faite par l'agence de coordination avec les trois fournisseurs.\n"
        "La zone se situe surtout au stade de la coopération : les organismes se connaissent et échangent des "
        "renseignements de façon informelle, mais chacun garde ses portes d'entrée, sa gestion et son financement.\n"
        "Priorités de l'année : une table de gouvernance intersectorielle et un échange de renseignements encadré par le "
        "consentement de la famille.");
}

// A year ago: coordination, two months after the steering group was formed (demo_governance.cpp).
d::AssessmentForm area_second(const Date& on) {
    return assessment(
        on, "area",
        {{{L::coordination,
           "Le répertoire des services est public et bilingue : il indique pour chaque programme comment y accéder.\n"
           "Les écoles et le centre de traitement orientent vers le guichet unique au moyen du formulaire d'orientation "
           "commun."},
          {L::collaboration,
           "Les renseignements recueillis à l'accueil sont transmis, avec le consentement de la famille, aux organismes de "
           "l'équipe du dossier : la famille ne raconte son histoire qu'une fois."},
          {L::coordination,
           "Chaque organisme garde sa structure de gestion, mais le comité directeur intersectoriel suit désormais les "
           "ententes et les indicateurs communs de la zone."},
          {L::cooperation, "Programmes de financement toujours distincts; aucun coût partagé entre les secteurs."},
          {L::coordination,
           "Salles de rencontre et matériel de présentation prêtés entre les fournisseurs pour les rencontres de plan et la "
           "formation commune."},
          {L::coordination,
           "Les clientèles cibles restent définies par programme, mais les critères d'admissibilité à la planification "
           "coordonnée sont communs et publiés dans le répertoire."}}},
        {{{false, ""},
          {true,
           "Comité directeur intersectoriel formé il y a deux mois : six organismes membres, décisions par consensus, "
           "rapport annuel au bureau régional du ministère."},
          {false, ""},
          {true,
           "Ententes en vigueur avec les trois fournisseurs, les deux conseils scolaires et le centre de traitement; entente "
           "de collaboration signée avec la Ligne de crise jeunesse."}}},
        "La zone est passée à la coordination : une porte d'entrée connue de tous, un échange de renseignements encadré "
        "par le consentement et une instance de décision commune.\n"
        "Le financement reste cloisonné et les services ne sont pas encore gérés ensemble.\n"
        "Priorités de l'année : la couverture estivale des premiers contacts et des rencontres de plan qui réunissent "
        "tous les secteurs.");
}

// Last month: coordination, half of the dimensions at collaboration.
d::AssessmentForm area_third(const Date& on) {
    return assessment(
        on, "area",
        {{{L::collaboration,
           "Un seul formulaire d'orientation pour tous les partenaires, reçu par le guichet unique, qui attribue la famille "
           "dans les délais des ententes.\n"
           "Le point d'accès mensuel du secteur nord attend toujours ses locaux."},
          {L::collaboration,
           "Renseignements initiaux et plans échangés dans Arrimage avec le consentement de la famille.\n"
           "Les rapports d'évaluation du centre de traitement ne passent pas encore par Arrimage : la nouvelle entente le "
           "prévoit."},
          {L::coordination,
           "Structures de gestion distinctes. Premier pas vers une gestion conjointe : le groupe de travail des trois "
           "fournisseurs prépare une garde estivale partagée, que les ententes de prestation intégreront."},
          {L::coordination,
           "Financements distincts; les fournisseurs assument à tour de rôle les frais de la formation commune, sans entente "
           "de partage des coûts."},
          {L::coordination,
           "Prêt de salles et de matériel de visioconférence, offert aussi aux écoles pour les rencontres de plan."},
          {L::collaboration,
           "Début de partage des clientèles : chaque enfant dont les besoins touchent plusieurs secteurs a une seule équipe de "
           "dossier et un seul plan coordonné, quel que soit le programme qui l'a accueilli."}}},
        {{{true,
           "Les rencontres de plan réunissent la famille, l'école, le centre de traitement et le fournisseur, en personne ou "
           "en visioconférence."},
          {true,
           "Comité directeur intersectoriel : au moins quatre rencontres par année, registre des décisions suivi, rapport "
           "annuel signé par chaque membre."},
          {false, ""},
          {true,
           "Ententes en vigueur avec les fournisseurs, les conseils scolaires et la Ligne de crise jeunesse; nouvelle entente "
           "avec le centre de traitement en préparation."}}},
        "La zone consolide la coordination et commence à collaborer : la moitié des dimensions sont au stade de la "
        "collaboration.\n"
        "Une troisième marque des services intégrés est acquise : des équipes multidisciplinaires autour de chaque "
        "famille.\n"
        "À faire : associer les familles à la gouvernance (des services axés sur les personnes servies), gérer ensemble la "
        "garde estivale et étudier un partage des coûts de la formation.");
}

// ------------------------------------------------ the Youth Crisis Line partnership's assessments

d::AssessmentForm crisis_line_first(const Date& on, const std::string& subject) {
    return assessment(
        on, subject,
        {{{L::coordination,
           "The Youth Crisis Line gives callers the community organisations' entry points from the service directory."},
          {L::cooperation,
           "Referrals from the line are passed on by telephone, with the young person's agreement; no common form yet."},
          {L::cooperation, "Each partner keeps its own management; the partners have met once since the agreement was signed."},
          {L::cooperation,
           "Separate funding: the line is funded as a health service, the community organisations by the town and the "
           "province."},
          {L::cooperation, "No shared equipment; the town lends a room for the partners' meetings."},
          {L::cooperation, "Each partner serves its own clientele; the line follows no one after the call."}}},
        {{{false, ""},
          {false, ""},
          {false, ""},
          {true, "Collaboration agreement signed by the four partners, with callbacks within two business days."}}},
        "First assessment of the partnership, ten weeks after its agreement was signed: the partners cooperate, and the "
        "callbacks depend on who answers the telephone.");
}

d::AssessmentForm crisis_line_second(const Date& on, const std::string& subject) {
    return assessment(
        on, subject,
        {{{L::collaboration,
           "One referral route from the line to the community organisations, the same for every partner, listed in the "
           "service directory."},
          {L::coordination,
           "A common referral form, sent with the young person's consent; the organisation confirms the callback to the "
           "line."},
          {L::coordination, "Separate management, but a shared follow-up log reviewed at the partners' twice-yearly meetings."},
          {L::cooperation, "Funding still separate."},
          {L::coordination, "The partners lend each other rooms and training materials for the joint training."},
          {L::collaboration,
           "Young people called back by a community organisation are followed jointly with the line when they call again."}}},
        {{{false, ""},
          {false, ""},
          {true,
           "Callbacks in the official language the young person chooses, within two business days, and young people's "
           "comments gathered after each callback."},
          {true, "Collaboration agreement in force, its review planned in the registry."}}},
        "The partnership now coordinates: one referral route and a common form. Next: a shared decision body for the "
        "line and its partners, and joint funding of the evening callbacks.");
}

// ------------------------------------------------ the community plans (seed 004, tables 1 and 2)

// The town's community safety and well-being plan: every 10 years.
d::CommunityPlanForm safety_wellbeing(const Steps& steps) {
    return plan("Plan de sécurité et de bien-être communautaires de Villedémo",
                "Town of Demoville community safety and well-being plan", K::community_safety_wellbeing, steps.org(town), "",
                "Approche intégrée de la sécurité communautaire qui va au-delà de la présence policière : objectifs communs "
                "de la municipalité et des services sociaux, de santé et d'éducation pour la population locale.\n"
                "Priorités : santé mentale des jeunes, logement stable, sentiment de sécurité dans les quartiers.",
                "Villedémo et les hameaux voisins; les jeunes de 12 à 24 ans sont une population prioritaire.", C::every_10_years,
                std::nullopt, false, steps.orgs({town, agency, mental_health, north, public_board}), steps.area());
}

// The housing and homelessness plan: every 10 years, with a yearly progress report.
d::CommunityPlanForm housing(const Steps& steps) {
    return plan("Plan de logement et de lutte contre l'itinérance — Est démo", "Demo East housing and homelessness plan",
                K::housing_homelessness, steps.org(town), "",
                "A plan of action for the whole housing spectrum: emergency shelter, transitional and supportive housing, "
                "community housing and affordable rentals.\n"
                "Youth leaving care and families with children with complex needs are named as priority groups.",
                "The Town of Demoville and the townships it serves as service manager.", C::every_10_years, std::nullopt, true,
                steps.orgs({town, north, home_care, agency}), steps.area());
}

// The children's services plan of the consolidated municipal service manager: every 5 years.
d::CommunityPlanForm childrens_services(const Steps& steps) {
    return plan("Plan des services à l'enfance — Est démo", "Demo East children's services plan", K::childrens_services, "",
                service_manager,
                "Guide pour la planification et la prestation des services d'apprentissage et de garde des jeunes enfants "
                "dans la zone : places en garde, centres pour l'enfant et la famille, soutien à l'inclusion des enfants "
                "ayant des besoins particuliers.",
                "Les enfants de 0 à 12 ans et leurs familles; services en français et en anglais.", C::every_5_years,
                std::nullopt, false, steps.orgs({town, blue_river, public_board, catholic_board, agency}), steps.area());
}

// The demo health team's population health management and equity plan: a fixed deadline.
d::CommunityPlanForm population_health(const Steps& steps, const Date& deadline) {
    return plan("Plan de gestion de la santé de la population et d'équité — ESO Démo-Est",
                "Population health management and equity plan — Demo East OHT", K::population_health_equity, "", health_team,
                "Operational plan of how the team means to reach its care and outcome goals for its initial priority "
                "populations, and where it sees room to extend the redesign of care to its whole population.\n"
                "Children and youth with complex needs are one of its initial priority populations, with the coordinated "
                "service planning network as a partner.",
                "The team's attributed population in the Demo East Region.", C::fixed_date, deadline, false,
                steps.orgs({treatment_centre, mental_health, home_care, agency, town}), steps.area());
}

// A provincial policy review (table 2): ongoing, owned by the ministry.
d::CommunityPlanForm policy_review(const Steps& steps) {
    return plan("Refonte de la protection de l'enfance", "Child welfare redesign", K::policy_review, "", ministry,
                "Stratégie visant à transformer les services à l'enfance et à la famille pour renforcer les familles : "
                "prévention, intervention précoce et foyers plus permanents pour les enfants et les jeunes pris en charge "
                "lorsqu'ils ne peuvent rester chez eux ou dans leur communauté.\n"
                "Mise en œuvre en cours; à suivre pour ses effets sur les orientations vers la planification coordonnée.",
                "Province; dans la zone, les fournisseurs de la planification coordonnée et le bureau régional du ministère.",
                C::ongoing, std::nullopt, false, steps.orgs({agency, blue_river, maple, north, ministry_office}), steps.area());
}

// The health team's around-the-clock navigation support model: ongoing.
d::CommunityPlanForm navigation(const Steps& steps) {
    return plan("Modèle de soutien à la navigation en tout temps — ESO Démo-Est",
                "Around-the-clock navigation support model — Demo East OHT", K::navigation_model, "", health_team,
                "A model and its tools for guiding people through the system at any hour, including the social services "
                "beyond health: the Youth Crisis Line and the single window are both named.",
                "Calls and visits to the team's partners outside office hours.", C::ongoing, std::nullopt, false,
                steps.orgs({treatment_centre, mental_health, home_care, agency}), steps.area());
}

// The summer respite pilot's plan (demo_agreements.cpp), its end a fixed date.
d::CommunityPlanForm respite(const Steps& steps, const Date& review) {
    return plan("Plan de répit estival — projet pilote", "Summer respite plan — pilot project", K::other, steps.org(town), "",
                "Places au camp de jour municipal pour les enfants ayant des besoins complexes, avec une intervenante ou un "
                "intervenant de soutien, et transport depuis le secteur nord.",
                "Deux étés; enfants de 6 à 12 ans de la zone.", C::fixed_date, review, false,
                steps.orgs({town, home_care, north}), steps.area());
}

}  // namespace

bool load_demo_network(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM maturity_assessments LIMIT 1") || tx->query_one("SELECT 1 FROM community_plans LIMIT 1"))
        return false;
    auto admin = tx->query_one(
        "SELECT u.id, m.organisation_id, o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id "
        "JOIN organisations o ON o.id = m.organisation_id WHERE u.email = ? AND m.active = 1",
        {std::string("ca.admin@demo.arrimage.invalid")});
    if (!admin) return false;
    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {admin->i64(2)}))
        orgs[r.str(1)] = r.i64(0);
    for (const auto* name : {agency, blue_river, maple, north, treatment_centre, public_board, catholic_board, mental_health,
                             home_care, town, ministry_office})
        if (!orgs.contains(name)) return false;
    ManualClock when(clock.now());
    auto access = Tooling::demo_loader(*tx, when, admin->i64(0), admin->i64(1));
    if (!access) return false;
    store::MaturityRepo maturity(*access);
    store::CommunityPlanRepo plans(*access);
    Steps steps(maturity, plans, when, clock.now(), std::move(orgs), admin->i64(2));

    // The steps below run in the order of their days, so that every history reads in order.
    steps.assess(area_first(steps.day(-700)));

    // The summer respite pilot's plan, approved before its first summer.
    const auto respite_plan = steps.record(steps.day(-620), respite(steps, steps.day(-235)));
    steps.fire(steps.day(-605), respite_plan, E::approve, "", steps.day(-605));

    // The registry takes in the plans already in place, each with the day it was approved.
    const Date registry_opened = steps.day(-420);
    const auto safety_plan = steps.record(registry_opened, safety_wellbeing(steps));
    steps.fire(registry_opened, safety_plan, E::approve, "", add_days(add_years(steps.day(0), -4), -130));
    // Its yearly progress report comes within 30 days.
    const auto housing_plan = steps.record(registry_opened, housing(steps));
    steps.fire(registry_opened, housing_plan, E::approve, "", add_years(steps.day(18), -3));
    // Its five-year review comes within 90 days.
    const auto childrens_plan = steps.record(registry_opened, childrens_services(steps));
    steps.fire(registry_opened, childrens_plan, E::approve, "", add_years(steps.day(60), -5));
    const auto review_plan = steps.record(registry_opened, policy_review(steps));
    steps.fire(registry_opened, review_plan, E::approve, "", add_years(steps.day(0), -3));
    // Still in development when recorded; its deadline has passed since.
    const auto health_plan = steps.record(registry_opened, population_health(steps, steps.day(-20)));

    steps.assess(area_second(steps.day(-340)));
    const auto crisis_line = steps.partnership(crisis_line_title);
    if (crisis_line) steps.assess(crisis_line_first(steps.day(-330), std::to_string(*crisis_line)));
    steps.fire(steps.day(-300), health_plan, E::approve, "", steps.day(-300));
    steps.fire(steps.day(-115), respite_plan, E::retire,
               "Le financement municipal du projet pilote a pris fin après deux étés; les places de répit sont maintenant "
               "offertes par le camp de jour municipal.");
    steps.fire(steps.day(-75), health_plan, E::open_review,
               "Update due to the ministry: the team is revising its priority populations and measures.");
    steps.record(steps.day(-45), navigation(steps));
    if (crisis_line) steps.assess(crisis_line_second(steps.day(-30), std::to_string(*crisis_line)));
    steps.assess(area_third(steps.day(-25)));

    // The reminders the demo's dates have already earned, in the administrator's notifications
    // (without their emails).
    store::raise_community_plan_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
