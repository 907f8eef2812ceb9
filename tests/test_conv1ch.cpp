// The single-input-channel conv fast path (core/nn/conv1ch.hpp) against the generic kernels:
// the same int8 outputs, exactly, over random shapes, strides, zero points, multipliers and
// activation ranges; the fused max pool against conv-then-pool; the input restored afterwards.
// (The ARMv6-M assembly window is checked against conv1ch_window() on the emulated board.)
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/nn/conv1ch.hpp"
#include "core/nn/kernels.hpp"
#include "host/nn/conv1ch_packing.hpp"
#include "host/nn/quant_params.hpp"

using namespace earshot;
using namespace earshot::nn;

namespace {

struct Case {
    Shape4 in, filter, out;
    ConvGeometry g;
    int32_t input_offset = 0;
    std::vector<int8_t> input, weights;
    std::vector<int32_t> bias, multipliers, shifts;
    Requantize rq;
};

int32_t uniform(std::mt19937& rng, int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(rng); }

Case random_case(std::mt19937& rng) {
    Case c;
    c.filter = {8 * uniform(rng, 1, 2), uniform(rng, 1, 9), 8, 1};
    c.g.stride_h = uniform(rng, 1, 3);
    c.g.stride_w = uniform(rng, 1, 3);
    c.out = {1, uniform(rng, 1, 7), uniform(rng, 1, 7), c.filter.n};
    c.in = {1, (c.out.h - 1) * c.g.stride_h + c.filter.h + uniform(rng, 0, 2), (c.out.w - 1) * c.g.stride_w + c.filter.w + uniform(rng, 0, 2), 1};
    c.input_offset = -uniform(rng, -128, 127);
    c.input.resize(static_cast<size_t>(c.in.h * c.in.w));
    for (auto& v : c.input) v = static_cast<int8_t>(uniform(rng, -128, 127));
    c.weights.resize(static_cast<size_t>(c.filter.n * c.filter.h * 8));
    for (auto& v : c.weights) v = static_cast<int8_t>(uniform(rng, -127, 127));
    for (int32_t oc = 0; oc < c.filter.n; ++oc) {
        c.bias.push_back(uniform(rng, -60000, 60000));
        const QuantizedMultiplier q = quantize_multiplier(std::uniform_real_distribution<double>(1e-5, 0.9)(rng));
        c.multipliers.push_back(q.multiplier);
        c.shifts.push_back(q.shift);
    }
    const int32_t zp = uniform(rng, -128, 127);
    const int32_t lo = uniform(rng, 0, 1) ? zp : -128;  // ReLU or none
    c.rq = {c.multipliers.data(), c.shifts.data(), true, zp, lo, uniform(rng, lo, 127)};
    return c;
}

Conv1chPacking pack(const Case& c) {
    const std::optional<Conv1chPacking> p = pack_conv1ch(c.weights.data(), c.filter, c.bias.data(), c.input_offset);
    EXPECT_TRUE(p.has_value());
    return *p;
}

}  // namespace

TEST(Conv1ch, WindowSumsAndTheirMaximumByHand) {
    // Rows of 8 bytes 0..7 and 10..17 (stride 12), a second window 1 byte later; channel ch
    // weighs byte ch of row 0 by 1 and of row 1 by 2. Layout [half][tap][4 channels].
    std::vector<uint8_t> input(2 * 12);
    for (int32_t x = 0; x < 9; ++x) {
        input[static_cast<size_t>(x)] = static_cast<uint8_t>(x);
        input[static_cast<size_t>(12 + x)] = static_cast<uint8_t>(10 + x);
    }
    std::vector<int32_t> taps(2 * 16 * 4, 0);
    for (int32_t ch = 0; ch < 8; ++ch) {
        const int32_t half = ch / 4, c = ch % 4;
        taps[static_cast<size_t>(half * 64 + (0 * 8 + ch) * 4 + c)] = 1;
        taps[static_cast<size_t>(half * 64 + (1 * 8 + ch) * 4 + c)] = 2;
    }
    const int32_t offsets[] = {0, 1};
    int32_t best[kConv1chGroup];
    conv1ch_max_of_windows({input.data(), taps.data(), 12, 2, offsets, 1}, best);
    for (int32_t c = 0; c < 8; ++c) EXPECT_EQ(best[c], c + 2 * (10 + c)) << c;
    conv1ch_max_of_windows({input.data(), taps.data(), 12, 2, offsets, 2}, best);  // the later window is larger everywhere
    for (int32_t c = 0; c < 8; ++c) EXPECT_EQ(best[c], c + 1 + 2 * (11 + c)) << c;
    for (int32_t& t : taps) t = -t;  // now the first is: the maximum is not simply the last window
    conv1ch_max_of_windows({input.data(), taps.data(), 12, 2, offsets, 2}, best);
    for (int32_t c = 0; c < 8; ++c) EXPECT_EQ(best[c], -(c + 2 * (10 + c))) << c;
}

