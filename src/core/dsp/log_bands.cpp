#include "core/dsp/log_bands.hpp"

#include <cstring>

#include "core/dsp/hann_window.hpp"
#include "core/dsp/rfft_q15.hpp"

namespace earshot::dsp {
namespace {

// round(64 * log2(1 + i / 128)), i = 0..127.
constexpr uint8_t kLog2Fraction[128] = {
    0,  1,  1,  2,  3,  4,  4,  5,  6,  6,  7,  8,  8,  9,  10, 10, 11, 12, 12, 13, 13, 14, 15, 15, 16, 16, 17, 18, 18, 19, 19, 20,
    21, 21, 22, 22, 23, 23, 24, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29, 30, 30, 31, 31, 32, 32, 33, 34, 34, 35, 35, 35, 36, 36, 37,
    37, 38, 38, 39, 39, 40, 40, 41, 41, 42, 42, 43, 43, 43, 44, 44, 45, 45, 46, 46, 47, 47, 47, 48, 48, 49, 49, 50, 50, 50, 51, 51,
    52, 52, 52, 53, 53, 54, 54, 55, 55, 55, 56, 56, 56, 57, 57, 58, 58, 58, 59, 59, 60, 60, 60, 61, 61, 61, 62, 62, 63, 63, 63, 64};

// Index of the highest set bit (x > 0), by halving: the Cortex-M0+ has no CLZ instruction.
int32_t highest_bit(uint64_t x) {
    int32_t n = 0;
    for (int32_t step = 32; step > 0; step >>= 1) {
        if (x >> step) {
            x >>= step;
            n += step;
        }
    }
    return n;
}

}  // namespace

const uint8_t kDefaultBandEdges[kDefaultBands + 1] = {2,  3,  4,  5,  7,  8,  9,  11, 13, 14, 16, 18, 21, 23, 26,  29, 32,
                                                      35, 38, 42, 46, 51, 55, 61, 66, 72, 78, 85, 92, 100, 109, 118, 128};

bool log_band_layout_valid(const LogBandLayout& l) {
    if (!l.edges || l.bands < 1 || l.bands > kMaxBands || l.columns < 1 || l.columns > kMaxColumns) return false;
    for (int32_t b = 0; b < l.bands; ++b) {
        if (l.edges[b] >= l.edges[b + 1]) return false;
    }
    return l.edges[l.bands] <= kBins;
}

int16_t log2_q6(uint64_t x) {
    if (x == 0) return 0;
    const int32_t msb = highest_bit(x);
    const uint32_t fraction = static_cast<uint32_t>(msb >= 7 ? (x >> (msb - 7)) : (x << (7 - msb))) & 127u;
    return static_cast<int16_t>(msb * 64 + kLog2Fraction[fraction]);
}

LogBandStream::LogBandStream(const LogBandLayout& layout, int16_t* ring) : layout_(layout), ring_(ring) { reset(); }

void LogBandStream::reset() {
    std::memset(ring_, 0, sizeof(int16_t) * 2 * static_cast<size_t>(layout_.columns) * static_cast<size_t>(layout_.bands));
    std::memset(samples_, 0, sizeof samples_);
    start_ = 0;
}

void LogBandStream::push(const int16_t* chunk) {
    std::memcpy(samples_ + kOverlap, chunk, sizeof(int16_t) * kStreamChunk);
    uint64_t energy[kMaxBands] = {};
    alignas(4) int16_t work[kFrameLength];  // the device FFT reads complex values as words
    int16_t bins[2 * kBins];
    const int32_t first = layout_.edges[0], last = layout_.edges[layout_.bands];
    for (int32_t f = 0; f < kFramesPerChunk; ++f) {
        apply_window_q15(samples_ + f * kHop, work);
        rfft256_q15(work, bins);
        int32_t band = 0;
        for (int32_t k = first; k < last; ++k) {
            while (k >= layout_.edges[band + 1]) ++band;
            const int32_t re = bins[2 * k], im = bins[2 * k + 1];
            energy[band] += static_cast<uint32_t>(re * re) + static_cast<uint32_t>(im * im);  // < 2^31 each
        }
    }
    std::memmove(samples_, samples_ + kStreamChunk, sizeof(int16_t) * kOverlap);
    // The oldest column's slot takes the new one (twice: at `slot` and `slot + columns`).
    const int32_t slot = start_;
    int16_t* column = ring_ + slot * layout_.bands;
    for (int32_t b = 0; b < layout_.bands; ++b) column[b] = log2_q6(energy[b]);
    std::memcpy(ring_ + (slot + layout_.columns) * layout_.bands, column, sizeof(int16_t) * static_cast<size_t>(layout_.bands));
    start_ = (start_ + 1) % layout_.columns;
}

void LogBandStream::features(int16_t* out) const { log_band_features(columns(), layout_, out); }

void log_band_features(const int16_t* columns, const LogBandLayout& l, int16_t* out) {
    const int32_t n = l.columns * l.bands;
    if (!l.remove_mean) {
        std::memcpy(out, columns, sizeof(int16_t) * static_cast<size_t>(n));
        return;
    }
    int32_t sum = 0;  // < 64 * 64 * 2^12: no overflow
    for (int32_t i = 0; i < n; ++i) sum += columns[i];
    const int32_t mean = sum / n;  // non-negative: truncation is floor
    for (int32_t i = 0; i < n; ++i) {
        const int32_t v = columns[i] - mean + kMeanOffset;
        out[i] = static_cast<int16_t>(v < 0 ? 0 : v);
    }
}

}  // namespace earshot::dsp
