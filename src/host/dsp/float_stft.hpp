// Float reference for the front end: frame 256, hop 128, periodic Hann, |DFT| of samples in
// [-1, 1). These are the units of the model's float features (DESIGN.md: q15 magnitude /
// 32768 x 512), so the q15 path and this one can be compared directly.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace earshot::dsp {

// w[i] = 0.5 - 0.5 cos(2 pi i / n).
std::vector<float> hann_periodic(int n);

// 16000 samples -> 124 x 129 magnitudes, frame-major.
std::vector<float> stft_magnitude(std::span<const float> bite);

// One q15 magnitude (2.14, DFT/256) expressed in float STFT units.
inline float q15_magnitude_to_float(int16_t m) { return static_cast<float>(m) / 32768.0f * 512.0f; }

}  // namespace earshot::dsp
