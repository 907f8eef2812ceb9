// int8 kernels: TFLite's fixed-point rounding, hand-computed cases, and float-then-quantize
// references over random shapes and parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/nn/fixed_point.hpp"
#include "core/nn/kernels.hpp"
#include "core/nn/logistic.hpp"
#include "core/nn/softmax.hpp"
#include "host/error.hpp"
#include "host/nn/quant_params.hpp"

using namespace earshot;
using namespace earshot::nn;

TEST(FixedPoint, DoublingHighMulRoundsHalfUpAndSaturates) {
    EXPECT_EQ(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN), INT32_MAX);
    EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);
    std::mt19937 rng(1);
    std::uniform_int_distribution<int32_t> d(INT32_MIN, INT32_MAX);
    for (int i = 0; i < 200000; ++i) {
        const int32_t a = d(rng), b = i % 3 ? d(rng) : (1 << 30) * (i % 2 ? 1 : -1);
        if (a == INT32_MIN && b == INT32_MIN) continue;
        const long double exact = static_cast<long double>(a) * b / 2147483648.0L;
        ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b), static_cast<int32_t>(std::floor(exact + 0.5L))) << a << " * " << b;
    }
}

TEST(FixedPoint, RoundingDivideByPotRoundsHalfAwayFromZero) {
    EXPECT_EQ(rounding_divide_by_pot(3, 1), 2);
    EXPECT_EQ(rounding_divide_by_pot(-3, 1), -2);
    EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);
    EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);
    std::mt19937 rng(2);
    std::uniform_int_distribution<int32_t> d(INT32_MIN / 2, INT32_MAX / 2);
    for (int i = 0; i < 100000; ++i) {
        const int32_t x = d(rng);
        const int e = i % 31;
        const double q = static_cast<double>(x) / std::ldexp(1.0, e);
        const double expected = q >= 0 ? std::floor(q + 0.5) : std::ceil(q - 0.5);
        ASSERT_EQ(rounding_divide_by_pot(x, e), static_cast<int32_t>(expected)) << x << " / 2^" << e;
    }
}

TEST(QuantizeMultiplier, EncodesTheRealValue) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> exp(-20.0, 8.0);
    for (int i = 0; i < 20000; ++i) {
        const double real = std::pow(2.0, exp(rng));
        const QuantizedMultiplier q = quantize_multiplier(real);
        ASSERT_GE(q.multiplier, 1 << 30);
        const double decoded = q.multiplier * std::ldexp(1.0, q.shift - 31);
        ASSERT_NEAR(decoded / real, 1.0, 1.0 / (1 << 30)) << real;
        // And applied to an accumulator it is within one step of exact rounding.
        const int32_t acc = static_cast<int32_t>(rng() % 200001) - 100000;
        ASSERT_LE(std::abs(multiply_by_quantized_multiplier(acc, q.multiplier, q.shift) - std::round(acc * real)), 1.0) << acc << " x " << real;
    }
    EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
    EXPECT_EQ(quantize_multiplier(1.0).multiplier, 1 << 30);
    EXPECT_EQ(quantize_multiplier(1.0).shift, 1);
}

TEST(QuantParams, ActivationRangesAndPadding) {
    EXPECT_EQ(activation_range_int8(model::Activation::relu, 0.05f, -21).min, -21);
    EXPECT_EQ(activation_range_int8(model::Activation::relu, 0.05f, -21).max, 127);
    EXPECT_EQ(activation_range_int8(model::Activation::relu6, 0.05f, -21).max, 99);
    EXPECT_EQ(activation_range_int8(model::Activation::none, 0.05f, -21).min, -128);
    // The reference model: 32 -> 13 with an 8x8 VALID stride-2 conv, 13 -> 6 with 2x2 pooling.
    EXPECT_EQ(compute_padding(model::Padding::valid, 32, 8, 2, 1).out, 13);
    EXPECT_EQ(compute_padding(model::Padding::valid, 13, 2, 2, 1).out, 6);
    const auto same = compute_padding(model::Padding::same, 10, 3, 2, 1);
    EXPECT_EQ(same.out, 5);
    EXPECT_EQ(same.pad, 0);  // total padding 1: TFLite pads the bottom/right
    EXPECT_EQ(compute_padding(model::Padding::same, 10, 4, 1, 1).pad, 1);
}

