// Cutting clips into 1 s soundbites and dropping the silent ones (reference step 1).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace earshot::audio {

enum class SilenceRule {
    all_zero,   // drop a bite only if every sample is exactly 0 (the reference's rule)
    rms_below,  // drop a bite whose RMS level is below rms_threshold_dbfs
    keep_all,
};

struct SoundbiteOptions {
    size_t hop = 4000;  // samples between bite starts (0.25 s at 16 kHz)
    SilenceRule silence = SilenceRule::all_zero;
    double rms_threshold_dbfs = -60.0;
};

struct Soundbite {
    size_t offset = 0;              // first sample within the clip
    std::vector<int16_t> samples;   // exactly kBiteSamples
};

// Bites start at 0, hop, 2 hop, ... while start + 16000 < clip length, as the reference's
// range(0, len - 16000, hop) does (so a 5 s clip gives 16 bites). A clip of at most 1 s
// gives one bite, zero-padded at the end.
std::vector<Soundbite> cut_soundbites(std::span<const int16_t> clip, const SoundbiteOptions& options = {});

// RMS level relative to full scale (32768); -inf for digital silence.
double rms_dbfs(std::span<const int16_t> samples);

}  // namespace earshot::audio
