// The privacy officer's pure tools: bulk-access detection over synthetic audit rows with an
// injected time, the 30-day clock of access and correction requests (due date, one extension,
// overdue), its transition table, and the validation of requests and breaches.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "domain/privacy_office.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::domain;
using namespace std::chrono_literals;

namespace {

const TimePoint now = *parse_iso("2026-11-23T12:00:00Z");

// `count` distinct files opened by `user`, one every `step`, the last at `last`.
std::vector<FileOpening> burst(std::int64_t user, int count, std::chrono::seconds step, TimePoint last,
                               std::int64_t first_file = 1) {
    std::vector<FileOpening> out;
    for (int i = 0; i < count; ++i) out.push_back({user, first_file + i, last - step * (count - 1 - i)});
    return out;
}

Date date(const char* s) {
    return *parse_date(s);
}

bool has_field(const std::vector<FieldError>& e, const std::string& field, const std::string& key = {}) {
    return std::any_of(e.begin(), e.end(),
                       [&](const FieldError& f) { return f.field == field && (key.empty() || f.message_key == key); });
}

}  // namespace

TEST(BulkAccess, FlagsMoreThanTheThresholdOfDistinctFilesWithinTheWindow) {
    BulkAccessRule rule;  // more than 20 distinct files in 60 minutes, over the last 7 days
    auto rows = burst(7, 21, 2min, now - 1h);
    auto flags = detect_bulk_access(rows, rule, now);
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].user_id, 7);
    EXPECT_EQ(flags[0].distinct_files, 21);
    EXPECT_EQ(flags[0].first, now - 1h - 40min);
    EXPECT_EQ(flags[0].last, now - 1h);

    // Exactly the threshold is not "more than".
    EXPECT_TRUE(detect_bulk_access(burst(7, 20, 2min, now - 1h), rule, now).empty());
}

TEST(BulkAccess, TheSameFileOpenedManyTimesCountsOnce) {
    std::vector<FileOpening> rows;
    for (int i = 0; i < 100; ++i) rows.push_back({3, 42, now - std::chrono::minutes(i % 50)});
    for (int i = 0; i < 19; ++i) rows.push_back({3, 100 + i, now - 10min});
    EXPECT_TRUE(detect_bulk_access(rows, BulkAccessRule{}, now).empty());  // 120 openings, 20 files
    rows.push_back({3, 500, now - 5min});
    auto flags = detect_bulk_access(rows, BulkAccessRule{}, now);
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].distinct_files, 21);
}

TEST(BulkAccess, OpeningsSpreadBeyondTheWindowAreNotFlagged) {
    BulkAccessRule rule;
    // 40 files, one every 4 minutes: at most 16 in any hour.
    EXPECT_TRUE(detect_bulk_access(burst(1, 40, 4min, now), rule, now).empty());
    // A smaller rule catches them: more than 10 files in an hour.
    rule.max_distinct_files = 10;
    auto flags = detect_bulk_access(burst(1, 40, 4min, now), rule, now);
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].distinct_files, 16);
    // The window boundary is inclusive: 16 openings 4 minutes apart span exactly 60 minutes.
    EXPECT_EQ(flags[0].last - flags[0].first, 60min);
}

TEST(BulkAccess, OnlyTheLookBackPeriodEndingNowCounts) {
    BulkAccessRule rule;
    auto old = burst(5, 30, 1min, now - std::chrono::hours(24 * 8));  // eight days ago
    EXPECT_TRUE(detect_bulk_access(old, rule, now).empty());
    rule.lookback = std::chrono::hours(24 * 9);
    EXPECT_EQ(detect_bulk_access(old, rule, now).size(), 1u);
    // Rows in the future of the injected time are ignored as well.
    EXPECT_TRUE(detect_bulk_access(burst(5, 30, 1min, now + 2h), BulkAccessRule{}, now).empty());
}