TEST(QuantParams, NearestNeighbourMapsHonourBothFlags) {
    // half_pixel_centers: (i + 0.5) * 124 / 32, floored.
    const auto y = nearest_neighbor_map(124, 32, false, true);
    for (int i = 0; i < 32; ++i) EXPECT_EQ(y[static_cast<size_t>(i)], static_cast<int>(std::floor((i + 0.5) * 124.0 / 32.0))) << i;
    EXPECT_EQ(y.front(), 1);
    // Legacy (the reference firmware's old TFLM ignored half_pixel_centers): i * 124 / 32.
    const auto legacy = nearest_neighbor_map(124, 32, false, false);
    EXPECT_EQ(legacy.front(), 0);
    EXPECT_EQ(legacy[31], 120);
    // align_corners: round(i * 123 / 31), so both ends map to both ends.
    const auto aligned = nearest_neighbor_map(124, 32, true, false);
    EXPECT_EQ(aligned.front(), 0);
    EXPECT_EQ(aligned.back(), 123);
}

namespace {

struct RandomConvCase {
    Shape4 in, filter, out;
    ConvGeometry g;
    float in_scale, out_scale;
    int32_t in_zp, out_zp;
    std::vector<float> w_scale;
    std::vector<int8_t> input, weights;
    std::vector<int32_t> bias;
};

int8_t quantize_reference(double real, float out_scale, int32_t out_zp, int32_t lo, int32_t hi) {
    return static_cast<int8_t>(std::clamp<int64_t>(std::llround(real / out_scale) + out_zp, lo, hi));
}

}  // namespace

