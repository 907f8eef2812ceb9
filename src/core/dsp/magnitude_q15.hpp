// Complex magnitude of q15 FFT bins, result in 2.14 format (CMSIS arm_cmplx_mag_q15).
#pragma once
#include <cstddef>
#include <cstdint>

namespace earshot::dsp {

enum class MagnitudeMode : uint8_t {
    // Bit-exact CMSIS-DSP 5.8.0: sqrt_q15((re^2 + im^2) >> 17). Drops 17 bits before the
    // square root, so quiet bins collapse to 0; it is what the reference model was trained on.
    cmsis58,
    // Correctly rounded sqrt(re^2 + im^2) / 2 from the full 32-bit sum of squares.
    exact,
};

// CMSIS-DSP's arm_sqrt_q15 (fast inverse square root + 3 Newton steps in q15), reproduced
// with integer operations only. Negative or zero input gives 0.
int16_t sqrt_q15_cmsis(int16_t x);

// floor(sqrt(v)) by the bit-by-bit method: no division, no float.
uint32_t isqrt_u32(uint32_t v);

int16_t magnitude_q15(int16_t re, int16_t im, MagnitudeMode mode);

// `bins` is interleaved (re, im); writes `count` magnitudes.
void magnitudes_q15(const int16_t* bins, int16_t* out, size_t count, MagnitudeMode mode);

}  // namespace earshot::dsp
