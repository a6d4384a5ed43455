// The intake repository against SQLite (label db) and PostgreSQL (label pg), on the demo data:
// the agency that accepted a referral opens its intake, records the family's story once, and
// decides against the area's rules; every look is decided and audited with the referral's id;
// nobody else sees it; a stale form changes nothing; the area's rules are configuration.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/demo_data.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class IntakeStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        // Without the demo's referrals: these tests count referrals and audit rows from none.
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        developmental_ = scalar(
            "SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'");
        agency_ = actor("coord.ca@demo.arrimage.invalid");
        admin_ = actor("ca.admin@demo.arrimage.invalid");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    template <typename Repo, typename F>
    auto as(std::optional<d::Actor> who, F f) {
        return testsupport::run_as<Repo>(*t_->db, clock_, who, std::move(f));
    }
    // A public referral along the developmental pathway, accepted by the agency.
    std::int64_t accepted_referral(const Date& dob = Date{2016, 4, 3}) {
        d::Referral r;
        r.pathway_id = developmental_;
        r.source = d::ReferralSource::family;
        r.given_name = "Zoé";
        r.family_name = "Essai-Accueil";
        r.date_of_birth = dob;
        r.official_language = Lang::fr;
        r.contact.given_name = "Ana";
        r.contact.family_name = "Essai-Accueil";
        r.contact.phone = "+1 613-555-0199";
        r.needs = "Besoins en développement.";
        auto made = as<ReferralRepo>(std::nullopt, [&](ReferralRepo& repo) { return repo.submit(r, {}, bits_++); });
        EXPECT_TRUE(made);
        EXPECT_TRUE(as<ReferralRepo>(agency_, [&](ReferralRepo& repo) { return repo.accept(made->id, ""); }));
        return made->id;
    }
    std::int64_t open(std::int64_t referral_id) {
        auto id = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.open(referral_id); });
        EXPECT_TRUE(id) << (id ? "" : id.error().message_key);
        return id ? *id : 0;
    }
    int version(std::int64_t intake_id) {
        return static_cast<int>(scalar("SELECT version FROM intakes WHERE id = ?", {intake_id}));
    }
    static d::Story story(std::vector<d::Sector> sectors = {d::Sector::education, d::Sector::health}) {
        d::Story s;
        s.story = "Zoé aime dessiner; l'école et la santé nous inquiètent.";
        s.strengths = "Curieuse.";
        s.in_school = true;
        s.sectors = std::move(sectors);
        return s;
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t developmental_ = 0;
    d::Actor agency_, admin_;
    std::uint64_t bits_ = 777;
};

TEST_F(IntakeStore, TheAgencyOpensRecordsTheStoryOnceAndDecides) {
    const auto referral = accepted_referral();
    const auto id = open(referral);
    ASSERT_GT(id, 0);
    EXPECT_EQ(open(referral), id) << "a second open finds the intake already open";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE referral_id = ?", {referral}), 1);

    auto queue = as<IntakeRepo>(agency_, [](IntakeRepo& r) { return r.queue(d::IntakeStatus::in_intake, 50, 0); });
    ASSERT_TRUE(queue);
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ(queue->front().family_name, "Essai-Accueil");

    // Deciding eligible before the story is recorded is refused by the table's guard.
    auto early = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.decide(id, {true, "Besoins multiples."}, version(id)); });
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().message_key, "intake.refused.rules_not_met");

    // A stale form changes nothing.
    const int v = version(id);
    auto stale = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, story(), v - 1); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().message_key, "intake.error.stale");
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, story(), v); }));
    auto again = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, story(), v); });
    ASSERT_FALSE(again) << "the same form sent twice is stale the second time";

    auto read = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.read(id); });
    ASSERT_TRUE(read);
    EXPECT_EQ(read->story.strengths, "Curieuse.");
    EXPECT_EQ(read->story.sectors, (std::vector<d::Sector>{d::Sector::education, d::Sector::health}));
    EXPECT_EQ(read->story.in_school, true);
    EXPECT_FALSE(read->story_recorded_at.empty());
    EXPECT_TRUE(read->may_update);
    EXPECT_EQ(read->status, "in_intake");

    auto decided = as<IntakeRepo>(agency_, [&](IntakeRepo& r) {
        return r.decide(id, {true, "Besoins multiples."}, version(id));
    });
    ASSERT_TRUE(decided) << decided.error().message_key;
    EXPECT_EQ(*decided, d::IntakeStatus::eligible);
    read = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.read(id); });
    EXPECT_EQ(read->status, "eligible");
    EXPECT_EQ(read->decision_reason, "Besoins multiples.");
    ASSERT_EQ(read->events.size(), 2u);
    EXPECT_EQ(read->events[1].event, "decide_eligible");

    // A decided intake's story is closed; deciding twice is refused by the table.
    auto late = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, story(), version(id)); });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().message_key, "intake.error.decided");
    auto twice = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.decide(id, {false, "Non."}, version(id)); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message_key, "lifecycle.not_from_state");

    // Every look and change is audited with the referral's id.
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND category = 'assessments_reports' AND "
                     "decision = 'permit' AND reason = 'referral_intake'",
                     {referral}),
              5);
}