TEST(Conv2dInt8, HandComputed) {
    // 3x3 input, 2x2 filter of ones, zero points 0, multiplier exactly 1: plain sums.
    const int8_t input[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int8_t filter[] = {1, 1, 1, 1};
    const int32_t bias[] = {50};
    const QuantizedMultiplier one = quantize_multiplier(1.0);
    Requantize rq{&one.multiplier, &one.shift, false, 0, -128, 127};
    int8_t out[4];
    conv2d_int8({}, 0, rq, {1, 3, 3, 1}, input, {1, 2, 2, 1}, filter, bias, {1, 2, 2, 1}, out);
    EXPECT_EQ(out[0], 1 + 2 + 4 + 5 + 50);
    EXPECT_EQ(out[1], 2 + 3 + 5 + 6 + 50);
    EXPECT_EQ(out[3], 5 + 6 + 8 + 9 + 50);
    // Input offset 3 (zero point -3) adds 3 per tap; the activation clamps at 80.
    rq.act_max = 80;
    conv2d_int8({}, 3, rq, {1, 3, 3, 1}, input, {1, 2, 2, 1}, filter, bias, {1, 2, 2, 1}, out);
    EXPECT_EQ(out[0], 1 + 2 + 4 + 5 + 12 + 50);
    EXPECT_EQ(out[3], 80);
}

// A float re-computation of the same quantized model: real output = sum(w*s_w * (x-zp)*s_x) + b,
// quantized with round-to-nearest. Integer requantization may differ by one step.
TEST(Conv2dInt8, MatchesFloatReferenceOnRandomCases) {
    std::mt19937 rng(21);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int trial = 0; trial < 200; ++trial) {
        const bool depthwise = trial % 2 == 1;
        Shape4 in{1 + uni(0, 1), uni(3, 12), uni(3, 12), depthwise ? uni(1, 4) : uni(1, 5)};
        const int32_t mult = depthwise ? uni(1, 2) : 1;
        const int32_t out_c = depthwise ? in.c * mult : uni(1, 6);
        Shape4 filter{depthwise ? 1 : out_c, uni(1, 3), uni(1, 3), depthwise ? out_c : in.c};
        ConvGeometry g{uni(1, 2), uni(1, 2), uni(1, 2), uni(1, 2), 0, 0};
        const bool fits = (filter.h - 1) * g.dilation_h < in.h && (filter.w - 1) * g.dilation_w < in.w;
        const auto pad = trial % 4 < 2 || !fits ? model::Padding::same : model::Padding::valid;
        const Padded ph = compute_padding(pad, in.h, filter.h, g.stride_h, g.dilation_h);
        const Padded pw = compute_padding(pad, in.w, filter.w, g.stride_w, g.dilation_w);
        g.pad_h = ph.pad;
        g.pad_w = pw.pad;
        Shape4 out{in.n, ph.out, pw.out, out_c};

        const float in_scale = 0.02f + 0.1f * uni(0, 10) / 10.0f, out_scale = 0.05f + 0.5f * uni(0, 10) / 10.0f;
        const int32_t in_zp = uni(-128, 127), out_zp = uni(-50, 50);
        std::vector<float> w_scale(static_cast<size_t>(out_c));
        for (auto& s : w_scale) s = 0.001f + 0.02f * uni(0, 100) / 100.0f;
        std::vector<int8_t> input(static_cast<size_t>(in.n * in.h * in.w * in.c)), weights(static_cast<size_t>(filter.n * filter.h * filter.w * filter.c));
        for (auto& v : input) v = static_cast<int8_t>(uni(-128, 127));
        for (auto& v : weights) v = static_cast<int8_t>(uni(-127, 127));
        std::vector<int32_t> bias(static_cast<size_t>(out_c));
        for (auto& b : bias) b = uni(-5000, 5000);

        std::vector<int32_t> m(static_cast<size_t>(out_c)), sh(static_cast<size_t>(out_c));
        for (int c = 0; c < out_c; ++c) {
            const auto q = quantize_multiplier(static_cast<double>(in_scale) * w_scale[static_cast<size_t>(c)] / out_scale);
            m[static_cast<size_t>(c)] = q.multiplier;
            sh[static_cast<size_t>(c)] = q.shift;
        }
        const auto act = activation_range_int8(trial % 3 == 0 ? model::Activation::relu : model::Activation::none, out_scale, out_zp);
        const Requantize rq{m.data(), sh.data(), true, out_zp, act.min, act.max};
        std::vector<int8_t> got(static_cast<size_t>(out.n * out.h * out.w * out.c));
        if (depthwise) depthwise_conv2d_int8(g, mult, -in_zp, rq, in, input.data(), filter, weights.data(), bias.data(), out, got.data());
        else conv2d_int8(g, -in_zp, rq, in, input.data(), filter, weights.data(), bias.data(), out, got.data());

        for (int32_t b = 0; b < out.n; ++b)
            for (int32_t oy = 0; oy < out.h; ++oy)
                for (int32_t ox = 0; ox < out.w; ++ox)
                    for (int32_t oc = 0; oc < out.c; ++oc) {
                        double acc = 0;
                        const int32_t ic_lo = depthwise ? oc / mult : 0, ic_hi = depthwise ? oc / mult + 1 : in.c;
                        for (int32_t fy = 0; fy < filter.h; ++fy)
                            for (int32_t fx = 0; fx < filter.w; ++fx)
                                for (int32_t ic = ic_lo; ic < ic_hi; ++ic) {
                                    const int32_t iy = oy * g.stride_h - g.pad_h + fy * g.dilation_h, ix = ox * g.stride_w - g.pad_w + fx * g.dilation_w;
                                    if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
                                    const int8_t w = depthwise ? weights[static_cast<size_t>((fy * filter.w + fx) * filter.c + oc)]
                                                               : weights[static_cast<size_t>(((oc * filter.h + fy) * filter.w + fx) * filter.c + ic)];
                                    acc += static_cast<double>(w) * (input[static_cast<size_t>(((b * in.h + iy) * in.w + ix) * in.c + ic)] - in_zp);
                                }
                        const double real = (acc + bias[static_cast<size_t>(oc)]) * in_scale * w_scale[static_cast<size_t>(oc)];
                        const int expected = quantize_reference(real, out_scale, out_zp, act.min, act.max);
                        const int actual = got[static_cast<size_t>(((b * out.h + oy) * out.w + ox) * out.c + oc)];
                        ASSERT_LE(std::abs(actual - expected), 1) << "trial " << trial << (depthwise ? " depthwise" : " conv") << " at " << oy << "," << ox << "," << oc;
                    }
    }
}

