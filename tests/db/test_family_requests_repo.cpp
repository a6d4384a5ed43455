// What a family raises on its file, against SQLite (label db) and PostgreSQL (label pg), on the
// demo data (Léa Démo-Tremblay's file: coord1 its assigned coordinator, its coordinating agency's
// administrator and privacy officer, her mother Marie invited and joined; Noah Demo-Smith's file
// another family's, with the demo's family account; Sam Demo-Martin a capable youth):
// concerns and complaints are received, acknowledged and closed by the table, each seen by whom
// it is addressed to; access and correction requests become rows of the privacy office's register
// with their 30-day clock and the family sees where they stand; another family's file, staff on
// the family's side, a family member without authority and a parent of a capable youth asking
// for the records are refused on record; bad input changes nothing.
#include <gtest/gtest.h>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/family/store/family_request_repo.hpp"
#include "store/privacy_office_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class FamilyRequestsStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        lea_ = scalar("SELECT id FROM people WHERE given_name = 'Léa'");
        noah_ = scalar("SELECT id FROM people WHERE given_name = 'Noah'");
        sam_ = scalar("SELECT id FROM people WHERE given_name = 'Sam'");
        keeper_ = actor("coord1@demo.arrimage.invalid");
        agency_ = actor("ca.admin@demo.arrimage.invalid");
        officer_ = actor("privacy@demo.arrimage.invalid");
        team_ = actor("staff.ctc@demo.arrimage.invalid");
        stranger_ = actor("coord3@demo.arrimage.invalid");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    template <typename Repo, typename F>
    auto as(const d::Actor& who, F f) {
        return testsupport::run_as<Repo>(*t_->db, clock_, who, std::move(f));
    }
    // A family member of `person_id` invited by `coordinator` and joined: their family account.
    d::Actor family_account(std::int64_t person_id, const d::Actor& coordinator, const std::string& code,
                            const std::string& login) {
        d::Invite in;
        in.relation = d::FamilyRelation::family_of;
        in.family_member_id = scalar("SELECT MIN(id) FROM family_members WHERE person_id = ?", {person_id});
        in.authority = true;
        in.delivery = d::InviteDelivery::print;
        auto issued = as<FamilyRepo>(coordinator, [&](FamilyRepo& r) { return r.invite(person_id, in, code, login); });
        EXPECT_TRUE(issued) << issued.error().message_key;
        auto tx = t_->db->begin(TxMode::write);
        FamilyRepo repo(testsupport::AccessForTests::anonymous(*tx, clock_, "test"));
        auto joined = repo.join({code, "Parent", Lang::fr}, "a long family password",
                                hash_password("a long family password", PasswordHashCost::minimum()));
        EXPECT_TRUE(joined) << joined.error().message_key;
        tx->commit();
        return {joined ? *joined : 0, 0, d::Role::family};
    }
    d::Actor marie() { return family_account(lea_, keeper_, "K7M3Q9X2HB4T", "fam-marie001"); }
    static d::FamilyRequest request(d::FamilyRequestKind k, std::optional<d::ConcernAddressee> to, std::string text) {
        d::FamilyRequest r;
        r.kind = k;
        r.addressed_to = to;
        r.description = std::move(text);
        return r;
    }
    std::int64_t denials(const d::Actor& who, std::int64_t person_id, const std::string& reason = "") {
        return scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'" +
                          std::string(reason.empty() ? "" : " AND reason = '" + reason + "'"),
                      {who.user_id, person_id});
    }
    std::int64_t written() {
        return scalar("SELECT (SELECT COUNT(*) FROM family_concerns) + (SELECT COUNT(*) FROM privacy_requests)");
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t lea_ = 0, noah_ = 0, sam_ = 0;
    d::Actor keeper_, agency_, officer_, team_, stranger_;
};

