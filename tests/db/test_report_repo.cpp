// Indicators and quarterly reports, against SQLite (label db) and PostgreSQL (label pg), on the
// demo data (the Demo East Region, its coordinating agency's administrator, a coordinator and
// the ministry's analyst) with events added by hand in the first quarter of 2025, when the demo
// recorded nothing: the counts are known answers. A report is generated, suppressed, reviewed and
// submitted by the table; the submitted snapshot holds no hidden value, never changes and carries
// its hash; the analyst reads submitted reports only; bad input changes nothing.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/reporting/store/report_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class ReportStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coordinator_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        // Two referrals of the area with different sources, and one of another area.
        r1_ = scalar("SELECT MIN(id) FROM referrals WHERE sda_id = ?", {sda_});
        source1_ = text("SELECT source FROM referrals WHERE id = ?", {r1_});
        r2_ = scalar("SELECT COALESCE(MIN(id), 0) FROM referrals WHERE sda_id = ? AND source <> ?", {sda_, source1_});
        ASSERT_GT(r1_, 0);
        ASSERT_GT(r2_, 0) << "the demo has referrals of two sources";
        source2_ = text("SELECT source FROM referrals WHERE id = ?", {r2_});
        exec(
            "INSERT INTO service_delivery_areas (code, name_fr, name_en, created_at, updated_at) "
            "VALUES ('other', 'Autre zone', 'Other area', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')");
        other_sda_ = scalar("SELECT id FROM service_delivery_areas WHERE code = 'other'");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::string text(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        const auto row = tx->query_one(sql, p);
        return row ? row->str(0) : std::string();
    }
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    void event(std::int64_t referral, const std::string& at, const std::string& name = "receive") {
        exec("INSERT INTO referral_events (referral_id, at, event, status) VALUES (?, ?, ?, 'received')", {referral, at, name});
    }
    template <typename F>
    auto as(const d::Actor& who, F f) {
        return testsupport::run_as<ReportRepo>(*t_->db, clock_, who, std::move(f));
    }
    d::IndicatorDefinition by_source() {
        d::IndicatorDefinition x;
        EXPECT_TRUE(d::validate(d::IndicatorForm{"by_source", "Selon la source", "By source", "referral", "receive", "source"}, x)
                        .empty());
        return x;
    }
    // The hand-built events: source1 12, 3, 20 in January to March 2025, source2 9, 9, 0; and
    // events that must not count (another event, another quarter, another area's referral).
    void hand_built_events() {
        for (int i = 0; i < 12; ++i) event(r1_, "2025-01-1" + std::to_string(i % 10) + "T10:00:00Z");
        for (int i = 0; i < 3; ++i) event(r1_, "2025-02-0" + std::to_string(i + 1) + "T10:00:00Z");
        for (int i = 0; i < 19; ++i) event(r1_, "2025-03-15T10:00:00Z");
        event(r1_, "2025-03-31T23:59:59Z");  // the quarter's last second
        for (int i = 0; i < 9; ++i) event(r2_, "2025-01-20T10:00:00Z"), event(r2_, "2025-02-20T10:00:00Z");
        event(r1_, "2025-04-01T00:00:00Z");            // the next quarter
        event(r1_, "2024-12-31T23:59:59Z");            // the quarter before
        event(r2_, "2025-02-21T10:00:00Z", "accept");  // another event
    }
    std::int64_t rows_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM quarterly_reports) + (SELECT COUNT(*) FROM quarterly_report_events) + "
            "(SELECT COUNT(*) FROM indicators)");
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coordinator_, analyst_;
    std::int64_t sda_ = 0, other_sda_ = 0, r1_ = 0, r2_ = 0;
    std::string source1_, source2_;
};

