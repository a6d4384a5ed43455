#include "app/demo_intake.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/referral/store/referral_repo.hpp"

namespace arrimage::app {

namespace d = domain;

namespace {

enum class Stage { received, accepted, in_intake, eligible, ineligible };

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
         ""},
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
         ""},
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
         ""},
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
         "Needs in three sectors; 15 years old."},
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
         "21 ans et ne fréquente plus l'école : les services aux adultes conviennent mieux."},
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

    store::ReferralRepo refs(*access);
    store::IntakeRepo intakes(*access);
    const store::Referrer referrer{intake->str(3), "", "coord.ca@demo.arrimage.invalid"};
    const Date today = date_of(clock.now());
    std::uint64_t bits = 0x5EED0001;
    for (const auto& c : referrals()) {
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
        r.needs = c.needs;
        r.consent_given_by = c.age >= 16 ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
        r.consent_method = d::ConsentMethod::verbal;
        const auto id = check(refs.submit(r, referrer, bits++)).id;
        if (c.stage == Stage::received) continue;
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
        const bool eligible = c.stage == Stage::eligible;
        check(intakes.decide(intake_id, {eligible, c.reason}, version()));
        if (eligible) continue;
        // Not eligible: declined, and sent on along the first other pathway of the area.
        const auto warm = refs.warm_choices(sda);
        if (warm.empty()) throw std::runtime_error("demo intake: no pathway to send an ineligible family on");
        check(refs.decline(id, {d::DeclineReason::not_eligible_age, c.reason, warm.front().id}, referrer, bits++));
    }
    tx->commit();
    return true;
}

}  // namespace arrimage::app
