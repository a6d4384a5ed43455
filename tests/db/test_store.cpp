// Repository tests, run against SQLite (label db) and PostgreSQL (label pg).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/governance/domain/governance.hpp"
#include "features/network/domain/network.hpp"
#include "features/network/store/training_repo.hpp"
#include "store/auth_repo.hpp"
#include "store/connect.hpp"
#include "store/identity_repo.hpp"
#include "store/migrate.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class Store : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    Database& db() { return *t_->db; }

    d::Organisation org(std::int64_t sda, const std::string& name) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = name + " (fr)";
        o.name_en = name;
        o.sector = d::Sector::health;
        o.csp_roles = {d::CspRole::csp_participant};
        return o;
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
};

TEST_F(Store, MigrationsAreAppliedOnceAndRecorded) {
    EXPECT_TRUE(pending_migrations(db()).empty());
    EXPECT_TRUE(migrate(db()).empty());
    EXPECT_EQ(current_version(db()), migrations_for(db().dialect()).back().version);
}

// A bulk write (the HSDS import) plans each statement for the tables as they are, for that
// transaction only: on PostgreSQL a plan cached while a table was small would keep scanning it
// whole as the transaction fills it.
TEST_F(Store, BulkWritesPlanForTheCurrentTablesOnlyInTheirTransaction) {
    if (db().dialect() != Dialect::postgres) {
        auto tx = db().begin(TxMode::write);
        plan_for_bulk_writes(*tx);  // nothing to do on SQLite, and nothing breaks
        tx->commit();
        return;
    }
    auto setting = [](Tx& tx) { return tx.query_one("SHOW plan_cache_mode")->str(0); };
    {
        auto tx = db().begin(TxMode::write);
        EXPECT_EQ(setting(*tx), "auto");
        plan_for_bulk_writes(*tx);
        EXPECT_EQ(setting(*tx), "force_custom_plan");
        tx->commit();
    }
    for (int i = 0; i < 4; ++i) {  // whichever pooled connection comes next
        auto tx = db().begin(TxMode::read);
        EXPECT_EQ(setting(*tx), "auto");
    }
}

TEST_F(Store, SdaLifecycleAndDuplicateCodes) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    auto id = repo.create_sda({"east", "Est", "East"}, 0);
    ASSERT_TRUE(id);
    auto dup = repo.create_sda({"east", "Autre", "Other"}, 0);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::Conflict);
    ASSERT_EQ(dup.error().fields.size(), 1u);
    EXPECT_EQ(dup.error().fields[0].field, "code");
    auto id2 = repo.create_sda({"west", "Ouest", "West"}, 0);
    ASSERT_TRUE(id2);
    EXPECT_EQ(repo.update_sda(*id2, {"east", "x", "y"}, 0).error().code, Errc::Conflict);
    EXPECT_TRUE(repo.update_sda(*id2, {"west-2", "Ouest 2", "West 2"}, 0));
    EXPECT_TRUE(repo.set_sda_active(*id, false, 0));
    EXPECT_EQ(repo.list_sdas(false).size(), 1u);
    EXPECT_EQ(repo.list_sdas(true).size(), 2u);
    EXPECT_EQ(repo.update_sda(999999, {"z", "z", "z"}, 0).error().code, Errc::NotFound);
    tx->commit();
}

TEST_F(Store, OrganisationsKeepTheirCspRolesAndSites) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    const auto sda = *repo.create_sda({"east", "Est", "East"}, 0);
    auto o = org(sda, "Clinic");
    o.csp_roles = {d::CspRole::csp_provider, d::CspRole::csp_participant};
    o.phone = "+1 613-555-0100";
    const auto id = *repo.create_organisation(o, 0);
    auto found = repo.find_organisation(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->csp_roles, (std::vector<std::string>{"csp_participant", "csp_provider"}));
    EXPECT_EQ(found->phone, "+1 613-555-0100");
    EXPECT_EQ(found->sda_code, "east");
    o.csp_roles = {d::CspRole::broader_partner};
    ASSERT_TRUE(repo.update_organisation(id, o, 0));
    EXPECT_EQ(repo.find_organisation(id)->csp_roles, (std::vector<std::string>{"broader_partner"}));
    EXPECT_EQ(repo.list_organisations(sda, false).front().csp_roles, (std::vector<std::string>{"broader_partner"}));
    // Unknown SDA: a field error, nothing written.
    auto bad = org(424242, "Ghost");
    EXPECT_EQ(repo.create_organisation(bad, 0).error().code, Errc::Invalid);
    const auto site = repo.create_site(id, {"Site fr", "Site", "1 Main St", "Town", "K1A 0B1"}, 0);
    ASSERT_TRUE(site);
    EXPECT_EQ(repo.list_sites(id).size(), 1u);
    EXPECT_TRUE(repo.set_site_active(*site, false, 0));
    EXPECT_FALSE(repo.list_sites(id).front().active);
    EXPECT_EQ(repo.create_site(999999, {"a", "b", "", "", ""}, 0).error().code, Errc::NotFound);
    tx->commit();
}

