// A rolling 1 s spectrogram for the device loop: every 512 new samples it drops the 4 oldest
// frames and appends 4 new ones, keeping the full 128-sample overlap between frames (the
// reference firmware kept only 64, zeroing part of every 4th frame). The frames live in a ring
// stored twice over (frame i at i and i + 124), so the newest 124 are always one contiguous
// picture without shifting 31 KB per update; the price is 32 KB more RAM.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/magnitude_q15.hpp"

namespace earshot::dsp {

class StreamingSpectrogram {
public:
    explicit StreamingSpectrogram(MagnitudeMode mode = MagnitudeMode::cmsis58);

    // Back to silence: all frames zero, overlap history zero.
    void reset();

    // Consume exactly kStreamChunk (512) samples.
    void push(const int16_t* chunk);

    // 124 x 129 magnitudes, oldest frame first; the same layout as spectrogram_q15.
    const int16_t* frames() const { return ring_ + start_ * kBins; }

    // Chunks pushed since the last reset (the picture is all real audio once >= 31).
    uint32_t chunks_pushed() const { return chunks_; }

private:
    static constexpr int kOverlap = kFrameLength - kHop;  // 128 samples carried over

    MagnitudeMode mode_;
    uint32_t chunks_ = 0;
    int32_t start_ = 0;                   // ring slot of the oldest frame
    int16_t ring_[2 * kSpectrogramSize];  // slot i (0..123) at frame i and again at frame i + 124
    int16_t samples_[kOverlap + kStreamChunk];  // overlap history followed by the new chunk
};

}  // namespace earshot::dsp
