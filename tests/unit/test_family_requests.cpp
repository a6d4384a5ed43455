// What a family raises on its file (features/family/domain/family_requests.hpp): the concern's
// lifecycle row by row, the form's validation, who the register names as requester, and who is
// told. And what a capable youth may keep from a family member (features/family/domain/family.hpp).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "features/family/domain/family.hpp"
#include "features/family/domain/family_requests.hpp"

namespace d = arrimage::domain;

namespace {

bool has_error(const std::vector<arrimage::FieldError>& e, std::string_view field, std::string_view key) {
    for (const auto& f : e)
        if (f.field == field && f.message_key == key) return true;
    return false;
}

}  // namespace

// Every (status, event, relationship) of the concern's lifecycle, allowed or refused on purpose:
// the expected table is written out here, independently of the one in the domain.
TEST(FamilyConcerns, EveryStatusEventAndRelationshipOfTheLifecycle) {
    using S = d::ConcernStatus;
    using E = d::ConcernEvent;
    using R = d::Relationship;
    struct Allowed {
        S from;
        E event;
        S to;
    };
    const std::vector<Allowed> allowed = {
        {S::received, E::acknowledge, S::acknowledged},
        {S::received, E::close, S::closed},
        {S::acknowledged, E::close, S::closed},
    };
    const auto& table = d::concern_lifecycle();
    int checked = 0;
    for (auto from : d::all_concern_statuses())
        for (auto event : d::all_concern_events())
            for (int ri = 0; ri < d::relationship_count; ++ri) {
                const auto who = static_cast<R>(ri);
                SCOPED_TRACE(std::string(d::code(from)) + " " + std::string(d::code(event)) + " " + std::string(d::code(who)));
                const Allowed* row = nullptr;
                for (const auto& a : allowed)
                    if (a.from == from && a.event == event) row = &a;
                const auto fired = table.fire(from, event, who, {});
                if (!row) {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                } else if (who != R::assigned_coordinator && who != R::coordinating_agency) {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().code, arrimage::Errc::Forbidden);
                } else {
                    ASSERT_TRUE(fired);
                    EXPECT_EQ((*fired)->to, row->to);
                }
                ++checked;
            }
    EXPECT_EQ(checked, 3 * 2 * d::relationship_count);
    EXPECT_EQ(table.rows().size(), allowed.size());
    for (int ri = 0; ri < d::relationship_count; ++ri) {
        const auto who = static_cast<R>(ri);
        EXPECT_EQ(d::answers_concerns(who), who == R::assigned_coordinator || who == R::coordinating_agency) << d::code(who);
    }
    for (auto s : d::all_concern_statuses()) EXPECT_EQ(d::parse_concern_status(d::code(s)), s);
    for (auto e : d::all_concern_events()) EXPECT_EQ(d::parse_concern_event(d::code(e)), e);
    for (auto k : d::all_family_request_kinds()) EXPECT_EQ(d::parse_family_request_kind(d::code(k)), k);
    for (auto a : d::all_concern_addressees()) EXPECT_EQ(d::parse_concern_addressee(d::code(a)), a);
    EXPECT_FALSE(d::parse_concern_status("Closed"));
    EXPECT_FALSE(d::parse_family_request_kind(""));
}

TEST(FamilyConcerns, TheDocsShowTheLifecycleTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/FAMILY.md");
    ASSERT_TRUE(in) << "docs/FAMILY.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::concern_lifecycle().markdown()), std::string::npos) << "docs/FAMILY.md should hold this table:\n"
                                                                              << d::concern_lifecycle().markdown();
}

TEST(FamilyRequests, TheFormNamesEachFieldInError) {
    d::FamilyRequest out;
    auto e = d::validate({"", "", ""}, out);
    EXPECT_TRUE(has_error(e, "kind", "field.required"));
    EXPECT_TRUE(has_error(e, "description", "field.required"));
    EXPECT_EQ(e.size(), 2u) << "to whom is not asked before the kind is known";
    e = d::validate({"grief", "coordinator", "x"}, out);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_error(e, "kind", "field.choose_from_list"));
    // A concern or complaint needs to whom; a records request does not.
    e = d::validate({"complaint", "", "Personne ne rappelle."}, out);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has_error(e, "addressed_to", "field.required"));
    e = d::validate({"concern", "minister", "Personne ne rappelle."}, out);
    EXPECT_TRUE(has_error(e, "addressed_to", "field.choose_from_list"));
    e = d::validate({"access", "", "Une copie, s'il vous plaît."}, out);
    EXPECT_TRUE(e.empty());
    EXPECT_EQ(out.kind, d::FamilyRequestKind::access);
    EXPECT_FALSE(out.addressed_to);
    EXPECT_EQ(d::privacy_request_kind(out.kind), d::RequestKind::access);
    // Plain text of 1 to 4000 characters, line breaks kept.
    e = d::validate({"concern", "agency", "<script>alert(1)</script>"}, out);
    EXPECT_TRUE(has_error(e, "description", "field.no_markup"));
    e = d::validate({"concern", "agency", std::string(4001, 'a')}, out);
    EXPECT_TRUE(has_error(e, "description", "field.too_long"));
    e = d::validate({"concern", "agency", std::string(4000, 'a')}, out);
    EXPECT_TRUE(e.empty());
    e = d::validate({"concern", "agency", "  Première ligne\r\nDeuxième  "}, out);
    EXPECT_TRUE(e.empty());
    EXPECT_EQ(out.description, "Première ligne\nDeuxième");
    EXPECT_EQ(out.addressed_to, d::ConcernAddressee::agency);
    EXPECT_FALSE(d::privacy_request_kind(d::FamilyRequestKind::complaint));
    EXPECT_EQ(d::privacy_request_kind(d::FamilyRequestKind::correction), d::RequestKind::correction);
}