TEST(Conv1ch, MatchesGenericConvOnRandomCases) {
    std::mt19937 rng(601);
    for (int trial = 0; trial < 300; ++trial) {
        Case c = random_case(rng);
        const Conv1chPacking p = pack(c);
        std::vector<int8_t> expected(static_cast<size_t>(c.out.h * c.out.w * c.out.c)), got(expected.size());
        conv2d_int8(c.g, c.input_offset, c.rq, c.in, c.input.data(), c.filter, c.weights.data(), c.bias.data(), c.out, expected.data());
        // An odd address: the in-place sign flip has a byte-wise head and tail.
        std::vector<int8_t> buffer(c.input.size() + 1);
        std::copy(c.input.begin(), c.input.end(), buffer.begin() + 1);
        conv2d_1ch_int8(c.g, c.rq, c.in, buffer.data() + 1, {p.taps.data(), p.bias.data(), p.filter_h, p.groups}, c.out, got.data());
        ASSERT_EQ(got, expected) << "trial " << trial;
        ASSERT_TRUE(std::equal(c.input.begin(), c.input.end(), buffer.begin() + 1)) << "input not restored, trial " << trial;
        // Consumed: the same output, and the input left with its sign bits flipped.
        std::fill(got.begin(), got.end(), 0);
        conv2d_1ch_int8(c.g, c.rq, c.in, buffer.data() + 1, {p.taps.data(), p.bias.data(), p.filter_h, p.groups}, c.out, got.data(),
                        Conv1chInput::consume);
        ASSERT_EQ(got, expected) << "consumed, trial " << trial;
        for (size_t i = 0; i < c.input.size(); ++i) ASSERT_EQ(static_cast<uint8_t>(buffer[i + 1]), static_cast<uint8_t>(c.input[i]) ^ 0x80u);
    }
}

TEST(Conv1ch, FusedMaxPoolMatchesConvThenPool) {
    std::mt19937 rng(602);
    for (int trial = 0; trial < 300; ++trial) {
        Case c = random_case(rng);
        PoolGeometry pool{uniform(rng, 1, 3), uniform(rng, 1, 3), uniform(rng, 1, 3), uniform(rng, 1, 3), 0, 0, -128, 127};
        if (pool.filter_h > c.out.h || pool.filter_w > c.out.w) continue;
        pool.act_min = uniform(rng, -128, 0);
        pool.act_max = uniform(rng, pool.act_min, 127);
        const Shape4 pooled{1, (c.out.h - pool.filter_h) / pool.stride_h + 1, (c.out.w - pool.filter_w) / pool.stride_w + 1, c.out.c};
        const Conv1chPacking p = pack(c);
        std::vector<int8_t> conv(static_cast<size_t>(c.out.h * c.out.w * c.out.c));
        std::vector<int8_t> expected(static_cast<size_t>(pooled.h * pooled.w * pooled.c)), got(expected.size());
        conv2d_int8(c.g, c.input_offset, c.rq, c.in, c.input.data(), c.filter, c.weights.data(), c.bias.data(), c.out, conv.data());
        max_pool_int8(pool, c.out, conv.data(), pooled, expected.data());
        std::vector<int8_t> input = c.input;
        conv2d_1ch_max_pool_int8(c.g, c.rq, c.in, input.data(), {p.taps.data(), p.bias.data(), p.filter_h, p.groups}, pool, pooled, got.data());
        ASSERT_EQ(got, expected) << "trial " << trial;
        ASSERT_EQ(input, c.input) << "input not restored, trial " << trial;
    }
}

TEST(Conv1ch, PackingRefusesABiasThatOverflows) {
    const std::vector<int8_t> weights(8 * 8, 127);
    const std::vector<int32_t> bias(8, -2'147'300'000);
    // (input_offset - 128) * sum(w) = -256 * 1,016 pushes the folded bias below INT32_MIN; with
    // input_offset 128 nothing is folded.
    EXPECT_FALSE(pack_conv1ch(weights.data(), {8, 1, 8, 1}, bias.data(), -128).has_value());
    EXPECT_TRUE(pack_conv1ch(weights.data(), {8, 1, 8, 1}, bias.data(), 128).has_value());
}