TEST_F(Store, UsersAreUniqueByEmailAndScopedByAdministrator) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    const auto a = *repo.create_sda({"a", "A", "A"}, 0);
    const auto b = *repo.create_sda({"b", "B", "B"}, 0);
    const auto org_a = *repo.create_organisation(org(a, "Org A"), 0);
    const auto org_b = *repo.create_organisation(org(b, "Org B"), 0);
    const auto admin_a = *repo.create_user({"admin.a@example.org", "Admin A", Lang::fr}, 0);
    const auto staff_a = *repo.create_user({"staff.a@example.org", "Staff A", Lang::en}, 0);
    const auto staff_b = *repo.create_user({"staff.b@example.org", "Staff B", Lang::en}, 0);
    ASSERT_TRUE(repo.add_membership(admin_a, {org_a, d::Role::ca_admin}, 0));
    ASSERT_TRUE(repo.add_membership(staff_a, {org_a, d::Role::coordinator}, 0));
    ASSERT_TRUE(repo.add_membership(staff_b, {org_b, d::Role::coordinator}, 0));

    auto dup = repo.create_user({"staff.a@example.org", "Someone", Lang::en}, 0);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::Conflict);
    EXPECT_EQ(dup.error().fields.at(0).field, "email");

    const auto viewer = repo.principal_of(admin_a);
    ASSERT_EQ(viewer.grants.size(), 1u);
    EXPECT_EQ(viewer.grants[0].sda_id, a);
    const auto seen = repo.list_users(viewer, {});
    std::vector<std::string> emails;
    for (const auto& u : seen) emails.push_back(u.email);
    EXPECT_EQ(emails, (std::vector<std::string>{"admin.a@example.org", "staff.a@example.org"}));
    EXPECT_FALSE(repo.find_user_for(viewer, staff_b));
    EXPECT_TRUE(repo.find_user_for(viewer, staff_a));
    // Search text with LIKE wildcards is taken literally.
    EXPECT_TRUE(repo.list_users(viewer, {.text = "%"}).size() == 2u);
    EXPECT_EQ(repo.list_users(viewer, {.text = "STAFF"}).size(), 1u);

    // A coordinator administers no one.
    EXPECT_TRUE(repo.list_users(repo.principal_of(staff_a), {}).empty());

    // A system administrator sees everyone.
    d::Principal sys;
    sys.grants.push_back({org_a, a, d::Role::system_admin});
    EXPECT_EQ(repo.list_users(sys, {}).size(), 3u);
    tx->commit();
}

TEST_F(Store, MembershipsDeactivateAndReactivate) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    const auto sda = *repo.create_sda({"a", "A", "A"}, 0);
    const auto o = *repo.create_organisation(org(sda, "Org"), 0);
    const auto u = *repo.create_user({"u@example.org", "U", Lang::en}, 0);
    const auto m = *repo.add_membership(u, {o, d::Role::coordinator}, 0);
    EXPECT_EQ(repo.add_membership(u, {o, d::Role::coordinator}, 0).error().code, Errc::Conflict);
    ASSERT_TRUE(repo.set_membership_active(m, false, 0));
    EXPECT_TRUE(repo.principal_of(u).grants.empty());
    EXPECT_EQ(*repo.add_membership(u, {o, d::Role::coordinator}, 0), m);  // reactivated, same row
    EXPECT_EQ(repo.principal_of(u).grants.size(), 1u);
    ASSERT_TRUE(repo.set_organisation_active(o, false, 0));
    EXPECT_TRUE(repo.principal_of(u).grants.empty());  // inactive organisation grants nothing
    EXPECT_EQ(repo.add_membership(u, {999999, d::Role::coordinator}, 0).error().code, Errc::Invalid);
    tx->commit();
}

TEST_F(Store, AdministrativeChangesAreAudited) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    const auto sda = *repo.create_sda({"a", "A", "A"}, 0);
    const auto u = *repo.create_user({"u@example.org", "U", Lang::en}, 0);
    ASSERT_TRUE(repo.set_sda_active(sda, false, u));
    auto rows = tx->query("SELECT action, entity, user_id FROM admin_audit ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].str(0), "create");
    EXPECT_TRUE(rows[0].is_null(2));
    EXPECT_EQ(rows[2].str(0), "deactivate");
    EXPECT_EQ(rows[2].i64(2), u);
    tx->commit();
}

