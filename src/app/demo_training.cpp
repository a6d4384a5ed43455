#include "app/demo_training.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/demo_common.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/network/domain/capacity.hpp"
#include "features/network/store/training_repo.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The joint training's partners, by their English names (demo_data.cpp).
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* public_board = "Demo East Public School Board";
constexpr const char* catholic_board = "Example Catholic School Board";
constexpr const char* mental_health = "Demo Youth Mental Health";

// The demo people (demo_data.cpp) by email: the administrator who keeps the catalogue, the
// managers who record their staff's completions, and everyone of a trainable role.
constexpr const char* admin = "ca.admin@demo.arrimage.invalid";
constexpr const char* privacy_ca = "privacy@demo.arrimage.invalid";
constexpr const char* coord_ca = "coord.ca@demo.arrimage.invalid";
constexpr const char* coord1 = "coord1@demo.arrimage.invalid";
constexpr const char* coord2 = "coord2@demo.arrimage.invalid";
constexpr const char* coord3 = "coord3@demo.arrimage.invalid";
constexpr const char* coord4 = "coord4@demo.arrimage.invalid";
constexpr const char* manager1 = "manager1@demo.arrimage.invalid";
constexpr const char* manager2 = "manager2@demo.arrimage.invalid";
constexpr const char* manager3 = "manager3@demo.arrimage.invalid";
constexpr const char* manager_ctc = "manager.ctc@demo.arrimage.invalid";
constexpr const char* manager_two = "manager.two@demo.arrimage.invalid";
constexpr const char* staff_ctc = "staff.ctc@demo.arrimage.invalid";
constexpr const char* staff_board1 = "staff.board1@demo.arrimage.invalid";
constexpr const char* staff_board2 = "staff.board2@demo.arrimage.invalid";
constexpr const char* staff_mh = "staff.mh@demo.arrimage.invalid";
constexpr const char* staff_home = "staff.home@demo.arrimage.invalid";
constexpr const char* staff_town = "staff.town@demo.arrimage.invalid";
constexpr const char* privacy_mh = "privacy.mh@demo.arrimage.invalid";

// The day each person took up their role, in days from today: most about three years ago, one
// coordinator 400 days ago and two recent hires (whose trainings are due, not overdue).
struct Joined {
    const char* email;
    int day;
};
const std::vector<Joined>& joined() {
    static const std::vector<Joined> v = {
        {privacy_ca, -1200},  {coord_ca, -1200},  {coord1, -1200},       {coord2, -1200},   {coord3, -400},
        {coord4, -75},        {manager1, -1200},  {manager2, -1200},     {manager3, -1200}, {manager_ctc, -1200},
        {manager_two, -1200}, {staff_ctc, -1200}, {staff_board1, -1200}, {staff_mh, -1200}, {staff_board2, -1200},
        {staff_home, -1200},  {staff_town, -20},  {privacy_mh, -1200},
    };
    return v;
}

enum class Key { foundations, privacy, trauma, indigenous, french, joint };

struct RequirementSeed {
    d::Role role;
    int due_days;
};

struct TrainingSeed {
    Key key;
    const char* title_fr;
    const char* title_en;
    const char* description_fr;
    const char* description_en;
    d::TrainingFormat format;
    int hours_tenths;
    std::optional<int> validity_months;
    std::vector<const char*> partners;  // a joint training's, by English name
    int created;                        // days from today
    int required;                       // the day its requirements were set
    std::vector<RequirementSeed> requirements;
};

