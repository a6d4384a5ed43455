#include "app/demo_governance.hpp"

#include <algorithm>
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
#include "features/governance/store/governance_repo.hpp"
#include "web/app.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The member organisations, by their English names (demo_data.cpp).
constexpr const char* agency = "Demo Coordinating Agency";
constexpr const char* blue_river = "Blue River Family Services (fictional)";
constexpr const char* maple = "Fictional Maple Youth Centre";
constexpr const char* north = "Demo North Community Network";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* home_care = "Demo Home and Community Care";
constexpr const char* town = "Town of Demoville";

// Who acts, and for which organisation: the agency's administrator, and the manager who signs
// and follows up for each member (the demo's two-site manager under Demo Home and Community
// Care, the older of their memberships).
struct Actor {
    const char* email;
    const char* organisation;
};
constexpr Actor admin{"ca.admin@demo.arrimage.invalid", agency};
constexpr Actor manager_blue_river{"manager1@demo.arrimage.invalid", blue_river};
constexpr Actor manager_maple{"manager2@demo.arrimage.invalid", maple};
constexpr Actor manager_north{"manager3@demo.arrimage.invalid", north};
constexpr Actor manager_treatment_centre{"manager.ctc@demo.arrimage.invalid", treatment_centre};
constexpr Actor manager_home_care{"manager.two@demo.arrimage.invalid", home_care};

void fail(const Error& e) {
    std::string why = e.message_key;
    for (const auto& f : e.fields) why += " " + f.field + ": " + f.message_key;
    throw std::runtime_error("demo governance: " + why);
}
template <typename T>
T check(Result<T> r) {
    if (!r) fail(r.error());
    return std::move(*r);
}
void check(Result<void> r) {
    if (!r) fail(r.error());
}

// The steps, each on its own day: the shared clock (`when`) is set to that day, at today's
// time, before each one, and the step is taken under the named person's membership.
class Steps {
  public:
    Steps(store::Tx& tx, ManualClock& when, TimePoint now, std::map<std::string, std::int64_t> orgs,
          std::map<std::string, std::int64_t> users)
        : tx_(tx), when_(when), now_(now), today_(date_of(now)), orgs_(std::move(orgs)), users_(std::move(users)) {}

    // The day `n` days from today (before it when negative).
    Date day(int n) const { return add_days(today_, n); }
    const Date& today() const { return today_; }
    std::int64_t org_id(const char* name) const { return orgs_.at(name); }
    std::string org(const char* name) const { return std::to_string(org_id(name)); }
    std::vector<std::string> orgs(std::initializer_list<const char*> names) const {
        std::vector<std::string> out;
        for (const auto* n : names) out.push_back(org(n));
        return out;
    }

    // The repository as `who`, on day `on`.
    store::GovernanceRepo as(const Actor& who, const Date& on) {
        when_.set(now_ + std::chrono::hours(24) * days_between(today_, on));
        auto access = Tooling::demo_loader(tx_, when_, users_.at(who.email), orgs_.at(who.organisation));
        if (!access) throw std::runtime_error(std::string("demo governance: no membership for ") + who.email);
        return store::GovernanceRepo(std::move(*access));
    }

    // A member named on day `on`, with its representative.
    void member(std::int64_t committee, const Date& on, const char* organisation, const char* representative, const char* title,
                const char* email) {
        check(as(admin, on).set_member(committee, {org(organisation), representative, title, email}));
    }
    // A meeting scheduled on day `on` for day `held_on`.
    std::int64_t schedule(std::int64_t committee, const Date& on, const Date& held_on, const char* location, const char* agenda) {
        return check(as(admin, on).schedule_meeting(committee, {held_on.iso(), location, agenda}));
    }
    // Held on its day, with its minutes and who was there.
    void hold(std::int64_t committee, std::int64_t meeting, const Date& held_on, const char* minutes,
              std::initializer_list<const char*> present) {
        check(as(admin, held_on).fire_meeting(committee, meeting, d::MeetingEvent::hold, {minutes, orgs(present)}, ""));
    }
    // A decision logged by the administrator on the day it was taken.
    std::int64_t decide(std::int64_t committee, std::int64_t meeting, const Date& decided_on, const char* decision,
                        const char* decided_by, const char* owner, const char* owner_person, const Date& due_on) {
        return check(as(admin, decided_on)
                         .log_decision(committee, {meeting ? std::to_string(meeting) : "", decided_on.iso(), decision, decided_by,
                                                   org(owner), owner_person, due_on.iso()}));
    }
    // `who` signs, for their organisation, the report as it reads it.
    void sign(std::int64_t committee, std::int64_t report, const Actor& who, const Date& on) {
        auto repo = as(who, on);
        const auto shown = check(repo.report(committee, report));
        check(repo.sign_report(committee, report, shown.digest));
    }