TEST_F(FamilyRequestsStore, AConcernIsReceivedAcknowledgedAndClosedEachSeenByWhomItIsAddressedTo) {
    const auto m = marie();
    using K = d::FamilyRequestKind;
    using A = d::ConcernAddressee;
    auto concern = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& r) {
        return r.raise(lea_, request(K::concern, A::coordinator, "Les rendez-vous changent sans qu'on nous le dise."));
    });
    ASSERT_TRUE(concern) << concern.error().message_key;
    EXPECT_FALSE(concern->records_request);
    auto complaint = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& r) {
        return r.raise(lea_, request(K::complaint, A::agency, "La coordonnatrice ne rappelle pas."));
    });
    ASSERT_TRUE(complaint);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concerns WHERE person_id = ? AND raised_by = ? AND status = 'received'",
                     {lea_, m.user_id}),
              2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category = 'plan' AND "
                     "action = 'create' AND reason = 'family_access'",
                     {m.user_id, lea_}),
              2);

    // The coordinator sees what is addressed to them, and may acknowledge or close it; the agency
    // sees both.
    auto mine = as<FamilyRequestRepo>(keeper_, [&](FamilyRequestRepo& r) { return r.for_file(lea_); });
    ASSERT_TRUE(mine) << mine.error().message_key;
    ASSERT_EQ(mine->concerns.size(), 1u);
    EXPECT_EQ(mine->concerns[0].id, concern->id);
    EXPECT_EQ(mine->concerns[0].raised_by, "Parent");
    EXPECT_EQ(mine->concerns[0].relationship, "parent");
    EXPECT_EQ(mine->concerns[0].available, (std::vector{d::ConcernEvent::acknowledge, d::ConcernEvent::close}));
    auto all = as<FamilyRequestRepo>(agency_, [&](FamilyRequestRepo& r) { return r.for_file(lea_); });
    ASSERT_TRUE(all) << all.error().message_key;
    EXPECT_EQ(all->concerns.size(), 2u);
    // The complaint to the agency is not the coordinator's to answer: as if it did not exist.
    auto not_theirs = as<FamilyRequestRepo>(
        keeper_, [&](FamilyRequestRepo& r) { return r.answer(lea_, complaint->id, d::ConcernEvent::close, "Vu."); });
    ASSERT_FALSE(not_theirs);
    EXPECT_EQ(not_theirs.error().code, Errc::NotFound);

    // Acknowledged once; a second acknowledgement is not a move from there, nothing written.
    ASSERT_TRUE(as<FamilyRequestRepo>(
        keeper_, [&](FamilyRequestRepo& r) { return r.answer(lea_, concern->id, d::ConcernEvent::acknowledge, ""); }));
    EXPECT_EQ(scalar("SELECT acknowledged_by FROM family_concerns WHERE id = ? AND status = 'acknowledged'", {concern->id}),
              keeper_.user_id);
    auto again = as<FamilyRequestRepo>(
        keeper_, [&](FamilyRequestRepo& r) { return r.answer(lea_, concern->id, d::ConcernEvent::acknowledge, ""); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message_key, "lifecycle.not_from_state");
    // Closing needs a response.
    const auto before = testsupport::snapshot_tables(*t_->db);
    auto empty = as<FamilyRequestRepo>(
        keeper_, [&](FamilyRequestRepo& r) { return r.answer(lea_, concern->id, d::ConcernEvent::close, "  "); });
    ASSERT_FALSE(empty);
    ASSERT_EQ(empty.error().fields.size(), 1u);
    EXPECT_EQ(empty.error().fields[0].field, "response");
    EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before) << "a refused answer wrote something";
    ASSERT_TRUE(as<FamilyRequestRepo>(keeper_, [&](FamilyRequestRepo& r) {
        return r.answer(lea_, concern->id, d::ConcernEvent::close, "Nous vous appellerons la veille de chaque rendez-vous.");
    }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concern_events WHERE concern_id = ?", {concern->id}), 2);
    // The agency closes the complaint straight from received.
    ASSERT_TRUE(as<FamilyRequestRepo>(agency_, [&](FamilyRequestRepo& r) {
        return r.answer(lea_, complaint->id, d::ConcernEvent::close, "Nous avons parlé avec la coordonnatrice.");
    }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concerns WHERE status = 'closed' AND closed_by IS NOT NULL"), 2);

    // The family reads where each stands, with the responses.
    auto page = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& r) { return r.mine(lea_); });
    ASSERT_TRUE(page) << page.error().message_key;
    ASSERT_EQ(page->concerns.size(), 2u);
    EXPECT_EQ(page->concerns[1].status, "closed");
    EXPECT_EQ(page->concerns[1].response, "Nous vous appellerons la veille de chaque rendez-vous.");
    EXPECT_TRUE(page->may_raise_concerns);
    EXPECT_TRUE(page->may_request_records);
}

TEST_F(FamilyRequestsStore, RecordsRequestsLandInThePrivacyOfficesRegisterWithTheirClock) {
    const auto m = marie();
    const Date today = date_of(clock_.now());
    auto made = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& r) {
        return r.raise(lea_, request(d::FamilyRequestKind::correction, std::nullopt, "Le nom de l'école est erroné."));
    });
    ASSERT_TRUE(made) << made.error().message_key;
    EXPECT_TRUE(made->records_request);
    EXPECT_EQ(made->due.iso(), add_days(today, 30).iso());
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ? AND person_id = ?", {m.user_id, lea_});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests WHERE id = ? AND person_id = ? AND kind = 'correction' AND "
                     "requester_relationship = 'parent' AND status = 'open' AND received_on = ? AND due_on = ? AND "
                     "family_access_id = ? AND created_by = ? AND organisation_id = "
                     "(SELECT coordinating_agency_id FROM people WHERE id = ?)",
                     {made->id, lea_, today.iso(), add_days(today, 30).iso(), access, m.user_id, lea_}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE entity = 'privacy_request' AND entity_id = ?", {made->id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category = 'identity_contact' "
                     "AND action = 'create' AND decision = 'permit'",
                     {m.user_id, lea_}),
              1);
    // The privacy officer finds it in the register, on the clock, and extends it.
    auto listed = as<PrivacyOfficeRepo>(officer_, [&](PrivacyOfficeRepo& r) { return r.list_requests(50, 0); });
    ASSERT_TRUE(listed) << listed.error().message_key;
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].id, made->id);
    EXPECT_EQ((*listed)[0].due.iso(), add_days(today, 30).iso());
    ASSERT_TRUE(as<PrivacyOfficeRepo>(officer_, [&](PrivacyOfficeRepo& r) {
        return r.extend_request(made->id, {"10", "Consultation du centre de traitement."});
    }));
    // The family sees where it stands: extended, due ten days later.
    auto page = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& r) { return r.mine(lea_); });
    ASSERT_TRUE(page);
    ASSERT_EQ(page->records_requests.size(), 1u);
    EXPECT_EQ(page->records_requests[0].status, "extended");
    EXPECT_EQ(page->records_requests[0].due.iso(), add_days(today, 40).iso());
    EXPECT_EQ(page->records_requests[0].description, "Le nom de l'école est erroné.");
    // The youth's own request names the youth; a family member's, their relationship.
    EXPECT_EQ(d::requester_for(d::FamilyRelation::self, std::nullopt), d::Requester::child_youth);
}

