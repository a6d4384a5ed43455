// The family's own access against SQLite (label db) and PostgreSQL (label pg), on the demo data
// (Léa Démo-Tremblay's file: coord1 its assigned coordinator, her mother Marie its family member;
// Noah Demo-Smith's file another family's): the coordinator invites, the family member joins with
// the code once, reads the plan without its safety notes, signs a version and writes the team
// notes on its goals (which the coordinator reads under each goal); a stale signature, a goal of
// another plan, a spent or expired code, another family's file, staff signing or writing the
// family's notes and a family member whose authority was withdrawn are refused, on record, and
// change nothing. The family keeps the file's
// consent on its own pages (withdraws or narrows a permit, withholds a category: the team is
// refused on its next request), and Sam Demo-Martin, a capable youth (coord4 his coordinator,
// Jamie his caregiver), decides for himself: what Jamie sees, and his consent, which Jamie may
// read but not change.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "db/test_support.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"
#include "store/privacy_office_repo.hpp"

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
        sam_ = scalar("SELECT id FROM people WHERE given_name = 'Sam'");
        sam_keeper_ = actor("coord4@demo.arrimage.invalid");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    template <typename Repo, typename F>
    auto as(const d::Actor& who, F f) {
        return testsupport::run_as<Repo>(*t_->db, clock_, who, std::move(f));
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
    // Refusals on record for `who` on a file (with this reason when one is given).
    std::int64_t denials(const d::Actor& who, std::int64_t person_id, const std::string& reason = "") {
        return reason.empty() ? audit_rows("user_id = ? AND person_id = ? AND decision = 'deny'", {who.user_id, person_id})
                              : audit_rows("user_id = ? AND person_id = ? AND decision = 'deny' AND reason = ?",
                                           {who.user_id, person_id, reason});
    }
    // Someone invited to a file by its coordinator and joined with `code`: their family account.
    d::Actor joined(std::int64_t person_id, const d::Actor& coordinator, const d::Invite& in, const std::string& code,
                    const std::string& login) {
        auto issued = as<FamilyRepo>(coordinator, [&](FamilyRepo& r) { return r.invite(person_id, in, code, login); });
        EXPECT_TRUE(issued) << issued.error().message_key;
        auto account = anonymous([&](FamilyRepo& r) {
            return r.join({code, "Famille", Lang::en}, "a long family password",
                          hash_password("a long family password", PasswordHashCost::minimum()));
        });
        EXPECT_TRUE(account) << account.error().message_key;
        return {account ? *account : 0, 0, d::Role::family};
    }
    // Sam himself (capable of deciding), and Jamie, who cares for him, with authority to act.
    d::Actor sam_account() {
        d::Invite in;
        in.relation = d::FamilyRelation::self;
        return joined(sam_, sam_keeper_, in, "SAMQ9X2HB4TK", "fam-sam00001");
    }
    d::Actor jamie_account() {
        d::Invite in;
        in.family_member_id = scalar("SELECT id FROM family_members WHERE person_id = ? AND given_name = 'Jamie'", {sam_});
        in.authority = true;
        return joined(sam_, sam_keeper_, in, "JAMQ9X2HB4TK", "fam-jamie001");
    }
    // The file's permit in effect (the demo gives each file one).
    std::int64_t permit_of(std::int64_t person_id) {
        return scalar("SELECT MIN(id) FROM consent_directives WHERE person_id = ? AND effect = 'permit' AND withdrawn_at IS NULL",
                      {person_id});
    }
    std::int64_t withdrawn(std::int64_t directive_id) {
        return scalar("SELECT COUNT(*) FROM consent_directives WHERE id = ? AND withdrawn_at IS NOT NULL", {directive_id});
    }
    // The treatment centre, on Léa's team.
    std::int64_t ctc() const { return team_.organisation_id; }
    static d::NarrowForm keep(std::vector<std::string> categories, std::vector<std::string> organisations) {
        return {std::move(categories), std::move(organisations)};
    }
    static std::vector<std::string> all_consentable() {
        std::vector<std::string> out;
        for (auto c : d::consentable_categories()) out.push_back(std::string(d::code(c)));
        return out;
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t lea_ = 0, noah_ = 0, marie_ = 0, sam_ = 0;
    d::Actor keeper_, team_, stranger_, sam_keeper_;
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

// ---- the family's notes to the team

TEST_F(FamilyStore, TheFamilyWritesNotesOnTheGoalsThatTheTeamReadsUnderEachGoal) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    auto goal = as<PlanRepo>(keeper_, [&](PlanRepo& r) {
        return r.add_goal(lea_, {"Léa lit seule le soir.", d::ExpressedBy::child, ""});
    });
    ASSERT_TRUE(goal) << goal.error().message_key;
    const auto marie = marie_account();
    const auto version = scalar("SELECT version FROM plans WHERE person_id = ?", {lea_});
    // On the goal, then on the plan as a whole.
    auto note = as<PlanRepo>(marie, [&](PlanRepo& r) {
        return r.add_family_note(lea_, {*goal, "Elle a lu trois livres ce mois-ci."});
    });
    ASSERT_TRUE(note) << note.error().message_key;
    ASSERT_TRUE(as<PlanRepo>(marie, [&](PlanRepo& r) {
        return r.add_family_note(lea_, {std::nullopt, "Merci à toute l'équipe."});
    }));
    EXPECT_EQ(scalar("SELECT version FROM plans WHERE person_id = ?", {lea_}), version) << "a note is not a change of the plan";
    EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND category = 'plan' AND action = 'create' AND decision = 'permit'",
                         {marie.user_id, lea_}),
              2);
    // The coordinator reads them, newest first, each with its goal and who wrote it.
    auto seen = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen) << seen.error().message_key;
    ASSERT_EQ(seen->family_notes.size(), 2u);
    EXPECT_EQ(seen->family_notes[0].goal_id, 0);
    EXPECT_EQ(seen->family_notes[0].note, "Merci à toute l'équipe.");
    EXPECT_EQ(seen->family_notes[1].goal_id, *goal);
    EXPECT_EQ(seen->family_notes[1].note, "Elle a lu trois livres ce mois-ci.");
    EXPECT_EQ(seen->family_notes[1].author_name, "Marie");
    EXPECT_EQ(seen->family_notes[1].relation, "family_of");
    EXPECT_EQ(seen->family_notes[1].relationship, "parent");
    // Marie reads them on her page too.
    auto hers = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(hers) << hers.error().message_key;
    EXPECT_EQ(hers->family_notes.size(), 2u);

    // Staff do not write the family's notes: refused, on record, nothing written.
    const auto denied = denials(keeper_, lea_);
    auto staff = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.add_family_note(lea_, {*goal, "Écrit par l'équipe."}); });
    ASSERT_FALSE(staff);
    EXPECT_EQ(staff.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(keeper_, lea_), denied + 1);
    // A goal of another plan (Sam's): a field error, nothing written.
    ASSERT_TRUE(as<PlanRepo>(sam_keeper_, [&](PlanRepo& r) { return r.create(sam_); }));
    auto sams = as<PlanRepo>(sam_keeper_, [&](PlanRepo& r) {
        return r.add_goal(sam_, {"Sam finit sa 10e année.", d::ExpressedBy::child, ""});
    });
    ASSERT_TRUE(sams) << sams.error().message_key;
    auto other = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.add_family_note(lea_, {*sams, "Sur le mauvais plan."}); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::Invalid);
    ASSERT_EQ(other.error().fields.size(), 1u);
    EXPECT_EQ(other.error().fields[0].field, "goal");
    EXPECT_EQ(other.error().fields[0].message_key, "field.choose_from_list");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_family_notes"), 2);

    // Sam writes on his own plan as the youth; Jamie, from whom Sam keeps his plan, is refused.
    const auto sam = sam_account();
    const auto jamie = jamie_account();
    ASSERT_TRUE(as<PlanRepo>(sam, [&](PlanRepo& r) { return r.add_family_note(sam_, {*sams, "J'ai eu B en maths."}); }));
    const auto jamies = scalar("SELECT id FROM family_access WHERE user_id = ?", {jamie.user_id});
    ASSERT_TRUE(as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.set_withheld(sam_, jamies, {d::Category::plan}); }));
    auto kept = as<PlanRepo>(jamie, [&](PlanRepo& r) { return r.add_family_note(sam_, {std::nullopt, "Bravo Sam."}); });
    ASSERT_FALSE(kept);
    EXPECT_EQ(kept.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(jamie, sam_, "youth_withheld"), 1);
    auto sams_plan = as<PlanRepo>(sam_keeper_, [&](PlanRepo& r) { return r.read(sam_); });
    ASSERT_TRUE(sams_plan) << sams_plan.error().message_key;
    ASSERT_EQ(sams_plan->family_notes.size(), 1u);
    EXPECT_EQ(sams_plan->family_notes[0].goal_id, *sams);
    EXPECT_EQ(sams_plan->family_notes[0].relation, "self");

    // A closed plan takes no more notes.
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.transition(lea_, {d::PlanEvent::close, "Fin du suivi."}); }));
    auto closed = as<PlanRepo>(marie, [&](PlanRepo& r) { return r.add_family_note(lea_, {std::nullopt, "Encore une note."}); });
    ASSERT_FALSE(closed);
    EXPECT_EQ(closed.error().code, Errc::Conflict);
    EXPECT_EQ(closed.error().message_key, "plan.error.closed");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_family_notes"), 3);
}

