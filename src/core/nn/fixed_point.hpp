// TensorFlow Lite's integer requantization arithmetic (gemmlowp-style), reproduced exactly:
// an int32 accumulator times a real multiplier encoded as a q31 significand and a power-of-two
// shift, with TFLite's rounding at each step. Freestanding C++17.
#pragma once
#include <cstdint>

namespace earshot::nn {

// a * b as 64 bits from four 16 x 16 products. The Cortex-M0+ multiplies 32 x 32 -> 32 only, so a
// plain int64 product becomes a call to the general 64 x 64 routine; this is the same value in
// a fraction of the cycles. Host builds keep the plain product (tests compare the two).
inline int64_t multiply_wide_by_halves(int32_t a, int32_t b) {
    const bool negative = (a < 0) != (b < 0);
    const uint32_t ua = a < 0 ? 0u - static_cast<uint32_t>(a) : static_cast<uint32_t>(a);
    const uint32_t ub = b < 0 ? 0u - static_cast<uint32_t>(b) : static_cast<uint32_t>(b);
    const uint32_t al = ua & 0xffffu, ah = ua >> 16, bl = ub & 0xffffu, bh = ub >> 16;
    const uint64_t p = (uint64_t{ah * bh} << 32) + (uint64_t{ah * bl} << 16) + (uint64_t{al * bh} << 16) + uint64_t{al * bl};
    return negative ? static_cast<int64_t>(0u - p) : static_cast<int64_t>(p);
}

inline int64_t multiply_wide(int32_t a, int32_t b) {
#if defined(__ARM_ARCH_6M__)
    return multiply_wide_by_halves(a, b);
#else
    return int64_t{a} * int64_t{b};
#endif
}

// (a * b * 2) >> 32 rounded to nearest, ties away from zero; the one overflow case saturates.
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const int64_t ab = multiply_wide(a, b);
    const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
    return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));  // C++ division truncates toward zero
}

// x / 2^exponent rounded to nearest, ties away from zero.
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
    const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^shift, multiplier being a q31 significand in [2^30, 2^31): TFLite's
// MultiplyByQuantizedMultiplier (double rounding, the default build of TFLM).
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);  // x * 2^left, wrapping like C
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

inline int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

}  // namespace earshot::nn
