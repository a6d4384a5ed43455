#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace arrimage::domain {

// At least 12 characters, not all one character class-free repetition, not the email, and
// not one of the most common passwords. Field errors name "password" / "password_confirm".
std::vector<FieldError> check_new_password(std::string_view password, std::string_view confirm, std::string_view email);

// The wait a sign-in to an account must respect after its latest failure, when `failures`
// failures (from any address) fall within the throttle window: none below `threshold`, then
// 1 s, 2 s, 4 s... doubling with each further failure, at most `cap`. A growing delay rather
// than a lock: wrong passwords from others slow an account down, they never shut its owner
// out (docs/SECURITY.md).
std::chrono::seconds sign_in_delay(std::int64_t failures, std::int64_t threshold, std::chrono::seconds cap);

}  // namespace arrimage::domain
