#include "core/nn/logistic.hpp"

#include "core/bits.hpp"
#include "core/nn/fixed_point.hpp"
#include "core/nn/fixed_point_math.hpp"

namespace earshot::nn {

int32_t logistic_q4_27(int32_t x) {
    if (x == 0) return int32_t{1} << 30;  // exactly one half
    const bool positive = x > 0;
    const int32_t magnitude = positive ? x : wrapping_sub(0, x);
    constexpr int kInputIntegerBits = 4;
    const int32_t of_positive = one_over_one_plus_x(exp_on_negative_values(wrapping_sub(0, magnitude), kInputIntegerBits));
    return positive ? of_positive : wrapping_sub(INT32_MAX, of_positive);  // 1 - p, with 1.0 read as INT32_MAX
}

void logistic_int8(const LogisticParams& p, int32_t size, const int8_t* input, int8_t* output) {
    constexpr int kOutputIntegerBits = 8;
    for (int32_t i = 0; i < size; ++i) {
        const int32_t x = int32_t{input[i]} - p.input_zero_point;
        if (x <= -p.input_range_radius) {
            output[i] = -128;
        } else if (x >= p.input_range_radius) {
            output[i] = 127;
        } else {
            const int32_t q4 = multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_left_shift);
            const int32_t q23 = rounding_divide_by_pot(logistic_q4_27(q4), 31 - kOutputIntegerBits);
            output[i] = static_cast<int8_t>(clamp32(q23 - 128, -128, 127));
        }
    }
}

}  // namespace earshot::nn
