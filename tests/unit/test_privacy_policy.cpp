// The policy decision point, exhaustively: every role × relationship × consent state ×
// lockbox state × break-the-glass state × category × purpose × action the domain defines,
// each row compared with an expected decision computed from the tables below. Those tables
// restate the rules of domain/privacy.hpp in their own form (text cells, not the
// implementation's bit masks) and never call decide(); named scenarios at the end pin the
// rules that matter most with literal expectations.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <sstream>

#include "core/time.hpp"
#include "domain/privacy.hpp"

using namespace arrimage;
using namespace arrimage::domain;
using namespace std::chrono_literals;

namespace {

const TimePoint now = *parse_iso("2026-11-23T09:00:00Z");
constexpr std::int64_t actor_user = 7, actor_org = 100, other_org = 200, other_user = 8;

// ---- expectations, table A: (role, relationship) → profile.
// "never-admin"/"never-ministry": refused before anything else; "-": no relationship;
// "x": the role confers nothing through this relationship.
const std::map<Role, std::array<std::string_view, 7>> table_a = {
    //                        none  assigned_coord  team_member  coord_agency  privacy_officer  family_of  self
    {Role::system_admin,
     {"never-admin", "never-admin", "never-admin", "never-admin", "never-admin", "never-admin", "never-admin"}},
    {Role::ministry_analyst,
     {"never-ministry", "never-ministry", "never-ministry", "never-ministry", "never-ministry", "never-ministry",
      "never-ministry"}},
    {Role::ca_admin, {"-", "x", "x", "agency", "x", "x", "x"}},
    {Role::privacy_officer, {"-", "x", "x", "x", "oversight", "x", "x"}},
    {Role::coordinator, {"-", "owner", "team", "agency", "x", "x", "x"}},
    {Role::provider_manager, {"-", "x", "team", "agency", "x", "x", "x"}},
    {Role::participant_staff, {"-", "x", "team", "x", "x", "x", "x"}},
    {Role::family, {"-", "x", "x", "x", "x", "family", "family"}},
};

// ---- table B: profile → what it may do. "*" is the seven consentable categories.
struct Allowance {
    std::string_view profile;
    Purpose purpose;
    std::string_view categories;
    std::string_view actions;  // R L S C U P E
    std::string_view basis;    // consent | referral_intake | privacy_oversight | family
};
const Allowance table_b[] = {
    {"owner", Purpose::coordination, "*", "RLSCUPE", "consent"},
    {"owner", Purpose::referral, "*", "RLSCUPE", "consent"},
    {"team", Purpose::coordination, "*", "RLSCUP", "consent"},
    {"team", Purpose::referral, "*", "RLSC", "consent"},
    {"agency", Purpose::referral, "identity_contact", "RLSCU", "referral_intake"},
    {"agency", Purpose::referral, "assessments_reports", "RLSCU", "referral_intake"},
    {"agency", Purpose::coordination, "identity_contact", "RLSCU", "consent"},
    {"agency", Purpose::coordination, "plan", "RLS", "consent"},
    {"agency", Purpose::reporting, "plan", "RLS", "consent"},
    {"oversight", Purpose::oversight, "access_log", "RLSPE", "privacy_oversight"},
    {"oversight", Purpose::oversight, "privacy_registers", "RLSCUPE", "privacy_oversight"},
    {"oversight", Purpose::oversight, "identity_contact", "RLS", "privacy_oversight"},
    {"family", Purpose::coordination, "identity_contact", "RLPCU", "family"},
    {"family", Purpose::coordination, "health", "RLP", "family"},
    {"family", Purpose::coordination, "education", "RLP", "family"},
    {"family", Purpose::coordination, "assessments_reports", "RLP", "family"},
    {"family", Purpose::coordination, "plan", "RLPCU", "family"},
    {"family", Purpose::coordination, "access_log", "RLPE", "family"},
};

char letter(Action a) {
    switch (a) {
        case Action::read:
            return 'R';
        case Action::list:
            return 'L';
        case Action::search:
            return 'S';
        case Action::create:
            return 'C';
        case Action::update:
            return 'U';
        case Action::print:
            return 'P';
        case Action::export_:
            return 'E';
    }
    return '?';
}

// The privacy office's own categories: no consent, lockbox or break-the-glass reaches them.
bool office_category(Category c) {
    return code(c) == "access_log" || code(c) == "privacy_registers";
}

bool in_categories(std::string_view cats, Category c) {
    if (cats == "*") return !office_category(c);
    return cats == code(c);
}

// The states each scenario dimension takes.
enum class ConsentState {
    none,
    active,                 // a permit in effect covering (actor org, category, purpose)
    expired,                // that permit expired yesterday
    withdrawn,              // that permit withdrawn an hour ago
    not_yet_effective,      // that permit starts tomorrow
    out_of_scope_org,       // a permit in effect, for another organisation only
    out_of_scope_category,  // a permit in effect, for every other category
    out_of_scope_purpose,   // a permit in effect, for every other purpose
    denied,                 // active permit + active deny, both covering
    deny_only,              // an active deny covering, no permit
    deny_withdrawn,         // active permit + withdrawn deny
    deny_expired,           // active permit + expired deny
    deny_other_org,         // active permit + active deny for another organisation
};
// A family account's standing (AccessRequest::family): staff requests carry the default.
enum class FamilyState {
    none,                  // the default: no authority, not capable, nothing withheld
    authority,             // a family member with authority, the child not capable
    authority_capable,     // a family member with authority, the youth capable
    withheld_this,         // as authority_capable, the youth keeping this category from them
    withheld_other,        // as authority_capable, the youth keeping another category from them
    withheld_not_capable,  // as withheld_this, but the child is not capable (the withholding counts for nothing)
    capable,               // the youth's own standing: capable
};
constexpr int family_state_count = 7;
const char* const family_state_names[] = {
    "none", "authority", "authority_capable", "withheld_this", "withheld_other", "withheld_not_capable", "capable"};

constexpr int consent_state_count = 13;
const char* const consent_state_names[] = {"none",
                                           "active",
                                           "expired",
                                           "withdrawn",
                                           "not_yet_effective",
                                           "out_of_scope_org",
                                           "out_of_scope_category",
                                           "out_of_scope_purpose",
                                           "denied",
                                           "deny_only",
                                           "deny_withdrawn",
                                           "deny_expired",
                                           "deny_other_org"};

enum class LockboxState { none, this_org, other_org, other_category, revoked };
constexpr int lockbox_state_count = 5;
const char* const lockbox_state_names[] = {"none", "this_org", "other_org", "other_category", "revoked"};

enum class GlassState { none, active, expired, other_user };
constexpr int glass_state_count = 4;
const char* const glass_state_names[] = {"none", "active", "expired", "other_user"};

struct Expected {
    Effect effect;
    Reason reason;
    bool break_glass = false;
};

// What each consent state means for a consent-based access and for a deny directive.
bool has_covering_deny(ConsentState s) {
    return s == ConsentState::denied || s == ConsentState::deny_only;
}
std::optional<Reason> consent_refusal(ConsentState s) {
    switch (s) {
        case ConsentState::active:
        case ConsentState::deny_withdrawn:
        case ConsentState::deny_expired:
        case ConsentState::deny_other_org:
            return std::nullopt;
        case ConsentState::none:
            return Reason::no_consent;
        case ConsentState::expired:
            return Reason::consent_expired;
        case ConsentState::withdrawn:
            return Reason::consent_withdrawn;
        case ConsentState::not_yet_effective:
            return Reason::consent_not_yet_effective;
        case ConsentState::out_of_scope_org:
        case ConsentState::out_of_scope_category:
        case ConsentState::out_of_scope_purpose:
            return Reason::consent_out_of_scope;
        case ConsentState::denied:
        case ConsentState::deny_only:
            return Reason::consent_denied;  // rule 7 comes before rule 8
    }
    return Reason::no_consent;
}

bool has_authority(FamilyState f) {
    return f == FamilyState::authority || f == FamilyState::authority_capable || f == FamilyState::withheld_this ||
           f == FamilyState::withheld_other || f == FamilyState::withheld_not_capable;
}
bool is_capable(FamilyState f) {
    return f == FamilyState::authority_capable || f == FamilyState::withheld_this || f == FamilyState::withheld_other ||
           f == FamilyState::capable;
}
Category other_category(Category cat) {
    return cat == Category::health ? Category::education : Category::health;
}
FamilyStanding standing(FamilyState f, Category cat) {
    FamilyStanding s;
    s.authority = has_authority(f);
    s.subject_capable = is_capable(f);
    if (f == FamilyState::withheld_this || f == FamilyState::withheld_not_capable) s.withheld.insert(cat);
    if (f == FamilyState::withheld_other) s.withheld.insert(other_category(cat));
    return s;
}
bool writes(Action act) {
    return act == Action::create || act == Action::update;
}

Expected expected_without_glass(Role role, Relationship rel, ConsentState cs, LockboxState ls, Category cat, Purpose pur,
                                Action act, FamilyState fs = FamilyState::none) {
    const std::string_view profile = table_a.at(role)[static_cast<int>(rel)];
    if (profile == "-") return {Effect::deny, Reason::no_relationship};
    if (profile == "x") return {Effect::deny, Reason::role_relationship_not_permitted};
    if (profile == "family") {
        if (rel == Relationship::family_of && !has_authority(fs)) return {Effect::deny, Reason::no_authority};
        if (rel == Relationship::self && !is_capable(fs)) return {Effect::deny, Reason::not_capable};
    }
    const Allowance* found = nullptr;
    bool purpose_listed = false;
    for (const auto& a : table_b) {
        if (a.profile != profile || a.purpose != pur) continue;
        purpose_listed = true;
        if (in_categories(a.categories, cat)) found = &a;
    }
    if (!purpose_listed) return {Effect::deny, Reason::purpose_not_permitted};
    if (!found) return {Effect::deny, Reason::category_not_permitted};
    if (found->actions.find(letter(act)) == std::string_view::npos) return {Effect::deny, Reason::action_not_permitted};

    Reason permit_reason = Reason::privacy_oversight;
    if (found->basis == "consent") {
        if (auto refusal = consent_refusal(cs)) return {Effect::deny, *refusal};
        permit_reason = Reason::consent;
    } else if (found->basis == "referral_intake") {
        if (has_covering_deny(cs)) return {Effect::deny, Reason::consent_denied};
        permit_reason = Reason::referral_intake;
    }
    if (found->basis == "family") {
        // A capable youth decides their consent and what each family member sees.
        if (rel == Relationship::family_of && is_capable(fs)) {
            if (cat == Category::identity_contact && writes(act)) return {Effect::deny, Reason::youth_decides};
            if (fs == FamilyState::withheld_this)
                return {writes(act) ? Effect::deny : Effect::permit_withheld, Reason::youth_withheld};
        }
        return {Effect::permit, Reason::family_access};
    }
    if (ls == LockboxState::this_org && !office_category(cat)) {
        return {writes(act) ? Effect::deny : Effect::permit_withheld, Reason::lockbox};
    }
    return {Effect::permit, permit_reason};
}

Expected expected_decision(Role role, Relationship rel, ConsentState cs, LockboxState ls, GlassState gs, Category cat,
                           Purpose pur, Action act, FamilyState fs = FamilyState::none) {
    if (table_a.at(role)[0] == "never-admin") return {Effect::deny, Reason::system_admin_no_access};
    if (table_a.at(role)[0] == "never-ministry") return {Effect::deny, Reason::deidentified_only};
    const Expected base = expected_without_glass(role, rel, cs, ls, cat, pur, act, fs);
    const bool care_role = role == Role::coordinator || role == Role::provider_manager || role == Role::participant_staff;
    if (base.effect != Effect::permit && gs == GlassState::active && care_role && pur == Purpose::coordination &&
        (act == Action::read || act == Action::list) && !office_category(cat))
        return {Effect::permit, Reason::break_glass, true};
    return base;
}

// ---- the facts of one scenario, built from the states.
struct Scenario {
    std::vector<ConsentDirective> directives;
    std::vector<LockboxEntry> lockbox;
    std::vector<BreakGlassGrant> glass;
};

ConsentDirective directive(DirectiveEffect effect, std::int64_t id, std::int64_t org, CategorySet cats, PurposeSet purposes) {
    ConsentDirective d;
    d.id = id;
    d.effect = effect;
    d.organisations = {org};
    d.categories = cats;
    d.purposes = purposes;
    d.given_by = GivenBy::substitute_decision_maker;
    d.given_by_name = "Parent";
    d.given_at = now - 24h * 30;
    d.expires_at = now + 24h * 30;
    return d;
}

Scenario build(ConsentState cs, LockboxState ls, GlassState gs, Category cat, Purpose pur) {
    Scenario s;
    const CategorySet just_cat{cat};
    const PurposeSet just_pur{pur};
    CategorySet other_cats;
    for (auto c : all_categories())
        if (c != cat) other_cats.insert(c);
    PurposeSet other_purposes;
    for (auto p : all_purposes())
        if (p != pur) other_purposes.insert(p);
    auto permit = [&] { return directive(DirectiveEffect::permit, 11, actor_org, just_cat, just_pur); };
    auto deny = [&] { return directive(DirectiveEffect::deny, 12, actor_org, just_cat, just_pur); };
    switch (cs) {
        case ConsentState::none:
            break;
        case ConsentState::active:
            s.directives = {permit()};
            break;
        case ConsentState::expired: {
            auto d = permit();
            d.given_at = now - 24h * 60;
            d.expires_at = now - 24h;
            s.directives = {d};
            break;
        }
        case ConsentState::withdrawn: {
            auto d = permit();
            d.withdrawn_at = now - 1h;
            s.directives = {d};
            break;
        }
        case ConsentState::not_yet_effective: {
            auto d = permit();
            d.given_at = now + 24h;
            s.directives = {d};
            break;
        }
        case ConsentState::out_of_scope_org:
            s.directives = {directive(DirectiveEffect::permit, 11, other_org, just_cat, just_pur)};
            break;
        case ConsentState::out_of_scope_category:
            s.directives = {directive(DirectiveEffect::permit, 11, actor_org, other_cats, just_pur)};
            break;
        case ConsentState::out_of_scope_purpose:
            s.directives = {directive(DirectiveEffect::permit, 11, actor_org, just_cat, other_purposes)};
            break;
        case ConsentState::denied:
            s.directives = {permit(), deny()};
            break;
        case ConsentState::deny_only:
            s.directives = {deny()};
            break;
        case ConsentState::deny_withdrawn: {
            auto d = deny();
            d.withdrawn_at = now - 1h;
            s.directives = {permit(), d};
            break;
        }
        case ConsentState::deny_expired: {
            auto d = deny();
            d.given_at = now - 24h * 60;
            d.expires_at = now - 24h;
            s.directives = {permit(), d};
            break;
        }
        case ConsentState::deny_other_org:
            s.directives = {permit(), directive(DirectiveEffect::deny, 12, other_org, just_cat, just_pur)};
            break;
    }
    const Category another = cat == Category::health ? Category::education : Category::health;
    switch (ls) {
        case LockboxState::none:
            break;
        case LockboxState::this_org:
            s.lockbox = {{1, actor_org, cat, GivenBy::child_youth, now - 24h, std::nullopt}};
            break;
        case LockboxState::other_org:
            s.lockbox = {{1, other_org, cat, GivenBy::child_youth, now - 24h, std::nullopt}};
            break;
        case LockboxState::other_category:
            s.lockbox = {{1, actor_org, another, GivenBy::child_youth, now - 24h, std::nullopt}};
            break;
        case LockboxState::revoked:
            s.lockbox = {{1, actor_org, cat, GivenBy::child_youth, now - 24h, now - 1h}};
            break;
    }
    switch (gs) {
        case GlassState::none:
            break;
        case GlassState::active:
            s.glass = {{1, actor_user, actor_org, "Child disclosed a plan to self-harm", now - 10min, now + 50min}};
            break;
        case GlassState::expired:
            s.glass = {{1, actor_user, actor_org, "Child disclosed a plan to self-harm", now - 2h, now - 1h}};
            break;
        case GlassState::other_user:
            s.glass = {{1, other_user, actor_org, "Child disclosed a plan to self-harm", now - 10min, now + 50min}};
            break;
    }
    return s;
}

std::string describe(Role role, Relationship rel, ConsentState cs, LockboxState ls, GlassState gs, Category cat, Purpose pur,
                     Action act) {
    std::ostringstream o;
    o << "role=" << code(role) << " relationship=" << code(rel) << " consent=" << consent_state_names[static_cast<int>(cs)]
      << " lockbox=" << lockbox_state_names[static_cast<int>(ls)] << " glass=" << glass_state_names[static_cast<int>(gs)]
      << " category=" << code(cat) << " purpose=" << code(pur) << " action=" << code(act);
    return o.str();
}

}  // namespace

