// The network map's repository (features/network/store/network_map_repo.hpp), against SQLite
// (label db) and PostgreSQL (label pg), on the demo data and an area made here: its coordinating
// agency, a provider, a school board, a clinic, a provider that only has a draft and an
// organisation since deactivated, with agreements in force, ended and drafted between them.
// Each organisation stands connected (one agreement in force), lapsed (all ended) or unconnected
// (none, drafts aside); drafts are never drawn; a deactivated organisation is never a node and
// an agreement's parties are only those listed. The kind filter restricts what is drawn and
// counted, the sector filter the organisations, the standing filter the organisations listed and
// so the agreements drawn. An area's administrators and provider managers see their area, the
// ministry's analyst every area or the one chosen; anyone else is refused; an area the reader may
// not see is not found. Each agreement tells whether the reader's organisation is one of its
// parties, whatever the filters. The map is read in the same number of statements whatever its size.
// The demo loads agreements of its own (app/demo_agreements.cpp): every count here is of the
// area made here.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/demo_data.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/network/store/network_map_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

std::string describe(const Error& e) {
    std::string out = e.message_key;
    for (const auto& f : e.fields) out += " " + f.field + ":" + f.message_key;
    return out;
}

}  // namespace

class NetworkMapStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        demo_admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coordinator_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        demo_sda_ = testsupport::scalar(*t_->db, "SELECT sda_id FROM organisations WHERE id = ?", {demo_admin_.organisation_id});
        build_area();
    }

    // The area of this test: "Zone de la carte" / "Map area".
    void build_area() {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        sda_ = *ids.create_sda({"map", "Zone de la carte", "Map area"}, 0);
        auto org = [&](const std::string& fr, const std::string& en, d::Sector sector, std::vector<d::CspRole> roles) {
            d::Organisation o;
            o.sda_id = sda_;
            o.name_fr = fr;
            o.name_en = en;
            o.sector = sector;
            o.csp_roles = std::move(roles);
            return *ids.create_organisation(o, 0);
        };
        agency_ = org("Agence de la carte", "Map Agency", d::Sector::social_services, {d::CspRole::coordinating_agency});
        blue_ = org("Services Bleus", "Blue Services", d::Sector::childrens_services, {d::CspRole::csp_provider});
        school_ = org("Conseil scolaire Carte", "Map School Board", d::Sector::education,
                      {d::CspRole::csp_participant, d::CspRole::broader_partner});
        clinic_ = org("Clinique Carte", "Map Clinic", d::Sector::health, {d::CspRole::broader_partner});
        lonely_ = org("Santé Isolée", "Lonely Health", d::Sector::health, {d::CspRole::csp_provider});
        closed_ = org("Organisme fermé", "Closed Organisation", d::Sector::childrens_services, {});
        admin_user_ = *ids.create_user({"map.admin@example.org", "Camille Carte-Admin", Lang::fr}, 0);
        EXPECT_TRUE(ids.add_membership(admin_user_, {agency_, d::Role::ca_admin}, 0));
        manager_user_ = *ids.create_user({"map.manager@example.org", "Mika Carte-Gestion", Lang::en}, 0);
        EXPECT_TRUE(ids.add_membership(manager_user_, {blue_, d::Role::provider_manager}, 0));

        a1_ = agreement(*tx, "CARTE-0001", "csp_provider", "active", {agency_, blue_});
        a2_ = agreement(*tx, "CARTE-0002", "csp_participant", "terminated", {agency_, school_});
        a3_ = agreement(*tx, "CARTE-0003", "partnership", "expired", {school_, clinic_});
        a4_ = agreement(*tx, "CARTE-0004", "csp_provider", "draft", {agency_, lonely_});
        a5_ = agreement(*tx, "CARTE-0005", "partnership", "under_review", {blue_, closed_});
        tx->commit();
        {
            auto tx2 = t_->db->begin(TxMode::write);
            ASSERT_TRUE(IdentityRepo(*tx2, clock_).set_organisation_active(closed_, false, 0));
            tx2->commit();
        }
        admin_ = {admin_user_, agency_, d::Role::ca_admin};
        manager_ = {manager_user_, blue_, d::Role::provider_manager};
    }

    // An agreement of the area in `status`, written as it stands (the lifecycle is the
    // agreements registry's, tested there).
    std::int64_t agreement(Tx& tx, const std::string& reference, const std::string& kind, const std::string& status,
                           std::vector<std::int64_t> parties) {
        const std::string now = format_iso(clock_.now());
        const std::string today = date_of(clock_.now()).iso();
        const auto id =
            tx.query_one(
                  "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, effective_on, review_due, "
                  "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {sda_, reference, "Entente " + reference, "Agreement " + reference, kind, today, today, status, now, now})
                ->i64(0);
        for (auto p : parties) tx.exec("INSERT INTO agreement_parties (agreement_id, organisation_id) VALUES (?, ?)", {id, p});
        return id;
    }

    Result<NetworkMap> map_as(const std::optional<d::Actor>& who, const d::MapFilter& filter = {}) {
        auto tx = t_->db->begin(TxMode::read);
        NetworkMapRepo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        return repo.map(filter);
    }
    Result<std::vector<MapArea>> areas_as(const std::optional<d::Actor>& who) {
        auto tx = t_->db->begin(TxMode::read);
        NetworkMapRepo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        return repo.areas();
    }
    // The map of this test's area as its administrator sees it.
    NetworkMap mine(const d::MapFilter& filter = {}) {
        auto m = map_as(admin_, filter);
        EXPECT_TRUE(m) << (m ? "" : describe(m.error()));
        return m ? *m : NetworkMap{};
    }
    d::MapFilter area_filter(std::int64_t area) const {
        d::MapFilter f;
        f.area = area;
        return f;
    }

    // What the tests compare: each node as "name standing in_force/ended", each edge as
    // "reference:party,party".
    std::map<std::int64_t, std::string> names() const {
        return {{agency_, "agency"}, {blue_, "blue"},     {school_, "school"},
                {clinic_, "clinic"}, {lonely_, "lonely"}, {closed_, "closed"}};
    }
    std::vector<std::string> nodes_of(const NetworkMap& m) const {
        const auto n = names();
        std::vector<std::string> out;
        for (const auto& node : m.nodes) {
            const auto it = n.find(node.id);
            out.push_back((it == n.end() ? std::to_string(node.id) : it->second) + " " + std::string(d::code(node.standing)) +
                          " " + std::to_string(node.in_force) + "/" + std::to_string(node.ended));
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::vector<std::string> edges_of(const NetworkMap& m) const {
        const auto n = names();
        std::vector<std::string> out;
        for (const auto& e : m.edges) {
            std::string s = e.reference + ":";
            for (std::size_t i = 0; i < e.parties.size(); ++i) {
                const auto it = n.find(e.parties[i]);
                s += (i ? "," : "") + (it == n.end() ? std::to_string(e.parties[i]) : it->second);
            }
            out.push_back(s);
        }
        return out;
    }
    static std::vector<int> counts_of(const NetworkMap& m) { return {m.connected, m.lapsed, m.unconnected}; }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor demo_admin_, coordinator_, analyst_, admin_, manager_;
    std::int64_t demo_sda_ = 0, sda_ = 0;
    std::int64_t agency_ = 0, blue_ = 0, school_ = 0, clinic_ = 0, lonely_ = 0, closed_ = 0;
    std::int64_t admin_user_ = 0, manager_user_ = 0;
    std::int64_t a1_ = 0, a2_ = 0, a3_ = 0, a4_ = 0, a5_ = 0;
};

using Strings = std::vector<std::string>;

TEST_F(NetworkMapStore, EachOrganisationStandsConnectedLapsedOrUnconnectedDraftsAside) {
    const auto m = mine();
    EXPECT_EQ(nodes_of(m), (Strings{"agency connected 1/1", "blue connected 2/0", "clinic lapsed 0/1", "lonely unconnected 0/0",
                                    "school lapsed 0/2"}))
        << "the draft with the lonely provider counts for nobody; the closed organisation is no node";
    EXPECT_EQ(counts_of(m), (std::vector<int>{2, 2, 1}));
    EXPECT_EQ(edges_of(m),
              (Strings{"CARTE-0001:agency,blue", "CARTE-0002:agency,school", "CARTE-0003:school,clinic", "CARTE-0005:blue"}))
        << "by reference, never the draft; parties ascending and only those listed";
    std::vector<std::int64_t> parties3 = {school_, clinic_};
    std::sort(parties3.begin(), parties3.end());
    ASSERT_EQ(m.edges.size(), 4u);
    EXPECT_EQ(m.edges[2].parties, parties3);

    // The edges' details.
    EXPECT_EQ(m.edges[0].agreement_id, a1_);
    EXPECT_EQ(m.edges[0].title_fr, "Entente CARTE-0001");
    EXPECT_EQ(m.edges[0].title_en, "Agreement CARTE-0001");
    EXPECT_EQ(m.edges[0].kind, d::AgreementKind::csp_provider);
    EXPECT_EQ(m.edges[0].status, d::AgreementStatus::active);
    EXPECT_TRUE(m.edges[0].in_force);
    EXPECT_EQ(m.edges[1].status, d::AgreementStatus::terminated);
    EXPECT_FALSE(m.edges[1].in_force);
    EXPECT_EQ(m.edges[2].status, d::AgreementStatus::expired);
    EXPECT_FALSE(m.edges[2].in_force);
    EXPECT_EQ(m.edges[3].status, d::AgreementStatus::under_review);
    EXPECT_TRUE(m.edges[3].in_force);

    // The nodes' details, by area then English name.
    ASSERT_EQ(m.nodes.size(), 5u);
    std::vector<std::string> order;
    for (const auto& n : m.nodes) order.push_back(n.name_en);
    EXPECT_EQ(order, (Strings{"Blue Services", "Lonely Health", "Map Agency", "Map Clinic", "Map School Board"}));
    const auto& agency = m.nodes[2];
    EXPECT_EQ(agency.id, agency_);
    EXPECT_TRUE(agency.agency);
    EXPECT_EQ(agency.name_fr, "Agence de la carte");
    EXPECT_EQ(agency.sda_id, sda_);
    EXPECT_EQ(agency.area_fr, "Zone de la carte");
    EXPECT_EQ(agency.area_en, "Map area");
    EXPECT_EQ(agency.sector, d::Sector::social_services);
    EXPECT_EQ(agency.roles, std::vector<d::CspRole>{d::CspRole::coordinating_agency});
    const auto& school = m.nodes[4];
    EXPECT_FALSE(school.agency);
    EXPECT_EQ(school.sector, d::Sector::education);
    std::vector<d::CspRole> roles = school.roles;
    std::sort(roles.begin(), roles.end());
    EXPECT_EQ(roles, (std::vector<d::CspRole>{d::CspRole::csp_participant, d::CspRole::broader_partner}));
    EXPECT_TRUE(m.nodes[1].roles == std::vector<d::CspRole>{d::CspRole::csp_provider});
}

TEST_F(NetworkMapStore, AnOrganisationLapsesWhenItsLastAgreementEndsAndConnectsAgainWithANewOne) {
    auto standing_of = [&](std::int64_t org) {
        for (const auto& n : mine().nodes)
            if (n.id == org) return std::string(d::code(n.standing));
        return std::string("absent");
    };
    EXPECT_EQ(standing_of(lonely_), "unconnected");
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec("UPDATE agreements SET status = 'active' WHERE id = ?", {a4_});
        tx->commit();
    }
    EXPECT_EQ(standing_of(lonely_), "connected");
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec("UPDATE agreements SET status = 'expired' WHERE id = ?", {a4_});
        tx->commit();
    }
    EXPECT_EQ(standing_of(lonely_), "lapsed");
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec("UPDATE agreements SET status = 'renewed' WHERE id = ?", {a4_});
        tx->commit();
    }
    EXPECT_EQ(standing_of(lonely_), "connected");
}

