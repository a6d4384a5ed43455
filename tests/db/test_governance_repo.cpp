// The network's governance repository (features/governance/store/governance_repo.hpp), against
// SQLite (label db) and PostgreSQL (label pg), on the demo data (the Demo East Region, its
// coordinating agency's administrator, providers and their managers, the ministry's analyst) and
// another area made here. The area's administrators create committees, name and end members,
// schedule and hold meetings (not before their day, with minutes and the members present), log
// decisions numbered per year for a member to follow up, and write yearly reports that each
// member signs once circulated; a provider manager reads the committees their organisation is or
// was a member of, moves and follows up the decisions it owns and signs its reports; the analyst
// reads every area's; anyone else is refused, and a committee of another area is not found.
// Refusals and bad input write nothing. The reminder job tells each decision's follow-up owner
// and the agency once per decision and due date, and each member yet to sign once per report.
// Every count here is of the committees made here: the demo may load governance of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "app/demo_data.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/governance/store/governance_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

// "ok", or the refusal's key and its field errors: "error.invalid owner:governance.owner_required".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : r.error().fields) out += " " + f.field + ":" + f.message_key;
    return out;
}

const Catalogue& catalogue() {
    static const Catalogue c = web::load_catalogue();
    return c;
}

using Ids = std::vector<std::int64_t>;

Ids sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

class GovernanceStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coordinator_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        manager_ = testsupport::actor_of(*t_->db, "manager1@demo.arrimage.invalid");
        manager2_ = testsupport::actor_of(*t_->db, "manager2@demo.arrimage.invalid");
        manager3_ = testsupport::actor_of(*t_->db, "manager3@demo.arrimage.invalid");
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        agency_ = admin_.organisation_id;
        prov1_ = manager_.organisation_id;
        prov2_ = manager2_.organisation_id;
        prov3_ = manager3_.organisation_id;
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisation_csp_roles WHERE organisation_id = ? AND csp_role = "
                         "'coordinating_agency'",
                         {agency_}),
                  1);
        ASSERT_EQ(
            scalar("SELECT COUNT(*) FROM organisations WHERE id IN (?, ?, ?) AND sda_id = ?", {prov1_, prov2_, prov3_, sda_}), 3);
        today_ = date_of(clock_.now());
    }

    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::string text(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        const auto row = tx->query_one(sql, p);
        return row ? row->str(0) : std::string();
    }
    std::vector<std::string> texts(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        std::vector<std::string> out;
        for (const auto& r : tx->query(sql, p)) out.push_back(r.str(0));
        return out;
    }
    Ids numbers(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        Ids out;
        for (const auto& r : tx->query(sql, p)) out.push_back(r.i64(0));
        return out;
    }
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }
    std::int64_t rows_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM committees) + (SELECT COUNT(*) FROM committee_members) + "
            "(SELECT COUNT(*) FROM committee_meetings) + (SELECT COUNT(*) FROM meeting_attendance) + "
            "(SELECT COUNT(*) FROM meeting_events) + (SELECT COUNT(*) FROM governance_decisions) + "
            "(SELECT COUNT(*) FROM decision_events) + (SELECT COUNT(*) FROM yearly_reports) + "
            "(SELECT COUNT(*) FROM yearly_report_signatures) + (SELECT COUNT(*) FROM yearly_report_events)");
    }

    // One request: the repository for `who` (nullopt: nobody signed in) at `clock`'s time, in a
    // write transaction committed whatever the outcome. The request pipeline rolls back a refused
    // or invalid write, but the repository must not rely on it: what a refusal leaves behind
    // shows in the snapshots and row counts.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        GovernanceRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
        auto out = f(repo);
        tx->commit();
        return out;
    }
    template <typename F>
    auto committed_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        return as_at(who, clock, std::move(f));
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }
    // The same, committed whatever the outcome: what a refusal leaves behind is the repository's.
    template <typename F>
    auto committed(const std::optional<d::Actor>& who, F f) {
        return testsupport::run_as<GovernanceRepo>(*t_->db, clock_, who, std::move(f));
    }

    // The day `n` days from today, and a clock at this time of that day.
    std::string day(int n) const { return add_days(today_, n).iso(); }
    ManualClock at(int n) const { return ManualClock(clock_.now() + std::chrono::hours(24 * n)); }

    std::int64_t committee(const std::string& name_en = "Demo steering group", const d::Actor* who = nullptr) {
        const d::CommitteeForm f{"Comité directeur " + name_en, name_en, "steering_group", "Steers the area's CSP."};
        auto id = as(who ? *who : admin_, [&](GovernanceRepo& r) { return r.create_committee(f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    void member(std::int64_t committee, std::int64_t org, const std::string& representative = "Dana Représentante",
                const d::Actor* who = nullptr, const Clock* clock = nullptr) {
        const d::CommitteeMemberForm f{std::to_string(org), representative, "Director", "dana@example.org"};
        auto done =
            as_at(who ? *who : admin_, clock ? *clock : clock_, [&](GovernanceRepo& r) { return r.set_member(committee, f); });
        EXPECT_TRUE(done) << outcome(done);
    }
    std::int64_t schedule(std::int64_t committee, const std::string& held_on) {
        auto id = as(admin_, [&](GovernanceRepo& r) {
            return r.schedule_meeting(committee, {held_on, "Salle du conseil", "1. Welcome\n2. Decisions log"});
        });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    void hold(std::int64_t committee, std::int64_t meeting, const Ids& present, const Clock& clock) {
        d::MinutesForm m{"Quorum reached. The decisions log was reviewed.", {}};
        for (auto p : present) m.present.push_back(std::to_string(p));
        auto done = as_at(admin_, clock,
                          [&](GovernanceRepo& r) { return r.fire_meeting(committee, meeting, d::MeetingEvent::hold, m, ""); });
        EXPECT_TRUE(done) << outcome(done);
    }
    d::DecisionLogForm decision_form(std::int64_t owner, const std::string& decided_on, const std::string& due_on,
                                     std::int64_t meeting = 0) const {
        return {meeting ? std::to_string(meeting) : std::string(),
                decided_on,
                "Map the area's waiting lists before the next meeting.",
                "The steering group, by consensus",
                std::to_string(owner),
                "Jo Suivi",
                due_on};
    }
    std::int64_t log(std::int64_t committee, const d::DecisionLogForm& f, const Clock* clock = nullptr) {
        auto id = as_at(admin_, clock ? *clock : clock_, [&](GovernanceRepo& r) { return r.log_decision(committee, f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    std::int64_t decide(std::int64_t committee, std::int64_t owner, const std::string& due_on) {
        return log(committee, decision_form(owner, today_.iso(), due_on));
    }

    // Another area with its own coordinating agency, a provider and an administrator.
    void add_other_area() {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        other_sda_ = *ids.create_sda({"other", "Autre zone", "Other area"}, 0);
        d::Organisation o;
        o.sda_id = other_sda_;
        o.name_fr = "Agence de coordination Autre";
        o.name_en = "Other Coordinating Agency";
        o.sector = d::Sector::social_services;
        o.csp_roles = {d::CspRole::coordinating_agency};
        other_agency_ = *ids.create_organisation(o, 0);
        o.name_fr = "Fournisseur Autre";
        o.name_en = "Other Provider";
        o.csp_roles = {d::CspRole::csp_provider};
        other_provider_ = *ids.create_organisation(o, 0);
        const auto user = *ids.create_user({"other.admin@example.org", "Olive Autre-Admin", Lang::fr}, 0);
        ASSERT_TRUE(ids.add_membership(user, {other_agency_, d::Role::ca_admin}, 0));
        tx->commit();
        other_admin_ = {user, other_agency_, d::Role::ca_admin};
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    Date today_;
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coordinator_, analyst_, manager_, manager2_, manager3_, other_admin_;
    std::int64_t sda_ = 0, agency_ = 0, prov1_ = 0, prov2_ = 0, prov3_ = 0;
    std::int64_t other_sda_ = 0, other_agency_ = 0, other_provider_ = 0;
};

// ---------------------------------------------------------------- who

TEST_F(GovernanceStore, EachReaderSeesTheirOwnAndOnlyTheAreasAdministratorsManage) {
    add_other_area();
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    const auto meeting = schedule(c, day(3));
    const auto dec = decide(c, prov1_, day(30));
    const auto theirs = committee("Other table", &other_admin_);
    ASSERT_GT(theirs, 0);
    const std::set<std::int64_t> mine = {c, theirs};
    auto sees = [&](const d::Actor& who) {
        auto list = as(who, [](GovernanceRepo& r) { return r.committees(); });
        EXPECT_TRUE(list) << outcome(list);
        Ids ids;
        if (list)
            for (const auto& s : *list)
                if (mine.count(s.id)) ids.push_back(s.id);
        return sorted(ids);
    };
    auto read = [&](const d::Actor& who, std::int64_t id) { return as(who, [&](GovernanceRepo& r) { return r.committee(id); }); };

    // The area's administrator manages its committees, and finds no other area's.
    EXPECT_EQ(sees(admin_), Ids{c});
    auto own = read(admin_, c);
    ASSERT_TRUE(own) << outcome(own);
    EXPECT_TRUE(own->may_manage);
    EXPECT_EQ(own->summary.area_en, "Demo East Region");
    EXPECT_EQ(own->summary.kind, d::CommitteeKind::steering_group);
    EXPECT_EQ(own->mandate, "Steers the area's CSP.");
    EXPECT_EQ(sees(other_admin_), Ids{theirs});
    const auto snap = snapshot();
    EXPECT_EQ(outcome(read(other_admin_, c)), "error.not_found");
    EXPECT_EQ(outcome(as(other_admin_,
                         [&](GovernanceRepo& r) {
                             return r.set_member(c, {std::to_string(other_agency_), "X"});
                         })),
              "error.not_found");
    EXPECT_EQ(outcome(as(other_admin_,
                         [&](GovernanceRepo& r) {
                             return r.schedule_meeting(c, {day(9), "", "Agenda"});
                         })),
              "error.not_found");
    EXPECT_EQ(outcome(as(other_admin_, [&](GovernanceRepo& r) { return r.meeting(c, meeting); })), "error.not_found");
    EXPECT_EQ(outcome(as(other_admin_, [&](GovernanceRepo& r) { return r.decision(c, dec); })), "error.not_found");
    EXPECT_EQ(outcome(as(other_admin_,
                         [&](GovernanceRepo& r) { return r.fire_decision(c, dec, d::DecisionEvent::cancel, "Not ours"); })),
              "error.not_found");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.committee(theirs); })), "error.not_found");

    // A provider manager reads the committees their organisation sits on, and manages none.
    EXPECT_EQ(sees(manager_), Ids{c});
    auto member_view = read(manager_, c);
    ASSERT_TRUE(member_view) << outcome(member_view);
    EXPECT_FALSE(member_view->may_manage);
    EXPECT_EQ(outcome(as(manager_,
                         [&](GovernanceRepo& r) {
                             return r.schedule_meeting(c, {day(9), "", "Agenda"});
                         })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(manager_,
                         [&](GovernanceRepo& r) {
                             return r.set_member(c, {std::to_string(prov2_), "X"});
                         })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(manager_, [&](GovernanceRepo& r) { return r.member_choices(c); })), "error.forbidden");
    auto met = as(manager_, [&](GovernanceRepo& r) { return r.meeting(c, meeting); });
    ASSERT_TRUE(met) << outcome(met);
    EXPECT_TRUE(met->available.empty());
    EXPECT_FALSE(met->may_log_decision);
    // ... and not those it does not.
    EXPECT_EQ(sees(manager2_), Ids{});
    EXPECT_EQ(outcome(read(manager2_, c)), "error.not_found");
    EXPECT_EQ(outcome(as(manager2_, [&](GovernanceRepo& r) { return r.decision(c, dec); })), "error.not_found");
    EXPECT_EQ(outcome(as(manager2_, [&](GovernanceRepo& r) { return r.follow_up(c, dec, "Seen"); })), "error.not_found");

    // The analyst reads every area's, to read only.
    EXPECT_EQ(sees(analyst_), sorted({c, theirs}));
    auto far = read(analyst_, theirs);
    ASSERT_TRUE(far) << outcome(far);
    EXPECT_EQ(far->summary.area_en, "Other area");
    EXPECT_EQ(far->summary.sda_id, other_sda_);
    EXPECT_FALSE(far->may_manage);
    auto seen = as(analyst_, [&](GovernanceRepo& r) { return r.decision(c, dec); });
    ASSERT_TRUE(seen) << outcome(seen);
    EXPECT_TRUE(seen->available.empty());
    EXPECT_FALSE(seen->may_follow_up);
    EXPECT_EQ(outcome(as(analyst_,
                         [&](GovernanceRepo& r) {
                             return r.create_committee({"A", "A", "working_group", ""});
                         })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(analyst_, [&](GovernanceRepo& r) { return r.log_decision(c, decision_form(prov1_, day(0), day(9))); })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(analyst_, [&](GovernanceRepo& r) { return r.fire_decision(c, dec, d::DecisionEvent::start, ""); })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(analyst_, [&](GovernanceRepo& r) { return r.follow_up(c, dec, "A note"); })), "error.forbidden");
    EXPECT_EQ(outcome(as(analyst_,
                         [&](GovernanceRepo& r) {
                             return r.start_report(c, {"2020", "Activities"});
                         })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(analyst_, [](GovernanceRepo& r) { return r.organisation_choices(); })), "error.forbidden");

    // Anyone else is refused outright.
    const auto family = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    ASSERT_GT(family, 0);
    std::vector<std::optional<d::Actor>> refused = {
        coordinator_,
        testsupport::actor_of(*t_->db, "coord.ca@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid"),
        d::Actor{family, 0, d::Role::family},
        std::nullopt,
    };
    for (const auto& who : refused) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(outcome(as(who, [](GovernanceRepo& r) { return r.committees(); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [&](GovernanceRepo& r) { return r.committee(c); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [&](GovernanceRepo& r) { return r.meeting(c, meeting); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [&](GovernanceRepo& r) { return r.decision(c, dec); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [](GovernanceRepo& r) { return r.decisions({}); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [&](GovernanceRepo& r) { return r.fire_decision(c, dec, d::DecisionEvent::start, ""); })),
                  "error.forbidden");
        EXPECT_EQ(outcome(as(who, [&](GovernanceRepo& r) { return r.follow_up(c, dec, "A note"); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who,
                             [&](GovernanceRepo& r) {
                                 return r.create_committee({"A", "A", "working_group", ""});
                             })),
                  "error.forbidden");
        auto tx = t_->db->begin(TxMode::read);
        EXPECT_FALSE(GovernanceRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage());
    }
    EXPECT_EQ(snapshot(), snap);

    // A former member still reads what it took part in.
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov1_); }));
    EXPECT_EQ(sees(manager_), Ids{c});
    EXPECT_TRUE(read(manager_, c));

    auto tx = t_->db->begin(TxMode::read);
    EXPECT_TRUE(GovernanceRepo(testsupport::AccessForTests::as(*tx, clock_, admin_, "test")).may_manage());
}

// ---------------------------------------------------------------- committees and members

TEST_F(GovernanceStore, ACommitteeIsCreatedInTheAdministratorsAreaAndBadFieldsWriteNothing) {
    const auto before = rows_written();
    auto bad = committed(admin_, [](GovernanceRepo& r) { return r.create_committee({"", "Table", "council", ""}); });
    EXPECT_EQ(outcome(bad), "error.invalid name_fr:field.required kind:field.choose_from_list");
    EXPECT_EQ(rows_written(), before);

    const auto c = committee();
    ASSERT_GT(c, 0);
    EXPECT_EQ(rows_written(), before + 1);
    EXPECT_EQ(scalar("SELECT sda_id FROM committees WHERE id = ?", {c}), sda_);
    EXPECT_EQ(scalar("SELECT created_by FROM committees WHERE id = ?", {c}), admin_.user_id);
    EXPECT_EQ(text("SELECT kind FROM committees WHERE id = ?", {c}), "steering_group");
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->summary.name_en, "Demo steering group");
    EXPECT_EQ(record->summary.members, 0);
    EXPECT_EQ(record->summary.next_meeting_on, "");
    EXPECT_TRUE(record->members.empty());
    EXPECT_TRUE(record->meetings.empty());
    EXPECT_TRUE(record->decisions.empty());
    EXPECT_TRUE(record->reports.empty());
}

TEST_F(GovernanceStore, MembersAreAddedChangedEndedAndRejoinFromTheAreaOnly) {
    add_other_area();
    const auto c = committee();
    member(c, prov1_, "Robin Représentant");
    member(c, agency_, "Claude Agence");
    member(c, prov2_, "Charlie Centre");
    EXPECT_EQ(texts("SELECT DISTINCT joined_on FROM committee_members WHERE committee_id = ?", {c}),
              std::vector<std::string>{today_.iso()});
    EXPECT_EQ(texts("SELECT DISTINCT left_on FROM committee_members WHERE committee_id = ?", {c}), std::vector<std::string>{""});

    // A representative changed: the same row, the same day joined.
    const auto later = at(5);
    member(c, prov1_, "Sam Nouveau", nullptr, &later);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov1_}), 1);
    EXPECT_EQ(text("SELECT representative FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov1_}),
              "Sam Nouveau");
    EXPECT_EQ(text("SELECT joined_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov1_}),
              today_.iso());
    EXPECT_EQ(text("SELECT email FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov1_}),
              "dana@example.org");

    // Ended today; once only.
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov2_); }));
    EXPECT_EQ(text("SELECT left_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov2_}),
              today_.iso());
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov2_); })), "error.not_found");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov3_); })), "error.not_found")
        << "never a member";

    // Current first, the agency first among them; then the former members.
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->summary.members, 2);
    ASSERT_EQ(record->members.size(), 3u);
    EXPECT_EQ(record->members[0].organisation_id, agency_);
    EXPECT_TRUE(record->members[0].agency);
    EXPECT_EQ(record->members[0].representative, "Claude Agence");
    EXPECT_EQ(record->members[1].organisation_id, prov1_);
    EXPECT_FALSE(record->members[1].agency);
    EXPECT_EQ(record->members[1].title, "Director");
    EXPECT_EQ(record->members[2].organisation_id, prov2_);
    EXPECT_EQ(record->members[2].left_on, today_.iso());
    auto owners = as(admin_, [&](GovernanceRepo& r) { return r.member_choices(c); });
    ASSERT_TRUE(owners) << outcome(owners);
    Ids owner_ids;
    for (const auto& o : *owners) owner_ids.push_back(o.id);
    EXPECT_EQ(sorted(owner_ids), sorted({agency_, prov1_})) << "current members only";

    // A former member rejoining keeps its row, counted from the day it rejoins.
    const auto rejoin = at(10);
    member(c, prov2_, "Charlie Retour", nullptr, &rejoin);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov2_}), 1);
    EXPECT_EQ(text("SELECT joined_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov2_}),
              day(10));
    EXPECT_EQ(text("SELECT left_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov2_}), "");
    EXPECT_EQ(text("SELECT representative FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {c, prov2_}),
              "Charlie Retour");

    // Only the area's active organisations; nothing written otherwise.
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {prov3_});
    const auto snap = snapshot();
    auto refused = [&](const d::CommitteeMemberForm& f) {
        return outcome(committed(admin_, [&](GovernanceRepo& r) { return r.set_member(c, f); }));
    };
    EXPECT_EQ(refused({std::to_string(other_provider_), "Olive"}), "error.invalid organisation:governance.member_other_area");
    EXPECT_EQ(refused({std::to_string(prov3_), "Morgan"}), "error.invalid organisation:field.choose_from_list") << "inactive";
    EXPECT_EQ(refused({"999999999", "Nobody"}), "error.invalid organisation:field.choose_from_list");
    EXPECT_EQ(refused({"", ""}), "error.invalid organisation:field.required representative:field.required");
    EXPECT_EQ(refused({std::to_string(prov1_), "Robin", "", "not-an-email"}), "error.invalid email:field.email");
    EXPECT_EQ(snapshot(), snap);

    auto choices = as(admin_, [](GovernanceRepo& r) { return r.organisation_choices(); });
    ASSERT_TRUE(choices) << outcome(choices);
    Ids offered;
    for (const auto& o : *choices) offered.push_back(o.id);
    EXPECT_EQ(sorted(offered), numbers("SELECT id FROM organisations WHERE sda_id = ? AND active = 1 ORDER BY id", {sda_}));
    EXPECT_EQ(std::count(offered.begin(), offered.end(), prov3_), 0) << "inactive";
    EXPECT_EQ(std::count(offered.begin(), offered.end(), other_agency_), 0) << "another area's";
}

// ---------------------------------------------------------------- meetings

TEST_F(GovernanceStore, AMeetingIsHeldOnItsDayWithItsMinutesAndAttendance) {
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    const auto m = schedule(c, day(5));
    ASSERT_GT(m, 0);
    EXPECT_EQ(text("SELECT status FROM committee_meetings WHERE id = ?", {m}), "scheduled");
    EXPECT_EQ(texts("SELECT event || '/' || status FROM meeting_events WHERE meeting_id = ? ORDER BY id", {m}),
              std::vector<std::string>{"record/scheduled"});
    auto bad = committed(admin_, [&](GovernanceRepo& r) { return r.schedule_meeting(c, {"2026-02-30", "", ""}); });
    EXPECT_EQ(outcome(bad), "error.invalid held_on:people.invalid_date agenda:field.required");

    d::MinutesForm minutes{"Quorum reached.", {std::to_string(agency_), std::to_string(prov1_)}};
    auto hold_at = [&](const Clock& clock, const d::MinutesForm& f) {
        return as_at(admin_, clock, [&](GovernanceRepo& r) { return r.fire_meeting(c, m, d::MeetingEvent::hold, f, ""); });
    };
    const auto snap = snapshot();
    // Not before its day.
    EXPECT_EQ(outcome(hold_at(clock_, minutes)), "governance.meeting_not_yet");
    EXPECT_EQ(outcome(hold_at(at(4), minutes)), "governance.meeting_not_yet");
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.meeting(c, m); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->available, std::vector<d::MeetingEvent>{d::MeetingEvent::cancel});
    EXPECT_FALSE(record->may_log_decision);
    ASSERT_EQ(record->members.size(), 2u);
    EXPECT_EQ(record->members[0].organisation_id, agency_);
    // Its day come: the minutes and someone present are needed, members only.
    const auto on_the_day = at(5);
    EXPECT_EQ(outcome(hold_at(on_the_day, {"", {}})),
              "error.invalid minutes:field.required present:governance.attendance_required");
    EXPECT_EQ(outcome(hold_at(on_the_day, {"Quorum reached.", {std::to_string(prov1_), std::to_string(prov2_)}})),
              "error.invalid present:field.choose_from_list")
        << "not a member";
    EXPECT_EQ(outcome(hold_at(on_the_day, {"Quorum reached.", {"someone"}})), "error.invalid present:field.choose_from_list");
    EXPECT_EQ(outcome(as_at(admin_, on_the_day,
                            [&](GovernanceRepo& r) {
                                return r.fire_meeting(c, m, d::MeetingEvent::hold, minutes, std::string(2001, 'x'));
                            })),
              "error.invalid note:field.too_long");
    EXPECT_EQ(snapshot(), snap);

    auto held = hold_at(on_the_day, minutes);
    ASSERT_TRUE(held) << outcome(held);
    EXPECT_EQ(*held, d::MeetingStatus::held);
    EXPECT_EQ(text("SELECT status FROM committee_meetings WHERE id = ?", {m}), "held");
    EXPECT_EQ(text("SELECT minutes FROM committee_meetings WHERE id = ?", {m}), "Quorum reached.");
    EXPECT_EQ(scalar("SELECT updated_by FROM committee_meetings WHERE id = ?", {m}), admin_.user_id);
    EXPECT_EQ(numbers("SELECT organisation_id FROM meeting_attendance WHERE meeting_id = ? ORDER BY 1", {m}),
              sorted({agency_, prov1_}));
    EXPECT_EQ(texts("SELECT event || '/' || status FROM meeting_events WHERE meeting_id = ? ORDER BY id", {m}),
              (std::vector<std::string>{"record/scheduled", "hold/held"}));

    // The page shown before it was held offers moves that no longer apply.
    const auto held_snap = snapshot();
    EXPECT_EQ(outcome(hold_at(on_the_day, minutes)), "lifecycle.not_from_state");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.fire_meeting(c, m, d::MeetingEvent::cancel, {}, ""); })),
              "lifecycle.not_from_state");
    EXPECT_EQ(
        outcome(as(manager_, [&](GovernanceRepo& r) { return r.fire_meeting(c, m, d::MeetingEvent::approve_minutes, {}, ""); })),
        "error.forbidden");
    EXPECT_EQ(snapshot(), held_snap);

    record = as(admin_, [&](GovernanceRepo& r) { return r.meeting(c, m); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->meeting.status, d::MeetingStatus::held);
    EXPECT_EQ(record->present, sorted({agency_, prov1_}));
    EXPECT_EQ(record->minutes, "Quorum reached.");
    EXPECT_EQ(record->agenda, "1. Welcome\n2. Decisions log");
    EXPECT_EQ(record->available, std::vector<d::MeetingEvent>{d::MeetingEvent::approve_minutes});
    EXPECT_TRUE(record->may_log_decision);
    ASSERT_EQ(record->events.size(), 2u);
    EXPECT_EQ(record->events[1].user_name, "Claude Admin-Démo");

    auto approved = as(admin_, [&](GovernanceRepo& r) {
        return r.fire_meeting(c, m, d::MeetingEvent::approve_minutes, {}, "Approved at the next meeting.");
    });
    ASSERT_TRUE(approved) << outcome(approved);
    EXPECT_EQ(*approved, d::MeetingStatus::minutes_approved);
    EXPECT_EQ(text("SELECT note FROM meeting_events WHERE meeting_id = ? AND event = 'approve_minutes'", {m}),
              "Approved at the next meeting.");
    EXPECT_EQ(text("SELECT minutes FROM committee_meetings WHERE id = ?", {m}), "Quorum reached.") << "kept";

    // Another one cancelled before its day; a meeting of another committee is not found here.
    const auto next = schedule(c, day(40));
    auto cancelled =
        as(admin_, [&](GovernanceRepo& r) { return r.fire_meeting(c, next, d::MeetingEvent::cancel, {}, "No quorum."); });
    ASSERT_TRUE(cancelled) << outcome(cancelled);
    EXPECT_EQ(*cancelled, d::MeetingStatus::cancelled);
    const auto other = committee("Working group");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.meeting(other, m); })), "error.not_found");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.fire_meeting(other, m, d::MeetingEvent::cancel, {}, ""); })),
              "error.not_found");

    // Newest first, with the decisions taken at each.
    const auto later = at(6);
    log(c, decision_form(prov1_, day(5), day(30), m), &later);
    auto committee_record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(committee_record) << outcome(committee_record);
    ASSERT_EQ(committee_record->meetings.size(), 2u);
    EXPECT_EQ(committee_record->meetings[0].id, next);
    EXPECT_EQ(committee_record->meetings[0].status, d::MeetingStatus::cancelled);
    EXPECT_EQ(committee_record->meetings[1].id, m);
    EXPECT_EQ(committee_record->meetings[1].decisions, 1);
    EXPECT_EQ(committee_record->summary.next_meeting_on, "") << "none scheduled";
    const auto upcoming = schedule(c, day(20));
    schedule(c, day(60));
    committee_record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(committee_record);
    EXPECT_EQ(committee_record->summary.next_meeting_on, day(20));
    EXPECT_GT(upcoming, 0);
}