TEST_F(IntakeStore, NobodyElseSeesTheIntake) {
    const auto referral = accepted_referral();
    const auto id = open(referral);
    const auto other = actor("staff.ctc@demo.arrimage.invalid");
    auto seen = as<IntakeRepo>(other, [&](IntakeRepo& r) { return r.read(id); });
    ASSERT_FALSE(seen);
    EXPECT_EQ(seen.error().code, Errc::NotFound);
    auto none = as<IntakeRepo>(other, [&](IntakeRepo& r) { return r.read(id + 1000); });
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Errc::NotFound) << "an intake of someone else and no intake answer alike";
    auto opened = as<IntakeRepo>(other, [&](IntakeRepo& r) { return r.open(referral); });
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, Errc::NotFound);
    // Participant staff have no intake list; another organisation's coordinator sees its own (none).
    auto listed = as<IntakeRepo>(other, [](IntakeRepo& r) { return r.queue(std::nullopt, 50, 0); });
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code, Errc::Forbidden);
    auto provider =
        as<IntakeRepo>(actor("coord1@demo.arrimage.invalid"), [](IntakeRepo& r) { return r.queue(std::nullopt, 50, 0); });
    ASSERT_TRUE(provider);
    EXPECT_TRUE(provider->empty());
    // The agency's privacy officer oversees the audit, not the story.
    const auto officer = actor("privacy@demo.arrimage.invalid");
    auto officer_read = as<IntakeRepo>(officer, [&](IntakeRepo& r) { return r.read(id); });
    ASSERT_FALSE(officer_read);
    EXPECT_EQ(officer_read.error().code, Errc::Forbidden);
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND decision = 'deny'", {referral}), 2);
    EXPECT_FALSE(as<IntakeRepo>(other, [&](IntakeRepo& r) { return r.of_referral(referral); }));
    EXPECT_EQ(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.of_referral(referral); }), id);
}

TEST_F(IntakeStore, OnlyAnAcceptedReferralHasAnIntake) {
    d::Referral r;
    auto made = as<ReferralRepo>(std::nullopt, [&](ReferralRepo& repo) {
        r.pathway_id = developmental_;
        r.given_name = "Léo";
        r.family_name = "Essai-Reçu";
        r.date_of_birth = Date{2015, 1, 1};
        r.contact.given_name = "Ana";
        r.contact.family_name = "Essai-Reçu";
        r.contact.email = "ana@example.org";
        r.needs = "Besoins.";
        return repo.submit(r, {}, bits_++);
    });
    ASSERT_TRUE(made);
    auto opened = as<IntakeRepo>(agency_, [&](IntakeRepo& repo) { return repo.open(made->id); });
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().message_key, "intake.error.referral_not_accepted");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE referral_id = ?", {made->id}), 0);
}