TEST(PoolInt8, MaxAndAverageWithPadding) {
    // 1x3x3x1, 2x2 window, stride 2, SAME padding of 0 top-left: windows clip at the edge.
    const int8_t input[] = {1, -5, 3, 7, 2, -8, -1, 4, 100};
    PoolGeometry g{2, 2, 2, 2, 0, 0, -128, 127};
    int8_t out[4];
    max_pool_int8(g, {1, 3, 3, 1}, input, {1, 2, 2, 1}, out);
    EXPECT_EQ(out[0], 7);
    EXPECT_EQ(out[1], 3);   // only the column x=2 is inside
    EXPECT_EQ(out[2], 4);
    EXPECT_EQ(out[3], 100);
    average_pool_int8(g, {1, 3, 3, 1}, input, {1, 2, 2, 1}, out);
    EXPECT_EQ(out[0], 1);   // (1 - 5 + 7 + 2) / 4 = 1.25 -> 1
    EXPECT_EQ(out[1], -3);  // (3 - 8) / 2 = -2.5 -> -3 (half away from zero)
    EXPECT_EQ(out[2], 2);   // (-1 + 4) / 2 = 1.5 -> 2
    EXPECT_EQ(out[3], 100);
    g.act_max = 50;
    max_pool_int8(g, {1, 3, 3, 1}, input, {1, 2, 2, 1}, out);
    EXPECT_EQ(out[3], 50);
}

TEST(FullyConnectedInt8, MatchesFloatReference) {
    std::mt19937 rng(8);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int trial = 0; trial < 100; ++trial) {
        const int32_t batches = uni(1, 3), depth = uni(1, 300), units = uni(1, 10);
        const float in_s = 0.05f, w_s = 0.002f + 0.01f * uni(0, 10) / 10.0f, out_s = 0.05f + uni(0, 10) / 20.0f;
        const int32_t in_zp = uni(-128, 127), out_zp = uni(-20, 20);
        std::vector<int8_t> x(static_cast<size_t>(batches * depth)), w(static_cast<size_t>(units * depth));
        for (auto& v : x) v = static_cast<int8_t>(uni(-128, 127));
        for (auto& v : w) v = static_cast<int8_t>(uni(-127, 127));
        std::vector<int32_t> bias(static_cast<size_t>(units));
        for (auto& b : bias) b = uni(-2000, 2000);
        // TFLite forms the input-times-filter scale in float before dividing in double.
        const auto q = quantize_multiplier(static_cast<double>(in_s * w_s) / out_s);
        const Requantize rq{&q.multiplier, &q.shift, false, out_zp, -128, 127};
        std::vector<int8_t> y(static_cast<size_t>(batches * units));
        fully_connected_int8(-in_zp, 0, rq, batches, depth, units, x.data(), w.data(), bias.data(), y.data());
        for (int32_t b = 0; b < batches; ++b)
            for (int32_t u = 0; u < units; ++u) {
                double acc = bias[static_cast<size_t>(u)];
                for (int32_t d = 0; d < depth; ++d) acc += static_cast<double>(w[static_cast<size_t>(u * depth + d)]) * (x[static_cast<size_t>(b * depth + d)] - in_zp);
                const int expected = quantize_reference(acc * in_s * w_s, out_s, out_zp, -128, 127);
                ASSERT_LE(std::abs(y[static_cast<size_t>(b * units + u)] - expected), 1) << trial;
            }
    }
}

TEST(ResizeNearestInt8, CopiesMappedPixels) {
    std::vector<int8_t> input(124 * 129);
    for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int8_t>(i * 7 % 256 - 128);
    const auto ym = nearest_neighbor_map(124, 32, false, true), xm = nearest_neighbor_map(129, 32, false, true);
    std::vector<int8_t> out(32 * 32);
    resize_nearest_int8({1, 124, 129, 1}, input.data(), {1, 32, 32, 1}, ym.data(), xm.data(), out.data());
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x)
            ASSERT_EQ(out[static_cast<size_t>(y * 32 + x)], input[static_cast<size_t>(ym[static_cast<size_t>(y)] * 129 + xm[static_cast<size_t>(x)])]);
}

TEST(Logistic, FixedPointCoreIsAccurate) {
    EXPECT_EQ(logistic_q4_27(0), 1 << 30);
    double worst = 0;
    for (int64_t raw = -(int64_t{1} << 31) + 1; raw < (int64_t{1} << 31); raw += 65537) {
        const double x = static_cast<double>(raw) / (1 << 27);
        const double got = logistic_q4_27(static_cast<int32_t>(raw)) / 2147483648.0;
        worst = std::max(worst, std::abs(got - 1.0 / (1.0 + std::exp(-x))));
    }
    EXPECT_LT(worst, 1e-6);
}

