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
struct CfftTwiddles {
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
struct SplitCoefficients {
    int16_t a[2 * kCfftLength];
    int16_t b[2 * kCfftLength];
};

constexpr SplitCoefficients make_split_coefficients() {
    SplitCoefficients c{};
    for (int i = 0; i < kCfftLength; ++i) {
        const double s = detail::sin_turn(i, kRfftLength);
        const double co = detail::cos_turn(i, kRfftLength);
        c.a[2 * i] = detail::round_to_q15(0.5 * (1.0 - s));
        c.a[2 * i + 1] = detail::round_to_q15(-0.5 * co);
        c.b[2 * i] = detail::round_to_q15(0.5 * (1.0 + s));
        c.b[2 * i + 1] = detail::round_to_q15(0.5 * co);
    }
    return c;
}

constexpr CfftTwiddles kTwiddles = make_cfft_twiddles();
constexpr SplitCoefficients kSplit = make_split_coefficients();

struct Cplx {
    int16_t re, im;
};

inline Cplx load(const int16_t* x, uint32_t i) { return {x[2 * i], x[2 * i + 1]}; }
inline void store(int16_t* x, uint32_t i, int16_t re, int16_t im) {
    x[2 * i] = re;
    x[2 * i + 1] = im;
}
inline Cplx shr(Cplx c, int s) { return {static_cast<int16_t>(c.re >> s), static_cast<int16_t>(c.im >> s)}; }
inline Cplx sat_add(Cplx a, Cplx b) { return {saturate_q15(a.re + b.re), saturate_q15(a.im + b.im)}; }
inline Cplx sat_sub(Cplx a, Cplx b) { return {saturate_q15(a.re - b.re), saturate_q15(a.im - b.im)}; }

// (p*q + r*s) >> 16 with C's 32-bit int overflow semantics, kept to 16 bits. The operands are
// q15, so each product fits in int32 and only the sum may wrap: 32-bit wrapping arithmetic
// gives the same bits without a 64-bit multiply (a library call on the Cortex-M0+).
inline int16_t mac2_hi(int32_t p, int32_t q, int32_t r, int32_t s) { return wrap_q15(wrapping_add(p * q, r * s) >> 16); }

// x * conj(w) for w = (co, si): re = co*x.re + si*x.im, im = co*x.im - si*x.re.
inline void store_twiddled(int16_t* x, uint32_t i, Cplx v, int16_t co, int16_t si) {
    store(x, i, mac2_hi(co, v.re, si, v.im), mac2_hi(-int32_t{si}, v.re, co, v.im));
}

struct Twiddle3 {
    int16_t co1, si1, co2, si2, co3, si3;
};

inline Twiddle3 twiddles_at(const int16_t* coef, uint32_t ic) {
    return {coef[2 * ic], coef[2 * ic + 1], coef[4 * ic], coef[4 * ic + 1], coef[6 * ic], coef[6 * ic + 1]};
}

// Radix-4 decimation-in-frequency butterflies (arm_radix4_butterfly_q15); output in
// bit-reversed order. First stage pre-scales by 1/4, every stage halves once more.
void radix4_butterfly(int16_t* x, uint32_t n, const int16_t* coef, uint32_t modifier) {
    uint32_t n2 = n >> 2;
    uint32_t ic = 0;

    for (uint32_t i0 = 0; i0 < n2; ++i0) {  // first stage
        const uint32_t i1 = i0 + n2, i2 = i1 + n2, i3 = i2 + n2;
        const Cplx a = shr(load(x, i0), 2), b = shr(load(x, i1), 2);
        const Cplx c = shr(load(x, i2), 2), d = shr(load(x, i3), 2);
        const Twiddle3 w = twiddles_at(coef, ic);
        const Cplx r = sat_add(a, c), s = sat_sub(a, c), t = sat_add(b, d), u = sat_sub(b, d);
        store(x, i0, static_cast<int16_t>((r.re >> 1) + (t.re >> 1)),
              static_cast<int16_t>((r.im >> 1) + (t.im >> 1)));
        store_twiddled(x, i1, sat_sub(r, t), w.co2, w.si2);
        const Cplx xb = {saturate_q15(s.re + u.im), saturate_q15(s.im - u.re)};
        const Cplx xd = {saturate_q15(s.re - u.im), saturate_q15(s.im + u.re)};
        store_twiddled(x, i2, xb, w.co1, w.si1);
        store_twiddled(x, i3, xd, w.co3, w.si3);
        ic += modifier;
    }
    modifier <<= 2;

    for (uint32_t k = n / 4; k > 4; k >>= 2) {  // middle stages
        const uint32_t n1 = n2;
        n2 >>= 2;
        ic = 0;
        for (uint32_t j = 0; j < n2; ++j) {
            const Twiddle3 w = twiddles_at(coef, ic);
            ic += modifier;
            for (uint32_t i0 = j; i0 < n; i0 += n1) {
                const uint32_t i1 = i0 + n2, i2 = i1 + n2, i3 = i2 + n2;
                const Cplx a = load(x, i0), b = load(x, i1), c = load(x, i2), d = load(x, i3);
                const Cplx r = sat_add(a, c), s = sat_sub(a, c), t = sat_add(b, d), u = sat_sub(b, d);
                store(x, i0, static_cast<int16_t>(((r.re >> 1) + (t.re >> 1)) >> 1),
                      static_cast<int16_t>(((r.im >> 1) + (t.im >> 1)) >> 1));
                const Cplx rt = {static_cast<int16_t>((r.re >> 1) - (t.re >> 1)),
                                 static_cast<int16_t>((r.im >> 1) - (t.im >> 1))};
                store_twiddled(x, i1, rt, w.co2, w.si2);
                const Cplx xb = {static_cast<int16_t>((s.re >> 1) + (u.im >> 1)),
                                 static_cast<int16_t>((s.im >> 1) - (u.re >> 1))};
                const Cplx xd = {static_cast<int16_t>((s.re >> 1) - (u.im >> 1)),
                                 static_cast<int16_t>((s.im >> 1) + (u.re >> 1))};
                store_twiddled(x, i2, xb, w.co1, w.si1);
                store_twiddled(x, i3, xd, w.co3, w.si3);
            }
        }
        modifier <<= 2;
    }

    const uint32_t n1 = n2;  // last stage: twiddles are all 1
    n2 >>= 2;
    for (uint32_t i0 = 0; i0 <= n - n1; i0 += n1) {
        const uint32_t i1 = i0 + n2, i2 = i1 + n2, i3 = i2 + n2;
        const Cplx a = load(x, i0), b = load(x, i1), c = load(x, i2), d = load(x, i3);
        const Cplx r = sat_add(a, c), s = sat_sub(a, c), t = sat_add(b, d), u = sat_sub(b, d);
        store(x, i0, static_cast<int16_t>((r.re >> 1) + (t.re >> 1)), static_cast<int16_t>((r.im >> 1) + (t.im >> 1)));
        store(x, i1, static_cast<int16_t>((r.re >> 1) - (t.re >> 1)), static_cast<int16_t>((r.im >> 1) - (t.im >> 1)));
        store(x, i2, static_cast<int16_t>((s.re >> 1) + (u.im >> 1)), static_cast<int16_t>((s.im >> 1) - (u.re >> 1)));
        store(x, i3, static_cast<int16_t>((s.re >> 1) - (u.im >> 1)), static_cast<int16_t>((s.im >> 1) + (u.re >> 1)));
    }
}

// One radix-2 stage splits 128 points into two 64-point radix-4 FFTs (arm_cfft_radix4by2_q15).
void radix4by2(int16_t* x, uint32_t n, const int16_t* coef) {
    const uint32_t half = n >> 1;
    for (uint32_t i = 0; i < half; ++i) {
        const int16_t co = coef[2 * i], si = coef[2 * i + 1];
        const uint32_t l = i + half;
        const int16_t xt = static_cast<int16_t>((x[2 * i] >> 1) - (x[2 * l] >> 1));
        const int16_t yt = static_cast<int16_t>((x[2 * i + 1] >> 1) - (x[2 * l + 1] >> 1));
        x[2 * i] = static_cast<int16_t>(((x[2 * i] >> 1) + (x[2 * l] >> 1)) >> 1);
        x[2 * i + 1] = static_cast<int16_t>(((x[2 * l + 1] >> 1) + (x[2 * i + 1] >> 1)) >> 1);
        // Each product is truncated to 16 bits before the sum, and the sum wraps.
        const auto hi = [](int16_t p, int16_t q) { return wrap_q15((int32_t{p} * q) >> 16); };
        x[2 * l] = wrap_q15(hi(xt, co) + hi(yt, si));
        x[2 * l + 1] = wrap_q15(hi(yt, co) - hi(xt, si));
    }
    radix4_butterfly(x, half, coef, 2);
    radix4_butterfly(x + n, half, coef, 2);
    for (uint32_t i = 0; i < 2 * n; ++i) x[i] = wrap_q15(int32_t{x[i]} * 2);
}

constexpr uint32_t reverse_bits(uint32_t v, int bits) {
    uint32_t r = 0;
    for (int b = 0; b < bits; ++b) r |= ((v >> b) & 1u) << (bits - 1 - b);
    return r;
}

// The radix-4 stages leave bin k at position bitreverse7(k); swap pairs back to natural order.
void bit_reverse_128(int16_t* x) {
    for (uint32_t p = 0; p < kCfftLength; ++p) {
        const uint32_t q = reverse_bits(p, 7);
        if (q > p) {
            const int16_t re = x[2 * p], im = x[2 * p + 1];
            x[2 * p] = x[2 * q];
            x[2 * p + 1] = x[2 * q + 1];
            x[2 * q] = re;
            x[2 * q + 1] = im;
        }
    }
}

// Recover the real signal's spectrum from the half-length complex FFT (arm_split_rfft_q15).
void split_rfft(const int16_t* z, int16_t* bins) {
    constexpr uint32_t n = kCfftLength;
    for (uint32_t i = 1; i < n; ++i) {
        const int32_t ar = kSplit.a[2 * i], ai = kSplit.a[2 * i + 1];
        const int32_t br = kSplit.b[2 * i], bi = kSplit.b[2 * i + 1];
        const int32_t x1r = z[2 * i], x1i = z[2 * i + 1];
        const int32_t x2r = z[2 * (n - i)], x2i = z[2 * (n - i) + 1];
        // q15 x q15 products fit in int32; the sums wrap like the reference's 32-bit ints.
        const int32_t out_re = wrapping_add(wrapping_sub(x1r * ar, x1i * ai), wrapping_add(x2r * br, x2i * bi));
        const int32_t out_im = wrapping_add(wrapping_sub(x2r * bi, x2i * br), wrapping_add(x1i * ar, x1r * ai));
        bins[2 * i] = wrap_q15(out_re >> 16);
        bins[2 * i + 1] = wrap_q15(out_im >> 16);
    }
    bins[2 * n] = static_cast<int16_t>((int32_t{z[0]} - z[1]) >> 1);
    bins[2 * n + 1] = 0;
    bins[0] = static_cast<int16_t>((int32_t{z[0]} + z[1]) >> 1);
    bins[1] = 0;
}

}  // namespace

void cfft128_q15(int16_t* data) {
    radix4by2(data, kCfftLength, kTwiddles.v);
    bit_reverse_128(data);
}

void rfft256_q15(int16_t* samples, int16_t* bins) {
    cfft128_q15(samples);  // the 256 reals are read as 128 complex values
    split_rfft(samples, bins);
}

}  // namespace earshot::dsp