TEST(FamilyRequests, AnAnswerClosesWithAResponseAndAcknowledgesWithAnOptionalNote) {
    std::string out;
    EXPECT_TRUE(d::validate_answer(d::ConcernEvent::acknowledge, "", out).empty());
    EXPECT_TRUE(has_error(d::validate_answer(d::ConcernEvent::close, "   ", out), "response", "field.required"));
    EXPECT_TRUE(has_error(d::validate_answer(d::ConcernEvent::close, std::string(4001, 'a'), out), "response", "field.too_long"));
    EXPECT_TRUE(d::validate_answer(d::ConcernEvent::close, "Nous avons appelé la famille.", out).empty());
    EXPECT_EQ(out, "Nous avons appelé la famille.");
}

TEST(FamilyRequests, TheRegisterNamesTheRequesterAsTheFamilyAccessSays) {
    using FR = d::FamilyRelationship;
    EXPECT_EQ(d::requester_for(d::FamilyRelation::self, std::nullopt), d::Requester::child_youth);
    EXPECT_EQ(d::requester_for(d::FamilyRelation::self, FR::parent), d::Requester::child_youth);
    EXPECT_EQ(d::requester_for(d::FamilyRelation::family_of, FR::parent), d::Requester::parent);
    EXPECT_EQ(d::requester_for(d::FamilyRelation::family_of, FR::guardian), d::Requester::guardian);
    EXPECT_EQ(d::requester_for(d::FamilyRelation::family_of, FR::substitute_decision_maker),
              d::Requester::substitute_decision_maker);
    EXPECT_EQ(d::requester_for(d::FamilyRelation::family_of, FR::other_caregiver), d::Requester::substitute_decision_maker);
}

TEST(FamilyRequests, WhoIsToldOfWhatTheFamilyRaised) {
    using A = d::Audience;
    const auto r = [](d::FamilyRequestKind k, std::optional<d::ConcernAddressee> to) {
        d::FamilyRequest x;
        x.kind = k;
        x.addressed_to = to;
        return x;
    };
    const auto coordinator = d::ConcernAddressee::coordinator;
    const auto agency = d::ConcernAddressee::agency;
    for (auto k : {d::FamilyRequestKind::concern, d::FamilyRequestKind::complaint}) {
        EXPECT_EQ(d::audience_of(r(k, coordinator), true), A::assigned_coordinator);
        EXPECT_EQ(d::audience_of(r(k, coordinator), false), A::agency_managers);
        EXPECT_EQ(d::audience_of(r(k, agency), true), A::agency_managers);
        EXPECT_EQ(d::audience_of(r(k, agency), false), A::agency_managers);
    }
    for (auto k : {d::FamilyRequestKind::access, d::FamilyRequestKind::correction})
        for (bool has : {true, false}) EXPECT_EQ(d::audience_of(r(k, std::nullopt), has), A::privacy_officers);
}

// ---- what a capable youth keeps from a family member

TEST(FamilySharing, OnlyWhatTheFamilyReadsBeyondIdentityCanBeWithheld) {
    using C = d::Category;
    EXPECT_EQ(d::withholdable_from_family(), (std::vector<C>{C::health, C::education, C::assessments_reports, C::plan}));
    // Identity and contact and who accessed the file stay shared; the rest the family never reads.
    for (auto c : d::all_categories()) {
        const bool expected = c == C::health || c == C::education || c == C::assessments_reports || c == C::plan;
        EXPECT_EQ(d::withholdable_from_family(c), expected) << d::code(c);
    }
}

TEST(FamilySharing, TheFormKeepsTheTickedCategories) {
    using C = d::Category;
    d::CategorySet out{C::education};
    std::vector<std::string> ticked{" health ", "plan", "plan", "assessments_reports"};
    EXPECT_TRUE(d::validate_withheld(ticked, out).empty());
    EXPECT_TRUE(out == (d::CategorySet{C::health, C::plan, C::assessments_reports}));
    // Nothing ticked: nothing withheld (whatever `out` held before).
    EXPECT_TRUE(d::validate_withheld(std::vector<std::string>{}, out).empty());
    EXPECT_TRUE(out.empty());
    for (const char* code : {"identity_contact", "access_log", "case_notes", "safety_risk", "privacy_registers", "grades", ""}) {
        std::vector<std::string> one{"health", code};
        const auto e = d::validate_withheld(one, out);
        ASSERT_EQ(e.size(), 1u) << code;
        EXPECT_TRUE(has_error(e, "categories", "family.sharing.error.category")) << code;
        EXPECT_EQ(e[0].args, (std::vector<std::string>{code})) << code;
    }
}
