#include "features/family/domain/family.hpp"

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/password.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

namespace {

constexpr detail::Named<FamilyRelation> relation_names[] = {
    {FamilyRelation::family_of, "family_of"},
    {FamilyRelation::self, "self"},
};
constexpr detail::Named<InviteDelivery> delivery_names[] = {
    {InviteDelivery::email, "email"},
    {InviteDelivery::print, "print"},
};

// 30 symbols: digits and capitals without 0, 1, I, L, O and U.
constexpr std::string_view code_symbols = "23456789ABCDEFGHJKMNPQRSTVWXYZ";  // 30 shown

}  // namespace

std::string_view code(FamilyRelation r) {
    return detail::code_of(relation_names, r);
}
std::optional<FamilyRelation> parse_family_relation(std::string_view s) {
    return detail::parse_of(relation_names, s);
}
std::string_view code(InviteDelivery d) {
    return detail::code_of(delivery_names, d);
}
std::optional<InviteDelivery> parse_invite_delivery(std::string_view s) {
    return detail::parse_of(delivery_names, s);
}

std::vector<FieldError> validate(const InviteForm& in, Invite& out) {
    std::vector<FieldError> e;
    const std::string member = trim(in.member);
    if (member.empty()) {
        e.push_back({"member", "field.required", {}});
    } else if (member == "self") {
        out.relation = FamilyRelation::self;
        out.family_member_id.reset();
        out.authority = true;
    } else if (auto id = parse_id(member)) {
        out.relation = FamilyRelation::family_of;
        out.family_member_id = *id;
        const std::string a = trim(in.authority);
        if (a == "yes")
            out.authority = true;
        else if (a == "no")
            out.authority = false;
        else
            e.push_back({"authority", a.empty() ? "field.required" : "field.choose_from_list", {}});
    } else {
        e.push_back({"member", "field.choose_from_list", {}});
    }
    choice(e, "delivery", in.delivery, parse_invite_delivery, out.delivery);
    out.email.clear();
    if (out.delivery == InviteDelivery::email && trim(in.delivery) == "email") {
        const std::string m = ascii_lower(trim(in.email));
        if (m.empty())
            e.push_back({"email", "family.error.email_required", {}});
        else if (!valid_utf8(m) || !plausible_email(m) || m.size() > 254)
            e.push_back({"email", "field.email", {}});
        else
            out.email = m;
    }
    return e;
}

std::string code_from_bytes(std::span<const unsigned char> bytes) {
    std::string out;
    for (std::size_t i = 0; i < code_length && i < bytes.size(); ++i) out.push_back(code_symbols[bytes[i] % code_symbols.size()]);
    return out;
}

std::optional<std::string> normalise_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (code_symbols.find(c) == std::string_view::npos) return std::nullopt;
        out.push_back(c);
        if (out.size() > code_length) return std::nullopt;
    }
    if (out.size() != code_length) return std::nullopt;
    return out;
}

std::string format_code(std::string_view code) {
    std::string out;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(code[i]);
    }
    return out;
}

std::string sign_in_name_from_bytes(std::span<const unsigned char> bytes) {
    return "fam-" + ascii_lower(code_from_bytes(bytes).substr(0, 8));
}

std::vector<FieldError> validate_code(std::string_view typed, std::string& out) {
    std::vector<FieldError> e;
    if (trim(typed).empty())
        e.push_back({"code", "field.required", {}});
    else if (auto c = normalise_code(typed))
        out = *c;
    else
        e.push_back({"code", "family.error.code_format", {}});
    return e;
}

std::vector<FieldError> validate(const JoinForm& in, std::string_view login, Join& out) {
    auto e = validate_code(in.code, out.code);
    text(e, "display_name", in.display_name, 100, true, out.display_name);
    check_name(e, "display_name", out.display_name);
    for (auto& p : check_new_password(in.password, in.password_confirm, login)) e.push_back(std::move(p));
    if (auto l = parse_lang(trim(in.lang)))
        out.lang = *l;
    else
        e.push_back({"lang", trim(in.lang).empty() ? "field.required" : "field.choose_from_list", {}});
    return e;
}

const std::vector<Category>& withholdable_from_family() {
    static const std::vector<Category> all{Category::health, Category::education, Category::assessments_reports, Category::plan};
    return all;
}

bool withholdable_from_family(Category c) {
    for (auto x : withholdable_from_family())
        if (x == c) return true;
    return false;
}

std::vector<FieldError> validate_withheld(std::span<const std::string> codes, CategorySet& out) {
    std::vector<FieldError> e;
    out = {};
    for (const auto& raw : codes) {
        const auto c = parse_category(trim(raw));
        if (!c || !withholdable_from_family(*c)) {
            e.push_back({"categories", "family.sharing.error.category", {trim(raw)}});
            break;
        }
        out.insert(*c);
    }
    return e;
}

}  // namespace arrimage::domain
