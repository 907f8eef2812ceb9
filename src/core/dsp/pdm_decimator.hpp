// PDM microphone bits -> 16 kHz PCM (the RP2040 app's front of the chain). A 1.024 MHz
// one-bit stream becomes int16 samples in three fixed-point stages:
//   CIC, order 4, decimation 16 (1.024 MHz -> 64 kHz), computed as the 61-tap FIR it equals
//   (the coefficients of (1 + z^-1 + ... + z^-15)^4) from eight byte-indexed tables: one output
//   per 16 bits is 8 table lookups, with exactly the integrator/comb cascade's values;
//   31-tap windowed-sinc FIR (7 kHz cut-off, q15, unity DC gain), decimation 4 (-> 16 kHz);
//   one-pole DC-removing high-pass (pole 1 - 2^-8, ~10 Hz).
// Input words hold 32 bits, the earliest sample in bit 31 (what a PIO `in pins, 1` with left
// shift and autopush produces). Integer-only, no heap: the host runs this very code on the
// same bitstream, so host and board get the same PCM.
#pragma once
#include <cstdint>

namespace earshot::dsp {

inline constexpr int32_t kPdmDecimation = 64;  // bits per PCM sample
inline constexpr int32_t kPdmFirTaps = 31;

struct PdmDecimator {
    uint32_t bits[2];                  // the last 64 bits: {newest 32 (newest in bit 0), the 32 before}
    int32_t cic_started;               // stage-1 outputs so far, up to 3 (the start-up ramp)
    int32_t stage1_tail[kPdmFirTaps - 1];  // the last 30 stage-1 outputs, oldest first
    int32_t cic_outputs;               // 0..3: stage-1 outputs since the last PCM sample
    int32_t highpass_x1, highpass_y1;  // previous input; previous output in 1/256ths
};

void pdm_reset(PdmDecimator& d);

// Consumes `word_count` words (32 bits each); writes word_count / 2 PCM samples (64 bits each)
// and returns how many it wrote.
int32_t pdm_decimate(PdmDecimator& d, const uint32_t* words, int32_t word_count, int16_t* pcm);

// The FIR's q15 coefficients (compile-time table; sums to 32768).
const int16_t* pdm_fir_coefficients();

// The second stage's inner loop: out[j] = the 31-tap FIR over window[4j .. 4j + 30] (before
// the >> 14), for j < count. The device runs an ARMv6-M assembly version (checked against this
// C++ twin on the board), which reads the coefficients as int32: pdm_fir_coefficients32(),
// h[0..15] (the rest mirror them).
void pdm_fir_outputs(const int32_t* window, int32_t count, int32_t* out);
const int32_t* pdm_fir_coefficients32();

// The CIC stage's inner loop: for every 16 bits, shift them into `bits` and write the sum of
// the eight table entries its bytes select (2 * sum - sum(h) is the CIC output). The device
// runs an ARMv6-M assembly version of this; this C++ twin is what the host runs and what the
// assembly is checked against.
void pdm_cic_sums(const uint32_t* words, int32_t word_count, uint32_t bits[2], uint32_t* sums);
const uint16_t* pdm_cic_tables();  // t[256][8]

}  // namespace earshot::dsp
