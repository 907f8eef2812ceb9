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

// Eight input bits at once: the integrator cascade is linear, so 8 steps with inputs x_1..x_8
// (x_1 = the byte's bit 7) move (a, b, c, d) to
//   a + S0,  b + 8a + S1,  c + 8b + 36a + S2,  d + 8c + 36b + 120a + S3,
// with S_k = sum_j C(8 - j + k, k) x_j. Tables of S_k per byte make the CIC 8x cheaper per bit,
// with the same (wrapping) results.
struct ByteSums {
    int32_t s[256][4];
};

constexpr ByteSums make_byte_sums() {
    ByteSums t{};
    for (int byte = 0; byte < 256; ++byte) {
        int32_t a = 0, b = 0, c = 0, d = 0;  // run the cascade from zero on this byte
        for (int bit = 7; bit >= 0; --bit) {
            a += ((byte >> bit) & 1) ? 1 : -1;
            b += a;
            c += b;
            d += c;
        }
        t.s[byte][0] = a, t.s[byte][1] = b, t.s[byte][2] = c, t.s[byte][3] = d;
    }
    return t;
}

constexpr ByteSums kByteSums = make_byte_sums();


int16_t saturate16(int32_t v) { return static_cast<int16_t>(v < -32768 ? -32768 : (v > 32767 ? 32767 : v)); }

}  // namespace

const int16_t* pdm_fir_coefficients() { return kFir.h; }

void pdm_reset(PdmDecimator& d) {
    for (int i = 0; i < 4; ++i) d.integrator[i] = d.comb_delay[i] = 0;
    for (int32_t& v : d.fir_history) v = 0;
    d.fir_head = 0;
    d.bits_in_cic = 0;
    d.cic_outputs = 0;
    d.highpass_x1 = d.highpass_y1 = 0;
}

int32_t pdm_decimate(PdmDecimator& d, const uint32_t* words, int32_t word_count, int16_t* pcm) {
    int32_t produced = 0;
    uint32_t i1 = d.integrator[0], i2 = d.integrator[1], i3 = d.integrator[2], i4 = d.integrator[3];
    for (int32_t w = 0; w < word_count; ++w) {
        const uint32_t word = words[w];
        for (int32_t shift = 24; shift >= 0; shift -= 8) {
            const int32_t* sums = kByteSums.s[(word >> shift) & 0xffu];
            // Integrators in wrapping unsigned arithmetic (the comb undoes the wrap); the order
            // matters: each line uses the others' values from before the byte.
            i4 += 8u * i3 + 36u * i2 + 120u * i1 + static_cast<uint32_t>(sums[3]);
            i3 += 8u * i2 + 36u * i1 + static_cast<uint32_t>(sums[2]);
            i2 += 8u * i1 + static_cast<uint32_t>(sums[1]);
            i1 += static_cast<uint32_t>(sums[0]);
            d.bits_in_cic += 8;
            if (d.bits_in_cic < 16) continue;
            d.bits_in_cic = 0;
            uint32_t c = i4;
            for (int st = 0; st < 4; ++st) {
                const uint32_t next = c - d.comb_delay[st];
                d.comb_delay[st] = c;
                c = next;
            }
            // CIC gain is 16^4 = 65536: +-1 in gives +-65536 out; keep 15 bits for the FIR.
            d.fir_head = d.fir_head == 0 ? kPdmFirTaps - 1 : d.fir_head - 1;
            d.fir_history[d.fir_head] = static_cast<int32_t>(c) >> 2;
            if (++d.cic_outputs < 4) continue;
            d.cic_outputs = 0;
            int32_t acc = 0;  // |sum| < 1.2 * 32768 * 16384: fits
            for (int32_t k = 0, at = d.fir_head; k < kPdmFirTaps; ++k, at = at + 1 == kPdmFirTaps ? 0 : at + 1) {
                acc += int32_t{kFir.h[k]} * d.fir_history[at];
            }
            const int32_t x = acc >> 14;  // +-1 full scale -> +-32768
            // y = x - x1 + (1 - 2^-8) y1 with y kept in 1/256ths: no multiply, no overflow, and
            // no dead zone above a fraction of an LSB.
            d.highpass_y1 += (x - d.highpass_x1) * 256;
            d.highpass_y1 -= d.highpass_y1 >> 8;
            d.highpass_x1 = x;
            pcm[produced++] = saturate16(d.highpass_y1 >> 8);
        }
    }
    d.integrator[0] = i1, d.integrator[1] = i2, d.integrator[2] = i3, d.integrator[3] = i4;
    return produced;
}

}  // namespace earshot::dsp
