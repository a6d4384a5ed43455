// The complaints domain (features/complaints/domain/complaints.hpp): the codes and the lists the
// database accepts (V027__complaints.sql), the lifecycle pair by pair (every state and event
// allowed or refused on purpose, who may fire each row, the guards and their messages), the
// facts its guards read, the area's deadlines and which one a complaint is working against at
// their boundaries, each form field by field (raising one from the public form or an account,
// the area's settings, triage, an event's note, the register's filter), the reference, and the
// table as docs/COMPLAINTS.md shows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/complaints/domain/complaints.hpp"

namespace d = arrimage::domain;
using arrimage::Date;
using arrimage::Errc;

namespace {

Date day(std::string_view iso) {
    const auto parsed = arrimage::parse_date(iso);
    EXPECT_TRUE(parsed) << iso;
    return parsed.value_or(Date{});
}

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

std::vector<std::string> one(const std::string& s) {
    return {s};
}

const std::vector<std::string> none;

const std::vector<d::Relationship>& every_relationship() {
    static const std::vector<d::Relationship> v = {d::Relationship::none,
                                                   d::Relationship::assigned_coordinator,
                                                   d::Relationship::team_member,
                                                   d::Relationship::coordinating_agency,
                                                   d::Relationship::privacy_officer,
                                                   d::Relationship::family_of,
                                                   d::Relationship::self};
    return v;
}

std::string read_file(const std::string& relative) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/" + relative);
    EXPECT_TRUE(in) << relative;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

// ---------------------------------------------------------------- codes

TEST(ComplaintCodes, EveryCodeParsesBackAndUnknownOnesDoNot) {
    for (auto k : d::all_complaint_kinds()) EXPECT_EQ(d::parse_complaint_kind(d::code(k)), k);
    for (auto s : d::all_complaint_sources()) EXPECT_EQ(d::parse_complaint_source(d::code(s)), s);
    for (auto c : d::all_complaint_categories()) EXPECT_EQ(d::parse_complaint_category(d::code(c)), c);
    for (auto s : d::all_complaint_severities()) EXPECT_EQ(d::parse_complaint_severity(d::code(s)), s);
    for (auto r : d::all_complainant_relations()) EXPECT_EQ(d::parse_complainant_relation(d::code(r)), r);
    for (auto s : d::all_complaint_statuses()) EXPECT_EQ(d::parse_complaint_status(d::code(s)), s);
    for (auto e : d::all_complaint_events()) EXPECT_EQ(d::parse_complaint_event(d::code(e)), e);
    EXPECT_EQ(d::all_complaint_kinds().size(), 2u);
    EXPECT_EQ(d::all_complaint_sources().size(), 3u);
    EXPECT_EQ(d::all_complaint_categories().size(), 8u);
    EXPECT_EQ(d::all_complaint_severities().size(), 4u);
    EXPECT_EQ(d::all_complainant_relations().size(), 5u);
    EXPECT_EQ(d::all_complaint_statuses().size(), 7u);
    EXPECT_EQ(d::all_complaint_events().size(), 7u);
    EXPECT_FALSE(d::parse_complaint_kind("Complaint"));
    EXPECT_FALSE(d::parse_complaint_source("public_form")) << "the enum's name is not its code";
    EXPECT_FALSE(d::parse_complaint_category(""));
    EXPECT_FALSE(d::parse_complaint_severity("urgent"));
    EXPECT_FALSE(d::parse_complainant_relation("guardian"));
    EXPECT_FALSE(d::parse_complaint_status("open")) << "open is the register's filter, not a status";
    EXPECT_FALSE(d::parse_complaint_event("step")) << "a step is recorded, not a move";
    EXPECT_FALSE(d::parse_complaint_event("escalate"));
}

TEST(ComplaintCodes, TheCodesInOrder) {
    std::vector<std::string_view> codes;
    for (auto s : d::all_complaint_sources()) codes.push_back(d::code(s));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"public", "family", "provider"}));
    codes.clear();
    for (auto c : d::all_complaint_categories()) codes.push_back(d::code(c));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"access", "wait_times", "quality", "communication", "coordination", "privacy",
                                                    "conduct", "other"}));
    codes.clear();
    for (auto s : d::all_complaint_statuses()) codes.push_back(d::code(s));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"received", "triaged", "acknowledged", "resolved", "appealed", "closed",
                                                    "withdrawn"}));
    codes.clear();
    for (auto e : d::all_complaint_events()) codes.push_back(d::code(e));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"triage", "acknowledge", "resolve", "appeal", "decide_appeal", "close",
                                                    "withdraw"}));
    EXPECT_EQ(d::code(d::ComplaintDeadline::acknowledge), "acknowledge");
    EXPECT_EQ(d::code(d::ComplaintDeadline::resolve), "resolve");
    EXPECT_EQ(d::code(d::ComplaintDeadline::appeal), "appeal");
}

namespace {

// The codes listed by "CHECK (<column> IN (...))" in a migration, the first such constraint.
std::set<std::string> check_list(const std::string& sql, const std::string& column) {
    const std::string head = "CHECK (" + column + " IN (";
    const auto start = sql.find(head);
    EXPECT_NE(start, std::string::npos) << head;
    std::set<std::string> out;
    if (start == std::string::npos) return out;
    const auto end = sql.find("))", start);
    const std::string list = sql.substr(start + head.size(), end - start - head.size());
    for (std::size_t i = list.find('\''); i != std::string::npos; i = list.find('\'', i)) {
        const auto close = list.find('\'', i + 1);
        out.insert(list.substr(i + 1, close - i - 1));
        i = close + 1;
    }
    return out;
}

template <typename E>
std::set<std::string> codes_of(const std::vector<E>& values) {
    std::set<std::string> out;
    for (auto v : values) out.insert(std::string(d::code(v)));
    return out;
}

}  // namespace

