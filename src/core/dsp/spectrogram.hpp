// The q15 front end: window, real FFT and magnitude per frame, and a 1 s spectrogram.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/magnitude_q15.hpp"

namespace earshot::dsp {

// 256 samples -> 129 magnitudes (2.14 q15).
void spectrogram_frame_q15(const int16_t* frame, int16_t* magnitudes, MagnitudeMode mode);

// The same for the `count` bins listed in `which` (each 0..128), in that order: what a front
// end that reads a subset of bins computes (the FFT in full, the split stage and magnitude
// only where read). Bit-identical to those bins of spectrogram_frame_q15.
void spectrogram_frame_bins_q15(const int16_t* frame, const int32_t* which, int32_t count, int16_t* magnitudes, MagnitudeMode mode);

// 16000 samples -> 124 x 129 magnitudes, frame-major: (frame f, bin k) at f * 129 + k.
void spectrogram_q15(const int16_t* bite, int16_t* spectrogram, MagnitudeMode mode);

}  // namespace earshot::dsp
