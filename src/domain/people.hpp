#pragma once
// Children and youth, their family members and their file team: the vocabulary, the
// validation of what a coordinator types, and duplicate detection. Pure: no I/O; today's date
// is passed in.
//
// Duplicate detection ("tell your story once"): before a file is registered, existing files
// are compared on name and date of birth. Names are compared as keys: accents and case folded
// (domain::fold), everything but letters and digits dropped ("Léa-Marie" and "lea marie" are
// both "leamarie"). Two people probably are the same when
//   - their dates of birth are equal, or equal with day and month swapped, or differ in one
//     digit of YYYYMMDD (a typing slip), and
//   - their family names and given names are each within a small edit distance (optimal
//     string alignment: insert, delete, substitute or swap two neighbours), or the same with
//     given and family name swapped.
// The allowed distance is 2 for names of at least 5 letters, 1 for 3 or 4, 0 below (two
// short names two edits apart are different names: "Léo" and "Noé").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

// Who a family member is to the child or youth. Label keys: people.relationship.<code>.
enum class FamilyRelationship : std::uint8_t { parent, guardian, substitute_decision_maker, other_caregiver };
const std::vector<FamilyRelationship>& all_family_relationships();
std::string_view code(FamilyRelationship r);
std::optional<FamilyRelationship> parse_family_relationship(std::string_view s);

// A place on the file team. Label keys: people.team_kind.<code>.
enum class TeamKind : std::uint8_t { assigned_coordinator, team_member };
std::string_view code(TeamKind k);
std::optional<TeamKind> parse_team_kind(std::string_view s);

// Roles that may use the registry at all: privacy.hpp refuses system administrators and
// ministry analysts every file (steps 1 and 2), so they are not offered it.
bool may_use_registry(Role r);
// Roles that register a file when they work for a coordinating agency (privacy.hpp table B,
// profile "agency": create identity and contact on the referral_intake basis).
bool may_register(Role r);

// Children's and youth services end at 25: an older date of birth is a typing error.
inline constexpr int max_child_age_years = 25;

// The registration form as submitted (dates YYYY-MM-DD; capable_of_consent "yes" or "no").
struct PersonForm {
    std::string given_name, family_name, preferred_name, date_of_birth, preferred_language, official_language;
    std::string school, phone, email, address, postal_code, capable_of_consent;
};

struct Person {
    std::string given_name, family_name, preferred_name;
    Date date_of_birth;
    std::string preferred_language;     // free text ("Arabic", "ASL"...); empty if not said
    Lang official_language = Lang::en;  // the official language services are offered in
    std::string school;
    std::optional<std::string> phone, email;  // normalised
    std::string address, postal_code;
    bool capable_of_consent = false;
};

// Shared field checks (people, referrals). `text`: trimmed, valid UTF-8 without control
// characters, at most `max` characters, required or not. `phone_email`: fields
// <prefix>phone and <prefix>email, each optional and normalised when given.
void text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
          std::string& out);
// Multi-line text: as `text`, with line breaks kept (CR LF and CR become LF) and tabs allowed.
void long_text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
               std::string& out);
// What a family member writes to the team (a request for changes, a note): as `long_text`, and
// no markup ("<" followed by a letter, "/", "!" or "?"): "field.no_markup", since the family
// would otherwise see their words shown other than as they typed them.
void plain_long_text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max, bool required,
                     std::string& out);
void phone_email(std::vector<FieldError>& e, const std::string& prefix, std::string_view raw_phone, std::string_view raw_email,
                 std::optional<std::string>& phone, std::optional<std::string>& email);
// A date as YYYY-MM-DD: required or not ("field.required"), a real calendar day
// ("people.invalid_date"); `out` empty when none or not valid.
void date_field(std::vector<FieldError>& e, const std::string& field, std::string_view raw, bool required,
                std::optional<Date>& out);
// A whole number from `lo` to `hi`: required ("field.required"), else "field.number_between".
void whole_number(std::vector<FieldError>& e, const std::string& field, std::string_view raw, int lo, int hi, int& out);
// A choice from a list (parsed by `parse`): required ("field.required"), else
// "field.choose_from_list" for a value not in the list.
template <typename E>
void choice(std::vector<FieldError>& e, const std::string& field, std::string_view raw,
            std::optional<E> (*parse)(std::string_view), E& out) {
    const std::string s = trim(raw);
    if (s.empty())
        e.push_back({field, "field.required", {}});
    else if (auto v = parse(s))
        out = *v;
    else
        e.push_back({field, "field.choose_from_list", {}});
}

// Field errors (catalogue keys) or, when empty, `out` filled. Names required; date of birth a
// real date, not after `today`, at most max_child_age_years old; official language fr or en; phone,
// email and postal code well formed when given.
std::vector<FieldError> validate(const PersonForm& in, const Date& today, Person& out);

struct FamilyMemberForm {
    std::string given_name, family_name, relationship, is_substitute_decision_maker, phone, email, preferred_language;
};

struct FamilyMember {
    std::string given_name, family_name;
    FamilyRelationship relationship = FamilyRelationship::parent;
    bool is_substitute_decision_maker = false;
    std::optional<std::string> phone, email;
    std::string preferred_language;
};

// As above; field names get `prefix` ("contact_" gives "contact_given_name"). A family member
// needs a way to be reached: a phone number or an email. The relationship
// substitute_decision_maker implies is_substitute_decision_maker.
std::vector<FieldError> validate(const FamilyMemberForm& in, std::string_view prefix, FamilyMember& out);

// ---- duplicate detection

// Letters and digits of the folded name ("Léa-Marie O'Brien" → "leamarieobrien").
std::string name_key(std::string_view name);
// What the registry stores to search names: the folded words of all names, space-separated.
std::string search_key(std::string_view given, std::string_view family, std::string_view preferred);
// A search typed by a user, reduced to the same alphabet (letters, digits, single spaces).
std::string normalise_name_query(std::string_view q);
// Its words: each matches the start of a word of a search_key() (" " + word + "%").
std::vector<std::string> name_query_words(std::string_view q);

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring),
// on bytes.
int edit_distance(std::string_view a, std::string_view b);
// Within the allowed distance for names of this length (see the header comment).
bool names_close(std::string_view key_a, std::string_view key_b);

bool birth_dates_close(const Date& a, const Date& b);
// Every real date that birth_dates_close() accepts for `d`, including `d`, as YYYY-MM-DD
// (what the store looks up by index before comparing names).
std::vector<std::string> close_birth_dates(const Date& d);

struct NameAndBirth {
    std::string given_key, family_key;  // name_key() of each
    Date date_of_birth;
};
NameAndBirth name_and_birth(const Person& p);
bool probable_duplicate(const NameAndBirth& a, const NameAndBirth& b);

// Whole years between `dob` and `today` (negative when dob is after today).
int age_in_years(const Date& dob, const Date& today);

}  // namespace arrimage::domain