TEST(PrivacyPolicy, EveryCombinationHasItsExpectedDecision) {
    std::size_t rows = 0, mismatches = 0;
    std::set<Reason> reasons_seen;
    std::set<Effect> effects_seen;
    for (int c = 0; c < consent_state_count; ++c)
        for (int l = 0; l < lockbox_state_count; ++l)
            for (int g = 0; g < glass_state_count; ++g)
                for (auto cat : all_categories())
                    for (auto pur : all_purposes()) {
                        const auto cs = static_cast<ConsentState>(c);
                        const auto ls = static_cast<LockboxState>(l);
                        const auto gs = static_cast<GlassState>(g);
                        const Scenario s = build(cs, ls, gs, cat, pur);
                        for (auto role : all_roles())
                            for (auto rel : all_relationships())
                                for (auto act : all_actions()) {
                                    AccessRequest q;
                                    q.actor = {actor_user, actor_org, role};
                                    q.relationship = rel;
                                    q.category = cat;
                                    q.purpose = pur;
                                    q.action = act;
                                    q.directives = s.directives;
                                    q.lockbox = s.lockbox;
                                    q.break_glass = s.glass;
                                    const Decision got = decide(q, now);
                                    const Expected want = expected_decision(role, rel, cs, ls, gs, cat, pur, act);
                                    ++rows;
                                    reasons_seen.insert(want.reason);
                                    effects_seen.insert(want.effect);
                                    if (got.effect != want.effect || got.reason != want.reason ||
                                        got.break_glass != want.break_glass) {
                                        if (++mismatches <= 25)
                                            ADD_FAILURE()
                                                << describe(role, rel, cs, ls, gs, cat, pur, act) << ": expected "
                                                << code(want.effect) << "/" << code(want.reason)
                                                << (want.break_glass ? " (break-glass)" : "") << ", got " << code(got.effect)
                                                << "/" << code(got.reason) << (got.break_glass ? " (break-glass)" : "");
                                    }
                                }
                    }
    EXPECT_EQ(mismatches, 0u);
    // Every combination was asserted: 7 staff roles × 7 relationships × 13 consent states × 5
    // lockbox states × 4 break-the-glass states × 9 categories × 4 purposes × 7 actions.
    EXPECT_EQ(rows, 7u * 7 * 13 * 5 * 4 * 9 * 4 * 7);
    EXPECT_EQ(all_roles().size(), 7u);
    EXPECT_EQ(all_relationships().size(), 7u);
    EXPECT_EQ(all_categories().size(), 9u);
    EXPECT_EQ(all_purposes().size(), 4u);
    EXPECT_EQ(all_actions().size(), 7u);
    // The staff tables reach every outcome the domain defines but the family's own and the
    // complaints register's (decided by its repository).
    for (auto r : {Reason::family_access, Reason::youth_withheld, Reason::no_authority, Reason::not_capable,
                   Reason::youth_decides, Reason::complaint_handling})
        EXPECT_FALSE(reasons_seen.contains(r)) << code(r);
    EXPECT_EQ(reasons_seen.size() + 6, all_reasons().size());
    EXPECT_EQ(effects_seen.size(), all_effects().size());
}

