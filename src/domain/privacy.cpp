#include "domain/privacy.hpp"

#include <array>
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<Action> action_names[] = {
    {Action::read, "read"},     {Action::list, "list"},      {Action::search, "search"}, {Action::create, "create"},
    {Action::update, "update"}, {Action::export_, "export"}, {Action::print, "print"},
};
constexpr Named<Relationship> relationship_names[] = {
    {Relationship::none, "none"},
    {Relationship::assigned_coordinator, "assigned_coordinator"},
    {Relationship::team_member, "team_member"},
    {Relationship::coordinating_agency, "coordinating_agency"},
    {Relationship::privacy_officer, "privacy_officer"},
    {Relationship::family_of, "family_of"},
    {Relationship::self, "self"},
};
constexpr Named<Effect> effect_names[] = {
    {Effect::permit, "permit"},
    {Effect::permit_withheld, "permit_withheld"},
    {Effect::deny, "deny"},
};
constexpr Named<Reason> reason_names[] = {
    {Reason::consent, "consent"},
    {Reason::referral_intake, "referral_intake"},
    {Reason::privacy_oversight, "privacy_oversight"},
    {Reason::break_glass, "break_glass"},
    {Reason::family_access, "family_access"},
    {Reason::complaint_handling, "complaint_handling"},
    {Reason::youth_withheld, "youth_withheld"},
    {Reason::lockbox, "lockbox"},
    {Reason::system_admin_no_access, "system_admin_no_access"},
    {Reason::deidentified_only, "deidentified_only"},
    {Reason::no_relationship, "no_relationship"},
    {Reason::role_relationship_not_permitted, "role_relationship_not_permitted"},
    {Reason::purpose_not_permitted, "purpose_not_permitted"},
    {Reason::category_not_permitted, "category_not_permitted"},
    {Reason::action_not_permitted, "action_not_permitted"},
    {Reason::consent_denied, "consent_denied"},
    {Reason::consent_withdrawn, "consent_withdrawn"},
    {Reason::consent_expired, "consent_expired"},
    {Reason::consent_not_yet_effective, "consent_not_yet_effective"},
    {Reason::consent_out_of_scope, "consent_out_of_scope"},
    {Reason::no_consent, "no_consent"},
    {Reason::no_authority, "no_authority"},
    {Reason::not_capable, "not_capable"},
    {Reason::youth_decides, "youth_decides"},
};

// ---- table A: profile of (role, relationship)

enum class Profile : std::uint8_t { none, mismatch, owner, team, agency, oversight, family };

constexpr int role_count = 8;

constexpr bool family_relationship(Relationship rel) {
    return rel == Relationship::family_of || rel == Relationship::self;
}

constexpr Profile profile_of(Role role, Relationship rel) {
    if (rel == Relationship::none) return Profile::none;
    // A family account stands to a file only as family; staff never do.
    if (role == Role::family) return family_relationship(rel) ? Profile::family : Profile::mismatch;
    if (family_relationship(rel)) return Profile::mismatch;
    switch (role) {
        case Role::ca_admin:
            return rel == Relationship::coordinating_agency ? Profile::agency : Profile::mismatch;
        case Role::privacy_officer:
            return rel == Relationship::privacy_officer ? Profile::oversight : Profile::mismatch;
        case Role::coordinator:
            switch (rel) {
                case Relationship::assigned_coordinator:
                    return Profile::owner;
                case Relationship::team_member:
                    return Profile::team;
                case Relationship::coordinating_agency:
                    return Profile::agency;
                default:
                    return Profile::mismatch;
            }
        case Role::provider_manager:
            switch (rel) {
                case Relationship::team_member:
                    return Profile::team;
                case Relationship::coordinating_agency:
                    return Profile::agency;
                default:
                    return Profile::mismatch;
            }
        case Role::participant_staff:
            return rel == Relationship::team_member ? Profile::team : Profile::mismatch;
        case Role::system_admin:
        case Role::ministry_analyst:
            return Profile::none;  // decided before the table
        case Role::family:
            break;  // above
    }
    return Profile::none;
}

// ---- table B: what a profile may do, per purpose and category

enum class Basis : std::uint8_t { none, consent, referral_intake, privacy_oversight, family };

struct Cell {
    std::uint8_t actions = 0;  // bit per Action
    Basis basis = Basis::none;
};

constexpr std::uint8_t bit(Action a) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(a));
}
constexpr std::uint8_t R = bit(Action::read), L = bit(Action::list), S = bit(Action::search), C = bit(Action::create),
                       U = bit(Action::update), P = bit(Action::print), E = bit(Action::export_);

using Grid = std::array<std::array<Cell, category_count>, purpose_count>;  // [purpose][category]

