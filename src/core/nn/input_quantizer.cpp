#include "core/nn/input_quantizer.hpp"


namespace earshot::nn {

int8_t quantize_magnitude(int16_t magnitude, const InputQuantizer& q) {
    // One rounding of m * multiplier / 2^(31 - shift), half up (magnitudes are >= 0). TFLite's
    // requantization rounds twice, which would turn 0.493 into 1 here.
    const int64_t m = magnitude > 0 ? magnitude : 0;
    const int total_shift = 31 - q.shift;
    const int64_t product = m * q.multiplier;
    int64_t v = 0;
    if (total_shift <= 0) v = product << -total_shift;
    else if (total_shift < 63) v = (product + (int64_t{1} << (total_shift - 1))) >> total_shift;
    v += q.zero_point;
    return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
}

void quantize_magnitudes(const int16_t* magnitudes, int32_t count, const InputQuantizer& q, int8_t* out) {
    for (int32_t i = 0; i < count; ++i) out[i] = quantize_magnitude(magnitudes[i], q);
}

}  // namespace earshot::nn
