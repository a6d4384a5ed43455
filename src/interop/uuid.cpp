#include "interop/uuid.hpp"

#include <array>
#include <stdexcept>

namespace arrimage::interop {
namespace {

constexpr std::string_view arrimage_namespace = "5c1e3a52-7d0b-4f1e-9a3c-2b8e6f4d9a10";

std::uint32_t rol(std::uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string sha1(std::string_view data) {
    std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    std::string msg(data);
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8u;
    msg.push_back(static_cast<char>(0x80));
    while (msg.size() % 64 != 56) msg.push_back('\0');
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
    for (std::size_t off = 0; off < msg.size(); off += 64) {
        std::array<std::uint32_t, 80> w{};
        for (int i = 0; i < 16; ++i)
            for (int b = 0; b < 4; ++b) w[i] = (w[i] << 8) | static_cast<unsigned char>(msg[off + 4 * i + b]);
        for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            std::uint32_t f, k;
            if (i < 20)
                f = (b & c) | (~b & d), k = 0x5A827999u;
            else if (i < 40)
                f = b ^ c ^ d, k = 0x6ED9EBA1u;
            else if (i < 60)
                f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
            else
                f = b ^ c ^ d, k = 0xCA62C1D6u;
            const std::uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d, d = c, c = rol(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    std::string out;
    for (auto v : h)
        for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xFFu));
    return out;
}

bool valid_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (hex_value(s[i]) < 0) {
            return false;
        }
    }
    return true;
}

std::string uuid_v5(std::string_view ns, std::string_view name) {
    if (!valid_uuid(ns)) throw std::invalid_argument("uuid_v5: bad namespace");
    std::string input;
    for (std::size_t i = 0; i < ns.size(); ++i) {
        if (ns[i] == '-') continue;
        input.push_back(static_cast<char>(hex_value(ns[i]) * 16 + hex_value(ns[i + 1])));
        ++i;
    }
    input += name;
    std::string d = sha1(input).substr(0, 16);
    d[6] = static_cast<char>((static_cast<unsigned char>(d[6]) & 0x0Fu) | 0x50u);
    d[8] = static_cast<char>((static_cast<unsigned char>(d[8]) & 0x3Fu) | 0x80u);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        const auto b = static_cast<unsigned char>(d[i]);
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0x0F]);
    }
    return out;
}

std::string hsds_id(std::string_view kind, std::int64_t id) {
    return uuid_v5(arrimage_namespace, std::string(kind) + ":" + std::to_string(id));
}
std::string hsds_id(std::string_view kind, std::string_view key) {
    return uuid_v5(arrimage_namespace, std::string(kind) + ":" + std::string(key));
}

}  // namespace arrimage::interop
