#pragma once
// What a family consents to, what it withholds, and break-the-glass: the inputs of the policy
// decision point (domain/privacy.hpp). Pure: no I/O, time is passed in.
//
// A consent directive says who gave it (the capable child or youth; otherwise the substitute
// decision-maker), how and when, and its scope: which organisations, which information
// categories, for which purposes, until when. A directive is `permit` or `deny`; a deny
// overrides any permit it overlaps. Directives are never edited: an amendment is a new
// version, a withdrawal sets `withdrawn_at` and takes effect on the next request (nothing
// caches a decision).
//
// A lockbox entry withholds one category from one named organisation: its staff see that
// something was withheld, never what. A break-the-glass grant lets one user read a file for a
// short time when there is an urgent risk of harm; the reason is mandatory and every access
// that needed it is flagged in the audit for the privacy officer.
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

// Information categories. The first seven are what a family consents to and can lockbox;
// `access_log` (who accessed the file) and `privacy_registers` (the privacy office's records:
// a family's access and correction requests, the breach register) are never consentable:
// only the privacy officer reads them, under the oversight purpose.
enum class Category : std::uint8_t {
    identity_contact,
    health,
    education,
    assessments_reports,
    plan,
    case_notes,
    safety_risk,
    access_log,
    privacy_registers,
};
inline constexpr int category_count = 9;

// Why information is used. The first three are consentable; `oversight` is the privacy
// officer's statutory accountability work and rests on no consent.
enum class Purpose : std::uint8_t { coordination, referral, reporting, oversight };
inline constexpr int purpose_count = 4;

enum class DirectiveEffect : std::uint8_t { permit, deny };
enum class GivenBy : std::uint8_t { child_youth, substitute_decision_maker };
enum class ConsentMethod : std::uint8_t { written, verbal, electronic };

// A small set of enum values as a bit mask (categories and purposes of a scope).
template <typename E>
class EnumSet {
  public:
    constexpr EnumSet() = default;
    constexpr EnumSet(std::initializer_list<E> values) {
        for (E v : values) insert(v);
    }
    constexpr void insert(E v) { bits_ |= bit(v); }
    constexpr bool contains(E v) const { return (bits_ & bit(v)) != 0; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr bool intersects(EnumSet o) const { return (bits_ & o.bits_) != 0; }
    constexpr std::uint32_t bits() const { return bits_; }
    friend constexpr bool operator==(EnumSet, EnumSet) = default;

  private:
    static constexpr std::uint32_t bit(E v) { return 1u << static_cast<unsigned>(v); }
    std::uint32_t bits_ = 0;
};
using CategorySet = EnumSet<Category>;
using PurposeSet = EnumSet<Purpose>;

// Stable codes (stored, used in forms); their labels are the catalogue keys
// privacy.category.<code>, privacy.purpose.<code>, privacy.method.<code> and
// privacy.given_by.<code> (one namespace, so they cannot collide with other features').
const std::vector<Category>& all_categories();
const std::vector<Category>& consentable_categories();
const std::vector<Purpose>& all_purposes();
const std::vector<Purpose>& consentable_purposes();
constexpr bool consentable(Category c) {
    return c != Category::access_log && c != Category::privacy_registers;
}
constexpr bool consentable(Purpose p) {
    return p != Purpose::oversight;
}
std::string_view code(Category c);
std::string_view code(Purpose p);
std::string_view code(DirectiveEffect e);
std::string_view code(GivenBy g);
std::string_view code(ConsentMethod m);
std::optional<Category> parse_category(std::string_view s);
std::optional<Purpose> parse_purpose(std::string_view s);
std::optional<DirectiveEffect> parse_directive_effect(std::string_view s);
std::optional<GivenBy> parse_given_by(std::string_view s);
std::optional<ConsentMethod> parse_consent_method(std::string_view s);

struct ConsentDirective {
    std::int64_t id = 0;
    int version = 1;
    DirectiveEffect effect = DirectiveEffect::permit;
    std::vector<std::int64_t> organisations;  // sorted, distinct
    CategorySet categories;
    PurposeSet purposes;
    GivenBy given_by = GivenBy::substitute_decision_maker;
    std::string given_by_name;
    ConsentMethod method = ConsentMethod::written;
    std::string witness_name;  // who witnessed verbal consent (empty for the other methods)
    TimePoint given_at{};      // also when it takes effect
    std::optional<TimePoint> expires_at;
    std::optional<TimePoint> withdrawn_at;

    // In effect at `now`: given, not expired, not withdrawn (each bound is exclusive at its end).
    bool in_effect(TimePoint now) const {
        return given_at <= now && (!expires_at || now < *expires_at) && (!withdrawn_at || now < *withdrawn_at);
    }
    bool names(std::int64_t organisation_id) const;
    bool covers(std::int64_t organisation_id, Category c, Purpose p) const {
        return categories.contains(c) && purposes.contains(p) && names(organisation_id);
    }
    // When it stops having effect (expiry or withdrawal, whichever is first), if ever.
    std::optional<TimePoint> ends_at() const;
};

struct LockboxEntry {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;  // who is kept out
    Category category = Category::health;
    GivenBy requested_by = GivenBy::substitute_decision_maker;
    TimePoint created_at{};
    std::optional<TimePoint> revoked_at;
    std::string reason;  // optional, as the family gave it

