#include "app/demo_intake.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "app/demo_common.hpp"
#include "app/demo_data.hpp"
#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/family/store/family_request_repo.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "features/notification/store/reminders.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"

namespace arrimage::app {

namespace d = domain;

namespace {

enum class Stage { received, accepted, in_intake, eligible, ineligible, waitlisted, assigned, closed };

struct DemoReferral {
    const char* given;
    const char* family;
    int age;  // on the day the demo data is loaded
    Lang lang;
    const char* contact_given;
    const char* needs;
    Stage stage;
    const char* story;  // empty: none recorded
    const char* strengths;
    const char* hopes;
    bool in_school;
    std::vector<d::Sector> sectors;
    const char* reason;  // the decision's
    // From the waitlist on: the file is registered, and the family has an email.
    int days_ago = 0;              // when the referral came in (0: today)
    const char* coordinator = "";  // assigned or closed: the coordinator's email
    bool first_contact = false;    // assigned: the coordinator reached the family
};

const std::vector<DemoReferral>& referrals() {
    using S = d::Sector;
    static const std::vector<DemoReferral> v = {
        {"Théo",
         "Démo-Lavoie",
         6,
         Lang::fr,
         "Nadia",
         "Retard de langage et crises fréquentes; l'école demande de l'aide.",
         Stage::received,
         "",
         "",
         "",
         true,
         {},
         "",
         7},  // a week without an answer: the reminder job has reminded the agency
        {"Maya",
         "Demo-Wilson",
         9,
         Lang::en,
         "Priya",
         "Autism diagnosis last year; sleep problems; struggling at school.",
         Stage::accepted,
         "",
         "",
         "",
         true,
         {},
         "",
         1},
        {"Félix",
         "Démo-Roy",
         12,
         Lang::fr,
         "Sophie",
         "Trouble de santé chronique et anxiété; absences scolaires.",
         Stage::in_intake,
         "Félix a été hospitalisé deux fois cette année. Il manque beaucoup l'école et il s'isole.",
         "Il adore les échecs et dessine très bien.",
         "Qu'il retourne à l'école à temps plein.",
         true,
         {S::health, S::education},
         "",
         18},  // the intake decision is overdue
        {"Sofia",
         "Demo-Brown",
         15,
         Lang::en,
         "Grace",
         "Developmental disability, mental health needs, family under strain.",
         Stage::eligible,
         "Sofia has a developmental disability. Since her father's illness she has been anxious and refuses school some days.",
         "Loves music and animals; very close to her younger brother.",
         "A calmer home and a school plan that works.",
         true,
         {S::childrens_services, S::education, S::health},
         "Needs in three sectors; 15 years old.",
         4},
        {"Jules",
         "Démo-Côté",
         21,
         Lang::fr,
         "Hélène",
         "Jeune adulte ayant un trouble du développement; cherche du soutien pour l'emploi.",
         Stage::ineligible,
         "Jules a terminé l'école il y a deux ans. Il aimerait travailler et vivre plus seul.",
         "Ponctuel, aime le travail manuel.",
         "Un emploi et un logement à lui.",
         false,
         {S::social_services, S::health},
         "21 ans et ne fréquente plus l'école : les services aux adultes conviennent mieux.",
         6},
        {"Liam",
         "Demo-Nguyen",
         8,
         Lang::en,
         "Mai",
         "Cerebral palsy; new wheelchair; the family needs help at home and at school.",
         Stage::waitlisted,
         "Liam started using a wheelchair this year. His school is not accessible and his mother has stopped working.",
         "Funny, loves hockey on TV and building with blocks.",
         "That Liam can go to the school near home with his friends.",
         true,
         {S::health, S::education, S::childrens_services},
         "Needs in health, education and at home; 8 years old.",
         12},
        {"Chloé",
         "Démo-Gagnon",
         10,
         Lang::fr,
         "Isabelle",
         "Surdité et retard scolaire; la famille vient d'arriver dans la région.",
         Stage::waitlisted,
         "Chloé est sourde depuis la naissance. La famille vient d'arriver et ne connaît pas encore les services.",
         "Elle signe très bien et adore la danse.",
         "Une école où on signe, et des amis.",
         true,
         {S::education, S::health},
         "Besoins en éducation et en santé; 10 ans.",
         8},
        {"Noah",
         "Demo-Singh",
         13,
         Lang::en,
         "Anita",
         "Autism and anxiety; school refusal since the fall; in-home support stopped.",
         Stage::assigned,
         "Noah has not been to school since October. He is calm at home but panics in crowds.",
         "Knows everything about trains; patient with his little sister.",
         "Back to school part-time, and a plan for high school.",
         true,
         {S::education, S::health, S::childrens_services},
         "Needs in three sectors; 13 years old.",
         30,
         "coord1@demo.arrimage.invalid",
         true},
        {"Omar",
         "Demo-Haddad",
         12,
         Lang::en,
         "Leila",
         "Epilepsy and learning disability; frequent hospital visits.",
         Stage::assigned,
         "Omar has seizures most weeks. His parents take turns missing work for appointments.",
         "Loves drawing comics and football.",
         "Fewer appointments, and a school that understands his seizures.",
         true,
         {S::health, S::education},
         "Needs in health and education; 12 years old.",
         20,
         "coord1@demo.arrimage.invalid",
         false},
        {"Léane",
         "Démo-Pelletier",
         7,
         Lang::fr,
         "Julie",
         "Trouble du spectre de l'autisme; attente de thérapie; parent seul.",
         Stage::assigned,
         "Léane parle peu et s'exprime avec des images. Sa mère l'élève seule et travaille de nuit.",
         "Très observatrice, aime les casse-têtes.",
         "Que Léane puisse communiquer avec sa classe.",
         true,
         {S::childrens_services, S::education},
         "Besoins en services à l'enfance et en éducation; 7 ans.",
         14,
         "coord2@demo.arrimage.invalid",
         false},
        {"Éloïse",
         "Démo-Fortin",
         17,
         Lang::fr,
         "Marc",
         "Trouble alimentaire et retour à l'école après une hospitalisation.",
         Stage::closed,
         "Éloïse est sortie de l'hôpital au printemps. Elle voulait reprendre l'école et ses cours de musique.",
         "Déterminée; joue du violon.",
         "Finir son secondaire.",
         true,
         {S::health, S::education},
         "Besoins en santé et en éducation; 17 ans.",
         70,
         "coord.ca@demo.arrimage.invalid",
         true},
    };
    return v;
}

template <typename T>
T check(Result<T> r) {
    if (!r) throw std::runtime_error("demo intake rejected: " + r.error().message_key);
    return *r;
}
void check(Result<void> r) {
    if (!r) throw std::runtime_error("demo intake rejected: " + r.error().message_key);
}

// From an eligible intake on: the file registered from the referral, then the waitlist, or a
// coordinator assigned (with the family's consent for their organisation, and the first
// contact), or assigned and, later, closed with its reason.
template <typename Version>
void file_way(store::Tx& tx, ManualClock& when, store::ReferralRepo& refs, store::IntakeRepo& intakes, store::PersonRepo& people,
              const DemoReferral& c, std::int64_t referral_id, std::int64_t intake_id, Version version) {
    const auto day = std::chrono::hours(24);
    store::Registration reg;
    reg.person.given_name = c.given;
    reg.person.family_name = c.family;
    reg.person.date_of_birth =
        *parse_date(tx.query_one("SELECT date_of_birth FROM referrals WHERE id = ?", {referral_id})->str(0));
    reg.person.official_language = c.lang;
    reg.person.capable_of_consent = c.age >= 16;
    reg.person.postal_code = "K0A 1A0";
    d::FamilyMember m;
    m.given_name = c.contact_given;
    m.family_name = c.family;
    m.relationship = d::FamilyRelationship::parent;
    m.is_substitute_decision_maker = c.age < 16;
    m.phone = "+1 613-555-0399";
    m.preferred_language = c.lang == Lang::fr ? "Français" : "English";
    reg.family.push_back(m);
    reg.confirmed_distinct = true;
    const auto person = check(people.register_person(reg)).person_id;
    check(refs.link_file(referral_id, person));
    if (c.stage == Stage::waitlisted) {
        check(intakes.waitlist(intake_id, c.lang == Lang::fr ? "Tous les coordonnateurs sont à leur limite." : "", version()));
        return;
    }
    const auto coordinator = tx.query_one(
        "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.active = 1",
        {std::string(c.coordinator)});
    if (!coordinator) throw std::runtime_error(std::string("demo intake: no coordinator ") + c.coordinator);
    d::ConsentDirective consent;
    consent.organisations = {coordinator->i64(1)};
    for (auto cat : d::consentable_categories()) consent.categories.insert(cat);
    consent.purposes = {d::Purpose::coordination, d::Purpose::referral};
    consent.given_by = c.age >= 16 ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
    consent.given_by_name = c.age >= 16 ? std::string(c.given) + " " + c.family : std::string(c.contact_given) + " " + c.family;
    consent.method = d::ConsentMethod::written;
    consent.given_at = when.now();
    consent.expires_at = when.now() + 365 * day;
    check(people.record_directive(person, consent));
    when.advance(2 * day);
    check(intakes.assign(intake_id, {coordinator->i64(0), coordinator->i64(1), "", ""}, version()));
    // What the assignment page tells the coordinator (without the email: demo addresses go nowhere).
    const auto agency = tx.query_one(
        "SELECT r.reference, o.name_fr, o.name_en FROM intakes i JOIN referrals r ON r.id = i.referral_id "
        "JOIN organisations o ON o.id = i.coordinating_agency_id WHERE i.id = ?",
        {intake_id});
    store::NotificationRepo(tx, when, demo_catalogue(), demo_base_url)
        .notify({coordinator->i64(0)}, {d::NoticeKind::assigned,
                                        agency->str(0),
                                        "/caseload#file-" + std::to_string(intake_id),
                                        "notification.text.assigned",
                                        {agency->str(0), agency->str(1)},
                                        {agency->str(0), agency->str(2)},
                                        "",
                                        false});
    if (c.first_contact) {
        // The coordinator's own first call, two days later.
        when.advance(2 * day);
        auto as_coordinator = Tooling::demo_loader(tx, when, coordinator->i64(0), coordinator->i64(1));
        if (!as_coordinator) throw std::runtime_error("demo intake: the coordinator holds no membership");
        check(store::IntakeRepo(*as_coordinator).record_first_contact(intake_id, version()));
    }
    if (c.stage == Stage::closed) {
        when.advance(40 * day);
        check(intakes.close(intake_id, {d::CloseReason::goals_met, "Éloïse a terminé son année et va bien."}, version()));
    }
}

// Referrals sent from Léa's file (demo_people: her coordinator at Blue River, the family's
// consent naming the treatment centre) to the centre's services, in several states of the
// closed loop, answered by the centre's manager. All today: the coordinator's place on the file
// began when the demo was loaded, and a referral is sent under a place in effect.
void outbound_referrals(store::Tx& tx, const Clock& clock, std::uint64_t& bits) {
    auto user = [&](const char* email) {
        auto r = tx.query_one(
            "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id "
            "WHERE u.email = ? AND m.active = 1",
            {std::string(email)});
        if (!r) throw std::runtime_error(std::string("demo intake: no user ") + email);
        return std::pair{r->i64(0), r->i64(1)};
    };
    auto lea = tx.query_one("SELECT id FROM people WHERE given_name = 'Léa' AND family_name = 'Démo-Tremblay'");
    if (!lea) return;
    const auto [coord, coord_org] = user("coord1@demo.arrimage.invalid");
    const auto [manager, manager_org] = user("manager.ctc@demo.arrimage.invalid");
    auto service = [&](const char* name) {
        auto r = tx.query_one("SELECT id FROM services WHERE name_en = ?", {std::string(name)});
        if (!r) throw std::runtime_error(std::string("demo intake: no service ") + name);
        return r->i64(0);
    };
    enum class To { requested, waitlisted, in_progress, declined, completed };
    struct Out {
        const char* service;
        const char* why;
        To to;
    };
    const std::vector<Out> sent = {
        {"Paediatric Speech Therapy", "Speech and language assessment: Léa's teacher reports she is hard to understand in class.",
         To::completed},
        {"Physiotherapy and Occupational Therapy", "Occupational therapy for fine motor skills (writing, buttons).",
         To::in_progress},
        {"Paediatric Speech Therapy", "Follow-up therapy block recommended after the assessment.", To::waitlisted},
        {"Autism Services Program", "Assessment asked for by the family doctor.", To::declined},
        {"Physiotherapy and Occupational Therapy", "Seating assessment for the new classroom.", To::requested},
    };
    const store::Referrer from{"Coordination Un (demo)", "Blue River Family Services (fictional)",
                               "coord1@demo.arrimage.invalid"};
    for (const auto& o : sent) {
        ManualClock when(clock.now());
        auto as_coord = Tooling::demo_loader(tx, when, coord, coord_org);
        auto as_manager = Tooling::demo_loader(tx, when, manager, manager_org);
        if (!as_coord || !as_manager) throw std::runtime_error("demo intake: the referral's people hold no membership");
        const auto id =
            check(store::ReferralRepo(*as_coord).refer_from_file(lea->i64(0), {service(o.service), o.why}, from, bits++)).id;
        // What the pages would have told each side (without the emails).
        store::NotificationRepo notes(tx, when, demo_catalogue(), demo_base_url);
        const std::string link = "/referrals/" + std::to_string(id);
        auto facts = [&] {
            return tx.query_one(
                "SELECT r.reference, r.status, o.name_fr, o.name_en FROM referrals r "
                "JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ?",
                {id});
        };
        const auto sent_row = facts();
        notes.notify({manager}, {d::NoticeKind::referral_new,
                                 sent_row->str(0),
                                 link,
                                 "notification.text.referral_new",
                                 {sent_row->str(0), sent_row->str(2)},
                                 {sent_row->str(0), sent_row->str(3)},
                                 "",
                                 false});
        if (o.to == To::requested) continue;
        store::ReferralRepo answers(*as_manager);
        check(answers.receive(id, ""));
        switch (o.to) {
            case To::declined:
                check(answers.decline(
                    id, {d::DeclineReason::not_eligible_needs, "The program takes children under 6 only.", std::nullopt}, {},
                    bits++));
                break;
            case To::waitlisted: {
                // The family waits as long as the service publishes (which the answer confirms).
                const auto weeks =
                    tx.query_one("SELECT COALESCE(wait_weeks, 8) FROM services WHERE id = ?", {service(o.service)});
                check(answers.waitlist(id, {add_days(date_of(when.now()), static_cast<int>(weeks->i64(0)) * 7),
                                            "A place is expected when the current wait ends."}));
            } break;
            case To::in_progress:
            case To::completed:
                check(answers.accept(id, "First appointment booked."));
                check(answers.start(id, ""));
                if (o.to == To::completed) {
                    check(answers.complete(id, "Assessment done; report sent to the coordinator."));
                }
                break;
            case To::requested:
                break;
        }
        const auto r = facts();
        const auto status = [&](Lang l) { return demo_catalogue().t(l, "referral.status." + r->str(1)); };
        notes.notify({coord}, {d::NoticeKind::referral_update,
                               r->str(0),
                               link,
                               "notification.text.referral_update",
                               {r->str(0), r->str(2), status(Lang::fr)},
                               {r->str(0), r->str(3), status(Lang::en)},
                               "",
                               false});
    }
}

// Chris, Noah's grandmother and guardian, invited by his coordinator to her own family account
// (chris.family@…, the demo password), joined, and signing the plan she agreed to at the meeting.
void demo_family_access(store::Tx& tx, const Clock& clock, const store::AccessContext& as_coord, std::int64_t person,
                        std::int64_t chris, int version) {
    store::FamilyRepo family(as_coord);
    d::Invite in;
    in.family_member_id = chris;
    in.delivery = d::InviteDelivery::email;
    in.email = demo_family_login;
    const std::string code = "DEMQ2W3E4R5T";  // fixed: the demo's invitation is used at once
    check(family.invite(person, in, code, in.email));
    const auto hash =
        tx.query_one("SELECT password_hash FROM users WHERE email = ?", {std::string("coord3@demo.arrimage.invalid")});
    store::FamilyRepo visitor(Tooling::demo_visitor(tx, clock));
    const auto user = check(visitor.join({code, "Chris", Lang::en}, "", hash->str(0)));
    auto as_chris = Tooling::demo_family(tx, clock, user);
    store::PlanRepo plans(*as_chris);
    check(plans.sign(person, {version, d::SignatureDecision::agreed, ""}));
    // Her note to the team on the first goal, and a concern she raised with the coordinator.
    auto goal = tx.query_one(
        "SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? ORDER BY g.priority, g.id",
        {person});
    check(plans.add_family_note(person, {goal ? std::optional<std::int64_t>(goal->i64(0)) : std::nullopt,
                                         "Noah went to school three mornings this week and drew the whole bus ride."}));
    d::FamilyRequest concern;
    concern.kind = d::FamilyRequestKind::concern;
    concern.addressed_to = d::ConcernAddressee::coordinator;
    concern.description = "The tutoring times changed twice without anyone telling us. Could we get them in writing?";
    check(store::FamilyRequestRepo(*as_chris).raise(person, concern));
}

// Noah Demo-Smith's coordinated service plan, kept by coord3 (signed in as coord3@…, on his file):
// the family's words, three goals (one in progress), active; each step a version. Stamped from
// when the demo loads: coord3's place on the team starts then, and the plan is decided under a
// place in effect, so it cannot be backdated.
void demo_plan(store::Tx& tx, const Clock& clock) {
    auto noah = tx.query_one("SELECT id FROM people WHERE given_name = 'Noah' AND family_name = 'Demo-Smith'");
    auto coord = tx.query_one(
        "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.active = 1",
        {std::string("coord3@demo.arrimage.invalid")});
    if (!noah || !coord) return;
    ManualClock when(clock.now());
    auto as_coord = Tooling::demo_loader(tx, when, coord->i64(0), coord->i64(1));
    if (!as_coord) throw std::runtime_error("demo plan: coord3 holds no membership");
    store::PlanRepo plans(*as_coord);
    const auto person = noah->i64(0);
    check(plans.create(person));
    // The sections as the form shows them now: each one written over is one the "form" showed.
    d::PlanSections seen;
    const auto started = check(plans.read(person));
    for (auto s : d::all_sections()) d::text_of(seen, s) = d::fingerprint(d::text_of(started.sections, s));
    when.advance(std::chrono::minutes(5));
    check(plans.save_sections(person,
                              {"Noah is 14, lives with his grandmother Chris and his younger brother. He loves drawing comics "
                               "and basketball.",
                               "Draws every day; kind with his brother; his grandmother never gives up.",
                               "Chris would like a break one weekend a month.",
                               "Noah misses school when he is anxious; math is hard.", "He would like to join a basketball team.",
                               "Anxiety; he sees the family doctor.", "That Noah finishes grade 9 and feels less worried.",
                               "Chris's own health care; the housing application (Chris calls the housing office).",
                               "Noah has said he sometimes thinks he is a burden: the team watches for it and calls the "
                               "crisis line with him if needed.",
                               "Grade 9 starts next fall: visit the high school with Noah in the spring. At 16, talk with "
                               "Chris about adult mental health services."},
                              seen, "First meeting with Noah and Chris."));
    struct Goal {
        const char* text;
        d::ExpressedBy who;
    };
    for (const Goal& g : {Goal{"I want to go to school every day, even when I'm stressed.", d::ExpressedBy::child},
                          Goal{"Chris wants a weekend off once a month.", d::ExpressedBy::family},
                          Goal{"Noah joins a basketball team this winter.", d::ExpressedBy::child}}) {
        when.advance(std::chrono::minutes(5));
        check(plans.add_goal(person, {g.text, g.who, ""}));
    }
    when.advance(std::chrono::minutes(5));
    const auto first = tx.query_one(
        "SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? AND "
        "g.priority = 1",
        {person});
    const auto second = tx.query_one(
        "SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? AND "
        "g.priority = 2",
        {person});
    // Who does what by when: the coordinator, the agency, and Chris.
    const auto chris = tx.query_one("SELECT id FROM family_members WHERE person_id = ? ORDER BY id", {person})->i64(0);
    const auto today = date_of(when.now());
    using K = d::ActionOwner::Kind;
    struct Action {
        const char* text;
        std::optional<std::int64_t> goal;
        d::ActionOwner owner;
        int due_in_days;
    };
    const std::vector<Action> actions = {
        {"Meet the school's guidance counsellor with Noah about a quiet room for stressful days.",
         first->i64(0),
         {K::team_member, coord->i64(0), coord->i64(1), 0},
         14},
        {"Find a respite weekend program near Chris's home.", second->i64(0), {K::organisation, 0, coord->i64(1), 0}, 30},
        {"Ask the family doctor for a letter about Noah's anxiety for the school.", first->i64(0), {K::family, 0, 0, chris}, 21},
    };
    std::vector<std::int64_t> action_ids;
    for (const auto& a : actions) {
        when.advance(std::chrono::minutes(5));
        action_ids.push_back(check(plans.add_action(person, {a.text, a.goal, a.owner, add_days(today, a.due_in_days), ""})));
    }
    when.advance(std::chrono::minutes(5));
    const auto meeting = check(plans.add_meeting(person, {today, "Noah, Chris (his grandmother), Coordination Trois",
                                                          "We read the plan together. Noah chose the order of his goals.",
                                                          "Start with school; ask for respite; meet again in three months."}));
    when.advance(std::chrono::minutes(5));
    check(plans.transition(person, {d::PlanEvent::activate, "Agreed with Noah and Chris."}));
    when.advance(std::chrono::minutes(1));
    const auto agreed = tx.query_one("SELECT version FROM plans WHERE person_id = ?", {person})->i64(0);
    check(plans.record_agreement(person, {chris, d::AgreementMethod::in_person, today, static_cast<int>(agreed), meeting}));
    demo_family_access(tx, when, *as_coord, person, chris, static_cast<int>(agreed));
    // Since the family's agreement: progress, so the plan shows a change not yet agreed.
    when.advance(std::chrono::minutes(5));
    check(plans.record_progress(person, action_ids[0], {d::ActionEvent::start, "Meeting booked for next Tuesday."}, 1));
    when.advance(std::chrono::minutes(5));
    check(plans.update_goal(person, first->i64(0), {d::GoalProgress::in_progress, 1, "Four days out of five last week."}, 1));
    // A first review with Noah and Chris: where each goal stands, and what comes next.
    when.advance(std::chrono::minutes(5));
    d::Review review{today, "Keep the quiet room at school; call the respite program again in January.", {}};
    for (const auto& g : tx.query("SELECT g.id, g.progress FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE "
                                  "p.person_id = ? ORDER BY g.priority",
                                  {person}))
        review.goals.push_back({g.i64(0), d::parse_goal_progress(g.str(1)).value_or(d::GoalProgress::not_started), ""});
    review.goals.front().note = "Better since the quiet room.";
    check(plans.record_review(person, review));
}

}  // namespace

bool load_demo_intake(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM referrals LIMIT 1")) return false;
    auto intake = tx->query_one(
        "SELECT u.id, m.organisation_id, o.sda_id, u.display_name FROM users u JOIN memberships m ON m.user_id = u.id "
        "JOIN organisations o ON o.id = m.organisation_id WHERE u.email = ? AND m.active = 1",
        {std::string("coord.ca@demo.arrimage.invalid")});
    auto pathway = tx->query_one(
        "SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'");
    if (!intake || !pathway) return false;
    const std::int64_t user = intake->i64(0), agency = intake->i64(1), sda = intake->i64(2);
    auto access = Tooling::demo_loader(*tx, clock, user, agency);
    if (!access) return false;

    // The area's rules: the provincial ones, and one of its own.
    store::AreaRulesRepo rules(*tx, clock);
    rules.save(sda, d::AreaRules{}, user);
    const auto lives_here = rules.add_criterion(
        sda, {0, "La famille habite la Zone de démonstration Est.", "The family lives in the Demo East Region."}, user);

    // The coordinators' profiles, kept by the agency's administrator.
    if (auto admin = tx->query_one("SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id "
                                   "WHERE u.email = ? AND m.active = 1",
                                   {std::string("ca.admin@demo.arrimage.invalid")})) {
        if (auto as_admin = Tooling::demo_loader(*tx, clock, admin->i64(0), admin->i64(1))) {
            store::IntakeRepo profiles(*as_admin);
            const std::vector<std::pair<const char*, std::vector<std::string>>> spoken = {
                {"coord.ca@demo.arrimage.invalid", {"fr", "en"}},      {"coord1@demo.arrimage.invalid", {"en", "pa"}},
                {"coord2@demo.arrimage.invalid", {"fr", "en", "lsq"}}, {"coord3@demo.arrimage.invalid", {"en", "ar"}},
                {"coord4@demo.arrimage.invalid", {"fr", "es"}},
            };
            for (const auto& [email, langs] : spoken)
                if (auto u = tx->query_one("SELECT id FROM users WHERE email = ?", {std::string(email)}))
                    check(profiles.save_profile(u->i64(0), langs, std::nullopt));
        }
    }

    // Each family's story happens over days: the demo's own clock starts at its referral.
    ManualClock when(clock.now());
    auto access_then = Tooling::demo_loader(*tx, when, user, agency);
    if (!access_then) return false;
    store::ReferralRepo refs(*access_then);
    store::IntakeRepo intakes(*access_then);
    store::PersonRepo people(*access_then);
    const auto day = std::chrono::hours(24);
    const store::Referrer referrer{intake->str(3), "", "coord.ca@demo.arrimage.invalid"};
    const Date today = date_of(clock.now());
    std::uint64_t bits = 0x5EED0001;
    int n = 0;
    for (const auto& c : referrals()) {
        ++n;
        when.set(clock.now() - c.days_ago * day);
        const bool has_file = c.stage == Stage::waitlisted || c.stage == Stage::assigned || c.stage == Stage::closed;
        d::Referral r;
        r.pathway_id = pathway->i64(0);
        r.source = d::ReferralSource::family;  // a phone call the intake coordinator recorded
        r.given_name = c.given;
        r.family_name = c.family;
        r.date_of_birth = Date{today.year - c.age, 1, 15};
        if (d::age_in_years(r.date_of_birth, today) != c.age) r.date_of_birth.year -= 1;
        r.official_language = c.lang;
        r.contact.given_name = c.contact_given;
        r.contact.family_name = c.family;
        r.contact.relationship = d::FamilyRelationship::parent;
        r.contact.is_substitute_decision_maker = c.age < 16;
        r.contact.phone = "+1 613-555-03" + std::to_string(10 + (bits & 0xF));
        if (has_file) r.contact.email = "famille.accueil" + std::to_string(n) + "@demo.arrimage.invalid";
        r.needs = c.needs;
        r.consent_given_by = c.age >= 16 ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
        r.consent_method = d::ConsentMethod::verbal;
        const auto id = check(refs.submit(r, referrer, bits++)).id;
        if (c.stage == Stage::received) continue;
        when.advance(day);
        check(refs.accept(id, c.lang == Lang::fr ? "Appel fait au parent." : "Called the parent."));
        if (c.stage == Stage::accepted) continue;
        const auto intake_id = check(intakes.open(id));
        auto version = [&] {
            return static_cast<int>(tx->query_one("SELECT version FROM intakes WHERE id = ?", {intake_id})->i64(0));
        };
        d::Story s;
        s.story = c.story;
        s.strengths = c.strengths;
        s.hopes = c.hopes;
        s.in_school = c.in_school;
        s.sectors = c.sectors;
        s.answers[lives_here] = true;
        check(intakes.save_story(intake_id, s, version()));
        if (c.stage == Stage::in_intake) continue;
        when.advance(2 * day);
        const bool eligible = c.stage != Stage::ineligible;
        check(intakes.decide(intake_id, {eligible, c.reason}, version()));
        if (c.stage == Stage::eligible) continue;
        if (eligible) {
            file_way(*tx, when, refs, intakes, people, c, id, intake_id, version);
            continue;
        }
        // Not eligible: declined, and sent on along the first other pathway of the area.
        const auto warm = refs.warm_choices(sda);
        if (warm.empty()) throw std::runtime_error("demo intake: no pathway to send an ineligible family on");
        check(refs.decline(id, {d::DeclineReason::not_eligible_age, c.reason, warm.front().id}, referrer, bits++));
    }
    outbound_referrals(*tx, clock, bits);
    demo_plan(*tx, clock);
    // The reminders and overdue items the demo's dates have already earned, in the users'
    // notifications (without their emails).
    store::raise_reminders(*tx, clock, demo_catalogue(), demo_base_url, false);
    tx->commit();
    return true;
}

}  // namespace arrimage::app
