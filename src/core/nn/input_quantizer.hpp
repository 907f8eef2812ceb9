// From the q15 front end to the model's int8 input: features are q15 magnitude / 64 (the
// float STFT's units), quantized as round(feature / scale) + zero_point. Done here in integer
// arithmetic so the host's training features and the device's live features are the same
// bytes (the reference firmware divided by int(64 * scale) and truncated, drifting ~1.3%).
#pragma once
#include <cstdint>

namespace earshot::nn {

struct InputQuantizer {
    int32_t multiplier = 0;  // 1 / (64 * scale) as a q31 significand and shift
    int32_t shift = 0;
    int32_t zero_point = 0;
};

int8_t quantize_magnitude(int16_t magnitude, const InputQuantizer& q);
void quantize_magnitudes(const int16_t* magnitudes, int32_t count, const InputQuantizer& q, int8_t* out);
// Only the values at rows x cols of a row-major [*, row_length] grid (one channel), each to the
// same position in `out`: what a model that starts by sampling its input needs.
void quantize_magnitude_grid(const int16_t* magnitudes, int32_t row_length, const int32_t* rows, int32_t row_count, const int32_t* cols,
                             int32_t col_count, const InputQuantizer& q, int8_t* out);
// The same values packed row by row into row_count x col_count bytes: the quantized output of a
// nearest-neighbour resize with those row and column maps, without the full-size tensor.
void quantize_magnitude_gather(const int16_t* magnitudes, int32_t row_length, const int32_t* rows, int32_t row_count, const int32_t* cols,
                               int32_t col_count, const InputQuantizer& q, int8_t* out);

}  // namespace earshot::nn