// ---- the family's own consent pages

TEST_F(FamilyStore, TheFamilySeesTheConsentInEffectAndMayChangeIt) {
    const auto marie = marie_account();
    const auto permit = permit_of(lea_);
    ASSERT_NE(permit, 0);
    auto record = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_consent(lea_); });
    ASSERT_TRUE(record) << record.error().message_key;
    EXPECT_TRUE(record->may_change);
    EXPECT_TRUE(record->change_refusal.empty());
    EXPECT_EQ(record->given_name, "Léa");
    // The file's own record: its permit, and the school information kept from the treatment centre.
    EXPECT_EQ(record->directives.size(), 1u) << "the family's page shows the file's consent";
    if (!record->directives.empty()) {
        EXPECT_EQ(record->directives[0].id, permit);
    }
    EXPECT_EQ(record->lockbox.size(), 1u) << "the family's page shows what is withheld";
    if (!record->lockbox.empty()) {
        EXPECT_EQ(record->lockbox[0].organisation_id, ctc());
        EXPECT_EQ(record->lockbox[0].category, d::Category::education);
    }
    EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND category = 'identity_contact' AND action = 'read' AND "
                         "decision = 'permit' AND reason = 'family_access'",
                         {marie.user_id, lea_}),
              1);
}

TEST_F(FamilyStore, AWithdrawalByTheFamilyRefusesTheTeamOnItsNextRequest) {
    const auto marie = marie_account();
    const auto permit = permit_of(lea_);
    ASSERT_NE(permit, 0);
    // On the family's consent, the treatment centre reads the file.
    ASSERT_TRUE(as<PersonRepo>(team_, [&](PersonRepo& r) { return r.read_file(lea_); }));
    ASSERT_TRUE(as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_withdraw(lea_, permit); }));
    EXPECT_EQ(scalar("SELECT withdrawn_by FROM consent_directives WHERE id = ? AND withdrawn_at IS NOT NULL", {permit}),
              marie.user_id);
    clock_.advance(std::chrono::seconds(1));
    const auto before = denials(team_, lea_, "consent_withdrawn");
    auto refused = as<PersonRepo>(team_, [&](PersonRepo& r) { return r.read_file(lea_); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Forbidden);
    EXPECT_GT(denials(team_, lea_, "consent_withdrawn"), before);
    auto plan = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, Errc::Forbidden);
    // Withdrawn once: nothing left to withdraw.
    auto again = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_withdraw(lea_, permit); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::NotFound);
}

