// The coordinated service plan (features/plan/domain/plan.hpp): the plan's lifecycle row by
// row, the validation of its sections, goals, status moves and the family's notes, and the
// snapshot each version keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "features/plan/domain/plan.hpp"

namespace d = arrimage::domain;

namespace {

bool has_error(const std::vector<arrimage::FieldError>& e, std::string_view field, std::string_view key) {
    for (const auto& f : e)
        if (f.field == field && f.message_key == key) return true;
    return false;
}

}  // namespace

// Every (status, event, relationship, facts) of the plan's lifecycle, allowed or refused on
// purpose: the expected table is written out here, independently of the one in the domain.
TEST(Plan, EveryStatusEventRelationshipAndGuardOfTheLifecycle) {
    using S = d::PlanStatus;
    using E = d::PlanEvent;
    using R = d::Relationship;
    struct Allowed {
        S from;
        E event;
        S to;
        bool needs_goals;
    };
    const std::vector<Allowed> allowed = {
        {S::draft, E::activate, S::active, true},
        {S::active, E::start_review, S::under_review, false},
        {S::active, E::start_transition, S::in_transition, false},
        {S::under_review, E::start_transition, S::in_transition, false},
        {S::under_review, E::resume, S::active, false},
        {S::in_transition, E::resume, S::active, false},
        {S::draft, E::close, S::closed, false},
        {S::active, E::close, S::closed, false},
        {S::under_review, E::close, S::closed, false},
        {S::in_transition, E::close, S::closed, false},
        {S::closed, E::reopen, S::draft, false},
    };
    const auto& table = d::plan_lifecycle();
    int checked = 0;
    for (auto from : d::all_plan_statuses())
        for (auto event : d::all_plan_events())
            for (int ri = 0; ri < d::relationship_count; ++ri)
                for (int facts = 0; facts < 2; ++facts) {
                    const auto who = static_cast<R>(ri);
                    const d::PlanFacts f{facts != 0};
                    SCOPED_TRACE(std::string(d::code(from)) + " " + std::string(d::code(event)) + " " +
                                 std::string(d::code(who)) + " facts " + std::to_string(facts));
                    const Allowed* row = nullptr;
                    for (const auto& a : allowed)
                        if (a.from == from && a.event == event) row = &a;
                    const auto fired = table.fire(from, event, who, f);
                    if (!row) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                    } else if (who != R::assigned_coordinator) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().code, arrimage::Errc::Forbidden);
                    } else if (row->needs_goals && !f.has_goals) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "plan.refused.no_goals");
                    } else {
                        ASSERT_TRUE(fired);
                        EXPECT_EQ((*fired)->to, row->to);
                    }
                    ++checked;
                }
    EXPECT_EQ(checked, 5 * 6 * d::relationship_count * 2);
    EXPECT_EQ(checked, 420);
    EXPECT_EQ(table.rows().size(), allowed.size());
    EXPECT_EQ(table.rows().size(), 11u);
    for (int ri = 0; ri < d::relationship_count; ++ri) {
        const auto who = static_cast<R>(ri);
        EXPECT_EQ(d::is_plan_keeper(who), who == R::assigned_coordinator) << d::code(who);
    }
    for (auto s : d::all_plan_statuses()) EXPECT_EQ(d::parse_plan_status(d::code(s)), s);
    for (auto e : d::all_plan_events()) EXPECT_EQ(d::parse_plan_event(d::code(e)), e);
    for (auto p : d::all_goal_progress()) EXPECT_EQ(d::parse_goal_progress(d::code(p)), p);
    for (auto x : d::all_expressed_by()) EXPECT_EQ(d::parse_expressed_by(d::code(x)), x);
    EXPECT_EQ(d::all_plan_statuses().size(), 5u);
    EXPECT_EQ(d::all_plan_events().size(), 6u);
    EXPECT_EQ(d::all_goal_progress().size(), 4u);
    EXPECT_EQ(d::all_expressed_by().size(), 3u);
    EXPECT_FALSE(d::parse_plan_status("Active"));
    EXPECT_FALSE(d::parse_plan_event(""));
}

