// The family's own access against SQLite (label db) and PostgreSQL (label pg), on the demo data
// (Léa Démo-Tremblay's file: coord1 its assigned coordinator, her mother Marie its family member;
// Noah Demo-Smith's file another family's): the coordinator invites, the family member joins with
// the code once, reads the plan without its safety notes and signs a version; a stale signature,
// a spent or expired code, another family's file, staff signing and a family member whose
// authority was withdrawn are refused, on record, and change nothing.
#include <gtest/gtest.h>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "db/test_support.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class FamilyStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        lea_ = scalar("SELECT id FROM people WHERE given_name = 'Léa'");
        noah_ = scalar("SELECT id FROM people WHERE given_name = 'Noah'");
        marie_ = scalar("SELECT id FROM family_members WHERE person_id = ? AND given_name = 'Marie'", {lea_});
        keeper_ = actor("coord1@demo.arrimage.invalid");
        team_ = actor("staff.ctc@demo.arrimage.invalid");
        stranger_ = actor("coord3@demo.arrimage.invalid");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    template <typename Repo, typename F>
    auto as(const d::Actor& who, F f) {
        auto tx = t_->db->begin(TxMode::write);
        Repo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        auto out = f(repo);
        tx->commit();
        return out;
    }
    template <typename F>
    auto anonymous(F f) {
        auto tx = t_->db->begin(TxMode::write);
        FamilyRepo repo(testsupport::AccessForTests::anonymous(*tx, clock_, "test"));
        auto out = f(repo);
        tx->commit();
        return out;
    }
    d::Invite invite_marie(bool authority = true) {
        d::Invite in;
        in.relation = d::FamilyRelation::family_of;
        in.family_member_id = marie_;
        in.authority = authority;
        in.delivery = d::InviteDelivery::print;
        return in;
    }
    // Marie, invited by the coordinator and joined: her family account.
    d::Actor marie_account(const std::string& code = "K7M3Q9X2HB4T") {
        auto issued =
            as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.invite(lea_, invite_marie(), code, "fam-marie001"); });
        EXPECT_TRUE(issued) << issued.error().message_key;
        auto joined = anonymous([&](FamilyRepo& r) {
            return r.join({code, "Marie", Lang::fr}, "a long family password",
                          hash_password("a long family password", PasswordHashCost::minimum()));
        });
        EXPECT_TRUE(joined) << joined.error().message_key;
        return {joined ? *joined : 0, 0, d::Role::family};
    }
    std::int64_t audit_rows(const std::string& where, const Params& p) {
        return scalar("SELECT COUNT(*) FROM audit_events WHERE " + where, p);
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t lea_ = 0, noah_ = 0, marie_ = 0;
    d::Actor keeper_, team_, stranger_;
};

TEST_F(FamilyStore, OnlyTheFilesCoordinatorInvitesAndTheRefusalsAreOnRecord) {
    for (const auto& who : {team_, stranger_}) {
        const auto before = audit_rows("user_id = ? AND person_id = ? AND decision = 'deny'", {who.user_id, lea_});
        auto r =
            as<FamilyRepo>(who, [&](FamilyRepo& repo) { return repo.invite(lea_, invite_marie(), "K7M3Q9X2HB4T", "fam-x"); });
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, who.user_id == team_.user_id ? Errc::Forbidden : Errc::NotFound);
        EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND decision = 'deny'", {who.user_id, lea_}), before + 1);
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_invitations"), 0);
    // A family member of another file is not one to invite here.
    auto other = scalar("SELECT id FROM family_members WHERE person_id = ?", {noah_});
    auto in = invite_marie();
    in.family_member_id = other;
    auto r = as<FamilyRepo>(keeper_, [&](FamilyRepo& repo) { return repo.invite(lea_, in, "K7M3Q9X2HB4T", "fam-x"); });
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "member");
    // The coordinator sees the file's family and invites.
    auto fam = as<FamilyRepo>(keeper_, [&](FamilyRepo& repo) { return repo.for_file(lea_); });
    ASSERT_TRUE(fam);
    ASSERT_FALSE(fam->members.empty());
    EXPECT_EQ(fam->members[0].name, "Marie");
    auto issued =
        as<FamilyRepo>(keeper_, [&](FamilyRepo& repo) { return repo.invite(lea_, invite_marie(), "K7M3Q9X2HB4T", "fam-x"); });
    ASSERT_TRUE(issued);
    EXPECT_EQ(issued->name, "Marie");
    EXPECT_EQ(issued->lang, Lang::fr);
    // Only its hash is kept.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_invitations WHERE code_hash = ?", {std::string("K7M3Q9X2HB4T")}), 0);
}