TEST_F(Store, SessionsExpireAndAreRevoked) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    AuthRepo auth(*tx, clock_);
    const auto u = *repo.create_user({"u@example.org", "U", Lang::en}, 0);
    auth.create_session("s1", u, clock_.now() + std::chrono::hours(1), false);
    auth.create_session("s2", u, clock_.now() + std::chrono::hours(1), true);
    ASSERT_TRUE(auth.find_session("s1"));
    EXPECT_TRUE(auth.find_session("s2")->mfa_pending);
    auth.clear_mfa_pending("s2");
    EXPECT_FALSE(auth.find_session("s2")->mfa_pending);
    auth.revoke_session("s1");
    EXPECT_FALSE(auth.find_session("s1"));
    clock_.advance(std::chrono::hours(2));
    EXPECT_FALSE(auth.find_session("s2"));  // past its absolute expiry
    auth.create_session("s3", u, clock_.now() + std::chrono::hours(1), false);
    ASSERT_TRUE(repo.set_user_active(u, false, 0));
    EXPECT_FALSE(auth.find_session("s3"));  // deactivation ends every session
    EXPECT_EQ(auth.purge_expired_sessions(), 3);
    tx->commit();
}

TEST_F(Store, LoginFailuresAreCountedWithinTheWindow) {
    auto tx = db().begin(TxMode::write);
    AuthRepo auth(*tx, clock_);
    const auto start = clock_.now();
    auth.record_failure("account", "a@example.org");
    clock_.advance(std::chrono::minutes(10));
    auth.record_failure("account", "a@example.org");
    auth.record_failure("address", "127.0.0.1");
    EXPECT_EQ(auth.count_failures("account", "a@example.org", start), 2);
    EXPECT_EQ(auth.count_failures("account", "a@example.org", clock_.now() - std::chrono::minutes(5)), 1);
    EXPECT_EQ(auth.count_failures("address", "127.0.0.1", start), 1);
    auth.clear_failures("account", "a@example.org");
    EXPECT_EQ(auth.count_failures("account", "a@example.org", start), 0);
    tx->commit();
}

TEST_F(Store, TokensAreSingleUseAndTotpStepsOnlyMoveForward) {
    auto tx = db().begin(TxMode::write);
    IdentityRepo repo(*tx, clock_);
    AuthRepo auth(*tx, clock_);
    const auto u = *repo.create_user({"u@example.org", "U", Lang::en}, 0);
    auth.create_token("h1", u, "reset", clock_.now() + std::chrono::hours(1));
    auto t = auth.find_token("h1");
    ASSERT_TRUE(t);
    EXPECT_FALSE(t->used);
    EXPECT_TRUE(auth.consume_token(t->id));
    EXPECT_FALSE(auth.consume_token(t->id));
    EXPECT_TRUE(auth.find_token("h1")->used);
    auth.create_token("h2", u, "invite", clock_.now() + std::chrono::hours(1));
    auth.expire_tokens(u, "invite");
    EXPECT_TRUE(auth.find_token("h2")->used);

    auth.set_totp_secret(u, std::string("JBSWY3DPEHPK3PXP"), true);
    EXPECT_TRUE(auth.advance_totp_step(u, 100));
    EXPECT_FALSE(auth.advance_totp_step(u, 100));  // replay of the same code
    EXPECT_FALSE(auth.advance_totp_step(u, 99));
    EXPECT_TRUE(auth.advance_totp_step(u, 101));
    EXPECT_TRUE(auth.credentials_by_id(u)->totp_enabled);
    tx->commit();
}

TEST_F(Store, OutboxAndSettings) {
    auto tx = db().begin(TxMode::write);
    AuthRepo auth(*tx, clock_);
    auth.enqueue_email("a@example.org", "Subject", "Body");
    auth.enqueue_email("b@example.org", "Subject 2", "Body 2");
    auto unsent = auth.unsent_email(10);
    ASSERT_EQ(unsent.size(), 2u);
    auth.mark_sent(unsent[0].id);
    auth.mark_failed(unsent[1].id, "connection refused");
    EXPECT_EQ(auth.unsent_email(10).size(), 1u);
    EXPECT_EQ(auth.list_outbox(10).front().to, "b@example.org");
    EXPECT_FALSE(auth.setting("k"));
    auth.put_setting("k", "v1");
    auth.put_setting("k", "v2");
    EXPECT_EQ(auth.setting("k").value(), "v2");
    tx->commit();
}

TEST_F(Store, RolledBackTransactionsLeaveNothing) {
    {
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        ASSERT_TRUE(repo.create_sda({"gone", "x", "y"}, 0));
        // No commit: destroyed → rolled back.
    }
    auto result = transact(db(), TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
        IdentityRepo repo(tx, clock_);
        auto id = repo.create_sda({"also-gone", "x", "y"}, 0);
        if (!id) return id.error();
        return Error::invalid({});  // a later step fails: the whole request is undone
    });
    EXPECT_FALSE(result);
    auto tx = db().begin(TxMode::read);
    EXPECT_TRUE(IdentityRepo(*tx, clock_).list_sdas(true).empty());
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM admin_audit")->i64(0), 0);
}

