// 256-point real FFT in q15 with CMSIS-DSP's fixed-point scaling (arm_rfft_q15, forward,
// bit reversal on): a 128-point complex radix-4-by-2 FFT (scales by 1/128) followed by the
// real split stage (scales by 1/2), so the result is DFT/256.
#pragma once
#include <cstdint>

namespace earshot::dsp {

inline constexpr int kRfftLength = 256;
inline constexpr int kRfftBins = kRfftLength / 2 + 1;  // 129

// `samples` holds 256 real q15 values and is used as the in-place work buffer (clobbered); it
// must be 4-byte aligned, as must every buffer the stages below take: the device reads and
// writes a complex value as one word, and the Cortex-M0+ faults on an unaligned word.
// `bins` receives 129 complex values as interleaved (re, im): DC ... Nyquist.
void rfft256_q15(int16_t* samples, int16_t* bins);

// The same for the `count` bins listed in `which` (each 0..128), written in that order: the
// split stage computes each bin on its own, so a front end that reads a few bins (the
// tutorial model's nearest resize reads 32) skips the others. Bit-identical to rfft256_q15.
void rfft256_q15_bins(int16_t* samples, const int32_t* which, int32_t count, int16_t* bins);

// The 128-point complex FFT stage on its own (interleaved re/im, in place, natural order
// out); exposed for tests. Output = DFT/128.
void cfft128_q15(int16_t* data);

// The first step of the complex FFT: one radix-2 stage that splits the 128 points into two
// 64-point halves (in place). Device: ARMv6-M assembly (rfft_radix4_armv6m.S); this is its
// C++ twin. cfft128_twiddles() is the q15 (co, si) table both read, 4-byte aligned.
void radix2_split128(int16_t* x);
const int16_t* cfft128_twiddles();

// The three radix-4 stages of each 64-point half of the complex FFT, in place on 64
// interleaved complex values. The device runs ARMv6-M assembly (rfft_radix4_armv6m.S); these
// are its C++ twins, which the host runs and the board checks the assembly against. The
// last stage also applies radix4by2's final doubling (16-bit wrap) to its outputs.
void radix4_first_stage64(int16_t* x);
void radix4_middle_stage64(int16_t* x);
void radix4_last_stage64_doubled(int16_t* x);
// The twiddles as the assembly reads them: int32 (co1, si1, co2, si2, co3, si3) for each of the
// first stage's 16 butterflies and each of the middle stage's 4 groups.
const int32_t* radix4_first_twiddles();
const int32_t* radix4_middle_twiddles();

}  // namespace earshot::dsp
