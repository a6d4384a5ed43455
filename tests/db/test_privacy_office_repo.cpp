// The privacy office repository against SQLite (label db) and PostgreSQL (label pg): audit
// search filters and keyset paging restricted to the agency's files, reading the audit writes
// its own audit row (permitted or refused), anomalies, the family's access report, and the
// request and breach registers (clock, one extension, no deletes).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "store/audit_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"
#include "store/privacy_office_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class PrivacyOfficeStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        const auto east = *repo.create_sda({"east", "Est", "East"}, 0);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        agency_a_ = *repo.create_organisation(org(east, "Agence A", "Agency A", d::CspRole::coordinating_agency), 0);
        agency_b_ = *repo.create_organisation(org(west, "Agence B", "Agency B", d::CspRole::coordinating_agency), 0);
        board_ = *repo.create_organisation(org(east, "Conseil scolaire", "School board", d::CspRole::csp_participant), 0);
        intake_a_ = user(repo, "intake.a", agency_a_, d::Role::coordinator);
        intake_b_ = user(repo, "intake.b", agency_b_, d::Role::coordinator);
        privacy_a_ = user(repo, "privacy.a", agency_a_, d::Role::privacy_officer);
        privacy_b_ = user(repo, "privacy.b", agency_b_, d::Role::privacy_officer);
        teacher_ = user(repo, "teacher", board_, d::Role::participant_staff);
        tx->commit();
        file_a1_ = register_as(intake_a_, "Alice", "Demo-Un", "2015-01-01");
        file_a2_ = register_as(intake_a_, "Benoit", "Demo-Deux", "2014-02-02");
        file_b_ = register_as(intake_b_, "Chloé", "Demo-Trois", "2013-03-03");
    }
    Database& db() { return *t_->db; }

    static d::Organisation org(std::int64_t sda, const std::string& fr, const std::string& en, d::CspRole role) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = fr;
        o.name_en = en;
        o.sector = d::Sector::childrens_services;
        o.csp_roles = {role};
        return o;
    }
    d::Actor user(IdentityRepo& repo, const std::string& name, std::int64_t org_id, d::Role role) {
        const auto id = *repo.create_user({name + "@test.invalid", name, Lang::en}, 0);
        EXPECT_TRUE(repo.add_membership(id, {org_id, role}, 0));
        return {id, org_id, role};
    }
    std::int64_t register_as(const d::Actor& actor, const std::string& given, const std::string& family, const std::string& dob) {
        auto tx = db().begin(TxMode::write);
        PersonRepo repo(arrimage::testsupport::AccessForTests::as(*tx, clock_, actor, "req-register"));
        Registration r;
        r.person.given_name = given;
        r.person.family_name = family;
        r.person.date_of_birth = *parse_date(dob);
        r.person.official_language = Lang::fr;
        d::FamilyMember m;
        m.given_name = "Parent";
        m.family_name = family;
        m.relationship = d::FamilyRelationship::parent;
        m.phone = "+1 613-555-0101";
        r.family.push_back(m);
        auto out = repo.register_person(r);
        tx->commit();
        EXPECT_TRUE(out && out->person_id > 0) << given;
        return out ? out->person_id : 0;
    }
    // A committed read of a file by `actor` (audited by PersonRepo, permitted or not).
    void read_as(const d::Actor& actor, std::int64_t person_id) {
        auto tx = db().begin(TxMode::write);
        (void)PersonRepo(arrimage::testsupport::AccessForTests::as(*tx, clock_, actor, "req-read")).read_file(person_id);
        tx->commit();
    }
    template <typename Fn>
    auto as(const d::Actor& actor, Fn fn) {
        auto tx = db().begin(TxMode::write);
        PrivacyOfficeRepo repo(arrimage::testsupport::AccessForTests::as(*tx, clock_, actor, "req-office"));
        auto out = fn(repo);
        tx->commit();
        return out;
    }
    std::int64_t count(const std::string& sql, const Params& p = {}) {
        auto tx = db().begin(TxMode::read);
        return tx->query_one(sql, p)->i64(0);
    }
    std::int64_t audit_count() { return count("SELECT COUNT(*) FROM audit_events"); }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t agency_a_ = 0, agency_b_ = 0, board_ = 0, file_a1_ = 0, file_a2_ = 0, file_b_ = 0;
    d::Actor intake_a_, intake_b_, privacy_a_, privacy_b_, teacher_;
};

