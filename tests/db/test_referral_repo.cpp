// The referral repository against SQLite (label db) and PostgreSQL (label pg), on the demo
// data and its pathways: a referral reaches the organisation its pathway names and nobody else;
// every look at it is decided and audited with the referral's id, refusals included; the closed
// loop moves forward only; a decline sends the family on along another pathway, linked both
// ways; the sender follows status without content; and the audit chain stays intact.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <thread>
#include <vector>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "store/audit_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class ReferralStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        // Without the demo's referrals: these tests count referrals and audit rows from none.
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        developmental_ = pathway("developmental");
        speech_ = pathway("speech_language");
        crisis_ = pathway("crisis");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::int64_t pathway(const std::string& need) {
        return scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = ?", {need});
    }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    static d::Referral referral(std::int64_t pathway_id) {
        d::Referral r;
        r.pathway_id = pathway_id;
        r.source = d::ReferralSource::family;
        r.given_name = "Zoé";
        r.family_name = "Essai-Référé";
        r.date_of_birth = Date{2016, 4, 3};
        r.official_language = Lang::fr;
        r.contact.given_name = "Ana";
        r.contact.family_name = "Essai-Référé";
        r.contact.phone = "+1 613-555-0199";
        r.needs = "Besoins en développement.";
        return r;
    }
    // Runs `f` with a repository for `who` (nullopt: the public form) and commits.
    template <typename F>
    auto as(std::optional<d::Actor> who, F f) {
        return testsupport::run_as<ReferralRepo>(*t_->db, clock_, who, std::move(f));
    }
    std::int64_t submit_public(std::int64_t pathway_id) {
        auto made = as(std::nullopt, [&](ReferralRepo& r) { return r.submit(referral(pathway_id), {}, next_bits_++); });
        EXPECT_TRUE(made) << (made ? "" : made.error().message_key);
        return made ? made->id : 0;
    }
    std::int64_t audit_rows(std::int64_t referral_id, const std::string& decision) {
        return scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND decision = ?", {referral_id, decision});
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t developmental_ = 0, speech_ = 0, crisis_ = 0;
    std::uint64_t next_bits_ = 12345;
};

TEST_F(ReferralStore, APublicReferralReachesThePathwaysOrganisationAndIsAudited) {
    const auto id = submit_public(developmental_);
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar("SELECT organisation_id FROM referrals WHERE id = ?", {id}),
              scalar("SELECT COALESCE(organisation_id, 0) FROM referral_pathways WHERE id = ?", {developmental_}));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'create' AND user_id IS NULL "
                     "AND decision = 'permit' AND reason = 'consent'",
                     {id}),
              1);

    // The agency's intake coordinator lists and reads it; each look is audited.
    const auto intake = actor("coord.ca@demo.arrimage.invalid");
    auto inbox = as(intake, [](ReferralRepo& r) { return r.inbox(std::nullopt, "", 50, 0); });
    ASSERT_TRUE(inbox);
    ASSERT_EQ(inbox->size(), 1u);
    EXPECT_EQ(inbox->front().family_name, "Essai-Référé");
    auto detail = as(intake, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_TRUE(detail);
    EXPECT_EQ(detail->needs, "Besoins en développement.");
    EXPECT_TRUE(detail->may_update);
    EXPECT_EQ(detail->status, "received");
    ASSERT_EQ(detail->events.size(), 1u);
    EXPECT_EQ(audit_rows(id, "permit"), 3);  // create, list, read

    // The agency's privacy officer may look (oversight) but not change it.
    const auto officer = actor("privacy@demo.arrimage.invalid");
    auto seen = as(officer, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_TRUE(seen);
    EXPECT_FALSE(seen->may_update);
    auto changed = as(officer, [&](ReferralRepo& r) { return r.accept(id, ""); });
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().code, Errc::Forbidden);
    EXPECT_EQ(audit_rows(id, "deny"), 1);

    // Another organisation learns nothing, and the refusal is on record.
    const auto other = actor("coord1@demo.arrimage.invalid");
    auto refused = as(other, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::NotFound);
    EXPECT_EQ(audit_rows(id, "deny"), 2);
    auto their_inbox = as(other, [](ReferralRepo& r) { return r.inbox(std::nullopt, "", 50, 0); });
    ASSERT_TRUE(their_inbox);
    EXPECT_TRUE(their_inbox->empty());

    // The chain is intact with referral rows in it.
    const auto v = verify_audit_chain(*t_->db);
    EXPECT_FALSE(v.broken) << "audit chain broken at row " << v.broken->id;
}

