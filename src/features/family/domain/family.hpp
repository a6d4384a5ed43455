#pragma once
// The family's own access (docs/FAMILY.md): the coordinator invites a family member or the youth
// to one file, by email or with a printed code; the invitation is single use and expires; the
// family member chooses a password and signs in to a family account (domain::Role::family, a
// principal of its own kind: domain/privacy.hpp decides what it reads, profile "family").
// Pure rules: validation of what the coordinator and the family type, and the invitation code.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "domain/consent.hpp"

namespace arrimage::domain {

// Who the account is to the file: a family member (domain::Relationship::family_of) or the
// youth themselves (Relationship::self). Label keys: family.relation.<code>.
enum class FamilyRelation : std::uint8_t { family_of, self };
std::string_view code(FamilyRelation r);
std::optional<FamilyRelation> parse_family_relation(std::string_view s);

// How the invitation reaches them. Label keys: family.delivery.<code>.
enum class InviteDelivery : std::uint8_t { email, print };
std::string_view code(InviteDelivery d);
std::optional<InviteDelivery> parse_invite_delivery(std::string_view s);

// An invitation is good for this long after it is made.
inline constexpr std::chrono::hours invitation_lifetime{24 * 14};

// The invitation form as submitted: `member` is a family member's id, or "self" for the youth.
struct InviteForm {
    std::string member, authority, delivery, email;
};
struct Invite {
    FamilyRelation relation = FamilyRelation::family_of;
    std::optional<std::int64_t> family_member_id;  // family_of
    bool authority = true;                         // family_of: may act for the child
    InviteDelivery delivery = InviteDelivery::print;
    std::string email;  // delivery email: lower-cased
};
// Field errors (catalogue keys) or, when empty, `out` filled. A family member must be chosen
// (or the youth); a family member's authority to act for the child is yes or no (required);
// delivery by email needs a well-formed address.
std::vector<FieldError> validate(const InviteForm& in, Invite& out);

// The code printed or sent: 12 characters of an alphabet without look-alikes (no 0, 1, I, L, O,
// U), shown in groups of four ("K7M3-Q9X2-HB4T"). `code_from_bytes` maps 12 random bytes to
// one; `normalise_code` reads what a family member types (case, spaces and dashes do not
// matter) and is nullopt when it cannot be a code.
inline constexpr std::size_t code_length = 12;
std::string code_from_bytes(std::span<const unsigned char> bytes);
std::optional<std::string> normalise_code(std::string_view typed);
std::string format_code(std::string_view code);
// The sign-in name printed with a code for a family without email: "fam-" and the first
// eight characters of another random code, lower case.
std::string sign_in_name_from_bytes(std::span<const unsigned char> bytes);

// Joining with a code: the code, the name the family member goes by, a password typed twice and
// the language they read.
struct JoinForm {
    std::string code, display_name, password, password_confirm, lang;
};
struct Join {
    std::string code;  // normalised
    std::string display_name;
    Lang lang = Lang::en;
};
// Field errors or, when empty, `out` filled (the password is checked with `login`, the sign-in
// name, by check_new_password; the caller hashes it).
std::vector<FieldError> validate(const JoinForm& in, std::string_view login, Join& out);
// The code alone (before the invitation is looked up): "code" errors.
std::vector<FieldError> validate_code(std::string_view typed, std::string& out);

// What a capable youth may keep from a family member with access to their file (the rest of
// what the family profile reads, identity and contact and who accessed the file, stays shared:
// the family member would otherwise not know whose file it is or who saw it).
const std::vector<Category>& withholdable_from_family();
bool withholdable_from_family(Category c);
// The sharing form: the categories ticked to withhold (codes). Field error "categories" for a
// code that is not one of withholdable_from_family().
std::vector<FieldError> validate_withheld(std::span<const std::string> codes, CategorySet& out);

}  // namespace arrimage::domain
