#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage {

std::string base64url(std::string_view raw);
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
// Percent-decoding for URLs and application/x-www-form-urlencoded ('+' is a space when
// `plus_is_space`). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);

// A pragmatic check: one '@', a dot in the domain, no spaces or control characters, ≤ 254.
bool plausible_email(std::string_view s);

}  // namespace arrimage