TEST_F(Store, ConcurrentWritersAllSucceed) {
    {
        auto tx = db().begin(TxMode::write);
        IdentityRepo(*tx, clock_).create_sda({"a", "A", "A"}, 0).value();
        tx->commit();
    }
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto tx = db().begin(TxMode::write);
                IdentityRepo repo(*tx, clock_);
                auto r = repo.create_user({"u" + std::to_string(t) + "-" + std::to_string(i) + "@example.org", "U", Lang::en}, 0);
                if (r) {
                    tx->commit();
                    ++ok;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 40);
    auto tx = db().begin(TxMode::read);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM users")->i64(0), 40);
}

TEST_F(Store, DemoDataIsCompleteAndLoadsOnce) {
    ASSERT_TRUE(app::load_demo_data(db(), clock_, PasswordHashCost::minimum()));
    EXPECT_FALSE(app::load_demo_data(db(), clock_, PasswordHashCost::minimum()));
    auto tx = db().begin(TxMode::read);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM organisations")->i64(0), 11);
    // Twenty-one staff, the service accounts of the two demo API clients (features/fhir) and one
    // family account (Noah Demo-Smith's grandmother, features/family).
    EXPECT_EQ(
        tx->query_one("SELECT COUNT(*) FROM users WHERE kind = 'staff' AND id NOT IN (SELECT user_id FROM api_clients)")->i64(0),
        21);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM users u JOIN api_clients c ON c.user_id = u.id")->i64(0), 2);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM users WHERE kind = 'family'")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM family_access WHERE revoked_at IS NULL")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM plan_signatures")->i64(0), 1);
    // The family's note on a goal and its concern to the coordinator.
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM plan_family_notes")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM family_concerns")->i64(0), 1);
    // The last quarter's report submitted (the analyst's), the one before a draft.
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM quarterly_reports WHERE status = 'submitted' AND hash <> ''")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM quarterly_reports WHERE status = 'draft'")->i64(0), 1);
    // The agreements registry (demo_agreements.hpp): eight agreements, every status, three
    // evaluations; three in force whose review is due within 60 days or late (the inventory's
    // filter), and the administrator reminded of two reviews and one expiry.
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM agreements")->i64(0), 8);
    const std::map<std::string, std::int64_t> statuses = {{"draft", 1},   {"active", 3},  {"under_review", 1},
                                                          {"renewed", 1}, {"expired", 1}, {"terminated", 1}};
    for (const auto& [status, n] : statuses)
        EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM agreements WHERE status = ?", {status})->i64(0), n) << status;
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM agreement_events WHERE event = 'terminate' AND note <> ''")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM agreement_evaluations")->i64(0), 3);
    const Date today = date_of(clock_.now());
    const std::string in_force = "SELECT COUNT(*) FROM agreements WHERE status IN ('active', 'under_review', 'renewed') ";
    EXPECT_EQ(tx->query_one(in_force + "AND review_due <= ?", {add_days(today, d::review_soon_days).iso()})->i64(0), 3);
    EXPECT_EQ(tx->query_one(in_force + "AND review_due < ?", {today.iso()})->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'agreement' "
                            "AND n.link LIKE '/agreements/%' AND u.email = 'ca.admin@demo.arrimage.invalid'")
                  ->i64(0),
              3);
    // The area's governance (demo_governance.hpp): the steering group (six members, and the town
    // that left) and the providers' working group (three); meetings in every status; eight
    // decisions, one overdue and one due within the week; last year's report signed by all six
    // and submitted, the working group's circulating with one signature of three, this year's a
    // draft.
    auto count = [&](const std::string& sql, Params params = {}) { return tx->query_one(sql, std::move(params))->i64(0); };
    EXPECT_EQ(count("SELECT COUNT(*) FROM committees"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM committees WHERE kind = 'steering_group'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM committees WHERE kind = 'working_group'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM committee_members WHERE left_on = ''"), 9);
    EXPECT_EQ(count("SELECT COUNT(*) FROM committee_members WHERE left_on <> ''"), 1);
    const std::map<std::string, std::int64_t> meetings = {
        {"scheduled", 1}, {"held", 2}, {"minutes_approved", 1}, {"cancelled", 1}};
    for (const auto& [status, n] : meetings)
        EXPECT_EQ(count("SELECT COUNT(*) FROM committee_meetings WHERE status = ?", {status}), n) << status;
    EXPECT_EQ(count("SELECT COUNT(*) FROM committee_meetings WHERE status = 'scheduled' AND held_on > ?", {today.iso()}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM committee_meetings WHERE status IN ('held', 'minutes_approved') AND minutes <> ''"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM meeting_attendance"), 14);
    const std::map<std::string, std::int64_t> decisions = {{"open", 4}, {"in_progress", 1}, {"done", 2}, {"cancelled", 1}};
    for (const auto& [status, n] : decisions)
        EXPECT_EQ(count("SELECT COUNT(*) FROM governance_decisions WHERE status = ?", {status}), n) << status;
    const std::string pending = "SELECT COUNT(*) FROM governance_decisions WHERE status IN ('open', 'in_progress') ";
    EXPECT_EQ(count(pending + "AND due_on < ?", {today.iso()}), 1);
    EXPECT_EQ(count(pending + "AND due_on >= ? AND due_on <= ?", {today.iso(), add_days(today, d::decision_reminder_days).iso()}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM decision_events WHERE event = 'follow_up' AND note <> ''"), 2);
    const std::map<std::string, std::int64_t> reports = {{"draft", 1}, {"circulating", 1}, {"submitted", 1}};
    for (const auto& [status, n] : reports)
        EXPECT_EQ(count("SELECT COUNT(*) FROM yearly_reports WHERE status = ?", {status}), n) << status;
    EXPECT_EQ(count("SELECT COUNT(*) FROM yearly_report_signatures s JOIN yearly_reports r ON r.id = s.report_id "
                    "WHERE r.status = 'submitted' AND s.signed_at <> '' AND s.digest = r.digest"),
              6);
    EXPECT_EQ(count("SELECT COUNT(*) FROM yearly_report_signatures s JOIN yearly_reports r ON r.id = s.report_id "
                    "WHERE r.status = 'circulating'"),
              3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM yearly_report_signatures s JOIN yearly_reports r ON r.id = s.report_id "
                    "WHERE r.status = 'circulating' AND s.signed_at <> ''"),
              1);
    // Its reminders: the overdue decision and the one due within the week, to the owners'
    // managers and the administrator; the working group's report, to the two managers yet to sign.
    const std::map<std::string, std::int64_t> reminded = {{"ca.admin@demo.arrimage.invalid", 2},
                                                          {"manager1@demo.arrimage.invalid", 2},
                                                          {"manager2@demo.arrimage.invalid", 1},
                                                          {"manager3@demo.arrimage.invalid", 1}};
    for (const auto& [email, n] : reminded)
        EXPECT_EQ(count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'governance' "
                        "AND n.link LIKE '/governance/%' AND u.email = ?",
                        {email}),
                  n)
            << email;
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'governance'"), 6);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'agreement' AND link NOT LIKE '/agreements/%'"), 0);
    // The complaints register (demo_complaints.hpp): ten complaints in every status, from every
    // source (two of the public form's anonymous), one a conflict between two providers; the
    // area's own deadlines; the agency's coordinator owns three open ones, of which one is past its
    // resolution deadline (escalated to the administrator) and one due tomorrow (she was reminded).
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaints"), 10);
    const std::map<std::string, std::int64_t> complaint_statuses = {
        {"received", 2}, {"triaged", 1}, {"acknowledged", 2}, {"resolved", 1}, {"appealed", 1}, {"closed", 2}, {"withdrawn", 1}};
    for (const auto& [status, n] : complaint_statuses)
        EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE status = ?", {status}), n) << status;
    const std::map<std::string, std::int64_t> complaint_sources = {{"public", 6}, {"family", 1}, {"provider", 3}};
    for (const auto& [source, n] : complaint_sources)
        EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE source = ?", {source}), n) << source;
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE source = 'public' AND complainant_name = ''"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE kind = 'conflict' AND raised_by_org IS NOT NULL AND "
                    "about_organisation_id IS NOT NULL AND raised_by_org <> about_organisation_id"),
              1);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT severity) FROM complaints WHERE severity <> ''"), 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE status = 'closed' AND appeal_decision <> ''"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaint_settings WHERE acknowledge_days = 5 AND resolve_days = 30 AND "
                    "appeal_days = 15"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaint_events WHERE event = 'receive'"), 10);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaint_events WHERE event = 'step' AND note <> ''"), 8);
    const std::string owned = "SELECT COUNT(*) FROM complaints c JOIN users u ON u.id = c.owner_user_id WHERE u.email = ? ";
    const Params coordinator = {std::string("coord.ca@demo.arrimage.invalid")};
    EXPECT_EQ(count(owned + "AND c.status IN ('received', 'triaged', 'acknowledged', 'appealed')", coordinator), 3);
    EXPECT_EQ(count(owned + "AND c.status = 'acknowledged' AND c.resolve_due < ?", {coordinator[0], today.iso()}), 1);
    EXPECT_EQ(count(owned + "AND c.status = 'acknowledged' AND c.resolve_due = ?", {coordinator[0], add_days(today, 1).iso()}),
              1);
    // Nothing else is late or due within two days.
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaints WHERE (status IN ('received', 'triaged') AND acknowledge_due <= ?) OR "
                    "(status = 'acknowledged' AND resolve_due <= ?) OR (status = 'appealed' AND appeal_due <= ?)",
                    {add_days(today, 2).iso(), add_days(today, 2).iso(), add_days(today, 2).iso()}),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM complaint_events WHERE event = 'escalate' AND note = 'resolve'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'complaint' "
                    "AND n.dedupe_key LIKE 'complaint-due:%' AND u.email = ?",
                    coordinator),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'complaint' "
                    "AND n.dedupe_key LIKE 'complaint-overdue:%' AND u.email = 'ca.admin@demo.arrimage.invalid'"),
              1);
    // Someone works for two organisations (the choice of membership on the home page).
    EXPECT_EQ(
        tx->query_one("SELECT COUNT(*) FROM (SELECT user_id FROM memberships GROUP BY user_id HAVING COUNT(*) > 1) t")->i64(0),
        1);
    // Every role is held by someone.
    EXPECT_EQ(tx->query_one("SELECT COUNT(DISTINCT role) FROM memberships")->i64(0),
              static_cast<std::int64_t>(d::all_roles().size()));
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM organisation_csp_roles WHERE csp_role = 'csp_provider'")->i64(0), 3);
    for (const auto& r : tx->query("SELECT postal_code FROM sites")) EXPECT_TRUE(d::normalise_postal_code(r.str(0))) << r.str(0);
    auto creds = AuthRepo(*tx, clock_).credentials_by_email("ca.admin@demo.arrimage.invalid");
    ASSERT_TRUE(creds);
    EXPECT_TRUE(verify_password(app::demo_password, *creds->password_hash));
}