TEST_F(ReferralStore, ParticipantStaffOfTheReceivingOrganisationAreRefused) {
    // The speech pathway takes professionals only, and goes to the treatment centre.
    auto refused = as(std::nullopt, [&](ReferralRepo& r) { return r.submit(referral(speech_), {}, 1); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.front().message_key, "referral.error.professional_only");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 0);

    const auto doctor = actor("staff.home@demo.arrimage.invalid");
    auto made = as(doctor, [&](ReferralRepo& r) {
        auto x = referral(speech_);
        x.source = d::ReferralSource::professional;
        return r.submit(x, {"Kim Domicile-Démo", "Soins à domicile Démo", "staff.home@demo.arrimage.invalid"}, 2);
    });
    ASSERT_TRUE(made);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE referrer_user_id = ? AND referrer_email = ?",
                     {doctor.user_id, std::string("staff.home@demo.arrimage.invalid")}),
              1);

    auto staff = as(actor("staff.ctc@demo.arrimage.invalid"), [](ReferralRepo& r) { return r.inbox(std::nullopt, "", 50, 0); });
    ASSERT_FALSE(staff);
    EXPECT_EQ(staff.error().code, Errc::Forbidden);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'list' AND decision = 'deny' "
                     "AND reason = 'role_relationship_not_permitted'"),
              1);
    auto manager =
        as(actor("manager.ctc@demo.arrimage.invalid"), [](ReferralRepo& r) { return r.inbox(std::nullopt, "", 50, 0); });
    ASSERT_TRUE(manager);
    EXPECT_EQ(manager->size(), 1u);
}

TEST_F(ReferralStore, TheClosedLoopMovesForwardOnly) {
    const auto id = submit_public(developmental_);
    const auto intake = actor("coord.ca@demo.arrimage.invalid");
    auto early = as(intake, [&](ReferralRepo& r) { return r.complete(id, ""); });
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().message_key, "lifecycle.not_from_state");
    ASSERT_TRUE(as(intake, [&](ReferralRepo& r) { return r.accept(id, "Appel fait à la mère."); }));
    ASSERT_TRUE(as(intake, [&](ReferralRepo& r) { return r.complete(id, ""); }));
    auto again = as(intake, [&](ReferralRepo& r) { return r.accept(id, ""); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::Conflict);
    auto detail = as(intake, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_TRUE(detail);
    EXPECT_EQ(detail->status, "completed");
    ASSERT_EQ(detail->events.size(), 3u);
    EXPECT_EQ(detail->events[1].note, "Appel fait à la mère.");
    EXPECT_EQ(detail->events[1].user_name, "Noa Coordination-Démo");
}

TEST_F(ReferralStore, ADeclineSendsTheFamilyOnAlongAnotherPathway) {
    const auto id = submit_public(developmental_);
    const auto intake = actor("coord.ca@demo.arrimage.invalid");
    // The agency cannot send it back to itself.
    auto self = as(intake, [&](ReferralRepo& r) {
        return r.decline(id, {d::DeclineReason::not_eligible_needs, "", developmental_}, {"Noa", "Agence", ""}, 3);
    });
    ASSERT_FALSE(self);
    EXPECT_EQ(self.error().fields.front().field, "warm_pathway_id");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'received'", {id}), 1);

    auto next = as(intake, [&](ReferralRepo& r) {
        return r.decline(id, {d::DeclineReason::not_eligible_needs, "Besoin surtout de soutien en crise.", crisis_},
                         {"Noa Coordination-Démo", "Agence de coordination Démo", "coord.ca@demo.arrimage.invalid"}, 4);
    });
    ASSERT_TRUE(next);
    ASSERT_TRUE(*next);
    const auto warm = **next;
    EXPECT_EQ(scalar("SELECT warm_referral_id FROM referrals WHERE id = ?", {id}), warm);
    EXPECT_EQ(scalar("SELECT previous_id FROM referrals WHERE id = ?", {warm}), id);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND source = 'warm_referral' AND status = 'received' "
                     "AND family_name = 'Essai-Référé' AND referrer_user_id = ?",
                     {warm, intake.user_id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'create' AND user_id = ?",
                     {warm, intake.user_id}),
              1);

    // The mental health organisation's manager... has no manager: its privacy officer may look.
    auto officer = as(actor("privacy.mh@demo.arrimage.invalid"), [&](ReferralRepo& r) { return r.read(warm); });
    ASSERT_TRUE(officer);
    ASSERT_TRUE(officer->previous_reference);
    EXPECT_EQ(*officer->previous_org_en, "Demo Coordinating Agency");
    // The declined one says where the family went; the sender follows both without content.
    auto old = as(intake, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_TRUE(old);
    EXPECT_EQ(old->decline_reason, "not_eligible_needs");
    EXPECT_EQ(*old->warm_org_en, "Demo Youth Mental Health");
    auto sent = as(intake, [](ReferralRepo& r) { return r.sent(50); });
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent.front().id, warm);
    EXPECT_EQ(sent.front().org_name_en, "Demo Youth Mental Health");

    // A declined referral stays declined.
    auto twice = as(intake, [&](ReferralRepo& r) {
        return r.decline(id, {d::DeclineReason::duplicate, "", std::nullopt}, {}, 5);
    });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Errc::Conflict);
}