    bool in_effect(TimePoint now) const { return created_at <= now && (!revoked_at || now < *revoked_at); }
};

struct BreakGlassGrant {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
    std::string reason;
    TimePoint granted_at{};
    TimePoint expires_at{};

    bool in_effect(TimePoint now) const { return granted_at <= now && now < expires_at; }
};

// ---- validation of what a family's coordinator types

// The consent form as submitted. Dates are YYYY-MM-DD (UTC; an expiry date is the last day of
// effect, so the directive ends at the following midnight) or full timestamps
// (2026-11-23T08:07:14Z, exact).
struct ConsentForm {
    std::string effect;  // permit | deny
    std::vector<std::string> organisations;
    std::vector<std::string> categories;
    std::vector<std::string> purposes;
    std::string subject_capable;  // yes | no: is the child or youth capable of deciding?
    std::string given_by;         // child_youth | substitute_decision_maker
    std::string given_by_name;
    std::string method;
    std::string witness_name;  // required for verbal consent, ignored otherwise
    std::string given_at;
    std::string expires_at;  // empty: until withdrawn
};

// What the form is checked against: the organisations that exist (and are active), the file's
// existing directives (an amendment leaves out the directive it replaces) and the time.
struct ConsentContext {
    std::span<const std::int64_t> known_organisations;
    std::span<const ConsentDirective> existing;
    TimePoint now{};
    // The names of the file's family members flagged substitute decision-maker. When given,
    // consent from a substitute decision-maker must name one of them (none: refused).
    std::optional<std::span<const std::string>> substitute_decision_makers;
};

// Field errors (catalogue keys) or, when empty, `out` filled (id 0, version 1). Besides
// required fields: unknown organisations, categories or purposes; an expiry at or before the
// start; consent given in the future; a capable youth's consent given by someone else or an
// incapable one's by the youth; a permit that overlaps an existing permit (amend it instead)
// or that an existing deny would void (contradictory); a deny that overlaps an existing deny.
// A deny overlapping a permit is allowed: that is how a family carves an exception out of a
// broad consent. Verbal consent needs the name of its witness; a substitute decision-maker
// must be one of `ctx.substitute_decision_makers` when that list is given.
std::vector<FieldError> validate(const ConsentForm& in, const ConsentContext& ctx, ConsentDirective& out);

struct LockboxForm {
    std::string organisation_id;
    std::string category;
    std::string requested_by;
    std::string reason;  // optional, at most 500 characters
};
std::vector<FieldError> validate(const LockboxForm& in, std::span<const std::int64_t> known_organisations,
                                 std::span<const LockboxEntry> existing, TimePoint now, LockboxEntry& out);

// Narrowing a permit directive in effect (the family's own consent page, features/family): the
// kinds of information and organisations it keeps, a part of what `old` names. The result is the
// old directive with only those kept, given electronically by `given_by` / `given_by_name` at
// `now` (its expiry unchanged), to be recorded as its next version. Field errors: "categories"
// and "organisations" (none kept, or one the directive does not name), "categories"
// ("consent.narrow.nothing_removed") when everything is kept, "directive" when `old` is a deny
// directive or no longer in effect.
struct NarrowForm {
    std::vector<std::string> categories, organisations;
};
std::vector<FieldError> narrow(const NarrowForm& in, const ConsentDirective& old, GivenBy given_by, std::string given_by_name,
                               TimePoint now, ConsentDirective& out);

// Break-the-glass: how long a grant lasts when none is asked, and the longest allowed.
struct BreakGlassPolicy {
    std::chrono::minutes default_duration{60};
    std::chrono::minutes max_duration{240};
    std::size_t min_reason_length = 10;  // characters, after trimming
};

// Roles that may break the glass: those who deliver or coordinate care. Administrators,
// privacy officers and ministry analysts never may.
bool may_break_glass(Role role);

// The privacy officer's note when marking a break-the-glass grant reviewed: required, at most
// 2000 characters. Field errors on "note", or `out` set to the trimmed note.
std::vector<FieldError> validate_review_note(std::string_view raw, std::string& out);

// A grant for `user_id` acting in `organisation_id` as `role`, from `now`. `requested_minutes`
// empty means the policy's default. Forbidden for other roles; Invalid (field errors on
// "reason" and "minutes") when the reason is missing or too short, or the duration is not a
// number or exceeds the maximum.
Result<BreakGlassGrant> open_break_glass(std::int64_t user_id, std::int64_t organisation_id, Role role, std::string_view reason,
                                         std::string_view requested_minutes, const BreakGlassPolicy& policy, TimePoint now);

}  // namespace arrimage::domain
