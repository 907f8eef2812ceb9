#include "core/dsp/spectrogram.hpp"

#include "core/dsp/hann_window.hpp"
#include "core/dsp/rfft_q15.hpp"

namespace earshot::dsp {

void spectrogram_frame_q15(const int16_t* frame, int16_t* magnitudes, MagnitudeMode mode) {
    alignas(4) int16_t work[kFrameLength];  // the device FFT reads complex values as words
    int16_t bins[2 * kBins];
    apply_window_q15(frame, work);
    rfft256_q15(work, bins);
    magnitudes_q15(bins, magnitudes, kBins, mode);
}

void spectrogram_frame_bins_q15(const int16_t* frame, const int32_t* which, int32_t count, int16_t* magnitudes, MagnitudeMode mode) {
    alignas(4) int16_t work[kFrameLength];  // the device FFT reads complex values as words
    int16_t bins[2 * kBins];
    apply_window_q15(frame, work);
    rfft256_q15_bins(work, which, count, bins);
    magnitudes_q15(bins, magnitudes, static_cast<size_t>(count), mode);
}

void spectrogram_q15(const int16_t* bite, int16_t* spectrogram, MagnitudeMode mode) {
    for (int f = 0; f < kFrames; ++f) spectrogram_frame_q15(bite + f * kHop, spectrogram + f * kBins, mode);
}

}  // namespace earshot::dsp