TEST_F(FamilyStore, TheCodeIsSingleUseAndExpires) {
    // Expired: fifteen days later, refused on record; cancelled likewise.
    ASSERT_TRUE(
        as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.invite(lea_, invite_marie(), "HB4THB4THB4T", "fam-late0001"); }));
    clock_.advance(std::chrono::hours(24 * 15));
    auto before = audit_rows("person_id = ? AND user_id IS NULL AND decision = 'deny'", {lea_});
    auto late = anonymous([&](FamilyRepo& r) { return r.invitation("HB4THB4THB4T"); });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().fields[0].message_key, "family.error.code_expired");
    EXPECT_EQ(audit_rows("person_id = ? AND user_id IS NULL AND decision = 'deny'", {lea_}), before + 1);
    // Joined once with a fresh code.
    const auto marie = marie_account();
    ASSERT_NE(marie.user_id, 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE id = ? AND kind = 'family' AND email = 'fam-marie001'", {marie.user_id}),
              1);
    {
        auto tx = t_->db->begin(TxMode::read);
        const auto p = IdentityRepo(*tx, clock_).principal_of(marie.user_id);
        EXPECT_TRUE(p.family);
        EXPECT_TRUE(p.grants.empty());
    }
    // Used: refused, on record against the file, nothing created.
    before = audit_rows("person_id = ? AND user_id IS NULL AND decision = 'deny'", {lea_});
    auto again = anonymous([&](FamilyRepo& r) { return r.join({"K7M3Q9X2HB4T", "Marie", Lang::fr}, "x", "x"); });
    ASSERT_FALSE(again);
    ASSERT_EQ(again.error().fields.size(), 1u);
    EXPECT_EQ(again.error().fields[0].message_key, "family.error.code_used");
    EXPECT_EQ(audit_rows("person_id = ? AND user_id IS NULL AND decision = 'deny'", {lea_}), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_access"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE kind = 'family'"), 1);
    // Unknown: a field error, nothing learnt.
    auto unknown = anonymous([&](FamilyRepo& r) { return r.invitation("ZZZZZZZZZZZZ"); });
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().fields[0].message_key, "family.error.code_unknown");
}

TEST_F(FamilyStore, TheFamilyReadsAndSignsThePlanAndNothingElse) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    const auto marie = marie_account();
    // Her files: Léa's, by her given name.
    auto files = as<FamilyRepo>(marie, [&](FamilyRepo& r) { return r.my_files(); });
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].given_name, "Léa");
    EXPECT_TRUE(files[0].permitted);
    // The plan, without the safety notes (the team's).
    auto plan = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(plan) << plan.error().message_key;
    EXPECT_TRUE(std::find(plan->withheld_sections.begin(), plan->withheld_sections.end(), d::Section::safety) !=
                plan->withheld_sections.end());
    EXPECT_EQ(
        audit_rows("user_id = ? AND person_id = ? AND category = 'plan' AND reason = 'family_access'", {marie.user_id, lea_}), 1);
    // Another family's file: as if it did not exist.
    auto other = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.read(noah_); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::NotFound);
    // A stale version: a field error, nothing signed.
    const int v = plan->version;
    auto stale = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.sign(lea_, {v + 1, d::SignatureDecision::agreed, ""}); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().fields[0].message_key, "plan.error.signature_stale");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_signatures"), 0);
    // Staff do not sign for the family.
    auto staff = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.sign(lea_, {v, d::SignatureDecision::agreed, ""}); });
    ASSERT_FALSE(staff);
    EXPECT_EQ(staff.error().code, Errc::Forbidden);
    // Signed; the coordinator sees it, and the plan is agreed at that version.
    ASSERT_TRUE(as<PlanRepo>(marie, [&](PlanRepo& r) {
        return r.sign(lea_, {v, d::SignatureDecision::changes_asked, "Ajouter le soccer du samedi."});
    }));
    ASSERT_TRUE(as<PlanRepo>(marie, [&](PlanRepo& r) { return r.sign(lea_, {v, d::SignatureDecision::agreed, ""}); }));
    auto seen = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen);
    ASSERT_EQ(seen->signatures.size(), 2u);
    EXPECT_EQ(seen->signatures[1].comment, "Ajouter le soccer du samedi.");
    EXPECT_EQ(seen->signatures[0].decision, "agreed");
    EXPECT_EQ(seen->signatures[0].signer_name, "Marie");
    EXPECT_EQ(seen->agreed_version, v);
    // A court order: the coordinator withdraws her authority; she is refused on her next request.
    auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {marie.user_id});
    ASSERT_TRUE(as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.set_authority(lea_, access, false); }));
    auto refused = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Forbidden);
    EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND reason = 'no_authority'", {marie.user_id, lea_}), 1);
    files = as<FamilyRepo>(marie, [&](FamilyRepo& r) { return r.my_files(); });
    ASSERT_EQ(files.size(), 1u);
    EXPECT_FALSE(files[0].permitted);
    EXPECT_TRUE(files[0].given_name.empty());
    // Ended: the file is gone from her account.
    ASSERT_TRUE(as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.end_access(lea_, access); }));
    EXPECT_TRUE(as<FamilyRepo>(marie, [&](FamilyRepo& r) { return r.my_files(); }).empty());
    auto gone = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::NotFound);
}