TEST_F(ReportStore, TheEventsAreCountedByMonthAndSourceWithKnownAnswers) {
    hand_built_events();
    auto tx = t_->db->begin(TxMode::read);
    const auto counted = count_events(*tx, sda_, by_source(), {2025, 1});
    std::map<std::string, std::vector<std::int64_t>> got;
    for (const auto& c : counted) got[c.code] = c.months;
    EXPECT_EQ(got[source1_], (std::vector<std::int64_t>{12, 3, 20}));
    EXPECT_EQ(got[source2_], (std::vector<std::int64_t>{9, 9, 0}));
    EXPECT_EQ(got.size(), 2u);
    // Another area counts nothing of this one's.
    EXPECT_TRUE(count_events(*tx, other_sda_, by_source(), {2025, 1}).empty());
}

TEST_F(ReportStore, AReportIsGeneratedSuppressedReviewedAndSubmittedThenNeverChanges) {
    hand_built_events();
    const auto before = rows_written();
    auto id = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_TRUE(id) << id.error().message_key;
    EXPECT_EQ(rows_written(), before + 2);
    auto report = as(admin_, [&](ReportRepo& r) { return r.report(*id); });
    ASSERT_TRUE(report);
    EXPECT_EQ(report->summary.status, d::ReportStatus::draft);
    auto table = std::find_if(report->tables.begin(), report->tables.end(),
                              [](const d::ReportTable& t) { return t.indicator.code == "referrals_by_source"; });
    ASSERT_NE(table, report->tables.end());
    auto row = std::find_if(table->rows.begin(), table->rows.end(), [&](const d::ReportRow& r) { return r.code == source1_; });
    ASSERT_NE(row, table->rows.end());
    EXPECT_FALSE(row->months[1]) << "3 is hidden";
    const std::vector<std::int64_t> truth = {12, 3, 20};
    for (std::size_t m = 0; m < 3; ++m) {
        if (row->months[m]) {
            EXPECT_EQ(*row->months[m], truth[m]) << "a cell shown is the count";
        }
    }
    EXPECT_GE(table->hidden, 4) << "and others with it, so that it cannot be worked out";
    // The hidden 3 is nowhere in the stored snapshot: its cell is null.
    const auto snap = nlohmann::json::parse(report->snapshot);
    bool found_null = false;
    for (const auto& t : snap["tables"])
        if (t["code"] == "referrals_by_source")
            for (const auto& r : t["rows"])
                if (r["code"] == source1_) found_null = r["months"][1].is_null();
    EXPECT_TRUE(found_null);

    // Generating again gives the same figures.
    auto again = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *id);
    EXPECT_EQ(text("SELECT snapshot FROM quarterly_reports WHERE id = ?", {*id}), report->snapshot);

    // Submitted only once reviewed.
    auto early = as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::submit); });
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().message_key, "lifecycle.not_from_state");
    ASSERT_TRUE(as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::review); }));
    auto regenerate = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_FALSE(regenerate);
    EXPECT_EQ(regenerate.error().message_key, "report.not_draft");
    auto submitted = as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::submit); });
    ASSERT_TRUE(submitted) << submitted.error().message_key;
    EXPECT_EQ(*submitted, d::ReportStatus::submitted);
    EXPECT_EQ(text("SELECT hash FROM quarterly_reports WHERE id = ?", {*id}), hash_token(report->snapshot));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM quarterly_report_events WHERE report_id = ?", {*id}), 4)
        << "generated, generated again, reviewed, submitted";

    // Submitted twice: refused, nothing written.
    const auto after = rows_written();
    auto twice = as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::submit); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message_key, "lifecycle.not_from_state");
    EXPECT_FALSE(as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); }));
    EXPECT_EQ(rows_written(), after);
    // Not even the database changes a submitted report.
    EXPECT_THROW(exec("UPDATE quarterly_reports SET snapshot = '{}' WHERE id = ?", {*id}), DbError);
    EXPECT_THROW(exec("DELETE FROM quarterly_reports WHERE id = ?", {*id}), DbError);
}