TEST(Logistic, Int8KernelOverEveryInput) {
    for (const float scale : {0.065778248f, 0.01f, 0.2f, 1.0f}) {
        for (const int32_t zp : {-3, -128, 0, 100}) {
            const LogisticParams p = logistic_params_int8(scale, zp, 1.0f / 256, -128);
            int8_t in[256], out[256];
            for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
            logistic_int8(p, 256, in, out);
            for (int i = 0; i < 256; ++i) {
                const double real = 1.0 / (1.0 + std::exp(-scale * (in[i] - zp)));
                const double expected = std::clamp(std::round(real * 256.0) - 128.0, -128.0, 127.0);
                ASSERT_LE(std::abs(out[i] - expected), 1.0) << "scale " << scale << " zp " << zp << " q " << int{in[i]};
                if (i > 0) {
                    ASSERT_GE(out[i], out[i - 1]) << "monotonic";
                }
            }
        }
    }
    EXPECT_THROW(logistic_params_int8(0.1f, 0, 1.0f / 128, -128), Error);
}

TEST(Softmax, Int8RowsMatchFloatSoftmax) {
    std::mt19937 rng(13);
    for (const float scale : {0.02f, 0.1f, 0.4f}) {
        for (const float beta : {1.0f, 2.0f}) {
            const SoftmaxParams p = softmax_params_int8(beta, scale, 1.0f / 256, -128);
            const int rows = 20, depth = 50;
            std::vector<int8_t> x(rows * depth), y(rows * depth);
            for (auto& v : x) v = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
            softmax_int8(p, rows, depth, x.data(), y.data());
            for (int r = 0; r < rows; ++r) {
                double denom = 0;
                const int mx = *std::max_element(x.begin() + r * depth, x.begin() + (r + 1) * depth);
                for (int c = 0; c < depth; ++c) denom += std::exp(beta * scale * (x[static_cast<size_t>(r * depth + c)] - mx));
                int total = 0;
                for (int c = 0; c < depth; ++c) {
                    const double prob = std::exp(beta * scale * (x[static_cast<size_t>(r * depth + c)] - mx)) / denom;
                    const double expected = std::clamp(std::round(prob * 256.0) - 128.0, -128.0, 127.0);
                    ASSERT_LE(std::abs(y[static_cast<size_t>(r * depth + c)] - expected), 1.0) << "scale " << scale << " beta " << beta << " row " << r << " col " << c;
                    total += y[static_cast<size_t>(r * depth + c)] + 128;
                }
                EXPECT_NEAR(total, 256, depth / 2) << "probabilities sum to about one";
            }
        }
    }
    EXPECT_THROW(softmax_params_int8(1.0f, 0.1f, 1.0f / 255, -128), Error);
}

TEST(Softmax, OneHotAndUniformRows) {
    const SoftmaxParams p = softmax_params_int8(1.0f, 0.5f, 1.0f / 256, -128);
    int8_t x[4] = {127, -128, -128, -128}, y[4];
    softmax_int8(p, 1, 4, x, y);
    EXPECT_EQ(y[0], 127);  // ~1.0 saturates to the largest int8
    EXPECT_EQ(y[1], -128);
    int8_t u[4] = {5, 5, 5, 5};
    softmax_int8(p, 1, 4, u, y);
    for (int8_t v : y) EXPECT_EQ(v, -64);  // 0.25 * 256 - 128
}

TEST(Requantize, MatchesFloat) {
    const RequantizeParams p = requantize_params_int8(0.05f, -3, 0.07f, 10);
    int8_t x[256], y[256];
    for (int i = 0; i < 256; ++i) x[i] = static_cast<int8_t>(i - 128);
    requantize_int8(p, 256, x, y);
    for (int i = 0; i < 256; ++i) {
        const double expected = std::clamp(std::round((x[i] + 3) * 0.05 / 0.07) + 10, -128.0, 127.0);
        ASSERT_LE(std::abs(y[i] - expected), 1.0) << int{x[i]};
    }
}