TEST_F(FamilyStore, TheFamilyWithdrawsOnlyAPermitAndOnlyOnItsOwnFile) {
    const auto marie = marie_account();
    // The family's refusal to share health information with the treatment centre: withdrawing
    // it would widen access, which is done with the coordinator.
    d::ConsentDirective no;
    no.effect = d::DirectiveEffect::deny;
    no.organisations = {ctc()};
    no.categories = {d::Category::health};
    no.purposes = {d::Purpose::coordination};
    no.given_by_name = "Marie Démo-Tremblay";
    no.given_at = clock_.now() - std::chrono::hours(1);
    auto refusal = as<PersonRepo>(keeper_, [&](PersonRepo& r) { return r.record_directive(lea_, no); });
    ASSERT_TRUE(refusal) << refusal.error().message_key;
    auto r = as<PersonRepo>(marie, [&](PersonRepo& repo) { return repo.family_withdraw(lea_, *refusal); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(withdrawn(*refusal), 0);
    // Another family's consent: as if it did not exist, on record, unchanged.
    const auto noahs = permit_of(noah_);
    ASSERT_NE(noahs, 0);
    const auto before = denials(marie, noah_);
    r = as<PersonRepo>(marie, [&](PersonRepo& repo) { return repo.family_withdraw(noah_, noahs); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(denials(marie, noah_), before + 1);
    EXPECT_EQ(withdrawn(noahs), 0);
    // Nor another file's directive through her own file.
    r = as<PersonRepo>(marie, [&](PersonRepo& repo) { return repo.family_withdraw(lea_, noahs); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(withdrawn(noahs), 0);
}

TEST_F(FamilyStore, NarrowingIsTheNextVersionAndTheOldOneIsWithdrawn) {
    const auto marie = marie_account();
    const auto old = permit_of(lea_);
    ASSERT_NE(old, 0);
    const auto directives = scalar("SELECT COUNT(*) FROM consent_directives");
    // Everything kept: nothing removed, nothing written.
    auto same = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_narrow(lea_, old,
                               keep(all_consentable(), {std::to_string(keeper_.organisation_id), std::to_string(ctc())}));
    });
    ASSERT_FALSE(same);
    ASSERT_EQ(same.error().fields.size(), 1u) << same.error().message_key;
    EXPECT_EQ(same.error().fields[0].message_key, "consent.narrow.nothing_removed");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives"), directives);
    // A directive that does not exist.
    auto unknown = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_narrow(lea_, 999999, keep({"plan"}, {std::to_string(keeper_.organisation_id)}));
    });
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::NotFound);

    // The treatment centre no longer: only the coordinator's organisation is kept.
    auto next = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_narrow(lea_, old, keep(all_consentable(), {std::to_string(keeper_.organisation_id)}));
    });
    ASSERT_TRUE(next) << next.error().message_key;
    EXPECT_EQ(scalar("SELECT version FROM consent_directives WHERE id = ? AND supersedes_id = ? AND withdrawn_at IS NULL "
                     "AND effect = 'permit' AND method = 'electronic' AND given_by = 'substitute_decision_maker' "
                     "AND given_by_name = ?",
                     {*next, old, std::string("Marie Démo-Tremblay")}),
              2);
    EXPECT_EQ(withdrawn(old), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives a JOIN consent_directives b ON b.id = ? "
                     "WHERE a.id = ? AND a.expires_at = b.expires_at AND a.purposes = b.purposes",
                     {old, *next}),
              1)
        << "the narrowed consent keeps its expiry and purposes";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directive_organisations WHERE directive_id = ?", {*next}), 1);
    EXPECT_EQ(scalar("SELECT organisation_id FROM consent_directive_organisations WHERE directive_id = ?", {*next}),
              keeper_.organisation_id);
    clock_.advance(std::chrono::seconds(1));
    auto refused = as<PersonRepo>(team_, [&](PersonRepo& r) { return r.read_file(lea_); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Forbidden);
    EXPECT_TRUE(as<PersonRepo>(keeper_, [&](PersonRepo& r) { return r.read_file(lea_); }));
    // The old version is no longer in effect: not narrowed again.
    auto stale = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_narrow(lea_, old, keep({"plan"}, {std::to_string(keeper_.organisation_id)}));
    });
    ASSERT_FALSE(stale);
    ASSERT_EQ(stale.error().fields.size(), 1u);
    EXPECT_EQ(stale.error().fields[0].field, "directive");
    EXPECT_EQ(stale.error().fields[0].message_key, "consent.narrow.not_in_effect");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives"), directives + 1);
}

