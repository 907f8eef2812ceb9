#include "core/dsp/pdm_decimator.hpp"

#include "core/dsp/turns.hpp"

namespace earshot::dsp {
namespace {

struct FirTable {
    int16_t h[kPdmFirTaps];
};

// Hamming-windowed sinc, cut-off 7 kHz at 64 kHz: h[n] = sinc(7/32 (n - 15)) w[n], scaled to q15
// and nudged at the centre so the taps sum to exactly 32768 (unity gain at DC).
constexpr FirTable make_fir() {
    constexpr int32_t kMid = kPdmFirTaps / 2;
    double raw[kPdmFirTaps] = {};
    double sum = 0.0;
    for (int32_t n = 0; n < kPdmFirTaps; ++n) {
        const int32_t k = n - kMid;
        // sin(pi * 7k/32) / (pi * 7k/32), with sin(pi * a/b) = sin_turn(a, 2b).
        const double x = 3.14159265358979323846 * 7.0 * k / 32.0;
        const double sinc = k == 0 ? 1.0 : detail::sin_turn(7 * k, 64) / x;
        const double window = 0.54 - 0.46 * detail::cos_turn(n, kPdmFirTaps - 1);
        raw[n] = sinc * window;
        sum += raw[n];
    }
    FirTable t{};
    int32_t total = 0;
    for (int32_t n = 0; n < kPdmFirTaps; ++n) {
        const double v = raw[n] / sum * 32768.0;
        t.h[n] = static_cast<int16_t>(v >= 0 ? static_cast<int32_t>(v + 0.5) : -static_cast<int32_t>(-v + 0.5));
        total += t.h[n];
    }
    t.h[kMid] = static_cast<int16_t>(t.h[kMid] + (32768 - total));
    return t;
}

constexpr FirTable kFir = make_fir();

struct FirTable32 {
    int32_t h[kPdmFirTaps / 2 + 1];
};
constexpr FirTable32 make_fir32() {
    FirTable32 t{};
    for (int32_t k = 0; k <= kPdmFirTaps / 2; ++k) t.h[k] = kFir.h[k];
    return t;
}
constexpr FirTable32 kFir32 = make_fir32();

// The CIC as an FIR: h[j] = coefficient of z^-j in (1 + z^-1 + ... + z^-15)^4, j = 0..60, summing
// to 16^4 = 65536. With x = +-1 per bit (bit b -> 2b - 1), an output is
//   sum_j h[j] x[j] = 2 * sum_j h[j] b[j] - sum_j h[j],
// where j counts bits back from the newest. The first sum is eight lookups: byte i of the last
// 64 bits (j = 8i .. 8i + 7) indexes a table of sum_k h[8i + k] * bit_k(byte). Every entry is
// below 2^16. The eight tables are interleaved (t[byte][i]) so that one base address per byte
// serves them all with small constant offsets.
struct CicTables {
    uint16_t t[256][8];
    int32_t ramp[4];  // sum of h over the bits that exist after 1, 2, 3, 4+ outputs
};

constexpr CicTables make_cic_tables() {
    int32_t h[64] = {1};  // (1 + ... + z^-15)^k for k = 0, then convolve four times
    for (int stage = 0; stage < 4; ++stage) {
        int32_t next[64] = {};
        for (int j = 0; j < 64; ++j) {
            for (int i = 0; i < 16 && i <= j; ++i) next[j] += h[j - i];
        }
        for (int j = 0; j < 64; ++j) h[j] = next[j];
    }
    CicTables c{};
    for (int i = 0; i < 8; ++i) {
        for (int byte = 0; byte < 256; ++byte) {
            int32_t sum = 0;
            for (int k = 0; k < 8; ++k) sum += ((byte >> k) & 1) ? h[8 * i + k] : 0;
            c.t[byte][i] = static_cast<uint16_t>(sum);
        }
    }
    for (int m = 0; m < 4; ++m) {
        for (int j = 0; j < 64 && j <= 16 * m + 15; ++j) c.ramp[m] += h[j];
    }
    return c;
}

constexpr CicTables kCic = make_cic_tables();
static_assert(kCic.ramp[3] == 65536, "the CIC's DC gain is 16^4");

int16_t saturate16(int32_t v) { return static_cast<int16_t>(v < -32768 ? -32768 : (v > 32767 ? 32767 : v)); }

}  // namespace

const int16_t* pdm_fir_coefficients() { return kFir.h; }

const int32_t* pdm_fir_coefficients32() { return kFir32.h; }

const uint16_t* pdm_cic_tables() { return &kCic.t[0][0]; }

void pdm_reset(PdmDecimator& d) {
    d.bits[0] = d.bits[1] = 0;
    d.cic_started = 0;
    for (int32_t& v : d.stage1_tail) v = 0;
    d.cic_outputs = 0;
    d.highpass_x1 = d.highpass_y1 = 0;
}

void pdm_cic_sums(const uint32_t* words, int32_t word_count, uint32_t bits[2], uint32_t* sums) {
    uint32_t recent = bits[0], older = bits[1];
    for (int32_t half = 0; half < 2 * word_count; ++half) {
        // 16 more bits (earliest in the word's bit 31): the newest end up in bit 0.
        const uint32_t word = words[half >> 1];
        older = (older << 16) | (recent >> 16);
        recent = (recent << 16) | ((half & 1) ? word & 0xffffu : word >> 16);
        uint32_t sum = 0;
        for (int32_t i = 0; i < 4; ++i) sum += kCic.t[(recent >> (8 * i)) & 0xffu][i] + kCic.t[(older >> (8 * i)) & 0xffu][4 + i];
        sums[half] = sum;
    }
    bits[0] = recent, bits[1] = older;
}

namespace {

#if defined(__ARM_ARCH_6M__)
extern "C" void earshot_pdm_cic_sums_armv6m(const uint32_t* words, int32_t word_count, uint32_t* bits, uint32_t* sums,
                                            const uint16_t* tables);
extern "C" void earshot_pdm_fir_outputs_armv6m(const int32_t* window, int32_t count, const int32_t* h, int32_t* out);
#endif

inline void cic_sums(const uint32_t* words, int32_t word_count, uint32_t bits[2], uint32_t* sums) {
#if defined(__ARM_ARCH_6M__)
    earshot_pdm_cic_sums_armv6m(words, word_count, bits, sums, &kCic.t[0][0]);
#else
    pdm_cic_sums(words, word_count, bits, sums);
#endif
}

inline void fir_outputs(const int32_t* window, int32_t count, int32_t* out) {
#if defined(__ARM_ARCH_6M__)
    earshot_pdm_fir_outputs_armv6m(window, count, kFir32.h, out);
#else
    pdm_fir_outputs(window, count, out);
#endif
}

// The 31-tap FIR over 31 consecutive stage-1 outputs, folded on its symmetry (h[k] = h[30 - k],
// so the order does not matter either): 16 multiplies.
inline int32_t fir_output(const int32_t* window) {
    constexpr int32_t kMid = kPdmFirTaps / 2;
    const int16_t* h = kFir.h;
#if defined(__GNUC__)
    // Hide the values: GCC turns multiplies by known constants into shift-and-add chains, which
    // are slower than the RP2040's single-cycle multiplier.
    __asm__("" : "+r"(h));
#endif
    int32_t acc = int32_t{h[kMid]} * window[kMid];  // |sum| < 1.2 * 32768 * 16384: fits
#pragma GCC unroll 15
    for (int32_t k = 0; k < kMid; ++k) acc += int32_t{h[k]} * (window[k] + window[kPdmFirTaps - 1 - k]);
    return acc;
}

}  // namespace

void pdm_fir_outputs(const int32_t* window, int32_t count, int32_t* out) {
    for (int32_t j = 0; j < count; ++j) out[j] = fir_output(window + 4 * j);
}

int32_t pdm_decimate(PdmDecimator& d, const uint32_t* words, int32_t word_count, int16_t* pcm) {
    constexpr int32_t kWordsPerPass = 32;  // 64 stage-1 outputs at a time, on the stack
    constexpr int32_t kTail = kPdmFirTaps - 1;
    int32_t window[kTail + 2 * kWordsPerPass];  // the previous 30 stage-1 outputs, then this pass's
    uint32_t sums[2 * kWordsPerPass];
    for (int32_t i = 0; i < kTail; ++i) window[i] = d.stage1_tail[i];
    int32_t produced = 0;
    for (int32_t w = 0; w < word_count; w += kWordsPerPass) {
        const int32_t n = 2 * (word_count - w < kWordsPerPass ? word_count - w : kWordsPerPass);
        cic_sums(words + w, n / 2, d.bits, sums);
        // CIC output = 2 * sum - sum(h over the bits so far), which is 65536 once 64 bits have
        // arrived; its gain is 16^4 = 65536 (+-1 in, +-65536 out): keep 15 bits for the FIR.
        int32_t i = 0;
        for (; i < n && d.cic_started < 3; ++i) window[kTail + i] = (2 * static_cast<int32_t>(sums[i]) - kCic.ramp[d.cic_started++]) >> 2;
        for (; i < n; ++i) window[kTail + i] = (2 * static_cast<int32_t>(sums[i]) - 65536) >> 2;
        // A PCM sample whenever a fourth stage-1 output has arrived since the last one.
        const int32_t first = 3 - d.cic_outputs;
        const int32_t count = first < n ? (n - 1 - first) / 4 + 1 : 0;
        int32_t sums_fir[kWordsPerPass / 2];
        if (count > 0) fir_outputs(window + first, count, sums_fir);  // window + i .. + 30 ends at output i
        for (int32_t j = 0; j < count; ++j) {
            const int32_t x = sums_fir[j] >> 14;  // +-1 -> +-32768
            // y = x - x1 + (1 - 2^-8) y1 with y kept in 1/256ths: no multiply, no overflow, and
            // no dead zone above a fraction of an LSB.
            d.highpass_y1 += (x - d.highpass_x1) * 256;
            d.highpass_y1 -= d.highpass_y1 >> 8;
            d.highpass_x1 = x;
            pcm[produced++] = saturate16(d.highpass_y1 >> 8);
        }
        d.cic_outputs = (d.cic_outputs + n) % 4;
        for (int32_t i = 0; i < kTail; ++i) window[i] = window[n + i];
    }
    for (int32_t i = 0; i < kTail; ++i) d.stage1_tail[i] = window[i];
    return produced;
}

}  // namespace earshot::dsp
