#pragma once
#include <cstdint>
#include <string>

namespace arrimage {

// Injected source of randomness: tokens, salts, ids. Production uses libsodium.
class Random {
  public:
    virtual ~Random() = default;
    virtual void fill(unsigned char* out, std::size_t n) = 0;

    // URL-safe base64 of `bytes` random bytes (no padding).
    std::string token(std::size_t bytes = 32);
    std::uint32_t uniform(std::uint32_t upper_bound);
};

class SodiumRandom final : public Random {
  public:
    SodiumRandom();
    void fill(unsigned char* out, std::size_t n) override;
};

// Deterministic stream for tests and demo data (not for secrets).
class SeededRandom final : public Random {
  public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    void fill(unsigned char* out, std::size_t n) override;

  private:
    std::uint64_t state_;
};

}  // namespace arrimage