TEST_F(FamilyStore, TheFamilyWithholdsACategoryFromAnOrganisation) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    const auto marie = marie_account();
    auto before = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(before);
    EXPECT_FALSE(before->withheld);
    // What the form says of who asked is the account's to say, not the form's.
    auto entry = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_withhold(lea_, {std::to_string(ctc()), "plan", "child_youth", "Nous préférons."});
    });
    ASSERT_TRUE(entry) << entry.error().message_key;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE id = ? AND person_id = ? AND organisation_id = ? AND "
                     "category = 'plan' AND requested_by = 'substitute_decision_maker' AND created_by = ? AND revoked_at IS NULL",
                     {*entry, lea_, ctc(), marie.user_id}),
              1);
    auto after = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->withheld);
    EXPECT_TRUE(after->goals.empty());
    // Already withheld (the demo keeps her school information from the centre): a field error.
    const auto entries = scalar("SELECT COUNT(*) FROM lockbox_entries WHERE person_id = ?", {lea_});
    auto twice = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.family_withhold(lea_, {std::to_string(ctc()), "education", "", ""});
    });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Errc::Invalid);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE person_id = ?", {lea_}), entries);
    // An organisation that is not one of the area's.
    auto nowhere = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_withhold(lea_, {"999999", "health", "", ""}); });
    ASSERT_FALSE(nowhere);
    EXPECT_EQ(nowhere.error().code, Errc::Invalid);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE person_id = ?", {lea_}), entries);
}