TEST_F(NetworkMapStore, TheKindFilterRestrictsWhatIsDrawnAndCounted) {
    d::MapFilter partnership;
    partnership.kind = "partnership";
    auto m = mine(partnership);
    EXPECT_EQ(nodes_of(m), (Strings{"agency unconnected 0/0", "blue connected 1/0", "clinic lapsed 0/1", "lonely unconnected 0/0",
                                    "school lapsed 0/1"}));
    EXPECT_EQ(counts_of(m), (std::vector<int>{1, 2, 2}));
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0003:school,clinic", "CARTE-0005:blue"}));

    d::MapFilter participant;
    participant.kind = "csp_participant";
    m = mine(participant);
    EXPECT_EQ(nodes_of(m), (Strings{"agency lapsed 0/1", "blue unconnected 0/0", "clinic unconnected 0/0",
                                    "lonely unconnected 0/0", "school lapsed 0/1"}));
    EXPECT_EQ(counts_of(m), (std::vector<int>{0, 2, 3}));
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0002:agency,school"}));
}

TEST_F(NetworkMapStore, TheSectorFilterKeepsItsOrganisationsAndTheirAgreements) {
    d::MapFilter health;
    health.sector = d::Sector::health;
    const auto m = mine(health);
    EXPECT_EQ(nodes_of(m), (Strings{"clinic lapsed 0/1", "lonely unconnected 0/0"}));
    EXPECT_EQ(counts_of(m), (std::vector<int>{0, 1, 1}));
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0003:clinic"})) << "the school is not listed: the clinic is the party shown";

    d::MapFilter municipal;
    municipal.sector = d::Sector::municipal;
    const auto none = mine(municipal);
    EXPECT_TRUE(none.nodes.empty());
    EXPECT_TRUE(none.edges.empty());
    EXPECT_EQ(counts_of(none), (std::vector<int>{0, 0, 0}));
}

