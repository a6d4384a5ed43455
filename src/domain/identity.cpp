#include "domain/identity.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<Role> role_names[] = {
    {Role::system_admin, "system_admin"},         {Role::ca_admin, "ca_admin"},
    {Role::privacy_officer, "privacy_officer"},   {Role::coordinator, "coordinator"},
    {Role::provider_manager, "provider_manager"}, {Role::participant_staff, "participant_staff"},
    {Role::ministry_analyst, "ministry_analyst"},
};
constexpr Named<Sector> sector_names[] = {
    {Sector::childrens_services, "childrens_services"},
    {Sector::education, "education"},
    {Sector::health, "health"},
    {Sector::social_services, "social_services"},
    {Sector::municipal, "municipal"},
    {Sector::indigenous_led, "indigenous_led"},
};
constexpr Named<CspRole> csp_role_names[] = {
    {CspRole::coordinating_agency, "coordinating_agency"},
    {CspRole::csp_provider, "csp_provider"},
    {CspRole::csp_participant, "csp_participant"},
    {CspRole::broader_partner, "broader_partner"},
};

// Required text: trimmed, valid UTF-8, 1..max characters, no control characters.
void required_text(std::vector<FieldError>& errors, const char* field, const std::string& raw, std::size_t max,
                   std::string& out) {
    out = trim(raw);
    if (!valid_utf8(out)) {
        errors.push_back({field, "field.invalid_text", {}});
    } else if (out.empty()) {
        errors.push_back({field, "field.required", {}});
    } else if (utf8_length(out) > max) {
        errors.push_back({field, "field.too_long", {std::to_string(max)}});
    } else if (std::any_of(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        errors.push_back({field, "field.invalid_text", {}});
    }
}

void optional_text(std::vector<FieldError>& errors, const char* field, const std::string& raw, std::size_t max,
                   std::string& out) {
    out = trim(raw);
    if (out.empty()) return;
    required_text(errors, field, raw, max, out);
}

}  // namespace

const std::vector<Role>& all_roles() {
    static const auto v = values_of(role_names);
    return v;
}
const std::vector<Sector>& all_sectors() {
    static const auto v = values_of(sector_names);
    return v;
}
const std::vector<CspRole>& all_csp_roles() {
    static const auto v = values_of(csp_role_names);
    return v;
}
std::string_view code(Role r) {
    if (r == Role::family) return "family";
    return code_of(role_names, r);
}
std::string_view code(Sector s) {
    return code_of(sector_names, s);
}
std::string_view code(CspRole r) {
    return code_of(csp_role_names, r);
}
std::optional<Role> parse_role(std::string_view s) {
    return parse_of(role_names, s);
}
std::optional<Sector> parse_sector(std::string_view s) {
    return parse_of(sector_names, s);
}
std::optional<CspRole> parse_csp_role(std::string_view s) {
    return parse_of(csp_role_names, s);
}

void check_name(std::vector<FieldError>& errors, const std::string& field, const std::string& value) {
    if (value.empty()) return;
    if (std::any_of(errors.begin(), errors.end(), [&](const FieldError& f) { return f.field == field; })) return;
    if (auto problem = name_problem(value)) errors.push_back({field, std::string(*problem), {}});
}

std::optional<std::int64_t> parse_id(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 18) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<std::string> normalise_postal_code(std::string_view s) {
    std::string compact;
    for (char c : s) {
        if (c == ' ' || c == '-') continue;
        compact.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c);
    }
    if (compact.size() != 6) return std::nullopt;
    // Letters D, F, I, O, Q, U never appear; W and Z never first.
    auto letter = [](char c, bool first) {
        return c >= 'A' && c <= 'Z' && std::string_view("DFIOQU").find(c) == std::string_view::npos &&
               !(first && (c == 'W' || c == 'Z'));
    };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!letter(compact[0], true) || !digit(compact[1]) || !letter(compact[2], false) || !digit(compact[3]) ||
        !letter(compact[4], false) || !digit(compact[5]))
        return std::nullopt;
    return compact.substr(0, 3) + " " + compact.substr(3);
}

std::optional<std::string> normalise_phone(std::string_view s) {
    std::string main = std::string(s), ext;
    for (std::string_view marker : {"ext.", "ext", "poste", "x"}) {
        const auto lower = ascii_lower(main);
        if (auto pos = lower.find(marker); pos != std::string::npos) {
            ext = trim(main.substr(pos + marker.size()));
            main = main.substr(0, pos);
            break;
        }
    }
    std::string digits;
    for (char c : main) {
        if (c >= '0' && c <= '9')
            digits.push_back(c);
        else if (std::string_view(" -().+").find(c) == std::string_view::npos)
            return std::nullopt;
    }
    if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
    if (digits.size() != 10 || digits[0] < '2' || digits[3] < '2') return std::nullopt;
    if (!ext.empty() && (ext.size() > 6 || !std::all_of(ext.begin(), ext.end(), [](char c) { return c >= '0' && c <= '9'; })))
        return std::nullopt;
    std::string out = "+1 " + digits.substr(0, 3) + "-" + digits.substr(3, 3) + "-" + digits.substr(6);
    if (!ext.empty()) out += " x" + ext;
    return out;
}