// ---------------------------------------------------------------- decisions

TEST_F(GovernanceStore, ADecisionNeedsAnOwnerAtTheTableAndAHeldMeeting) {
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    const auto scheduled = schedule(c, day(5));
    const auto other = committee("Working group");
    member(other, prov1_);
    const auto elsewhere = schedule(other, day(0));
    hold(other, elsewhere, {prov1_}, clock_);

    const auto before = rows_written();
    const auto snap = snapshot();
    auto refused = [&](const d::DecisionLogForm& f) {
        return outcome(committed(admin_, [&](GovernanceRepo& r) { return r.log_decision(c, f); }));
    };
    auto f = decision_form(prov1_, day(0), day(30));
    f.owner = "";
    EXPECT_EQ(refused(f), "error.invalid owner:governance.owner_required");
    EXPECT_EQ(rows_written(), before) << "nothing written";
    EXPECT_EQ(refused(decision_form(prov2_, day(0), day(30))), "error.invalid owner:governance.owner_not_member");
    EXPECT_EQ(refused(decision_form(prov1_, day(0), day(30), scheduled)), "error.invalid meeting:field.choose_from_list")
        << "not held yet";
    EXPECT_EQ(refused(decision_form(prov1_, day(0), day(30), elsewhere)), "error.invalid meeting:field.choose_from_list")
        << "another committee's";
    EXPECT_EQ(refused(decision_form(prov1_, day(1), day(30))), "error.invalid decided_on:governance.decided_in_future");
    EXPECT_EQ(refused(decision_form(prov1_, day(0), day(-1))), "error.invalid due_on:governance.due_before_decision");
    EXPECT_EQ(snapshot(), snap);
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov1_); }));
    EXPECT_EQ(refused(decision_form(prov1_, day(0), day(30))), "error.invalid owner:governance.owner_not_member")
        << "a former member";
    exec("UPDATE committee_members SET left_on = '' WHERE committee_id = ? AND organisation_id = ?", {c, prov1_});
    EXPECT_EQ(rows_written(), before);

    const auto id = decide(c, prov1_, day(30));
    ASSERT_GT(id, 0);
    EXPECT_EQ(rows_written(), before + 2) << "the decision and its event";
    EXPECT_EQ(text("SELECT status FROM governance_decisions WHERE id = ?", {id}), "open");
    EXPECT_TRUE(scalar("SELECT COUNT(*) FROM governance_decisions WHERE id = ? AND meeting_id IS NULL", {id}) == 1);
    EXPECT_EQ(texts("SELECT event || '/' || status FROM decision_events WHERE decision_id = ? ORDER BY id", {id}),
              std::vector<std::string>{"record/open"});
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.decision(c, id); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->row.owner_id, prov1_);
    EXPECT_EQ(record->row.owner_en, "Blue River Family Services (fictional)");
    EXPECT_EQ(record->row.owner_person, "Jo Suivi");
    EXPECT_EQ(record->row.decided_by, "The steering group, by consensus");
    EXPECT_EQ(record->row.committee_en, "Demo steering group");
    EXPECT_EQ(record->row.meeting_id, 0);
    EXPECT_EQ(record->available,
              (std::vector<d::DecisionEvent>{d::DecisionEvent::start, d::DecisionEvent::complete, d::DecisionEvent::cancel}));
    EXPECT_TRUE(record->may_follow_up);
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.decision(other, id); })), "error.not_found");

    // Taken at a meeting once it was held.
    hold(c, scheduled, {agency_, prov1_}, at(5));
    const auto later = at(6);
    const auto at_meeting = log(c, decision_form(agency_, day(5), day(30), scheduled), &later);
    record = as(admin_, [&](GovernanceRepo& r) { return r.decision(c, at_meeting); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->row.meeting_id, scheduled);
    EXPECT_EQ(record->row.meeting_on, day(5));
    // On another day than the meeting's: it was not taken there (and would count in another year).
    const auto count = rows_written();
    auto off_day = committed_at(
        admin_, later, [&](GovernanceRepo& r) { return r.log_decision(c, decision_form(agency_, day(6), day(30), scheduled)); });
    EXPECT_EQ(outcome(off_day), "error.invalid decided_on:governance.decision_meeting_day");
    EXPECT_EQ(rows_written(), count);
}