TEST_F(NetworkMapStore, TheStandingFilterListsThoseStandingSoAndTheAgreementsOfThem) {
    d::MapFilter lapsed;
    lapsed.standing = d::MapStanding::lapsed;
    auto m = mine(lapsed);
    EXPECT_EQ(nodes_of(m), (Strings{"clinic lapsed 0/1", "school lapsed 0/2"}));
    EXPECT_EQ(counts_of(m), (std::vector<int>{0, 2, 0}));
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0002:school", "CARTE-0003:school,clinic"}));

    d::MapFilter unconnected;
    unconnected.standing = d::MapStanding::unconnected;
    m = mine(unconnected);
    EXPECT_EQ(nodes_of(m), (Strings{"lonely unconnected 0/0"}));
    EXPECT_EQ(counts_of(m), (std::vector<int>{0, 0, 1}));
    EXPECT_TRUE(m.edges.empty()) << "its draft is never drawn";

    // Filters combine: the standing is worked out from the agreements of the kind asked for.
    d::MapFilter combined;
    combined.kind = "partnership";
    combined.standing = d::MapStanding::unconnected;
    combined.sector = d::Sector::social_services;
    m = mine(combined);
    EXPECT_EQ(nodes_of(m), (Strings{"agency unconnected 0/0"}));
    EXPECT_TRUE(m.edges.empty());
}

