#include "core/nn/softmax.hpp"

#include "core/nn/fixed_point.hpp"
#include "core/nn/fixed_point_math.hpp"

namespace earshot::nn {
namespace {

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

// The row difference in q5.26 (TFLite's MultiplyByQuantizedMultiplierGreaterThanOne).
inline int32_t scaled_difference(int32_t diff, const SoftmaxParams& p) {
    return saturating_rounding_doubling_high_mul(static_cast<int32_t>(static_cast<uint32_t>(diff) << p.input_left_shift), p.input_multiplier);
}

}  // namespace

void softmax_int8(const SoftmaxParams& p, int32_t rows, int32_t depth, const int8_t* input, int8_t* output) {
    for (int32_t r = 0; r < rows; ++r) {
        const int8_t* x = input + r * depth;
        int8_t* y = output + r * depth;
        int32_t max_in_row = -128;
        for (int32_t c = 0; c < depth; ++c) max_in_row = x[c] > max_in_row ? x[c] : max_in_row;

        int32_t sum_of_exps = 0;  // q12
        for (int32_t c = 0; c < depth; ++c) {
            const int32_t diff = x[c] - max_in_row;
            if (diff >= p.diff_min) {
                const int32_t e = exp_on_negative_values(scaled_difference(diff, p), kScaledDiffIntegerBits);
                sum_of_exps = static_cast<int32_t>(static_cast<uint32_t>(sum_of_exps) + static_cast<uint32_t>(multiply_by_pot(e, -kAccumulationIntegerBits)));
            }
        }
        int bits_over_unit = 0;
        const int32_t scale = reciprocal(sum_of_exps, kAccumulationIntegerBits, &bits_over_unit);
        for (int32_t c = 0; c < depth; ++c) {
            const int32_t diff = x[c] - max_in_row;
            if (diff >= p.diff_min) {
                const int32_t e = exp_on_negative_values(scaled_difference(diff, p), kScaledDiffIntegerBits);
                const int32_t unsat = rounding_divide_by_pot(saturating_rounding_doubling_high_mul(scale, e), bits_over_unit + 31 - 8);
                y[c] = static_cast<int8_t>(clamp32(unsat - 128, -128, 127));
            } else {
                y[c] = -128;
            }
        }
    }
}

void requantize_int8(const RequantizeParams& p, int32_t size, const int8_t* input, int8_t* output) {
    for (int32_t i = 0; i < size; ++i) {
        const int32_t v = multiply_by_quantized_multiplier(input[i] - p.input_zero_point, p.multiplier, p.shift) + p.output_zero_point;
        output[i] = static_cast<int8_t>(clamp32(v, -128, 127));
    }
}

}  // namespace earshot::nn
