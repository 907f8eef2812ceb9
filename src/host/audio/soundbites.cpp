#include "host/audio/soundbites.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/dsp/frame_constants.hpp"
#include "host/error.hpp"

namespace earshot::audio {

double rms_dbfs(std::span<const int16_t> samples) {
    if (samples.empty()) return -std::numeric_limits<double>::infinity();
    double sum = 0.0;
    for (int16_t s : samples) sum += static_cast<double>(s) * s;
    const double rms = std::sqrt(sum / static_cast<double>(samples.size())) / 32768.0;
    return rms > 0.0 ? 20.0 * std::log10(rms) : -std::numeric_limits<double>::infinity();
}

namespace {

bool is_silent(std::span<const int16_t> bite, const SoundbiteOptions& options) {
    switch (options.silence) {
        case SilenceRule::all_zero: return std::all_of(bite.begin(), bite.end(), [](int16_t s) { return s == 0; });
        case SilenceRule::rms_below: return rms_dbfs(bite) < options.rms_threshold_dbfs;
        case SilenceRule::keep_all: return false;
    }
    return false;
}

}  // namespace

std::vector<Soundbite> cut_soundbites(std::span<const int16_t> clip, const SoundbiteOptions& options) {
    if (options.hop == 0) throw Error("soundbite hop must be at least 1 sample");
    constexpr size_t kBite = dsp::kBiteSamples;
    std::vector<Soundbite> bites;
    auto add = [&](size_t offset) {
        Soundbite b;
        b.offset = offset;
        b.samples.assign(kBite, 0);
        const size_t n = std::min(kBite, clip.size() - offset);
        std::copy_n(clip.begin() + static_cast<std::ptrdiff_t>(offset), n, b.samples.begin());
        if (!is_silent(b.samples, options)) bites.push_back(std::move(b));
    };
    if (clip.size() <= kBite) {
        if (!clip.empty()) add(0);
        return bites;
    }
    for (size_t start = 0; start + kBite < clip.size(); start += options.hop) add(start);
    return bites;
}

}  // namespace earshot::audio