TEST_F(PrivacyOfficeStore, SearchingTheAuditIsItselfAuditedAndSeesOnlyTheAgencysFiles) {
    read_as(intake_a_, file_a1_);
    read_as(intake_b_, file_b_);
    const auto before = audit_count();
    auto page = as(privacy_a_, [](PrivacyOfficeRepo& r) { return r.search_audit({}, std::nullopt, 100); });
    ASSERT_TRUE(page);
    EXPECT_EQ(audit_count(), before + 1);
    ASSERT_FALSE(page->rows.empty());
    for (const auto& row : page->rows) EXPECT_TRUE(row.person_id == file_a1_ || row.person_id == file_a2_) << row.id;
    EXPECT_FALSE(page->next_before);
    // The search's own row: access_log, search, oversight, permitted, about no single file.
    auto tx = db().begin(TxMode::read);
    auto last = tx->query_one(
        "SELECT user_id, person_id, action, category, purpose, decision, reason FROM audit_events ORDER BY id DESC LIMIT 1");
    EXPECT_EQ(last->i64(0), privacy_a_.user_id);
    EXPECT_FALSE(last->opt_i64(1));
    EXPECT_EQ(last->str(2), "search");
    EXPECT_EQ(last->str(3), "access_log");
    EXPECT_EQ(last->str(4), "oversight");
    EXPECT_EQ(last->str(5), "permit");
    EXPECT_EQ(last->str(6), "privacy_oversight");
}

TEST_F(PrivacyOfficeStore, OthersAreRefusedAndTheRefusalIsAudited) {
    for (const auto& actor : {intake_a_, teacher_}) {
        const auto before = audit_count();
        auto page = as(actor, [](PrivacyOfficeRepo& r) { return r.search_audit({}, std::nullopt, 10); });
        ASSERT_FALSE(page);
        EXPECT_EQ(page.error().code, Errc::Forbidden);
        EXPECT_EQ(audit_count(), before + 1);
        EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND category = 'access_log' AND decision = 'deny'",
                        {actor.user_id}),
                  1);
    }
    // Another agency's privacy officer, asking about agency A's file: refused, audited on that file.
    AuditFilter f;
    f.person_id = file_a1_;
    auto page = as(privacy_b_, [&](PrivacyOfficeRepo& r) { return r.search_audit(f, std::nullopt, 10); });
    ASSERT_FALSE(page);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND reason = 'no_relationship'",
                    {privacy_b_.user_id, file_a1_}),
              1);
    // And agency B's officer searching everything sees only agency B's file.
    auto own = as(privacy_b_, [](PrivacyOfficeRepo& r) { return r.search_audit({}, std::nullopt, 100); });
    ASSERT_TRUE(own);
    for (const auto& row : own->rows) EXPECT_EQ(row.person_id, file_b_);
}

