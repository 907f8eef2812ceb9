// Periodic Hann window of 256 in q15, as the reference firmware builds it:
// w[i] = 0.5 - 0.5 cos(2 pi i / 256), converted by truncation (w[128] saturates to 32767).
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"

namespace earshot::dsp {

// The 256 coefficients; a compile-time table, so the device pays nothing to build it.
const int16_t* hann_window_q15();

// Element-wise saturating q15 product of a frame with the window (arm_mult_q15 semantics).
void apply_window_q15(const int16_t* frame, int16_t* windowed);

}  // namespace earshot::dsp
