#include "core/nn/input_quantizer.hpp"


namespace earshot::nn {

namespace {

int8_t saturate(int32_t v) { return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v)); }

// The same rounding with 32-bit multiplies only (the Cortex-M0+ has a single-cycle 32x32->32
// multiply but no 64-bit one): m < 2^15 and the multiplier is split into 15 + 16 bits, so each
// partial product fits in 32 bits. Valid for total shifts 17..46, the range real models use.
int32_t scaled_32bit(uint32_t m, uint32_t multiplier, int total_shift) {
    const uint32_t hi = m * (multiplier >> 16);       // < 2^30
    const uint32_t lo = m * (multiplier & 0xffffu);   // < 2^31
    // product = upper * 2^16 + low16, plus the rounding half 2^(total_shift - 1) (>= 2^16).
    const uint32_t upper = hi + (lo >> 16) + (1u << (total_shift - 17));
    return static_cast<int32_t>(upper >> (total_shift - 16));
}

}  // namespace

int8_t quantize_magnitude(int16_t magnitude, const InputQuantizer& q) {
    // One rounding of m * multiplier / 2^(31 - shift), half up (magnitudes are >= 0). TFLite's
    // requantization rounds twice, which would turn 0.493 into 1 here.
    const int total_shift = 31 - q.shift;
    if (total_shift >= 17 && total_shift <= 46 && q.multiplier >= 0) {
        const uint32_t m = magnitude > 0 ? static_cast<uint32_t>(magnitude) : 0u;
        return saturate(scaled_32bit(m, static_cast<uint32_t>(q.multiplier), total_shift) + q.zero_point);
    }
    const int64_t m = magnitude > 0 ? magnitude : 0;
    const int64_t product = m * q.multiplier;
    int64_t v = 0;
    if (total_shift <= 0) v = product << -total_shift;
    else if (total_shift < 63) v = (product + (int64_t{1} << (total_shift - 1))) >> total_shift;
    v += q.zero_point;
    return saturate(static_cast<int32_t>(v < -1000 ? -1000 : (v > 1000 ? 1000 : v)));
}

void quantize_magnitudes(const int16_t* magnitudes, int32_t count, const InputQuantizer& q, int8_t* out) {
    const int total_shift = 31 - q.shift;
    if (total_shift >= 17 && total_shift <= 46 && q.multiplier >= 0) {  // the usual case, decided once
        const uint32_t multiplier = static_cast<uint32_t>(q.multiplier);
        for (int32_t i = 0; i < count; ++i) {
            const uint32_t m = magnitudes[i] > 0 ? static_cast<uint32_t>(magnitudes[i]) : 0u;
            out[i] = saturate(scaled_32bit(m, multiplier, total_shift) + q.zero_point);
        }
        return;
    }
    for (int32_t i = 0; i < count; ++i) out[i] = quantize_magnitude(magnitudes[i], q);
}

namespace {

// The values at rows x cols of a [*, row_length] grid, to the same positions in `out` or, with
// kDense, packed row by row (what a nearest-neighbour resize of that grid would produce).
template <bool kDense>
void quantize_sampled(const int16_t* magnitudes, int32_t row_length, const int32_t* rows, int32_t row_count, const int32_t* cols,
                      int32_t col_count, const InputQuantizer& q, int8_t* out) {
    const int total_shift = 31 - q.shift;
    const bool fast = total_shift >= 17 && total_shift <= 46 && q.multiplier >= 0;  // decided once
    const uint32_t multiplier = static_cast<uint32_t>(q.multiplier);
    for (int32_t r = 0; r < row_count; ++r) {
        const int32_t row = rows[r] * row_length;
        for (int32_t c = 0; c < col_count; ++c) {
            const int32_t at = row + cols[c];
            int8_t& dst = kDense ? out[r * col_count + c] : out[at];
            if (!fast) {
                dst = quantize_magnitude(magnitudes[at], q);
                continue;
            }
            const uint32_t m = magnitudes[at] > 0 ? static_cast<uint32_t>(magnitudes[at]) : 0u;
            dst = saturate(scaled_32bit(m, multiplier, total_shift) + q.zero_point);
        }
    }
}

}  // namespace

void quantize_magnitude_grid(const int16_t* magnitudes, int32_t row_length, const int32_t* rows, int32_t row_count, const int32_t* cols,
                             int32_t col_count, const InputQuantizer& q, int8_t* out) {
    quantize_sampled<false>(magnitudes, row_length, rows, row_count, cols, col_count, q, out);
}

void quantize_magnitude_gather(const int16_t* magnitudes, int32_t row_length, const int32_t* rows, int32_t row_count, const int32_t* cols,
                               int32_t col_count, const InputQuantizer& q, int8_t* out) {
    quantize_sampled<true>(magnitudes, row_length, rows, row_count, cols, col_count, q, out);
}

}  // namespace earshot::nn
