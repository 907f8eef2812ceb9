// The tutorial path's rolling spectrogram, keeping only what the model reads: a model that starts
// with a nearest-neighbour resize reads a few of the 129 bins of each frame (32 for the
// tutorial's 32x32), and its input quantization is per value, so each new frame's magnitudes are
// computed as before and only the read bins are kept, already as the model's int8. The ring (in
// caller-owned memory, stored twice over like StreamingSpectrogram's) is 2 x 124 x bins bytes:
// 7.9 KB for 32 bins instead of 64 KB. The values equal quantizing StreamingSpectrogram's frames.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/magnitude_q15.hpp"
#include "core/nn/input_quantizer.hpp"

namespace earshot::dsp {

class QuantizedBinStream {
public:
    // `ring` holds 2 * kFrames * bin_count bytes; `bins` (ascending or not) lives as long as this.
    QuantizedBinStream(const int32_t* bins, int32_t bin_count, const nn::InputQuantizer& quantizer, int8_t* ring,
                       MagnitudeMode mode = MagnitudeMode::cmsis58);

    void reset();                       // silence: every kept value is the quantized zero
    void push(const int16_t* chunk);    // exactly kStreamChunk (512) samples: 4 new frames
    // kFrames x bin_count int8 values, oldest frame first.
    const int8_t* frames() const { return ring_ + start_ * bin_count_; }
    int32_t bin_count() const { return bin_count_; }

private:
    static constexpr int kOverlap = kFrameLength - kHop;

    const int32_t* bins_;
    int32_t bin_count_;
    nn::InputQuantizer quantizer_;
    int8_t* ring_;
    MagnitudeMode mode_;
    int32_t start_ = 0;
    int16_t samples_[kOverlap + kStreamChunk];
};

}  // namespace earshot::dsp