TEST_F(FamilyStore, TheYouthDecidesAndTheirParentIsRefusedOnRecord) {
    const auto jamie = jamie_account();
    const auto permit = permit_of(sam_);
    ASSERT_NE(permit, 0);
    // Jamie reads Sam's consent, and is told why he cannot change it.
    auto page = as<PersonRepo>(jamie, [&](PersonRepo& r) { return r.family_consent(sam_); });
    ASSERT_TRUE(page) << page.error().message_key;
    EXPECT_FALSE(page->may_change);
    EXPECT_EQ(page->change_refusal, "privacy.reason.youth_decides");
    const auto before = denials(jamie, sam_, "youth_decides");
    auto w = as<PersonRepo>(jamie, [&](PersonRepo& r) { return r.family_withdraw(sam_, permit); });
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(jamie, sam_, "youth_decides"), before + 1);
    EXPECT_EQ(withdrawn(permit), 0);
    auto n = as<PersonRepo>(jamie, [&](PersonRepo& r) {
        return r.family_narrow(sam_, permit, keep({"plan"}, {std::to_string(sam_keeper_.organisation_id)}));
    });
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().code, Errc::Forbidden);
    auto l = as<PersonRepo>(jamie, [&](PersonRepo& r) {
        return r.family_withhold(sam_, {std::to_string(sam_keeper_.organisation_id), "health", "", ""});
    });
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(jamie, sam_, "youth_decides"), before + 3);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives WHERE person_id = ?", {sam_}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE person_id = ?", {sam_}), 0);

    // Sam withholds his health information from his coordinator's network, as himself.
    const auto sam = sam_account();
    auto own = as<PersonRepo>(sam, [&](PersonRepo& r) { return r.family_consent(sam_); });
    ASSERT_TRUE(own) << own.error().message_key;
    EXPECT_TRUE(own->may_change);
    auto entry = as<PersonRepo>(sam, [&](PersonRepo& r) {
        return r.family_withhold(sam_, {std::to_string(sam_keeper_.organisation_id), "health", "substitute_decision_maker", ""});
    });
    ASSERT_TRUE(entry) << entry.error().message_key;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE id = ? AND person_id = ? AND category = 'health' AND "
                     "requested_by = 'child_youth' AND created_by = ?",
                     {*entry, sam_, sam.user_id}),
              1);
}