TEST_F(NetworkMapStore, AnAgreementTellsWhetherTheReadersOrganisationIsAPartyWhateverTheFilters) {
    // Each edge as "reference:yes" when the reader's organisation is one of its parties.
    auto party_of = [](const NetworkMap& m) {
        std::vector<std::string> out;
        for (const auto& e : m.edges) out.push_back(e.reference + (e.reader_party ? ":yes" : ":no"));
        return out;
    };
    // The agency's administrator: a party to CARTE-0001 and -0002.
    EXPECT_EQ(party_of(mine()), (Strings{"CARTE-0001:yes", "CARTE-0002:yes", "CARTE-0003:no", "CARTE-0005:no"}));
    // Blue's manager: CARTE-0001 and -0005, the latter with a party no longer drawn.
    auto by_manager = map_as(manager_);
    ASSERT_TRUE(by_manager) << describe(by_manager.error());
    EXPECT_EQ(party_of(*by_manager), (Strings{"CARTE-0001:yes", "CARTE-0002:no", "CARTE-0003:no", "CARTE-0005:yes"}));

    // The agency is of the social services: filtered out by the education sector, it is still a
    // party to its agreement with the school board.
    d::MapFilter education;
    education.sector = d::Sector::education;
    auto m = mine(education);
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0002:school", "CARTE-0003:school"}));
    EXPECT_EQ(party_of(m), (Strings{"CARTE-0002:yes", "CARTE-0003:no"}));
    // Connected, the agency is not listed among the lapsed organisations: the same.
    d::MapFilter lapsed;
    lapsed.standing = d::MapStanding::lapsed;
    m = mine(lapsed);
    EXPECT_EQ(edges_of(m), (Strings{"CARTE-0002:school", "CARTE-0003:school,clinic"}));
    EXPECT_EQ(party_of(m), (Strings{"CARTE-0002:yes", "CARTE-0003:no"}));
    d::MapFilter blue_only;
    blue_only.sector = d::Sector::childrens_services;
    blue_only.standing = d::MapStanding::connected;
    auto theirs = map_as(manager_, blue_only);
    ASSERT_TRUE(theirs);
    EXPECT_EQ(party_of(*theirs), (Strings{"CARTE-0001:yes", "CARTE-0005:yes"}));

    // Every reader, every agreement: as the parties recorded say.
    for (const auto& who : {admin_, manager_, demo_admin_, analyst_}) {
        SCOPED_TRACE(d::code(who.role));
        auto all = map_as(who);
        ASSERT_TRUE(all) << describe(all.error());
        for (const auto& e : all->edges)
            EXPECT_EQ(e.reader_party, testsupport::scalar(*t_->db,
                                                          "SELECT COUNT(*) FROM agreement_parties WHERE agreement_id = ? AND "
                                                          "organisation_id = ?",
                                                          {e.agreement_id, who.organisation_id}) == 1)
                << e.reference;
    }
}

