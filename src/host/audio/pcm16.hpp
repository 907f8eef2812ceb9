// Conversions to the device's sample format: 16 kHz mono int16.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "host/audio/decode.hpp"

namespace earshot::audio {

// x * 32768 rounded to nearest (half away from zero), saturated to int16.
int16_t float_to_pcm16(float x);
std::vector<int16_t> to_pcm16(std::span<const float> samples);

// High-quality resampling (libsoxr, SOXR_HQ). Returns the input unchanged if the rates match.
std::vector<float> resample(std::span<const float> samples, int from_rate, int to_rate);

// Decode, downmix, resample to 16 kHz and convert to int16. A 16 kHz 16-bit file comes back
// bit for bit.
std::vector<int16_t> load_pcm16k(const std::filesystem::path& path, const DecodeLimits& limits = {});

}  // namespace earshot::audio