TEST(ComplaintCodes, TheCodesTheDatabaseAccepts) {
    // The CHECK constraints of V027__complaints.sql list these codes (both backends): a code
    // renamed here would be refused by the database, not by the table.
    for (const char* migration :
         {"src/store/migrations/sqlite/V027__complaints.sql", "src/store/migrations/pg/V027__complaints.sql"}) {
        SCOPED_TRACE(migration);
        const std::string sql = read_file(migration);
        ASSERT_FALSE(sql.empty());
        EXPECT_EQ(check_list(sql, "kind"), codes_of(d::all_complaint_kinds()));
        EXPECT_EQ(check_list(sql, "source"), codes_of(d::all_complaint_sources()));
        EXPECT_EQ(check_list(sql, "category"), codes_of(d::all_complaint_categories()));
        auto severities = codes_of(d::all_complaint_severities());
        severities.insert("");  // until triaged
        EXPECT_EQ(check_list(sql, "severity"), severities);
        auto relations = codes_of(d::all_complainant_relations());
        relations.insert("");  // not said
        EXPECT_EQ(check_list(sql, "complainant_relation"), relations);
        EXPECT_EQ(check_list(sql, "status"), codes_of(d::all_complaint_statuses()));
        EXPECT_EQ(check_list(sql, "preferred_lang"), (std::set<std::string>{"fr", "en"}));
        // The settings' bounds, as validate(ComplaintSettingsForm) applies them below.
        EXPECT_NE(sql.find("acknowledge_days BETWEEN 1 AND 60"), std::string::npos);
        EXPECT_NE(sql.find("resolve_days BETWEEN 1 AND 365"), std::string::npos);
        EXPECT_NE(sql.find("appeal_days BETWEEN 1 AND 365"), std::string::npos);
    }
}

TEST(ComplaintCodes, OpenIsReceivedTriagedAcknowledgedOrAppealed) {
    using S = d::ComplaintStatus;
    std::vector<S> open;
    for (auto s : d::all_complaint_statuses())
        if (d::complaint_open(s)) open.push_back(s);
    EXPECT_EQ(open, (std::vector<S>{S::received, S::triaged, S::acknowledged, S::appealed}));
}

// ---------------------------------------------------------------- the lifecycle

namespace {

using S = d::ComplaintStatus;
using E = d::ComplaintEvent;
using R = d::Relationship;

struct Move {
    S from;
    E event;
    S to;
    std::vector<R> who;
};

std::string trace(S from, E event) {
    return std::string(d::code(from)) + " --" + std::string(d::code(event)) + "-->";
}

// The table as the header states it.
const std::vector<Move>& complaint_moves() {
    const std::vector<R> agency = {R::coordinating_agency};
    const std::vector<R> agency_or_owner = {R::coordinating_agency, R::assigned_coordinator};
    const std::vector<R> agency_or_raiser = {R::coordinating_agency, R::self};
    static const std::vector<Move> v = {
        {S::received, E::triage, S::triaged, agency},
        {S::triaged, E::acknowledge, S::acknowledged, agency_or_owner},
        {S::acknowledged, E::resolve, S::resolved, agency_or_owner},
        {S::resolved, E::appeal, S::appealed, agency_or_raiser},
        {S::appealed, E::decide_appeal, S::closed, agency},
        {S::resolved, E::close, S::closed, agency},
        {S::received, E::withdraw, S::withdrawn, agency_or_raiser},
        {S::triaged, E::withdraw, S::withdrawn, agency_or_raiser},
        {S::acknowledged, E::withdraw, S::withdrawn, agency_or_raiser},
    };
    return v;
}

const Move* allowed(S from, E event) {
    for (const auto& m : complaint_moves())
        if (m.from == from && m.event == event) return &m;
    return nullptr;
}

// Facts under which every guard holds (contradictory on purpose: each guard reads one).
const d::ComplaintFacts all_hold{true, true, true};

}  // namespace

TEST(ComplaintLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    const auto& l = d::complaint_lifecycle();
    EXPECT_EQ(l.name(), "complaint");
    EXPECT_EQ(l.rows().size(), complaint_moves().size());
    for (auto who : every_relationship())
        for (auto from : d::all_complaint_statuses())
            for (auto event : d::all_complaint_events()) {
                SCOPED_TRACE(trace(from, event) + " by " + std::string(d::code(who)));
                const auto fired = l.fire(from, event, who, all_hold);
                const Move* m = allowed(from, event);
                if (!m) {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().code, Errc::Conflict);
                    EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                } else if (std::find(m->who.begin(), m->who.end(), who) != m->who.end()) {
                    ASSERT_TRUE(fired) << fired.error().message_key;
                    EXPECT_EQ(fired.value()->to, m->to);
                } else {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().code, Errc::Forbidden);
                }
            }
}

TEST(ComplaintLifecycle, EachRowNamesExactlyWhoMayFireIt) {
    const auto& l = d::complaint_lifecycle();
    for (const auto& m : complaint_moves()) {
        SCOPED_TRACE(trace(m.from, m.event));
        const auto* row = l.find(m.from, m.event);
        ASSERT_TRUE(row);
        EXPECT_EQ(row->to, m.to);
        EXPECT_EQ(row->who, m.who);
    }
}

TEST(ComplaintLifecycle, TheAppealIsDecidedByTheAgencyNotByTheOwner) {
    const auto fired = d::complaint_lifecycle().fire(S::appealed, E::decide_appeal, R::assigned_coordinator, all_hold);
    ASSERT_FALSE(fired);
    EXPECT_EQ(fired.error().code, Errc::Forbidden) << "nobody reviews their own resolution";
    EXPECT_EQ(d::complaint_lifecycle().fire(S::appealed, E::decide_appeal, R::coordinating_agency, all_hold).value()->to,
              S::closed);
}

TEST(ComplaintLifecycle, TheComplainantMayAppealAndWithdrawButNotMoveItOtherwise) {
    const auto& l = d::complaint_lifecycle();
    EXPECT_EQ(l.fire(S::resolved, E::appeal, R::self, all_hold).value()->to, S::appealed);
    for (auto from : {S::received, S::triaged, S::acknowledged})
        EXPECT_EQ(l.fire(from, E::withdraw, R::self, all_hold).value()->to, S::withdrawn) << d::code(from);
    EXPECT_EQ(l.fire(S::received, E::triage, R::self, all_hold).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::triaged, E::acknowledge, R::self, all_hold).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::acknowledged, E::resolve, R::self, all_hold).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::resolved, E::close, R::self, all_hold).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::resolved, E::withdraw, R::self, all_hold).error().message_key, "lifecycle.not_from_state")
        << "resolved: appealed or closed, no longer withdrawn";
    EXPECT_EQ(l.fire(S::appealed, E::withdraw, R::self, all_hold).error().message_key, "lifecycle.not_from_state");
}