TEST_F(NetworkMapStore, EachReaderSeesTheirAreaAndAnAreaOutOfReachIsNotFound) {
    auto all_in = [](const NetworkMap& m, std::int64_t area) {
        return std::all_of(m.nodes.begin(), m.nodes.end(), [&](const MapNode& n) { return n.sda_id == area; });
    };
    // The area's administrator and a provider manager of the area: the same map of their area.
    const auto by_admin = mine();
    auto by_manager = map_as(manager_);
    ASSERT_TRUE(by_manager) << describe(by_manager.error());
    EXPECT_EQ(nodes_of(*by_manager), nodes_of(by_admin));
    EXPECT_EQ(edges_of(*by_manager), edges_of(by_admin));
    auto own_area = map_as(manager_, area_filter(sda_));
    ASSERT_TRUE(own_area) << "their own area, named";
    EXPECT_EQ(nodes_of(*own_area), nodes_of(by_admin));

    // The demo area's administrator: the demo area, none of this one.
    auto demo = map_as(demo_admin_);
    ASSERT_TRUE(demo) << describe(demo.error());
    EXPECT_FALSE(demo->nodes.empty());
    EXPECT_TRUE(all_in(*demo, demo_sda_));
    for (const auto& e : demo->edges) EXPECT_EQ(e.reference.rfind("CARTE-", 0), std::string::npos) << e.reference;
    EXPECT_EQ(map_as(demo_admin_, area_filter(sda_)).error().code, Errc::NotFound);
    EXPECT_EQ(map_as(admin_, area_filter(demo_sda_)).error().code, Errc::NotFound);
    EXPECT_EQ(map_as(manager_, area_filter(demo_sda_)).error().code, Errc::NotFound);
    EXPECT_EQ(map_as(admin_, area_filter(999999999)).error().code, Errc::NotFound);

    // The analyst: every area, or the one chosen; an area that does not exist is not found.
    auto everything = map_as(analyst_);
    ASSERT_TRUE(everything) << describe(everything.error());
    EXPECT_EQ(everything->nodes.size(), demo->nodes.size() + by_admin.nodes.size());
    EXPECT_EQ(everything->edges.size(), demo->edges.size() + by_admin.edges.size());
    EXPECT_EQ(everything->connected, demo->connected + by_admin.connected);
    EXPECT_EQ(everything->lapsed, demo->lapsed + by_admin.lapsed);
    EXPECT_EQ(everything->unconnected, demo->unconnected + by_admin.unconnected);
    std::vector<std::string> areas_in_order;
    for (const auto& n : everything->nodes)
        if (areas_in_order.empty() || areas_in_order.back() != n.area_en) areas_in_order.push_back(n.area_en);
    EXPECT_EQ(areas_in_order, (Strings{"Demo East Region", "Map area"})) << "by area, each once";
    auto chosen = map_as(analyst_, area_filter(sda_));
    ASSERT_TRUE(chosen) << describe(chosen.error());
    EXPECT_EQ(nodes_of(*chosen), nodes_of(by_admin));
    EXPECT_EQ(edges_of(*chosen), edges_of(by_admin));
    EXPECT_TRUE(all_in(*chosen, sda_));
    EXPECT_EQ(map_as(analyst_, area_filter(999999999)).error().code, Errc::NotFound);

    // Anyone else is refused, whatever area they name.
    EXPECT_EQ(map_as(coordinator_).error().code, Errc::Forbidden);
    EXPECT_EQ(map_as(coordinator_, area_filter(demo_sda_)).error().code, Errc::Forbidden);
    EXPECT_EQ(map_as(coordinator_, area_filter(999999999)).error().code, Errc::Forbidden);
    EXPECT_EQ(map_as(std::nullopt).error().code, Errc::Forbidden);
    for (const char* email :
         {"privacy@demo.arrimage.invalid", "staff.ctc@demo.arrimage.invalid", "sysadmin@demo.arrimage.invalid"})
        EXPECT_EQ(map_as(testsupport::actor_of(*t_->db, email)).error().code, Errc::Forbidden) << email;
}