  private:
    store::Tx& tx_;
    ManualClock& when_;
    TimePoint now_;
    Date today_;
    std::map<std::string, std::int64_t> orgs_;
    std::map<std::string, std::int64_t> users_;
};

}  // namespace

bool load_demo_governance(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM committees LIMIT 1")) return false;
    const auto area = tx->query_one(
        "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
        "WHERE u.email = ? AND m.active = 1",
        {std::string(admin.email)});
    if (!area) return false;
    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {area->i64(0)}))
        orgs[r.str(1)] = r.i64(0);
    for (const auto* name : {agency, blue_river, maple, north, treatment_centre, home_care, town})
        if (!orgs.contains(name)) return false;
    std::map<std::string, std::int64_t> users;
    for (const auto& who :
         {admin, manager_blue_river, manager_maple, manager_north, manager_treatment_centre, manager_home_care}) {
        const auto u = tx->query_one(
            "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.organisation_id = ? "
            "AND m.active = 1",
            {std::string(who.email), orgs.at(who.organisation)});
        if (!u) return false;
        users[who.email] = u->i64(0);
    }
    ManualClock when(clock.now());
    Steps steps(*tx, when, clock.now(), std::move(orgs), std::move(users));
    using ME = d::MeetingEvent;
    using DE = d::DecisionEvent;
    using RE = d::YearlyReportEvent;
    const int last_year = steps.today().year - 1;
    const char* const by_consensus = "Le comité directeur, par consensus";

    // The steps below run in the order of their days, so that every history reads in order.

    // ------------------------------------------------ the steering group and its members
    const auto steering = check(steps.as(admin, steps.day(-400))
                                    .create_committee({"Comité directeur intersectoriel de la planification coordonnée des "
                                                       "services — zone de démonstration Est",
                                                       "Cross-sectoral coordinated service planning steering group — Demo "
                                                       "East Region",
                                                       std::string(d::code(d::CommitteeKind::steering_group)),
                                                       "Orienter la mise en œuvre de la planification coordonnée des services "
                                                       "dans la zone : priorités de l'année, protocoles communs entre les "
                                                       "secteurs, suivi des ententes.\n"
                                                       "Suivre les indicateurs de la zone (délais d'attribution, plans "
                                                       "établis, services en français) et les enjeux portés au mécanisme de "
                                                       "résolution des services.\n"
                                                       "Adopter le rapport annuel au bureau régional du ministère, signé par "
                                                       "chaque organisme membre.\n"
                                                       "Se réunit au moins quatre fois par année; décide par consensus."}));
    steps.member(steering, steps.day(-400), agency, "Claude Admin-Démo", "Administratrice de la coordination (présidence)",
                 "ca.admin@demo.arrimage.invalid");
    steps.member(steering, steps.day(-400), blue_river, "Hélène Rivière-Exemple", "Directrice générale",
                 "direction.prov1@demo.arrimage.invalid");
    steps.member(steering, steps.day(-400), maple, "Jamie Maple-Sample", "Executive Director",
                 "director.prov2@demo.arrimage.invalid");
    steps.member(steering, steps.day(-400), north, "Yannick Nord-Fictif", "Directeur des services",
                 "direction.prov3@demo.arrimage.invalid");
    steps.member(steering, steps.day(-400), treatment_centre, "Taylor Clinic-Example", "Clinical Director",
                 "director.ctc@demo.arrimage.invalid");
    steps.member(steering, steps.day(-400), town, "Frédérique Ville-Exemple", "Conseillère municipale",
                 "conseil.town@demo.arrimage.invalid");

    // ------------------------------------------------ the summer coverage working group
    const auto working_group =
        check(steps.as(admin, steps.day(-380))
                  .create_committee({"Groupe de travail sur la couverture estivale", "Summer coverage working group",
                                     std::string(d::code(d::CommitteeKind::working_group)),
                                     "Propose a shared on-call rota so that every family assigned in "
                                     "July and August is contacted within 10 business days, as the "
                                     "evaluation of the Fictional Maple Youth Centre's agreement "
                                     "recommended.\n"
                                     "Reports to the steering group; ends once the rota is part of the "
                                     "provider agreements."}));
    steps.member(working_group, steps.day(-380), blue_river, "Robin Gestion-Démo", "Program Manager",
                 "manager1@demo.arrimage.invalid");
    steps.member(working_group, steps.day(-380), maple, "Charlie Gestion-Exemple", "Gestionnaire de programme",
                 "manager2@demo.arrimage.invalid");
    steps.member(working_group, steps.day(-380), north, "Morgan Gestion-Fictif", "Program Manager",
                 "manager3@demo.arrimage.invalid");

    steps.member(steering, steps.day(-300), home_care, "Pascale Domicile-Exemple", "Manager, Children's Services",
                 "children.home@demo.arrimage.invalid");
    // The town left when its summer respite pilot ended (demo_agreements.cpp); its day camp is in
    // the service directory.
    check(steps.as(admin, steps.day(-210)).end_member(steering, steps.org_id(town)));

    // ------------------------------------------------ the first meeting: held, its minutes approved at the second
    const auto first = steps.schedule(steering, steps.day(-140), steps.day(-120),
                                      "Agence de coordination Démo, salle du conseil, et en visioconférence",
                                      "1. Adoption de l'ordre du jour\n"
                                      "2. Indicateurs du trimestre : délais d'attribution et plans établis\n"
                                      "3. Rencontres de plan avec les partenaires éloignés\n"
                                      "4. Point d'accès du secteur nord\n"
                                      "5. Varia");
    steps.hold(steering, first, steps.day(-120),
               "L'agence présente les indicateurs du trimestre : les premiers contacts tardent en été chez deux fournisseurs; "
               "les plans tardent surtout lorsque l'école et le centre de traitement doivent être réunis.\n"
               "Les membres conviennent d'ajouter le délai de premier contact au formulaire commun de rapport trimestriel.\n"
               "Services à la famille Rivière-Bleue proposera les rencontres de plan en visioconférence aux partenaires "
               "éloignés et en rendra compte.\n"
               "Le Réseau communautaire Démo-Nord ouvrira un point d'accès mensuel à Nordville-Démo.\n"
               "Le Centre de traitement pour enfants Démo s'est excusé.",
               {agency, blue_river, maple, north, home_care});
    const auto form_update = steps.decide(
        steering, first, steps.day(-120),
        "Ajouter le délai entre l'attribution et le premier contact au formulaire commun de rapport trimestriel, et le "
        "transmettre aux trois fournisseurs.",
        by_consensus, maple, "Charlie Gestion-Exemple", steps.day(-40));
    const auto videoconference = steps.decide(
        steering, first, steps.day(-120),
        "Offer plan meetings by videoconference to remote partners (schools, the treatment centre) for six months and report "
        "to the steering group on how many families and partners used them.",
        by_consensus, blue_river, "Robin Gestion-Démo", steps.day(45));
    // Still open past its due date: the north sector's access point waits for premises.
    steps.decide(steering, first, steps.day(-120),
                 "Ouvrir un point d'accès mensuel à Nordville-Démo pour les familles du secteur nord qui ne peuvent se "
                 "déplacer, et l'inscrire au répertoire des services.",
                 by_consensus, north, "Morgan Gestion-Fictif", steps.day(-10));

    // Blue River's manager takes its decision up and reports on it as it goes.
    check(steps.as(manager_blue_river, steps.day(-100))
              .fire_decision(steering, videoconference, DE::start, "Pilot started with the two school boards."));

    // A meeting cancelled for want of quorum.
    const auto cancelled = steps.schedule(steering, steps.day(-100), steps.day(-75), "En visioconférence",
                                          "1. Suivi des décisions\n2. Préparation du rapport annuel\n3. Varia");
    check(steps.as(admin, steps.day(-80))
              .fire_meeting(steering, cancelled, ME::cancel, {},
                            "Annulée faute de quorum : quatre membres sur six s'étaient excusés. Les points sont reportés à "
                            "la rencontre suivante."));

    check(steps.as(manager_blue_river, steps.day(-70))
              .follow_up(steering, videoconference,
                         "Nine plan meetings held by videoconference so far; both school boards joined every time. The "
                         "treatment centre asks for a link that works without an account."));

    // ------------------------------------------------ the working group's meeting
    const auto working_meeting = steps.schedule(working_group, steps.day(-65), steps.day(-50), "By videoconference",
                                                "1. Last summer: families assigned, first contacts\n"
                                                "2. What an on-call rota between the three providers would take\n"
                                                "3. Next steps");
    const auto second = steps.schedule(steering, steps.day(-60), steps.day(-30),
                                       "Réseau communautaire Démo-Nord, Nordville-Démo, et en visioconférence",
                                       "1. Adoption du procès-verbal de la rencontre précédente\n"
                                       "2. Suivi des décisions\n"
                                       "3. Protocole d'échange de renseignements avec les écoles\n"
                                       "4. Rapport annuel de l'an dernier\n"
                                       "5. Varia");
    steps.hold(working_group, working_meeting, steps.day(-50),
               "Each provider described its summer staffing. A rota of one coordinator on call per week, in turn, would cover "
               "July and August without a vacancy leaving families waiting.\n"
               "The Fictional Maple Youth Centre will draft the rota and circulate it before the next meeting.",
               {blue_river, maple, north});
    steps.decide(working_group, working_meeting, steps.day(-50),
                 "Draft the shared on-call rota for July and August (one coordinator per week, in turn) and circulate it to "
                 "the three providers.",
                 "The working group, by consensus", maple, "Charlie Gestion-Exemple", steps.day(30));

    // Maple's manager reports the form updated before it was due.
    check(steps.as(manager_maple, steps.day(-45))
              .fire_decision(steering, form_update, DE::complete,
                             "Formulaire mis à jour et transmis aux trois fournisseurs; il a servi pour le dernier "
                             "trimestre."));

    // ------------------------------------------------ the second meeting: held
    steps.hold(steering, second, steps.day(-30),
               "Le procès-verbal de la rencontre précédente est adopté sans modification.\n"
               "Suivi : le formulaire commun est à jour; le projet de visioconférence se poursuit; le point d'accès de "
               "Nordville-Démo attend un local.\n"
               "Les membres demandent un projet de protocole d'échange de renseignements avec les écoles, avec le "
               "consentement de la famille.\n"
               "Le rapport annuel de l'an dernier sera circulé pour signature.",
               {agency, blue_river, maple, north, treatment_centre, home_care});
    check(steps.as(admin, steps.day(-30))
              .fire_meeting(steering, first, ME::approve_minutes, {},
                            "Procès-verbal adopté à la rencontre du " + steps.day(-30).iso() + "."));
    // Due within the week.
    steps.decide(steering, second, steps.day(-30),
                 "Send the members the draft protocol for sharing school information with the family's consent, for their "
                 "comments before the next meeting.",
                 by_consensus, blue_river, "Robin Gestion-Démo", steps.day(5));
    const auto reports_protocol = steps.decide(
        steering, second, steps.day(-30),
        "Présenter un protocole de transmission des rapports d'évaluation aux coordonnatrices et coordonnateurs, avec le "
        "consentement de la famille.",
        by_consensus, treatment_centre, "Taylor Clinic-Example", steps.day(60));
    steps.decide(steering, second, steps.day(-30),
                 "Map home and community care services for children with complex needs in the north sector and add them to "
                 "the service directory.",
                 by_consensus, home_care, "Pascale Domicile-Exemple", steps.day(90));

    // The next meeting, in three weeks.
    steps.schedule(steering, steps.day(-29), steps.day(21), "Agence de coordination Démo, salle du conseil",
                   "1. Adoption du procès-verbal de la rencontre précédente\n"
                   "2. Suivi des décisions (point d'accès du secteur nord en retard)\n"
                   "3. Projet de protocole d'échange de renseignements avec les écoles\n"
                   "4. Bilan du projet de visioconférence\n"
                   "5. Rapport du groupe de travail sur la couverture estivale");

    // ------------------------------------------------ last year's report, signed by every member and submitted
    const auto last_report = check(steps.as(admin, steps.day(-28))
                                       .start_report(steering, {std::to_string(last_year),
                                                                "Le comité directeur a suivi la mise en œuvre de la "
                                                                "planification coordonnée des services dans la zone et les "
                                                                "ententes de prestation et de participation.\n"
                                                                "Il a créé le groupe de travail sur la couverture estivale.",
                                                                "Toutes les demandes de services en français ont été servies en "
                                                                "français.\n"
                                                                "Un formulaire commun de rapport trimestriel pour les trois "
                                                                "fournisseurs.",
                                                                "Les premiers contacts tardent en été, lorsque des postes de "
                                                                "coordination sont vacants.\n"
                                                                "Réunir l'école et le centre de traitement à une même rencontre "
                                                                "de plan.",
                                                                "Un protocole d'échange de renseignements avec les écoles.\n"
                                                                "Un point d'accès dans le secteur nord.\n"
                                                                "Une couverture estivale partagée entre les fournisseurs."}));
    check(steps.as(admin, steps.day(-25))
              .fire_report(steering, last_report, RE::circulate, "Circulé pour signature après la rencontre."));
    steps.sign(steering, last_report, admin, steps.day(-25));
    steps.sign(steering, last_report, manager_blue_river, steps.day(-24));
    steps.sign(steering, last_report, manager_north, steps.day(-23));
    steps.sign(steering, last_report, manager_maple, steps.day(-22));
    steps.sign(steering, last_report, manager_home_care, steps.day(-21));
    check(steps.as(manager_blue_river, steps.day(-20))
              .follow_up(steering, videoconference,
                         "Seventeen meetings by videoconference; families in the north sector say it saves them a half-day "
                         "trip. The summary for the steering group is being written."));
    steps.sign(steering, last_report, manager_treatment_centre, steps.day(-19));
    check(steps.as(admin, steps.day(-16))
              .fire_report(steering, last_report, RE::submit, "Transmis au bureau régional du ministère."));

    // The treatment centre's protocol is no longer needed: its new agreement provides for it
    // (demo_agreements.cpp).
    check(steps.as(admin, steps.day(-15))
              .fire_decision(steering, reports_protocol, DE::cancel,
                             "Sans objet : la nouvelle entente de participation avec le centre prévoit la transmission des "
                             "rapports d'évaluation par Arrimage."));

    // ------------------------------------------------ the working group's report, circulating
    const auto working_report = check(steps.as(admin, steps.day(-14))
                                          .start_report(working_group, {std::to_string(last_year),
                                                                        "The working group compared the three providers' "
                                                                        "summer staffing and the first contacts of families "
                                                                        "assigned in July and August.",
                                                                        "A shared picture of summer vacancies across the "
                                                                        "three providers.",
                                                                        "Coordinators' holidays and vacant positions fall in "
                                                                        "the same weeks.",
                                                                        "A shared on-call rota for next summer, written into "
                                                                        "the provider agreements."}));
    check(steps.as(admin, steps.day(-12))
              .fire_report(working_group, working_report, RE::circulate, "For the three providers' signatures."));
    // A decision taken between meetings, by email, and carried out by the agency.
    const auto calendar =
        steps.decide(steering, 0, steps.day(-12),
                     "Adopter le calendrier des rencontres de l'année : quatre rencontres, dont une dans le secteur nord.",
                     "Le comité directeur, par courriel", agency, "Claude Admin-Démo", steps.day(-5));
    // Only the north's manager has signed: Blue River's and Maple's managers have it to sign.
    steps.sign(working_group, working_report, manager_north, steps.day(-10));
    check(steps.as(admin, steps.day(-6))
              .fire_decision(steering, calendar, DE::complete, "Calendrier transmis aux membres et à leurs représentants."));

    // ------------------------------------------------ this year's report, a draft (begun within the year)
    const int into_year = days_between(Date{steps.today().year, 1, 1}, steps.today());
    check(steps.as(admin, steps.day(-std::min(5, into_year)))
              .start_report(steering, {std::to_string(steps.today().year),
                                       "Rencontres du comité directeur et suivi des décisions (à compléter en cours "
                                       "d'année).",
                                       "", "", ""}));

    // The reminders the demo's dates have already earned, in the managers' and the
    // administrator's notifications (without their emails).
    store::raise_governance_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
