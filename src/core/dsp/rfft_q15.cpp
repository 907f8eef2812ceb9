// Fixed-point FFT written to reproduce CMSIS-DSP 5.8.0's portable (non-DSP-extension) integer
// arithmetic step for step: the same pre-scaling, truncating shifts, saturations and 16-bit
// wrap-arounds, so the host and the Cortex-M0+ produce the reference bits.
#include "core/dsp/rfft_q15.hpp"

#include "core/bits.hpp"

#include "core/dsp/q15.hpp"
#include "core/dsp/turns.hpp"

namespace earshot::dsp {
namespace {

constexpr int kCfftLength = kRfftLength / 2;  // 128 complex points
constexpr int kTwiddleCount = 3 * kCfftLength / 4;

// cos/sin(2 pi i / 128), interleaved, floored to q15 (CMSIS twiddleCoef_128_q15).
struct alignas(4) CfftTwiddles {  // (co, si) read as one word by the assembly
    int16_t v[2 * kTwiddleCount];
};

constexpr CfftTwiddles make_cfft_twiddles() {
    CfftTwiddles t{};
    for (int i = 0; i < kTwiddleCount; ++i) {
        t.v[2 * i] = detail::floor_to_q15(detail::cos_turn(i, kCfftLength));
        t.v[2 * i + 1] = detail::floor_to_q15(detail::sin_turn(i, kCfftLength));
    }
    return t;
}

// Split-stage coefficients for angle 2 pi i / 256 (CMSIS realCoefA/BQ15 at modifier 32):
// A = 0.5 (1 - sin, -cos), B = 0.5 (1 + sin, cos).
// Stored per bin as int32 (ar, ai, br, bi): one bin's four in one place, loaded by word.
struct SplitCoefficients {
    int32_t abi[kCfftLength][4];
};

constexpr SplitCoefficients make_split_coefficients() {
    SplitCoefficients c{};
    for (int i = 0; i < kCfftLength; ++i) {
        const double s = detail::sin_turn(i, kRfftLength);
        const double co = detail::cos_turn(i, kRfftLength);
        c.abi[i][0] = detail::round_to_q15(0.5 * (1.0 - s));
        c.abi[i][1] = detail::round_to_q15(-0.5 * co);
        c.abi[i][2] = detail::round_to_q15(0.5 * (1.0 + s));
        c.abi[i][3] = detail::round_to_q15(0.5 * co);
    }
    return c;
}

constexpr CfftTwiddles kTwiddles = make_cfft_twiddles();
constexpr SplitCoefficients kSplit = make_split_coefficients();

struct Cplx {
    int32_t re, im;
};

inline Cplx load(const int16_t* x, uint32_t i) { return {x[2 * i], x[2 * i + 1]}; }
inline void store(int16_t* x, uint32_t i, int32_t re, int32_t im) {
    x[2 * i] = wrap_q15(re);
    x[2 * i + 1] = wrap_q15(im);
}
inline Cplx shr(Cplx c, int s) { return {c.re >> s, c.im >> s}; }
inline Cplx sat_add(Cplx a, Cplx b) { return {saturate_q15(a.re + b.re), saturate_q15(a.im + b.im)}; }
inline Cplx sat_sub(Cplx a, Cplx b) { return {saturate_q15(a.re - b.re), saturate_q15(a.im - b.im)}; }

// x * conj(w) for w = (co, si), each part (p*q + r*s) >> 16 kept to 16 bits: re = co*x.re +
// si*x.im, im = co*x.im - si*x.re. The operands are q15, so each product fits in int32 and only
// the sum may wrap: 32-bit wrapping arithmetic gives the reference's bits without a 64-bit
// multiply (a library call on the Cortex-M0+).
inline void store_twiddled(int16_t* x, uint32_t i, Cplx v, const int32_t* w) {
    store(x, i, wrapping_add(w[0] * v.re, w[1] * v.im) >> 16, wrapping_sub(w[0] * v.im, w[1] * v.re) >> 16);
}

// Twiddles of the two twiddled stages of a 64-point radix-4 FFT inside the 128-point one
// (CMSIS reads twiddleCoef_128_q15 at modifier 2, then 8), as int32 so the assembly loads
// each with one ldr: (co1, si1, co2, si2, co3, si3) per butterfly of the first stage and per
// group of the middle stage.
constexpr int kRadix4Points = kCfftLength / 2;  // 64
constexpr int kFirstStageButterflies = kRadix4Points / 4;  // 16
constexpr int kMiddleStageGroups = 4;

struct Radix4Twiddles {
    int32_t first[6 * kFirstStageButterflies];
    int32_t middle[6 * kMiddleStageGroups];
};

constexpr Radix4Twiddles make_radix4_twiddles() {
    Radix4Twiddles t{};
    const auto put = [](int32_t* w, uint32_t ic) {
        for (uint32_t m = 1; m <= 3; ++m) {
            w[2 * (m - 1)] = kTwiddles.v[2 * m * ic];
            w[2 * (m - 1) + 1] = kTwiddles.v[2 * m * ic + 1];
        }
    };
    for (uint32_t b = 0; b < kFirstStageButterflies; ++b) put(t.first + 6 * b, 2 * b);
    for (uint32_t j = 0; j < kMiddleStageGroups; ++j) put(t.middle + 6 * j, 8 * j);
    return t;
}

constexpr Radix4Twiddles kRadix4 = make_radix4_twiddles();

}  // namespace

// Radix-4 decimation-in-frequency butterflies (arm_radix4_butterfly_q15 at n = 64), output
// in bit-reversed order. The first stage pre-scales by 1/4 (so its sums cannot saturate),
// every stage halves once more.
void radix4_first_stage64(int16_t* x) {
    constexpr uint32_t n2 = kRadix4Points / 4;
    for (uint32_t i0 = 0; i0 < n2; ++i0) {
        const uint32_t i1 = i0 + n2, i2 = i1 + n2, i3 = i2 + n2;
        const Cplx a = shr(load(x, i0), 2), b = shr(load(x, i1), 2);
        const Cplx c = shr(load(x, i2), 2), d = shr(load(x, i3), 2);
        const int32_t* w = kRadix4.first + 6 * i0;
        const Cplx r = sat_add(a, c), s = sat_sub(a, c), t = sat_add(b, d), u = sat_sub(b, d);
        store(x, i0, (r.re >> 1) + (t.re >> 1), (r.im >> 1) + (t.im >> 1));
        store_twiddled(x, i1, sat_sub(r, t), w + 2);
        store_twiddled(x, i2, {saturate_q15(s.re + u.im), saturate_q15(s.im - u.re)}, w);
        store_twiddled(x, i3, {saturate_q15(s.re - u.im), saturate_q15(s.im + u.re)}, w + 4);
    }
}

void radix4_middle_stage64(int16_t* x) {
    constexpr uint32_t n1 = kRadix4Points / 4, n2 = n1 / 4;
    for (uint32_t j = 0; j < n2; ++j) {
        const int32_t* w = kRadix4.middle + 6 * j;
        for (uint32_t i0 = j; i0 < kRadix4Points; i0 += n1) {
            const uint32_t i1 = i0 + n2, i2 = i1 + n2, i3 = i2 + n2;
            const Cplx a = load(x, i0), b = load(x, i1), c = load(x, i2), d = load(x, i3);
            // Every use below halves these, so halve once.
            const Cplx r = shr(sat_add(a, c), 1), s = shr(sat_sub(a, c), 1), t = shr(sat_add(b, d), 1), u = shr(sat_sub(b, d), 1);
            store(x, i0, (r.re + t.re) >> 1, (r.im + t.im) >> 1);
            store_twiddled(x, i1, {r.re - t.re, r.im - t.im}, w + 2);
            store_twiddled(x, i2, {s.re + u.im, s.im - u.re}, w);
            store_twiddled(x, i3, {s.re - u.im, s.im + u.re}, w + 4);
        }
    }
}

// The last stage's twiddles are all 1. radix4by2 doubles all 128 outputs (wrapping) once both
// halves are done; each output is final here, so it is doubled here.
void radix4_last_stage64_doubled(int16_t* x) {
    for (uint32_t i0 = 0; i0 < kRadix4Points; i0 += 4) {
        const uint32_t i1 = i0 + 1, i2 = i0 + 2, i3 = i0 + 3;
        const Cplx a = load(x, i0), b = load(x, i1), c = load(x, i2), d = load(x, i3);
        const Cplx r = shr(sat_add(a, c), 1), s = shr(sat_sub(a, c), 1), t = shr(sat_add(b, d), 1), u = shr(sat_sub(b, d), 1);
        store(x, i0, 2 * (r.re + t.re), 2 * (r.im + t.im));
        store(x, i1, 2 * (r.re - t.re), 2 * (r.im - t.im));
        store(x, i2, 2 * (s.re + u.im), 2 * (s.im - u.re));
        store(x, i3, 2 * (s.re - u.im), 2 * (s.im + u.re));
    }
}

const int32_t* radix4_first_twiddles() { return kRadix4.first; }
const int32_t* radix4_middle_twiddles() { return kRadix4.middle; }

namespace {

#if defined(__ARM_ARCH_6M__)
// rfft_radix4_armv6m.S
extern "C" void earshot_radix4_first_stage64_armv6m(int16_t* x, const int32_t* twiddles);
extern "C" void earshot_radix4_middle_stage64_armv6m(int16_t* x, const int32_t* twiddles);
extern "C" void earshot_radix4_last_stage64_doubled_armv6m(int16_t* x);
#endif

void radix4_64(int16_t* x) {
#if defined(__ARM_ARCH_6M__)
    earshot_radix4_first_stage64_armv6m(x, kRadix4.first);
    earshot_radix4_middle_stage64_armv6m(x, kRadix4.middle);
    earshot_radix4_last_stage64_doubled_armv6m(x);
#else
    radix4_first_stage64(x);
    radix4_middle_stage64(x);
    radix4_last_stage64_doubled(x);
#endif
}

}  // namespace

// One radix-2 stage splits 128 points into two 64-point halves (arm_cfft_radix4by2_q15's
// first loop): low half (a + b) / 4, high half ((a - b) / 2) * conj(w) per 16-bit product.
void radix2_split128(int16_t* x) {
    constexpr uint32_t half = kCfftLength / 2;
    const int16_t* coef = kTwiddles.v;
    int16_t* lo = x;
    int16_t* hi = x + 2 * half;
    for (uint32_t i = 0; i < half; ++i, lo += 2, hi += 2, coef += 2) {
        const int32_t co = coef[0], si = coef[1];
        const int32_t lr = lo[0] >> 1, li = lo[1] >> 1, hr = hi[0] >> 1, hm = hi[1] >> 1;
        const int32_t xt = wrap_q15(lr - hr), yt = wrap_q15(li - hm);
        lo[0] = wrap_q15((lr + hr) >> 1);
        lo[1] = wrap_q15((hm + li) >> 1);
        // Each product is truncated to 16 bits before the sum, and the sum wraps.
        const auto high = [](int32_t p, int32_t q) { return wrap_q15((p * q) >> 16); };
        hi[0] = wrap_q15(high(xt, co) + high(yt, si));
        hi[1] = wrap_q15(high(yt, co) - high(xt, si));
    }
}

const int16_t* cfft128_twiddles() { return kTwiddles.v; }

namespace {

#if defined(__ARM_ARCH_6M__)
extern "C" void earshot_radix2_split128_armv6m(int16_t* x, const int16_t* twiddles);
#endif

void radix4by2(int16_t* x) {
#if defined(__ARM_ARCH_6M__)
    earshot_radix2_split128_armv6m(x, kTwiddles.v);
#else
    radix2_split128(x);
#endif
    radix4_64(x);
    radix4_64(x + kCfftLength);
}

constexpr uint32_t reverse_bits(uint32_t v, int bits) {
    uint32_t r = 0;
    for (int b = 0; b < bits; ++b) r |= ((v >> b) & 1u) << (bits - 1 - b);
    return r;
}

// The 56 pairs (p, bitreverse7(p)) with p < its reverse: the radix-4 stages leave bin k at
// position bitreverse7(k), and swapping these pairs puts every bin back.
struct BitReversalSwaps {
    uint8_t p[56], q[56];
};

constexpr BitReversalSwaps make_swaps() {
    BitReversalSwaps s{};
    int n = 0;
    for (uint32_t p = 0; p < kCfftLength; ++p) {
        const uint32_t q = reverse_bits(p, 7);
        if (q > p) {
            s.p[n] = static_cast<uint8_t>(p);
            s.q[n] = static_cast<uint8_t>(q);
            ++n;
        }
    }
    return s;
}

constexpr BitReversalSwaps kSwaps = make_swaps();

void bit_reverse_128(int16_t* x) {
    for (int k = 0; k < 56; ++k) {
        int16_t* a = x + 2 * kSwaps.p[k];
        int16_t* b = x + 2 * kSwaps.q[k];
        const int16_t re = a[0], im = a[1];
        a[0] = b[0];
        a[1] = b[1];
        b[0] = re;
        b[1] = im;
    }
}

// Recover the real signal's spectrum from the half-length complex FFT (arm_split_rfft_q15):
// bin i from z[i] and z[128 - i], each bin on its own, so a caller may ask for some of them.
// DC and Nyquist come from z[0] alone.
inline void split_edge_bin(const int16_t* z, uint32_t i, int16_t* out) {
    out[0] = static_cast<int16_t>((i == 0 ? int32_t{z[0]} + z[1] : int32_t{z[0]} - z[1]) >> 1);
    out[1] = 0;
}

inline void split_inner_bin(const int16_t* z, uint32_t i, int16_t* out) {
    const int32_t* c = kSplit.abi[i];
    const int32_t x1r = z[2 * i], x1i = z[2 * i + 1];
    const int32_t x2r = z[2 * (kCfftLength - i)], x2i = z[2 * (kCfftLength - i) + 1];
    // q15 x q15 products fit in int32; the sums wrap like the reference's 32-bit ints.
    const int32_t out_re = wrapping_add(wrapping_sub(x1r * c[0], x1i * c[1]), wrapping_add(x2r * c[2], x2i * c[3]));
    const int32_t out_im = wrapping_add(wrapping_sub(x2r * c[3], x2i * c[2]), wrapping_add(x1i * c[0], x1r * c[1]));
    out[0] = wrap_q15(out_re >> 16);
    out[1] = wrap_q15(out_im >> 16);
}

inline void split_bin(const int16_t* z, uint32_t i, int16_t* out) {
    if (i == 0 || i == kCfftLength) {
        split_edge_bin(z, i, out);
    } else {
        split_inner_bin(z, i, out);
    }
}

}  // namespace

void cfft128_q15(int16_t* data) {
    radix4by2(data);
    bit_reverse_128(data);
}

void rfft256_q15(int16_t* samples, int16_t* bins) {
    cfft128_q15(samples);  // the 256 reals are read as 128 complex values
    split_edge_bin(samples, 0, bins);
    for (uint32_t i = 1; i < kCfftLength; ++i) split_inner_bin(samples, i, bins + 2 * i);
    split_edge_bin(samples, kCfftLength, bins + 2 * kCfftLength);
}

void rfft256_q15_bins(int16_t* samples, const int32_t* which, int32_t count, int16_t* bins) {
    cfft128_q15(samples);
    for (int32_t k = 0; k < count; ++k) split_bin(samples, static_cast<uint32_t>(which[k]), bins + 2 * k);
}

}  // namespace earshot::dsp