TEST(BulkAccess, UsersAreSeparatedAndOrderedByVolume) {
    std::vector<FileOpening> rows;
    for (auto& r : burst(1, 25, 1min, now - 3h)) rows.push_back(r);
    for (auto& r : burst(2, 40, 1min, now - 2h)) rows.push_back(r);
    for (auto& r : burst(3, 15, 1min, now - 1h)) rows.push_back(r);
    // Two users who each open 15 of the same files do not add up.
    for (auto& r : burst(4, 15, 1min, now - 1h)) rows.push_back(r);
    std::reverse(rows.begin(), rows.end());  // input order does not matter
    auto flags = detect_bulk_access(rows, BulkAccessRule{}, now);
    ASSERT_EQ(flags.size(), 2u);
    EXPECT_EQ(flags[0].user_id, 2);
    EXPECT_EQ(flags[0].distinct_files, 40);
    EXPECT_EQ(flags[1].user_id, 1);
    EXPECT_EQ(flags[1].distinct_files, 25);
}

TEST(BulkAccess, RuleValidation) {
    BulkAccessRule r;
    EXPECT_TRUE(validate_bulk_rule("", "", "", r).empty());
    EXPECT_EQ(r.max_distinct_files, 20);
    EXPECT_EQ(r.window, 60min);
    EXPECT_TRUE(validate_bulk_rule("5", "30", "2", r).empty());
    EXPECT_EQ(r.max_distinct_files, 5);
    EXPECT_EQ(r.window, 30min);
    EXPECT_EQ(r.lookback, std::chrono::hours(48));
    auto e = validate_bulk_rule("0", "abc", "1000", r);
    EXPECT_TRUE(has_field(e, "threshold"));
    EXPECT_TRUE(has_field(e, "window"));
    EXPECT_TRUE(has_field(e, "lookback"));
}

TEST(Anomalies, UnrelatedAttemptsAreTheRefusalsForLackOfRelationship) {
    for (auto r : all_reasons()) {
        const bool expected = r == Reason::no_relationship || r == Reason::role_relationship_not_permitted;
        EXPECT_EQ(unrelated_attempt(r), expected) << code(r);
    }
    EXPECT_TRUE(opens_file(Action::read));
    EXPECT_TRUE(opens_file(Action::print));
    EXPECT_FALSE(opens_file(Action::list));
    EXPECT_FALSE(opens_file(Action::update));
}

// ---------------------------------------------------------------- the request clock

TEST(RequestClock, DueThirtyDaysAfterReceiptPlusTheExtension) {
    EXPECT_EQ(due_date(date("2026-11-01"), 0).iso(), "2026-12-01");
    EXPECT_EQ(due_date(date("2026-12-15"), 0).iso(), "2027-01-14");  // across the year
    EXPECT_EQ(due_date(date("2028-02-01"), 0).iso(), "2028-03-02");  // leap year
    EXPECT_EQ(due_date(date("2026-11-01"), 30).iso(), "2026-12-31");
    EXPECT_EQ(due_date(date("2026-11-01"), 10).iso(), "2026-12-11");
}

TEST(RequestClock, OverdueOnlyAfterTheDueDateAndWhileOpen) {
    const Date due = date("2026-12-01");
    EXPECT_FALSE(overdue(RequestStatus::open, due, date("2026-12-01")));  // due today: not yet late
    EXPECT_TRUE(overdue(RequestStatus::open, due, date("2026-12-02")));
    EXPECT_TRUE(overdue(RequestStatus::extended, due, date("2027-01-01")));
    EXPECT_FALSE(overdue(RequestStatus::completed, due, date("2027-01-01")));
    EXPECT_FALSE(overdue(RequestStatus::refused, due, date("2027-01-01")));
}

TEST(RequestClock, TransitionTableEveryPairOnPurpose) {
    using S = RequestStatus;
    using E = RequestEvent;
    struct Row {
        S from;
        E event;
        std::optional<S> to;
    };
    const Row rows[] = {
        {S::open, E::extend, S::extended},        {S::open, E::complete, S::completed},
        {S::open, E::refuse, S::refused},         {S::extended, E::extend, std::nullopt},
        {S::extended, E::complete, S::completed}, {S::extended, E::refuse, S::refused},
        {S::completed, E::extend, std::nullopt},  {S::completed, E::complete, std::nullopt},
        {S::completed, E::refuse, std::nullopt},  {S::refused, E::extend, std::nullopt},
        {S::refused, E::complete, std::nullopt},  {S::refused, E::refuse, std::nullopt},
    };
    for (const auto& r : rows) EXPECT_EQ(next_status(r.from, r.event), r.to) << code(r.from) << " " << code(r.event);
    EXPECT_EQ(std::size(rows), all_request_statuses().size() * 3);
}