TEST_F(GovernanceStore, ReferencesNumberTheDecisionsOfTheYear) {
    // A later year, which the demo has no decision of.
    const ManualClock later(clock_.now() + std::chrono::hours(24 * 366 * 3));
    const Date then = date_of(later.now());
    const std::string year = std::to_string(then.year);
    const auto c = committee();
    member(c, prov1_);
    const auto first = log(c, decision_form(prov1_, then.iso(), add_days(then, 10).iso()), &later);
    const auto second = log(c, decision_form(prov1_, then.iso(), add_days(then, 20).iso()), &later);
    EXPECT_EQ(text("SELECT reference FROM governance_decisions WHERE id = ?", {first}), "DEC-" + year + "-0001");
    EXPECT_EQ(text("SELECT reference FROM governance_decisions WHERE id = ?", {second}), "DEC-" + year + "-0002");
    // Across the area's committees: one numbering.
    const auto other = committee("Working group");
    member(other, prov1_);
    const auto third = log(other, decision_form(prov1_, then.iso(), add_days(then, 20).iso()), &later);
    EXPECT_EQ(text("SELECT reference FROM governance_decisions WHERE id = ?", {third}), "DEC-" + year + "-0003");
}

TEST_F(GovernanceStore, TheOwnersManagerMovesAndFollowsUpTheDecisionAndTheAgencyCancels) {
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    member(c, prov2_);
    const auto id = decide(c, prov1_, day(30));

    // The owner's manager: start and complete, not cancel; another member's manager: nothing.
    auto view = as(manager_, [&](GovernanceRepo& r) { return r.decision(c, id); });
    ASSERT_TRUE(view) << outcome(view);
    EXPECT_EQ(view->available, (std::vector<d::DecisionEvent>{d::DecisionEvent::start, d::DecisionEvent::complete}));
    EXPECT_TRUE(view->may_follow_up);
    auto bystander = as(manager2_, [&](GovernanceRepo& r) { return r.decision(c, id); });
    ASSERT_TRUE(bystander) << outcome(bystander);
    EXPECT_TRUE(bystander->available.empty());
    EXPECT_FALSE(bystander->may_follow_up);
    const auto snap = snapshot();
    EXPECT_EQ(outcome(as(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::cancel, "No"); })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(manager2_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::start, ""); })),
              "error.forbidden");
    EXPECT_EQ(outcome(as(manager2_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "Not ours."); })), "error.forbidden");
    EXPECT_EQ(snapshot(), snap);

    auto started = as(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::start, ""); });
    ASSERT_TRUE(started) << outcome(started);
    EXPECT_EQ(*started, d::DecisionStatus::in_progress);
    EXPECT_EQ(scalar("SELECT user_id FROM decision_events WHERE decision_id = ? AND event = 'start'", {id}), manager_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM governance_decisions WHERE id = ?", {id}), manager_.user_id);

    // Follow-up notes, by the owner's manager and by the agency, in the status they were written in.
    ASSERT_TRUE(as(manager_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "Lists gathered from three providers."); }));
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "Two lists still missing."); }));
    EXPECT_EQ(outcome(committed(manager_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "  "); })),
              "error.invalid note:field.required");
    EXPECT_EQ(outcome(committed(manager_, [&](GovernanceRepo& r) { return r.follow_up(c, id, std::string(4001, 'x')); })),
              "error.invalid note:field.too_long");
    EXPECT_EQ(texts("SELECT event || '/' || status || '/' || note FROM decision_events WHERE decision_id = ? ORDER BY id", {id}),
              (std::vector<std::string>{"record/open/", "start/in_progress/",
                                        "follow_up/in_progress/Lists gathered from three providers.",
                                        "follow_up/in_progress/Two lists still missing."}));

    // Completing needs what was done.
    EXPECT_EQ(
        outcome(committed(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::complete, ""); })),
        "error.invalid note:field.required");
    EXPECT_EQ(text("SELECT status FROM governance_decisions WHERE id = ?", {id}), "in_progress");
    auto done =
        as(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::complete, "All lists mapped."); });
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(*done, d::DecisionStatus::done);

    // Closed: no more notes, the moves of the page shown before refused.
    const auto closed = snapshot();
    EXPECT_EQ(outcome(as(manager_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "One more thing."); })),
              "governance.decision_closed");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.follow_up(c, id, "One more thing."); })),
              "governance.decision_closed");
    EXPECT_EQ(outcome(as(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::start, ""); })),
              "lifecycle.not_from_state");
    EXPECT_EQ(outcome(as(manager_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::reopen, "Why"); })),
              "error.forbidden")
        << "reopening is the agency's";
    EXPECT_EQ(snapshot(), closed);
    view = as(manager_, [&](GovernanceRepo& r) { return r.decision(c, id); });
    ASSERT_TRUE(view);
    EXPECT_TRUE(view->available.empty());
    EXPECT_FALSE(view->may_follow_up);

    // The agency reopens it (with why) and cancels it (with why).
    EXPECT_EQ(outcome(committed(admin_, [&](GovernanceRepo& r) { return r.fire_decision(c, id, d::DecisionEvent::reopen, ""); })),
              "error.invalid note:field.required");
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) {
        return r.fire_decision(c, id, d::DecisionEvent::reopen, "One list was out of date.");
    }));
    auto cancelled = as(admin_, [&](GovernanceRepo& r) {
        return r.fire_decision(c, id, d::DecisionEvent::cancel, "The ministry maps them now.");
    });
    ASSERT_TRUE(cancelled) << outcome(cancelled);
    EXPECT_EQ(*cancelled, d::DecisionStatus::cancelled);
    EXPECT_EQ(texts("SELECT event FROM decision_events WHERE decision_id = ? ORDER BY id", {id}),
              (std::vector<std::string>{"record", "start", "follow_up", "follow_up", "complete", "reopen", "cancel"}));
    auto history = as(analyst_, [&](GovernanceRepo& r) { return r.decision(c, id); });
    ASSERT_TRUE(history) << outcome(history);
    ASSERT_EQ(history->events.size(), 7u);
    EXPECT_EQ(history->events[2].user_name, "Robin Gestion-Démo");
    EXPECT_EQ(history->events[2].note, "Lists gathered from three providers.");
    EXPECT_EQ(history->events[6].note, "The ministry maps them now.");
}