TEST_F(ReferralStore, AnInactivePathwayTakesNoReferral) {
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec("UPDATE referral_pathways SET active = 0 WHERE id = ?", {crisis_});
        tx->commit();
    }
    auto made = as(std::nullopt, [&](ReferralRepo& r) { return r.submit(referral(crisis_), {}, 6); });
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().fields.front().message_key, "referral.error.unknown_pathway");
    made = as(std::nullopt, [&](ReferralRepo& r) { return r.submit(referral(999999), {}, 7); });
    ASSERT_FALSE(made);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id IS NOT NULL"), 0);
}

TEST_F(ReferralStore, ReferencesAreUniqueEvenWhenTheRandomBitsRepeat) {
    const auto a = submit_public(developmental_);
    next_bits_ = 12345;  // the same bits again
    const auto b = submit_public(developmental_);
    ASSERT_GT(a, 0);
    ASSERT_GT(b, 0);
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT reference) FROM referrals"), 2);
}

TEST_F(ReferralStore, TheInboxFindsAReferralByNameOrNumberAndAuditsItAsASearch) {
    const auto a = submit_public(developmental_);
    auto other = referral(developmental_);
    other.given_name = "Élodie";
    other.family_name = "Autre-Exemple";
    const auto b = as(std::nullopt, [&](ReferralRepo& r) { return r.submit(other, {}, 777); })->id;
    const auto intake = actor("coord.ca@demo.arrimage.invalid");
    auto find = [&](const std::string& q) {
        auto rows = as(intake, [&](ReferralRepo& r) { return r.inbox(std::nullopt, q, 50, 0); });
        std::vector<std::int64_t> ids;
        for (const auto& row : *rows) ids.push_back(row.id);
        return ids;
    };
    EXPECT_EQ(find("elodie"), std::vector<std::int64_t>{b});
    EXPECT_EQ(find("ESSAI ref"), std::vector<std::int64_t>{a});
    EXPECT_EQ(find("autre exemple"), std::vector<std::int64_t>{b});
    EXPECT_TRUE(find("zzz").empty());
    auto reference = [&](std::int64_t id) {
        auto tx = t_->db->begin(TxMode::read);
        return tx->query_one("SELECT reference FROM referrals WHERE id = ?", {id})->str(0);
    };
    std::string lower = reference(a);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(find(lower), std::vector<std::int64_t>{a});
    EXPECT_EQ(find(reference(b)), std::vector<std::int64_t>{b});
    EXPECT_EQ(find("").size(), 2u);
    EXPECT_GT(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'search'", {b}), 0);
}

// Two people moving one referral at once (issue: eight concurrent declines once made eight warm
// referrals on PostgreSQL): the compare-and-set lets exactly one through, on both databases;
// the others get a Conflict and leave nothing behind.
TEST_F(ReferralStore, ConcurrentTransitionsOfOneReferralLetExactlyOneThrough) {
    const auto intake = actor("coord.ca@demo.arrimage.invalid");
    for (const bool declining : {true, false}) {
        SCOPED_TRACE(declining ? "declines" : "accepts");
        const auto id = submit_public(developmental_);
        const auto referrals_before = scalar("SELECT COUNT(*) FROM referrals");
        const auto emails_before = scalar("SELECT COUNT(*) FROM outbox");
        constexpr int n = 3;  // the test database's pool holds four connections
        std::atomic<int> ready{0}, won{0}, conflicts{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                ++ready;
                while (ready < n) std::this_thread::yield();
                auto tx = t_->db->begin(TxMode::write);
                ReferralRepo repo(arrimage::testsupport::AccessForTests::as(*tx, clock_, intake, "race"));
                const bool ok = declining
                                    ? static_cast<bool>(repo.decline(id, {d::DeclineReason::not_eligible_needs, "", crisis_},
                                                                     {"Noa", "Agence", ""}, 100 + static_cast<std::uint64_t>(i)))
                                    : static_cast<bool>(repo.accept(id, ""));
                if (ok) {
                    // Hold the change a moment, so the others really run into it.
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                    tx->commit();
                    ++won;
                } else {
                    ++conflicts;
                }
            });
        for (auto& t : threads) t.join();
        EXPECT_EQ(won, 1);
        EXPECT_EQ(conflicts, n - 1);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM referral_events WHERE referral_id = ? AND event = ?",
                         {id, std::string(declining ? "decline" : "accept")}),
                  1);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), referrals_before + (declining ? 1 : 0));
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), emails_before);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE previous_id = ?", {id}), declining ? 1 : 0);
    }
    EXPECT_TRUE(verify_audit_chain(*t_->db).intact());
}

