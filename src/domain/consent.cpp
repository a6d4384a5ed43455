#include "domain/consent.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<Category> category_names[] = {
    {Category::identity_contact, "identity_contact"},
    {Category::health, "health"},
    {Category::education, "education"},
    {Category::assessments_reports, "assessments_reports"},
    {Category::plan, "plan"},
    {Category::case_notes, "case_notes"},
    {Category::safety_risk, "safety_risk"},
    {Category::access_log, "access_log"},
    {Category::privacy_registers, "privacy_registers"},
};
constexpr Named<Purpose> purpose_names[] = {
    {Purpose::coordination, "coordination"},
    {Purpose::referral, "referral"},
    {Purpose::reporting, "reporting"},
    {Purpose::oversight, "oversight"},
};
constexpr Named<DirectiveEffect> effect_names[] = {
    {DirectiveEffect::permit, "permit"},
    {DirectiveEffect::deny, "deny"},
};
constexpr Named<GivenBy> given_by_names[] = {
    {GivenBy::child_youth, "child_youth"},
    {GivenBy::substitute_decision_maker, "substitute_decision_maker"},
};
constexpr Named<ConsentMethod> method_names[] = {
    {ConsentMethod::written, "written"},
    {ConsentMethod::verbal, "verbal"},
    {ConsentMethod::electronic, "electronic"},
};