// An older youth out of school is not eligible: the table refuses eligible; ineligible, then
// re-opened when the family comes back.
TEST_F(IntakeStore, AnIneligibleFamilyCanComeBack) {
    const auto today = date_of(clock_.now());
    const auto id = open(accepted_referral(Date{today.year - 19, 1, 1}));
    auto s = story();
    s.in_school = false;
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, s, version(id)); }));
    auto refused = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.decide(id, {true, "Oui."}, version(id)); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message_key, "intake.refused.rules_not_met");
    auto no = as<IntakeRepo>(agency_, [&](IntakeRepo& r) {
        return r.decide(id, {false, "19 ans, hors de l'école."}, version(id));
    });
    ASSERT_TRUE(no);
    EXPECT_EQ(*no, d::IntakeStatus::ineligible);
    auto stale = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.reopen(id, "", version(id) - 1); });
    ASSERT_FALSE(stale);
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.reopen(id, "Retour à l'école.", version(id)); }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND status = 'in_intake'", {id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intake_events WHERE intake_id = ?", {id}), 3);
}

// The area's rules are configuration: saved, read back, and applied to the decision.
TEST_F(IntakeStore, TheAreasRulesDecide) {
    const auto sda = scalar("SELECT sda_id FROM organisations WHERE id = ?", {agency_.organisation_id});
    std::int64_t criterion = 0;
    {
        auto tx = t_->db->begin(TxMode::write);
        AreaRulesRepo rules(*tx, clock_);
        auto r = rules.rules(sda);
        r.min_sectors = 3;
        rules.save(sda, r, admin_.user_id);
        criterion = rules.add_criterion(sda, {0, "Réside dans la région", "Lives in the area"}, admin_.user_id);
        tx->commit();
    }
    {
        auto tx = t_->db->begin(TxMode::read);
        const auto r = AreaRulesRepo(*tx, clock_).rules(sda);
        EXPECT_EQ(r.min_sectors, 3);
        ASSERT_EQ(r.criteria.size(), 1u);
        EXPECT_EQ(r.criteria[0].text_en, "Lives in the area");
    }
    const auto id = open(accepted_referral());
    auto s = story({d::Sector::education, d::Sector::health, d::Sector::social_services});
    s.answers[criterion] = false;
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, s, version(id)); }));
    EXPECT_FALSE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.decide(id, {true, "Oui."}, version(id)); }));
    s.answers[criterion] = true;
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_story(id, s, version(id)); }));
    EXPECT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.decide(id, {true, "Oui."}, version(id)); }));
    // A retired rule no longer applies; the intake keeps its answer.
    auto tx = t_->db->begin(TxMode::write);
    EXPECT_TRUE(AreaRulesRepo(*tx, clock_).retire_criterion(sda, criterion));
    EXPECT_FALSE(AreaRulesRepo(*tx, clock_).retire_criterion(sda, criterion));
    EXPECT_TRUE(AreaRulesRepo(*tx, clock_).rules(sda).criteria.empty());
    tx->commit();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intake_answers WHERE intake_id = ?", {id}), 1);
}

// ---- the file's way after eligibility: waitlist, assignment, caseload, closure, re-opening

