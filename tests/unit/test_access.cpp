#include <gtest/gtest.h>

#include "domain/access.hpp"

using namespace arrimage::domain;

namespace {
Principal with(std::initializer_list<Grant> g) {
    Principal p;
    p.user_id = 1;
    p.grants = g;
    return p;
}
constexpr std::int64_t sda_a = 10, sda_b = 20;
}  // namespace

// One row per (who, what, where) → expected decision.
struct AccessCase {
    const char* name;
    Principal who;
    bool manage_sdas, edit_sda_a, edit_sda_b, manage_orgs_a, manage_orgs_b, manage_users_a, manage_users_b, grant_sysadmin_a,
        grant_coord_a, administer, outbox;
};

TEST(Access, Matrix) {
    const std::vector<AccessCase> cases = {
        {"system admin", with({{1, sda_a, Role::system_admin}}), true, true, true, true, true, true, true, true, true, true,
         true},
        {"CA admin of A", with({{1, sda_a, Role::ca_admin}}), false, true, false, true, false, true, false, false, true, true,
         false},
        {"CA admin of B", with({{2, sda_b, Role::ca_admin}}), false, false, true, false, true, false, true, false, false, true,
         false},
        {"coordinator", with({{1, sda_a, Role::coordinator}}), false, false, false, false, false, false, false, false, false,
         false, false},
        {"privacy officer", with({{1, sda_a, Role::privacy_officer}}), false, false, false, false, false, false, false, false,
         false, false, false},
        {"provider manager", with({{1, sda_a, Role::provider_manager}}), false, false, false, false, false, false, false, false,
         false, false, false},
        {"participant staff", with({{1, sda_a, Role::participant_staff}}), false, false, false, false, false, false, false, false,
         false, false, false},
        {"ministry analyst", with({{1, sda_a, Role::ministry_analyst}}), false, false, false, false, false, false, false, false,
         false, false, false},
        {"no membership", with({}), false, false, false, false, false, false, false, false, false, false, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(can_manage_sdas(c.who), c.manage_sdas);
        EXPECT_EQ(can_edit_sda(c.who, sda_a), c.edit_sda_a);
        EXPECT_EQ(can_edit_sda(c.who, sda_b), c.edit_sda_b);
        EXPECT_EQ(can_manage_organisations(c.who, sda_a), c.manage_orgs_a);
        EXPECT_EQ(can_manage_organisations(c.who, sda_b), c.manage_orgs_b);
        EXPECT_EQ(can_manage_users(c.who, sda_a), c.manage_users_a);
        EXPECT_EQ(can_manage_users(c.who, sda_b), c.manage_users_b);
        EXPECT_EQ(can_grant(c.who, Role::system_admin, sda_a), c.grant_sysadmin_a);
        EXPECT_EQ(can_grant(c.who, Role::coordinator, sda_a), c.grant_coord_a);
        EXPECT_EQ(can_administer(c.who), c.administer);
        EXPECT_EQ(can_view_outbox(c.who), c.outbox);
    }
}

TEST(Access, SecondFactorByRole) {
    const std::vector<Role> required = {Role::system_admin, Role::privacy_officer};
    EXPECT_TRUE(requires_second_factor(with({{1, sda_a, Role::privacy_officer}}), required));
    EXPECT_FALSE(requires_second_factor(with({{1, sda_a, Role::coordinator}}), required));
    EXPECT_FALSE(requires_second_factor(with({{1, sda_a, Role::system_admin}}), {}));
}

TEST(Access, CaAdminSdasAreDistinct) {
    auto p =
        with({{1, sda_a, Role::ca_admin}, {2, sda_a, Role::ca_admin}, {3, sda_b, Role::ca_admin}, {4, sda_b, Role::coordinator}});
    EXPECT_EQ(p.ca_admin_sdas(), (std::vector<std::int64_t>{sda_a, sda_b}));
}

// One row per (administrator, target's memberships) → whether the administrator may view or
// change that user: every membership of the target must be one the administrator could grant.
TEST(Access, ManageUserOnlyWhenEveryMembershipIsGrantable) {
    const auto sysadmin = with({{1, sda_a, Role::system_admin}});
    const auto admin_a = with({{1, sda_a, Role::ca_admin}});
    const auto admin_ab = with({{1, sda_a, Role::ca_admin}, {2, sda_b, Role::ca_admin}});
    const auto coordinator = with({{1, sda_a, Role::coordinator}});
    struct Case {
        const char* name;
        std::vector<Grant> target;
        bool sysadmin, admin_a, admin_ab, coordinator;
    };
    const std::vector<Case> cases = {
        {"staff of A", {{1, sda_a, Role::participant_staff}}, true, true, true, false},
        {"another CA admin of A", {{1, sda_a, Role::ca_admin}}, true, true, true, false},
        {"system administrator of A", {{1, sda_a, Role::system_admin}}, true, false, false, false},
        {"system administrator and staff of A",
         {{1, sda_a, Role::system_admin}, {1, sda_a, Role::coordinator}},
         true,
         false,
         false,
         false},
        {"staff of B", {{2, sda_b, Role::participant_staff}}, true, false, true, false},
        {"staff of A and of B", {{1, sda_a, Role::coordinator}, {2, sda_b, Role::coordinator}}, true, false, true, false},
        {"no membership", {}, true, false, false, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(can_manage_user(sysadmin, c.target), c.sysadmin);
        EXPECT_EQ(can_manage_user(admin_a, c.target), c.admin_a);
        EXPECT_EQ(can_manage_user(admin_ab, c.target), c.admin_ab);
        EXPECT_EQ(can_manage_user(coordinator, c.target), c.coordinator);
    }
}