TEST(Elementwise, AddAndMulMatchFloatWithBroadcasting) {
    std::mt19937 rng(17);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int trial = 0; trial < 200; ++trial) {
        const Shape4 out{uni(1, 2), uni(1, 4), uni(1, 4), uni(1, 5)};
        Shape4 s1 = out, s2 = out;
        // Broadcast a random subset of dimensions in the second (sometimes the first) input.
        int32_t* d2[4] = {&s2.n, &s2.h, &s2.w, &s2.c};
        int32_t* d1[4] = {&s1.n, &s1.h, &s1.w, &s1.c};
        for (int k = 0; k < 4; ++k) {
            if (uni(0, 2) == 0) *d2[k] = 1;
            else if (uni(0, 4) == 0) *d1[k] = 1;
        }
        const float sc1 = 0.01f + uni(0, 100) / 500.0f, sc2 = 0.01f + uni(0, 100) / 500.0f, sco = 0.02f + uni(0, 100) / 200.0f;
        const int32_t z1 = uni(-128, 127), z2 = uni(-128, 127), zo = uni(-50, 50);
        std::vector<int8_t> a(static_cast<size_t>(s1.n * s1.h * s1.w * s1.c)), b(static_cast<size_t>(s2.n * s2.h * s2.w * s2.c));
        for (auto& v : a) v = static_cast<int8_t>(uni(-128, 127));
        for (auto& v : b) v = static_cast<int8_t>(uni(-128, 127));
        std::vector<int8_t> ya(static_cast<size_t>(out.n * out.h * out.w * out.c)), ym(ya.size());
        add_int8(add_params_int8(sc1, z1, sc2, z2, sco, zo, model::Activation::none), s1, a.data(), s2, b.data(), out, ya.data());
        const float scm = sc1 * sc2 * 50.0f;
        mul_int8(mul_params_int8(sc1, z1, sc2, z2, scm, zo, model::Activation::none), s1, a.data(), s2, b.data(), out, ym.data());
        size_t i = 0;
        for (int n = 0; n < out.n; ++n)
            for (int h = 0; h < out.h; ++h)
                for (int w = 0; w < out.w; ++w)
                    for (int c = 0; c < out.c; ++c, ++i) {
                        const auto at = [](const Shape4& s, int n_, int h_, int w_, int c_) {
                            return static_cast<size_t>((((s.n == 1 ? 0 : n_) * s.h + (s.h == 1 ? 0 : h_)) * s.w + (s.w == 1 ? 0 : w_)) * s.c + (s.c == 1 ? 0 : c_));
                        };
                        const double x1 = (a[at(s1, n, h, w, c)] - z1) * static_cast<double>(sc1), x2 = (b[at(s2, n, h, w, c)] - z2) * static_cast<double>(sc2);
                        ASSERT_LE(std::abs(ya[i] - quantize_reference(x1 + x2, sco, zo, -128, 127)), 1) << "add trial " << trial;
                        ASSERT_LE(std::abs(ym[i] - quantize_reference(x1 * x2, scm, zo, -128, 127)), 1) << "mul trial " << trial;
                    }
    }
}

// Bilinear interpolation in double at given source positions (in input pixels).
static double bilinear_at(const std::vector<int8_t>& x, const Shape4& in, double fy, double fx, int c) {
    const int y0 = std::max(0, static_cast<int>(fy < 0 ? std::ceil(fy) : std::floor(fy)));
    const int x0 = std::max(0, static_cast<int>(fx < 0 ? std::ceil(fx) : std::floor(fx)));
    const int y1 = std::min(in.h - 1, static_cast<int>(std::ceil(fy))), x1 = std::min(in.w - 1, static_cast<int>(std::ceil(fx)));
    auto at = [&](int yy, int xx) { return static_cast<double>(x[static_cast<size_t>((yy * in.w + xx) * in.c + c)]); };
    const double dy = fy - y0, dx = fx - x0;
    return at(y0, x0) * (1 - dy) * (1 - dx) + at(y1, x0) * dy * (1 - dx) + at(y0, x1) * (1 - dy) * dx + at(y1, x1) * dy * dx;
}