TEST_F(NetworkMapStore, TheAreasToChooseFromAreTheReadersOwnOrEveryArea) {
    auto own = areas_as(admin_);
    ASSERT_TRUE(own) << describe(own.error());
    ASSERT_EQ(own->size(), 1u);
    EXPECT_EQ((*own)[0].id, sda_);
    EXPECT_EQ((*own)[0].name_fr, "Zone de la carte");
    EXPECT_EQ((*own)[0].name_en, "Map area");
    auto managers = areas_as(manager_);
    ASSERT_TRUE(managers);
    ASSERT_EQ(managers->size(), 1u);
    EXPECT_EQ((*managers)[0].id, sda_);

    auto every = areas_as(analyst_);
    ASSERT_TRUE(every) << describe(every.error());
    std::vector<std::int64_t> ids;
    for (const auto& a : *every) ids.push_back(a.id);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(testsupport::scalar(*t_->db, "SELECT COUNT(*) FROM service_delivery_areas")));
    EXPECT_NE(std::find(ids.begin(), ids.end(), sda_), ids.end());
    EXPECT_NE(std::find(ids.begin(), ids.end(), demo_sda_), ids.end());
    EXPECT_TRUE(
        std::is_sorted(every->begin(), every->end(), [](const MapArea& a, const MapArea& b) { return a.name_en < b.name_en; }));

    EXPECT_EQ(areas_as(coordinator_).error().code, Errc::Forbidden);
    EXPECT_EQ(areas_as(std::nullopt).error().code, Errc::Forbidden);
}

TEST_F(NetworkMapStore, TheMapIsReadInTheSameNumberOfStatementsWhateverItsSize) {
    testsupport::FaultyDatabase counting(*t_->db);
    auto statements = [&](const d::Actor& who) {
        auto tx = counting.begin(TxMode::read);
        NetworkMapRepo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        counting.fail_statement(0);
        auto m = repo.map({});
        EXPECT_TRUE(m);
        return counting.statements();
    };
    const int small_admin = statements(admin_);
    const int small_analyst = statements(analyst_);
    {
        // Thirty more organisations, each with an agreement with the agency, some ended.
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        for (int i = 0; i < 30; ++i) {
            d::Organisation o;
            o.sda_id = sda_;
            o.name_fr = "Organisme " + std::to_string(i);
            o.name_en = "Organisation " + std::to_string(i);
            o.csp_roles = {d::CspRole::csp_provider};
            const auto id = *ids.create_organisation(o, 0);
            agreement(*tx, "CARTE-1" + std::to_string(100 + i), "csp_provider", i % 3 ? "active" : "expired", {agency_, id});
        }
        tx->commit();
    }
    EXPECT_EQ(mine().nodes.size(), 35u);
    EXPECT_EQ(mine().edges.size(), 34u);
    EXPECT_EQ(statements(admin_), small_admin);
    EXPECT_EQ(statements(analyst_), small_analyst);
    EXPECT_LE(small_admin, 4) << "the reader's area, the organisations, the agreements, their parties";
}
