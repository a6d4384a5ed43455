#include "app/demo_people.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/tooling.hpp"
#include "core/time.hpp"
#include "store/person_repo.hpp"

namespace arrimage::app {

namespace d = domain;

namespace {

struct DemoChild {
    const char* given;
    const char* family;
    const char* preferred;
    const char* dob;
    Lang official;
    const char* home_language;
    const char* school;
    bool capable;
    const char* contact_given;
    d::FamilyRelationship relationship;
    const char* coordinator;                // email of the assigned coordinator; empty: intake only
    std::vector<const char*> consent_orgs;  // English names of the organisations the family consents to
};

const std::vector<DemoChild>& children() {
    using R = d::FamilyRelationship;
    static const std::vector<DemoChild> v = {
        {"Léa",
         "Démo-Tremblay",
         "",
         "2015-03-07",
         Lang::fr,
         "",
         "École Démo-des-Pins",
         false,
         "Marie",
         R::parent,
         "coord1@demo.arrimage.invalid",
         {"Blue River Family Services (fictional)", "Demo Children's Treatment Centre"}},
        {"Noah",
         "Demo-Smith",
         "",
         "2012-09-15",
         Lang::en,
         "",
         "Demo East Public School",
         false,
         "Chris",
         R::guardian,
         "coord3@demo.arrimage.invalid",
         {"Fictional Maple Youth Centre"}},
        {"Amira",
         "Demo-Haddad",
         "Mimi",
         "2017-01-20",
         Lang::fr,
         "Arabe / Arabic",
         "",
         false,
         "Yasmine",
         R::parent,
         "coord2@demo.arrimage.invalid",
         {"Blue River Family Services (fictional)"}},
        {"Sam",
         "Demo-Martin",
         "",
         "2008-05-30",
         Lang::en,
         "",
         "Example Catholic Secondary",
         true,
         "Jamie",
         R::other_caregiver,
         "coord4@demo.arrimage.invalid",
         {"Demo North Community Network"}},
        {"Élodie", "Démo-Gagnon", "", "2019-11-02", Lang::fr, "", "", false, "Julien", R::substitute_decision_maker, "", {}},
    };
    return v;
}

std::int64_t id_of(store::Tx& tx, const char* sql, const std::string& key) {
    auto r = tx.query_one(sql, {key});
    if (!r) throw std::runtime_error("demo people: missing demo record");
    return r->i64(0);
}

template <typename T>
T check(Result<T> r) {
    if (!r) throw std::runtime_error("demo people rejected: " + r.error().message_key);
    return *r;
}

}  // namespace

bool load_demo_people(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM people LIMIT 1")) return false;
    auto intake = tx->query_one(
        "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id "
        "WHERE u.email = ? AND m.active = 1",
        {std::string("coord.ca@demo.arrimage.invalid")});
    if (!intake) return false;
    auto access = Tooling::demo_loader(*tx, clock, intake->i64(0), intake->i64(1));
    if (!access) return false;
    store::PersonRepo repo(*access);
    const auto now = clock.now();
    int n = 0;
    for (const auto& c : children()) {
        ++n;
        store::Registration r;
        auto& p = r.person;
        p.given_name = c.given;
        p.family_name = c.family;
        p.preferred_name = c.preferred;
        p.date_of_birth = *parse_date(c.dob);
        p.official_language = c.official;
        p.preferred_language = c.home_language;
        p.school = c.school;
        p.capable_of_consent = c.capable;
        p.address = std::to_string(10 * n) + " rue Exemple / Example Street";
        p.postal_code = "K0A 1A0";
        d::FamilyMember m;
        m.given_name = c.contact_given;
        m.family_name = c.family;
        m.relationship = c.relationship;
        m.is_substitute_decision_maker = !c.capable;
        m.phone = "+1 613-555-02" + std::to_string(10 + n);
        m.email = "famille" + std::to_string(n) + "@demo.arrimage.invalid";
        m.preferred_language = c.official == Lang::fr ? "Français" : "English";
        r.family.push_back(m);
        r.confirmed_distinct = true;
        const auto id = check(repo.register_person(r)).person_id;
        if (!*c.coordinator) continue;

        const auto coord = id_of(*tx, "SELECT id FROM users WHERE email = ?", c.coordinator);
        const auto coord_org =
            tx->query_one("SELECT organisation_id FROM memberships WHERE user_id = ? AND active = 1", {coord})->i64(0);
        check(repo.add_to_team(id, coord, coord_org, d::TeamKind::assigned_coordinator));

        d::ConsentDirective consent;
        for (const char* org : c.consent_orgs)
            consent.organisations.push_back(id_of(*tx, "SELECT id FROM organisations WHERE name_en = ?", org));
        std::sort(consent.organisations.begin(), consent.organisations.end());
        for (auto cat : d::consentable_categories()) consent.categories.insert(cat);
        consent.purposes = {d::Purpose::coordination, d::Purpose::referral};
        consent.given_by = c.capable ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
        consent.given_by_name = c.capable ? std::string(c.given) + " " + c.family : std::string(c.contact_given) + " " + c.family;
        consent.method = d::ConsentMethod::written;
        consent.given_at = now - std::chrono::hours(24 * (30 + 7 * n));
        consent.expires_at = now + std::chrono::hours(24 * 365);
        check(repo.record_directive(id, consent));

        if (n == 1) {
            // Léa's family keeps her school information from the treatment centre, which is on
            // her team: its staff see that it was withheld, not what.
            const auto ctc = id_of(*tx, "SELECT id FROM organisations WHERE name_en = ?", "Demo Children's Treatment Centre");
            const auto ctc_staff = id_of(*tx, "SELECT id FROM users WHERE email = ?", "staff.ctc@demo.arrimage.invalid");
            check(repo.add_to_team(id, ctc_staff, ctc, d::TeamKind::team_member));
            d::LockboxEntry l;
            l.organisation_id = ctc;
            l.category = d::Category::education;
            l.requested_by = d::GivenBy::substitute_decision_maker;
            check(repo.add_lockbox(id, l));
        }
    }
    tx->commit();
    return true;
}

}  // namespace arrimage::app
