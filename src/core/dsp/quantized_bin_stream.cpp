#include "core/dsp/quantized_bin_stream.hpp"

#include <cstring>

#include "core/dsp/spectrogram.hpp"

namespace earshot::dsp {

QuantizedBinStream::QuantizedBinStream(const int32_t* bins, int32_t bin_count, const nn::InputQuantizer& quantizer, int8_t* ring, MagnitudeMode mode)
    : bins_(bins), bin_count_(bin_count), quantizer_(quantizer), ring_(ring), mode_(mode) {
    reset();
}

void QuantizedBinStream::reset() {
    std::memset(ring_, nn::quantize_magnitude(0, quantizer_), static_cast<size_t>(2 * kFrames * bin_count_));
    std::memset(samples_, 0, sizeof samples_);
    start_ = 0;
}

void QuantizedBinStream::push(const int16_t* chunk) {
    std::memcpy(samples_ + kOverlap, chunk, sizeof(int16_t) * kStreamChunk);
    int16_t magnitudes[kBins];
    for (int j = 0; j < kFramesPerChunk; ++j) {
        const int32_t slot = (start_ + j) % kFrames;
        spectrogram_frame_bins_q15(samples_ + j * kHop, bins_, bin_count_, magnitudes, mode_);
        int8_t* row = ring_ + slot * bin_count_;
        for (int32_t b = 0; b < bin_count_; ++b) row[b] = nn::quantize_magnitude(magnitudes[b], quantizer_);
        std::memcpy(ring_ + (slot + kFrames) * bin_count_, row, static_cast<size_t>(bin_count_));
    }
    start_ = (start_ + kFramesPerChunk) % kFrames;
    std::memmove(samples_, samples_ + kStreamChunk, sizeof(int16_t) * kOverlap);
}

}  // namespace earshot::dsp