TEST_F(GovernanceStore, TheLogFlagsOverdueDecisionsAndFilters) {
    add_other_area();
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    member(c, prov2_);
    const auto w = committee("Working group");
    member(w, agency_);
    member(w, prov2_);
    const auto theirs = committee("Other table", &other_admin_);
    {
        const d::CommitteeMemberForm f{std::to_string(other_provider_), "Olive", "", ""};
        ASSERT_TRUE(as(other_admin_, [&](GovernanceRepo& r) { return r.set_member(theirs, f); }));
    }
    // Decided 20 days ago.
    auto past = [&](std::int64_t committee, std::int64_t owner, int due) {
        return log(committee, decision_form(owner, day(-20), day(due)));
    };
    const auto overdue = past(c, prov1_, -1);
    const auto soon = past(c, prov2_, 20);
    const auto later = past(c, prov1_, 60);
    const auto done_late = past(c, prov1_, -5);
    ASSERT_TRUE(
        as(admin_, [&](GovernanceRepo& r) { return r.fire_decision(c, done_late, d::DecisionEvent::complete, "Done."); }));
    const auto working = past(w, prov2_, 10);
    const auto far = [&] {
        const d::DecisionLogForm f = decision_form(other_provider_, day(-20), day(-2));
        auto id = as(other_admin_, [&](GovernanceRepo& r) { return r.log_decision(theirs, f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }();
    const std::set<std::int64_t> mine = {overdue, soon, later, done_late, working, far};

    auto query = [&](const d::Actor& who, const d::DecisionLogQuery& q) {
        auto rows = as(who, [&](GovernanceRepo& r) { return r.decisions(q); });
        EXPECT_TRUE(rows) << outcome(rows);
        Ids ids;
        if (rows)
            for (const auto& row : *rows)
                if (mine.count(row.id)) ids.push_back(row.id);
        return ids;
    };
    // Pending first by due date, then the rest newest first.
    EXPECT_EQ(query(admin_, {}), (Ids{overdue, working, soon, later, done_late}));
    EXPECT_EQ(query(analyst_, {}), (Ids{far, overdue, working, soon, later, done_late}));
    EXPECT_EQ(query(other_admin_, {}), Ids{far});
    EXPECT_EQ(query(manager_, {}), (Ids{overdue, soon, later, done_late})) << "the committees it sits on";
    EXPECT_EQ(query(manager2_, {}), (Ids{overdue, working, soon, later, done_late}));
    EXPECT_EQ(query(manager3_, {}), Ids{});

    EXPECT_EQ(query(admin_, {"", "", "", "overdue"}), Ids{overdue});
    EXPECT_EQ(query(admin_, {"", "", "", "soon"}), (Ids{overdue, working, soon}));
    EXPECT_EQ(query(admin_, {std::to_string(w), "", "", ""}), Ids{working});
    EXPECT_EQ(query(admin_, {"", "done", "", ""}), Ids{done_late});
    EXPECT_EQ(query(admin_, {"", "", std::to_string(prov2_), ""}), (Ids{working, soon}));
    EXPECT_EQ(query(admin_, {std::to_string(theirs), "", "", ""}), Ids{}) << "a filter never widens what is seen";
    EXPECT_EQ(query(manager_, {std::to_string(w), "", "", ""}), Ids{});
    EXPECT_EQ(outcome(as(admin_,
                         [](GovernanceRepo& r) {
                             return r.decisions({"x", "closed", "", "later"});
                         })),
              "error.invalid committee:field.choose_from_list status:field.choose_from_list due:field.choose_from_list");

    auto rows = as(admin_, [&](GovernanceRepo& r) { return r.decisions({"", "", "", "soon"}); });
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) {
        if (row.id == overdue) {
            EXPECT_TRUE(row.overdue);
        }
        if (row.id == soon) {
            EXPECT_FALSE(row.overdue);
            EXPECT_EQ(row.due_on, day(20));
            EXPECT_EQ(row.owner_id, prov2_);
            EXPECT_EQ(row.committee_id, c);
        }
    }

    // The committee's summary and its log.
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->summary.pending_decisions, 3);
    EXPECT_EQ(record->summary.overdue_decisions, 1);
    EXPECT_EQ(record->summary.members, 3);
    Ids order;
    for (const auto& row : record->decisions) order.push_back(row.id);
    EXPECT_EQ(order, (Ids{overdue, soon, later, done_late}));
    EXPECT_TRUE(record->decisions[0].overdue);
    EXPECT_FALSE(record->decisions[3].overdue) << "done, however late";
    auto list = as(admin_, [](GovernanceRepo& r) { return r.committees(); });
    ASSERT_TRUE(list);
    for (const auto& s : *list)
        if (s.id == c) {
            EXPECT_EQ(s.overdue_decisions, 1);
        }

    // Overdue the day after its due date, not on it.
    auto tomorrow = at(20);
    auto soon_row = as_at(admin_, tomorrow, [&](GovernanceRepo& r) { return r.decision(c, soon); });
    ASSERT_TRUE(soon_row);
    EXPECT_FALSE(soon_row->row.overdue);
    auto after = at(21);
    soon_row = as_at(admin_, after, [&](GovernanceRepo& r) { return r.decision(c, soon); });
    ASSERT_TRUE(soon_row);
    EXPECT_TRUE(soon_row->row.overdue);
}

// ---------------------------------------------------------------- yearly reports

namespace {

// The committee's names and a report's text as the repository fixes its digest.
std::string digest_of(const std::string& fr, const std::string& en, const d::YearlyReportBody& body,
                      const d::YearlyReportFigures& f) {
    return hash_token(d::yearly_report_canonical(fr, en, body, f));
}

}  // namespace

TEST_F(GovernanceStore, AYearlyReportIsCirculatedSignedByEveryMemberAndSubmitted) {
    // At mid-year of next year: the year's meetings and decisions are all in the past.
    const int year = today_.year + 1;
    const std::string y = std::to_string(year), prev = std::to_string(year - 1);
    const ManualClock mid(*parse_iso(y + "-07-01T12:00:00Z"));
    auto in = [&](const d::Actor& who, auto f) { return as_at(who, mid, f); };

    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    member(c, prov2_);
    // Meetings: two held this year (one approved since), one last year, one cancelled, one to come.
    const auto m1 = schedule(c, y + "-03-10");
    const auto m2 = schedule(c, y + "-05-12");
    const auto m0 = schedule(c, prev + "-12-01");
    const auto cancelled = schedule(c, y + "-04-01");
    schedule(c, y + "-09-15");
    hold(c, m1, {agency_, prov1_}, mid);
    hold(c, m2, {agency_, prov2_}, mid);
    hold(c, m0, {agency_}, mid);
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.fire_meeting(c, m1, d::MeetingEvent::approve_minutes, {}, ""); }));
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.fire_meeting(c, cancelled, d::MeetingEvent::cancel, {}, ""); }));
    // Decisions: three of this year (one done, one open, one cancelled), one of last year.
    const auto done = log(c, decision_form(prov1_, y + "-03-10", y + "-06-01", m1), &mid);
    log(c, decision_form(prov1_, y + "-05-12", y + "-10-01", m2), &mid);
    const auto dropped = log(c, decision_form(prov2_, y + "-05-12", y + "-10-01"), &mid);
    log(c, decision_form(prov2_, prev + "-12-01", y + "-02-01", m0), &mid);
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.fire_decision(c, done, d::DecisionEvent::complete, "Done."); }));
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.fire_decision(c, dropped, d::DecisionEvent::cancel, "Moot."); }));
    // prov2 leaves before the report goes round: it reads it but is not asked to sign.
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.end_member(c, prov2_); }));

    // Started as a draft; one per year.
    const d::YearlyReportForm form{y, "Four meetings were planned.", "Waiting lists mapped.", "",
                                   "Transitions to adult services."};
    auto bad = in(admin_, [&](GovernanceRepo& r) { return r.start_report(c, {"1999", ""}); });
    EXPECT_EQ(outcome(bad), "error.invalid year:field.number_between activities:field.required");
    auto started = in(admin_, [&](GovernanceRepo& r) { return r.start_report(c, form); });
    ASSERT_TRUE(started) << outcome(started);
    const auto id = *started;
    EXPECT_EQ(text("SELECT status FROM yearly_reports WHERE id = ?", {id}), "draft");
    EXPECT_EQ(scalar("SELECT year FROM yearly_reports WHERE id = ?", {id}), year);
    EXPECT_EQ(texts("SELECT event || '/' || status FROM yearly_report_events WHERE report_id = ? ORDER BY id", {id}),
              std::vector<std::string>{"record/draft"});
    const auto before_duplicate = rows_written();
    EXPECT_EQ(outcome(testsupport::run_as<GovernanceRepo>(*t_->db, mid, admin_,
                                                          [&](GovernanceRepo& r) { return r.start_report(c, form); })),
              "governance.report_exists");
    EXPECT_EQ(rows_written(), before_duplicate);

    // Edited from the version shown; its year kept.
    auto edit = form;
    edit.year = prev;
    edit.challenges = "Staff turnover.";
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.update_report(c, id, 1, edit); }));
    EXPECT_EQ(scalar("SELECT version FROM yearly_reports WHERE id = ?", {id}), 2);
    EXPECT_EQ(scalar("SELECT year FROM yearly_reports WHERE id = ?", {id}), year);
    EXPECT_EQ(text("SELECT challenges FROM yearly_reports WHERE id = ?", {id}), "Staff turnover.");
    const auto draft_snap = snapshot();
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.update_report(c, id, 1, form); })),
              "governance.changed_meanwhile");
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.update_report(c, id, 2, form); })), "error.forbidden");
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::submit, ""); })),
              "lifecycle.not_from_state");
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, ""); })), "error.forbidden")
        << "a draft is signed by no one";
    EXPECT_EQ(snapshot(), draft_snap);
    auto draft = in(admin_, [&](GovernanceRepo& r) { return r.report(c, id); });
    ASSERT_TRUE(draft) << outcome(draft);
    EXPECT_TRUE(draft->may_edit);
    EXPECT_FALSE(draft->may_sign);
    EXPECT_EQ(draft->version, 2);
    EXPECT_EQ(draft->digest, "");
    EXPECT_TRUE(draft->signatures.empty());
    EXPECT_EQ(draft->available, std::vector<d::YearlyReportEvent>{d::YearlyReportEvent::circulate});

    // Circulated: figures counted for its year, text and figures fixed by the digest, each
    // current member asked to sign.
    auto circulated = in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::circulate, ""); });
    ASSERT_TRUE(circulated) << outcome(circulated);
    EXPECT_EQ(*circulated, d::YearlyReportStatus::circulating);
    auto report = in(manager_, [&](GovernanceRepo& r) { return r.report(c, id); });
    ASSERT_TRUE(report) << outcome(report);
    EXPECT_EQ(report->figures.members, 2);
    EXPECT_EQ(report->figures.meetings_held, 2);
    EXPECT_EQ(report->figures.decisions_made, 3);
    EXPECT_EQ(report->figures.decisions_done, 1);
    EXPECT_EQ(report->figures.decisions_open, 1);
    EXPECT_EQ(report->version, 3);
    EXPECT_EQ(report->body.challenges, "Staff turnover.");
    const std::string digest =
        digest_of("Comité directeur Demo steering group", "Demo steering group", report->body, report->figures);
    EXPECT_EQ(report->digest, digest);
    EXPECT_EQ(report->digest.size(), 64u);
    ASSERT_EQ(report->signatures.size(), 2u);
    Ids asked;
    for (const auto& s : report->signatures) {
        asked.push_back(s.organisation_id);
        EXPECT_FALSE(s.is_signed);
    }
    EXPECT_EQ(sorted(asked), sorted({agency_, prov1_}));
    EXPECT_TRUE(report->may_sign);
    EXPECT_FALSE(report->may_edit);
    EXPECT_TRUE(report->available.empty());
    auto committee_record = in(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(committee_record);
    ASSERT_EQ(committee_record->reports.size(), 1u);
    EXPECT_EQ(committee_record->reports[0].signers, 2);
    EXPECT_EQ(committee_record->reports[0].signed_count, 0);

    // Frozen while it goes round; submitted only once all have signed.
    const auto circulating_snap = snapshot();
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.update_report(c, id, 3, form); })),
              "governance.report_frozen");
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::submit, ""); })),
              "governance.report_unsigned");
    // Signed as shown, by the organisations asked, once each.
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, "0000"); })),
              "governance.report_changed");
    EXPECT_EQ(outcome(in(manager2_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })), "error.forbidden")
        << "a former member, not asked";
    EXPECT_EQ(outcome(in(manager3_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })), "error.not_found")
        << "never a member";
    EXPECT_EQ(outcome(in(analyst_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })), "error.forbidden");
    EXPECT_EQ(outcome(in(coordinator_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })), "error.forbidden");
    EXPECT_EQ(snapshot(), circulating_snap);
    auto former = in(manager2_, [&](GovernanceRepo& r) { return r.report(c, id); });
    ASSERT_TRUE(former) << outcome(former);
    EXPECT_FALSE(former->may_sign);

    ASSERT_TRUE(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); }));
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })),
              "governance.already_signed");
    EXPECT_EQ(scalar("SELECT user_id FROM yearly_report_signatures WHERE report_id = ? AND organisation_id = ?", {id, prov1_}),
              manager_.user_id);
    EXPECT_EQ(text("SELECT digest FROM yearly_report_signatures WHERE report_id = ? AND organisation_id = ?", {id, prov1_}),
              digest);
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::submit, ""); })),
              "governance.report_unsigned");

    // Reopened: back to a draft, signatures and figures set aside.
    ASSERT_TRUE(in(
        admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::reopen, "A meeting was missing."); }));
    EXPECT_EQ(text("SELECT status FROM yearly_reports WHERE id = ?", {id}), "draft");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM yearly_report_signatures WHERE report_id = ?", {id}), 0);
    EXPECT_EQ(text("SELECT digest FROM yearly_reports WHERE id = ?", {id}), "");
    EXPECT_EQ(scalar("SELECT members + meetings_held + decisions_made FROM yearly_reports WHERE id = ?", {id}), 0);
    EXPECT_EQ(scalar("SELECT version FROM yearly_reports WHERE id = ?", {id}), 4);
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })), "error.forbidden");
    EXPECT_EQ(outcome(in(admin_, [&](GovernanceRepo& r) { return r.update_report(c, id, 3, form); })),
              "governance.changed_meanwhile")
        << "a form shown before it went round";

    // Round again, signed by both (the administrator for the agency), submitted.
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::circulate, ""); }));
    EXPECT_EQ(text("SELECT digest FROM yearly_reports WHERE id = ?", {id}), digest) << "the same text and figures";
    ASSERT_TRUE(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); }));
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); }));
    report = in(admin_, [&](GovernanceRepo& r) { return r.report(c, id); });
    ASSERT_TRUE(report);
    EXPECT_EQ(report->available, (std::vector<d::YearlyReportEvent>{d::YearlyReportEvent::reopen, d::YearlyReportEvent::submit}));
    for (const auto& s : report->signatures) {
        EXPECT_TRUE(s.is_signed);
        EXPECT_FALSE(s.signed_at.empty());
        EXPECT_EQ(s.signed_by, s.organisation_id == agency_ ? "Claude Admin-Démo" : "Robin Gestion-Démo");
    }
    auto submitted = in(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, id, d::YearlyReportEvent::submit, ""); });
    ASSERT_TRUE(submitted) << outcome(submitted);
    EXPECT_EQ(*submitted, d::YearlyReportStatus::submitted);
    EXPECT_EQ(texts("SELECT event || '/' || status FROM yearly_report_events WHERE report_id = ? ORDER BY id", {id}),
              (std::vector<std::string>{"record/draft", "circulate/circulating", "sign/circulating", "reopen/draft",
                                        "circulate/circulating", "sign/circulating", "sign/circulating", "submit/submitted"}));
    EXPECT_EQ(text("SELECT note FROM yearly_report_events WHERE report_id = ? AND event = 'sign' AND user_id = ?",
                   {id, admin_.user_id}),
              "Agence de coordination Démo / Demo Coordinating Agency")
        << "the organisation signed for, in both languages";
    EXPECT_EQ(outcome(in(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, id, digest); })),
              "governance.already_signed");
    committee_record = in(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(committee_record);
    EXPECT_EQ(committee_record->reports[0].signed_count, 2);
    EXPECT_EQ(committee_record->reports[0].status, d::YearlyReportStatus::submitted);

    // Another year's report comes first in the committee's list.
    ASSERT_TRUE(in(admin_, [&](GovernanceRepo& r) { return r.start_report(c, {prev, "Founding year."}); }));
    committee_record = in(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(committee_record);
    ASSERT_EQ(committee_record->reports.size(), 2u);
    EXPECT_EQ(committee_record->reports[0].year, year);
    EXPECT_EQ(committee_record->reports[1].year, year - 1);
    EXPECT_EQ(committee_record->reports[1].signers, 0);
}

TEST_F(GovernanceStore, AReportIsNotCirculatedWithoutMembers) {
    const auto c = committee();
    const std::string year = std::to_string(today_.year);
    auto id = as(admin_, [&](GovernanceRepo& r) { return r.start_report(c, {year, "Nothing yet."}); });
    ASSERT_TRUE(id) << outcome(id);
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *id, d::YearlyReportEvent::circulate, ""); })),
              "governance.no_members");
    EXPECT_EQ(text("SELECT status FROM yearly_reports WHERE id = ?", {*id}), "draft");
    EXPECT_EQ(scalar("SELECT version FROM yearly_reports WHERE id = ?", {*id}), 1);
    const auto other = committee("Working group");
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.report(other, *id); })), "error.not_found");
    EXPECT_EQ(outcome(as(admin_,
                         [&](GovernanceRepo& r) {
                             return r.update_report(other, *id, 1, {year, "X"});
                         })),
              "error.not_found");
}