// A family account (Role::family, never a membership's role) on every relationship, family
// standing, category, purpose and action, under a few consent, lockbox and break-the-glass states
// (which name organisations, and so never change a family account's answer).
TEST(PrivacyPolicy, EveryFamilyCombinationHasItsExpectedDecision) {
    std::size_t rows = 0, mismatches = 0;
    std::set<Reason> reasons_seen;
    for (auto cs : {ConsentState::none, ConsentState::active, ConsentState::denied})
        for (auto ls : {LockboxState::none, LockboxState::this_org})
            for (auto gs : {GlassState::none, GlassState::active})
                for (int f = 0; f < family_state_count; ++f)
                    for (auto cat : all_categories())
                        for (auto pur : all_purposes()) {
                            const auto fs = static_cast<FamilyState>(f);
                            const Scenario s = build(cs, ls, gs, cat, pur);
                            for (auto rel : all_relationships())
                                for (auto act : all_actions()) {
                                    AccessRequest q;
                                    q.actor = {actor_user, 0, Role::family};
                                    q.relationship = rel;
                                    q.category = cat;
                                    q.purpose = pur;
                                    q.action = act;
                                    q.directives = s.directives;
                                    q.lockbox = s.lockbox;
                                    q.break_glass = s.glass;
                                    q.family = standing(fs, cat);
                                    const Decision got = decide(q, now);
                                    const Expected want = expected_decision(Role::family, rel, cs, ls, gs, cat, pur, act, fs);
                                    ++rows;
                                    reasons_seen.insert(want.reason);
                                    if (got.effect != want.effect || got.reason != want.reason || got.break_glass) {
                                        if (++mismatches <= 25)
                                            ADD_FAILURE() << describe(Role::family, rel, cs, ls, gs, cat, pur, act)
                                                          << " family=" << family_state_names[f] << ": expected "
                                                          << code(want.effect) << "/" << code(want.reason) << ", got "
                                                          << code(got.effect) << "/" << code(got.reason);
                                    }
                                }
                        }
    EXPECT_EQ(mismatches, 0u);
    EXPECT_EQ(rows, 3u * 2 * 2 * 7 * 9 * 4 * 7 * 7);
    for (auto r : {Reason::family_access, Reason::youth_withheld, Reason::no_authority, Reason::not_capable,
                   Reason::youth_decides, Reason::no_relationship, Reason::role_relationship_not_permitted})
        EXPECT_TRUE(reasons_seen.contains(r)) << code(r);
    // Family accounts are not staff: no form or stored membership can name the role.
    EXPECT_FALSE(parse_role("family").has_value());
    EXPECT_EQ(code(Role::family), "family");
}