TEST(Plan, TheDocsShowTheLifecycleTables) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/PLAN.md");
    ASSERT_TRUE(in) << "docs/PLAN.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::plan_lifecycle().markdown()), std::string::npos) << "docs/PLAN.md should hold this table:\n"
                                                                           << d::plan_lifecycle().markdown();
    EXPECT_NE(doc.find(d::action_lifecycle().markdown()), std::string::npos) << "docs/PLAN.md should hold this table:\n"
                                                                             << d::action_lifecycle().markdown();
}

TEST(Plan, AGoalIsTheFamilysWordsWithWhoSaidIt) {
    d::NewGoal g;
    auto e = d::validate(d::NewGoalForm{"", "family", ""}, g);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_error(e, "text", "field.required"));
    e = d::validate(d::NewGoalForm{std::string(1001, 'a'), "family", ""}, g);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_error(e, "text", "field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"1000"});
    EXPECT_TRUE(d::validate(d::NewGoalForm{std::string(1000, 'a'), "family", ""}, g).empty());
    EXPECT_TRUE(has_error(d::validate(d::NewGoalForm{"Sleep through.", "", ""}, g), "expressed_by", "field.required"));
    EXPECT_TRUE(
        has_error(d::validate(d::NewGoalForm{"Sleep through.", "voisin", ""}, g), "expressed_by", "field.choose_from_list"));
    EXPECT_TRUE(
        has_error(d::validate(d::NewGoalForm{"Sleep through.", "child", std::string(1001, 'r')}, g), "reason", "field.too_long"));

    ASSERT_TRUE(d::validate(d::NewGoalForm{"  Make one friend at school.\r\nAnd keep them.\r", " child ", ""}, g).empty());
    EXPECT_EQ(g.text, "Make one friend at school.\nAnd keep them.") << "line breaks kept, as LF; trimmed";
    EXPECT_EQ(g.expressed_by, d::ExpressedBy::child);
    ASSERT_TRUE(d::validate(d::NewGoalForm{"Go to hockey.", "provider", "Said at the team meeting."}, g).empty());
    EXPECT_EQ(g.expressed_by, d::ExpressedBy::provider);
    EXPECT_EQ(g.reason, "Said at the team meeting.");

    // Progress and priority: the only things of a goal that change.
    d::GoalProgressChange c;
    EXPECT_TRUE(has_error(d::validate(d::GoalProgressForm{"", "1", ""}, c), "progress", "field.required"));
    EXPECT_TRUE(has_error(d::validate(d::GoalProgressForm{"done", "1", ""}, c), "progress", "field.choose_from_list"));
    for (const char* bad : {"0", "100", "x", "1.5", "-1", "2x"}) {
        SCOPED_TRACE(bad);
        e = d::validate(d::GoalProgressForm{"in_progress", bad, ""}, c);
        ASSERT_EQ(e.size(), 1u);
        EXPECT_EQ(e[0].field, "priority");
        EXPECT_EQ(e[0].message_key, "field.number_between");
        EXPECT_EQ(e[0].args, (std::vector<std::string>{"1", "99"}));
    }
    ASSERT_TRUE(d::validate(d::GoalProgressForm{"achieved", " 99 ", "Done in June."}, c).empty());
    EXPECT_EQ(c.progress, d::GoalProgress::achieved);
    EXPECT_EQ(c.priority, 99);
    EXPECT_EQ(c.reason, "Done in June.");
    ASSERT_TRUE(d::validate(d::GoalProgressForm{"no_longer_relevant", "1", ""}, c).empty());
    EXPECT_EQ(c.progress, d::GoalProgress::no_longer_relevant);
    EXPECT_EQ(c.priority, 1);
}