constexpr void allow_consentable(Grid& g, Purpose p, std::uint8_t actions, Basis basis) {
    for (int c = 0; c < category_count; ++c)
        if (consentable(static_cast<Category>(c))) g[static_cast<int>(p)][c] = {actions, basis};
}
constexpr void allow(Grid& g, Purpose p, Category c, std::uint8_t actions, Basis basis) {
    g[static_cast<int>(p)][static_cast<int>(c)] = {actions, basis};
}

constexpr Grid grid_of(Profile profile) {
    Grid g{};
    switch (profile) {
        case Profile::owner:
            allow_consentable(g, Purpose::coordination, R | L | S | C | U | P | E, Basis::consent);
            allow_consentable(g, Purpose::referral, R | L | S | C | U | P | E, Basis::consent);
            break;
        case Profile::team:
            allow_consentable(g, Purpose::coordination, R | L | S | C | U | P, Basis::consent);
            allow_consentable(g, Purpose::referral, R | L | S | C, Basis::consent);
            break;
        case Profile::agency:
            allow(g, Purpose::referral, Category::identity_contact, R | L | S | C | U, Basis::referral_intake);
            allow(g, Purpose::referral, Category::assessments_reports, R | L | S | C | U, Basis::referral_intake);
            allow(g, Purpose::coordination, Category::identity_contact, R | L | S | C | U, Basis::consent);
            allow(g, Purpose::coordination, Category::plan, R | L | S, Basis::consent);
            allow(g, Purpose::reporting, Category::plan, R | L | S, Basis::consent);
            break;
        case Profile::oversight:
            allow(g, Purpose::oversight, Category::access_log, R | L | S | P | E, Basis::privacy_oversight);
            allow(g, Purpose::oversight, Category::privacy_registers, R | L | S | C | U | P | E, Basis::privacy_oversight);
            allow(g, Purpose::oversight, Category::identity_contact, R | L | S, Basis::privacy_oversight);
            break;
        case Profile::family:
            allow(g, Purpose::coordination, Category::identity_contact, R | L | P | C | U, Basis::family);
            allow(g, Purpose::coordination, Category::health, R | L | P, Basis::family);
            allow(g, Purpose::coordination, Category::education, R | L | P, Basis::family);
            allow(g, Purpose::coordination, Category::assessments_reports, R | L | P, Basis::family);
            allow(g, Purpose::coordination, Category::plan, R | L | P | C | U, Basis::family);
            allow(g, Purpose::coordination, Category::access_log, R | L | P | E, Basis::family);
            break;
        case Profile::none:
        case Profile::mismatch:
            break;
    }
    return g;
}

constexpr std::array<Grid, 7> grids = {grid_of(Profile::none),  grid_of(Profile::mismatch), grid_of(Profile::owner),
                                       grid_of(Profile::team),  grid_of(Profile::agency),   grid_of(Profile::oversight),
                                       grid_of(Profile::family)};

constexpr std::array<std::array<Profile, relationship_count>, role_count> profiles = [] {
    std::array<std::array<Profile, relationship_count>, role_count> t{};
    for (int r = 0; r < role_count; ++r)
        for (int rel = 0; rel < relationship_count; ++rel)
            t[r][rel] = profile_of(static_cast<Role>(r), static_cast<Relationship>(rel));
    return t;
}();

constexpr Decision deny(Reason r, std::int64_t directive = 0) {
    return {Effect::deny, r, false, directive};
}

Reason basis_reason(Basis b) {
    switch (b) {
        case Basis::referral_intake:
            return Reason::referral_intake;
        case Basis::privacy_oversight:
            return Reason::privacy_oversight;
        case Basis::family:
            return Reason::family_access;
        default:
            return Reason::consent;
    }
}