// Where the demo area's network stands (demo_network.hpp): three assessments of the area over two
// years, from cooperation to coordination with marks gained, and two of the Youth Crisis Line
// partnership; seven community plans, one of each kind, in every status; the administrator
// reminded of the children's services plan's review (within 90 days), the health team's plan
// (past its deadline) and the housing plan's yearly progress report (within 30 days).
TEST_F(Store, DemoNetworkHasItsAssessmentsAndPlans) {
    ASSERT_TRUE(app::load_demo_data(db(), clock_, PasswordHashCost::minimum()));
    auto tx = db().begin(TxMode::read);
    auto count = [&](const std::string& sql, Params params = {}) { return tx->query_one(sql, std::move(params))->i64(0); };
    const Date today = date_of(clock_.now());

    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_assessments"), 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_assessments WHERE assessed_on > ?", {today.iso()}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_assessments WHERE assessed_on < ?", {add_days(today, -600).iso()}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_answers"), 5 * 6);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_answers WHERE evidence = ''"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_marks"), 5 * 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_marks WHERE held = 1 AND evidence = ''"), 0);
    struct Expected {
        std::string stage;
        std::int64_t tenths, marks;
    };
    const std::vector<Expected> area = {{"cooperation", 22, 1}, {"coordination", 30, 2}, {"coordination", 35, 3}};
    const auto area_rows = tx->query(
        "SELECT a.stage, a.score_tenths, (SELECT COUNT(*) FROM maturity_marks m WHERE m.assessment_id = a.id AND m.held = 1) "
        "FROM maturity_assessments a WHERE a.agreement_id IS NULL ORDER BY a.assessed_on");
    ASSERT_EQ(area_rows.size(), area.size());
    for (std::size_t i = 0; i < area.size(); ++i) {
        EXPECT_EQ(area_rows[i].str(0), area[i].stage) << i;
        EXPECT_EQ(area_rows[i].i64(1), area[i].tenths) << i;
        EXPECT_EQ(area_rows[i].i64(2), area[i].marks) << i;
    }
    // The partnership is the Youth Crisis Line's, in force.
    EXPECT_EQ(count("SELECT COUNT(*) FROM maturity_assessments a JOIN agreements g ON g.id = a.agreement_id "
                    "WHERE g.kind = 'partnership' AND g.status = 'active'"),
              2);
    const auto partnership_rows =
        tx->query("SELECT stage, score_tenths FROM maturity_assessments WHERE agreement_id IS NOT NULL ORDER BY assessed_on");
    ASSERT_EQ(partnership_rows.size(), 2u);
    EXPECT_EQ(partnership_rows[0].str(0), "cooperation");
    EXPECT_EQ(partnership_rows[1].str(0), "coordination");
    EXPECT_LT(partnership_rows[0].i64(1), partnership_rows[1].i64(1));

    EXPECT_EQ(count("SELECT COUNT(*) FROM community_plans"), 7);
    for (auto kind : d::all_community_plan_kinds())
        EXPECT_EQ(count("SELECT COUNT(*) FROM community_plans WHERE kind = ?", {std::string(d::code(kind))}), 1) << d::code(kind);
    const std::map<std::string, std::int64_t> statuses = {
        {"in_development", 1}, {"approved", 4}, {"under_review", 1}, {"retired", 1}};
    for (const auto& [status, n] : statuses)
        EXPECT_EQ(count("SELECT COUNT(*) FROM community_plans WHERE status = ?", {status}), n) << status;
    EXPECT_EQ(count("SELECT COUNT(*) FROM community_plan_events WHERE event = 'retire' AND note <> ''"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM community_plans WHERE owner_organisation IS NULL AND owner_name <> ''"), 4);
    const std::string live = "SELECT COUNT(*) FROM community_plans WHERE status <> 'retired' AND next_review_on <> '' ";
    EXPECT_EQ(count(live + "AND next_review_on < ?", {today.iso()}), 1);
    EXPECT_EQ(count(live + "AND next_review_on >= ? AND next_review_on <= ?",
                    {today.iso(), add_days(today, d::review_notice_days).iso()}),
              1);
    const auto housing = tx->query_one(
        "SELECT approved_on, next_review_on FROM community_plans WHERE kind = 'housing_homelessness' "
        "AND yearly_progress = 1");
    ASSERT_TRUE(housing);
    const auto progress = d::next_progress_report(true, parse_date(housing->str(0)), parse_date(housing->str(1)), today);
    ASSERT_TRUE(progress);
    EXPECT_LE(days_between(today, *progress), 30);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'network' "
                    "AND n.link LIKE '/network/plans/%' AND u.email = 'ca.admin@demo.arrimage.invalid'"),
              3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'network' AND link LIKE '/network/plans/%'"), 3)
        << "nobody else hears of the plans";
    // The training reminders the demo's standings have earned, each to its own person.
    EXPECT_GT(count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'network' AND "
                    "n.link = '/network/my-trainings' AND u.email = 'coord1@demo.arrimage.invalid'"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'network' AND link NOT LIKE '/network/plans/%' AND "
                    "link <> '/network/my-trainings'"),
              0);
}

