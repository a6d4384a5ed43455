#pragma once
// Password hashing (argon2id through libsodium) and TOTP (RFC 6238 through liboath).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace arrimage {

struct PasswordHashCost {
    unsigned long long ops;
    std::size_t mem;
    static PasswordHashCost interactive();  // libsodium's interactive limits: production
    static PasswordHashCost minimum();      // libsodium's minimum: tests only
};

std::string hash_password(std::string_view password, const PasswordHashCost& cost);
bool verify_password(std::string_view password, const std::string& hash);

// A fresh 20-byte TOTP secret from `random_bytes`, base32-encoded (what authenticator apps take).
std::string totp_secret_base32(std::string_view random_bytes);
// The 30-second time step a 6-digit code is valid for within ±1 step of `now`, or nullopt.
std::optional<std::int64_t> totp_verify(const std::string& secret_base32, std::string_view code, TimePoint now);
// The current code (demo data and tests).
std::string totp_code(const std::string& secret_base32, TimePoint now);
std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret_base32);

}  // namespace arrimage
