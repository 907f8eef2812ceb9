// Seeded soundbite augmentation (reference step 4) and class balancing. Every function draws
// only from the Rng it is given, so a seed reproduces the whole augmented set.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "host/train/rng.hpp"

namespace earshot::audio {

using Bite = std::vector<int16_t>;

// x + uniform(-a, a) noise with a = U[0, max_amplitude) of full scale, clipped (the reference).
Bite with_white_noise(std::span<const int16_t> x, train::Rng& rng, double max_amplitude = 0.2);
// Each sample zeroed independently with probability p (the reference's "random silence").
Bite with_random_silence(std::span<const int16_t> x, train::Rng& rng, double p = 0.2);
// One contiguous gap of up to max_seconds zeroed at a random place (dropouts, not sparkle).
Bite with_silence_gap(std::span<const int16_t> x, train::Rng& rng, double max_seconds = 0.3);
// positive + background x U[0, 1), clipped (the reference's mixing).
Bite mixed(std::span<const int16_t> positive, std::span<const int16_t> background, train::Rng& rng);
// A random gain of up to +-max_db, clipped.
Bite with_gain(std::span<const int16_t> x, train::Rng& rng, double max_db = 6.0);
// Shifted by up to +-max_seconds, zero-filled (no wrap-around).
Bite time_shifted(std::span<const int16_t> x, train::Rng& rng, double max_seconds = 0.25);

enum class Technique { white_noise, random_silence, silence_gap, mix, gain, time_shift };

struct BalanceOptions {
    // Techniques used in turn. The reference: white noise, random silence, mixing.
    std::vector<Technique> techniques{Technique::white_noise, Technique::random_silence, Technique::mix};
    // Positives wanted per background bite: 1.0 = the reference's balance, where each technique
    // adds (#background - #positive) / 3 samples.
    double target_ratio = 1.0;
};

// New positive bites (augmented copies of random positives) so that positives reach
// target_ratio x backgrounds; nothing when they already do.
std::vector<Bite> balance_positives(const std::vector<Bite>& positives, const std::vector<Bite>& backgrounds, const BalanceOptions& options,
                                    train::Rng& rng);

}  // namespace earshot::audio