TEST_F(ReportStore, TheAnalystReadsSubmittedReportsOnlyAndOthersAreRefused) {
    auto id = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_TRUE(id);
    EXPECT_EQ(as(analyst_, [&](ReportRepo& r) { return r.report(*id); }).error().code, Errc::NotFound) << "a draft";
    // The demo's own submitted report is there; this draft is not.
    const auto submitted_before = as(analyst_, [](ReportRepo& r) { return r.reports(); })->size();
    EXPECT_EQ(submitted_before, 1u);
    EXPECT_EQ(as(analyst_, [](ReportRepo& r) { return r.generate({"2025", "1"}); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(coordinator_, [](ReportRepo& r) { return r.reports(); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(coordinator_, [&](ReportRepo& r) { return r.report(*id); }).error().code, Errc::Forbidden);
    ASSERT_TRUE(as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::review); }));
    ASSERT_TRUE(as(admin_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::submit); }));
    auto seen = as(analyst_, [&](ReportRepo& r) { return r.report(*id); });
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->available.empty()) << "the analyst reads, never moves a report";
    EXPECT_EQ(as(analyst_, [](ReportRepo& r) { return r.reports(); })->size(), submitted_before + 1);
    EXPECT_EQ(as(analyst_, [&](ReportRepo& r) { return r.fire(*id, d::ReportEvent::reopen); }).error().code, Errc::Forbidden);

    // Another area's report is not found by this area's administrator.
    exec(
        "INSERT INTO quarterly_reports (sda_id, year, quarter, status, threshold, snapshot, generated_at, updated_at) "
        "VALUES (?, 2025, 1, 'draft', 4, '{\"tables\":[]}', '2025-04-02T00:00:00Z', '2025-04-02T00:00:00Z')",
        {other_sda_});
    const auto other = scalar("SELECT id FROM quarterly_reports WHERE sda_id = ?", {other_sda_});
    EXPECT_EQ(as(admin_, [&](ReportRepo& r) { return r.report(other); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](ReportRepo& r) { return r.fire(other, d::ReportEvent::review); }).error().code, Errc::NotFound);
}

TEST_F(ReportStore, BadInputChangesNothing) {
    const auto before = rows_written();
    auto not_over = as(admin_, [](ReportRepo& r) { return r.generate({"2999", "1"}); });
    ASSERT_FALSE(not_over);
    EXPECT_EQ(not_over.error().code, Errc::Invalid);
    auto current = as(admin_, [&](ReportRepo& r) {
        const std::string today = format_iso(clock_.now());
        return r.generate({today.substr(0, 4), std::to_string((std::stoi(today.substr(5, 2)) - 1) / 3 + 1)});
    });
    ASSERT_FALSE(current);
    ASSERT_EQ(current.error().fields.size(), 1u);
    EXPECT_EQ(current.error().fields[0].message_key, "report.quarter_not_over");
    auto unknown = as(admin_, [](ReportRepo& r) {
        return r.add_indicator({"payments", "Paiements", "Payments", "referral", "pay", "amount"});
    });
    ASSERT_FALSE(unknown);
    ASSERT_EQ(unknown.error().fields.size(), 2u);
    EXPECT_EQ(unknown.error().fields[0].message_key, "report.unknown_event");
    EXPECT_EQ(unknown.error().fields[1].message_key, "report.unknown_field");
    auto taken = as(admin_, [](ReportRepo& r) {
        return r.add_indicator({"referrals_by_source", "Doublon", "Duplicate", "referral", "receive", ""});
    });
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().fields[0].message_key, "report.code_taken");
    EXPECT_EQ(as(admin_, [](ReportRepo& r) { return r.set_indicator_active("no_such_code", false); }).error().code,
              Errc::NotFound);
    EXPECT_EQ(rows_written(), before);
}

