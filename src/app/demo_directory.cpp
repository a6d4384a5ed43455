#include "app/demo_directory.hpp"

#include <map>
#include <stdexcept>
#include <type_traits>

#include "store/directory_repo.hpp"
#include "store/identity_repo.hpp"

namespace arrimage::app {

namespace d = domain;

namespace {

struct DemoService {
    const char* org;  // the demo organisation's English name
    const char* name_fr;
    const char* name_en;
    const char* description_fr;
    const char* description_en;
    std::vector<std::string> categories;
    std::vector<std::string> languages;
    std::optional<int> age_min, age_max;
    d::WaitlistStatus status;
    std::optional<int> weeks;
    bool fls;
    const char* access_fr;
    const char* access_en;
    const char* fees_fr;
    const char* fees_en;
    bool stale = false;  // last confirmed 45 days ago
};

const char* const ca = "Demo Coordinating Agency";
const char* const prov1 = "Blue River Family Services (fictional)";
const char* const prov2 = "Fictional Maple Youth Centre";
const char* const prov3 = "Demo North Community Network";
const char* const ctc = "Demo Children's Treatment Centre";
const char* const board1 = "Demo East Public School Board";
const char* const board2 = "Example Catholic School Board";
const char* const mh = "Demo Youth Mental Health";
const char* const home = "Demo Home and Community Care";
const char* const town = "Town of Demoville";

const char* const self_fr =
    "Les familles peuvent appeler directement; un professionnel peut aussi faire la demande avec leur accord.";
const char* const self_en = "Families can call directly; a professional can also refer with the family's consent.";
const char* const free_fr = "Gratuit";
const char* const free_en = "Free";

std::vector<DemoService> services() {
    using W = d::WaitlistStatus;
    return {
        {ca,
         "Accès coordonné Démo (guichet unique)",
         "Demo Coordinated Access (single window)",
         "Point d'entrée unique pour la planification coordonnée des services destinés aux enfants et aux jeunes ayant des "
         "besoins multiples ou complexes. Une personne vous écoute, vérifie l'admissibilité et vous met en lien avec une "
         "coordonnatrice ou un coordonnateur.",
         "Single point of access to coordinated service planning for children and youth with multiple or complex special needs. "
         "Someone listens, checks eligibility and connects you with a service planning coordinator.",
         {"developmental", "parenting"},
         {"fr", "en"},
         0,
         21,
         W::open,
         {},
         true,
         self_fr,
         self_en,
         free_fr,
         free_en},
        {prov1,
         "Répit familial Rivière-Bleue",
         "Blue River Family Respite",
         "Des heures de répit à domicile ou en milieu communautaire pour les familles d'enfants ayant des besoins particuliers, "
         "offertes par des intervenantes et intervenants formés.",
         "Respite hours at home or in the community for families of children with special needs, provided by trained support "
         "workers.",
         {"respite"},
         {"fr", "en"},
         0,
         18,
         W::waitlist,
         16,
         true,
         self_fr,
         self_en,
         "Selon le revenu familial",
         "Sliding scale based on family income"},
        {prov1,
         "Ateliers pour parents Rivière-Bleue",
         "Blue River Parenting Workshops",
         "Ateliers de groupe en soirée pour les parents et aidants : comportement, routines, sommeil, défense des droits à "
         "l'école.",
         "Evening group workshops for parents and caregivers: behaviour, routines, sleep, advocating at school.",
         {"parenting"},
         {"fr", "en"},
         {},
         {},
         W::open,
         {},
         true,
         self_fr,
         self_en,
         free_fr,
         free_en},
        {prov2,
         "Counseling jeunesse Érable",
         "Maple Youth Counselling",
         "Counseling individuel et de groupe pour les jeunes qui vivent de l'anxiété, une dépression ou des difficultés "
         "relationnelles.",
         "Individual and group counselling for youth experiencing anxiety, depression or relationship difficulties.",
         {"mental_health"},
         {"en", "ar", "so"},
         12,
         24,
         W::waitlist,
         8,
         false,
         self_fr,
         self_en,
         free_fr,
         free_en,
         true},
        {prov2,
         "Loisirs adaptés Érable",
         "Maple Adapted Recreation",
         "Activités sportives et artistiques adaptées, en petits groupes, les samedis.",
         "Adapted sports and arts activities in small groups on Saturdays.",
         {"recreation"},
         {"en"},
         6,
         21,
         W::open,
         {},
         false,
         self_fr,
         self_en,
         "10 $ par session; subventions offertes",
         "$10 per session; subsidies available"},
        {prov3,
         "Banque alimentaire familiale Démo-Nord",
         "Demo North Family Food Bank",
         "Paniers alimentaires hebdomadaires et préparations pour nourrissons, y compris des aliments adaptés aux régimes "
         "particuliers.",
         "Weekly food hampers and infant formula, including food for special diets.",
         {"food"},
         {"fr", "en", "es"},
         {},
         {},
         W::open,
         {},
         true,
         self_fr,
         self_en,
         free_fr,
         free_en},
        {prov3,
         "Aide au logement Démo-Nord",
         "Demo North Housing Help",
         "Aide pour trouver un logement adapté, remplir les demandes de logement subventionné et éviter une expulsion.",
         "Help finding accessible housing, applying for subsidised housing and avoiding eviction.",
         {"housing"},
         {"fr", "en"},
         {},
         {},
         W::waitlist,
         26,
         true,
         self_fr,
         self_en,
         free_fr,
         free_en,
         true},
        {ctc,
         "Orthophonie pédiatrique",
         "Paediatric Speech Therapy",
         "Évaluation et thérapie de la parole et du langage pour les enfants d'âge préscolaire et scolaire, par des "
         "orthophonistes, en personne ou en ligne.",
         "Speech and language assessment and therapy for preschool and school-age children by speech-language pathologists, in "
         "person or online.",
         {"speech_language"},
         {"fr", "en", "asl"},
         0,
         18,
         W::waitlist,
         40,
         true,
         "Demande d'un médecin, d'une infirmière praticienne ou de l'école.",
         "Referral from a physician, nurse practitioner or the school.",
         "Gratuit (financé par la province)",
         "Free (provincially funded)"},
        {ctc,
         "Physiothérapie et ergothérapie",
         "Physiotherapy and Occupational Therapy",
         "Réadaptation pour les enfants ayant une déficience physique : motricité, équipement, adaptation du domicile.",
         "Rehabilitation for children with physical disabilities: mobility, equipment, home adaptations.",
         {"rehabilitation"},
         {"fr", "en"},
         0,
         18,
         W::waitlist,
         20,
         true,
         "Demande d'un professionnel de la santé.",
         "Referral from a health professional.",
         free_fr,
         free_en},
        {ctc,
         "Programme de services en autisme",
         "Autism Services Program",
         "Services cliniques fondés sur des données probantes pour les enfants et les jeunes autistes et leurs familles.",
         "Evidence-based clinical services for autistic children and youth and their families.",
         {"autism"},
         {"fr", "en"},
         2,
         18,
         W::closed,
         {},
         true,
         self_fr,
         self_en,
         free_fr,
         free_en},
        {board1,
         "Équipe ressource en éducation spécialisée",
         "Special Education Resource Team",
         "Soutien aux élèves ayant des besoins particuliers : plan d'enseignement individualisé, technologie d'aide, transition "
         "entre les écoles.",
         "Support for students with special education needs: individual education plans, assistive technology, school "
         "transitions.",
         {"education_supports"},
         {"en"},
         4,
         21,
         W::open,
         {},
         false,
         "Parlez à la direction de l'école de votre enfant.",
         "Talk to your child's school principal.",
         free_fr,
         free_en},
        {board2,
         "Équipe de transition à la vie adulte",
         "Transition to Adulthood Team",
         "Planification de la transition dès 14 ans : études, emploi, services aux adultes, vie autonome.",
         "Transition planning from age 14: studies, employment, adult services, independent living.",
         {"transition", "education_supports"},
         {"fr", "en"},
         14,
         21,
         W::open,
         {},
         true,
         "Parlez à l'enseignante ou l'enseignant ressource de l'école.",
         "Talk to the school's resource teacher.",
         free_fr,
         free_en},
        {mh,
         "Ligne de crise jeunesse",
         "Youth Crisis Line",
         "Écoute et intervention de crise par téléphone et texto, 24 heures sur 24, 7 jours sur 7. En cas de danger immédiat, "
         "composez le 911.",
         "Crisis support by phone and text, 24 hours a day, 7 days a week. In immediate danger, call 911.",
         {"crisis", "mental_health"},
         {"fr", "en"},
         {},
         24,
         W::open,
         {},
         true,
         "Appelez ou textez en tout temps.",
         "Call or text at any time.",
         free_fr,
         free_en},
        {mh,
         "Thérapie familiale",
         "Family Therapy",
         "Thérapie pour toute la famille lorsque la santé mentale d'un enfant ou d'un jeune touche la vie familiale.",
         "Therapy for the whole family when a child's or youth's mental health affects family life.",
         {"mental_health", "parenting"},
         {"fr", "en"},
         0,
         18,
         W::waitlist,
         12,
         true,
         self_fr,
         self_en,
         free_fr,
         free_en},
        {home,
         "Soins infirmiers à domicile pour enfants",
         "Children's Home Nursing",
         "Soins infirmiers à domicile pour les enfants ayant des besoins médicaux complexes.",
         "Home nursing for children with complex medical needs.",
         {"health_care"},
         {"fr", "en"},
         0,
         18,
         W::waitlist,
         6,
         false,
         "Demande de l'hôpital ou du médecin.",
         "Referral from the hospital or physician.",
         free_fr,
         free_en},
        {town,
         "Camp d'été inclusif de Villedémo",
         "Demoville Inclusive Summer Camp",
         "Camp de jour d'été avec accompagnement individuel pour les enfants ayant des besoins particuliers.",
         "Summer day camp with one-to-one support for children with special needs.",
         {"recreation", "respite"},
         {"fr", "en"},
         4,
         17,
         W::open,
         {},
         true,
         self_fr,
         self_en,
         "Tarif du camp municipal; aide financière offerte",
         "Municipal camp fee; financial help available"},
    };
}

}  // namespace

bool load_demo_directory(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM services LIMIT 1")) return false;
    store::IdentityRepo identity(*tx, clock);
    std::map<std::string, store::OrganisationRow> orgs;
    for (auto& o : identity.list_organisations(std::nullopt, false)) orgs[o.name_en] = std::move(o);
    if (!orgs.contains(ca) || !orgs.contains(ctc)) return false;
    auto check = [](const auto& r) {
        if (!r) throw std::runtime_error("demo directory rejected: " + r.error().message_key);
        if constexpr (!std::is_same_v<std::decay_t<decltype(r)>, Result<void>>) return *r;
    };
    const ManualClock earlier(clock.now() - std::chrono::hours(24 * 45));
    store::DirectoryRepo repo(*tx, clock);

    // Directory details for each demo organisation's main office.
    std::map<std::string, std::int64_t> site_of;
    for (const auto& [name, o] : orgs) {
        auto sites = repo.list_locations(o.id, false);
        if (sites.empty()) continue;
        const auto& s = sites.front();
        d::Location l{s.name_fr,
                      s.name_en,
                      s.address,
                      s.city,
                      s.postal_code,
                      "",
                      "Du lundi au vendredi, de 8 h 30 à 16 h 30",
                      "Monday to Friday, 8:30 a.m. to 4:30 p.m.",
                      "Entrée au niveau du trottoir, toilettes accessibles, stationnement réservé.",
                      "Entrance at street level, accessible washrooms, reserved parking.",
                      true};
        check(repo.update_location(s.site_id, l, 0));
        site_of[name] = s.site_id;
    }
    const auto north = check(repo.create_location(
        orgs.at(ctc).id,
        {"Point de service Nordville-Démo", "Nordville-Demo satellite office", "12 chemin du Lac / Lake Road", "Nordville-Démo",
         "K0C 1N0", "+1 613-555-0199", "Mardi et jeudi, de 9 h à 16 h", "Tuesday and Thursday, 9 a.m. to 4 p.m.",
         "Deux marches à l'entrée; rampe temporaire sur demande.", "Two steps at the entrance; temporary ramp on request.",
         false},
        0));

    std::map<std::string, std::int64_t> ids;
    int phone = 10;
    for (const auto& s : services()) {
        const auto& org = orgs.at(s.org);
        d::Service in;
        in.name_fr = s.name_fr;
        in.name_en = s.name_en;
        in.description_fr = s.description_fr;
        in.description_en = s.description_en;
        in.category_codes = s.categories;
        in.languages = s.languages;
        in.age_min = s.age_min;
        in.age_max = s.age_max;
        in.area_served_fr = "Zone de démonstration Est";
        in.area_served_en = "Demo East Region";
        in.access_fr = s.access_fr;
        in.access_en = s.access_en;
        in.intake_fr = "Un premier appel d'environ 20 minutes, puis un rendez-vous d'évaluation.";
        in.intake_en = "A first call of about 20 minutes, then an assessment appointment.";
        in.fees_fr = s.fees_fr;
        in.fees_en = s.fees_en;
        in.fls_designated = s.fls;
        in.contact_name = "Accueil / Intake";
        in.phone = "+1 613-555-02" + std::to_string(phone++);
        in.email = "accueil." + std::to_string(phone) + "@demo.arrimage.invalid";
        if (site_of.contains(s.org)) in.site_ids.push_back(site_of.at(s.org));
        if (std::string(s.org) == ctc) in.site_ids.push_back(north);
        in.waitlist = {s.status, s.weeks};
        store::DirectoryRepo writer(*tx, s.stale ? static_cast<const Clock&>(earlier) : clock);
        ids[s.name_en] = check(writer.create_service(org.id, in, 0));
    }

    const auto sda = orgs.at(ca).sda_id;
    auto pathway = [&](std::optional<std::string> need, std::optional<std::string> sector, d::AccessMechanism m,
                       std::optional<std::int64_t> service, std::optional<std::int64_t> org, const char* fr, const char* en) {
        check(repo.create_pathway({sda, std::move(need), std::move(sector), m, service, org, fr, en}, 0));
    };
    using M = d::AccessMechanism;
    pathway("developmental", std::nullopt, M::single_window, ids.at("Demo Coordinated Access (single window)"), orgs.at(ca).id,
            "Toute demande de planification coordonnée passe par le guichet unique.",
            "Every request for coordinated service planning goes through the single window.");
    pathway("speech_language", "health", M::professional_referral, ids.at("Paediatric Speech Therapy"), std::nullopt,
            "Joindre le rapport de l'école s'il existe.", "Attach the school's report if there is one.");
    pathway("crisis", std::nullopt, M::direct_intake, ids.at("Youth Crisis Line"), std::nullopt,
            "En cas de danger immédiat, 911.", "In immediate danger, 911.");
    pathway(std::nullopt, "education", M::direct_intake, ids.at("Special Education Resource Team"), std::nullopt,
            "Passer par la direction de l'école.", "Go through the school principal.");
    tx->commit();
    return true;
}

}  // namespace arrimage::app