TEST_F(PrivacyOfficeStore, FiltersAndKeysetPaging) {
    for (int i = 0; i < 3; ++i) read_as(intake_a_, file_a1_);
    read_as(teacher_, file_a2_);  // refused: no relationship
    clock_.advance(std::chrono::hours(48));
    read_as(intake_a_, file_a2_);

    auto search = [&](const AuditFilter& f, std::optional<std::int64_t> before = std::nullopt, int limit = 100) {
        auto r = as(privacy_a_, [&](PrivacyOfficeRepo& repo) { return repo.search_audit(f, before, limit); });
        EXPECT_TRUE(r);
        return r ? *r : AuditPage{};
    };
    AuditFilter by_file;
    by_file.person_id = file_a2_;
    for (const auto& r : search(by_file).rows) EXPECT_EQ(r.person_id, file_a2_);

    AuditFilter by_user;
    by_user.user_id = teacher_.user_id;
    auto rows = search(by_user).rows;
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].decision, "deny");
    EXPECT_EQ(rows[0].reason, "no_relationship");
    EXPECT_EQ(rows[0].user_name, "teacher");
    EXPECT_EQ(rows[0].org_name_en, "School board");

    AuditFilter by_org;
    by_org.organisation_id = board_;
    EXPECT_EQ(search(by_org).rows.size(), 1u);

    AuditFilter denied;
    denied.decision = d::Effect::deny;
    rows = search(denied).rows;
    EXPECT_EQ(rows.size(), 5u);  // the teacher, and education at each of the agency's four reads
    for (const auto& r : rows) EXPECT_EQ(r.decision, "deny");
    denied.user_id = teacher_.user_id;
    EXPECT_EQ(search(denied).rows.size(), 1u);

    AuditFilter creates;
    creates.action = d::Action::create;
    EXPECT_EQ(search(creates).rows.size(), 2u);  // the two registrations

    AuditFilter today;
    today.from = *parse_date("2026-11-25");
    today.to = *parse_date("2026-11-25");
    for (const auto& r : search(today).rows) EXPECT_EQ(r.at.substr(0, 10), "2026-11-25");
    EXPECT_FALSE(search(today).rows.empty());
    AuditFilter earlier;
    earlier.to = *parse_date("2026-11-23");
    for (const auto& r : search(earlier).rows) EXPECT_EQ(r.at.substr(0, 10), "2026-11-23");

    AuditFilter break_glass;
    break_glass.break_glass_only = true;
    EXPECT_TRUE(search(break_glass).rows.empty());

    // Paging: newest first, two at a time, without overlap, until the end.
    std::vector<std::int64_t> all, paged;
    for (const auto& r : search({}).rows) all.push_back(r.id);
    ASSERT_GE(all.size(), 5u);
    EXPECT_TRUE(std::is_sorted(all.rbegin(), all.rend()));
    std::optional<std::int64_t> before;
    for (;;) {
        auto p = search({}, before, 2);
        for (const auto& r : p.rows) paged.push_back(r.id);
        if (!p.next_before) break;
        before = p.next_before;
    }
    // Each page's own search adds rows about no file, which the search never returns.
    EXPECT_EQ(paged, all);
}

TEST_F(PrivacyOfficeStore, ExportIsAuditedAsExport) {
    read_as(intake_a_, file_a1_);
    auto rows = as(privacy_a_, [](PrivacyOfficeRepo& r) { return r.export_audit({}, 1000); });
    ASSERT_TRUE(rows);
    EXPECT_FALSE(rows->empty());
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM audit_events WHERE action = 'export' AND category = 'access_log' AND decision = 'permit'"),
        1);
}

