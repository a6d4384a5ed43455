#include "domain/access.hpp"

#include <algorithm>

namespace arrimage::domain {

bool Principal::has(Role r) const {
    return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return g.role == r; });
}

std::vector<std::int64_t> Principal::ca_admin_sdas() const {
    std::vector<std::int64_t> out;
    for (const auto& g : grants)
        if (g.role == Role::ca_admin && std::find(out.begin(), out.end(), g.sda_id) == out.end()) out.push_back(g.sda_id);
    return out;
}

static bool ca_admin_of(const Principal& p, std::int64_t sda_id) {
    return std::any_of(p.grants.begin(), p.grants.end(),
                       [&](const Grant& g) { return g.role == Role::ca_admin && g.sda_id == sda_id; });
}

bool can_manage_sdas(const Principal& p) {
    return p.is_system_admin();
}

bool can_edit_sda(const Principal& p, std::int64_t sda_id) {
    return p.is_system_admin() || ca_admin_of(p, sda_id);
}

bool can_manage_organisations(const Principal& p, std::int64_t sda_id) {
    return p.is_system_admin() || ca_admin_of(p, sda_id);
}

bool can_administer(const Principal& p) {
    return p.is_system_admin() || p.has(Role::ca_admin);
}

bool can_manage_users(const Principal& p, std::int64_t sda_id) {
    return p.is_system_admin() || ca_admin_of(p, sda_id);
}

bool can_grant(const Principal& p, Role role, std::int64_t sda_id) {
    if (role == Role::system_admin) return p.is_system_admin();
    return can_manage_users(p, sda_id);
}

bool can_manage_user(const Principal& p, const std::vector<Grant>& target) {
    if (p.is_system_admin()) return true;
    if (target.empty()) return false;
    return std::all_of(target.begin(), target.end(), [&](const Grant& g) { return can_grant(p, g.role, g.sda_id); });
}

bool can_view_outbox(const Principal& p) {
    return p.is_system_admin();
}

bool requires_second_factor(const Principal& p, const std::vector<Role>& mfa_roles) {
    return std::any_of(mfa_roles.begin(), mfa_roles.end(), [&](Role r) { return p.has(r); });
}

std::optional<Grant> acting_grant(const Principal& p, std::optional<std::int64_t> chosen_organisation,
                                  std::string_view chosen_role) {
    if (chosen_organisation) {
        const auto role = parse_role(chosen_role);
        for (const auto& g : p.grants)
            if (g.organisation_id == *chosen_organisation && role && g.role == *role) return g;
    }
    if (p.grants.empty()) return std::nullopt;
    return p.grants.front();
}

}  // namespace arrimage::domain
