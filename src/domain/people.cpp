#include "domain/people.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/search_text.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<FamilyRelationship> relationship_names[] = {
    {FamilyRelationship::parent, "parent"},
    {FamilyRelationship::guardian, "guardian"},
    {FamilyRelationship::substitute_decision_maker, "substitute_decision_maker"},
    {FamilyRelationship::other_caregiver, "other_caregiver"},
};
constexpr Named<TeamKind> team_kind_names[] = {
    {TeamKind::assigned_coordinator, "assigned_coordinator"},
    {TeamKind::team_member, "team_member"},
};

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

void text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
          std::string& out) {
    out = trim(raw);
    if (!valid_utf8(out) || has_control(out))
        e.push_back({field, "field.invalid_text", {}});
    else if (out.empty() && required)
        e.push_back({field, "field.required", {}});
    else if (utf8_length(out) > max)
        e.push_back({field, "field.too_long", {std::to_string(max)}});
}

void long_text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
               std::string& out) {
    std::string s;
    s.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r') {
            s.push_back('\n');
            if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
        } else {
            s.push_back(raw[i]);
        }
    }
    out = trim(s);
    const bool control = std::any_of(out.begin(), out.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\n' && c != '\t';
    });
    if (!valid_utf8(out) || control)
        e.push_back({field, "field.invalid_text", {}});
    else if (out.empty() && required)
        e.push_back({field, "field.required", {}});
    else if (utf8_length(out) > max)
        e.push_back({field, "field.too_long", {std::to_string(max)}});
}

void date_field(std::vector<FieldError>& e, const std::string& field, std::string_view raw, bool required,
                std::optional<Date>& out) {
    const std::string s = trim(raw);
    out.reset();
    if (s.empty()) {
        if (required) e.push_back({field, "field.required", {}});
    } else if (auto d = parse_date(s)) {
        out = *d;
    } else {
        e.push_back({field, "people.invalid_date", {}});
    }
}

void whole_number(std::vector<FieldError>& e, const std::string& field, std::string_view raw, int lo, int hi, int& out) {
    const std::string s = trim(raw);
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty())
        e.push_back({field, "field.required", {}});
    else if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi)
        e.push_back({field, "field.number_between", {std::to_string(lo), std::to_string(hi)}});
    else
        out = v;
}

void plain_long_text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
                     std::string& out) {
    const auto before = e.size();
    long_text(e, field, raw, max, required, out);
    if (e.size() != before) return;
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        const char n = out[i + 1];
        if (out[i] == '<' && ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!' || n == '?')) {
            e.push_back({field, "field.no_markup", {}});
            return;
        }
    }
}

void phone_email(std::vector<FieldError>& e, const std::string& prefix, std::string_view raw_phone, std::string_view raw_email,
                 std::optional<std::string>& phone, std::optional<std::string>& email) {
    const std::string p = trim(raw_phone);
    if (p.empty())
        phone.reset();
    else if (auto n = normalise_phone(p))
        phone = *n;
    else
        e.push_back({prefix + "phone", "field.phone", {}});
    const std::string m = ascii_lower(trim(raw_email));
    if (m.empty())
        email.reset();
    else if (!valid_utf8(m) || !plausible_email(m))
        e.push_back({prefix + "email", "field.email", {}});
    else
        email = m;
}

namespace {

std::chrono::sys_days days_of(const Date& d) {
    return std::chrono::sys_days{std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day}};
}

std::string digits_of(const Date& d) {
    std::string s = d.iso();  // YYYY-MM-DD
    s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
    return s;
}

std::optional<Date> date_of_digits(const std::string& digits) {
    return parse_date(digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2));
}

int allowed_distance(std::size_t shorter) {
    if (shorter >= 5) return 2;
    if (shorter >= 3) return 1;
    return 0;
}

}  // namespace