TEST(ComplaintLifecycle, TheOwnerAcknowledgesAndResolvesNothingElse) {
    const auto& l = d::complaint_lifecycle();
    const auto owner = R::assigned_coordinator;
    EXPECT_EQ(l.fire(S::triaged, E::acknowledge, owner, all_hold).value()->to, S::acknowledged);
    EXPECT_EQ(l.fire(S::acknowledged, E::resolve, owner, all_hold).value()->to, S::resolved);
    EXPECT_EQ(l.fire(S::received, E::triage, owner, all_hold).error().code, Errc::Forbidden) << "triage names the owner";
    EXPECT_EQ(l.fire(S::resolved, E::close, owner, all_hold).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::acknowledged, E::withdraw, owner, all_hold).error().code, Errc::Forbidden)
        << "only the complainant (or the agency for them) withdraws";
}

TEST(ComplaintLifecycle, TriageNamesAnOwner) {
    const auto& l = d::complaint_lifecycle();
    const auto refused = l.fire(S::received, E::triage, R::coordinating_agency, {false, true, true});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Conflict);
    EXPECT_EQ(refused.error().message_key, "complaint.owner_required");
    EXPECT_EQ(l.fire(S::received, E::triage, R::coordinating_agency, {true, false, false}).value()->to, S::triaged)
        << "the appeal window is no concern of triage";
    const auto* row = l.find(S::received, E::triage);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->refused_key, "complaint.owner_required");
    EXPECT_FALSE(row->guard_text.empty());
}

TEST(ComplaintLifecycle, AnAppealOnlyWithinTheWindow) {
    const auto& l = d::complaint_lifecycle();
    for (auto who : {R::coordinating_agency, R::self}) {
        SCOPED_TRACE(std::string(d::code(who)));
        const auto late = l.fire(S::resolved, E::appeal, who, {true, false, true});
        ASSERT_FALSE(late);
        EXPECT_EQ(late.error().code, Errc::Conflict);
        EXPECT_EQ(late.error().message_key, "complaint.appeal_window_closed");
        EXPECT_EQ(l.fire(S::resolved, E::appeal, who, {false, true, false}).value()->to, S::appealed)
            << "an owner is not asked for";
    }
    const auto* row = l.find(S::resolved, E::appeal);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->refused_key, "complaint.appeal_window_closed");
    EXPECT_FALSE(row->guard_text.empty());
}

TEST(ComplaintLifecycle, AResolvedOneClosesOnlyOnceTheWindowIsOver) {
    const auto& l = d::complaint_lifecycle();
    const auto early = l.fire(S::resolved, E::close, R::coordinating_agency, {true, true, false});
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, Errc::Conflict);
    EXPECT_EQ(early.error().message_key, "complaint.appeal_window_open");
    EXPECT_EQ(l.fire(S::resolved, E::close, R::coordinating_agency, {false, false, true}).value()->to, S::closed);
    const auto* row = l.find(S::resolved, E::close);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->refused_key, "complaint.appeal_window_open");
    EXPECT_FALSE(row->guard_text.empty());
}

TEST(ComplaintLifecycle, NotTheirsComesBeforeTheGuard) {
    // Someone who may not fire a move is told so, not that its guard does not hold.
    const auto& l = d::complaint_lifecycle();
    EXPECT_EQ(l.fire(S::received, E::triage, R::self, {false, false, false}).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::resolved, E::appeal, R::assigned_coordinator, {false, false, false}).error().code, Errc::Forbidden);
    EXPECT_EQ(l.fire(S::resolved, E::close, R::self, {false, false, false}).error().code, Errc::Forbidden);
}

TEST(ComplaintLifecycle, OnlyTriageAppealAndCloseHaveGuards) {
    for (const auto& r : d::complaint_lifecycle().rows()) {
        const bool guarded = (r.from == S::received && r.event == E::triage) || r.event == E::appeal || r.event == E::close;
        EXPECT_EQ(r.guard != nullptr, guarded) << trace(r.from, r.event);
        EXPECT_EQ(r.guard_text.empty(), !guarded) << trace(r.from, r.event);
        EXPECT_EQ(r.refused_key.empty(), !guarded) << trace(r.from, r.event);
    }
}

TEST(ComplaintLifecycle, NothingLeavesClosedOrWithdrawn) {
    const auto& l = d::complaint_lifecycle();
    for (auto s : {S::closed, S::withdrawn})
        for (auto e : d::all_complaint_events())
            EXPECT_EQ(l.fire(s, e, R::coordinating_agency, all_hold).error().message_key, "lifecycle.not_from_state")
                << trace(s, e);
}

TEST(ComplaintLifecycle, WhatEachMayFireFromEachState) {
    using Events = std::vector<E>;
    const auto& l = d::complaint_lifecycle();
    const auto agency = R::coordinating_agency;
    const auto owner = R::assigned_coordinator;
    const auto raiser = R::self;
    const d::ComplaintFacts unowned{false, false, false};
    const d::ComplaintFacts owned{true, false, false};
    const d::ComplaintFacts window_open{true, true, false};
    const d::ComplaintFacts window_over{true, false, true};
    EXPECT_EQ(l.available(S::received, agency, unowned), (Events{E::withdraw}));
    EXPECT_EQ(l.available(S::received, agency, owned), (Events{E::triage, E::withdraw}));
    EXPECT_EQ(l.available(S::triaged, agency, owned), (Events{E::acknowledge, E::withdraw}));
    EXPECT_EQ(l.available(S::acknowledged, agency, owned), (Events{E::resolve, E::withdraw}));
    EXPECT_EQ(l.available(S::resolved, agency, window_open), (Events{E::appeal}));
    EXPECT_EQ(l.available(S::resolved, agency, window_over), (Events{E::close}));
    EXPECT_EQ(l.available(S::appealed, agency, owned), (Events{E::decide_appeal}));
    EXPECT_TRUE(l.available(S::received, owner, owned).empty());
    EXPECT_EQ(l.available(S::triaged, owner, owned), (Events{E::acknowledge}));
    EXPECT_EQ(l.available(S::acknowledged, owner, owned), (Events{E::resolve}));
    EXPECT_TRUE(l.available(S::resolved, owner, window_open).empty());
    EXPECT_TRUE(l.available(S::appealed, owner, owned).empty());
    EXPECT_EQ(l.available(S::received, raiser, unowned), (Events{E::withdraw}));
    EXPECT_EQ(l.available(S::acknowledged, raiser, owned), (Events{E::withdraw}));
    EXPECT_EQ(l.available(S::resolved, raiser, window_open), (Events{E::appeal}));
    EXPECT_TRUE(l.available(S::resolved, raiser, window_over).empty());
    EXPECT_TRUE(l.available(S::appealed, raiser, owned).empty());
    for (auto s : d::all_complaint_statuses())
        for (auto r : {R::none, R::team_member, R::privacy_officer, R::family_of})
            EXPECT_TRUE(l.available(s, r, all_hold).empty()) << d::code(s) << " by " << d::code(r);
}

