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

}  // namespace earshot::nn
