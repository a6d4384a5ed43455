#include "app/demo_complaints.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "app/demo_common.hpp"
#include "app/demo_data.hpp"
#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "web/app.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

store::ComplaintNotices notices() {
    return {demo_catalogue(), demo_base_url, false};
}

// The organisations, by their English names (demo_data.cpp).
constexpr const char* agency = "Demo Coordinating Agency";
constexpr const char* blue_river = "Blue River Family Services (fictional)";
constexpr const char* maple = "Fictional Maple Youth Centre";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* school_board = "Demo East Public School Board";
constexpr const char* mental_health = "Demo Youth Mental Health";

// Who acts, under their membership at which organisation.
struct Actor {
    const char* email;
    const char* organisation;
};
// The agency: its administrator (triage, closing, appeals) and the owners among its staff.
constexpr Actor admin{"ca.admin@demo.arrimage.invalid", agency};
constexpr Actor coordinator{"coord.ca@demo.arrimage.invalid", agency};
constexpr Actor privacy_officer{"privacy@demo.arrimage.invalid", agency};
// Staff who raise complaints for their organisations.
constexpr Actor manager_blue_river{"manager1@demo.arrimage.invalid", blue_river};
constexpr Actor school_staff{"staff.board1@demo.arrimage.invalid", school_board};
constexpr Actor treatment_staff{"staff.ctc@demo.arrimage.invalid", treatment_centre};

void fail(const Error& e) {
    std::string why = e.message_key;
    for (const auto& f : e.fields) why += " " + f.field + ": " + f.message_key;
    throw std::runtime_error("demo complaints: " + why);
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
// time, before each one, and the step is taken by the named person (or the public form, or the
// family account).
class Steps {
  public:
    Steps(store::Tx& tx, ManualClock& when, TimePoint now, std::int64_t area, std::map<std::string, std::int64_t> orgs,
          std::map<std::string, std::int64_t> users, std::int64_t family, TimePoint family_joined)
        : tx_(tx),
          when_(when),
          now_(now),
          today_(date_of(now)),
          area_(area),
          orgs_(std::move(orgs)),
          users_(std::move(users)),
          family_(family),
          family_joined_(family_joined) {}

    // The day `n` days from today (before it when negative).
    Date day(int n) const { return add_days(today_, n); }
    std::string org(const char* name) const { return std::to_string(orgs_.at(name)); }
    std::string user(const Actor& who) const { return std::to_string(users_.at(who.email)); }

    // The repository as `who`, on day `on`.
    store::ComplaintRepo as(const Actor& who, const Date& on) {
        set(on);
        auto access = Tooling::demo_loader(tx_, when_, users_.at(who.email), orgs_.at(who.organisation));
        if (!access) throw std::runtime_error(std::string("demo complaints: no membership for ") + who.email);
        return store::ComplaintRepo(std::move(*access), notices());
    }

    // A complaint from the public form on day `on`, in `lang` (the page's language).
    std::int64_t from_public(const Date& on, d::ComplaintForm form, const char* lang) {
        set(on);
        form.area = std::to_string(area_);
        return check(store::ComplaintRepo(Tooling::demo_visitor(tx_, when_), notices()).raise(form, lang)).id;
    }
    // A complaint from the family account, a few minutes after it joined (as the demo was loaded).
    std::int64_t from_family(const d::ComplaintForm& form, const char* lang) {
        when_.set(family_joined_ + std::chrono::minutes(10));
        auto access = Tooling::demo_family(tx_, when_, family_);
        if (!access) throw std::runtime_error("demo complaints: the family account cannot sign in");
        return check(store::ComplaintRepo(std::move(*access), notices()).raise(form, lang)).id;
    }
    // A complaint `who` raises for their organisation on day `on`.
    std::int64_t from_staff(const Actor& who, const Date& on, const d::ComplaintForm& form, const char* lang) {
        return check(as(who, on).raise(form, lang)).id;
    }

    // Triaged by the agency's administrator on day `on`: its category, severity and owner.
    void triage(std::int64_t id, const Date& on, d::ComplaintCategory category, d::ComplaintSeverity severity,
                const Actor& owner) {
        check(as(admin, on).fire(id, d::ComplaintEvent::triage,
                                 {std::string(d::code(category)), std::string(d::code(severity)), user(owner)}, ""));
    }
    // A move by `who` on day `on`, with its note.
    void move(std::int64_t id, const Actor& who, const Date& on, d::ComplaintEvent event, const std::string& note) {
        check(as(who, on).fire(id, event, {}, note));
    }
    // A step taken by `who` on day `on`.
    void step(std::int64_t id, const Actor& who, const Date& on, const std::string& note) {
        check(as(who, on).add_step(id, note));
    }

  private:
    void set(const Date& on) { when_.set(now_ + std::chrono::hours(24) * days_between(today_, on)); }

    store::Tx& tx_;
    ManualClock& when_;
    TimePoint now_;
    Date today_;
    std::int64_t area_;
    std::map<std::string, std::int64_t> orgs_;
    std::map<std::string, std::int64_t> users_;
    std::int64_t family_;
    TimePoint family_joined_;
};

}  // namespace