TEST(ComplaintLifecycle, EventToFindsTheMove) {
    const auto& l = d::complaint_lifecycle();
    EXPECT_EQ(l.event_to(S::appealed, S::closed), E::decide_appeal);
    EXPECT_EQ(l.event_to(S::resolved, S::closed), E::close);
    EXPECT_EQ(l.event_to(S::triaged, S::withdrawn), E::withdraw);
    EXPECT_FALSE(l.event_to(S::received, S::resolved));
}

// ---------------------------------------------------------------- the facts

TEST(ComplaintFacts, TheOwnerIsPassedThrough) {
    const Date today = day("2026-03-10");
    EXPECT_TRUE(d::complaint_facts(true, std::nullopt, today).has_owner);
    EXPECT_FALSE(d::complaint_facts(false, std::nullopt, today).has_owner);
}

TEST(ComplaintFacts, TheWindowToAppealIncludesItsLastDay) {
    const Date today = day("2026-03-10");
    const auto none_yet = d::complaint_facts(true, std::nullopt, today);
    EXPECT_FALSE(none_yet.appeal_window_open) << "not resolved: nothing to appeal";
    EXPECT_FALSE(none_yet.appeal_window_over) << "not resolved: nothing to close";
    const auto last_day = d::complaint_facts(true, day("2026-03-10"), today);
    EXPECT_TRUE(last_day.appeal_window_open);
    EXPECT_FALSE(last_day.appeal_window_over);
    const auto ahead = d::complaint_facts(true, day("2026-04-09"), today);
    EXPECT_TRUE(ahead.appeal_window_open);
    EXPECT_FALSE(ahead.appeal_window_over);
    const auto day_after = d::complaint_facts(true, day("2026-03-09"), today);
    EXPECT_FALSE(day_after.appeal_window_open);
    EXPECT_TRUE(day_after.appeal_window_over);
    const auto long_past = d::complaint_facts(false, day("2025-01-01"), today);
    EXPECT_FALSE(long_past.appeal_window_open);
    EXPECT_TRUE(long_past.appeal_window_over);
}

// ---------------------------------------------------------------- the area's deadlines

TEST(ComplaintDeadlines, CountedInCalendarDaysFromReceipt) {
    const d::ComplaintSettings defaults;
    EXPECT_EQ(defaults.acknowledge_days, 3);
    EXPECT_EQ(defaults.resolve_days, 30);
    EXPECT_EQ(defaults.appeal_days, 30);
    auto dl = d::deadlines_for(day("2026-03-10"), defaults);
    EXPECT_EQ(dl.acknowledge_due.iso(), "2026-03-13");
    EXPECT_EQ(dl.resolve_due.iso(), "2026-04-09");
    dl = d::deadlines_for(day("2026-12-30"), defaults);
    EXPECT_EQ(dl.acknowledge_due.iso(), "2027-01-02") << "over the new year";
    EXPECT_EQ(dl.resolve_due.iso(), "2027-01-29");
    dl = d::deadlines_for(day("2028-02-27"), {2, 1, 1});
    EXPECT_EQ(dl.acknowledge_due.iso(), "2028-02-29") << "a leap year";
    EXPECT_EQ(dl.resolve_due.iso(), "2028-02-28");
    dl = d::deadlines_for(day("2026-01-01"), {60, 365, 365});
    EXPECT_EQ(dl.acknowledge_due.iso(), "2026-03-02");
    EXPECT_EQ(dl.resolve_due.iso(), "2027-01-01");
}

TEST(ComplaintDeadlines, TheAppealCountsFromTheResolutionOrTheAppeal) {
    EXPECT_EQ(d::appeal_due_from(day("2026-04-01"), d::ComplaintSettings{}).iso(), "2026-05-01");
    EXPECT_EQ(d::appeal_due_from(day("2026-04-01"), {3, 30, 1}).iso(), "2026-04-02");
    EXPECT_EQ(d::appeal_due_from(day("2026-12-15"), {3, 30, 20}).iso(), "2027-01-04");
}

namespace {

const Date state_today = {2026, 3, 10};

std::optional<d::DeadlineState> state(S s, std::string_view ack, std::string_view resolve,
                                      std::optional<std::string_view> appeal = std::nullopt) {
    std::optional<Date> appeal_due;
    if (appeal) appeal_due = day(*appeal);
    return d::deadline_state(s, day(ack), day(resolve), appeal_due, state_today);
}

// The deadline an open complaint works against (a failure, and an empty one, when none).
d::DeadlineState awaited(S s, std::string_view ack, std::string_view resolve,
                         std::optional<std::string_view> appeal = std::nullopt) {
    const auto st = state(s, ack, resolve, appeal);
    EXPECT_TRUE(st) << d::code(s) << " should work against a deadline";
    return st.value_or(d::DeadlineState{});
}

}  // namespace

TEST(ComplaintDeadlineState, BeforeAcknowledgementTheAcknowledgementIsAwaited) {
    for (auto s : {S::received, S::triaged}) {
        SCOPED_TRACE(std::string(d::code(s)));
        auto st = awaited(s, "2026-03-13", "2026-04-09");
        EXPECT_EQ(st.which, d::ComplaintDeadline::acknowledge);
        EXPECT_EQ(st.due.iso(), "2026-03-13");
        EXPECT_FALSE(st.overdue);
        EXPECT_FALSE(st.due_soon) << "3 days ahead";
        st = awaited(s, "2026-03-12", "2026-04-09");
        EXPECT_FALSE(st.overdue);
        EXPECT_TRUE(st.due_soon) << "2 days ahead";
        st = awaited(s, "2026-03-11", "2026-04-09");
        EXPECT_TRUE(st.due_soon) << "tomorrow";
        st = awaited(s, "2026-03-10", "2026-04-09");
        EXPECT_FALSE(st.overdue) << "due today is not late yet";
        EXPECT_TRUE(st.due_soon) << "due today";
        st = awaited(s, "2026-03-09", "2026-04-09");
        EXPECT_TRUE(st.overdue) << "a day late";
        EXPECT_FALSE(st.due_soon) << "overdue, not due soon";
        st = awaited(s, "2026-03-09", "2026-03-01");
        EXPECT_EQ(st.which, d::ComplaintDeadline::acknowledge) << "the resolution's day is not what it works against yet";
        EXPECT_EQ(st.due.iso(), "2026-03-09");
    }
}

