// 256-point real FFT in q15 with CMSIS-DSP's fixed-point scaling (arm_rfft_q15, forward,
// bit reversal on): a 128-point complex radix-4-by-2 FFT (scales by 1/128) followed by the
// real split stage (scales by 1/2), so the result is DFT/256.
#pragma once
#include <cstdint>

namespace earshot::dsp {

inline constexpr int kRfftLength = 256;
inline constexpr int kRfftBins = kRfftLength / 2 + 1;  // 129

// `samples` holds 256 real q15 values and is used as the in-place work buffer (clobbered).
// `bins` receives 129 complex values as interleaved (re, im): DC ... Nyquist.
void rfft256_q15(int16_t* samples, int16_t* bins);

// The 128-point complex FFT stage on its own (interleaved re/im, in place, natural order
// out); exposed for tests. Output = DFT/128.
void cfft128_q15(int16_t* data);

}  // namespace earshot::dsp