TEST_F(FamilyRequestsStore, AnotherFamilysFileAndStaffOnTheFamilysSideAreRefusedOnRecordAndWriteNothing) {
    const auto m = marie();
    // Another family's account: a parent on Sam's file.
    const auto chris = family_account(sam_, actor("coord4@demo.arrimage.invalid"), "HB4THB4THB4T", "fam-chris001");
    ASSERT_NE(chris.user_id, 0);
    const auto concern = request(d::FamilyRequestKind::concern, d::ConcernAddressee::agency, "Une préoccupation.");
    // Sam's parent on Léa's file: as if it did not exist, on record, nothing written.
    auto before = denials(chris, lea_);
    auto r = as<FamilyRequestRepo>(chris, [&](FamilyRequestRepo& repo) { return repo.raise(lea_, concern); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(denials(chris, lea_), before + 1);
    auto page = as<FamilyRequestRepo>(chris, [&](FamilyRequestRepo& repo) { return repo.mine(lea_); });
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, Errc::NotFound);
    EXPECT_EQ(denials(chris, lea_), before + 2);
    // Marie on Noah's file likewise.
    before = denials(m, noah_);
    r = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& repo) { return repo.raise(noah_, concern); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(denials(m, noah_), before + 1);
    // Staff do not raise the family's concerns for them.
    before = denials(keeper_, lea_);
    r = as<FamilyRequestRepo>(keeper_, [&](FamilyRequestRepo& repo) { return repo.raise(lea_, concern); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(keeper_, lea_), before + 1);
    EXPECT_EQ(written(), 0);
    // The staff side: the team, the privacy officer and a stranger are refused on record.
    for (const auto& who : {team_, officer_, stranger_}) {
        before = denials(who, lea_);
        auto seen = as<FamilyRequestRepo>(who, [&](FamilyRequestRepo& repo) { return repo.for_file(lea_); });
        ASSERT_FALSE(seen) << who.user_id;
        EXPECT_EQ(seen.error().code, who.user_id == stranger_.user_id ? Errc::NotFound : Errc::Forbidden);
        EXPECT_EQ(denials(who, lea_), before + 1);
    }
    // And the family does not answer its own concerns.
    auto made = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& repo) { return repo.raise(lea_, concern); });
    ASSERT_TRUE(made);
    auto self_answer = as<FamilyRequestRepo>(
        m, [&](FamilyRequestRepo& repo) { return repo.answer(lea_, made->id, d::ConcernEvent::close, "Réglé."); });
    ASSERT_FALSE(self_answer);
    EXPECT_EQ(self_answer.error().code, Errc::Forbidden);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concerns WHERE status = 'received'"), 1);
}