TEST(ComplaintDeadlineState, AcknowledgedItWorksAgainstTheResolution) {
    auto st = awaited(S::acknowledged, "2026-02-01", "2026-04-09");
    EXPECT_EQ(st.which, d::ComplaintDeadline::resolve);
    EXPECT_EQ(st.due.iso(), "2026-04-09");
    EXPECT_FALSE(st.overdue) << "acknowledged late is not overdue for the acknowledgement: it was acknowledged";
    EXPECT_FALSE(st.due_soon);
    st = awaited(S::acknowledged, "2026-02-01", "2026-03-12");
    EXPECT_TRUE(st.due_soon);
    EXPECT_FALSE(st.overdue);
    st = awaited(S::acknowledged, "2026-02-01", "2026-03-10");
    EXPECT_TRUE(st.due_soon);
    EXPECT_FALSE(st.overdue);
    st = awaited(S::acknowledged, "2026-02-01", "2026-03-09");
    EXPECT_TRUE(st.overdue);
    EXPECT_FALSE(st.due_soon);
}

TEST(ComplaintDeadlineState, AppealedItWorksAgainstTheDecisionDay) {
    auto st = awaited(S::appealed, "2026-01-01", "2026-02-01", "2026-03-12");
    EXPECT_EQ(st.which, d::ComplaintDeadline::appeal);
    EXPECT_EQ(st.due.iso(), "2026-03-12");
    EXPECT_TRUE(st.due_soon);
    EXPECT_FALSE(st.overdue) << "a resolution long past is not what an appeal waits on";
    st = awaited(S::appealed, "2026-01-01", "2026-02-01", "2026-03-13");
    EXPECT_FALSE(st.due_soon);
    EXPECT_FALSE(st.overdue);
    st = awaited(S::appealed, "2026-01-01", "2026-02-01", "2026-03-09");
    EXPECT_TRUE(st.overdue);
    EXPECT_FALSE(state(S::appealed, "2026-01-01", "2026-02-01")) << "no decision day: nothing to count";
}

TEST(ComplaintDeadlineState, NothingIsAwaitedOnceResolvedClosedOrWithdrawn) {
    for (auto s : {S::resolved, S::closed, S::withdrawn})
        EXPECT_FALSE(state(s, "2025-01-01", "2025-02-01", "2025-03-01")) << d::code(s);
}

// ---------------------------------------------------------------- the area's settings

namespace {

std::vector<std::string> settings_errors(const d::ComplaintSettingsForm& f) {
    d::ComplaintSettings out;
    return fields_of(d::validate(f, out));
}

}  // namespace

TEST(ComplaintSettingsForm, AGoodFormFillsTheSettings) {
    d::ComplaintSettings out;
    ASSERT_EQ(fields_of(d::validate(d::ComplaintSettingsForm{" 5 ", "45", "20"}, out)), none);
    EXPECT_EQ(out.acknowledge_days, 5);
    EXPECT_EQ(out.resolve_days, 45);
    EXPECT_EQ(out.appeal_days, 20);
    EXPECT_EQ(settings_errors({"1", "1", "1"}), none);
    EXPECT_EQ(settings_errors({"60", "365", "365"}), none);
}

TEST(ComplaintSettingsForm, EachIsRequired) {
    EXPECT_EQ(settings_errors({"", "30", "30"}), one("acknowledge_days:field.required"));
    EXPECT_EQ(settings_errors({"3", " ", "30"}), one("resolve_days:field.required"));
    EXPECT_EQ(settings_errors({"3", "30", ""}), one("appeal_days:field.required"));
}

TEST(ComplaintSettingsForm, EachWithinItsBounds) {
    struct Case {
        d::ComplaintSettingsForm form;
        std::string field, hi;
    };
    for (const auto& c : std::vector<Case>{
             {{"0", "30", "30"}, "acknowledge_days", "60"},
             {{"61", "30", "30"}, "acknowledge_days", "60"},
             {{"-3", "30", "30"}, "acknowledge_days", "60"},
             {{"three", "30", "30"}, "acknowledge_days", "60"},
             {{"3", "0", "30"}, "resolve_days", "365"},
             {{"3", "366", "30"}, "resolve_days", "365"},
             {{"3", "30.5", "30"}, "resolve_days", "365"},
             {{"3", "30", "0"}, "appeal_days", "365"},
             {{"3", "30", "366"}, "appeal_days", "365"},
             {{"3", "30", "1e2"}, "appeal_days", "365"},
         }) {
        d::ComplaintSettings out;
        const auto e = d::validate(c.form, out);
        ASSERT_EQ(fields_of(e), one(c.field + ":complaint.days_range"));
        EXPECT_EQ(e[0].args, (std::vector<std::string>{"1", c.hi})) << c.field;
    }
    EXPECT_EQ(settings_errors({"0", "", "999"}),
              (std::vector<std::string>{"acknowledge_days:complaint.days_range", "resolve_days:field.required",
                                        "appeal_days:complaint.days_range"}));
}

TEST(ComplaintSettingsForm, TheAcknowledgementIsNotDueAfterTheResolution) {
    EXPECT_EQ(settings_errors({"31", "30", "30"}), one("acknowledge_days:complaint.acknowledge_after_resolve"));
    EXPECT_EQ(settings_errors({"60", "1", "30"}), one("acknowledge_days:complaint.acknowledge_after_resolve"));
    EXPECT_EQ(settings_errors({"30", "30", "30"}), none) << "due the same day";
    EXPECT_EQ(settings_errors({"2", "1", "1"}), one("acknowledge_days:complaint.acknowledge_after_resolve"));
    // Compared only once both are numbers within their bounds: each field says its own error.
    EXPECT_EQ(settings_errors({"61", "30", "30"}), one("acknowledge_days:complaint.days_range"));
    EXPECT_EQ(settings_errors({"5", "", "30"}), one("resolve_days:field.required"));
    EXPECT_EQ(settings_errors({"5", "0", "30"}), one("resolve_days:complaint.days_range"));
}

// ---------------------------------------------------------------- raising one

namespace {

d::ComplaintForm good_public() {
    d::ComplaintForm f;
    f.area = "3";
    f.kind = "complaint";
    f.category = "wait_times";
    f.about_organisation = "12";
    f.name = "Camille Tremblay";
    f.relation = "parent";
    f.email = "Camille.Tremblay@Example.org";
    f.phone = "(613) 555 0100";
    f.preferred_lang = "fr";
    f.description = "Nous attendons depuis six mois une évaluation.";
    f.desired_outcome = "Une date pour l'évaluation.";
    return f;
}

std::vector<std::string> public_errors(const d::ComplaintForm& f) {
    d::ComplaintInput out;
    return fields_of(d::validate(f, true, true, "en", out));
}

std::vector<std::string> account_errors(const d::ComplaintForm& f) {
    d::ComplaintInput out;
    return fields_of(d::validate(f, false, false, "fr", out));
}

}  // namespace