// An unknown status cannot be stored (the table's CHECK), and the repository never reads one
// as another status (it throws: corrupt data is a defect, not a referral).
TEST_F(ReferralStore, AnUnknownStatusCannotBeStored) {
    const auto id = submit_public(developmental_);
    auto tx = t_->db->begin(TxMode::write);
    EXPECT_ANY_THROW(tx->exec("UPDATE referrals SET status = 'lost' WHERE id = ?", {id}));
}

// A referral from a child's file: the coordinator sends it to a service the family consented to
// share with; the receiving organisation answers through the closed loop (waitlisted, which
// also moves the service's published wait, then accepted, in progress, completed); each state
// shows on the child's file; the agency's other staff cannot send one; a service the family did
// not consent to share with gets nothing; the sender cancels an open one.
TEST_F(ReferralStore, AReferralFromAFileClosesTheLoopWithinTheFamilysConsent) {
    const auto lea = scalar("SELECT id FROM people WHERE given_name = 'Léa'");
    const auto speech = scalar("SELECT id FROM services WHERE name_en = 'Paediatric Speech Therapy'");
    const auto therapy = scalar("SELECT id FROM services WHERE name_en = 'Family Therapy'");
    const auto coordinator = actor("coord1@demo.arrimage.invalid");
    const auto provider = actor("manager.ctc@demo.arrimage.invalid");
    const auto agency_staff = actor("coord.ca@demo.arrimage.invalid");    // the file's agency, not its team
    const auto outsider_staff = actor("manager1@demo.arrimage.invalid");  // no relationship to the file
    const Referrer me{"Coordination Un", "Blue River", "coord1@demo.arrimage.invalid"};
    ASSERT_GT(lea, 0);

    // Not the family's consent: nothing sent, the reason on the field.
    auto refused = as(coordinator, [&](ReferralRepo& r) {
        return r.refer_from_file(lea, {therapy, "Thérapie familiale."}, me, 1);
    });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "service_id");
    EXPECT_EQ(refused.error().fields.at(0).message_key, "referral.error.no_consent_for");
    // The coordinating agency's intake coordinator has no place on the file's team: refused, on
    // record; someone with no relationship to the file learns nothing.
    auto outsider = as(agency_staff, [&](ReferralRepo& r) { return r.refer_from_file(lea, {speech, "Évaluation."}, me, 2); });
    ASSERT_FALSE(outsider);
    EXPECT_EQ(outsider.error().code, Errc::Forbidden);
    auto stranger = as(outsider_staff, [&](ReferralRepo& r) { return r.refer_from_file(lea, {speech, "Évaluation."}, me, 2); });
    ASSERT_FALSE(stranger);
    EXPECT_EQ(stranger.error().code, Errc::NotFound);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND user_id = ? AND decision = 'deny'",
                     {lea, agency_staff.user_id}),
              1);

    auto made = as(coordinator, [&](ReferralRepo& r) {
        return r.refer_from_file(lea, {speech, "Évaluation du langage avant l'entrée à l'école."}, me, 3);
    });
    ASSERT_TRUE(made) << made.error().message_key;
    const auto id = made->id;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'requested' AND source = 'file' AND person_id = ? "
                     "AND pathway_id IS NULL AND service_id = ? AND shared_categories LIKE 'identity_contact,%'",
                     {id, lea, speech}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND person_id = ? AND action = 'create' AND "
                     "purpose = 'referral' AND decision = 'permit'",
                     {id, lea}),
              1);

    // The provider's queue shows it; the sender cannot answer it, the provider cannot cancel it.
    auto queue = as(provider, [&](ReferralRepo& r) { return r.inbox(d::ReferralStatus::requested, "", 50, 0); });
    ASSERT_TRUE(queue);
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ(queue->front().id, id);
    auto self_answer = as(coordinator, [&](ReferralRepo& r) { return r.accept(id, ""); });
    ASSERT_FALSE(self_answer);
    EXPECT_EQ(self_answer.error().code, Errc::Forbidden);
    auto provider_cancel = as(provider, [&](ReferralRepo& r) { return r.cancel(id, "Non."); });
    ASSERT_FALSE(provider_cancel);
    EXPECT_EQ(provider_cancel.error().code, Errc::Forbidden);

    // Waitlisted until a date eleven weeks out: the service's published wait follows.
    const auto today = date_of(clock_.now());
    ASSERT_TRUE(as(provider, [&](ReferralRepo& r) { return r.receive(id, ""); }));
    ASSERT_TRUE(as(provider, [&](ReferralRepo& r) { return r.waitlist(id, {add_days(today, 75), "Groupe du printemps."}); }));
    EXPECT_EQ(scalar("SELECT wait_weeks FROM services WHERE id = ?", {speech}), 11);
    auto twice = as(provider, [&](ReferralRepo& r) { return r.receive(id, ""); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message_key, "lifecycle.not_from_state");
    ASSERT_TRUE(as(provider, [&](ReferralRepo& r) { return r.accept(id, ""); }));
    ASSERT_TRUE(as(provider, [&](ReferralRepo& r) { return r.start(id, ""); }));
    ASSERT_TRUE(as(provider, [&](ReferralRepo& r) { return r.complete(id, "Évaluation faite."); }));

    // Every state on the child's file, and in the history the coordinator reads.
    auto on_file = as(coordinator, [&](ReferralRepo& r) { return r.for_file(lea); });
    ASSERT_TRUE(on_file);
    EXPECT_TRUE(on_file->may_refer);
    ASSERT_EQ(on_file->rows.size(), 1u);
    EXPECT_TRUE(on_file->rows.front().outbound);
    EXPECT_EQ(on_file->rows.front().status, "completed");
    auto seen = as(coordinator, [&](ReferralRepo& r) { return r.read(id); });
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->outbound);
    std::vector<std::string> states;
    for (const auto& e : seen->events) states.push_back(e.status);
    EXPECT_EQ(states, (std::vector<std::string>{"requested", "received", "waitlisted", "accepted", "in_progress", "completed"}));
    EXPECT_FALSE(as(outsider_staff, [&](ReferralRepo& r) { return r.read(id); }));

    // The sender cancels another open one, with its reason; a cancelled one stays cancelled.
    auto second = as(coordinator, [&](ReferralRepo& r) { return r.refer_from_file(lea, {speech, "Suivi."}, me, 4); });
    ASSERT_TRUE(second);
    ASSERT_TRUE(as(coordinator, [&](ReferralRepo& r) { return r.cancel(second->id, "La famille a déménagé."); }));
    auto late = as(provider, [&](ReferralRepo& r) { return r.accept(second->id, ""); });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::Conflict);
    // A decline of a referral from a file needs no warm referral.
    auto third = as(coordinator, [&](ReferralRepo& r) { return r.refer_from_file(lea, {speech, "Encore."}, me, 5); });
    ASSERT_TRUE(third);
    EXPECT_TRUE(as(provider, [&](ReferralRepo& r) {
        return r.decline(third->id, {d::DeclineReason::no_capacity, "", std::nullopt}, {}, 6);
    }));
    EXPECT_TRUE(verify_audit_chain(*t_->db).intact());
}
