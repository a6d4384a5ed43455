// Faults and load through the real HTTP server, on the backend under test (SQLite: label db,
// PostgreSQL: label pg), with the demo data:
//   - a failure at a statement of a write (each one, or those ARRIMAGE_FAULT_STRIDE picks), or at
//     its commit, answers an error and leaves every table as it was (nothing half-written
//     survives); the writes of each feature are swept in test_faults_features_http.cpp;
//   - a read whose audit rows cannot be committed shows nothing (503);
//   - concurrent readers and writers leave one unbroken audit chain, each read's rows written by
//     the group commit (store/audit_writer.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/faults_fixture.hpp"
#include "http/http_client.hpp"
#include "store/audit_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

const char* const intake = "coord.ca@demo.arrimage.invalid";  // coordinator at the coordinating agency

std::string child_form(const std::string& given, const std::string& dob) {
    return "given_name=" + enc(given) + "&family_name=" + enc("Démo-Panne") + "&date_of_birth=" + dob +
           "&official_language=fr&capable_of_consent=no&contact_given_name=Parent&contact_family_name=" + enc("Démo-Panne") +
           "&contact_relationship=parent&contact_is_substitute_decision_maker=1&contact_phone=" + enc("613-555-0123");
}

}  // namespace

// The sweep (expect_all_or_nothing) and ARRIMAGE_FAULT_STRIDE are faults_fixture.hpp's.
class FaultsWeb : public testsupport::FaultSweepTest {};

TEST_F(FaultsWeb, AFailureAnywhereInRegisteringAChildLeavesNothing) {
    auto c = as(intake);
    const int statements = expect_all_or_nothing(c, "/children/new", "/children/new", child_form("Inès", "2015-02-03"), 303);
    EXPECT_GT(statements, 5);  // the person, the family contact, the assignment, the audit rows...
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people WHERE given_name = ?", {std::string("Inès")}), 1);
}