// Capacity building in the demo area (demo_training.hpp): six trainings, one of them joint with
// four partners and required of nobody; requirements for every trainable role, none set within
// the last month; no completion in the future. Where people stand, as the administrator's
// compliance page counts it: every standing, the agency and the Catholic board fully compliant
// and the others not; Alex Exemple's own page one of each standing, the page of their manager,
// Robin Gestion-Démo, three obligations.
TEST_F(Store, DemoTrainingShowsEveryStanding) {
    ASSERT_TRUE(app::load_demo_data(db(), clock_, PasswordHashCost::minimum()));
    const Date today = date_of(clock_.now());
    {
        auto tx = db().begin(TxMode::read);
        auto count = [&](const std::string& sql, Params params = {}) { return tx->query_one(sql, std::move(params))->i64(0); };
        EXPECT_EQ(count("SELECT COUNT(*) FROM trainings WHERE retired = 0"), 6);
        EXPECT_EQ(count("SELECT COUNT(*) FROM trainings WHERE title_fr = '' OR title_en = '' OR description_fr = '' OR "
                        "description_en = ''"),
                  0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM trainings WHERE joint = 1"), 1);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_partners p JOIN trainings t ON t.id = p.training_id WHERE t.joint = 1"),
                  4);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_requirements r JOIN trainings t ON t.id = r.training_id "
                        "WHERE t.joint = 1"),
                  0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM trainings WHERE validity_months IS NULL"), 3);
        EXPECT_EQ(count("SELECT COUNT(DISTINCT format) FROM trainings"), 4);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_requirements"), 12);
        EXPECT_EQ(count("SELECT COUNT(DISTINCT role) FROM training_requirements"),
                  static_cast<std::int64_t>(d::trainable_roles().size()));
        EXPECT_EQ(
            count("SELECT COUNT(DISTINCT training_id) FROM training_requirements WHERE set_on > ?", {add_days(today, -30).iso()}),
            0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_completions"), 51);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_completions WHERE completed_on > ?", {today.iso()}), 0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM training_completions c JOIN trainings t ON t.id = c.training_id "
                        "WHERE t.joint = 1"),
                  6);
    }

    const auto admin = testsupport::actor_of(db(), "ca.admin@demo.arrimage.invalid");
    const auto compliance =
        testsupport::run_as<TrainingRepo>(db(), clock_, admin, [](TrainingRepo& repo) { return repo.compliance(); });
    ASSERT_TRUE(compliance);
    OrganisationCompliance total;
    std::map<std::string, int> percent;
    for (const auto& o : *compliance) {
        total.obligations += o.obligations;
        total.complete += o.complete;
        total.expiring_soon += o.expiring_soon;
        total.due += o.due;
        total.overdue += o.overdue;
        total.lapsed += o.lapsed;
        if (o.obligations > 0) percent[o.name_en] = o.percent;
    }
    EXPECT_EQ(total.obligations, 63);
    EXPECT_EQ(total.complete, 39);
    EXPECT_EQ(total.expiring_soon, 4);
    EXPECT_EQ(total.due, 13);
    EXPECT_EQ(total.overdue, 4);
    EXPECT_EQ(total.lapsed, 3);
    const std::map<std::string, int> expected = {
        {"Demo Coordinating Agency", 100},        {"Blue River Family Services (fictional)", 61},
        {"Fictional Maple Youth Centre", 75},     {"Demo North Community Network", 37},
        {"Demo Children's Treatment Centre", 83}, {"Demo East Public School Board", 33},
        {"Example Catholic School Board", 100},   {"Demo Youth Mental Health", 85},
        {"Demo Home and Community Care", 66},     {"Town of Demoville", 33}};
    EXPECT_EQ(percent, expected);

    const auto coordinator = testsupport::actor_of(db(), "coord1@demo.arrimage.invalid");
    const auto mine =
        testsupport::run_as<TrainingRepo>(db(), clock_, coordinator, [](TrainingRepo& repo) { return repo.mine(); });
    ASSERT_TRUE(mine);
    std::map<d::TrainingStanding, int> standings;
    for (const auto& row : *mine) ++standings[row.standing];
    EXPECT_EQ(mine->size(), d::all_training_standings().size());
    for (auto s : d::all_training_standings()) EXPECT_EQ(standings[s], 1) << d::code(s);
    const auto manager = testsupport::actor_of(db(), "manager1@demo.arrimage.invalid");
    const auto managers =
        testsupport::run_as<TrainingRepo>(db(), clock_, manager, [](TrainingRepo& repo) { return repo.mine(); });
    ASSERT_TRUE(managers);
    EXPECT_EQ(managers->size(), 3u);
}