TEST_F(ReportStore, TheAreaAddsAnIndicatorAndSwitchesADefaultOff) {
    hand_built_events();
    auto add = [&] {
        return as(admin_, [](ReportRepo& r) {
            return r.add_indicator(
                {"accepted_by_source", "Acceptées selon la source", "Accepted by source", "referral", "accept", "source"});
        });
    };
    // The default referrals_accepted counts the same events: refused while it is on.
    auto same = add();
    ASSERT_FALSE(same);
    ASSERT_EQ(same.error().fields.size(), 1u);
    EXPECT_EQ(same.error().fields[0].message_key, "report.same_events");
    EXPECT_EQ(same.error().fields[0].args, std::vector<std::string>{"referrals_accepted"});
    ASSERT_TRUE(as(admin_, [](ReportRepo& r) { return r.set_indicator_active("referrals_accepted", false); }));
    auto added = add();
    ASSERT_TRUE(added) << added.error().message_key;
    auto back_on = as(admin_, [](ReportRepo& r) { return r.set_indicator_active("referrals_accepted", true); });
    ASSERT_FALSE(back_on);
    EXPECT_EQ(back_on.error().message_key, "report.same_events");
    ASSERT_TRUE(as(admin_, [](ReportRepo& r) { return r.set_indicator_active("referrals_by_source", false); }));
    auto list = as(admin_, [](ReportRepo& r) { return r.indicators(); });
    ASSERT_TRUE(list);
    auto find = [&](const std::string& code) {
        return std::find_if(list->begin(), list->end(), [&](const d::IndicatorDefinition& i) { return i.code == code; });
    };
    ASSERT_NE(find("referrals_by_source"), list->end());
    EXPECT_FALSE(find("referrals_by_source")->active);
    EXPECT_TRUE(find("accepted_by_source")->active);
    // The default itself is untouched: another area still counts it.
    EXPECT_EQ(scalar("SELECT active FROM indicators WHERE sda_id IS NULL AND code = 'referrals_by_source'"), 1);

    auto id = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_TRUE(id);
    auto report = as(admin_, [&](ReportRepo& r) { return r.report(*id); });
    ASSERT_TRUE(report);
    bool by_source = false;
    std::optional<std::int64_t> accepted;
    for (const auto& t : report->tables) {
        by_source |= t.indicator.code == "referrals_by_source";
        if (t.indicator.code == "accepted_by_source") accepted = t.totals.total;
    }
    EXPECT_FALSE(by_source) << "switched off";
    EXPECT_FALSE(accepted) << "one acceptance: hidden";
}

TEST_F(ReportStore, EveryEventAndFieldOfTheCatalogueCanBeCounted) {
    auto tx = t_->db->begin(TxMode::read);
    for (const auto& stream : d::indicator_streams()) {
        std::vector<std::string_view> fields = stream.fields;
        fields.push_back("");
        for (auto event : stream.events)
            for (auto field : fields) {
                SCOPED_TRACE(std::string(stream.code) + "/" + std::string(event) + "/" + std::string(field));
                d::IndicatorDefinition x;
                ASSERT_TRUE(
                    d::validate(d::IndicatorForm{"x", "x", "x", std::string(stream.code), std::string(event), std::string(field)},
                                x)
                        .empty());
                EXPECT_NO_THROW(count_events(*tx, sda_, x, {2026, 1}));
            }
    }
}