TEST_F(PrivacyOfficeStore, AnomaliesFindUnrelatedAttemptsAndBulkOpenings) {
    read_as(teacher_, file_a1_);
    read_as(intake_b_, file_a2_);
    read_as(intake_a_, file_a1_);
    d::BulkAccessRule rule;
    rule.max_distinct_files = 1;  // two files within the hour is "many" here
    auto a = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.anomalies(rule, std::nullopt, 50); });
    ASSERT_TRUE(a);
    ASSERT_EQ(a->unrelated.rows.size(), 2u);
    for (const auto& r : a->unrelated.rows) EXPECT_EQ(r.reason, "no_relationship");
    // The intake coordinator registered two files and read one: opened two distinct files? No:
    // registration is a create, not an opening; the refused reads were by two different users.
    EXPECT_TRUE(a->bulk.empty());
    read_as(intake_a_, file_a2_);
    a = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.anomalies(rule, std::nullopt, 50); });
    ASSERT_TRUE(a);
    ASSERT_EQ(a->bulk.size(), 1u);
    EXPECT_EQ(a->bulk[0].flag.user_id, intake_a_.user_id);
    EXPECT_EQ(a->bulk[0].flag.distinct_files, 2);
    EXPECT_EQ(a->bulk[0].user_name, "intake.a");
    // A week later the openings are out of the look-back period.
    clock_.advance(std::chrono::hours(24 * 8));
    a = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.anomalies(rule, std::nullopt, 50); });
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->bulk.empty());
    EXPECT_FALSE(as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.anomalies(rule, std::nullopt, 50); }));
}

TEST_F(PrivacyOfficeStore, AccessReportForTheOfficerOnlyAndAuditedAsPrint) {
    read_as(intake_a_, file_a1_);
    read_as(teacher_, file_a1_);
    auto report = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.access_report(file_a1_); });
    ASSERT_TRUE(report);
    EXPECT_EQ(report->agency_name_en, "Agency A");
    ASSERT_GE(report->rows.size(), 3u);  // created, read by intake, refused to the teacher
    EXPECT_TRUE(std::is_sorted(report->rows.begin(), report->rows.end(),
                               [](const AuditEntry& a, const AuditEntry& b) { return a.id < b.id; }));
    for (const auto& r : report->rows) EXPECT_EQ(r.person_id, file_a1_);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND category = 'access_log' "
                    "AND decision = 'permit'",
                    {file_a1_}),
              1);
    // Agency staff are refused (audited), other agencies learn nothing (not found, audited).
    auto staff = as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.access_report(file_a1_); });
    ASSERT_FALSE(staff);
    EXPECT_EQ(staff.error().code, Errc::Forbidden);
    auto other = as(privacy_b_, [&](PrivacyOfficeRepo& r) { return r.access_report(file_a1_); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::NotFound);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'deny'", {file_a1_}), 2);
    // A truncated report keeps the most recent rows.
    auto small = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.access_report(file_a1_, 2); });
    ASSERT_TRUE(small);
    EXPECT_TRUE(small->truncated);
    EXPECT_EQ(small->rows.size(), 2u);
    // The page just older than it: older rows only, none twice, the last page not truncated.
    ASSERT_TRUE(small->earlier_before);
    EXPECT_EQ(*small->earlier_before, small->rows.front().id);
    auto earlier = as(privacy_a_, [&](PrivacyOfficeRepo& r) {
        return r.access_report(file_a1_, 1000, std::nullopt, std::nullopt, small->earlier_before);
    });
    ASSERT_TRUE(earlier);
    EXPECT_FALSE(earlier->truncated);
    EXPECT_FALSE(earlier->earlier_before);
    ASSERT_FALSE(earlier->rows.empty());
    for (const auto& r : earlier->rows) EXPECT_LT(r.id, small->rows.front().id);
}

