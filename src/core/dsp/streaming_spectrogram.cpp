#include "core/dsp/streaming_spectrogram.hpp"

#include <cstring>

#include "core/dsp/spectrogram.hpp"

namespace earshot::dsp {

StreamingSpectrogram::StreamingSpectrogram(MagnitudeMode mode) : mode_(mode) { reset(); }

void StreamingSpectrogram::reset() {
    std::memset(frames_, 0, sizeof frames_);
    std::memset(samples_, 0, sizeof samples_);
    chunks_ = 0;
}

void StreamingSpectrogram::push(const int16_t* chunk) {
    constexpr int kKeptFrames = kFrames - kFramesPerChunk;
    std::memmove(frames_, frames_ + kFramesPerChunk * kBins, sizeof(int16_t) * kKeptFrames * kBins);
    std::memcpy(samples_ + kOverlap, chunk, sizeof(int16_t) * kStreamChunk);
    for (int j = 0; j < kFramesPerChunk; ++j) {
        spectrogram_frame_q15(samples_ + j * kHop, frames_ + (kKeptFrames + j) * kBins, mode_);
    }
    std::memmove(samples_, samples_ + kStreamChunk, sizeof(int16_t) * kOverlap);
    ++chunks_;
}

}  // namespace earshot::dsp