const std::vector<TrainingSeed>& trainings() {
    using F = d::TrainingFormat;
    using R = d::Role;
    static const std::vector<TrainingSeed> v = {
        {Key::foundations,
         "Planification coordonnée des services : les fondements",
         "Coordinated service planning: foundations",
         "Deux journées pour comprendre la planification coordonnée des services en Ontario : qui y a droit, les rôles de "
         "l'agence de coordination, des fournisseurs et des participants, le plan coordonné et ses révisions, la rencontre "
         "de plan avec la famille.\n"
         "Exercices à partir de situations fictives; la deuxième journée se tient en visioconférence.",
         "Two days on coordinated service planning in Ontario: who is eligible, the roles of the coordinating agency, the "
         "providers and the participants, the coordinated service plan and its reviews, and the planning meeting with the "
         "family.\n"
         "Exercises on fictional situations; the second day is held by video conference.",
         F::hybrid,
         120,
         std::nullopt,
         {},
         -1180,
         -1180,
         {{R::coordinator, 90}, {R::provider_manager, 120}}},
        {Key::privacy,
         "Vie privée et consentement (LPRPS / LSEJF, partie X)",
         "Privacy and consent (PHIPA / CYFSA Part X)",
         "Les règles de la Loi de 2004 sur la protection des renseignements personnels sur la santé et de la partie X de la "
         "Loi de 2017 sur les services à l'enfance, à la jeunesse et à la famille, appliquées au dossier commun : le "
         "consentement et son retrait, le cercle de soins, l'accès d'une ou d'un jeune à ses propres renseignements, les "
         "atteintes à la vie privée et leur signalement.\n"
         "Questionnaire final; à refaire tous les deux ans.",
         "The rules of the Personal Health Information Protection Act, 2004 and of Part X of the Child, Youth and Family "
         "Services Act, 2017 as they apply to the shared file: consent and its withdrawal, the circle of care, a young "
         "person's access to their own information, privacy breaches and how to report them.\n"
         "Ends with a quiz; to be taken again every two years.",
         F::online,
         30,
         24,
         {},
         -1180,
         -1180,
         {{R::coordinator, 30}, {R::participant_staff, 60}, {R::provider_manager, 60}, {R::privacy_officer, 30}}},
        {Key::trauma,
         "Pratique tenant compte des traumatismes",
         "Trauma-informed practice",
         "Reconnaître les effets des traumatismes chez les enfants, les jeunes et leurs familles, éviter de les raviver à "
         "l'accueil, pendant les rencontres et lors des transitions, et prendre soin de soi face au traumatisme vicariant.\n"
         "Une journée en personne, en petits groupes.",
         "Recognising how trauma affects children, young people and their families, avoiding re-traumatisation at intake, "
         "in meetings and through transitions, and looking after oneself in the face of vicarious trauma.\n"
         "One day in person, in small groups.",
         F::in_person,
         70,
         36,
         {},
         -1150,
         -700,
         {{R::coordinator, 180}, {R::participant_staff, 365}}},
        {Key::indigenous,
         "Travailler avec les familles des Premières Nations, des Inuits et des Métis",
         "Working with First Nations, Inuit and Métis families",
         "L'histoire et les séquelles des pensionnats et de la rafle des années 1960, la compétence et la sécurisation "
         "culturelles, les droits des enfants et des familles des Premières Nations, des Inuits et des Métis dans la LSEJF, "
         "l'orientation vers des services autochtones avec le consentement de la famille.\n"
         "Animée par des formatrices et formateurs autochtones; une partie en ligne à suivre avant la journée en personne.",
         "The history and legacy of residential schools and the Sixties Scoop, cultural competence and cultural safety, the "
         "rights of First Nations, Inuit and Métis children and families under the CYFSA, and referring to Indigenous "
         "services with the family's consent.\n"
         "Led by Indigenous facilitators; an online part to complete before the day in person.",
         F::hybrid,
         60,
         std::nullopt,
         {},
         -60,
         -40,
         {{R::coordinator, 180}, {R::provider_manager, 180}}},
        {Key::french,
         "Services en français : l'offre active",
         "French-language services: active offer",
         "L'offre active de services en français : accueillir dans les deux langues dès le premier contact, noter la langue "
         "choisie par la famille et la respecter à chaque étape, orienter vers un fournisseur désigné au besoin.\n"
         "Module en ligne, à suivre à son rythme.",
         "The active offer of French-language services: greeting in both languages from the first contact, recording the "
         "language the family chooses and keeping to it at every step, referring to a designated provider when needed.\n"
         "Online module, at one's own pace.",
         F::self_paced,
         15,
         36,
         {},
         -600,
         -600,
         {{R::coordinator, 90}, {R::participant_staff, 90}}},
        {Key::joint,
         "Rencontres de plan intersectorielles : formation conjointe",
         "Cross-sector planning meetings: joint training",
         "Offerte avec le centre de traitement, les deux conseils scolaires et l'organisme de santé mentale jeunesse : "
         "préparer et animer une rencontre de plan où l'école, la santé et les services sociaux s'entendent avec la famille "
         "sur des objectifs communs.\n"
         "Séances dans les locaux des partenaires, à tour de rôle.",
         "Given with the treatment centre, both school boards and the youth mental health agency: preparing and leading a "
         "planning meeting where school, health and social services agree with the family on shared goals.\n"
         "Sessions held at the partners' premises in turn.",
         F::in_person,
         35,
         std::nullopt,
         {treatment_centre, public_board, catholic_board, mental_health},
         -200,
         -200,
         {}},
    };
    return v;
}

