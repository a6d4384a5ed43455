#include "core/random.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/text.hpp"

namespace arrimage {

std::string Random::token(std::size_t bytes) {
    std::string raw(bytes, '\0');
    fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
    return base64url(raw);
}

std::uint32_t Random::uniform(std::uint32_t upper_bound) {
    if (upper_bound < 2) return 0;
    const std::uint32_t limit = UINT32_MAX - (UINT32_MAX % upper_bound);
    for (;;) {
        std::uint32_t v = 0;
        fill(reinterpret_cast<unsigned char*>(&v), sizeof v);
        if (v < limit) return v % upper_bound;
    }
}

SodiumRandom::SodiumRandom() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SodiumRandom::fill(unsigned char* out, std::size_t n) {
    randombytes_buf(out, n);
}

void SeededRandom::fill(unsigned char* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        // splitmix64
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        out[i] = static_cast<unsigned char>(z ^ (z >> 31));
    }
}

}  // namespace arrimage