class FileWayStore : public IntakeStore {
  protected:
    // An eligible intake of a new referral (its child born `dob`).
    std::int64_t eligible(const std::string& family) {
        d::Referral r;
        r.pathway_id = developmental_;
        r.source = d::ReferralSource::family;
        r.given_name = "Zoé";
        r.family_name = family;
        r.date_of_birth = Date{2016, 4, 3};
        r.official_language = Lang::fr;
        r.contact.given_name = "Ana";
        r.contact.family_name = family;
        r.contact.email = "ana." + std::to_string(bits_) + "@example.org";
        r.needs = "Besoins en développement.";
        auto made = as<ReferralRepo>(std::nullopt, [&](ReferralRepo& repo) { return repo.submit(r, {}, bits_++); });
        EXPECT_TRUE(made);
        EXPECT_TRUE(as<ReferralRepo>(agency_, [&](ReferralRepo& repo) { return repo.accept(made->id, ""); }));
        const auto id = open(made->id);
        EXPECT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& i) { return i.save_story(id, story(), version(id)); }));
        EXPECT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& i) { return i.decide(id, {true, "Admissible."}, version(id)); }));
        return id;
    }
    // Registers the child's file from the referral and links it, as the registration page does.
    std::int64_t register_file(std::int64_t intake_id, const std::string& family) {
        const auto referral = scalar("SELECT referral_id FROM intakes WHERE id = ?", {intake_id});
        Registration reg;
        reg.person.given_name = "Zoé";
        reg.person.family_name = family;
        reg.person.date_of_birth = Date{2016, 4, 3};
        reg.person.official_language = Lang::fr;
        reg.confirmed_distinct = true;
        d::FamilyMember m;
        m.given_name = "Ana";
        m.family_name = family;
        m.is_substitute_decision_maker = true;
        m.phone = "+1 613-555-0102";
        reg.family.push_back(m);
        auto out = as<PersonRepo>(agency_, [&](PersonRepo& p) { return p.register_person(reg); });
        EXPECT_TRUE(out && out->person_id > 0);
        EXPECT_TRUE(as<ReferralRepo>(agency_, [&](ReferralRepo& r) { return r.link_file(referral, out->person_id); }));
        return out->person_id;
    }
    d::Assignment to(const d::Actor& coordinator, std::string reason = "", std::string over = "") {
        return {coordinator.user_id, coordinator.organisation_id, std::move(reason), std::move(over)};
    }
    std::string status(std::int64_t id) {
        auto tx = t_->db->begin(TxMode::read);
        return tx->query_one("SELECT status FROM intakes WHERE id = ?", {id})->str(0);
    }
};