// ---- named scenarios: the rules that matter most, with literal expectations.

namespace {

struct Case {
    const char* name;
    Role role;
    Relationship rel;
    Category cat;
    Purpose pur;
    Action act;
    ConsentState consent;
    LockboxState lockbox;
    GlassState glass;
    Effect effect;
    Reason reason;
    bool break_glass;
};

}  // namespace

TEST(PrivacyPolicy, NamedScenarios) {
    using enum Role;
    using R = Relationship;
    using C = Category;
    using P = Purpose;
    using A = Action;
    using CS = ConsentState;
    using LS = LockboxState;
    using GS = GlassState;
    const Case cases[] = {
        {"assigned SPC reads health under consent", coordinator, R::assigned_coordinator, C::health, P::coordination, A::read,
         CS::active, LS::none, GS::none, Effect::permit, Reason::consent, false},
        {"deny by default: no consent at all", coordinator, R::assigned_coordinator, C::health, P::coordination, A::read,
         CS::none, LS::none, GS::none, Effect::deny, Reason::no_consent, false},
        {"a deny directive overrides a permit", coordinator, R::assigned_coordinator, C::case_notes, P::coordination, A::read,
         CS::denied, LS::none, GS::none, Effect::deny, Reason::consent_denied, false},
        {"withdrawn consent refuses", participant_staff, R::team_member, C::education, P::coordination, A::list, CS::withdrawn,
         LS::none, GS::none, Effect::deny, Reason::consent_withdrawn, false},
        {"lockboxed category: withheld notice on read", participant_staff, R::team_member, C::health, P::coordination, A::read,
         CS::active, LS::this_org, GS::none, Effect::permit_withheld, Reason::lockbox, false},
        {"lockboxed category: no writing into it", participant_staff, R::team_member, C::health, P::coordination, A::update,
         CS::active, LS::this_org, GS::none, Effect::deny, Reason::lockbox, false},
        {"no notice for someone who had no access anyway", participant_staff, R::team_member, C::health, P::coordination, A::read,
         CS::none, LS::this_org, GS::none, Effect::deny, Reason::no_consent, false},
        {"lockbox of another organisation does not apply", participant_staff, R::team_member, C::health, P::coordination, A::read,
         CS::active, LS::other_org, GS::none, Effect::permit, Reason::consent, false},
        {"team members do not export", provider_manager, R::team_member, C::plan, P::coordination, A::export_, CS::active,
         LS::none, GS::none, Effect::deny, Reason::action_not_permitted, false},
        {"system administrators never see personal information", system_admin, R::coordinating_agency, C::identity_contact,
         P::coordination, A::read, CS::active, LS::none, GS::active, Effect::deny, Reason::system_admin_no_access, false},
        {"ministry analysts never see identifiable data", ministry_analyst, R::coordinating_agency, C::plan, P::reporting,
         A::list, CS::active, LS::none, GS::none, Effect::deny, Reason::deidentified_only, false},
        {"privacy officer reads the audit", privacy_officer, R::privacy_officer, C::access_log, P::oversight, A::read, CS::none,
         LS::none, GS::none, Effect::permit, Reason::privacy_oversight, false},
        {"privacy officer exports the audit", privacy_officer, R::privacy_officer, C::access_log, P::oversight, A::export_,
         CS::none, LS::none, GS::none, Effect::permit, Reason::privacy_oversight, false},
        {"privacy officer does not read clinical content", privacy_officer, R::privacy_officer, C::health, P::oversight, A::read,
         CS::active, LS::none, GS::none, Effect::deny, Reason::category_not_permitted, false},
        {"privacy officer has no coordination purpose", privacy_officer, R::privacy_officer, C::plan, P::coordination, A::read,
         CS::active, LS::none, GS::none, Effect::deny, Reason::purpose_not_permitted, false},
        {"privacy officer at the agency is not agency staff", privacy_officer, R::coordinating_agency, C::plan, P::coordination,
         A::read, CS::active, LS::none, GS::none, Effect::deny, Reason::role_relationship_not_permitted, false},
        {"coordinators do not read the audit", coordinator, R::assigned_coordinator, C::access_log, P::coordination, A::read,
         CS::active, LS::none, GS::none, Effect::deny, Reason::category_not_permitted, false},
        {"privacy officer records a family's request", privacy_officer, R::privacy_officer, C::privacy_registers, P::oversight,
         A::create, CS::none, LS::none, GS::none, Effect::permit, Reason::privacy_oversight, false},
        {"a lockbox entry does not hide the privacy office's records", privacy_officer, R::privacy_officer, C::privacy_registers,
         P::oversight, A::read, CS::denied, LS::this_org, GS::none, Effect::permit, Reason::privacy_oversight, false},
        {"agency staff do not read the privacy registers", ca_admin, R::coordinating_agency, C::privacy_registers, P::oversight,
         A::list, CS::active, LS::none, GS::none, Effect::deny, Reason::purpose_not_permitted, false},
        {"break-the-glass does not open the privacy registers", coordinator, R::none, C::privacy_registers, P::coordination,
         A::read, CS::none, LS::none, GS::active, Effect::deny, Reason::no_relationship, false},
        {"agency takes in a referral before consent", ca_admin, R::coordinating_agency, C::identity_contact, P::referral,
         A::create, CS::none, LS::none, GS::none, Effect::permit, Reason::referral_intake, false},
        {"agency sees no health information", ca_admin, R::coordinating_agency, C::health, P::coordination, A::read, CS::active,
         LS::none, GS::none, Effect::deny, Reason::category_not_permitted, false},
        {"no relationship, no access", coordinator, R::none, C::identity_contact, P::coordination, A::read, CS::active, LS::none,
         GS::none, Effect::deny, Reason::no_relationship, false},
        {"break-the-glass reads despite a deny and the lockbox", participant_staff, R::none, C::safety_risk, P::coordination,
         A::read, CS::denied, LS::this_org, GS::active, Effect::permit, Reason::break_glass, true},
        {"break-the-glass does not write", participant_staff, R::none, C::safety_risk, P::coordination, A::update, CS::none,
         LS::none, GS::active, Effect::deny, Reason::no_relationship, false},
        {"break-the-glass is not flagged when not needed", coordinator, R::assigned_coordinator, C::health, P::coordination,
         A::read, CS::active, LS::none, GS::active, Effect::permit, Reason::consent, false},
        {"an expired break-the-glass counts for nothing", coordinator, R::none, C::health, P::coordination, A::read, CS::active,
         LS::none, GS::expired, Effect::deny, Reason::no_relationship, false},
        {"someone else's break-the-glass counts for nothing", coordinator, R::none, C::health, P::coordination, A::read,
         CS::active, LS::none, GS::other_user, Effect::deny, Reason::no_relationship, false},
        {"privacy officers cannot break the glass", privacy_officer, R::privacy_officer, C::health, P::coordination, A::read,
         CS::none, LS::none, GS::active, Effect::deny, Reason::purpose_not_permitted, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const Scenario s = build(c.consent, c.lockbox, c.glass, c.cat, c.pur);
        AccessRequest q;
        q.actor = {actor_user, actor_org, c.role};
        q.relationship = c.rel;
        q.category = c.cat;
        q.purpose = c.pur;
        q.action = c.act;
        q.directives = s.directives;
        q.lockbox = s.lockbox;
        q.break_glass = s.glass;
        const Decision d = decide(q, now);
        EXPECT_EQ(code(d.effect), code(c.effect));
        EXPECT_EQ(code(d.reason), code(c.reason));
        EXPECT_EQ(d.break_glass, c.break_glass);
    }
}

TEST(PrivacyPolicy, DecisionNamesTheDirectiveItReliedOn) {
    const Scenario s = build(ConsentState::denied, LockboxState::none, GlassState::none, Category::plan, Purpose::coordination);
    AccessRequest q;
    q.actor = {actor_user, actor_org, Role::coordinator};
    q.relationship = Relationship::assigned_coordinator;
    q.category = Category::plan;
    q.directives = s.directives;
    EXPECT_EQ(decide(q, now).directive_id, 12);  // the deny
    const Scenario p = build(ConsentState::active, LockboxState::none, GlassState::none, Category::plan, Purpose::coordination);
    q.directives = p.directives;
    EXPECT_EQ(decide(q, now).directive_id, 11);  // the permit
}

TEST(PrivacyPolicy, TheMostTellingConsentReasonWins) {
    AccessRequest q;
    q.actor = {actor_user, actor_org, Role::coordinator};
    q.relationship = Relationship::assigned_coordinator;
    q.category = Category::health;
    auto permit = directive(DirectiveEffect::permit, 1, actor_org, {Category::health}, {Purpose::coordination});
    auto withdrawn = permit, expired = permit, future = permit, elsewhere = permit;
    withdrawn.withdrawn_at = now - 1h;
    expired.expires_at = now - 1h;
    future.given_at = now + 1h;
    elsewhere.organisations = {other_org};
    auto reason = [&](std::vector<ConsentDirective> ds) {
        q.directives = ds;
        return code(decide(q, now).reason);
    };
    EXPECT_EQ(reason({elsewhere, future, expired, withdrawn}), "consent_withdrawn");
    EXPECT_EQ(reason({elsewhere, future, expired}), "consent_expired");
    EXPECT_EQ(reason({elsewhere, future}), "consent_not_yet_effective");
    EXPECT_EQ(reason({elsewhere}), "consent_out_of_scope");
    EXPECT_EQ(reason({}), "no_consent");
    // One permit in effect is enough, whatever else the file holds.
    EXPECT_EQ(reason({elsewhere, future, expired, withdrawn, permit}), "consent");
}

TEST(PrivacyPolicy, CodesAreStableAndDistinct) {
    std::set<std::string_view> seen;
    for (auto r : all_reasons()) {
        EXPECT_TRUE(seen.insert(code(r)).second) << code(r);
        EXPECT_EQ(parse_reason(code(r)), r);
        EXPECT_EQ(reason_key(r), "privacy.reason." + std::string(code(r)));
    }
    for (auto a : all_actions()) EXPECT_EQ(parse_action(code(a)), a);
    for (auto r : all_relationships()) EXPECT_EQ(parse_relationship(code(r)), r);
    for (auto e : all_effects()) EXPECT_EQ(parse_effect(code(e)), e);
    for (auto c : all_categories()) EXPECT_EQ(parse_category(code(c)), c);
    for (auto p : all_purposes()) EXPECT_EQ(parse_purpose(code(p)), p);
    EXPECT_EQ(code(Action::export_), "export");
    EXPECT_FALSE(parse_reason("permit"));
}

// The family's own access, literally: the rows the issue names (a parent with and without
// authority, a substitute decision-maker, a capable and a not-capable youth).
TEST(PrivacyPolicy, FamilyPrincipals) {
    struct FamilyCase {
        const char* name;
        Relationship rel;
        FamilyState fs;
        Category cat;
        Action act;
        Effect effect;
        Reason reason;
    };
    using R = Relationship;
    using C = Category;
    using A = Action;
    using F = FamilyState;
    const FamilyCase cases[] = {
        {"a parent with authority reads the plan", R::family_of, F::authority, C::plan, A::read, Effect::permit,
         Reason::family_access},
        {"a parent with authority signs the plan", R::family_of, F::authority, C::plan, A::create, Effect::permit,
         Reason::family_access},
        {"a parent without authority (a court order) is refused", R::family_of, F::none, C::plan, A::read, Effect::deny,
         Reason::no_authority},
        {"the substitute decision-maker of a child not capable keeps the consent", R::family_of, F::authority,
         C::identity_contact, A::update, Effect::permit, Reason::family_access},
        {"a parent does not override a capable youth's consent", R::family_of, F::authority_capable, C::identity_contact,
         A::update, Effect::deny, Reason::youth_decides},
        {"a capable youth keeps health from a parent: the notice only", R::family_of, F::withheld_this, C::health, A::read,
         Effect::permit_withheld, Reason::youth_withheld},
        {"what a capable youth does not keep, the parent reads", R::family_of, F::withheld_other, C::health, A::read,
         Effect::permit, Reason::family_access},
        {"a capable youth reads who accessed their file", R::self, F::capable, C::access_log, A::read, Effect::permit,
         Reason::family_access},
        {"a capable youth keeps their own consent", R::self, F::capable, C::identity_contact, A::update, Effect::permit,
         Reason::family_access},
        {"a youth not capable: their substitute decision-maker acts", R::self, F::none, C::plan, A::read, Effect::deny,
         Reason::not_capable},
        {"the family does not read the team's case notes", R::self, F::capable, C::case_notes, A::read, Effect::deny,
         Reason::category_not_permitted},
        {"the family does not read the safety notes", R::family_of, F::authority, C::safety_risk, A::read, Effect::deny,
         Reason::category_not_permitted},
        {"the family does not edit the audit", R::self, F::capable, C::access_log, A::update, Effect::deny,
         Reason::action_not_permitted},
        {"a family account is never agency staff", R::coordinating_agency, F::authority, C::plan, A::read, Effect::deny,
         Reason::role_relationship_not_permitted},
    };
    for (const auto& c : cases) {
        AccessRequest q;
        q.actor = {actor_user, 0, Role::family};
        q.relationship = c.rel;
        q.category = c.cat;
        q.purpose = Purpose::coordination;
        q.action = c.act;
        q.family = standing(c.fs, c.cat);
        const Decision d = decide(q, now);
        EXPECT_EQ(d.effect, c.effect) << c.name;
        EXPECT_EQ(d.reason, c.reason) << c.name << ": " << code(d.reason);
    }
    // Staff never stand to a file as family.
    AccessRequest staff;
    staff.actor = {actor_user, actor_org, Role::coordinator};
    staff.relationship = Relationship::family_of;
    staff.family = standing(FamilyState::authority, Category::plan);
    staff.category = Category::plan;
    EXPECT_EQ(decide(staff, now).reason, Reason::role_relationship_not_permitted);
}