TEST_F(FamilyStore, AFamilyAccountNeverHoldsAStaffRole) {
    const auto marie = marie_account();
    auto tx = t_->db->begin(TxMode::write);
    IdentityRepo ids(*tx, clock_);
    d::Membership m;
    m.organisation_id = keeper_.organisation_id;
    m.role = d::Role::coordinator;
    auto r = ids.add_membership(marie.user_id, m, keeper_.user_id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Forbidden);
    // Nor does an administrator's user list show it.
    auto admin = ids.principal_of(scalar("SELECT id FROM users WHERE email = 'sysadmin@demo.arrimage.invalid'"));
    EXPECT_FALSE(ids.find_user_for(admin, marie.user_id).has_value());
}

TEST_F(FamilyStore, AnAuthorityWithdrawnIsNotRegainedWithAnotherInvitation) {
    // Two invitations for Marie: she joins with the second; the first is still pending.
    ASSERT_TRUE(
        as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.invite(lea_, invite_marie(), "AAAAAAAAAAAA", "fam-aaaa0001"); }));
    const auto marie = marie_account();
    // Joining the file was itself put on record.
    EXPECT_EQ(audit_rows("person_id = ? AND user_id IS NULL AND reason = 'family_access'", {lea_}), 1);
    // The first invitation gives a second account nothing: one access per person invited.
    auto second = anonymous([&](FamilyRepo& r) {
        return r.join({"AAAAAAAAAAAA", "Marie", Lang::fr}, "x",
                      hash_password("another family password", PasswordHashCost::minimum()));
    });
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().fields[0].message_key, "family.error.already_has_access");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE kind = 'family'"), 1);
    // A court order: her authority is withdrawn; the pending invitation goes with it.
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {marie.user_id});
    ASSERT_TRUE(as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.set_authority(lea_, access, false); }));
    auto old = anonymous([&](FamilyRepo& r) { return r.invitation("AAAAAAAAAAAA"); });
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().fields[0].message_key, "family.error.code_used");
    // Nor is she invited again while her access stands.
    auto again =
        as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.invite(lea_, invite_marie(), "BBBBBBBBBBBB", "fam-bbbb0001"); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().fields[0].message_key, "family.error.already_has_access");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_access WHERE authority = 1"), 0);
}

TEST_F(FamilyStore, AFamilyAccountWritesNothingButItsSignatureAndNeverUsesTheRegistry) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    const auto marie = marie_account();
    const auto before = audit_rows("user_id = ? AND person_id = ? AND decision = 'deny'", {marie.user_id, lea_});
    auto goal = as<PlanRepo>(marie, [&](PlanRepo& r) {
        return r.add_goal(lea_, {"Un objectif de la famille.", d::ExpressedBy::family, ""});
    });
    ASSERT_FALSE(goal);
    EXPECT_EQ(goal.error().code, Errc::Forbidden);
    EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND decision = 'deny'", {marie.user_id, lea_}), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals"), 0);
    // The registry does not know a family account: not found, on record.
    auto file = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.read_file(lea_); });
    ASSERT_FALSE(file);
    EXPECT_EQ(file.error().code, Errc::NotFound);
    // A youth the file does not say is capable is not invited to their own file.
    d::Invite self;
    self.relation = d::FamilyRelation::self;
    auto r = as<FamilyRepo>(keeper_, [&](FamilyRepo& repo) { return repo.invite(lea_, self, "CCCCCCCCCCCC", "fam-cccc0001"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields[0].message_key, "family.error.youth_not_capable");
}