// Steps 3-10 of the table in privacy.hpp.
Decision decide_without_break_glass(const AccessRequest& q, TimePoint now) {
    // A role added to domain/identity.hpp has no row here until someone decides one: deny.
    if (static_cast<int>(q.actor.role) >= role_count) return deny(Reason::role_relationship_not_permitted);
    const Profile profile = profiles[static_cast<int>(q.actor.role)][static_cast<int>(q.relationship)];
    if (profile == Profile::none) return deny(Reason::no_relationship);
    if (profile == Profile::mismatch) return deny(Reason::role_relationship_not_permitted);
    if (profile == Profile::family) {
        if (q.relationship == Relationship::family_of && !q.family.authority) return deny(Reason::no_authority);
        if (q.relationship == Relationship::self && !q.family.subject_capable) return deny(Reason::not_capable);
    }

    const auto& by_purpose = grids[static_cast<int>(profile)][static_cast<int>(q.purpose)];
    const Cell cell = by_purpose[static_cast<int>(q.category)];
    if (cell.actions == 0) {
        for (const Cell& c : by_purpose)
            if (c.actions != 0) return deny(Reason::category_not_permitted);
        return deny(Reason::purpose_not_permitted);
    }
    if ((cell.actions & bit(q.action)) == 0) return deny(Reason::action_not_permitted);

    if (cell.basis == Basis::family) {
        if (q.relationship == Relationship::family_of && q.family.subject_capable) {
            if (q.category == Category::identity_contact && !discloses_only(q.action)) return deny(Reason::youth_decides);
            if (q.family.withheld.contains(q.category)) {
                if (discloses_only(q.action)) return {Effect::permit_withheld, Reason::youth_withheld, false, 0};
                return deny(Reason::youth_withheld);
            }
        }
        return {Effect::permit, Reason::family_access, false, 0};
    }

    const std::int64_t org = q.actor.organisation_id;
    std::int64_t relied_on = 0;
    if (cell.basis == Basis::consent || cell.basis == Basis::referral_intake) {
        // One pass: a deny in effect decides at once; otherwise remember the best permit and,
        // failing one, the most telling reason.
        bool permitted = false, withdrawn = false, expired = false, not_yet = false, other_active_permit = false;
        for (const auto& d : q.directives) {
            const bool covers = d.covers(org, q.category, q.purpose);
            if (d.in_effect(now)) {
                if (!covers) {
                    other_active_permit |= d.effect == DirectiveEffect::permit;
                    continue;
                }
                if (d.effect == DirectiveEffect::deny) return deny(Reason::consent_denied, d.id);
                if (!permitted) relied_on = d.id;
                permitted = true;
            } else if (covers && d.effect == DirectiveEffect::permit) {
                if (d.withdrawn_at && *d.withdrawn_at <= now)
                    withdrawn = true;
                else if (d.expires_at && *d.expires_at <= now)
                    expired = true;
                else
                    not_yet = true;
            }
        }
        if (cell.basis == Basis::consent && !permitted) {
            if (withdrawn) return deny(Reason::consent_withdrawn);
            if (expired) return deny(Reason::consent_expired);
            if (not_yet) return deny(Reason::consent_not_yet_effective);
            if (other_active_permit) return deny(Reason::consent_out_of_scope);
            return deny(Reason::no_consent);
        }
    }

    if (consentable(q.category)) {
        for (const auto& l : q.lockbox) {
            if (l.organisation_id == org && l.category == q.category && l.in_effect(now)) {
                if (discloses_only(q.action)) return {Effect::permit_withheld, Reason::lockbox, false, relied_on};
                return deny(Reason::lockbox);
            }
        }
    }
    return {Effect::permit, basis_reason(cell.basis), false, relied_on};
}

bool break_glass_applies(const AccessRequest& q, TimePoint now) {
    if (!may_break_glass(q.actor.role) || q.purpose != Purpose::coordination || !consentable(q.category)) return false;
    if (q.action != Action::read && q.action != Action::list) return false;
    for (const auto& g : q.break_glass)
        if (g.user_id == q.actor.user_id && g.in_effect(now)) return true;
    return false;
}

}  // namespace

const std::vector<Action>& all_actions() {
    static const auto v = values_of(action_names);
    return v;
}
const std::vector<Relationship>& all_relationships() {
    static const auto v = values_of(relationship_names);
    return v;
}
const std::vector<Effect>& all_effects() {
    static const auto v = values_of(effect_names);
    return v;
}
const std::vector<Reason>& all_reasons() {
    static const auto v = values_of(reason_names);
    return v;
}
std::string_view code(Action a) {
    return code_of(action_names, a);
}
std::string_view code(Relationship r) {
    return code_of(relationship_names, r);
}
std::string_view code(Effect e) {
    return code_of(effect_names, e);
}
std::string_view code(Reason r) {
    return code_of(reason_names, r);
}
std::optional<Action> parse_action(std::string_view s) {
    return parse_of(action_names, s);
}
std::optional<Relationship> parse_relationship(std::string_view s) {
    return parse_of(relationship_names, s);
}
std::optional<Effect> parse_effect(std::string_view s) {
    return parse_of(effect_names, s);
}
std::optional<Reason> parse_reason(std::string_view s) {
    return parse_of(reason_names, s);
}
std::string reason_key(Reason r) {
    return "privacy.reason." + std::string(code(r));
}
std::string effect_key(Effect e) {
    return "privacy.effect." + std::string(code(e));
}

Decision decide(const AccessRequest& q, TimePoint now) {
    if (q.actor.role == Role::system_admin) return deny(Reason::system_admin_no_access);
    if (q.actor.role == Role::ministry_analyst) return deny(Reason::deidentified_only);
    const Decision d = decide_without_break_glass(q, now);
    if (d.effect != Effect::permit && break_glass_applies(q, now)) return {Effect::permit, Reason::break_glass, true, 0};
    return d;
}

}  // namespace arrimage::domain