// A completion's day: `day` days from today, `years` years earlier (a completion that expires
// or expired a number of days from today: validity 24 months, {12, 2} expires in 12 days).
struct When {
    int day;
    int years = 0;
};

struct CompletionSeed {
    const char* email;
    Key training;
    When on;
    const char* recorded_by;
    const char* note = "";
};

// Per person, in the order of their required trainings; see the header for what they show.
const std::vector<CompletionSeed>& completions() {
    using K = Key;
    static const std::vector<CompletionSeed> v = {
        // The agency: fully compliant, its coordinator's privacy training expiring within 30 days.
        {coord_ca, K::foundations, {-1100}, admin},
        {coord_ca, K::privacy, {12, 2}, admin, "Attestation versée au dossier du personnel."},
        {coord_ca, K::trauma, {-500}, admin},
        {coord_ca, K::indigenous, {-25}, admin, "Première cohorte de la nouvelle formation."},
        {coord_ca, K::french, {-400}, admin},
        {coord_ca, K::joint, {-150}, admin},
        {privacy_ca, K::privacy, {-300}, admin},
        // Blue River: one of each standing for Alex Exemple (the First Nations, Inuit and Métis
        // training due, the French-language one overdue).
        {coord1, K::foundations, {-1000}, manager1},
        {coord1, K::privacy, {-70, 2}, manager1},
        {coord1, K::trauma, {20, 3}, manager1},
        {coord2, K::foundations, {-900}, manager1},
        {coord2, K::privacy, {-330}, manager1},
        {coord2, K::trauma, {-650}, admin},
        {coord2, K::french, {-450}, manager1},
        {coord2, K::joint, {-150}, admin},
        {manager1, K::foundations, {-1150}, admin},
        {manager1, K::privacy, {-100}, admin},
        // Maple: the coordinator who joined 400 days ago has not taken trauma-informed practice.
        {coord3, K::foundations, {-350}, manager2},
        {coord3, K::privacy, {-380}, manager2, "Suivie pendant la semaine d'accueil."},
        {coord3, K::french, {-300}, manager2},
        {manager2, K::foundations, {-1000}, admin},
        {manager2, K::privacy, {-200}, admin},
        {manager2, K::indigenous, {-20}, admin},
        // North: a recent coordinator with most trainings still due; the manager's privacy
        // training lapsed.
        {coord4, K::privacy, {-60}, manager3, "Taken during the welcome week."},
        {coord4, K::french, {-50}, manager3},
        {manager3, K::foundations, {-1100}, admin},
        {manager3, K::privacy, {-150, 2}, admin},
        // The treatment centre: its staff's privacy training taken twice; the manager's expiring.
        {staff_ctc, K::privacy, {-250, 2}, manager_ctc},
        {staff_ctc, K::privacy, {-250}, manager_ctc},
        {staff_ctc, K::trauma, {-800}, manager_ctc},
        {staff_ctc, K::french, {-500}, manager_ctc},
        {staff_ctc, K::joint, {-150}, admin, "Séance d'automne au centre de traitement."},
        {manager_ctc, K::foundations, {-700}, admin},
        {manager_ctc, K::privacy, {25, 2}, admin},
        // The school boards: the public board's trauma training lapsed and its French-language one
        // overdue; the Catholic board fully compliant.
        {staff_board1, K::privacy, {-150}, admin},
        {staff_board1, K::trauma, {-40, 3}, admin},
        {staff_board1, K::joint, {-150}, admin, "Séance d'automne au centre de traitement."},
        {staff_board2, K::privacy, {-420}, admin},
        {staff_board2, K::trauma, {-300}, admin},
        {staff_board2, K::french, {-280}, admin},
        {staff_board2, K::joint, {-150}, admin, "Séance d'automne au centre de traitement."},
        // Youth mental health and home care: the manager of both counts at each.
        {staff_mh, K::privacy, {-90}, admin},
        {staff_mh, K::trauma, {8, 3}, admin},
        {staff_mh, K::french, {-590}, admin},
        {staff_mh, K::joint, {-150}, admin, "Séance d'automne au centre de traitement."},
        {privacy_mh, K::privacy, {-60}, admin},
        {manager_two, K::foundations, {-1000}, admin},
        {manager_two, K::privacy, {-180}, admin},
        {staff_home, K::trauma, {-400}, manager_two},
        {staff_home, K::french, {-100}, manager_two},
        // The town: hired 20 days ago, the self-paced module done in the first week.
        {staff_town, K::french, {-5}, admin, "Module suivi pendant la première semaine."},
    };
    return v;
}

