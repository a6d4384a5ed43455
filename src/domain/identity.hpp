#pragma once
// Service delivery areas, organisations, users and memberships: the vocabulary and the
// validation of what an administrator types. Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace arrimage::domain {

enum class Role {
    system_admin,
    ca_admin,
    privacy_officer,
    coordinator,  // service planning coordinator
    provider_manager,
    participant_staff,
    ministry_analyst,
    // A family member or a capable youth signed in to their own file (features/family): a
    // principal of its own kind, never a membership's role. all_roles() and parse_role() leave
    // it out, so no form, command or stored membership can give it; only the access kernel's
    // mint (store/access.hpp, AccessMint::family) acts as it.
    family,
};
enum class Sector { childrens_services, education, health, social_services, municipal, indigenous_led };
enum class CspRole { coordinating_agency, csp_provider, csp_participant, broader_partner };

// Each enum value has a stable code (stored, used in forms) and a catalogue key
// ("role.<code>", "sector.<code>", "csp_role.<code>"). all_roles() and parse_role() are the
// staff roles a membership can hold (not Role::family).
const std::vector<Role>& all_roles();
const std::vector<Sector>& all_sectors();
const std::vector<CspRole>& all_csp_roles();
std::string_view code(Role r);
std::string_view code(Sector s);
std::string_view code(CspRole r);
std::optional<Role> parse_role(std::string_view s);
std::optional<Sector> parse_sector(std::string_view s);
std::optional<CspRole> parse_csp_role(std::string_view s);

struct SdaForm {
    std::string code, name_fr, name_en;
};
struct Sda {
    std::string code, name_fr, name_en;
};
std::vector<FieldError> validate(const SdaForm& in, Sda& out);

struct OrganisationForm {
    std::string sda_id, name_fr, name_en, sector, email, phone, website;
    std::vector<std::string> csp_roles;
    bool fls_designated = false;
};
struct Organisation {
    std::int64_t sda_id = 0;
    std::string name_fr, name_en;
    Sector sector = Sector::childrens_services;
    std::vector<CspRole> csp_roles;
    bool fls_designated = false;
    std::optional<std::string> email, phone, website;
};
std::vector<FieldError> validate(const OrganisationForm& in, Organisation& out);

struct SiteForm {
    std::string name_fr, name_en, address, city, postal_code;
};
struct Site {
    std::string name_fr, name_en, address, city, postal_code;
};
std::vector<FieldError> validate(const SiteForm& in, Site& out);

struct UserForm {
    std::string email, display_name, preferred_lang;
};
struct User {
    std::string email;  // lower-cased
    std::string display_name;
    Lang preferred_lang = Lang::en;
};
std::vector<FieldError> validate(const UserForm& in, User& out);

struct MembershipForm {
    std::string organisation_id, role;
};
struct Membership {
    std::int64_t organisation_id = 0;
    Role role = Role::participant_staff;
};
std::vector<FieldError> validate(const MembershipForm& in, Membership& out);

// Canadian postal code "A1A 1A1" (normalised to upper case with one space); nullopt if invalid.
std::optional<std::string> normalise_postal_code(std::string_view s);
// North American phone number, normalised to "+1 NXX-NXX-XXXX" with optional " x123".
std::optional<std::string> normalise_phone(std::string_view s);
std::optional<std::int64_t> parse_id(std::string_view s);

// A name as typed (a person's, a family member's, a user's, an organisation's, a site's, a
// service's) must show: it holds a visible letter and no bidirectional control
// (core/text.hpp name_problem), else a field error. Nothing is added when `value` is empty
// or `field` already has an error.
void check_name(std::vector<FieldError>& errors, const std::string& field, const std::string& value);

}  // namespace arrimage::domain
