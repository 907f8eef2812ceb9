// The q15 front end: window, real FFT and magnitude per frame, and a 1 s spectrogram.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/magnitude_q15.hpp"

namespace earshot::dsp {

// 256 samples -> 129 magnitudes (2.14 q15).
void spectrogram_frame_q15(const int16_t* frame, int16_t* magnitudes, MagnitudeMode mode);

// 16000 samples -> 124 x 129 magnitudes, frame-major: (frame f, bin k) at f * 129 + k.
void spectrogram_q15(const int16_t* bite, int16_t* spectrogram, MagnitudeMode mode);

}  // namespace earshot::dsp