TEST(Plan, SectionsAndTransitionsAreValidated) {
    d::PlanSections s;
    std::string reason;
    d::SectionsForm form;
    EXPECT_TRUE(d::validate(form, s, reason).empty()) << "every section is optional";
    form.text.about = "Noah, 9.\r\nLoves trains.";
    form.text.needs_school = std::string(4001, 'a');
    form.text.hopes = "A good year.";
    form.reason = "After the first meeting.";
    auto e = d::validate(form, s, reason);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "needs_school");
    EXPECT_EQ(e[0].message_key, "field.too_long");
    EXPECT_EQ(e[0].args, std::vector<std::string>{"4000"});
    form.text.needs_school = std::string(4000, 'a');
    ASSERT_TRUE(d::validate(form, s, reason).empty());
    EXPECT_EQ(s.about, "Noah, 9.\nLoves trains.");
    EXPECT_EQ(s.needs_school.size(), 4000u);
    EXPECT_EQ(s.hopes, "A good year.");
    EXPECT_EQ(reason, "After the first meeting.");
    form.text.strengths = "Bell\x07";
    form.reason = std::string(1001, 'r');
    e = d::validate(form, s, reason);
    EXPECT_EQ(e.size(), 2u);
    EXPECT_TRUE(has_error(e, "strengths", "field.invalid_text"));
    EXPECT_TRUE(has_error(e, "reason", "field.too_long"));

    d::PlanTransition t;
    for (const char* event : {"close", "reopen"}) {
        SCOPED_TRACE(event);
        e = d::validate(d::PlanTransitionForm{event, "  "}, t);
        ASSERT_EQ(e.size(), 1u);
        EXPECT_EQ(e[0].field, "reason");
        EXPECT_EQ(e[0].message_key, "field.required");
        EXPECT_TRUE(d::validate(d::PlanTransitionForm{event, "The family moved away."}, t).empty());
        EXPECT_EQ(t.event, *d::parse_plan_event(event));
        EXPECT_EQ(t.reason, "The family moved away.");
    }
    for (const char* event : {"activate", "start_review", "start_transition", "resume"}) {
        SCOPED_TRACE(event);
        EXPECT_TRUE(d::validate(d::PlanTransitionForm{event, ""}, t).empty());
        EXPECT_EQ(t.event, *d::parse_plan_event(event));
    }
    e = d::validate(d::PlanTransitionForm{"approve", ""}, t);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "event");
    EXPECT_EQ(e[0].message_key, "field.choose_from_list");
    EXPECT_TRUE(has_error(d::validate(d::PlanTransitionForm{"", ""}, t), "event", "field.required"));
    EXPECT_TRUE(has_error(d::validate(d::PlanTransitionForm{"activate", std::string(1001, 'r')}, t), "reason", "field.too_long"));
}

TEST(Plan, ASnapshotIsTheWholePlanInPriorityOrder) {
    d::PlanContent c;
    c.status = d::PlanStatus::under_review;
    c.sections.about = "Noah, 9.\nLoves \"trains\".";
    c.sections.hopes = "Un bon été.";
    c.goals = {
        {7, 2, "Go to hockey.", d::ExpressedBy::child, d::GoalProgress::in_progress},
        {9, 1, "Sleep through the night.", d::ExpressedBy::family, d::GoalProgress::not_started},
        {3, 2, "Make one friend.", d::ExpressedBy::provider, d::GoalProgress::achieved},
    };
    const std::string snap = d::snapshot(c);
    const auto j = nlohmann::json::parse(snap);
    EXPECT_EQ(j.at("status"), "under_review") << "codes, not labels";
    EXPECT_EQ(j.at("sections").at("about"), "Noah, 9.\nLoves \"trains\".");
    EXPECT_EQ(j.at("sections").at("hopes"), "Un bon été.");
    EXPECT_EQ(j.at("sections").at("needs_health"), "");
    EXPECT_EQ(j.at("sections").size(), 10u);
    EXPECT_EQ(j.at("sections").at("safety"), "");
    ASSERT_EQ(j.at("goals").size(), 3u);
    EXPECT_EQ(j["goals"][0].at("id"), 9) << "priority first";
    EXPECT_EQ(j["goals"][1].at("id"), 3) << "then id";
    EXPECT_EQ(j["goals"][2].at("id"), 7);
    EXPECT_EQ(j["goals"][1].at("priority"), 2);
    EXPECT_EQ(j["goals"][1].at("text"), "Make one friend.");
    EXPECT_EQ(j["goals"][1].at("expressed_by"), "provider");
    EXPECT_EQ(j["goals"][1].at("progress"), "achieved");
    EXPECT_EQ(j["goals"][2].at("expressed_by"), "child");
    EXPECT_EQ(j["goals"][2].at("progress"), "in_progress");
    // Keys in a fixed order: status, sections (in the form's order), goals.
    EXPECT_EQ(snap.find("{\"status\":\"under_review\",\"sections\":{\"about\":"), 0u) << snap;
    EXPECT_LT(snap.find("\"hopes\""), snap.find("\"goals\""));
    EXPECT_EQ(snap.find("{\"id\":9,\"priority\":1,\"text\":\"Sleep through the night.\",\"expressed_by\":\"family\","
                        "\"progress\":\"not_started\"}"),
              snap.find("[") + 1)
        << snap;

    // The same content, whatever order the goals come in, is the same string.
    d::PlanContent shuffled = c;
    std::swap(shuffled.goals[0], shuffled.goals[2]);
    EXPECT_EQ(d::snapshot(shuffled), snap);
    shuffled.goals[0].progress = d::GoalProgress::no_longer_relevant;
    EXPECT_NE(d::snapshot(shuffled), snap);
    EXPECT_EQ(nlohmann::json::parse(d::snapshot(d::PlanContent{})).at("goals"), nlohmann::json::array());
}