// Trimmed text, valid UTF-8 without control characters, at most `max` characters.
void required_text(std::vector<FieldError>& errors, const char* field, std::string_view raw, std::size_t max, std::string& out) {
    out = trim(raw);
    if (!valid_utf8(out) || std::any_of(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        errors.push_back({field, "field.invalid_text", {}});
    else if (out.empty())
        errors.push_back({field, "field.required", {}});
    else if (utf8_length(out) > max)
        errors.push_back({field, "field.too_long", {std::to_string(max)}});
}

// A date (midnight UTC; `end_of_day` moves it to the following midnight) or an exact timestamp.
std::optional<TimePoint> parse_moment(std::string_view s, bool end_of_day) {
    if (auto t = parse_iso(s)) return t;
    if (auto d = parse_date(s)) {
        const std::chrono::sys_days day{std::chrono::year{d->year} / std::chrono::month{d->month} / std::chrono::day{d->day}};
        return TimePoint(day) + (end_of_day ? std::chrono::days(1) : std::chrono::days(0));
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_positive(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 18) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

bool known(std::span<const std::int64_t> ids, std::int64_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// [a_start, a_end) and [b_start, b_end) intersect; an empty end is open.
bool periods_overlap(TimePoint a_start, std::optional<TimePoint> a_end, TimePoint b_start, std::optional<TimePoint> b_end) {
    return (!b_end || a_start < *b_end) && (!a_end || b_start < *a_end);
}

bool scopes_overlap(const ConsentDirective& a, const ConsentDirective& b) {
    if (!a.categories.intersects(b.categories) || !a.purposes.intersects(b.purposes)) return false;
    return std::any_of(a.organisations.begin(), a.organisations.end(), [&](std::int64_t o) { return b.names(o); });
}

}  // namespace

const std::vector<Category>& all_categories() {
    static const std::vector<Category> v = [] {
        std::vector<Category> out;
        for (const auto& n : category_names) out.push_back(n.value);
        return out;
    }();
    return v;
}
const std::vector<Category>& consentable_categories() {
    static const std::vector<Category> v = [] {
        std::vector<Category> out;
        for (const auto& n : category_names)
            if (consentable(n.value)) out.push_back(n.value);
        return out;
    }();
    return v;
}
const std::vector<Purpose>& all_purposes() {
    static const std::vector<Purpose> v = {Purpose::coordination, Purpose::referral, Purpose::reporting, Purpose::oversight};
    return v;
}
const std::vector<Purpose>& consentable_purposes() {
    static const std::vector<Purpose> v = {Purpose::coordination, Purpose::referral, Purpose::reporting};
    return v;
}

std::string_view code(Category c) {
    return code_of(category_names, c);
}
std::string_view code(Purpose p) {
    return code_of(purpose_names, p);
}
std::string_view code(DirectiveEffect e) {
    return code_of(effect_names, e);
}
std::string_view code(GivenBy g) {
    return code_of(given_by_names, g);
}
std::string_view code(ConsentMethod m) {
    return code_of(method_names, m);
}
std::optional<Category> parse_category(std::string_view s) {
    return parse_of(category_names, s);
}
std::optional<Purpose> parse_purpose(std::string_view s) {
    return parse_of(purpose_names, s);
}
std::optional<DirectiveEffect> parse_directive_effect(std::string_view s) {
    return parse_of(effect_names, s);
}
std::optional<GivenBy> parse_given_by(std::string_view s) {
    return parse_of(given_by_names, s);
}
std::optional<ConsentMethod> parse_consent_method(std::string_view s) {
    return parse_of(method_names, s);
}

bool ConsentDirective::names(std::int64_t organisation_id) const {
    // Scopes name a handful of organisations: a linear scan beats a binary search here.
    for (std::int64_t o : organisations)
        if (o == organisation_id) return true;
    return false;
}

std::optional<TimePoint> ConsentDirective::ends_at() const {
    if (expires_at && withdrawn_at) return std::min(*expires_at, *withdrawn_at);
    return expires_at ? expires_at : withdrawn_at;
}

std::vector<FieldError> validate(const ConsentForm& in, const ConsentContext& ctx, ConsentDirective& out) {
    std::vector<FieldError> e;
    out = ConsentDirective{};

    if (auto v = parse_directive_effect(trim(in.effect)))
        out.effect = *v;
    else
        e.push_back({"effect", "field.choose_one", {}});

    // Scope: every value must be known; duplicates are ignored.
    bool scope_ok = true;
    for (const auto& raw : in.organisations) {
        const std::string s = trim(raw);
        auto id = parse_positive(s);
        if (!id || !known(ctx.known_organisations, *id)) {
            e.push_back({"organisations", "consent.unknown_organisation", {s}});
            scope_ok = false;
            break;
        }
        if (!out.names(*id)) out.organisations.push_back(*id);
    }
    if (in.organisations.empty()) {
        e.push_back({"organisations", "field.choose_at_least_one", {}});
        scope_ok = false;
    }
    std::sort(out.organisations.begin(), out.organisations.end());
    for (const auto& raw : in.categories) {
        const std::string s = trim(raw);
        auto c = parse_category(s);
        if (!c || !consentable(*c)) {
            e.push_back({"categories", "consent.unknown_category", {s}});
            scope_ok = false;
            break;
        }
        out.categories.insert(*c);
    }
    if (in.categories.empty()) {
        e.push_back({"categories", "field.choose_at_least_one", {}});
        scope_ok = false;
    }
    for (const auto& raw : in.purposes) {
        const std::string s = trim(raw);
        auto p = parse_purpose(s);
        if (!p || !consentable(*p)) {
            e.push_back({"purposes", "consent.unknown_purpose", {s}});
            scope_ok = false;
            break;
        }
        out.purposes.insert(*p);
    }
    if (in.purposes.empty()) {
        e.push_back({"purposes", "field.choose_at_least_one", {}});
        scope_ok = false;
    }

    // Who decides: a capable child or youth for themselves, otherwise the substitute decision-maker.
    const std::string capable = trim(in.subject_capable);
    const bool capable_known = capable == "yes" || capable == "no";
    if (!capable_known) e.push_back({"subject_capable", "field.choose_one", {}});
    if (auto g = parse_given_by(trim(in.given_by))) {
        out.given_by = *g;
        if (capable == "yes" && *g != GivenBy::child_youth)
            e.push_back({"given_by", "consent.capable_youth_decides", {}});
        else if (capable == "no" && *g != GivenBy::substitute_decision_maker)
            e.push_back({"given_by", "consent.substitute_decision_maker_required", {}});
    } else {
        e.push_back({"given_by", "field.choose_one", {}});
    }
    required_text(e, "given_by_name", in.given_by_name, 200, out.given_by_name);
    const bool sdm = parse_given_by(trim(in.given_by)) == GivenBy::substitute_decision_maker;
    if (sdm && std::none_of(e.begin(), e.end(), [](const FieldError& x) { return x.field == "given_by_name"; })) {
        if (ctx.substitute_decision_makers) {
            const auto& names = *ctx.substitute_decision_makers;
            if (names.empty())
                e.push_back({"given_by_name", "consent.no_substitute_decision_maker", {}});
            else if (std::find(names.begin(), names.end(), out.given_by_name) == names.end())
                e.push_back({"given_by_name", "consent.not_a_substitute_decision_maker", {}});
        }
    }
    if (auto m = parse_consent_method(trim(in.method))) {
        out.method = *m;
        if (*m == ConsentMethod::verbal) {
            std::vector<FieldError> w;
            required_text(w, "witness_name", in.witness_name, 200, out.witness_name);
            for (auto& x : w) {
                if (x.message_key == "field.required") x.message_key = "consent.witness_required";
                e.push_back(std::move(x));
            }
        }
    } else {
        e.push_back({"method", "field.choose_one", {}});
    }

    bool period_ok = false;
    const std::string given = trim(in.given_at);
    if (given.empty()) {
        e.push_back({"given_at", "field.required", {}});
    } else if (auto t = parse_moment(given, false)) {
        out.given_at = *t;
        if (*t > ctx.now)
            e.push_back({"given_at", "consent.given_in_future", {}});
        else
            period_ok = true;
    } else {
        e.push_back({"given_at", "consent.invalid_date", {}});
    }
    const std::string expires = trim(in.expires_at);
    if (!expires.empty()) {
        if (auto t = parse_moment(expires, true)) {
            out.expires_at = *t;
            if (period_ok && *t <= out.given_at) {
                e.push_back({"expires_at", "consent.expiry_before_start", {}});
                period_ok = false;
            }
        } else {
            e.push_back({"expires_at", "consent.invalid_date", {}});
            period_ok = false;
        }
    }

    // Against the file's other directives, once the new one is itself coherent.
    if (e.empty() && scope_ok && period_ok) {
        for (const auto& x : ctx.existing) {
            if (!periods_overlap(out.given_at, out.expires_at, x.given_at, x.ends_at())) continue;
            if (!scopes_overlap(out, x)) continue;
            if (x.effect == out.effect) {
                e.push_back({"organisations", "consent.overlaps_existing", {std::to_string(x.id)}});
                break;
            }
            if (out.effect == DirectiveEffect::permit) {  // an existing deny would void part of it
                e.push_back({"organisations", "consent.contradicts_existing", {std::to_string(x.id)}});
                break;
            }
        }
    }
    return e;
}

std::vector<FieldError> narrow(const NarrowForm& in, const ConsentDirective& old, GivenBy given_by, std::string given_by_name,
                               TimePoint now, ConsentDirective& out) {
    std::vector<FieldError> e;
    out = old;
    if (old.effect != DirectiveEffect::permit || !old.in_effect(now)) {
        e.push_back({"directive", "consent.narrow.not_in_effect", {}});
        return e;
    }
    CategorySet categories;
    for (const auto& raw : in.categories) {
        const auto c = parse_category(trim(raw));
        if (!c || !old.categories.contains(*c)) {
            e.push_back({"categories", "consent.narrow.not_named", {trim(raw)}});
            break;
        }
        categories.insert(*c);
    }
    std::vector<std::int64_t> organisations;
    for (const auto& raw : in.organisations) {
        const auto id = parse_positive(trim(raw));
        if (!id || !old.names(*id)) {
            e.push_back({"organisations", "consent.narrow.not_named", {trim(raw)}});
            break;
        }
        organisations.push_back(*id);
    }
    std::sort(organisations.begin(), organisations.end());
    organisations.erase(std::unique(organisations.begin(), organisations.end()), organisations.end());
    if (e.empty() && categories.empty()) e.push_back({"categories", "consent.narrow.keep_one", {}});
    if (e.empty() && organisations.empty()) e.push_back({"organisations", "consent.narrow.keep_one", {}});
    if (e.empty() && categories == old.categories && organisations == old.organisations)
        e.push_back({"categories", "consent.narrow.nothing_removed", {}});
    if (!e.empty()) return e;
    out.id = 0;
    out.version = old.version + 1;
    out.categories = categories;
    out.organisations = std::move(organisations);
    out.given_by = given_by;
    out.given_by_name = std::move(given_by_name);
    out.method = ConsentMethod::electronic;
    out.witness_name.clear();
    out.given_at = now;
    out.withdrawn_at.reset();
    return e;
}

std::vector<FieldError> validate(const LockboxForm& in, std::span<const std::int64_t> known_organisations,
                                 std::span<const LockboxEntry> existing, TimePoint now, LockboxEntry& out) {
    std::vector<FieldError> e;
    out = LockboxEntry{};
    out.created_at = now;
    const std::string org = trim(in.organisation_id);
    auto id = parse_positive(org);
    if (org.empty())
        e.push_back({"organisation_id", "field.choose_one", {}});
    else if (!id || !known(known_organisations, *id))
        e.push_back({"organisation_id", "consent.unknown_organisation", {org}});
    else
        out.organisation_id = *id;
    const std::string cat = trim(in.category);
    auto c = parse_category(cat);
    if (cat.empty())
        e.push_back({"category", "field.choose_one", {}});
    else if (!c || !consentable(*c))
        e.push_back({"category", "consent.unknown_category", {cat}});
    else
        out.category = *c;
    if (auto g = parse_given_by(trim(in.requested_by)))
        out.requested_by = *g;
    else
        e.push_back({"requested_by", "field.choose_one", {}});
    if (!trim(in.reason).empty()) required_text(e, "reason", in.reason, 500, out.reason);
    if (e.empty()) {
        for (const auto& x : existing) {
            if (x.in_effect(now) && x.organisation_id == out.organisation_id && x.category == out.category) {
                e.push_back({"category", "lockbox.already_withheld", {}});
                break;
            }
        }
    }
    return e;
}

std::vector<FieldError> validate_review_note(std::string_view raw, std::string& out) {
    std::vector<FieldError> e;
    required_text(e, "note", raw, 2000, out);
    return e;
}

bool may_break_glass(Role role) {
    return role == Role::coordinator || role == Role::provider_manager || role == Role::participant_staff;
}

Result<BreakGlassGrant> open_break_glass(std::int64_t user_id, std::int64_t organisation_id, Role role, std::string_view reason,
                                         std::string_view requested_minutes, const BreakGlassPolicy& policy, TimePoint now) {
    if (!may_break_glass(role)) return Error::forbidden();
    std::vector<FieldError> e;
    BreakGlassGrant g;
    g.user_id = user_id;
    g.organisation_id = organisation_id;
    g.granted_at = now;
    required_text(e, "reason", reason, 2000, g.reason);
    if (e.empty() && utf8_length(g.reason) < policy.min_reason_length)
        e.push_back({"reason", "break_glass.reason_too_short", {std::to_string(policy.min_reason_length)}});
    std::chrono::minutes duration = policy.default_duration;
    const std::string minutes = trim(requested_minutes);
    if (!minutes.empty()) {
        auto m = parse_positive(minutes);
        if (!m)
            e.push_back({"minutes", "break_glass.invalid_duration", {}});
        else if (*m > policy.max_duration.count())
            e.push_back({"minutes", "break_glass.duration_too_long", {std::to_string(policy.max_duration.count())}});
        else
            duration = std::chrono::minutes(*m);
    }
    if (!e.empty()) return Error::invalid(std::move(e));
    g.expires_at = now + duration;
    return g;
}

}  // namespace arrimage::domain