// A member where nobody may sign would hold the report forever: it is not circulated until one
// is added, and the committee's page says which member it is.
TEST_F(GovernanceStore, AReportIsNotCirculatedWhileAMemberHasNobodyToSign) {
    const auto c = committee();
    member(c, prov1_);
    member(c, prov2_);
    const std::string year = std::to_string(today_.year);
    auto id = as(admin_, [&](GovernanceRepo& r) { return r.start_report(c, {year, "The year."}); });
    ASSERT_TRUE(id) << outcome(id);
    exec("UPDATE memberships SET active = 0 WHERE organisation_id = ? AND role IN ('provider_manager', 'ca_admin')", {prov2_});
    auto record = as(admin_, [&](GovernanceRepo& r) { return r.committee(c); });
    ASSERT_TRUE(record) << outcome(record);
    for (const auto& m : record->members) EXPECT_EQ(m.can_sign, m.organisation_id != prov2_) << m.name_en;
    EXPECT_EQ(outcome(as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *id, d::YearlyReportEvent::circulate, ""); })),
              "governance.member_cannot_sign");
    EXPECT_EQ(text("SELECT status FROM yearly_reports WHERE id = ?", {*id}), "draft");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM yearly_report_signatures WHERE report_id = ?", {*id}), 0);
    // A manager there again: it goes out, to both.
    exec("UPDATE memberships SET active = 1 WHERE organisation_id = ? AND role = 'provider_manager'", {prov2_});
    auto circulated = as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *id, d::YearlyReportEvent::circulate, ""); });
    ASSERT_TRUE(circulated) << outcome(circulated);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM yearly_report_signatures WHERE report_id = ?", {*id}), 2);
}