TEST_F(FamilyStore, AFamilyMemberWithoutAuthorityChangesNothing) {
    const auto marie = marie_account();
    const auto permit = permit_of(lea_);
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {marie.user_id});
    ASSERT_TRUE(as<FamilyRepo>(keeper_, [&](FamilyRepo& r) { return r.set_authority(lea_, access, false); }));
    const auto before = denials(marie, lea_, "no_authority");
    auto w = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_withdraw(lea_, permit); });
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(marie, lea_, "no_authority"), before + 1);
    EXPECT_EQ(withdrawn(permit), 0);
    auto page = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.family_consent(lea_); });
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, Errc::Forbidden);
}

TEST_F(FamilyStore, StaffAreRefusedOnTheFamilysConsentPagesAndTheFamilyOnTheStaffs) {
    const auto marie = marie_account();
    const auto permit = permit_of(lea_);
    const auto snapshot = [&] {
        return scalar("SELECT COUNT(*) FROM consent_directives") * 1000 +
               scalar("SELECT COUNT(*) FROM consent_directives WHERE withdrawn_at IS NOT NULL") * 100 +
               scalar("SELECT COUNT(*) FROM lockbox_entries");
    };
    const auto unchanged = snapshot();
    // The file's coordinator and its team: the family's pages are not theirs (not found, on record).
    for (const auto& who : {keeper_, team_}) {
        const auto before = denials(who, lea_);
        auto page = as<PersonRepo>(who, [&](PersonRepo& r) { return r.family_consent(lea_); });
        ASSERT_FALSE(page);
        EXPECT_EQ(page.error().code, Errc::NotFound);
        auto w = as<PersonRepo>(who, [&](PersonRepo& r) { return r.family_withdraw(lea_, permit); });
        ASSERT_FALSE(w);
        EXPECT_EQ(w.error().code, Errc::NotFound);
        auto n = as<PersonRepo>(who, [&](PersonRepo& r) { return r.family_narrow(lea_, permit, keep({"plan"}, {"1"})); });
        ASSERT_FALSE(n);
        EXPECT_EQ(n.error().code, Errc::NotFound);
        auto l = as<PersonRepo>(who, [&](PersonRepo& r) {
            return r.family_withhold(lea_, {std::to_string(ctc()), "health", "substitute_decision_maker", ""});
        });
        ASSERT_FALSE(l);
        EXPECT_EQ(l.error().code, Errc::NotFound);
        EXPECT_EQ(denials(who, lea_), before + 4) << who.user_id;
    }
    EXPECT_EQ(snapshot(), unchanged);
    // The family on the staff's pages: no relationship there, on record.
    const auto before = denials(marie, lea_);
    auto record = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.consent_record(lea_); });
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().code, Errc::NotFound);
    auto w = as<PersonRepo>(marie, [&](PersonRepo& r) { return r.withdraw_directive(lea_, permit); });
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, Errc::NotFound);
    auto l = as<PersonRepo>(marie, [&](PersonRepo& r) {
        return r.add_lockbox(lea_, d::LockboxForm{std::to_string(ctc()), "health", "substitute_decision_maker", ""});
    });
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().code, Errc::NotFound);
    EXPECT_EQ(denials(marie, lea_), before + 3);
    EXPECT_EQ(snapshot(), unchanged);
}