const std::vector<FamilyRelationship>& all_family_relationships() {
    static const std::vector<FamilyRelationship> v = {FamilyRelationship::parent, FamilyRelationship::guardian,
                                                      FamilyRelationship::substitute_decision_maker,
                                                      FamilyRelationship::other_caregiver};
    return v;
}
std::string_view code(FamilyRelationship r) {
    return code_of(relationship_names, r);
}
std::optional<FamilyRelationship> parse_family_relationship(std::string_view s) {
    return parse_of(relationship_names, s);
}
std::string_view code(TeamKind k) {
    return code_of(team_kind_names, k);
}
std::optional<TeamKind> parse_team_kind(std::string_view s) {
    return parse_of(team_kind_names, s);
}

bool may_use_registry(Role r) {
    return r != Role::system_admin && r != Role::ministry_analyst;
}
bool may_register(Role r) {
    return r == Role::ca_admin || r == Role::coordinator || r == Role::provider_manager;
}

int age_in_years(const Date& dob, const Date& today) {
    int years = today.year - dob.year;
    if (today.month < dob.month || (today.month == dob.month && today.day < dob.day)) --years;
    return years;
}

std::vector<FieldError> validate(const PersonForm& in, const Date& today, Person& out) {
    std::vector<FieldError> e;
    out = Person{};
    text(e, "given_name", in.given_name, 100, true, out.given_name);
    check_name(e, "given_name", out.given_name);
    text(e, "family_name", in.family_name, 100, true, out.family_name);
    check_name(e, "family_name", out.family_name);
    text(e, "preferred_name", in.preferred_name, 100, false, out.preferred_name);
    check_name(e, "preferred_name", out.preferred_name);

    const std::string dob = trim(in.date_of_birth);
    if (dob.empty()) {
        e.push_back({"date_of_birth", "field.required", {}});
    } else if (auto d = parse_date(dob)) {
        out.date_of_birth = *d;
        if (days_of(*d) > days_of(today))
            e.push_back({"date_of_birth", "people.dob_in_future", {}});
        else if (age_in_years(*d, today) > max_child_age_years)
            e.push_back({"date_of_birth", "people.dob_too_old", {std::to_string(max_child_age_years)}});
    } else {
        e.push_back({"date_of_birth", "people.invalid_date", {}});
    }

    text(e, "preferred_language", in.preferred_language, 60, false, out.preferred_language);
    if (auto l = parse_lang(trim(in.official_language)))
        out.official_language = *l;
    else
        e.push_back({"official_language", "field.choose_one", {}});
    text(e, "school", in.school, 200, false, out.school);
    phone_email(e, "", in.phone, in.email, out.phone, out.email);
    text(e, "address", in.address, 300, false, out.address);
    const std::string pc = trim(in.postal_code);
    if (pc.empty())
        out.postal_code.clear();
    else if (auto n = normalise_postal_code(pc))
        out.postal_code = *n;
    else
        e.push_back({"postal_code", "field.postal_code", {}});
    const std::string capable = trim(in.capable_of_consent);
    if (capable == "yes" || capable == "no")
        out.capable_of_consent = capable == "yes";
    else
        e.push_back({"capable_of_consent", "field.choose_one", {}});
    return e;
}

std::vector<FieldError> validate(const FamilyMemberForm& in, std::string_view prefix_view, FamilyMember& out) {
    std::vector<FieldError> e;
    out = FamilyMember{};
    const std::string prefix(prefix_view);
    text(e, prefix + "given_name", in.given_name, 100, true, out.given_name);
    check_name(e, prefix + "given_name", out.given_name);
    text(e, prefix + "family_name", in.family_name, 100, true, out.family_name);
    check_name(e, prefix + "family_name", out.family_name);
    const std::string rel = trim(in.relationship);
    if (auto r = parse_family_relationship(rel))
        out.relationship = *r;
    else if (rel.empty())
        e.push_back({prefix + "relationship", "field.choose_one", {}});
    else
        e.push_back({prefix + "relationship", "people.unknown_relationship", {}});
    const std::string sdm = trim(in.is_substitute_decision_maker);
    out.is_substitute_decision_maker =
        sdm == "1" || sdm == "yes" || out.relationship == FamilyRelationship::substitute_decision_maker;
    phone_email(e, prefix, in.phone, in.email, out.phone, out.email);
    const bool phone_error = std::any_of(
        e.begin(), e.end(), [&](const FieldError& f) { return f.field == prefix + "phone" || f.field == prefix + "email"; });
    if (!phone_error && !out.phone && !out.email) e.push_back({prefix + "phone", "people.contact_needed", {}});
    text(e, prefix + "preferred_language", in.preferred_language, 60, false, out.preferred_language);
    return e;
}

