// Real-world conditions for training a detector that must work on microphones and rooms it has
// never heard: mixing at a chosen SNR, level changes, room reverberation, the frequency
// response of a cheap MEMS microphone, and clipping. Float samples at 16 kHz in int16 units;
// every function draws only from the Rng it is given, so a seed reproduces the whole set.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "host/train/rng.hpp"

namespace earshot::audio {

double mean_power(std::span<const float> x);

// target + other scaled so that power(target) / power(other) is `snr_db` (other silent: target alone).
std::vector<float> mix_at_snr(std::span<const float> target, std::span<const float> other, double snr_db);

// A room: a Schroeder reverberator (4 feedback combs, 2 allpasses) with a random decay
// (RT60 0.15-0.9 s) and wet/dry mix, so alarms arrive smeared as they do across a house.
void add_room(std::vector<float>& x, train::Rng& rng);

// A cheap microphone: a high-pass (80-400 Hz), a presence peak (+2..+9 dB at 2-6 kHz) and a
// low-pass (3.5-7.5 kHz), each drawn at random (RBJ biquads).
void apply_microphone(std::vector<float>& x, train::Rng& rng);

// The last length * ratio samples of x played `ratio` times as fast (ratio in (0, 1]: slower
// and lower by log2(1 / ratio) octaves) as `length` samples, linearly interpolated.
std::vector<float> played_slower(std::span<const int16_t> x, size_t length, double ratio);

// Scales so the peak is `peak` (int16 units), then clips at +-32767: an overdriven input.
void clip_at(std::vector<float>& x, double overdrive);

// Gain by db, then rounded and saturated to int16.
std::vector<int16_t> to_int16(std::span<const float> x, double gain_db = 0.0);

}  // namespace earshot::audio
