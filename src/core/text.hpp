#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage {

std::string base64url(std::string_view raw);
// The bytes of base64url text without padding, or nullopt when it is not that.
std::optional<std::string> from_base64url(std::string_view text);
std::string hex(std::string_view raw);

// BLAKE2b-256 of `data`, hex-encoded: used to store session and single-use tokens so a
// database leak does not hand out live credentials.
std::string hash_token(std::string_view data);
// Keyed BLAKE2b-256 (a MAC), hex-encoded.
std::string keyed_hash(std::string_view key, std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

bool valid_utf8(std::string_view s);
// Code points in `s` (UTF-8: bytes that do not continue a sequence).
std::size_t utf8_length(std::string_view s);
std::string trim(std::string_view s);
std::string ascii_lower(std::string_view s);
// The non-empty pieces of `s` between single spaces.
std::vector<std::string> split_spaces(std::string_view s);
// The non-empty pieces of `s` between the separators ("a,,b" on ',' gives a and b).
std::vector<std::string> split_on(std::string_view s, char sep);
// Percent-decoding for URLs and application/x-www-form-urlencoded ('+' is a space when
// `plus_is_space`). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);
// The code points of `s`, which must be valid UTF-8.
std::u32string code_points(std::string_view s);
// Bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): they
// reorder what follows them on screen, so a name holding one can pass for another.
bool is_bidi_control(char32_t c);
// Characters that show nothing on their own: white space (ASCII and Unicode), zero-width and
// other format characters (U+00AD, U+034F, U+115F, U+1160, U+180E, U+200B–U+200F,
// U+2028–U+202F, U+205F–U+206F, U+3164, U+FE00–U+FE0F, U+FEFF, U+FFA0) and bidi controls.
bool is_invisible(char32_t c);
// What is wrong with `name` (valid UTF-8, trimmed) as a person's or an organisation's name,
// as a catalogue key: "field.bidi_control" when it holds a bidirectional control,
// "field.no_visible_letter" when no character of it is a letter one can see (only
// punctuation, digits, spaces or invisible characters); nullopt when it is fine. A letter is
// an ASCII letter or any character from U+00C0 up that is not invisible, a combining mark,
// punctuation or a symbol of the Latin-1, General Punctuation and related blocks.
std::optional<std::string_view> name_problem(std::string_view name);
// A target this site may redirect to (after sign-in, a language switch, a form): an absolute
// path of this site. As sent, only printable ASCII without spaces or backslashes; after
// percent-decoding, still a path (a single leading '/', then no '/' or '\\' that would make
// it "//host"), with no control character, whitespace or backslash, and valid UTF-8.
bool is_local_redirect(std::string_view target);

// A pragmatic check: one '@', a dot in the domain, no spaces or control characters, ≤ 254.
bool plausible_email(std::string_view s);

}  // namespace arrimage