TEST(ComplaintForm, AGoodPublicFormFillsTheInput) {
    auto f = good_public();
    f.description = "  Nous attendons\r\ndepuis six mois.  ";
    d::ComplaintInput out;
    ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
    EXPECT_EQ(out.area, 3);
    EXPECT_EQ(out.kind, d::ComplaintKind::complaint);
    EXPECT_EQ(out.category, d::ComplaintCategory::wait_times);
    EXPECT_EQ(out.about_organisation, std::optional<std::int64_t>(12));
    EXPECT_EQ(out.name, "Camille Tremblay");
    EXPECT_EQ(out.relation, d::ComplainantRelation::parent);
    EXPECT_EQ(out.email, std::optional<std::string>("camille.tremblay@example.org"));
    EXPECT_EQ(out.phone, std::optional<std::string>("+1 613-555-0100"));
    EXPECT_EQ(out.preferred_lang, "fr");
    EXPECT_EQ(out.description, "Nous attendons\ndepuis six mois.");
    EXPECT_EQ(out.desired_outcome, "Une date pour l'évaluation.");
}

TEST(ComplaintForm, ThePublicFormNeedsAnAreaFromTheList) {
    auto f = good_public();
    for (const char* bad : {"", " ", "north", "0", "-1", "2.5"}) {
        f.area = bad;
        EXPECT_EQ(public_errors(f), one("area:field.choose_from_list")) << "'" << bad << "'";
    }
}

TEST(ComplaintForm, AnAccountsAreaIsNotAsked) {
    auto f = good_public();
    f.area = "north";
    d::ComplaintInput out;
    out.area = 42;
    ASSERT_EQ(fields_of(d::validate(f, false, false, "fr", out)), none);
    EXPECT_EQ(out.area, 42) << "the store's, left alone";
}

TEST(ComplaintForm, AKindFromTheList) {
    auto f = good_public();
    f.kind = "";
    EXPECT_EQ(public_errors(f), one("kind:field.required"));
    f.kind = "grievance";
    EXPECT_EQ(public_errors(f), one("kind:field.choose_from_list"));
    for (auto k : d::all_complaint_kinds()) {
        f.kind = std::string(d::code(k));
        d::ComplaintInput out;
        ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
        EXPECT_EQ(out.kind, k);
    }
}

TEST(ComplaintForm, ACategoryIsRequiredAndFromTheList) {
    auto f = good_public();
    f.category = " ";
    EXPECT_EQ(public_errors(f), one("category:complaint.category_required"));
    EXPECT_EQ(account_errors(f), one("category:complaint.category_required"));
    f.category = "Wait_times";
    EXPECT_EQ(public_errors(f), one("category:field.choose_from_list"));
    for (auto c : d::all_complaint_categories()) {
        f.category = std::string(d::code(c));
        d::ComplaintInput out;
        ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
        EXPECT_EQ(out.category, c);
    }
}

TEST(ComplaintForm, TheOrganisationItIsAboutIsOptionalAndAnId) {
    auto f = good_public();
    f.about_organisation = "";
    d::ComplaintInput out;
    out.about_organisation = 9;
    ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
    EXPECT_FALSE(out.about_organisation) << "none given: none kept";
    for (const char* bad : {"blue-river", "0", "-12"}) {
        f.about_organisation = bad;
        EXPECT_EQ(public_errors(f), one("about_organisation:field.choose_from_list")) << bad;
    }
}

