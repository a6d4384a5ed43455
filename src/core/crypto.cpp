#include "core/crypto.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"

namespace arrimage {

PasswordHashCost PasswordHashCost::interactive() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordHashCost PasswordHashCost::minimum() {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string hash_password(std::string_view password, const PasswordHashCost& cost) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("argon2id hashing failed (out of memory)");
    return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

static void oath_once() {
    static std::once_flag flag;
    std::call_once(flag, [] { oath_init(); });
}

std::string totp_secret_base32(std::string_view random_bytes) {
    oath_once();
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_encode(random_bytes.data(), random_bytes.size(), &out, &len) != OATH_OK)
        throw std::runtime_error("base32 encoding failed");
    std::string s(out, len);
    free(out);
    while (!s.empty() && s.back() == '=') s.pop_back();
    return s;
}

static std::string decode_secret(const std::string& b32) {
    oath_once();
    std::string padded = b32;
    while (padded.size() % 8) padded.push_back('=');
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_decode(padded.c_str(), padded.size(), &out, &len) != OATH_OK) return {};
    std::string s(out, len);
    free(out);
    return s;
}

std::optional<std::int64_t> totp_verify(const std::string& secret_base32, std::string_view code, TimePoint now) {
    std::string digits;
    for (char c : code)
        if (c != ' ') digits.push_back(c);
    if (digits.size() != 6) return std::nullopt;
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    const std::string secret = decode_secret(secret_base32);
    if (secret.empty()) return std::nullopt;
    const auto t = static_cast<time_t>(unix_seconds(now));
    int offset = 0;
    const int rc = oath_totp_validate2(secret.data(), secret.size(), t, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                                       OATH_TOTP_DEFAULT_START_TIME, 1, &offset, digits.c_str());
    if (rc < 0) return std::nullopt;
    return t / OATH_TOTP_DEFAULT_TIME_STEP_SIZE + offset;
}

std::string totp_code(const std::string& secret_base32, TimePoint now) {
    const std::string secret = decode_secret(secret_base32);
    char out[7] = {};
    if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(unix_seconds(now)), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                           OATH_TOTP_DEFAULT_START_TIME, 6, out) != OATH_OK)
        throw std::runtime_error("TOTP generation failed");
    return out;
}

std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret_base32) {
    return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + secret_base32 +
           "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace arrimage