TEST_F(PrivacyOfficeStore, RequestsFollowTheClockAndTheTransitionTable) {
    d::NewRequest n;
    n.person_id = file_a1_;
    n.requester = d::Requester::parent;
    n.kind = d::RequestKind::access;
    n.received = *parse_date("2026-11-01");
    n.description = "Copy of the plan";
    auto id = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.create_request(n); });
    ASSERT_TRUE(id);
    auto req = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); });
    ASSERT_TRUE(req);
    EXPECT_EQ(req->due.iso(), "2026-12-01");
    EXPECT_EQ(req->status, "open");
    EXPECT_FALSE(req->overdue);

    // Another agency's file is not theirs; other users may not keep the register.
    n.person_id = file_b_;
    auto wrong = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.create_request(n); });
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::Invalid);
    EXPECT_EQ(wrong.error().fields.at(0).field, "person_id");
    EXPECT_EQ(as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.list_requests(10, 0); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(privacy_b_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); }).error().code, Errc::NotFound);
    EXPECT_TRUE(as(privacy_b_, [&](PrivacyOfficeRepo& r) { return r.list_requests(10, 0); })->empty());

    // One extension, at most 30 days.
    EXPECT_FALSE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.extend_request(*id, {"31", "x"}); }));
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.extend_request(*id, {"20", "Records at two sites"}); }));
    {
        auto tx = db().begin(TxMode::read);
        EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM privacy_request_events WHERE request_id = ? AND event = 'extend' "
                                "AND status = 'extended' AND note = 'Records at two sites'",
                                {*id})
                      ->i64(0),
                  1);
    }
    req = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); });
    EXPECT_EQ(req->status, "extended");
    EXPECT_EQ(req->due.iso(), "2026-12-21");
    auto again = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.extend_request(*id, {"5", "again"}); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().fields.at(0).message_key, "privacy_office.error.already_extended");

    // Overdue with the injected clock.
    clock_.set(*parse_iso("2026-12-22T10:00:00Z"));
    req = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); });
    EXPECT_TRUE(req->overdue);

    // Completing needs an outcome; then the request is closed for good.
    EXPECT_FALSE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.close_request(*id, {"completed", "2026-12-22", ""}); }));
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.close_request(*id, {"completed", "2026-12-22", "Sent"}); }));
    req = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); });
    EXPECT_EQ(req->status, "completed");
    EXPECT_EQ(req->closed_on->iso(), "2026-12-22");
    EXPECT_FALSE(req->overdue);
    EXPECT_FALSE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.close_request(*id, {"refused", "2026-12-22", "No"}); }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM admin_audit WHERE entity = 'privacy_request'"), 3);  // create, extend, complete

    // Never deleted.
    auto tx = db().begin(TxMode::write);
    EXPECT_THROW(tx->exec("DELETE FROM privacy_requests"), DbError);
}

// The registers hold what families asked and what went wrong: every read, list and change is
// decided by the policy (category privacy_registers, purpose oversight) and audited in the same
// transaction, with the request's file; refusals too.
TEST_F(PrivacyOfficeStore, RegisterAccessIsDecidedAndAudited) {
    auto events = [&](const std::string& where) {
        return count("SELECT COUNT(*) FROM audit_events WHERE category = 'privacy_registers' AND " + where);
    };
    d::NewRequest n;
    n.person_id = file_a1_;
    n.requester = d::Requester::guardian;
    n.kind = d::RequestKind::correction;
    n.received = *parse_date("2026-11-20");
    n.description = "Correct the school";
    auto id = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.create_request(n); });
    ASSERT_TRUE(id);
    const auto officer = std::to_string(privacy_a_.user_id);
    const auto file = std::to_string(file_a1_);
    EXPECT_EQ(events("action = 'create' AND decision = 'permit' AND purpose = 'oversight' AND user_id = " + officer +
                     " AND person_id = " + file),
              1);
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); }));
    EXPECT_EQ(events("action = 'read' AND decision = 'permit' AND person_id = " + file), 1);
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.list_requests(10, 0); }));
    EXPECT_EQ(events("action = 'list' AND decision = 'permit' AND person_id IS NULL"), 1);
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.extend_request(*id, {"10", "Records at two sites"}); }));
    EXPECT_EQ(events("action = 'update' AND decision = 'permit' AND person_id = " + file), 1);
    // Asking whether a form may be shown records nothing when it may.
    const auto before = count("SELECT COUNT(*) FROM audit_events");
    EXPECT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.registers_allowed(d::Action::create); }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), before);

    // Anyone else is refused, and the refusal is on record, naming the file when it was found.
    const auto intake = std::to_string(intake_a_.user_id);
    EXPECT_EQ(as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.registers_allowed(d::Action::create); }).error().code,
              Errc::Forbidden);
    EXPECT_EQ(as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.list_requests(10, 0); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(intake_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(intake_a_,
                 [&](PrivacyOfficeRepo& r) {
                     return r.close_request(*id, {"refused", "2026-11-23", "No"});
                 })
                  .error()
                  .code,
              Errc::Forbidden);
    EXPECT_EQ(events("decision = 'deny' AND user_id = " + intake), 4);
    EXPECT_EQ(events("decision = 'deny' AND user_id = " + intake + " AND person_id = " + file), 2);
    EXPECT_EQ(as(teacher_, [&](PrivacyOfficeRepo& r) { return r.list_breaches(true, 10, 0); }).error().code, Errc::Forbidden);
    EXPECT_EQ(events("decision = 'deny' AND action = 'list' AND user_id = " + std::to_string(teacher_.user_id)), 1);
    // Nothing changed by the refused close.
    EXPECT_EQ(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_request(*id); })->status, "extended");

    // Another agency's file: a field error, and no event is filed on that file.
    n.person_id = file_b_;
    EXPECT_FALSE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.create_request(n); }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE person_id = " + std::to_string(file_b_) +
                    " AND category = 'privacy_registers'"),
              0);
}