TEST(ResizeBilinearInt8, MatchesFloatWithBothConventions) {
    std::mt19937 rng(23);
    for (int trial = 0; trial < 60; ++trial) {
        const Shape4 in{1, std::uniform_int_distribution<int>(2, 12)(rng), std::uniform_int_distribution<int>(2, 12)(rng), 2};
        const Shape4 out{1, std::uniform_int_distribution<int>(2, 24)(rng), std::uniform_int_distribution<int>(2, 24)(rng), 2};
        const bool half = trial % 3 == 0, align = trial % 3 == 1;
        std::vector<int8_t> x(static_cast<size_t>(in.h * in.w * in.c)), y(static_cast<size_t>(out.h * out.w * out.c));
        for (auto& v : x) v = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
        const int32_t sh = bilinear_scale_10(in.h, out.h, align), sw = bilinear_scale_10(in.w, out.w, align);
        resize_bilinear_int8(in, x.data(), out, sh, sw, half, y.data());
        const double ideal_sy = align ? (in.h - 1.0) / (out.h - 1) : static_cast<double>(in.h) / out.h;
        const double ideal_sx = align ? (in.w - 1.0) / (out.w - 1) : static_cast<double>(in.w) / out.w;
        for (int r = 0; r < out.h; ++r)
            for (int col = 0; col < out.w; ++col)
                for (int c = 0; c < 2; ++c) {
                    const int got = y[static_cast<size_t>((r * out.w + col) * 2 + c)];
                    // At TFLite's own 1/1024 positions the kernel is the correctly rounded value.
                    const double py = (half ? r * sh + sh / 2 - 512 : r * sh) / 1024.0, px = (half ? col * sw + sw / 2 - 512 : col * sw) / 1024.0;
                    const double exact = bilinear_at(x, in, py, px, c);
                    ASSERT_EQ(got, static_cast<int>(exact >= 0 ? std::floor(exact + 0.5) : std::ceil(exact - 0.5))) << "trial " << trial << " at " << r << "," << col;
                    // Against ideal positions, the 10-bit scale moves a sample by < (index + 1) / 2048 pixels.
                    const double iy = half ? (r + 0.5) * ideal_sy - 0.5 : r * ideal_sy, ix = half ? (col + 0.5) * ideal_sx - 0.5 : col * ideal_sx;
                    const double drift = (r + 1 + col + 1) / 2048.0 * 255.0;
                    ASSERT_LE(std::abs(got - bilinear_at(x, in, iy, ix, c)), 0.5 + drift + 1e-9) << "trial " << trial;
                }
    }
    // Same size without half-pixel centres: the identity.
    std::vector<int8_t> x(4 * 5), y(4 * 5);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>(i * 13 - 100);
    resize_bilinear_int8({1, 4, 5, 1}, x.data(), {1, 4, 5, 1}, bilinear_scale_10(4, 4, false), bilinear_scale_10(5, 5, false), false, y.data());
    EXPECT_EQ(x, y);
}

// TFLite's SaturatingRoundingDoublingHighMul written with an int64 product: the 32-bit-only
// version in fixed_point.hpp must give the same value everywhere.
int32_t srdhm_int64(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const int64_t ab = int64_t{a} * b;
    const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
    return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

TEST(FixedPoint, DoublingHighMulFrom16BitHalvesEqualsTheInt64Formula) {
    const int32_t edges[] = {0, 1, -1, 2, -2, 65535, 65536, -65536, 0x7fff, -0x8000, 1 << 30, -(1 << 30), (1 << 30) + 1,
                             123456789, -987654321, INT32_MAX, INT32_MIN, INT32_MIN + 1};
    for (int32_t a : edges) {
        for (int32_t b : edges) EXPECT_EQ(saturating_rounding_doubling_high_mul(a, b), srdhm_int64(a, b)) << a << " * " << b;
    }
    uint32_t s = 7;
    for (int i = 0; i < 400000; ++i) {
        s = 1664525u * s + 1013904223u;
        const int32_t a = static_cast<int32_t>(s) >> (i % 29);
        s = 1664525u * s + 1013904223u;
        const int32_t b = static_cast<int32_t>(s) >> (i % 31);
        ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b), srdhm_int64(a, b)) << a << " * " << b;
    }
    // Exact ties (|ab| = (2k + 1) * 2^30) round away from zero for positive products only.
    EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
    EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);
}