bool load_demo_complaints(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM complaints LIMIT 1")) return false;
    const auto area = tx->query_one(
        "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
        "WHERE u.email = ? AND m.active = 1",
        {std::string(admin.email)});
    if (!area) return false;
    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {area->i64(0)}))
        orgs[r.str(1)] = r.i64(0);
    for (const auto* name : {agency, blue_river, maple, treatment_centre, school_board, mental_health})
        if (!orgs.contains(name)) return false;
    std::map<std::string, std::int64_t> users;
    for (const auto& who : {admin, coordinator, privacy_officer, manager_blue_river, school_staff, treatment_staff}) {
        const auto u = tx->query_one(
            "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.organisation_id = ? "
            "AND m.active = 1",
            {std::string(who.email), orgs.at(who.organisation)});
        if (!u) return false;
        users[who.email] = u->i64(0);
    }
    // The family account joins with the demo's plan (demo_intake.cpp), the file it reaches giving
    // the area it raises in.
    const auto family = tx->query_one(
        "SELECT u.id, MAX(x.created_at) FROM users u JOIN family_access x ON x.user_id = u.id AND x.revoked_at IS NULL "
        "WHERE u.email = ? AND u.kind = 'family' GROUP BY u.id",
        {std::string(demo_family_login)});
    if (!family) return false;
    const auto joined = parse_iso(family->str(1));
    if (!joined) return false;

    ManualClock when(clock.now());
    Steps steps(*tx, when, clock.now(), area->i64(0), std::move(orgs), std::move(users), family->i64(0), *joined);
    using E = d::ComplaintEvent;
    using C = d::ComplaintCategory;
    using S = d::ComplaintSeverity;
    const std::string complaint(d::code(d::ComplaintKind::complaint));
    const std::string conflict(d::code(d::ComplaintKind::conflict));
    auto category = [](C c) { return std::string(d::code(c)); };
    auto relation = [](d::ComplainantRelation r) { return std::string(d::code(r)); };
    using R = d::ComplainantRelation;

    // The steps below run in the order of their days, so that every history reads in order.

    // ------------------------------------------------ the area's deadlines
    check(steps.as(admin, steps.day(-200)).save_settings({"5", "30", "15"}));

    // ------------------------------------------------ five months ago: a school's complaint (closed after the window)
    // A school's staff member about the mental-health agency's updates: a provider's complaint,
    // owned by the administrator herself, resolved, and closed once no appeal came.
    const auto reports = steps.from_staff(
        school_staff, steps.day(-150),
        {.kind = complaint,
         .category = category(C::communication),
         .about_organisation = steps.org(mental_health),
         .name = "Eden École-Démo",
         .relation = relation(R::professional),
         .email = "staff.board1@demo.arrimage.invalid",
         .description = "Three students' plans name Demo Youth Mental Health as the lead for their support at school, but the "
                        "school has received no update since the spring, although the families consented to it. Teachers "
                        "do not know whether the sessions continue.",
         .desired_outcome = "A named contact at the agency and an update before each plan review."},
        "en");
    steps.triage(reports, steps.day(-149), C::communication, S::low, admin);
    steps.move(reports, admin, steps.day(-148), E::acknowledge,
               "Acknowledged by email to the school's staff member: the agency will meet both organisations.");
    steps.step(reports, admin, steps.day(-140),
               "Call with the mental-health agency's manager: updates were sent to a school address that is no longer "
               "read.");
    steps.move(reports, admin, steps.day(-125), E::resolve,
               "Demo Youth Mental Health now sends its updates to the school's named resource teacher, before each plan "
               "review, with the family's consent on file. Both organisations confirmed the contact.");

    // ------------------------------------------------ four months ago: a parent's complaint (closed after its appeal)
    // From the public form, named: owned by the agency's coordinator, resolved, appealed by phone
    // (the agency records it for her: she has no account) and decided by the administrator.
    const auto waiting = steps.from_public(steps.day(-120),
                                           {.kind = complaint,
                                            .category = category(C::wait_times),
                                            .about_organisation = steps.org(blue_river),
                                            .name = "Sophie Démo-Lavoie",
                                            .relation = relation(R::parent),
                                            .email = "sophie.lavoie@demo.arrimage.invalid",
                                            .phone = "+1 613-555-0311",
                                            .preferred_lang = "fr",
                                            .description = "Notre demande de coordination a été acceptée il y a quatre mois et "
                                                           "personne ne nous a encore appelés. On nous répond chaque fois que "
                                                           "le dossier est sur la liste.",
                                            .desired_outcome = "Une date pour la première rencontre, et savoir qui appeler "
                                                               "d'ici là."},
                                           "fr");
    steps.triage(waiting, steps.day(-119), C::wait_times, S::high, coordinator);
    steps.move(waiting, coordinator, steps.day(-118), E::acknowledge,
               "Accusé de réception envoyé par courriel; appel à la famille prévu cette semaine.");
    steps.step(waiting, coordinator, steps.day(-112),
               "Appel à Mme Démo-Lavoie : la demande attend l'attribution d'une coordonnatrice chez Rivière-Bleue depuis "
               "16 semaines.");
    // The school's window has passed (15 days from its resolution): closed.
    steps.move(reports, admin, steps.day(-105), E::close, "No appeal within the window.");
    steps.move(waiting, coordinator, steps.day(-100), E::resolve,
               "Une coordonnatrice de Rivière-Bleue est attribuée; la première rencontre a lieu dans deux semaines. "
               "L'agence suivra chaque mois les demandes en attente depuis plus de huit semaines.");
    steps.move(waiting, admin, steps.day(-95), E::appeal,
               "Par téléphone : la famille demande que l'attente soit reconnue et qu'une personne-ressource soit nommée d'ici "
               "la rencontre.");
    steps.move(waiting, admin, steps.day(-84), E::decide_appeal,
               "Appel accueilli en partie : l'agence reconnaît un délai déraisonnable et nomme sa coordonnatrice comme "
               "personne-ressource jusqu'à la première rencontre. Le reste de la résolution est maintenu.");

    // ------------------------------------------------ two months ago: a conflict between two providers (appealed)
    // Blue River's manager, over which provider leads the coordination of families both serve;
    // resolved by the coordinator, then appealed by Blue River within the window: the
    // administrator has it to decide.
    const auto lead = steps.from_staff(
        manager_blue_river, steps.day(-60),
        {.kind = conflict,
         .category = category(C::coordination),
         .about_organisation = steps.org(maple),
         .name = "Robin Gestion-Démo",
         .relation = relation(R::professional),
         .email = "manager1@demo.arrimage.invalid",
         .description = "Blue River and the Fictional Maple Youth Centre both serve two families and both consider the other "
                        "to lead the coordination. Plan reviews have been postponed twice while the two teams wait for each "
                        "other.",
         .desired_outcome = "A rule for which provider leads when both serve a family, and a decision for the two files."},
        "en");
    steps.triage(lead, steps.day(-59), C::coordination, S::high, coordinator);
    steps.move(lead, coordinator, steps.day(-58), E::acknowledge,
               "Accusé de réception aux deux gestionnaires; rencontre des trois organismes proposée.");
    steps.step(lead, coordinator, steps.day(-50),
               "Rencontre avec les gestionnaires de Rivière-Bleue et d'Érable-Fictif : chacun s'appuie sur une version "
               "différente de l'entente de prestation.");

    // ------------------------------------------------ six weeks ago: anonymous, and the treatment centre's staff
    // Anonymous, from the public form: owned by the administrator, resolved, its appeal window
    // still open.
    const auto sessions = steps.from_public(
        steps.day(-40),
        {.kind = complaint,
         .category = category(C::quality),
         .about_organisation = steps.org(treatment_centre),
         .preferred_lang = "en",
         .description = "The group sessions for parents at the treatment centre were cancelled three times this month, each "
                        "time the same morning. Parents take time off work to attend.",
         .desired_outcome = "Notice the day before when a session cannot be held."},
        "en");
    steps.triage(sessions, steps.day(-39), C::quality, S::low, admin);
    steps.move(sessions, admin, steps.day(-39), E::acknowledge, "Anonymous: acknowledged here; there is no one to write to.");
    // The treatment centre's staff member, about Blue River: owned by the coordinator,
    // acknowledged, and now past its resolution deadline.
    const auto assessments = steps.from_staff(
        treatment_staff, steps.day(-38),
        {.kind = complaint,
         .category = category(C::communication),
         .about_organisation = steps.org(blue_river),
         .name = "Ariel Traitement-Démo",
         .relation = relation(R::professional),
         .email = "staff.ctc@demo.arrimage.invalid",
         .description = "Our assessment reports for children coordinated by Blue River are not reaching the families' "
                        "coordinators: twice this month, a plan meeting went ahead without them.",
         .desired_outcome = "Confirmation that each report reached the coordinator before the meeting."},
        "en");
    steps.triage(assessments, steps.day(-37), C::communication, S::medium, coordinator);
    steps.move(assessments, coordinator, steps.day(-36), E::acknowledge, "Accusé de réception envoyé au centre de traitement.");
    steps.step(lead, coordinator, steps.day(-35), "Lecture des deux ententes avec l'administratrice de l'agence.");
    steps.step(sessions, admin, steps.day(-30),
               "The treatment centre confirms three cancellations for illness; it had no replacement facilitator.");

    // ------------------------------------------------ a month ago: a youth's complaint (due tomorrow)
    // From the public form, named: owned by the coordinator, acknowledged, its resolution due
    // tomorrow.
    const auto self_referral = steps.from_public(
        steps.day(-29),
        {.kind = complaint,
         .category = category(C::access),
         .about_organisation = steps.org(agency),
         .name = "Jayden Demo-Clarke",
         .relation = relation(R::youth),
         .email = "jayden.clarke@demo.arrimage.invalid",
         .preferred_lang = "en",
         .description = "I am 16 and asked for coordination myself. I was told my parent has to call, but I don't live with "
                        "them.",
         .desired_outcome = "To be able to ask for services myself."},
        "en");
    steps.triage(self_referral, steps.day(-28), C::access, S::medium, coordinator);
    steps.move(self_referral, coordinator, steps.day(-27), E::acknowledge,
               "Acknowledged by email; a youth may refer themselves, and the agency will call back.");
    steps.move(lead, coordinator, steps.day(-20), E::resolve,
               "Le fournisseur qui a reçu la demande en premier dirige la coordination; l'autre participe au plan. Pour les "
               "deux dossiers : Érable-Fictif dirige.");
    steps.step(assessments, coordinator, steps.day(-20),
               "Les rapports partent à l'adresse générale de Rivière-Bleue; demande faite à Rivière-Bleue de les "
               "transmettre aux coordonnatrices.");

    // ------------------------------------------------ two weeks ago: a parent's complaint (withdrawn)
    // From the public form, named: owned by the coordinator, withdrawn by the administrator at
    // the parent's request once the provider offered another way.
    const auto transport = steps.from_public(steps.day(-15),
                                             {.kind = complaint,
                                              .category = category(C::access),
                                              .about_organisation = steps.org(maple),
                                              .name = "Karim Démo-Benali",
                                              .relation = relation(R::parent),
                                              .email = "karim.benali@demo.arrimage.invalid",
                                              .preferred_lang = "fr",
                                              .description = "Les rencontres ont lieu à Bourg-Exemple et nous n'avons pas de "
                                                             "voiture. On nous a dit qu'il n'y avait pas d'autre possibilité.",
                                              .desired_outcome = "Des rencontres plus près, ou en visioconférence."},
                                             "fr");
    steps.triage(transport, steps.day(-14), C::access, S::low, coordinator);
    steps.move(transport, admin, steps.day(-12), E::withdraw,
               "Retirée à la demande de M. Démo-Benali, par téléphone : Érable-Fictif lui a offert les rencontres en "
               "visioconférence.");
    steps.step(assessments, coordinator, steps.day(-12), "Relance à Rivière-Bleue : pas de réponse à ce jour.");
    steps.move(lead, manager_blue_river, steps.day(-10), E::appeal,
               "For one of the two families, Blue River has held the relationship for three years and the family asked us "
               "to lead. The rule should leave room for the family's choice.");
    steps.step(self_referral, coordinator, steps.day(-10),
               "Spoke with the youth: a referral was opened in their own name. The intake script still says a parent must "
               "call; correction requested.");
    steps.move(sessions, admin, steps.day(-8), E::resolve,
               "The treatment centre has trained a second facilitator and will tell parents by text message the day "
               "before when a session cannot be held.");

    // ------------------------------------------------ this week: a privacy complaint (triaged), and two received
    // A grandmother, by phone number only: a critical privacy complaint, owned by the agency's
    // privacy officer, to be acknowledged.
    const auto school = steps.from_public(steps.day(-2),
                                          {.kind = complaint,
                                           .category = category(C::privacy),
                                           .about_organisation = steps.org(school_board),
                                           .name = "Ginette Exemple-Roy",
                                           .relation = relation(R::caregiver),
                                           .phone = "+1 613-555-0317",
                                           .preferred_lang = "fr",
                                           .description = "L'école de mon petit-fils a reçu le compte rendu d'une rencontre de "
                                                          "plan alors que nous avions refusé qu'il lui soit transmis.",
                                           .desired_outcome = "Savoir qui l'a envoyé et qu'il soit retiré du dossier scolaire."},
                                          "fr");
    steps.triage(school, steps.day(-1), C::privacy, S::critical, privacy_officer);
    // Anonymous, yesterday: not yet triaged.
    steps.from_public(steps.day(-1),
                      {.kind = complaint,
                       .category = category(C::wait_times),
                       .preferred_lang = "fr",
                       .description = "Cela fait six semaines que nous attendons un rappel après l'accueil. Personne ne "
                                      "répond au numéro qu'on nous a donné."},
                      "fr");
    // The family account, today, once it has joined: its name, address and language are the
    // account's.
    steps.from_family({.kind = complaint,
                       .category = category(C::communication),
                       .about_organisation = steps.org(maple),
                       .description = "The letters about Noah's plan come in French only, although we asked for English "
                                      "when we joined.",
                       .desired_outcome = "Letters in English, as on his file."},
                      "en");

    // The reminders the demo's dates have already earned: the coordinator's for what is due
    // tomorrow, and the overdue one escalated to the administrator (without their emails).
    store::raise_complaint_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
