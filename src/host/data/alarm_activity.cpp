#include "host/data/alarm_activity.hpp"

#include <algorithm>

namespace earshot::data {
namespace {

constexpr int32_t kUnitsPerDb = 64 * 100 / 301;  // 64 units per bit of power, 3.01 dB per bit: ~21 units per dB
constexpr int32_t kProminence = 9 * kUnitsPerDb;
constexpr int32_t kBelowLoudest = 25 * kUnitsPerDb;

}  // namespace

std::vector<uint8_t> alarm_activity(const std::vector<int16_t>& columns, const dsp::LogBandLayout& l) {
    const size_t blocks = columns.size() / static_cast<size_t>(l.bands);
    std::vector<uint8_t> active(blocks, 0);
    if (blocks == 0 || l.bands < 5) return active;
    // Per-bin level: a band's energy less 64 * log2(its width), so wider bands do not stand out.
    std::vector<int32_t> width_units(static_cast<size_t>(l.bands));
    for (int32_t b = 0; b < l.bands; ++b) width_units[static_cast<size_t>(b)] = dsp::log2_q6(static_cast<uint64_t>(l.edges[b + 1] - l.edges[b]));
    const auto level = [&](size_t c, int32_t b) {
        return static_cast<int32_t>(columns[c * static_cast<size_t>(l.bands) + static_cast<size_t>(b)]) - width_units[static_cast<size_t>(b)];
    };
    const auto prominence = [&](size_t c, int32_t b) { return level(c, b) - (level(c, b - 2) + level(c, b + 2)) / 2; };
    // Candidate bands: centre between 400 Hz and 6 kHz (bins of 62.5 Hz), two bands of room each side.
    int32_t best = -1, best_score = 0;
    std::vector<int32_t> p(blocks);
    for (int32_t b = 2; b + 2 < l.bands; ++b) {
        const int32_t centre = (l.edges[b] + l.edges[b + 1]) / 2;
        if (centre * 625 < 4000 || centre * 625 > 60000) continue;
        for (size_t c = 0; c < blocks; ++c) p[c] = prominence(c, b);
        std::nth_element(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(blocks * 9 / 10), p.end());
        const int32_t score = p[blocks * 9 / 10];
        if (best < 0 || score > best_score) best = b, best_score = score;
    }
    if (best < 0) return active;
    int32_t loudest = 0;
    for (size_t c = 0; c < blocks; ++c) loudest = std::max(loudest, level(c, best));
    for (size_t c = 0; c < blocks; ++c) {
        bool tone = false;
        for (int32_t b = std::max(2, best - 1); b <= std::min(l.bands - 3, best + 1); ++b) tone = tone || prominence(c, b) >= kProminence;
        active[c] = tone && level(c, best) >= loudest - kBelowLoudest;
    }
    return active;
}

}  // namespace earshot::data