// ---------------------------------------------------------------- reminders

TEST_F(GovernanceStore, RemindersGoOnceToTheOwnersManagersTheAgencyAndTheMembersYetToSign) {
    add_other_area();  // its administrator hears nothing of this area's committees
    std::int64_t second = 0;
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        second = *ids.create_user({"second.admin@example.org", "Sam Second-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(second, {agency_, d::Role::ca_admin}, 0));
        const auto gone = *ids.create_user({"gone.admin@example.org", "Gale Gone-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(gone, {agency_, d::Role::ca_admin}, 0));
        ASSERT_TRUE(ids.set_user_active(gone, false, 0));
        tx->commit();
    }
    const auto c = committee();
    member(c, agency_);
    member(c, prov1_);
    const auto id = decide(c, prov1_, day(10));
    const auto closed = decide(c, prov1_, day(10));
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.fire_decision(c, closed, d::DecisionEvent::cancel, "Moot."); }));
    const std::string reference = text("SELECT reference FROM governance_decisions WHERE id = ?", {id});
    const std::string link = "/governance/" + std::to_string(c) + "/decisions/" + std::to_string(id);

    auto remind = [&](const Clock& clock) {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_governance_reminders(*tx, clock, catalogue(), "http://127.0.0.1");
        tx->commit();
        return n;
    };
    auto recipients = [&](const std::string& key) {
        return numbers("SELECT user_id FROM notifications WHERE dedupe_key = ? ORDER BY 1", {key});
    };
    const std::string key = "decision-due:" + std::to_string(id) + ":" + day(10);

    // Eight days before: nothing; seven: the owner's manager and the area's administrators.
    const auto eight_before = at(2);
    remind(eight_before);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 0);
    const auto seven_before = at(3);
    const auto notes_before = scalar("SELECT COUNT(*) FROM notifications");
    const int written = remind(seven_before);
    EXPECT_EQ(written, scalar("SELECT COUNT(*) FROM notifications") - notes_before);
    EXPECT_EQ(recipients(key), sorted({manager_.user_id, admin_.user_id, second}));
    EXPECT_EQ(texts("SELECT DISTINCT kind FROM notifications WHERE dedupe_key = ?", {key}),
              std::vector<std::string>{"governance"});
    EXPECT_EQ(texts("SELECT DISTINCT link FROM notifications WHERE dedupe_key = ?", {key}), std::vector<std::string>{link});
    EXPECT_EQ(texts("SELECT DISTINCT reference FROM notifications WHERE dedupe_key = ?", {key}),
              std::vector<std::string>{reference});
    const auto text_en = text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {key});
    EXPECT_EQ(text_en, catalogue().t(Lang::en, "governance.reminder.decision", {reference, "Demo steering group", day(10)}));
    EXPECT_EQ(
        text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {key}),
        catalogue().t(Lang::fr, "governance.reminder.decision", {reference, "Comité directeur Demo steering group", day(10)}));
    EXPECT_NE(text_en, "governance.reminder.decision") << "the sentence is in the catalogue";
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE ?", {"decision-due:" + std::to_string(closed) + ":%"}),
        0)
        << "cancelled";

    // Once per decision and due date, overdue or not; a new due date is a new reminder.
    EXPECT_EQ(remind(seven_before), 0);
    remind(at(15));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 3);
    exec("UPDATE governance_decisions SET due_on = ? WHERE id = ?", {day(20), id});
    remind(at(15));
    EXPECT_EQ(recipients("decision-due:" + std::to_string(id) + ":" + day(20)),
              sorted({manager_.user_id, admin_.user_id, second}));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link LIKE ?",
                     {other_admin_.user_id, std::string("/governance/%")}),
              0);

    // A yearly report circulated: each member's managers, until it has signed.
    const std::string year = std::to_string(today_.year);
    auto report = as(admin_, [&](GovernanceRepo& r) { return r.start_report(c, {year, "Two meetings."}); });
    ASSERT_TRUE(report) << outcome(report);
    remind(clock_);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE ?", {"report-sign:" + std::to_string(*report) + ":%"}),
        0)
        << "a draft asks no one";
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *report, d::YearlyReportEvent::circulate, ""); }));
    const auto digest = text("SELECT digest FROM yearly_reports WHERE id = ?", {*report});
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.sign_report(c, *report, digest); }));
    // Per circulation: the digest's first 16 characters close the key.
    const std::string agency_key =
        "report-sign:" + std::to_string(*report) + ":" + std::to_string(agency_) + ":" + digest.substr(0, 16);
    const std::string provider_key =
        "report-sign:" + std::to_string(*report) + ":" + std::to_string(prov1_) + ":" + digest.substr(0, 16);
    remind(clock_);
    EXPECT_TRUE(recipients(agency_key).empty()) << "the agency has signed";
    EXPECT_EQ(recipients(provider_key), Ids{manager_.user_id});
    EXPECT_EQ(text("SELECT link FROM notifications WHERE dedupe_key = ?", {provider_key}),
              "/governance/" + std::to_string(c) + "/reports/" + std::to_string(*report));
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {provider_key}),
              catalogue().t(Lang::en, "governance.reminder.signature", {"Demo steering group", year}));
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {provider_key}),
              catalogue().t(Lang::fr, "governance.reminder.signature", {"Comité directeur Demo steering group", year}));
    EXPECT_EQ(remind(clock_), 0) << "once per report and organisation";
    ASSERT_TRUE(as(manager_, [&](GovernanceRepo& r) { return r.sign_report(c, *report, digest); }));
    remind(at(1));
    EXPECT_EQ(recipients(provider_key), Ids{manager_.user_id});
    EXPECT_TRUE(recipients(agency_key).empty());

    // Reopened and circulated again: the signatures gathered are set aside, and every member is
    // asked again, the agency included.
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *report, d::YearlyReportEvent::reopen, ""); }));
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) {
        return r.update_report(c, *report, static_cast<int>(scalar("SELECT version FROM yearly_reports WHERE id = ?", {*report})),
                               {year, "Two meetings and a forum."});
    }));
    ASSERT_TRUE(as(admin_, [&](GovernanceRepo& r) { return r.fire_report(c, *report, d::YearlyReportEvent::circulate, ""); }));
    const auto again = text("SELECT digest FROM yearly_reports WHERE id = ?", {*report});
    ASSERT_NE(again, digest);
    remind(at(1));
    const auto agency_asked =
        recipients("report-sign:" + std::to_string(*report) + ":" + std::to_string(agency_) + ":" + again.substr(0, 16));
    EXPECT_NE(std::find(agency_asked.begin(), agency_asked.end(), admin_.user_id), agency_asked.end())
        << "the agency, which had signed, is asked again";
    EXPECT_EQ(recipients("report-sign:" + std::to_string(*report) + ":" + std::to_string(prov1_) + ":" + again.substr(0, 16)),
              Ids{manager_.user_id});
}