TEST_F(Store, AMigrationNumberedBelowTheNewestAppliedIsStillApplied) {
    // As if V002 had been skipped on this database while later ones were applied.
    {
        auto tx = db().begin(TxMode::write);
        tx->exec("DELETE FROM schema_migrations WHERE version = 2");
        tx->commit();
    }
    const auto pending = pending_migrations(db());
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].version, 2);
}

// A PostgreSQL server that dropped the pool's connections (a restart, an administrator's
// pg_terminate_backend) costs no request: the next transaction on each connection notices at its
// BEGIN, connects again and begins, and the reconnection is counted for /metrics.
TEST_F(Store, PooledConnectionsDroppedByTheServerReconnectAtTheirNextTransaction) {
    if (db().dialect() != Dialect::postgres) GTEST_SKIP() << "PostgreSQL only: SQLite has no server to drop a connection";
    auto pool = open_database(t_->url, 2);
    std::vector<std::int64_t> pids;
    {
        auto a = pool->begin(TxMode::read);
        auto b = pool->begin(TxMode::read);
        pids = {a->query_one("SELECT pg_backend_pid()")->i64(0), b->query_one("SELECT pg_backend_pid()")->i64(0)};
        a->commit();
        b->commit();
    }
    ASSERT_NE(pids[0], pids[1]);
    for (auto pid : pids) EXPECT_EQ(testsupport::scalar(db(), "SELECT pg_terminate_backend(?::int)::int", {pid}), 1);
    for (int i = 0; i < 200 && testsupport::scalar(db(), "SELECT count(*) FROM pg_stat_activity WHERE pid IN (?::int, ?::int)",
                                                   {pids[0], pids[1]}) > 0;
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto reconnects = driver_counters().reconnects.load();
    {
        auto a = pool->begin(TxMode::read);
        auto b = pool->begin(TxMode::write);
        EXPECT_EQ(a->query_one("SELECT 1")->i64(0), 1);
        EXPECT_EQ(b->query_one("SELECT 2")->i64(0), 2);
        EXPECT_NE(a->query_one("SELECT pg_backend_pid()")->i64(0), pids[0]);
        a->commit();
        b->commit();
    }
    EXPECT_EQ(driver_counters().reconnects.load() - reconnects, 2u);
}

// `serve` started beside a database that is not up yet waits for it, trying again with a growing
// pause until its time is up; a URL it cannot use fails at once.
TEST_F(Store, OpeningADatabaseThatIsNotUpWaitsThenGivesUp) {
    int retries = 0;
    const auto on_retry = [&](const DbError& e, std::chrono::milliseconds pause) {
        EXPECT_EQ(e.kind(), DbError::Kind::unavailable);
        EXPECT_GT(pause.count(), 0);
        ++retries;
    };
    // Port 1 on loopback: nothing listens there.
    EXPECT_THROW(open_database_waiting("postgresql://arrimage@127.0.0.1:1/none?connect_timeout=2", 1,
                                       std::chrono::milliseconds(600), on_retry),
                 DbError);
    EXPECT_GE(retries, 1);
    retries = 0;
    EXPECT_THROW(open_database_waiting("mysql://nowhere", 1, std::chrono::milliseconds(600), on_retry), DbError);
    EXPECT_EQ(retries, 0);
    // A database that is there opens at once.
    EXPECT_TRUE(open_database_waiting(t_->url, 1, std::chrono::milliseconds(0), on_retry)->ping());
    EXPECT_EQ(retries, 0);
}
