#include "core/dsp/magnitude_q15.hpp"

#include "core/bits.hpp"
#include "core/dsp/q15.hpp"

namespace earshot::dsp {
namespace {

// One Newton step for 1/sqrt in q15 arithmetic, every intermediate truncated to 16 bits
// exactly where the reference casts to q15_t.
int16_t newton_step(int16_t y, int16_t half) {
    const int16_t y2 = wrap_q15((int32_t{y} * y) >> 15);
    const int16_t y2_half = wrap_q15((int32_t{y2} * half) >> 15);
    const int16_t scaled = wrap_q15((int32_t{y} * (0x3000 - y2_half)) >> 15);
    return wrap_q15(int32_t{scaled} * 4);
}

}  // namespace

int16_t sqrt_q15_cmsis(int16_t x) {
    if (x <= 0) return 0;
    // Normalise by an even shift so the value has its top bit at 13 or 14.
    const int sign_bits = count_leading_zeros(static_cast<uint32_t>(x)) - 17;
    const int shift = sign_bits - (sign_bits & 1);
    const int16_t number = static_cast<int16_t>(x << shift);
    const int16_t half = static_cast<int16_t>(number >> 1);

    // The reference converts number * 2^-15 to float32 (exact) and applies the 0x5f3759df
    // inverse-square-root guess to its bit pattern; build that bit pattern directly.
    const int top = 31 - count_leading_zeros(static_cast<uint32_t>(number));
    const uint32_t mantissa = (static_cast<uint32_t>(number) - (1u << top)) << (23 - top);
    const uint32_t float_bits = (static_cast<uint32_t>(top - 15 + 127) << 23) | mantissa;
    const uint32_t guess_bits = 0x5f3759dfu - (float_bits >> 1);

    // (q31_t)(guess * 16384): guess is positive, so truncation is a right shift of the
    // 24-bit significand.
    const int exponent = static_cast<int>(guess_bits >> 23) - 127;
    const uint32_t significand = (guess_bits & 0x7FFFFFu) | 0x800000u;
    const int right = 23 - 14 - exponent;
    const uint32_t guess_q14 = right >= 0 ? significand >> right : significand << -right;

    int16_t y = wrap_q15(static_cast<int32_t>(guess_q14));
    for (int i = 0; i < 3; ++i) y = newton_step(y, half);

    // sqrt(x) = x * (1 / sqrt(x)), then undo the normalisation.
    const int16_t root = wrap_q15(int32_t{wrap_q15((int32_t{number} * y) >> 15)} * 2);
    return static_cast<int16_t>(root >> (shift / 2));
}

uint32_t isqrt_u32(uint32_t v) {
    uint32_t root = 0;
    uint32_t bit = 1u << 30;
    while (bit > v) bit >>= 2;
    while (bit != 0) {
        if (v >= root + bit) {
            v -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

int16_t magnitude_q15(int16_t re, int16_t im, MagnitudeMode mode) {
    if (mode == MagnitudeMode::exact) {
        const uint32_t sum = static_cast<uint32_t>(int32_t{re} * re) + static_cast<uint32_t>(int32_t{im} * im);
        return static_cast<int16_t>((isqrt_u32(sum) + 1) >> 1);  // round(sqrt(sum) / 2)
    }
    // The reference sums in a 32-bit int: (-32768)^2 * 2 wraps negative and yields 0.
    const int32_t sum = wrapping_add(int32_t{re} * re, int32_t{im} * im);
    return sqrt_q15_cmsis(wrap_q15(sum >> 17));
}

void magnitudes_q15(const int16_t* bins, int16_t* out, size_t count, MagnitudeMode mode) {
    for (size_t k = 0; k < count; ++k) out[k] = magnitude_q15(bins[2 * k], bins[2 * k + 1], mode);
}

}  // namespace earshot::dsp
