#include "core/dsp/streaming_spectrogram.hpp"

#include <cstring>

#include "core/dsp/spectrogram.hpp"

namespace earshot::dsp {

StreamingSpectrogram::StreamingSpectrogram(MagnitudeMode mode) : mode_(mode) { reset(); }

void StreamingSpectrogram::reset() {
    std::memset(ring_, 0, sizeof ring_);
    start_ = 0;
    std::memset(samples_, 0, sizeof samples_);
    chunks_ = 0;
}

void StreamingSpectrogram::push(const int16_t* chunk) {
    std::memcpy(samples_ + kOverlap, chunk, sizeof(int16_t) * kStreamChunk);
    // The 4 oldest slots take the 4 new frames; the picture then starts 4 slots later.
    for (int j = 0; j < kFramesPerChunk; ++j) {
        const int32_t slot = (start_ + j) % kFrames;
        int16_t* frame = ring_ + slot * kBins;
        spectrogram_frame_q15(samples_ + j * kHop, frame, mode_);
        std::memcpy(ring_ + (slot + kFrames) * kBins, frame, sizeof(int16_t) * kBins);
    }
    start_ = (start_ + kFramesPerChunk) % kFrames;
    std::memmove(samples_, samples_ + kStreamChunk, sizeof(int16_t) * kOverlap);
    ++chunks_;
}

}  // namespace earshot::dsp