// Someone of the demo area: their user id and the first of their organisations there by id (where
// a completion is recorded, as the repository does when there are several).
struct Person {
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
};

}  // namespace

bool load_demo_training(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM trainings LIMIT 1")) return false;
    const auto area = tx->query_one(
        "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
        "WHERE u.email = ? AND m.role = ? AND m.active = 1",
        {std::string(admin), std::string(d::code(d::Role::ca_admin))});
    if (!area) return false;
    const std::int64_t sda = area->i64(0);

    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {sda}))
        orgs[r.str(1)] = r.i64(0);
    std::map<std::string, Person> people;
    auto person = [&](const char* email) -> bool {
        if (people.contains(email)) return true;
        const auto r = tx->query_one(
            "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id "
            "JOIN organisations o ON o.id = m.organisation_id WHERE u.email = ? AND m.active = 1 AND o.sda_id = ? "
            "AND o.active = 1 ORDER BY o.id LIMIT 1",
            {std::string(email), sda});
        if (!r) return false;
        people[email] = {r->i64(0), r->i64(1)};
        return true;
    };
    if (!person(admin)) return false;
    for (const auto& j : joined())
        if (!person(j.email)) return false;
    for (const auto& c : completions())
        if (!person(c.email) || !person(c.recorded_by)) return false;
    for (const auto& t : trainings())
        for (const auto* name : t.partners)
            if (!orgs.contains(name)) return false;

    const TimePoint now = clock.now();
    const Date today = date_of(now);
    auto day = [&](int n) { return add_days(today, n); };
    // That day at today's time, as stored timestamps read.
    auto stamp = [&](const Date& on) { return format_iso(now + std::chrono::hours(24) * days_between(today, on)); };
    const std::int64_t by_admin = people.at(admin).user_id;

    // Each person took up their role on their day: the later of it and a requirement's day is
    // when the requirement's days start to count.
    for (const auto& j : joined())
        tx->exec("UPDATE memberships SET created_at = ? WHERE user_id = ?", {stamp(day(j.day)), people.at(j.email).user_id});

    std::map<Key, std::int64_t> ids;
    for (const auto& t : trainings()) {
        // Recorded on its day, its requirements set on theirs (a second version when later).
        const int changed = t.requirements.empty() ? t.created : std::max(t.created, t.required);
        const std::int64_t version = t.requirements.empty() ? 1 : 2;
        const auto id =
            tx->query_one(
                  "INSERT INTO trainings (sda_id, title_fr, title_en, description_fr, description_en, format, hours_tenths, "
                  "validity_months, joint, retired, version, created_at, created_by, updated_at, updated_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id",
                  {sda, std::string(t.title_fr), std::string(t.title_en), std::string(t.description_fr),
                   std::string(t.description_en), std::string(d::code(t.format)), std::int64_t{t.hours_tenths},
                   t.validity_months ? store::Value{std::int64_t{*t.validity_months}} : store::Value{store::Null{}},
                   std::int64_t{t.partners.empty() ? 0 : 1}, version, stamp(day(t.created)), by_admin, stamp(day(changed)),
                   by_admin})
                ->i64(0);
        ids[t.key] = id;
        for (const auto* name : t.partners)
            tx->exec("INSERT INTO training_partners (training_id, organisation_id) VALUES (?, ?)", {id, orgs.at(name)});
        for (const auto& r : t.requirements)
            tx->exec("INSERT INTO training_requirements (training_id, role, due_days, set_on) VALUES (?, ?, ?, ?)",
                     {id, std::string(d::code(r.role)), std::int64_t{r.due_days}, day(t.required).iso()});
    }

    for (const auto& c : completions()) {
        const Date on = add_years(day(c.on.day), -c.on.years);
        // Recorded two days later, from the certificate or the attendance list.
        const Date recorded = days_between(on, today) > 2 ? add_days(on, 2) : today;
        const auto& who = people.at(c.email);
        tx->exec(
            "INSERT INTO training_completions (training_id, user_id, organisation_id, completed_on, note, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {ids.at(c.training), who.user_id, who.organisation_id, on.iso(), std::string(c.note), stamp(recorded),
             people.at(c.recorded_by).user_id});
    }
    // The reminders the demo's dates have already earned, in each person's notifications (without
    // their emails).
    store::raise_training_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