// A closure counts under the reason its event named, and an assignment under the organisation
// assigned then, whatever the intake became since.
TEST_F(ReportStore, AnEventIsBrokenDownAsItWasWhenItHappened) {
    const auto intake = scalar("SELECT MIN(id) FROM intakes WHERE sda_id = ?", {sda_});
    ASSERT_GT(intake, 0);
    const auto org_a = scalar("SELECT MIN(id) FROM organisations WHERE sda_id = ?", {sda_});
    const auto org_b = scalar("SELECT MAX(id) FROM organisations WHERE sda_id = ?", {sda_});
    ASSERT_NE(org_a, org_b);
    const auto user = coordinator_.user_id;
    exec(
        "INSERT INTO intake_events (intake_id, at, event, status, note) VALUES (?, '2025-01-20T10:00:00Z', 'close', 'closed', "
        "'moved — the family left the region')",
        {intake});
    exec(
        "INSERT INTO intake_events (intake_id, at, event, status, note) VALUES (?, '2025-02-20T10:00:00Z', 'close', 'closed', "
        "'goals_met')",
        {intake});
    exec(
        "INSERT INTO intake_assignments (intake_id, user_id, organisation_id, from_at, until_at) VALUES "
        "(?, ?, ?, '2025-01-05T10:00:00Z', '2025-02-05T10:00:00Z')",
        {intake, user, org_a});
    exec(
        "INSERT INTO intake_assignments (intake_id, user_id, organisation_id, from_at, until_at) VALUES "
        "(?, ?, ?, '2025-02-05T10:00:00Z', '2025-03-01T10:00:00Z')",
        {intake, user, org_b});
    exec("INSERT INTO intake_events (intake_id, at, event, status) VALUES (?, '2025-01-05T10:00:00Z', 'assign', 'assigned')",
         {intake});
    exec("INSERT INTO intake_events (intake_id, at, event, status) VALUES (?, '2025-02-05T10:00:00Z', 'reassign', 'assigned')",
         {intake});
    // A closure ends the assignment in the same second as its event; a note of another event
    // that starts like a reason is no reason.
    exec(
        "INSERT INTO intake_events (intake_id, at, event, status, note) VALUES (?, '2025-03-01T10:00:00Z', 'close', "
        "'closed', 'other')",
        {intake});
    exec(
        "INSERT INTO intake_events (intake_id, at, event, status, note) VALUES (?, '2025-03-02T10:00:00Z', 'reopen', "
        "'in_intake', 'moved back to the area')",
        {intake});
    // What the intake is now says otherwise.
    exec("UPDATE intakes SET close_reason = 'other' WHERE id = ?", {intake});

    auto count = [&](const std::string& event, const std::string& field) {
        d::IndicatorDefinition x;
        EXPECT_TRUE(d::validate(d::IndicatorForm{"x", "x", "x", "intake", event, field}, x).empty());
        auto tx = t_->db->begin(TxMode::read);
        std::map<std::string, std::vector<std::int64_t>> got;
        for (const auto& c : count_events(*tx, sda_, x, {2025, 1})) got[c.code] = c.months;
        return got;
    };
    auto closed = count("close", "close_reason");
    EXPECT_EQ(closed["moved"], (std::vector<std::int64_t>{1, 0, 0}));
    EXPECT_EQ(closed["goals_met"], (std::vector<std::int64_t>{0, 1, 0}));
    EXPECT_EQ(closed["other"], (std::vector<std::int64_t>{0, 0, 1})) << "the third closure's own reason";
    EXPECT_EQ(count("reopen", "close_reason").count("moved"), 0u) << "a reopening has no reason";
    EXPECT_EQ(count("close", "organisation")[std::to_string(org_b)], (std::vector<std::int64_t>{0, 1, 1}))
        << "the assignment a closure ends";
    EXPECT_EQ(count("assign", "organisation")[std::to_string(org_a)], (std::vector<std::int64_t>{1, 0, 0}));
    EXPECT_EQ(count("reassign", "organisation")[std::to_string(org_b)], (std::vector<std::int64_t>{0, 1, 0}));
}