TEST_F(PrivacyOfficeStore, BreachesAreEditedAndDeactivatedNeverDeleted) {
    d::Breach b;
    b.discovered_on = *parse_date("2026-11-20");
    b.description = "Fax sent to the wrong number";
    b.files_affected = 1;
    auto id = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.create_breach(b); });
    ASSERT_TRUE(id);
    b.status = d::BreachStatus::contained;
    b.families_notified_on = *parse_date("2026-11-21");
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.update_breach(*id, b); }));
    auto row = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_breach(*id); });
    ASSERT_TRUE(row);
    EXPECT_EQ(row->breach.status, d::BreachStatus::contained);
    EXPECT_EQ(row->breach.families_notified_on->iso(), "2026-11-21");
    EXPECT_FALSE(row->breach.ipc_notified_on);
    // The status moved through the breach's lifecycle table, with its event row.
    const auto events = [&](const std::string& event) {
        auto tx = db().begin(TxMode::read);
        return tx->query_one("SELECT COUNT(*) FROM privacy_breach_events WHERE breach_id = ? AND event = ?", {*id, event})
            ->i64(0);
    };
    EXPECT_EQ(events("contain"), 1);
    b.status = d::BreachStatus::closed;
    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.update_breach(*id, b); }));
    EXPECT_EQ(events("close"), 1);
    // A closed breach does not go back to contained (it is reopened first); nothing changes.
    b.status = d::BreachStatus::contained;
    b.description = "Changed while refused";
    auto refused = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.update_breach(*id, b); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.front().field, "status");
    row = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.find_breach(*id); });
    EXPECT_EQ(row->breach.status, d::BreachStatus::closed);
    EXPECT_EQ(row->breach.description, "Fax sent to the wrong number");
    b.description = "Fax sent to the wrong number";

    EXPECT_EQ(as(privacy_b_, [&](PrivacyOfficeRepo& r) { return r.update_breach(*id, b); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(teacher_, [&](PrivacyOfficeRepo& r) { return r.create_breach(b); }).error().code, Errc::Forbidden);

    ASSERT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.set_breach_active(*id, false); }));
    EXPECT_TRUE(as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.list_breaches(false, 10, 0); })->empty());
    auto all = as(privacy_a_, [&](PrivacyOfficeRepo& r) { return r.list_breaches(true, 10, 0); });
    ASSERT_EQ(all->size(), 1u);
    EXPECT_FALSE(all->front().active);
    auto tx = db().begin(TxMode::write);
    EXPECT_THROW(tx->exec("DELETE FROM privacy_breaches"), DbError);
}
