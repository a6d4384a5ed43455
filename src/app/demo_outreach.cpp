#include "app/demo_outreach.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/network/domain/outreach.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The demo people who keep the log (demo_data.cpp): the agency's administrator and three
// providers' managers, each recording their own organisation's activities.
constexpr const char* admin = "ca.admin@demo.arrimage.invalid";
constexpr const char* manager1 = "manager1@demo.arrimage.invalid";  // Blue River
constexpr const char* manager2 = "manager2@demo.arrimage.invalid";  // Maple Youth Centre
constexpr const char* manager3 = "manager3@demo.arrimage.invalid";  // North Community Network

// The organisations involved, by their English names (demo_data.cpp).
constexpr const char* agency = "Demo Coordinating Agency";
constexpr const char* blue_river = "Blue River Family Services (fictional)";
constexpr const char* maple = "Fictional Maple Youth Centre";
constexpr const char* north = "Demo North Community Network";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* public_board = "Demo East Public School Board";
constexpr const char* catholic_board = "Example Catholic School Board";
constexpr const char* mental_health = "Demo Youth Mental Health";
constexpr const char* town = "Town of Demoville";

struct ActivitySeed {
    int held;                 // days from today
    const char* recorded_by;  // whose organisation's activity it is
    d::OutreachKind kind;
    std::vector<d::OutreachAudience> audiences;
    d::OutreachLanguage language;
    std::optional<int> people_reached;
    std::vector<const char*> organisations;  // by English name, the recorder's own among them
    const char* title;
    const char* summary;
    const char* follow_up = "";
    int changed = 0;  // days after it was recorded that its follow-up was added (0: never changed)
};

// Thirteen activities over the last eighteen months, every kind at least once.
const std::vector<ActivitySeed>& activities() {
    using K = d::OutreachKind;
    using A = d::OutreachAudience;
    using L = d::OutreachLanguage;
    static const std::vector<ActivitySeed> v = {
        {-520,
         admin,
         K::referrer_presentation,
         {A::referring_agencies, A::schools},
         L::fr,
         34,
         {agency, catholic_board},
         "La planification coordonnée des services présentée aux directions d'école du conseil catholique",
         "Présentation de 45 minutes à la rencontre des directions d'école : qui peut être orienté, comment orienter un "
         "élève avec le consentement de sa famille, ce que l'école peut attendre de la rencontre de plan.\n"
         "Questions surtout sur les élèves déjà suivis par plusieurs services et sur les délais d'attente.",
         "Envoyer le dépliant et le formulaire d'orientation aux secrétariats des écoles."},
        {-470,
         manager1,
         K::family_session,
         {A::families},
         L::en,
         18,
         {blue_river, agency},
         "Information evening for families: what coordinated service planning offers",
         "An evening at Blue River's offices with the agency's intake coordinator: how a family asks for coordinated service "
         "planning, what a coordinator does, and what the plan and its meetings look like. Two parents who had been through "
         "the process spoke of their experience.\n"
         "Childcare was offered on site; most families came with a child on a waitlist."},
        {-430,
         admin,
         K::webinar,
         {A::providers, A::referring_agencies},
         L::both,
         62,
         {agency, blue_river, maple, treatment_centre},
         "Orienter vers la planification coordonnée / Referring to coordinated service planning",
         "Webinaire bilingue d'une heure : les critères, le formulaire d'orientation, ce qui se passe après l'orientation.\n"
         "One-hour bilingual webinar: the criteria, the referral form, and what happens after a referral. The recording and "
         "slides were shared with the participants.",
         "Ajouter une foire aux questions au site Web du réseau. / Add a frequently asked questions page to the network's "
         "website.",
         21},
        {-380,
         admin,
         K::publication,
         {A::families, A::community},
         L::both,
         1200,
         {agency},
         "Bulletin du réseau — automne / Network newsletter — autumn",
         "Numéro d'automne : la nouvelle ligne d'accueil, le portrait d'une famille accompagnée, le calendrier des séances "
         "d'information.\n"
         "Autumn issue: the new intake line, the story of a family supported by the network, the calendar of information "
         "sessions. Sent by email and left at the area's libraries and clinics."},
        {-330,
         manager2,
         K::community_event,
         {A::families, A::community},
         L::en,
         150,
         {maple, town},
         "Maple Youth Centre booth at the Demoville community fair",
         "A booth shared with the town's recreation services for the day of the fair: leaflets on coordinated service "
         "planning in both languages, and conversations with parents about where to turn when a child needs several "
         "services.\n"
         "About 150 people stopped by; a dozen families asked to be called back."},
        {-300,
         admin,
         K::community_of_practice,
         {A::providers},
         L::fr,
         22,
         {agency, blue_river, maple, north, mental_health},
         "Communauté de pratique des coordonnatrices et coordonnateurs : les transitions à l'adolescence",
         "Troisième rencontre de la communauté de pratique : préparer le passage aux services pour adultes, à partir de deux "
         "situations fictives présentées par les fournisseurs.\n"
         "Échange sur les délais à prévoir et sur le rôle de la jeune personne dans sa propre rencontre de plan."},
        {-250,
         manager3,
         K::referrer_presentation,
         {A::health, A::referring_agencies},
         L::en,
         12,
         {north},
         "Coordinated service planning presented to the North family health team",
         "A lunch presentation to the family physicians and nurse practitioners of the North family health team: when to "
         "refer, what the family is asked to consent to, and how the physician hears back once a plan is in place."},
        {-200,
         admin,
         K::referrer_presentation,
         {A::referring_agencies},
         L::fr,
         15,
         {agency},
         "Présentation à l'équipe d'accueil de la société d'aide à l'enfance",
         "Présentation à l'équipe d'accueil : la différence entre une orientation vers la planification coordonnée et un "
         "signalement, le consentement de la famille, les liens avec le plan de l'organisme de protection de l'enfance."},
        {-160,
         manager1,
         K::webinar,
         {A::families},
         L::fr,
         27,
         {blue_river},
         "Webinaire pour les parents : se préparer à la rencontre de plan",
         "Webinaire du soir pour les parents : ce qu'on peut apporter à la rencontre de plan, qui peut nous accompagner, "
         "comment dire ce qui compte pour la famille.\n"
         "L'enregistrement est offert aux familles inscrites qui n'ont pas pu y assister.",
         "Reprendre le webinaire en anglais au printemps.",
         30},
        {-120,
         admin,
         K::other,
         {A::community, A::families},
         L::fr,
         std::nullopt,
         {agency, town},
         "Entrevue à la radio communautaire sur le réseau de services",
         "Entrevue de 15 minutes à l'émission du matin : le rôle de l'organisme de coordination, comment une famille peut "
         "demander de l'aide, les services offerts en français dans la zone."},
        {-75,
         admin,
         K::community_of_practice,
         {A::providers, A::schools, A::health},
         L::both,
         31,
         {agency, treatment_centre, public_board, catholic_board, mental_health},
         "L'école et la santé mentale / School and mental health",
         "Communauté de pratique intersectorielle : comment l'école, la santé mentale et le centre de traitement se "
         "partagent les rôles autour d'un même élève.\n"
         "Cross-sector community of practice: how the school, mental health services and the treatment centre share the "
         "work around one student. Each board presented its way of taking part in planning meetings."},
        {-40,
         manager2,
         K::family_session,
         {A::families},
         L::en,
         9,
         {maple},
         "Drop-in session for families on the waitlist",
         "An afternoon drop-in for families waiting for a first planning meeting: what to expect, what support is available "
         "while waiting, and whom to call if the situation changes."},
        {-10,
         admin,
         K::publication,
         {A::families, A::referring_agencies, A::community},
         L::both,
         1350,
         {agency, blue_river, maple, north},
         "Bulletin du réseau — printemps / Network newsletter — spring",
         "Numéro du printemps : les résultats de l'année, les nouvelles séances pour les familles des fournisseurs, le "
         "webinaire sur l'orientation.\n"
         "Spring issue: the year's results, the providers' new sessions for families, the webinar on referrals. Sent to the "
         "referring agencies' mailing list for the first time."},
    };
    return v;
}