// Every (status, event) of an action's table for the team, with and without the guard (the
// actor keeps the plan or owns the action); nobody else fires anything.
TEST(PlanAction, EveryStatusEventAndGuardOfItsLifecycle) {
    using S = d::ActionStatus;
    using E = d::ActionEvent;
    const std::vector<std::tuple<S, E, S>> allowed = {
        {S::not_started, E::start, S::in_progress}, {S::not_started, E::complete, S::done},
        {S::in_progress, E::complete, S::done},     {S::not_started, E::cancel, S::cancelled},
        {S::in_progress, E::cancel, S::cancelled},  {S::done, E::reopen, S::in_progress},
        {S::cancelled, E::reopen, S::in_progress},
    };
    const auto& table = d::action_lifecycle();
    for (auto from : d::all_action_statuses())
        for (auto event : d::all_action_events()) {
            const auto expected = std::find_if(allowed.begin(), allowed.end(), [&](const auto& row) {
                return std::get<0>(row) == from && std::get<1>(row) == event;
            });
            for (auto who : {d::Relationship::assigned_coordinator, d::Relationship::team_member}) {
                auto mine = table.fire(from, event, who, {true});
                auto not_mine = table.fire(from, event, who, {false});
                if (expected == allowed.end()) {
                    EXPECT_FALSE(mine) << d::code(from) << " " << d::code(event);
                    EXPECT_EQ(mine.error().message_key, "lifecycle.not_from_state");
                    continue;
                }
                ASSERT_TRUE(mine) << d::code(from) << " " << d::code(event);
                EXPECT_EQ((*mine)->to, std::get<2>(*expected));
                ASSERT_FALSE(not_mine);
                EXPECT_EQ(not_mine.error().message_key, "plan.refused.not_owner");
            }
            for (auto who : {d::Relationship::none, d::Relationship::coordinating_agency, d::Relationship::privacy_officer})
                EXPECT_FALSE(table.fire(from, event, who, {true}));
        }
}

TEST(PlanAction, AnActionNeedsWhatWhoAndARealDate) {
    d::NewAction a;
    auto e = d::validate(d::NewActionForm{"  Book the block.  ", "12", "u:3:4", "2027-03-15", ""}, a);
    ASSERT_TRUE(e.empty());
    EXPECT_EQ(a.text, "Book the block.");
    EXPECT_EQ(a.goal_id, 12);
    EXPECT_EQ(a.owner, (d::ActionOwner{d::ActionOwner::Kind::team_member, 3, 4, 0}));
    ASSERT_TRUE(a.due);
    EXPECT_EQ(a.due->iso(), "2027-03-15");
    e = d::validate(d::NewActionForm{"", "twelve", "someone", "2027-02-30", std::string(1001, 'x')}, a);
    EXPECT_TRUE(has_error(e, "text", "field.required"));
    EXPECT_TRUE(has_error(e, "goal", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "owner", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "due", "people.invalid_date"));
    EXPECT_TRUE(has_error(e, "reason", "field.too_long"));
    e = d::validate(d::NewActionForm{"x", "", "", "", ""}, a);
    EXPECT_TRUE(has_error(e, "owner", "field.required"));
    EXPECT_EQ(e.size(), 1u) << "the goal and the date are optional";
    // Owners as forms name them, and back.
    for (const char* bad : {"u:1", "u:x:2", "o:", "f:-1", "x:1", "", "u:1:2:3"}) EXPECT_FALSE(d::parse_owner(bad)) << bad;
    for (const char* good : {"u:1:2", "o:7", "f:9"}) EXPECT_EQ(d::owner_value(*d::parse_owner(good)), good);
}