TEST(RequestClock, OneExtensionOfAtMostThirtyDaysWithAReason) {
    int days = 0;
    std::string reason;
    EXPECT_TRUE(validate_extension({"30", "Records held at two sites"}, RequestStatus::open, days, reason).empty());
    EXPECT_EQ(days, 30);
    EXPECT_TRUE(has_field(validate_extension({"31", "x"}, RequestStatus::open, days, reason), "days",
                          "privacy_office.error.extension_days"));
    EXPECT_TRUE(has_field(validate_extension({"0", "x"}, RequestStatus::open, days, reason), "days"));
    EXPECT_TRUE(has_field(validate_extension({"ten", "x"}, RequestStatus::open, days, reason), "days"));
    EXPECT_TRUE(has_field(validate_extension({"10", "  "}, RequestStatus::open, days, reason), "reason", "field.required"));
    EXPECT_TRUE(has_field(validate_extension({"10", "again"}, RequestStatus::extended, days, reason), "days",
                          "privacy_office.error.already_extended"));
    EXPECT_TRUE(has_field(validate_extension({"10", "late"}, RequestStatus::completed, days, reason), "days",
                          "privacy_office.error.request_closed"));
}

TEST(RequestClock, ClosingNeedsAnOutcomeAndARealDate) {
    const Date received = date("2026-11-01"), today = date("2026-11-23");
    Closing c;
    EXPECT_TRUE(
        validate_closing({"completed", "2026-11-20", "Copy of the plan sent"}, RequestStatus::open, received, today, c).empty());
    EXPECT_EQ(c.event, RequestEvent::complete);
    EXPECT_EQ(c.closed_on.iso(), "2026-11-20");
    EXPECT_TRUE(has_field(validate_closing({"completed", "2026-11-20", ""}, RequestStatus::open, received, today, c), "outcome",
                          "privacy_office.error.outcome_required"));
    EXPECT_TRUE(has_field(validate_closing({"refused", "2026-11-20", ""}, RequestStatus::extended, received, today, c), "outcome",
                          "privacy_office.error.refusal_reason"));
    EXPECT_TRUE(has_field(validate_closing({"maybe", "2026-11-20", "x"}, RequestStatus::open, received, today, c), "result"));
    EXPECT_TRUE(has_field(validate_closing({"completed", "2026-11-31", "x"}, RequestStatus::open, received, today, c),
                          "closed_on", "privacy_office.error.invalid_date"));
    EXPECT_TRUE(has_field(validate_closing({"completed", "2026-12-01", "x"}, RequestStatus::open, received, today, c),
                          "closed_on", "privacy_office.error.date_in_future"));
    EXPECT_TRUE(has_field(validate_closing({"completed", "2026-10-01", "x"}, RequestStatus::open, received, today, c),
                          "closed_on", "privacy_office.error.date_too_early"));
    EXPECT_TRUE(has_field(validate_closing({"completed", "2026-11-20", "x"}, RequestStatus::refused, received, today, c),
                          "result", "privacy_office.error.request_closed"));
}

TEST(RequestValidation, FieldErrorsForEachBadValue) {
    const Date today = date("2026-11-23");
    NewRequest r;
    EXPECT_TRUE(validate(RequestForm{"12", "parent", "access", "2026-11-23", "Copy of the plan"}, today, r).empty());
    EXPECT_EQ(r.person_id, 12);
    EXPECT_EQ(r.kind, RequestKind::access);
    EXPECT_EQ(r.received.iso(), "2026-11-23");
    auto e = validate(RequestForm{"x", "uncle", "delete", "2026-02-30", ""}, today, r);
    EXPECT_TRUE(has_field(e, "person_id"));
    EXPECT_TRUE(has_field(e, "requester"));
    EXPECT_TRUE(has_field(e, "kind"));
    EXPECT_TRUE(has_field(e, "received_on", "privacy_office.error.invalid_date"));
    EXPECT_TRUE(has_field(e, "description", "field.required"));
    e = validate(RequestForm{"12", "child_youth", "correction", "2026-11-24", "Wrong school\nrecorded"}, today, r);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_field(e, "received_on", "privacy_office.error.date_in_future"));
}