// Someone of the demo area: their user id and the organisation of their membership there.
struct Recorder {
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
};

}  // namespace

bool load_demo_outreach(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM outreach_activities LIMIT 1")) return false;
    const auto area = tx->query_one(
        "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
        "WHERE u.email = ? AND m.role = ? AND m.active = 1",
        {std::string(admin), std::string(d::code(d::Role::ca_admin))});
    if (!area) return false;
    const std::int64_t sda = area->i64(0);

    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {sda}))
        orgs[r.str(1)] = r.i64(0);
    std::map<std::string, Recorder> recorders;
    for (const char* email : {admin, manager1, manager2, manager3}) {
        const auto r = tx->query_one(
            "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = "
            "m.organisation_id WHERE u.email = ? AND m.active = 1 AND o.sda_id = ? AND o.active = 1 ORDER BY m.id LIMIT 1",
            {std::string(email), sda});
        if (!r) return false;
        recorders[email] = {r->i64(0), r->i64(1)};
    }
    for (const auto& a : activities())
        for (const auto* name : a.organisations)
            if (!orgs.contains(name)) return false;

    const TimePoint now = clock.now();
    const Date today = date_of(now);
    // That day at today's time, as stored timestamps read.
    auto stamp = [&](const Date& on) { return format_iso(now + std::chrono::hours(24) * days_between(today, on)); };
    auto not_after_today = [&](const Date& on) { return days_between(on, today) < 0 ? today : on; };

    for (const auto& a : activities()) {
        const Date held = add_days(today, a.held);
        // Written down two days after it was held; a follow-up added later is a second version.
        const Date recorded = not_after_today(add_days(held, 2));
        const Date changed = a.changed > 0 ? not_after_today(add_days(recorded, a.changed)) : recorded;
        const auto& who = recorders.at(a.recorded_by);
        const auto id =
            tx->query_one(
                  "INSERT INTO outreach_activities (sda_id, organisation_id, kind, title, lang, held_on, people_reached, "
                  "summary, "
                  "follow_up, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, "
                  "?, ?) RETURNING id",
                  {sda, who.organisation_id, std::string(d::code(a.kind)), std::string(a.title), std::string(d::code(a.language)),
                   held.iso(), a.people_reached ? store::Value{std::int64_t{*a.people_reached}} : store::Value{store::Null{}},
                   std::string(a.summary), std::string(a.follow_up), std::int64_t{a.changed > 0 ? 2 : 1}, stamp(recorded),
                   who.user_id, stamp(changed), who.user_id})
                ->i64(0);
        for (auto audience : a.audiences)
            tx->exec("INSERT INTO outreach_audiences (activity_id, audience) VALUES (?, ?)",
                     {id, std::string(d::code(audience))});
        for (const auto* name : a.organisations)
            tx->exec("INSERT INTO outreach_organisations (activity_id, organisation_id) VALUES (?, ?)", {id, orgs.at(name)});
    }
    tx->commit();
    return true;
}

}  // namespace arrimage::app