TEST(PlanAction, ProgressIsANoteAStatusOrBoth) {
    d::ActionProgress p;
    EXPECT_TRUE(d::validate(d::ActionProgressForm{"start", ""}, p).empty());
    EXPECT_EQ(p.event, d::ActionEvent::start);
    EXPECT_TRUE(d::validate(d::ActionProgressForm{"", "Called the school."}, p).empty());
    EXPECT_FALSE(p.event);
    EXPECT_EQ(p.note, "Called the school.");
    EXPECT_TRUE(has_error(d::validate(d::ActionProgressForm{"", "  "}, p), "note", "plan.error.progress_empty"));
    EXPECT_TRUE(has_error(d::validate(d::ActionProgressForm{"explode", ""}, p), "event", "field.choose_from_list"));
    EXPECT_TRUE(has_error(d::validate(d::ActionProgressForm{"", std::string(4001, 'a')}, p), "note", "field.too_long"));
}

TEST(PlanAction, MeetingsAndAgreementsAreRecordedOnceTheyHappened) {
    const arrimage::Date today{2026, 12, 6};
    d::Meeting m;
    EXPECT_TRUE(d::validate(d::MeetingForm{"2026-12-06", "Marie, Coordination Un", "", "Start in January."}, today, m).empty());
    EXPECT_EQ(m.held_on.iso(), "2026-12-06");
    auto e = d::validate(d::MeetingForm{"2026-12-07", "", "", ""}, today, m);
    EXPECT_TRUE(has_error(e, "held_on", "plan.error.meeting_in_future"));
    EXPECT_TRUE(has_error(e, "attendees", "field.required"));
    EXPECT_TRUE(has_error(d::validate(d::MeetingForm{"", "x", "", ""}, today, m), "held_on", "field.required"));
    d::Agreement a;
    EXPECT_TRUE(d::validate(d::AgreementForm{"5", "in_person", "2026-12-01", "7", ""}, today, a).empty());
    EXPECT_EQ(a.family_member_id, 5);
    EXPECT_EQ(a.version, 7);
    EXPECT_FALSE(a.meeting_id);
    e = d::validate(d::AgreementForm{"", "telepathy", "2027-01-01", "0", "x"}, today, a);
    EXPECT_TRUE(has_error(e, "family_member", "field.required"));
    EXPECT_TRUE(has_error(e, "method", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "agreed_on", "plan.error.agreement_in_future"));
    EXPECT_TRUE(has_error(e, "version", "field.number_between"));
    EXPECT_TRUE(has_error(e, "meeting", "field.choose_from_list"));
}

TEST(PlanSections, EachSectionHasItsCategoryAndAFingerprintOfWhatWasShown) {
    EXPECT_EQ(d::all_sections().size(), 10u);
    EXPECT_EQ(d::category_of(d::Section::needs_school), d::Category::education);
    EXPECT_EQ(d::category_of(d::Section::needs_health), d::Category::health);
    EXPECT_EQ(d::category_of(d::Section::safety), d::Category::safety_risk);
    EXPECT_EQ(d::category_of(d::Section::hopes), d::Category::plan);
    d::PlanSections s;
    for (auto sec : d::all_sections()) d::text_of(s, sec) = std::string(d::code(sec));
    EXPECT_EQ(s.not_coordinated, "not_coordinated");
    EXPECT_EQ(s.about, "about");
    EXPECT_EQ(d::fingerprint("").size(), 16u);
    EXPECT_EQ(d::fingerprint("Léa"), d::fingerprint("Léa"));
    EXPECT_NE(d::fingerprint("Léa"), d::fingerprint("Lea"));
}

TEST(PlanSections, ASnapshotKeepsTheActionsByNumber) {
    d::PlanContent c;
    c.actions = {{9, 0, "Second", "Chris", "", d::ActionStatus::done},
                 {4, 2, "First", "Org", "2027-01-01", d::ActionStatus::in_progress}};
    const auto j = nlohmann::json::parse(d::snapshot(c));
    ASSERT_EQ(j.at("actions").size(), 2u);
    EXPECT_EQ(j.at("actions")[0].at("id"), 4);
    EXPECT_EQ(j.at("actions")[0].at("status"), "in_progress");
    EXPECT_EQ(j.at("actions")[1].at("owner"), "Chris");
}

