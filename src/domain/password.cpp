#include "domain/password.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace arrimage::domain {

std::vector<FieldError> check_new_password(std::string_view password, std::string_view confirm, std::string_view email) {
    static constexpr std::array<std::string_view, 12> common = {"password1234", "123456789012", "qwertyuiop12", "motdepasse12",
                                                                "password123!", "azertyuiop12", "iloveyou1234", "000000000000",
                                                                "111111111111", "abcdefghijkl", "letmein12345", "welcome12345"};
    std::vector<FieldError> e;
    const std::size_t chars = utf8_length(password);
    if (!valid_utf8(password))
        e.push_back({"password", "field.invalid_text", {}});
    else if (chars < 12)
        e.push_back({"password", "password.too_short", {"12"}});
    else if (password.size() > 512)
        e.push_back({"password", "field.too_long", {"512"}});
    else if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }) ||
             std::find(common.begin(), common.end(), ascii_lower(password)) != common.end() ||
             (!email.empty() && ascii_lower(password) == ascii_lower(email)))
        e.push_back({"password", "password.too_common", {}});
    if (password != confirm) e.push_back({"password_confirm", "password.mismatch", {}});
    return e;
}

std::chrono::seconds sign_in_delay(std::int64_t failures, std::int64_t threshold, std::chrono::seconds cap) {
    if (failures < threshold) return std::chrono::seconds(0);
    const auto doublings = failures - threshold;
    if (doublings >= 30) return cap;
    return std::min(cap, std::chrono::seconds(std::int64_t{1} << doublings));
}

}  // namespace arrimage::domain
