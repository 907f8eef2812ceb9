// The trainer's random numbers: splitmix64, chosen because its whole state is one integer,
// so a checkpoint can store it and a resumed run draws exactly what an uninterrupted one would.
#pragma once
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace earshot::train {

struct Rng {
    uint64_t state = 0;

    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1) with 24 random bits (exact in float).
    float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
    // Uniform integer in [0, n).
    uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
    // Standard normal (Box-Muller).
    float normal() {
        const double u1 = (static_cast<double>(next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
        const double u2 = static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
        return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(below(i))]);
    }
};

}  // namespace earshot::train