TEST(ComplaintForm, TheNameIsOptionalOneLineBoundedAndShowsAsAName) {
    auto f = good_public();
    f.name = std::string(d::max_complaint_name_length, 'a');
    EXPECT_EQ(public_errors(f), none);
    f.name = std::string(d::max_complaint_name_length + 1, 'a');
    d::ComplaintInput out;
    const auto e = d::validate(f, true, true, "en", out);
    ASSERT_EQ(fields_of(e), one("name:field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"200"});
    f.name = "Camille\nTremblay";
    EXPECT_EQ(public_errors(f), one("name:field.invalid_text")) << "one line";
    f.name = "...";
    EXPECT_EQ(public_errors(f), one("name:field.no_visible_letter"));
    f.name = "Camille \u202eyalbmerT";
    EXPECT_EQ(public_errors(f), one("name:field.bidi_control"));
}

TEST(ComplaintForm, TheRelationIsOptionalAndFromTheList) {
    auto f = good_public();
    f.relation = "";
    d::ComplaintInput out;
    out.relation = d::ComplainantRelation::youth;
    ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
    EXPECT_FALSE(out.relation);
    f.relation = "guardian";
    EXPECT_EQ(public_errors(f), one("relation:field.choose_from_list"));
    for (auto r : d::all_complainant_relations()) {
        f.relation = std::string(d::code(r));
        ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
        EXPECT_EQ(out.relation, r);
    }
}

TEST(ComplaintForm, EmailAndPhoneWellFormedWhenGiven) {
    auto f = good_public();
    f.email = "camille@";
    EXPECT_EQ(public_errors(f), one("email:field.email"));
    f = good_public();
    f.phone = "555-0100";
    EXPECT_EQ(public_errors(f), one("phone:field.phone"));
    f.email = "nope";
    EXPECT_EQ(public_errors(f), (std::vector<std::string>{"phone:field.phone", "email:field.email"}));
}

TEST(ComplaintForm, ThePublicFormNeedsAWayToAnswerWhoeverGivesTheirName) {
    auto f = good_public();
    f.email = f.phone = "";
    EXPECT_EQ(public_errors(f), one("email:complaint.contact_required"));
    f.email = "camille@example.org";
    EXPECT_EQ(public_errors(f), none) << "an email is enough";
    f.email = "";
    f.phone = "613-555-0100";
    EXPECT_EQ(public_errors(f), none) << "a phone is enough";
    f.phone = "";
    f.email = "camille@";
    EXPECT_EQ(public_errors(f), one("email:field.email")) << "a bad email says so, not that one is missing";
    f.email = "";
    f.phone = "0100";
    EXPECT_EQ(public_errors(f), one("phone:field.phone"));
}

TEST(ComplaintForm, AnAnonymousComplaintIsAllowed) {
    auto f = good_public();
    f.name = f.email = f.phone = f.relation = "";
    d::ComplaintInput out;
    ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
    EXPECT_EQ(out.name, "");
    EXPECT_FALSE(out.email);
    EXPECT_FALSE(out.phone);
    f = good_public();
    f.name = "";
    f.email = "";
    EXPECT_EQ(public_errors(f), none) << "a phone without a name";
}

TEST(ComplaintForm, AnAccountIsAnsweredThroughItWithoutContactDetails) {
    auto f = good_public();
    f.email = f.phone = "";
    EXPECT_EQ(account_errors(f), none);
}

TEST(ComplaintForm, TheLanguageIsFrenchOrEnglishThePagesByDefault) {
    auto f = good_public();
    f.preferred_lang = "";
    d::ComplaintInput out;
    ASSERT_EQ(fields_of(d::validate(f, true, true, "en", out)), none);
    EXPECT_EQ(out.preferred_lang, "en");
    ASSERT_EQ(fields_of(d::validate(f, true, true, "fr", out)), none);
    EXPECT_EQ(out.preferred_lang, "fr");
    f.preferred_lang = " en ";
    ASSERT_EQ(fields_of(d::validate(f, true, true, "fr", out)), none);
    EXPECT_EQ(out.preferred_lang, "en");
    for (const char* bad : {"de", "EN", "english"}) {
        f.preferred_lang = bad;
        EXPECT_EQ(public_errors(f), one("preferred_lang:field.choose_from_list")) << bad;
    }
}

TEST(ComplaintForm, TheDescriptionIsRequiredPlainAndBounded) {
    auto f = good_public();
    f.description = " \r\n ";
    EXPECT_EQ(public_errors(f), one("description:field.required"));
    f.description = std::string(d::max_complaint_text_length, 'a');
    EXPECT_EQ(public_errors(f), none);
    std::string accented;
    for (std::size_t i = 0; i < d::max_complaint_text_length; ++i) accented += "é";
    f.description = accented;
    EXPECT_EQ(public_errors(f), none) << "characters, not bytes";
    f.description += "é";
    EXPECT_EQ(public_errors(f), one("description:field.too_long"));
    f.description = "See <a href=\"https://example.org\">this</a>";
    EXPECT_EQ(public_errors(f), one("description:field.no_markup"));
    f.description = "Wait time < 3 months, they said; it was 6.";
    EXPECT_EQ(public_errors(f), none) << "a lone < is plain text";
    f.description = "bell\a";
    EXPECT_EQ(public_errors(f), one("description:field.invalid_text"));
}

TEST(ComplaintForm, TheOutcomeWantedIsOptionalPlainAndBounded) {
    auto f = good_public();
    f.desired_outcome = "";
    EXPECT_EQ(public_errors(f), none);
    f.desired_outcome = std::string(d::max_complaint_text_length + 1, 'a');
    EXPECT_EQ(public_errors(f), one("desired_outcome:field.too_long"));
    f.desired_outcome = "<script>alert(1)</script>";
    EXPECT_EQ(public_errors(f), one("desired_outcome:field.no_markup"));
}

TEST(ComplaintForm, EveryFieldWrongAtOnceNamesEachField) {
    d::ComplaintForm f;
    f.area = "x";
    f.kind = "x";
    f.category = "";
    f.about_organisation = "x";
    f.name = std::string(201, 'a');
    f.relation = "x";
    f.email = "x";
    f.phone = "x";
    f.preferred_lang = "x";
    f.description = "";
    f.desired_outcome = "<b>x</b>";
    EXPECT_EQ(public_errors(f),
              (std::vector<std::string>{"area:field.choose_from_list", "kind:field.choose_from_list",
                                        "category:complaint.category_required", "about_organisation:field.choose_from_list",
                                        "name:field.too_long", "relation:field.choose_from_list", "phone:field.phone",
                                        "email:field.email", "preferred_lang:field.choose_from_list",
                                        "description:field.required", "desired_outcome:field.no_markup"}));
}

// ---------------------------------------------------------------- triage

namespace {

std::vector<std::string> triage_errors(const d::TriageForm& f) {
    d::Triage out;
    return fields_of(d::validate(f, out));
}

}  // namespace

TEST(TriageForm, AGoodFormFillsTheTriage) {
    d::Triage out;
    ASSERT_EQ(fields_of(d::validate(d::TriageForm{"coordination", " high ", " 17 "}, out)), none);
    EXPECT_EQ(out.category, d::ComplaintCategory::coordination);
    EXPECT_EQ(out.severity, d::ComplaintSeverity::high);
    EXPECT_EQ(out.owner, 17);
    for (auto s : d::all_complaint_severities()) {
        ASSERT_EQ(fields_of(d::validate(d::TriageForm{"other", std::string(d::code(s)), "1"}, out)), none);
        EXPECT_EQ(out.severity, s);
    }
}

TEST(TriageForm, TheCategoryFromTheList) {
    EXPECT_EQ(triage_errors({"", "low", "17"}), one("category:field.required"));
    EXPECT_EQ(triage_errors({"billing", "low", "17"}), one("category:field.choose_from_list"));
}

TEST(TriageForm, ASeverityIsRequiredAndFromTheList) {
    EXPECT_EQ(triage_errors({"quality", "", "17"}), one("severity:complaint.severity_required"));
    EXPECT_EQ(triage_errors({"quality", "urgent", "17"}), one("severity:field.choose_from_list"));
}

TEST(TriageForm, AnOwnerIsRequiredAndAnId) {
    EXPECT_EQ(triage_errors({"quality", "low", ""}), one("owner:complaint.owner_required"));
    for (const char* bad : {"me", "0", "-4", "Luc Gagnon"})
        EXPECT_EQ(triage_errors({"quality", "low", bad}), one("owner:field.choose_from_list")) << bad;
    EXPECT_EQ(triage_errors({"x", "", ""}),
              (std::vector<std::string>{"category:field.choose_from_list", "severity:complaint.severity_required",
                                        "owner:complaint.owner_required"}));
}

// ---------------------------------------------------------------- an event's note

namespace {

std::vector<std::string> note_errors(std::optional<E> event, std::string_view raw) {
    std::string out;
    return fields_of(d::validate_note(event, raw, out));
}

}  // namespace

TEST(ComplaintNote, RequiredWhereItIsWhatIsReadOrWhy) {
    for (auto e : {E::resolve, E::appeal, E::decide_appeal, E::withdraw}) {
        EXPECT_EQ(note_errors(e, ""), one("note:field.required")) << d::code(e);
        EXPECT_EQ(note_errors(e, " \n "), one("note:field.required")) << d::code(e);
        EXPECT_EQ(note_errors(e, "Done."), none) << d::code(e);
    }
    EXPECT_EQ(note_errors(std::nullopt, ""), one("note:field.required")) << "a step is its note";
    EXPECT_EQ(note_errors(std::nullopt, "Called the provider."), none);
}

TEST(ComplaintNote, OptionalToAcknowledgeOrClose) {
    for (auto e : {E::acknowledge, E::close}) {
        std::string out = "stale";
        ASSERT_EQ(fields_of(d::validate_note(e, "", out)), none) << d::code(e);
        EXPECT_EQ(out, "");
        EXPECT_EQ(note_errors(e, "We received your complaint."), none) << d::code(e);
    }
}

TEST(ComplaintNote, TriageTakesNone) {
    std::string out = "stale";
    ASSERT_EQ(fields_of(d::validate_note(E::triage, "<b>ignored</b>", out)), none);
    EXPECT_EQ(out, "") << "nothing kept";
}

TEST(ComplaintNote, PlainTextLineBreaksKeptBounded) {
    std::string out;
    ASSERT_EQ(fields_of(d::validate_note(E::resolve, " First.\r\nSecond.\rThird. ", out)), none);
    EXPECT_EQ(out, "First.\nSecond.\nThird.");
    EXPECT_EQ(note_errors(E::resolve, std::string(d::max_complaint_text_length, 'a')), none);
    EXPECT_EQ(note_errors(E::resolve, std::string(d::max_complaint_text_length + 1, 'a')), one("note:field.too_long"));
    EXPECT_EQ(note_errors(E::acknowledge, std::string(d::max_complaint_text_length + 1, 'a')), one("note:field.too_long"))
        << "optional, still bounded";
    EXPECT_EQ(note_errors(E::decide_appeal, "<a href=x>see</a>"), one("note:field.no_markup"));
    EXPECT_EQ(note_errors(std::nullopt, "bell\a"), one("note:field.invalid_text"));
}

// ---------------------------------------------------------------- the reference

TEST(ComplaintReference, TheYearAndASequenceOnFourDigits) {
    EXPECT_EQ(d::complaint_reference(2026, 7), "CMP-2026-0007");
    EXPECT_EQ(d::complaint_reference(2026, 1), "CMP-2026-0001");
    EXPECT_EQ(d::complaint_reference(2027, 1234), "CMP-2027-1234");
    EXPECT_EQ(d::complaint_reference(2026, 12345), "CMP-2026-12345") << "a busy year widens, never wraps";
}

// ---------------------------------------------------------------- the register's filter

TEST(ComplaintQuery, NoFilterIsEveryComplaint) {
    d::ComplaintQuery out;
    ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{}, out)), none);
    EXPECT_FALSE(out.status);
    EXPECT_FALSE(out.open_only);
    EXPECT_FALSE(out.category);
    EXPECT_FALSE(out.severity);
    EXPECT_FALSE(out.source);
    EXPECT_FALSE(out.mine);
    EXPECT_FALSE(out.owner);
    EXPECT_FALSE(out.overdue_only);
}

