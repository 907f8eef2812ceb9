// TensorFlow Lite's integer requantization arithmetic (gemmlowp-style), reproduced exactly:
// an int32 accumulator times a real multiplier encoded as a q31 significand and a power-of-two
// shift, with TFLite's rounding at each step. Freestanding C++17.
#pragma once
#include <cstdint>

namespace earshot::nn {

// (a * b * 2) >> 32 rounded to nearest, ties away from zero; the one overflow case saturates.
// That is TFLite's SaturatingRoundingDoublingHighMul: nudge the 64-bit product by 2^30 (or by
// 1 - 2^30 when negative) and divide by 2^31 truncating toward zero. The Cortex-M0+ multiplies
// 32 x 32 -> 32 only, so a 64-bit product would be a library call: here |a * b| is built from four
// 16 x 16 products as two 32-bit halves, and host and device run this same code (tests compare it
// with the int64 formula).
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

// The magnitude part: floor((|a| * |b| + 2^30) / 2^31) when the product is non-negative,
// floor((|a| * |b| + 2^30 - 1) / 2^31) when it is negative (TFLite's nudge, then truncation
// toward zero), with |b| given as its 16-bit halves (callers with a fixed b split it once).
inline uint32_t doubling_high_mul_magnitude(uint32_t ua, uint32_t b_hi, uint32_t b_lo, bool negative) {
    const uint32_t al = ua & 0xffffu, ah = ua >> 16;
    const uint32_t ll = al * b_lo;
    const uint32_t mid = al * b_hi + ah * b_lo;  // each term < 2^31 (ah, b_hi <= 2^15), so no wrap
    const uint32_t lo = ll + (mid << 16);
    uint32_t hi = ah * b_hi + (mid >> 16) + (lo < ll ? 1u : 0u);
    const uint32_t rounded = lo + (negative ? (1u << 30) - 1u : 1u << 30);
    hi += rounded < lo ? 1u : 0u;
    return (hi << 1) | (rounded >> 31);  // < 2^31 unless |a| = |b| = 2^31
}

inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const bool negative = (a < 0) != (b < 0);
    const uint32_t ua = a < 0 ? 0u - static_cast<uint32_t>(a) : static_cast<uint32_t>(a);
    const uint32_t ub = b < 0 ? 0u - static_cast<uint32_t>(b) : static_cast<uint32_t>(b);
    const uint32_t magnitude = doubling_high_mul_magnitude(ua, ub >> 16, ub & 0xffffu, negative);  // a zero product gives 0 either way
    return negative ? -static_cast<int32_t>(magnitude) : static_cast<int32_t>(magnitude);
}

// x / 2^exponent rounded to nearest, ties away from zero.
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
    const int32_t mask = static_cast<int32_t>((1u << exponent) - 1u);  // exponent 0..31
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
