// q15 fixed-point helpers shared by the DSP front end. Freestanding: no heap, no float.
#pragma once
#include <cstdint>

namespace earshot::dsp {

// Clamp a 32-bit intermediate to the int16 range (ARM's SSAT #16).
constexpr int16_t saturate_q15(int32_t v) {
    return static_cast<int16_t>(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

// Keep the low 16 bits, as a C cast of an int to q15_t does on every ARM compiler.
constexpr int16_t wrap_q15(int32_t v) {
    return static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(v) & 0xFFFFu));
}

// Two's-complement 32-bit wrap of a wider sum (C int overflow on the Cortex-M).
constexpr int32_t wrap_q31(int64_t v) {
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v) & 0xFFFFFFFFu));
}

// Product of two q15 values, truncated and saturated: arm_mult_q15 without ARM_MATH_ROUNDING.
constexpr int16_t mult_q15(int16_t a, int16_t b) {
    return saturate_q15((int32_t{a} * int32_t{b}) >> 15);
}

}  // namespace earshot::dsp