TEST(ComplaintQuery, EachFilterIsParsedAndNoneCarriesOver) {
    d::ComplaintQuery out;
    ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{" appealed ", "privacy", "critical", "public", " 17 ", "1"}, out)),
              none);
    EXPECT_EQ(out.status, S::appealed);
    EXPECT_FALSE(out.open_only);
    EXPECT_EQ(out.category, d::ComplaintCategory::privacy);
    EXPECT_EQ(out.severity, d::ComplaintSeverity::critical);
    EXPECT_EQ(out.source, d::ComplaintSource::public_form);
    EXPECT_FALSE(out.mine);
    EXPECT_EQ(out.owner, std::optional<std::int64_t>(17));
    EXPECT_TRUE(out.overdue_only);
    ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"open", "", "", "", "me", ""}, out)), none);
    EXPECT_FALSE(out.status);
    EXPECT_TRUE(out.open_only);
    EXPECT_FALSE(out.category);
    EXPECT_FALSE(out.severity);
    EXPECT_FALSE(out.source);
    EXPECT_TRUE(out.mine);
    EXPECT_FALSE(out.owner);
    EXPECT_FALSE(out.overdue_only);
    ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{}, out)), none);
    EXPECT_FALSE(out.open_only);
    EXPECT_FALSE(out.mine);
    for (auto s : d::all_complaint_statuses()) {
        ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{std::string(d::code(s)), "", "", "", "", ""}, out)), none);
        EXPECT_EQ(out.status, s);
    }
    for (auto s : d::all_complaint_sources()) {
        ASSERT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "", std::string(d::code(s)), "", ""}, out)), none);
        EXPECT_EQ(out.source, s);
    }
}

TEST(ComplaintQuery, AnUnknownValueIsAnErrorOnItsOwnField) {
    d::ComplaintQuery out;
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"pending", "", "", "", "", ""}, out)),
              one("status:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"Open", "", "", "", "", ""}, out)),
              one("status:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "billing", "", "", "", ""}, out)),
              one("category:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "urgent", "", "", ""}, out)),
              one("severity:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "", "public_form", "", ""}, out)),
              one("source:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "", "", "mine", ""}, out)),
              one("owner:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "", "", "0", ""}, out)), one("owner:field.choose_from_list"));
    for (const char* bad : {"yes", "0", "true"}) {
        EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"", "", "", "", "", bad}, out)),
                  one("overdue:field.choose_from_list"))
            << bad;
        EXPECT_FALSE(out.overdue_only) << bad;
    }
    EXPECT_EQ(fields_of(d::validate(d::ComplaintQueryForm{"x", "x", "x", "x", "x", "x"}, out)),
              (std::vector<std::string>{"status:field.choose_from_list", "category:field.choose_from_list",
                                        "severity:field.choose_from_list", "source:field.choose_from_list",
                                        "owner:field.choose_from_list", "overdue:field.choose_from_list"}));
}

// ---------------------------------------------------------------- the docs

TEST(ComplaintLifecycle, TheDocsShowTheTable) {
    const std::string doc = read_file("docs/COMPLAINTS.md");
    ASSERT_FALSE(doc.empty()) << "docs/COMPLAINTS.md";
    const std::string table = d::complaint_lifecycle().markdown();
    EXPECT_NE(doc.find(table), std::string::npos) << "docs/COMPLAINTS.md should hold this table:\n" << table;
}