// ---- what a capable youth keeps from their family

TEST_F(FamilyStore, ACapableYouthChoosesWhatEachFamilyMemberSees) {
    const auto sam = sam_account();
    const auto jamie = jamie_account();
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {jamie.user_id});
    auto sharing = as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_TRUE(sharing) << sharing.error().message_key;
    ASSERT_EQ(sharing->members.size(), 1u);
    EXPECT_EQ(sharing->members[0].access_id, access);
    EXPECT_EQ(sharing->members[0].name, "Jamie");
    EXPECT_EQ(sharing->members[0].relationship, "other_caregiver");
    EXPECT_TRUE(sharing->members[0].withheld.empty());
    auto plan = as<PlanRepo>(jamie, [&](PlanRepo& r) { return r.read(sam_); });
    ASSERT_TRUE(plan) << plan.error().message_key;
    EXPECT_FALSE(plan->withheld);

    // Sam keeps his plan and his health information from Jamie: Jamie's next read is withheld.
    ASSERT_TRUE(as<FamilyRepo>(sam, [&](FamilyRepo& r) {
        return r.set_withheld(sam_, access, {d::Category::plan, d::Category::health});
    }));
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM family_withholdings WHERE family_access_id = ? AND revoked_at IS NULL AND created_by = ?",
               {access, sam.user_id}),
        2);
    sharing = as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_TRUE(sharing);
    ASSERT_EQ(sharing->members.size(), 1u);
    EXPECT_TRUE(sharing->members[0].withheld == (d::CategorySet{d::Category::plan, d::Category::health}));
    plan = as<PlanRepo>(jamie, [&](PlanRepo& r) { return r.read(sam_); });
    ASSERT_TRUE(plan) << plan.error().message_key;
    EXPECT_TRUE(plan->withheld);
    EXPECT_EQ(audit_rows("user_id = ? AND person_id = ? AND category = 'plan' AND decision = 'permit_withheld' AND "
                         "reason = 'youth_withheld'",
                         {jamie.user_id, sam_}),
              1);
    // Jamie's access report leaves out the accesses to what Sam keeps, page after page: a page
    // is full of rows Jamie may see (nothing says how many were left out).
    std::optional<std::int64_t> page_before;
    int pages = 0;
    do {
        auto report = as<PrivacyOfficeRepo>(
            jamie, [&](PrivacyOfficeRepo& r) { return r.access_report(sam_, 3, std::nullopt, std::nullopt, page_before); });
        ASSERT_TRUE(report) << report.error().message_key;
        for (const auto& e : report->rows) {
            EXPECT_TRUE(e.category != "plan" && e.category != "health") << e.category;
        }
        if (report->truncated) {
            EXPECT_EQ(report->rows.size(), 3u);
        }
        page_before = report->earlier_before;
        ++pages;
    } while (page_before && pages < 100);
    EXPECT_GT(pages, 1);

    // The plan released again, health still kept; the same choice twice writes nothing more.
    ASSERT_TRUE(as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.set_withheld(sam_, access, {d::Category::health}); }));
    ASSERT_TRUE(as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.set_withheld(sam_, access, {d::Category::health}); }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_withholdings WHERE family_access_id = ?", {access}), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_withholdings WHERE family_access_id = ? AND category = 'plan' AND "
                     "revoked_at IS NOT NULL AND revoked_by = ?",
                     {access, sam.user_id}),
              1);
    plan = as<PlanRepo>(jamie, [&](PlanRepo& r) { return r.read(sam_); });
    ASSERT_TRUE(plan);
    EXPECT_FALSE(plan->withheld);
    // Nothing ticked: everything shared again.
    ASSERT_TRUE(as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.set_withheld(sam_, access, {}); }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_withholdings WHERE family_access_id = ? AND revoked_at IS NULL", {access}), 0);
}

