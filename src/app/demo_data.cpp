#include "app/demo_data.hpp"

#include "app/demo_agreements.hpp"
#include "app/demo_api_clients.hpp"
#include "app/demo_complaints.hpp"
#include "app/demo_directory.hpp"
#include "app/demo_governance.hpp"
#include "app/demo_intake.hpp"
#include "app/demo_network.hpp"
#include "app/demo_outreach.hpp"
#include "app/demo_people.hpp"
#include "app/demo_reports.hpp"
#include "app/demo_tools.hpp"
#include "app/demo_training.hpp"

#include <map>
#include <stdexcept>

#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

namespace arrimage::app {

namespace d = domain;

namespace {

struct DemoOrg {
    const char* key;
    const char* name_fr;
    const char* name_en;
    d::Sector sector;
    std::vector<d::CspRole> roles;
    bool fls;
    const char* city;
    const char* postal_code;
};

struct DemoUser {
    const char* email;
    const char* name;
    const char* lang;
    const char* org;
    d::Role role;
};

const std::vector<DemoOrg>& orgs() {
    using S = d::Sector;
    using C = d::CspRole;
    static const std::vector<DemoOrg> v = {
        {"ca",
         "Agence de coordination Démo",
         "Demo Coordinating Agency",
         S::social_services,
         {C::coordinating_agency},
         true,
         "Villedémo",
         "K0A 1A0"},
        {"prov1",
         "Services à la famille Rivière-Bleue (fictif)",
         "Blue River Family Services (fictional)",
         S::childrens_services,
         {C::csp_provider},
         true,
         "Villedémo",
         "K0A 1B0"},
        {"prov2",
         "Centre jeunesse Érable-Fictif",
         "Fictional Maple Youth Centre",
         S::childrens_services,
         {C::csp_provider},
         false,
         "Bourg-Exemple",
         "K0B 1C0"},
        {"prov3",
         "Réseau communautaire Démo-Nord",
         "Demo North Community Network",
         S::social_services,
         {C::csp_provider, C::csp_participant},
         true,
         "Nordville-Démo",
         "K0C 1N0"},
        {"ctc",
         "Centre de traitement pour enfants Démo",
         "Demo Children's Treatment Centre",
         S::health,
         {C::csp_participant},
         true,
         "Villedémo",
         "K0A 1E0"},
        {"board1",
         "Conseil scolaire public Démo-Est",
         "Demo East Public School Board",
         S::education,
         {C::csp_participant},
         false,
         "Villedémo",
         "K0A 1G0"},
        {"board2",
         "Conseil scolaire catholique Exemple",
         "Example Catholic School Board",
         S::education,
         {C::csp_participant},
         true,
         "Bourg-Exemple",
         "K0B 1H0"},
        {"mh",
         "Santé mentale jeunesse Démo",
         "Demo Youth Mental Health",
         S::health,
         {C::csp_participant},
         true,
         "Nordville-Démo",
         "K0C 1J0"},
        {"home",
         "Soins à domicile Démo",
         "Demo Home and Community Care",
         S::health,
         {C::csp_participant},
         false,
         "Villedémo",
         "K0A 1K0"},
        {"town",
         "Municipalité de Villedémo",
         "Town of Demoville",
         S::municipal,
         {C::csp_participant},
         true,
         "Villedémo",
         "K0A 1L0"},
        {"ministry",
         "Bureau régional du ministère (démo)",
         "Ministry Regional Office (demo)",
         S::social_services,
         {C::broader_partner},
         true,
         "Capitale-Démo",
         "K0E 1M0"},
    };
    return v;
}

const std::vector<DemoUser>& users() {
    using R = d::Role;
    static const std::vector<DemoUser> v = {
        {"sysadmin@demo.arrimage.invalid", "Sam Sysadmin-Démo", "en", "ca", R::system_admin},
        {"ca.admin@demo.arrimage.invalid", "Claude Admin-Démo", "fr", "ca", R::ca_admin},
        {"privacy@demo.arrimage.invalid", "Pat Vieprivée-Démo", "fr", "ca", R::privacy_officer},
        {"coord.ca@demo.arrimage.invalid", "Noa Coordination-Démo", "fr", "ca", R::coordinator},
        {"coord1@demo.arrimage.invalid", "Alex Exemple", "en", "prov1", R::coordinator},
        {"coord2@demo.arrimage.invalid", "Dominique Fictif", "fr", "prov1", R::coordinator},
        {"coord3@demo.arrimage.invalid", "Jordan Sample", "en", "prov2", R::coordinator},
        {"coord4@demo.arrimage.invalid", "Maxime Essai", "fr", "prov3", R::coordinator},
        {"manager1@demo.arrimage.invalid", "Robin Gestion-Démo", "en", "prov1", R::provider_manager},
        {"manager2@demo.arrimage.invalid", "Charlie Gestion-Exemple", "fr", "prov2", R::provider_manager},
        {"manager3@demo.arrimage.invalid", "Morgan Gestion-Fictif", "en", "prov3", R::provider_manager},
        {"staff.ctc@demo.arrimage.invalid", "Ariel Traitement-Démo", "en", "ctc", R::participant_staff},
        {"staff.board1@demo.arrimage.invalid", "Eden École-Démo", "en", "board1", R::participant_staff},
        {"staff.board2@demo.arrimage.invalid", "Lou École-Exemple", "fr", "board2", R::participant_staff},
        {"staff.mh@demo.arrimage.invalid", "Sacha Santé-Démo", "fr", "mh", R::participant_staff},
        {"staff.home@demo.arrimage.invalid", "Kim Domicile-Démo", "en", "home", R::participant_staff},
        {"staff.town@demo.arrimage.invalid", "Andréa Ville-Démo", "fr", "town", R::participant_staff},
        {"manager.ctc@demo.arrimage.invalid", "Quinn Traitement-Gestion", "en", "ctc", R::provider_manager},
        {"privacy.mh@demo.arrimage.invalid", "Rémi Confidentialité-Exemple", "fr", "mh", R::privacy_officer},
        {"analyst@demo.arrimage.invalid", "Terry Analyse-Démo", "en", "ministry", R::ministry_analyst},
        {"manager.two@demo.arrimage.invalid", "Dominique Deux-Sites", "fr", "home", R::provider_manager},
    };
    return v;
}

}  // namespace

std::vector<DemoLogin> demo_logins() {
    std::vector<DemoLogin> out;
    for (const auto& u : users()) out.push_back({u.email, std::string(d::code(u.role))});
    out.push_back({demo_family_login, std::string(d::code(d::Role::family))});
    return out;
}

bool load_demo_data(store::Database& db, const Clock& clock, const PasswordHashCost& cost, bool with_referrals) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM organisations LIMIT 1")) return false;
    store::IdentityRepo repo(*tx, clock);
    store::AuthRepo auth(*tx, clock);
    auto check = [](const auto& r) {
        if (!r) throw std::runtime_error("demo data rejected: " + r.error().message_key);
        return *r;
    };
    const auto sda = check(repo.create_sda({"demo-est", "Zone de démonstration Est", "Demo East Region"}, 0));
    std::map<std::string, std::int64_t> org_ids;
    for (const auto& o : orgs()) {
        d::Organisation in;
        in.sda_id = sda;
        in.name_fr = o.name_fr;
        in.name_en = o.name_en;
        in.sector = o.sector;
        in.csp_roles = o.roles;
        in.fls_designated = o.fls;
        in.email = std::string("info.") + o.key + "@demo.arrimage.invalid";
        in.phone = "+1 613-555-01" + std::to_string(10 + org_ids.size());
        const auto id = check(repo.create_organisation(in, 0));
        org_ids[o.key] = id;
        check(
            repo.create_site(id,
                             {std::string("Bureau principal — ") + o.name_fr, std::string("Main office — ") + o.name_en,
                              std::to_string(100 + 10 * org_ids.size()) + " rue Exemple / Example Street", o.city, o.postal_code},
                             0));
    }
    // One hash for the shared demo password: demo accounts only, never real ones.
    const std::string hash = hash_password(demo_password, cost);
    for (const auto& u : users()) {
        const auto id = check(repo.create_user({u.email, u.name, *parse_lang(u.lang)}, 0));
        check(repo.add_membership(id, {org_ids.at(u.org), u.role}, 0));
        auth.set_password_hash(id, hash);
    }
    // One manager runs services at two organisations: their home page offers the choice of the
    // membership they work under (domain::acting_grant; the older one until they choose).
    if (auto manager = tx->query_one("SELECT id FROM users WHERE email = ?", {std::string("manager.two@demo.arrimage.invalid")}))
        check(repo.add_membership(manager->i64(0), {org_ids.at("mh"), d::Role::provider_manager}, 0));
    tx->commit();
    load_demo_directory(db, clock);
    load_demo_people(db, clock);
    if (with_referrals) {
        load_demo_intake(db, clock);
        // Before the reports, which count the register's events (after the intakes: a complaint
        // comes from the family account they open).
        load_demo_complaints(db, clock);
        load_demo_reports(db, clock);
        load_demo_agreements(db, clock);
        load_demo_governance(db, clock);
        // After the agreements: one of their partnerships is assessed.
        load_demo_network(db, clock);
        load_demo_training(db, clock);
        load_demo_tools(db, clock);
        load_demo_outreach(db, clock);
        load_demo_api_clients(db, clock, cost);
    }
    return true;
}

}  // namespace arrimage::app