// ---- duplicate detection

std::string name_key(std::string_view name) {
    std::string out;
    for (char c : fold(name)) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) out.push_back(c);
    }
    return out;
}

namespace {

// Folded letters and digits in words; hyphens and apostrophes join words or split them.
std::string name_words(std::string_view q, bool split_joined) {
    std::string out;
    bool space = false;
    for (char c : fold(q)) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) {
            if (space && !out.empty()) out.push_back(' ');
            space = false;
            out.push_back(c);
        } else if (c == ' ' || c == '\t' || c == ',' || (split_joined && (c == '-' || c == '\''))) {
            space = true;
        }
    }
    return out;
}

}  // namespace

// Hyphens and apostrophes join: "Demo-Tremblay" is searched as "demotremblay".
std::string normalise_name_query(std::string_view q) {
    return name_words(q, false);
}

std::string search_key(std::string_view given, std::string_view family, std::string_view preferred) {
    std::string out;
    // Each name joined ("demotremblay") and in its parts ("demo tremblay"), so a search for
    // either finds it.
    for (auto part : {family, given, preferred}) {
        const std::string joined = name_words(part, false), split = name_words(part, true);
        if (joined.empty()) continue;
        out += ' ';
        out += joined;
        if (split != joined) {
            out += ' ';
            out += split;
        }
    }
    if (!out.empty()) out += ' ';
    return out;  // " family given preferred ": every word has a space before and after
}

std::vector<std::string> name_query_words(std::string_view q) {
    return split_spaces(normalise_name_query(q));
}

int edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

bool names_close(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return false;
    if (a == b) return true;
    const std::size_t shorter = std::min(a.size(), b.size());
    const int allowed = allowed_distance(shorter);
    // A length difference above the allowance cannot be bridged: skip the table.
    const std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (gap > static_cast<std::size_t>(allowed)) return false;
    return edit_distance(a, b) <= allowed;
}

bool birth_dates_close(const Date& a, const Date& b) {
    const std::string x = digits_of(a), y = digits_of(b);
    if (x == y) return true;
    if (a.year == b.year && a.month == b.day && a.day == b.month) return true;
    int differing = 0;
    for (std::size_t i = 0; i < x.size(); ++i) differing += x[i] != y[i];
    return differing == 1;
}

std::vector<std::string> close_birth_dates(const Date& d) {
    std::vector<std::string> out = {d.iso()};
    if (d.month != d.day) {
        if (auto s = parse_date(std::to_string(d.year) + "-" + (d.day < 10 ? "0" : "") + std::to_string(d.day) + "-" +
                                (d.month < 10 ? "0" : "") + std::to_string(d.month)))
            out.push_back(s->iso());
    }
    const std::string digits = digits_of(d);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        for (char c = '0'; c <= '9'; ++c) {
            if (c == digits[i]) continue;
            std::string v = digits;
            v[i] = c;
            if (auto s = date_of_digits(v)) out.push_back(s->iso());
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

NameAndBirth name_and_birth(const Person& p) {
    return {name_key(p.given_name), name_key(p.family_name), p.date_of_birth};
}

bool probable_duplicate(const NameAndBirth& a, const NameAndBirth& b) {
    if (!birth_dates_close(a.date_of_birth, b.date_of_birth)) return false;
    if (names_close(a.family_key, b.family_key) && names_close(a.given_key, b.given_key)) return true;
    return names_close(a.family_key, b.given_key) && names_close(a.given_key, b.family_key);
}

}  // namespace arrimage::domain