TEST(PlanReview, AReviewSaysWhereEachGoalStandsAndWhatComesNext) {
    const arrimage::Date today{2026, 12, 6};
    d::Review r;
    auto e = d::validate(d::ReviewForm{"2026-12-01", "Meet again in March.", {{4, "achieved", "Done."}, {9, "in_progress", ""}}},
                         today, r);
    ASSERT_TRUE(e.empty());
    ASSERT_EQ(r.goals.size(), 2u);
    EXPECT_EQ(r.goals[0].progress, d::GoalProgress::achieved);
    EXPECT_EQ(r.goals[0].note, "Done.");
    e = d::validate(d::ReviewForm{"2026-12-07", "", {{4, "", ""}, {9, "maybe", std::string(1001, 'a')}}}, today, r);
    EXPECT_TRUE(has_error(e, "held_on", "plan.error.meeting_in_future"));
    EXPECT_TRUE(has_error(e, "next_steps", "field.required"));
    EXPECT_TRUE(has_error(e, "progress_4", "field.required"));
    EXPECT_TRUE(has_error(e, "progress_9", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "note_9", "field.too_long"));
}

TEST(PlanTransition, PlanningStartsAt14AndTheMilestonesAre18And21) {
    auto f = d::transition_flags({2012, 9, 15}, {2026, 9, 14});
    EXPECT_EQ(f.age, 13);
    EXPECT_FALSE(f.planning);
    f = d::transition_flags({2012, 9, 15}, {2026, 9, 15});
    EXPECT_EQ(f.age, 14);
    EXPECT_TRUE(f.planning) << "from the 14th birthday";
    EXPECT_EQ(f.turns_18.iso(), "2030-09-15");
    EXPECT_EQ(f.turns_21.iso(), "2033-09-15");
    EXPECT_EQ(d::transition_flags({2008, 2, 29}, {2026, 12, 6}).turns_18.iso(), "2026-02-28");
}

// The family's note to the team (features/family): on a goal or on the plan as a whole, the
// family's own words as typed, never markup.
TEST(PlanFamilyNote, ANoteIsPlainTextOnAGoalOrOnThePlanAsAWhole) {
    d::FamilyNote n;
    EXPECT_TRUE(d::validate(d::FamilyNoteForm{" 12 ", "  Elle lit seule le soir maintenant.\r\nMerci !  "}, n).empty());
    EXPECT_EQ(n.goal_id, std::optional<std::int64_t>{12});
    EXPECT_EQ(n.note, "Elle lit seule le soir maintenant.\nMerci !");
    // No goal: the plan as a whole.
    EXPECT_TRUE(d::validate(d::FamilyNoteForm{"", "Tout va bien."}, n).empty());
    EXPECT_FALSE(n.goal_id);
    // 2000 characters (not bytes) at most: "é" is two bytes.
    std::string accented;
    for (int i = 0; i < 1000; ++i) accented += "é";
    EXPECT_TRUE(d::validate(d::FamilyNoteForm{"", std::string(1000, 'a') + accented}, n).empty());
    EXPECT_TRUE(has_error(d::validate(d::FamilyNoteForm{"", std::string(2001, 'a')}, n), "note", "field.too_long"));
    // Required, without markup, and a goal is an id.
    auto e = d::validate(d::FamilyNoteForm{"the first", "   "}, n);
    EXPECT_TRUE(has_error(e, "goal", "field.choose_from_list"));
    EXPECT_TRUE(has_error(e, "note", "field.required"));
    EXPECT_EQ(e.size(), 2u);
    e = d::validate(d::FamilyNoteForm{"3", "<script>alert(1)</script>"}, n);
    EXPECT_TRUE(has_error(e, "note", "field.no_markup"));
    EXPECT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_error(d::validate(d::FamilyNoteForm{"", "Voir <a href=x>ici</a>"}, n), "note", "field.no_markup"));
    // A comparison is not markup.
    EXPECT_TRUE(d::validate(d::FamilyNoteForm{"", "Moins de crises: < 2 par semaine."}, n).empty());
    EXPECT_TRUE(has_error(d::validate(d::FamilyNoteForm{"", std::string("a\x01", 2)}, n), "note", "field.invalid_text"));
}