std::vector<FieldError> validate(const SdaForm& in, Sda& out) {
    std::vector<FieldError> e;
    out.code = ascii_lower(trim(in.code));
    if (out.code.empty())
        e.push_back({"code", "field.required", {}});
    else if (out.code.size() > 32 || !std::all_of(out.code.begin(), out.code.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
             }))
        e.push_back({"code", "sda.code_format", {}});
    required_text(e, "name_fr", in.name_fr, 200, out.name_fr);
    check_name(e, "name_fr", out.name_fr);
    required_text(e, "name_en", in.name_en, 200, out.name_en);
    check_name(e, "name_en", out.name_en);
    return e;
}

std::vector<FieldError> validate(const OrganisationForm& in, Organisation& out) {
    std::vector<FieldError> e;
    if (auto id = parse_id(trim(in.sda_id)))
        out.sda_id = *id;
    else
        e.push_back({"sda_id", "field.choose_one", {}});
    required_text(e, "name_fr", in.name_fr, 200, out.name_fr);
    check_name(e, "name_fr", out.name_fr);
    required_text(e, "name_en", in.name_en, 200, out.name_en);
    check_name(e, "name_en", out.name_en);
    if (auto s = parse_sector(trim(in.sector)))
        out.sector = *s;
    else
        e.push_back({"sector", "field.choose_one", {}});
    out.csp_roles.clear();
    for (const auto& r : in.csp_roles) {
        auto role = parse_csp_role(trim(r));
        if (!role) {
            e.push_back({"csp_roles", "field.choose_from_list", {}});
            break;
        }
        if (std::find(out.csp_roles.begin(), out.csp_roles.end(), *role) == out.csp_roles.end()) out.csp_roles.push_back(*role);
    }
    if (out.csp_roles.empty() && in.csp_roles.empty()) e.push_back({"csp_roles", "field.choose_at_least_one", {}});
    out.fls_designated = in.fls_designated;

    const std::string email = ascii_lower(trim(in.email));
    if (email.empty())
        out.email.reset();
    else if (!plausible_email(email))
        e.push_back({"email", "field.email", {}});
    else
        out.email = email;

    const std::string phone = trim(in.phone);
    if (phone.empty())
        out.phone.reset();
    else if (auto p = normalise_phone(phone))
        out.phone = *p;
    else
        e.push_back({"phone", "field.phone", {}});

    std::string website;
    optional_text(e, "website", in.website, 300, website);
    if (website.empty())
        out.website.reset();
    else if (website.rfind("https://", 0) != 0 && website.rfind("http://", 0) != 0)
        e.push_back({"website", "field.url", {}});
    else
        out.website = website;
    return e;
}

std::vector<FieldError> validate(const SiteForm& in, Site& out) {
    std::vector<FieldError> e;
    required_text(e, "name_fr", in.name_fr, 200, out.name_fr);
    check_name(e, "name_fr", out.name_fr);
    required_text(e, "name_en", in.name_en, 200, out.name_en);
    check_name(e, "name_en", out.name_en);
    optional_text(e, "address", in.address, 300, out.address);
    optional_text(e, "city", in.city, 100, out.city);
    const std::string pc = trim(in.postal_code);
    if (pc.empty())
        out.postal_code.clear();
    else if (auto n = normalise_postal_code(pc))
        out.postal_code = *n;
    else
        e.push_back({"postal_code", "field.postal_code", {}});
    return e;
}

std::vector<FieldError> validate(const UserForm& in, User& out) {
    std::vector<FieldError> e;
    out.email = ascii_lower(trim(in.email));
    if (out.email.empty())
        e.push_back({"email", "field.required", {}});
    else if (!valid_utf8(out.email) || !plausible_email(out.email))
        e.push_back({"email", "field.email", {}});
    required_text(e, "display_name", in.display_name, 120, out.display_name);
    check_name(e, "display_name", out.display_name);
    if (auto l = parse_lang(trim(in.preferred_lang)))
        out.preferred_lang = *l;
    else
        e.push_back({"preferred_lang", "field.choose_one", {}});
    return e;
}

std::vector<FieldError> validate(const MembershipForm& in, Membership& out) {
    std::vector<FieldError> e;
    if (auto id = parse_id(trim(in.organisation_id)))
        out.organisation_id = *id;
    else
        e.push_back({"organisation_id", "field.choose_one", {}});
    if (auto r = parse_role(trim(in.role)))
        out.role = *r;
    else
        e.push_back({"role", "field.choose_one", {}});
    return e;
}

}  // namespace arrimage::domain
