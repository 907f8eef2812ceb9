// The default detector's features: loudness-robust log band energies, integer only, the same
// code on host and device. Per 512-sample block (4 frames of 256, hop 128, q15 Hann window and
// real FFT as the tutorial path) the exact power re^2 + im^2 of every bin is summed over the
// block's 4 frames and over the bins of each band (no square root, no bins skipped), and the
// band energy is log-compressed: 64 * log2(energy) by a leading-bit search and a 128-entry
// table, so one unit is 1/64 bit of power (0.047 dB) and a gain change is an offset. The model sees the
// last `columns` blocks; with `remove_mean`, the window's mean is subtracted (plus a fixed
// offset that keeps values positive), so a change of loudness leaves the input unchanged.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"

namespace earshot::dsp {

inline constexpr int kMaxBands = 64;
inline constexpr int kMaxColumns = 64;
inline constexpr int kDefaultBands = 32;
inline constexpr int kDefaultColumns = 32;  // 32 blocks = 1.024 s
inline constexpr int32_t kMeanOffset = 1536; // 72 dB (24 bits of power) below the window's mean is still >= 0

// Band b covers FFT bins [edges[b], edges[b + 1]); 32 mel-spaced bands from 125 Hz to 8 kHz.
extern const uint8_t kDefaultBandEdges[kDefaultBands + 1];

struct LogBandLayout {
    const uint8_t* edges = kDefaultBandEdges;  // bands + 1 increasing bin indices in [0, 129]
    int32_t bands = kDefaultBands;
    int32_t columns = kDefaultColumns;
    bool remove_mean = true;
};

// bands in [1, kMaxBands], columns in [1, kMaxColumns], edges strictly increasing within [0, 129].
bool log_band_layout_valid(const LogBandLayout& layout);

// round(64 * log2(x)) within 1.2 units for x >= 1 (monotone); 0 for x = 0.
int16_t log2_q6(uint64_t x);

// The streaming front end of the default detector. The caller owns the column ring
// (2 * columns * bands int16: each column is stored twice so the window is contiguous).
class LogBandStream {
public:
    LogBandStream(const LogBandLayout& layout, int16_t* ring);

    void reset();                        // silence, as the board starts
    void push(const int16_t* chunk);     // exactly kStreamChunk (512) samples -> one new column

    // The newest `columns` columns, oldest first, column-major ([column][band]).
    const int16_t* columns() const { return ring_ + start_ * layout_.bands; }

    // The model's features: columns() with the window mean removed (when the layout says so).
    void features(int16_t* out) const;

    const LogBandLayout& layout() const { return layout_; }

private:
    static constexpr int kOverlap = kFrameLength - kHop;

    LogBandLayout layout_;
    int16_t* ring_;
    int32_t start_ = 0;
    int16_t samples_[kOverlap + kStreamChunk];
};

// The same features for a window held as plain columns (training: every window of a clip's
// column sequence), so host training data and the device loop share one definition.
void log_band_features(const int16_t* columns, const LogBandLayout& layout, int16_t* out);

}  // namespace earshot::dsp