TEST_F(FamilyStore, OnlyTheYouthChoosesWhatTheFamilySees) {
    const auto sam = sam_account();
    const auto jamie = jamie_account();
    const auto access = scalar("SELECT id FROM family_access WHERE user_id = ?", {jamie.user_id});
    const auto own = scalar("SELECT id FROM family_access WHERE user_id = ?", {sam.user_id});
    const auto rows = [&] { return scalar("SELECT COUNT(*) FROM family_withholdings"); };
    // Jamie: refused on record, for the page and for a change.
    auto before = denials(jamie, sam_);
    auto page = as<FamilyRepo>(jamie, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, Errc::Forbidden);
    auto set = as<FamilyRepo>(jamie, [&](FamilyRepo& r) { return r.set_withheld(sam_, access, {}); });
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(jamie, sam_), before + 2);
    // Sam: an access that is not a family member's of his file is not found; a category the
    // family does not read beyond identity is a field error; nothing written.
    for (auto id : {std::int64_t{999999}, own}) {
        auto r = as<FamilyRepo>(sam, [&](FamilyRepo& repo) { return repo.set_withheld(sam_, id, {d::Category::plan}); });
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::NotFound) << id;
    }
    auto bad = as<FamilyRepo>(sam, [&](FamilyRepo& r) {
        return r.set_withheld(sam_, access, {d::Category::plan, d::Category::identity_contact});
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::Invalid);
    ASSERT_EQ(bad.error().fields.size(), 1u);
    EXPECT_EQ(bad.error().fields[0].field, "categories");
    EXPECT_EQ(rows(), 0);
    // Another family's member (Marie, on Léa's file) through Sam's file: not found.
    const auto marie = marie_account();
    const auto maries = scalar("SELECT id FROM family_access WHERE user_id = ?", {marie.user_id});
    auto other = as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.set_withheld(sam_, maries, {d::Category::plan}); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::NotFound);
    // Marie on her own child's file: Léa is not capable, so there is nothing for Marie to choose;
    // on Sam's file, no access at all.
    auto hers = as<FamilyRepo>(marie, [&](FamilyRepo& r) { return r.sharing(lea_); });
    ASSERT_FALSE(hers);
    EXPECT_EQ(hers.error().code, Errc::Forbidden);
    before = denials(marie, sam_);
    auto not_hers = as<FamilyRepo>(marie, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_FALSE(not_hers);
    EXPECT_EQ(not_hers.error().code, Errc::NotFound);
    EXPECT_EQ(denials(marie, sam_), before + 1);
    // Staff: not theirs, on record (FamilyRepo::sharing: "as is anyone else"); Sam's coordinator
    // stands to the file, so the refusal is Forbidden, as for any operation not serving them.
    before = denials(sam_keeper_, sam_);
    auto staff = as<FamilyRepo>(sam_keeper_, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_FALSE(staff);
    EXPECT_EQ(staff.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(sam_keeper_, sam_), before + 1) << "a staff account asking for the youth's choices is not on record";
    EXPECT_EQ(rows(), 0);
    // A youth the file no longer says is capable decides nothing here.
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec("UPDATE people SET capable_of_consent = 0 WHERE id = ?", {sam_});
        tx->commit();
    }
    before = denials(sam, sam_, "not_capable");
    auto incapable = as<FamilyRepo>(sam, [&](FamilyRepo& r) { return r.sharing(sam_); });
    ASSERT_FALSE(incapable);
    EXPECT_EQ(incapable.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(sam, sam_, "not_capable"), before + 1);
}
