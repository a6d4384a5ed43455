#pragma once
// Who may administer what. Pure rules over the signed-in user's memberships; the web layer
// asks, the store enforces the scope in its queries.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/identity.hpp"

namespace arrimage::domain {

struct Grant {
    std::int64_t organisation_id = 0;
    std::int64_t sda_id = 0;
    Role role = Role::participant_staff;
};

struct Principal {
    std::int64_t user_id = 0;
    std::vector<Grant> grants;  // active memberships, oldest first (none for a family account)
    // A family account (features/family): it holds no membership and administers nothing; the
    // access kernel lets it act only as Role::family on the files it has family access to.
    bool family = false;

    bool has(Role r) const;
    bool is_system_admin() const { return has(Role::system_admin); }
    // SDAs where the user is a coordinating-agency administrator.
    std::vector<std::int64_t> ca_admin_sdas() const;
};

// Create, deactivate and reactivate service delivery areas, and change their codes.
bool can_manage_sdas(const Principal& p);
// Edit one area's names: system administrators, and the area's coordinating-agency
// administrators.
bool can_edit_sda(const Principal& p, std::int64_t sda_id);
// Create or edit organisations (and their sites) in an SDA.
bool can_manage_organisations(const Principal& p, std::int64_t sda_id);
// See the administration area at all.
bool can_administer(const Principal& p);
// Invite users, edit and deactivate them and their memberships in an organisation of `sda_id`.
bool can_manage_users(const Principal& p, std::int64_t sda_id);
// Give `role` in an organisation of `sda_id`: only a system administrator grants system_admin.
bool can_grant(const Principal& p, Role role, std::int64_t sda_id);
// View or change a user (details, email, sign-in links, activation) whose memberships, active
// or not, are `target`: only when every one of them is a membership `p` could have granted.
// A system administrator is thus changed only by a system administrator, and a user with
// memberships in two areas only by someone who administers both. A user without any
// membership is a system administrator's. store::IdentityRepo's user scope is this rule in SQL.
bool can_manage_user(const Principal& p, const std::vector<Grant>& target);
bool can_view_outbox(const Principal& p);

// Roles whose holders must use a second factor, as configured.
bool requires_second_factor(const Principal& p, const std::vector<Role>& mfa_roles);

// The membership a user acts under, one rule for every page: the membership chosen for the
// session (organisation and role) while the user still holds it; otherwise their oldest active
// membership. Nothing for a user without one.
std::optional<Grant> acting_grant(const Principal& p, std::optional<std::int64_t> chosen_organisation,
                                  std::string_view chosen_role);

}  // namespace arrimage::domain
