#pragma once
// Service delivery areas, organisations, sites, users and memberships. Administrative
// changes are recorded in admin_audit in the same transaction. Lists of users (personal
// information of staff) are filtered in SQL to what the viewer may administer.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/identity.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct SdaRow {
    std::int64_t id = 0;
    std::string code, name_fr, name_en;
    bool active = true;
};

struct OrganisationRow {
    std::int64_t id = 0;
    std::int64_t sda_id = 0;
    std::string sda_code;
    std::string name_fr, name_en, sector;
    std::vector<std::string> csp_roles;
    bool fls_designated = false;
    std::string email, phone, website;
    bool active = true;
};

struct SiteRow {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, address, city, postal_code;
    bool active = true;
};

struct UserRow {
    std::int64_t id = 0;
    std::string email, display_name, preferred_lang;
    bool active = true;
    bool totp_enabled = false;
    bool has_password = false;
    std::string last_login_at;
};

struct MembershipRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
    std::int64_t sda_id = 0;
    std::string org_name_fr, org_name_en, role;
    bool active = true;
};

struct UserQuery {
    std::string text;  // matches email or display name
    std::optional<std::int64_t> organisation_id;
    bool include_inactive = false;
    int limit = 200;
};

class IdentityRepo {
  public:
    IdentityRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}

    std::vector<SdaRow> list_sdas(bool include_inactive);
    std::optional<SdaRow> find_sda(std::int64_t id);
    Result<std::int64_t> create_sda(const domain::Sda& in, std::int64_t actor);
    Result<void> update_sda(std::int64_t id, const domain::Sda& in, std::int64_t actor);
    Result<void> set_sda_active(std::int64_t id, bool active, std::int64_t actor);

    std::vector<OrganisationRow> list_organisations(std::optional<std::int64_t> sda_id, bool include_inactive);
    std::optional<OrganisationRow> find_organisation(std::int64_t id);
    Result<std::int64_t> create_organisation(const domain::Organisation& in, std::int64_t actor);
    Result<void> update_organisation(std::int64_t id, const domain::Organisation& in, std::int64_t actor);
    Result<void> set_organisation_active(std::int64_t id, bool active, std::int64_t actor);

    std::vector<SiteRow> list_sites(std::int64_t organisation_id);
    std::optional<SiteRow> find_site(std::int64_t id);
    Result<std::int64_t> create_site(std::int64_t organisation_id, const domain::Site& in, std::int64_t actor);
    Result<void> update_site(std::int64_t id, const domain::Site& in, std::int64_t actor);
    Result<void> set_site_active(std::int64_t id, bool active, std::int64_t actor);

    // Users the viewer may administer: every user for a system administrator; for a CA
    // administrator, users with a membership in an organisation of their SDAs. Never a family
    // account or an API client's service account (features/fhir).
    std::vector<UserRow> list_users(const domain::Principal& viewer, const UserQuery& q);
    std::optional<UserRow> find_user_for(const domain::Principal& viewer, std::int64_t id);
    std::optional<UserRow> find_user(std::int64_t id);
    std::optional<UserRow> find_user_by_email(const std::string& email);
    Result<std::int64_t> create_user(const domain::User& in, std::int64_t actor);
    Result<void> update_user(std::int64_t id, const domain::User& in, std::int64_t actor);
    Result<void> set_user_active(std::int64_t id, bool active, std::int64_t actor);
    void set_preferred_lang(std::int64_t id, Lang lang);

    std::vector<MembershipRow> memberships_of(std::int64_t user_id);
    std::optional<MembershipRow> find_membership(std::int64_t id);
    Result<std::int64_t> add_membership(std::int64_t user_id, const domain::Membership& in, std::int64_t actor);
    Result<void> set_membership_active(std::int64_t id, bool active, std::int64_t actor);

    // The user's active grants in active organisations.
    domain::Principal principal_of(std::int64_t user_id);

    void record_admin_event(std::optional<std::int64_t> actor, std::string_view action, std::string_view entity,
                            std::optional<std::int64_t> entity_id, std::string_view detail = "");

  private:
    std::string now() const;
    Tx& tx_;
    const Clock& clock_;
};

}  // namespace arrimage::store
