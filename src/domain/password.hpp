#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace arrimage::domain {

// At least 12 characters, not all one character class-free repetition, not the email, and
// not one of the most common passwords. Field errors name "password" / "password_confirm".
std::vector<FieldError> check_new_password(std::string_view password, std::string_view confirm,
                                           std::string_view email);

}  // namespace arrimage::domain