TEST(BreachValidation, DatesInOrderAndNotificationsOptional) {
    const Date today = date("2026-11-23");
    Breach b;
    EXPECT_TRUE(validate(BreachForm{"2026-11-02", "Fax sent to the wrong number", "1", "Recipient confirmed destruction", "",
                                    "2026-11-05", "contained"},
                         today, b)
                    .empty());
    EXPECT_EQ(b.files_affected, 1);
    EXPECT_FALSE(b.ipc_notified_on);
    EXPECT_EQ(b.families_notified_on->iso(), "2026-11-05");
    EXPECT_EQ(b.status, BreachStatus::contained);
    auto e = validate(BreachForm{"2026-11-30", "", "-1", "", "2026-11-01", "not a date", "lost"}, today, b);
    EXPECT_TRUE(has_field(e, "discovered_on", "privacy_office.error.date_in_future"));
    EXPECT_TRUE(has_field(e, "description", "field.required"));
    EXPECT_TRUE(has_field(e, "files_affected"));
    EXPECT_TRUE(has_field(e, "families_notified_on", "privacy_office.error.invalid_date"));
    EXPECT_TRUE(has_field(e, "status"));
    e = validate(BreachForm{"2026-11-10", "Lost laptop", "3", "", "2026-11-01", "", "open"}, today, b);
    EXPECT_TRUE(has_field(e, "ipc_notified_on", "privacy_office.error.date_too_early"));
}

// The labels the privacy office pages build from codes at run time.
TEST(PrivacyOfficeCatalogue, CodesHaveLabelsInBothLanguages) {
    const auto c = web::load_catalogue();
    auto expect = [&](const std::string& key) {
        EXPECT_TRUE(c.has(Lang::en, key)) << key;
        EXPECT_TRUE(c.has(Lang::fr, key)) << key;
    };
    for (auto r : all_requesters()) expect("privacy_office.requester." + std::string(code(r)));
    for (auto k : all_request_kinds()) expect("privacy_office.kind." + std::string(code(k)));
    for (auto s : all_request_statuses()) expect("privacy_office.status." + std::string(code(s)));
    for (auto s : all_breach_statuses()) expect("privacy_office.breach_status." + std::string(code(s)));
    expect("nav.privacy");
}

// Every (status, event) of the breach lifecycle on purpose, and the moves the edit form may make.
TEST(BreachLifecycle, EveryPairOnPurpose) {
    using S = BreachStatus;
    using E = BreachEvent;
    struct Row {
        S from;
        E event;
        std::optional<S> to;
    };
    const Row rows[] = {
        {S::open, E::contain, S::contained},      {S::open, E::close, S::closed},      {S::open, E::reopen, std::nullopt},
        {S::contained, E::contain, std::nullopt}, {S::contained, E::close, S::closed}, {S::contained, E::reopen, S::open},
        {S::closed, E::contain, std::nullopt},    {S::closed, E::close, std::nullopt}, {S::closed, E::reopen, S::open},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(std::string(code(r.from)) + " " + std::string(code(r.event)));
        const auto fired = breach_lifecycle().fire(r.from, r.event, Relationship::privacy_officer, {});
        EXPECT_EQ(fired ? std::optional<S>((*fired)->to) : std::nullopt, r.to);
        // Nobody but the privacy officer moves a breach.
        EXPECT_FALSE(breach_lifecycle().fire(r.from, r.event, Relationship::coordinating_agency, {}));
    }
    EXPECT_EQ(std::size(rows), all_breach_statuses().size() * all_breach_events().size());
    EXPECT_EQ(breach_lifecycle().event_to(S::open, S::contained), E::contain);
    EXPECT_EQ(breach_lifecycle().event_to(S::closed, S::contained), std::nullopt);
    EXPECT_EQ(breach_lifecycle().event_to(S::closed, S::open), E::reopen);
    // Requests: only the privacy officer.
    EXPECT_FALSE(request_lifecycle().fire(RequestStatus::open, RequestEvent::extend, Relationship::coordinating_agency, {}));
    EXPECT_TRUE(request_lifecycle().fire(RequestStatus::open, RequestEvent::extend, Relationship::privacy_officer, {}));
}

// docs/PRIVACY_OFFICE.md shows both tables as the code has them.
TEST(BreachLifecycle, TheDocsShowTheTables) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/PRIVACY_OFFICE.md");
    ASSERT_TRUE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(request_lifecycle().markdown()), std::string::npos) << request_lifecycle().markdown();
    EXPECT_NE(doc.find(breach_lifecycle().markdown()), std::string::npos) << breach_lifecycle().markdown();
}