// The complaints register's stream (migration V027's two defaults): receipts by source and
// resolutions by kind, from complaints and events written by hand in the first quarter of 2025,
// the known answers; a step taken, another quarter and another area's complaint are not counted,
// and a complaint triaged again (its category and status changed since) counts the same.
TEST_F(ReportStore, TheComplaintsRegisterIsCountedBySourceAndKind) {
    int sequence = 0;
    auto complaint = [&](std::int64_t area, const std::string& source, const std::string& kind, const std::string& at) {
        exec(
            "INSERT INTO complaints (sda_id, reference, kind, source, category, preferred_lang, description, status, "
            "received_at, acknowledge_due, resolve_due, updated_at) VALUES (?, ?, ?, ?, 'access', 'fr', 'Exemple.', "
            "'received', ?, '2025-06-01', '2025-06-30', ?)",
            {area, "CMP-2025-9" + std::to_string(100 + ++sequence), kind, source, at, at});
        const auto id = scalar("SELECT MAX(id) FROM complaints");
        exec("INSERT INTO complaint_events (complaint_id, at, event, status) VALUES (?, ?, 'receive', 'received')", {id, at});
        return id;
    };
    auto event = [&](std::int64_t id, const std::string& name, const std::string& at) {
        exec("INSERT INTO complaint_events (complaint_id, at, event, status) VALUES (?, ?, ?, 'acknowledged')", {id, at, name});
    };
    // Received: public 3, 1, 1; family 0, 2, 0; provider 1, 0, 2.
    std::vector<std::int64_t> public_ones;
    for (int i = 0; i < 3; ++i) public_ones.push_back(complaint(sda_, "public", "complaint", "2025-01-10T10:00:00Z"));
    public_ones.push_back(complaint(sda_, "public", "complaint", "2025-02-15T10:00:00Z"));
    public_ones.push_back(complaint(sda_, "public", "complaint", "2025-03-31T23:59:59Z"));  // the quarter's last second
    for (int i = 0; i < 2; ++i) complaint(sda_, "family", "complaint", "2025-02-03T10:00:00Z");
    const auto conflict = complaint(sda_, "provider", "conflict", "2025-01-20T10:00:00Z");
    for (int i = 0; i < 2; ++i) complaint(sda_, "provider", "complaint", "2025-03-02T10:00:00Z");
    // Not counted: the next quarter, the quarter before, another area.
    complaint(sda_, "public", "complaint", "2025-04-01T00:00:00Z");
    complaint(sda_, "public", "complaint", "2024-12-31T23:59:59Z");
    const auto elsewhere = complaint(other_sda_, "public", "complaint", "2025-01-10T10:00:00Z");
    // Resolved: complaint 0, 2, 0; conflict 0, 0, 1. A step and an escalation are not moves.
    event(public_ones[0], "step", "2025-01-11T10:00:00Z");
    event(public_ones[0], "escalate", "2025-01-15T10:00:00Z");
    event(public_ones[0], "resolve", "2025-02-20T10:00:00Z");
    event(public_ones[1], "resolve", "2025-02-21T10:00:00Z");
    event(conflict, "resolve", "2025-03-10T10:00:00Z");
    event(elsewhere, "resolve", "2025-02-20T10:00:00Z");

    auto count = [&](const std::string& event_name, const std::string& field) {
        d::IndicatorDefinition x;
        EXPECT_TRUE(d::validate(d::IndicatorForm{"x", "x", "x", "complaint", event_name, field}, x).empty());
        auto tx = t_->db->begin(TxMode::read);
        std::map<std::string, std::vector<std::int64_t>> got;
        for (const auto& c : count_events(*tx, sda_, x, {2025, 1})) got[c.code] = c.months;
        return got;
    };
    const std::map<std::string, std::vector<std::int64_t>> received = {
        {"public", {3, 1, 1}}, {"family", {0, 2, 0}}, {"provider", {1, 0, 2}}};
    const std::map<std::string, std::vector<std::int64_t>> resolved = {{"complaint", {0, 2, 0}}, {"conflict", {0, 0, 1}}};
    EXPECT_EQ(count("receive", "source"), received);
    EXPECT_EQ(count("resolve", "kind"), resolved);
    EXPECT_EQ(count("receive", ""), (std::map<std::string, std::vector<std::int64_t>>{{"", {4, 3, 3}}}));

    // Counted again after the complaints moved on and were triaged under another category: the
    // same figures.
    exec("UPDATE complaints SET category = 'quality', severity = 'high', status = 'closed' WHERE sda_id = ?", {sda_});
    EXPECT_EQ(count("receive", "source"), received);
    EXPECT_EQ(count("resolve", "kind"), resolved);

    // The area's report holds the two defaults, each with the register's own rows in order.
    auto id = as(admin_, [](ReportRepo& r) { return r.generate({"2025", "1"}); });
    ASSERT_TRUE(id) << id.error().message_key;
    auto report = as(admin_, [&](ReportRepo& r) { return r.report(*id); });
    ASSERT_TRUE(report);
    std::map<std::string, std::vector<std::string>> rows;
    for (const auto& t : report->tables)
        for (const auto& r : t.rows) rows[t.indicator.code].push_back(r.code);
    EXPECT_EQ(rows["complaints_received"], (std::vector<std::string>{"public", "family", "provider"}));
    EXPECT_EQ(rows["complaints_resolved"], (std::vector<std::string>{"complaint", "conflict"}));
}