TEST_F(FaultsWeb, AFailureAnywhereInRecordingConsentLeavesNothing) {
    const auto elodie = id_of("SELECT id FROM people WHERE given_name = ?", {std::string("Élodie")});
    const auto blue_river = id_of("SELECT id FROM organisations WHERE name_en = 'Blue River Family Services (fictional)'");
    const auto julien = id_of("SELECT id FROM family_members WHERE given_name = 'Julien'");
    const std::string base = "/children/" + elodie + "/consent/new";
    auto c = as(intake);
    expect_all_or_nothing(c, base, base,
                          "effect=permit&organisations=" + blue_river +
                              "&categories=identity_contact&purposes=coordination&given_by=substitute_decision_maker"
                              "&decision_maker=" +
                              julien + "&method=verbal&witness_name=" + enc("Dana Témoin") +
                              "&given_at=" + date_of(clock_.now()).iso() + "&expires_at=",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives WHERE person_id = ?", {std::stoll(elodie)}), 1);
}

TEST_F(FaultsWeb, AFailureAnywhereInDecliningAReferralLeavesNothing) {
    // A decline moves the referral, opens the warm referral and queues the family's email: all or nothing.
    Client family(port_);
    family.set_cookie("arrimage_lang", "fr");
    ASSERT_EQ(family.submit("/refer", "/refer", family_referral_form(pathway("developmental"), "Essai-Panne")).status, 200);
    const auto referral = id_of("SELECT MAX(id) FROM referrals WHERE family_name = 'Essai-Panne'");
    ASSERT_NE(referral, "0");
    auto c = as(intake);
    const auto page = "/referrals/" + referral;
    ASSERT_EQ(c.get(page).status, 200);
    expect_all_or_nothing(
        c, page, page + "/decline",
        "reason=not_eligible_needs&note=" + enc("Besoin de crise.") + "&warm_pathway_id=" + pathway("crisis") + "&warm_consent=1",
        303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'declined'", {std::stoll(referral)}), 1);
}

TEST_F(FaultsWeb, AFailureAnywhereInOpeningABreachLeavesNothing) {
    auto c = as("privacy@demo.arrimage.invalid");
    const auto breaches = scalar("SELECT COUNT(*) FROM privacy_breaches");
    expect_all_or_nothing(c, "/privacy/breaches/new", "/privacy/breaches/new",
                          "discovered_on=" + date_of(clock_.now()).iso() +
                              "&description=" + enc("Courriel envoyé à la mauvaise adresse.") +
                              "&files_affected=1&containment=" + enc("Message rappelé") + "&status=open",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_breaches"), breaches + 1);
}

// The audit rows of a read are written by the group commit after the read; if that commit fails,
// the page is not sent: a 503 with nothing of the file, and no row claims an access that was not.
TEST_F(FaultsWeb, AReadWhoseAuditCannotBeCommittedShowsNothing) {
    const auto lea = id_of("SELECT id FROM people WHERE given_name = ?", {std::string("Léa")});
    auto c = as(intake);
    const auto rows = scalar("SELECT COUNT(*) FROM audit_events");
    faulty_->fail_commits_writing("audit_events");
    auto r = c.get("/children/" + lea);
    faulty_->fail_commits_writing("");
    EXPECT_EQ(r.status, 503);
    EXPECT_FALSE(r.has("Léa"));
    EXPECT_FALSE(r.has("Démo-Tremblay"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), rows);

    r = c.get("/children/" + lea);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Léa"));
    EXPECT_GT(scalar("SELECT COUNT(*) FROM audit_events"), rows);
    // The same through the in-process path (WebApp::handle waits instead of deferring).
    const auto after = scalar("SELECT COUNT(*) FROM audit_events");
    http::Request req;
    req.method = "GET";
    req.target = req.path = "/children/" + lea;
    req.headers["cookie"] = "arrimage_session=" + c.cookie("arrimage_session");
    faulty_->fail_commits_writing("audit_events");
    auto direct = app_->handle(req);
    faulty_->fail_commits_writing("");
    EXPECT_EQ(direct.status, 503);
    EXPECT_EQ(direct.body.find("Léa"), std::string::npos);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), after);
}

// Readers and writers at once, from several users: every access has its row, the ids run 1..n
// without a gap, and the chain verifies.
TEST_F(FaultsWeb, AConcurrentMixedLoadKeepsOneUnbrokenAuditChain) {
    const std::vector<std::string> readers = {intake, "coord1@demo.arrimage.invalid", "staff.ctc@demo.arrimage.invalid",
                                              "privacy@demo.arrimage.invalid"};
    std::vector<Client> clients;
    std::vector<std::vector<std::string>> files(readers.size());
    for (std::size_t u = 0; u < readers.size(); ++u) {
        for (int twice = 0; twice < 2; ++twice) clients.push_back(as(readers[u]));
        const auto list = clients.back().get("/children");
        ASSERT_EQ(list.status, 200) << readers[u];
        static const std::regex link(R"re(href="/children/(\d+)")re");
        for (std::sregex_iterator it(list.body.begin(), list.body.end(), link), end; it != end; ++it)
            files[u].push_back((*it)[1].str());
        ASSERT_FALSE(files[u].empty()) << readers[u];
    }
    Client writer = as(intake);
    const auto csrf = Client::csrf(writer.get("/children/new").body);
    const auto before = scalar("SELECT COUNT(*) FROM audit_events");
    const auto people = scalar("SELECT COUNT(*) FROM people");
    constexpr int rounds = 10, registrations = 6;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < clients.size(); ++i)
        threads.emplace_back([&, i] {
            const auto& mine = files[i / 2];
            for (int k = 0; k < rounds; ++k) {
                if (clients[i].get("/children/" + mine[static_cast<std::size_t>(k) % mine.size()]).status != 200) ++failures;
                if (clients[i].get("/children/" + std::to_string(900000 + k)).status != 404) ++failures;
            }
        });
    threads.emplace_back([&] {
        for (int k = 0; k < registrations; ++k) {
            const auto r =
                writer.post("/children/new", "_csrf=" + csrf + "&" +
                                                 child_form("Charge" + std::string(1, static_cast<char>('A' + k)),
                                                            "2014-0" + std::to_string(k + 1) + "-1" + std::to_string(k)));
            if (r.status != 303) ++failures;
        }
    });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), people + registrations);
    const auto after = scalar("SELECT COUNT(*) FROM audit_events");
    // Each read and each refusal has at least one row, each registration at least one.
    EXPECT_GE(after - before, static_cast<std::int64_t>(clients.size()) * rounds * 2 + registrations);
    const auto v = store::verify_audit_chain(*t_->db);
    EXPECT_TRUE(v.intact()) << (v.broken ? v.broken->detail : "");
    EXPECT_EQ(v.rows, after);
    EXPECT_EQ(scalar("SELECT MAX(id) FROM audit_events"), after);
}