TEST_F(FamilyRequestsStore, BadInputChangesNothing) {
    const auto m = marie();
    const auto before = testsupport::snapshot_tables(*t_->db);
    // A concern without anyone to address it to, an empty description: field errors, no row, no audit.
    auto r = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& repo) {
        return repo.raise(lea_, request(d::FamilyRequestKind::complaint, std::nullopt, "x"));
    });
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "addressed_to");
    r = as<FamilyRequestRepo>(
        m, [&](FamilyRequestRepo& repo) { return repo.raise(lea_, request(d::FamilyRequestKind::access, std::nullopt, "")); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields[0].field, "description");
    // A concern that does not exist, answered by its coordinator: not found, nothing written.
    auto a = as<FamilyRequestRepo>(
        keeper_, [&](FamilyRequestRepo& repo) { return repo.answer(lea_, 999999, d::ConcernEvent::close, "Vu."); });
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, Errc::NotFound);
    EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before);
}

TEST_F(FamilyRequestsStore, WithoutAuthorityNothingAndACapableYouthDecidesAboutTheirRecords) {
    const auto m = marie();
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {m.user_id});
    ASSERT_TRUE(as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.set_authority(lea_, access, false); }));
    auto r = as<FamilyRequestRepo>(m, [&](FamilyRequestRepo& repo) {
        return repo.raise(lea_, request(d::FamilyRequestKind::concern, d::ConcernAddressee::coordinator, "Une question."));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(m, lea_, "no_authority"), 1);

    // Sam is capable of deciding: Jamie, who cares for him, may raise a concern, not ask for his records.
    const auto jamie = family_account(sam_, actor("coord4@demo.arrimage.invalid"), "HB4THB4THB4T", "fam-jamie001");
    auto page = as<FamilyRequestRepo>(jamie, [&](FamilyRequestRepo& repo) { return repo.mine(sam_); });
    ASSERT_TRUE(page) << page.error().message_key;
    EXPECT_TRUE(page->may_raise_concerns);
    EXPECT_FALSE(page->may_request_records);
    EXPECT_EQ(page->records_refusal, "privacy.reason.youth_decides");
    auto records = as<FamilyRequestRepo>(jamie, [&](FamilyRequestRepo& repo) {
        return repo.raise(sam_, request(d::FamilyRequestKind::access, std::nullopt, "Une copie du dossier."));
    });
    ASSERT_FALSE(records);
    EXPECT_EQ(records.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(jamie, sam_, "youth_decides"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests"), 0);
    ASSERT_TRUE(as<FamilyRequestRepo>(jamie, [&](FamilyRequestRepo& repo) {
        return repo.raise(sam_, request(d::FamilyRequestKind::concern, d::ConcernAddressee::coordinator, "Une question."));
    }));
}