TEST_F(FileWayStore, AnEligibleFamilyWaitsIsAssignedReassignedClosedAndComesBack) {
    const auto first = eligible("Essai-Attente");
    const auto second = eligible("Essai-Suivante");
    // The waitlist: each family's place, the family told (an email on the referral).
    auto told = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.waitlist(first, "", version(first)); });
    ASSERT_TRUE(told) << told.error().message_key;
    EXPECT_EQ(told->position, 1);
    EXPECT_EQ(told->lang, Lang::fr);
    EXPECT_FALSE(told->email.empty());
    clock_.advance(std::chrono::minutes(1));
    auto next = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.waitlist(second, "Liste pleine.", version(second)); });
    ASSERT_TRUE(next);
    EXPECT_EQ(next->position, 2);
    auto waiting = as<IntakeRepo>(agency_, [](IntakeRepo& r) { return r.queue(d::IntakeStatus::waitlisted, 50, 0); });
    ASSERT_TRUE(waiting);
    ASSERT_EQ(waiting->size(), 2u);
    EXPECT_EQ(waiting->front().id, first) << "the first waiting is first on the list";

    // Assignment needs the child's file: the table's guard says so.
    const auto spc = actor("coord1@demo.arrimage.invalid");
    auto no_file = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(spc), version(first)); });
    ASSERT_FALSE(no_file);
    EXPECT_EQ(no_file.error().message_key, "intake.refused.no_file");
    const auto person = register_file(first, "Essai-Attente");

    // The choices: coordinators of the area with their load; nobody else may be chosen.
    auto choices = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.coordinators(first); });
    ASSERT_FALSE(choices.empty());
    EXPECT_TRUE(std::any_of(choices.begin(), choices.end(), [&](const CoordinatorChoice& c) {
        return c.user_id == spc.user_id && c.organisation_id == spc.organisation_id && c.limit == 25;
    }));
    EXPECT_TRUE(as<IntakeRepo>(spc, [&](IntakeRepo& r) { return r.coordinators(first); }).empty())
        << "only the agency running the intake sees the choices";
    const auto staff = actor("staff.ctc@demo.arrimage.invalid");
    auto stranger = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(staff), version(first)); });
    ASSERT_FALSE(stranger);
    EXPECT_EQ(stranger.error().fields.at(0).message_key, "intake.assign.not_a_choice");
    auto stale = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(spc), version(first) - 1); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().message_key, "intake.error.stale");
    EXPECT_EQ(status(first), "waitlisted") << "a refused assignment changes nothing";

    auto assigned = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(spc), version(first)); });
    ASSERT_TRUE(assigned) << assigned.error().message_key;
    EXPECT_EQ(assigned->coordinator_name, "Alex Exemple");
    EXPECT_EQ(status(first), "assigned");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE person_id = ? AND user_id = ? AND kind = 'assigned_coordinator' "
                     "AND until_at IS NULL",
                     {person, spc.user_id}),
              1)
        << "the coordinator takes the assigned coordinator's place on the file's team";
    auto second_place = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.read(second); });
    ASSERT_TRUE(second_place);
    EXPECT_EQ(second_place->waitlist_position, 1) << "the next family moves up";

    // The coordinator's caseload: the file, its identity withheld until the family's consent
    // reaches the coordinator's organisation, and what is due.
    auto mine = as<IntakeRepo>(spc, [](IntakeRepo& r) { return r.caseload(); });
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_TRUE(mine->front().withheld);
    EXPECT_TRUE(mine->front().given_name.empty());
    ASSERT_EQ(mine->front().due.size(), 3u);
    EXPECT_EQ(mine->front().due[1].key, "first_contact");
    auto before_consent = as<IntakeRepo>(spc, [&](IntakeRepo& r) { return r.read(first); });
    ASSERT_FALSE(before_consent);
    EXPECT_EQ(before_consent.error().code, Errc::Forbidden) << "the coordinator stands to the file but has no consent yet";
    as<PersonRepo>(agency_, [&](PersonRepo& p) {
        d::ConsentDirective c;
        c.organisations = {spc.organisation_id};
        for (auto cat : d::consentable_categories()) c.categories.insert(cat);
        c.purposes = {d::Purpose::coordination};
        c.given_by_name = "Ana Essai-Attente";
        c.given_at = clock_.now() - std::chrono::minutes(1);
        EXPECT_TRUE(p.record_directive(person, c));
        return 0;
    });
    mine = as<IntakeRepo>(spc, [](IntakeRepo& r) { return r.caseload(); });
    ASSERT_TRUE(mine);
    EXPECT_FALSE(mine->front().withheld);
    EXPECT_EQ(mine->front().family_name, "Essai-Attente");
    auto theirs = as<IntakeRepo>(spc, [&](IntakeRepo& r) { return r.read(first); });
    ASSERT_TRUE(theirs) << "the story told once reaches the assigned coordinator under the family's consent";
    EXPECT_EQ(theirs->relationship, d::Relationship::assigned_coordinator);
    EXPECT_EQ(theirs->story.story, story().story);
    ASSERT_TRUE(as<IntakeRepo>(spc, [&](IntakeRepo& r) { return r.record_first_contact(first, version(first)); }));
    EXPECT_FALSE(as<IntakeRepo>(spc, [&](IntakeRepo& r) { return r.record_first_contact(first, version(first)); }))
        << "the first contact is recorded once";
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND user_id = ?", {person, spc.user_id}), 4);

    // Reassignment: a reason, another coordinator, over their limit only when said so.
    const auto other = actor("coord2@demo.arrimage.invalid");
    auto no_reason = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(other), version(first)); });
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
    auto same = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(first, to(spc, "Pourquoi pas."), version(first)); });
    ASSERT_FALSE(same);
    EXPECT_EQ(same.error().fields.at(0).message_key, "intake.assign.same_coordinator");
    // Their caseload counts every file whose assigned coordinator they are (the demo's too).
    const auto load_of = [&](const d::Actor& who) {
        for (const auto& c : as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.coordinators(second); }))
            if (c.user_id == who.user_id && c.organisation_id == who.organisation_id) return c.caseload;
        return -1;
    };
    const int before = load_of(other);
    ASSERT_GE(before, 0);
    ASSERT_TRUE(as<IntakeRepo>(admin_, [&](IntakeRepo& r) { return r.save_profile(other.user_id, {"fr", "en"}, before + 1); }));
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.save_profile(other.user_id, {}, 1); }).error().code ==
                Errc::Forbidden)
        << "only the agency's administrator keeps coordinators' profiles";
    // coord2's limit is one more than their load; once given the second family they are at it.
    register_file(second, "Essai-Suivante");
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.assign(second, to(other), version(second)); }));
    auto over = as<IntakeRepo>(
        agency_, [&](IntakeRepo& r) { return r.assign(first, to(other, "La famille préfère le français."), version(first)); });
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().fields.at(0).field, "over_limit_reason");
    EXPECT_EQ(over.error().fields.at(0).args,
              (std::vector<std::string>{"Dominique Fictif", std::to_string(before + 1), std::to_string(before + 1)}));
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) {
        return r.assign(first, to(other, "La famille préfère le français.", "Seule coordonnatrice francophone."), version(first));
    }));
    auto history = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.read(first); });
    ASSERT_TRUE(history);
    ASSERT_EQ(history->assignments.size(), 2u);
    EXPECT_FALSE(history->assignments[0].until_at.empty()) << "the first coordinator's assignment ended";
    EXPECT_EQ(history->assignments[1].reason, "La famille préfère le français.");
    EXPECT_EQ(history->assignments[1].over_limit_reason, "Seule coordonnatrice francophone.");
    EXPECT_TRUE(as<IntakeRepo>(spc, [](IntakeRepo& r) { return r.caseload(); })->empty());
    auto load = as<IntakeRepo>(agency_, [](IntakeRepo& r) { return r.coordinators_load(); });
    ASSERT_TRUE(load);
    for (const auto& c : *load)
        if (c.user_id == other.user_id) {
            EXPECT_EQ(c.caseload, before + 2);
        }
    EXPECT_FALSE(as<IntakeRepo>(spc, [](IntakeRepo& r) { return r.coordinators_load(); }))
        << "a provider's coordinator does not see the area's loads";

    // Closure: a reason, the assignment and the team place end, the retention period starts.
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) {
        return r.close(first, {d::CloseReason::moved, "Partie en Alberta."}, version(first));
    }));
    EXPECT_EQ(status(first), "closed");
    const auto today = date_of(clock_.now());
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND close_reason = 'moved' AND retention_until = ?",
                     {first, add_years(today, 10).iso()}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE person_id = ? AND kind = 'assigned_coordinator' AND until_at IS NULL",
                     {person}),
              0);
    auto closed_again = as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.close(first, {}, version(first)); });
    ASSERT_FALSE(closed_again);
    EXPECT_EQ(closed_again.error().message_key, "lifecycle.not_from_state");
    // The agency's own coordinator, assigned before any consent, is still the agency when reassigning.
    ASSERT_TRUE(as<IntakeRepo>(agency_,
                               [&](IntakeRepo& r) { return r.assign(second, to(agency_, "Proche.", "Oui."), version(second)); }));
    ASSERT_TRUE(as<IntakeRepo>(
        agency_, [&](IntakeRepo& r) { return r.assign(second, to(spc, "Retour au premier choix."), version(second)); }));
    // Re-opening loops back to intake: screened and assigned again.
    ASSERT_TRUE(as<IntakeRepo>(agency_, [&](IntakeRepo& r) { return r.reopen(first, "De retour.", version(first)); }));
    EXPECT_EQ(status(first), "in_intake");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND assigned_user_id IS NULL", {first}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intake_assignments WHERE intake_id = ?", {first}), 2) << "the history stays";
}
