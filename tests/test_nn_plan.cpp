// The planner and host interpreter on the reference tutorial's model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/dsp/spectrogram.hpp"
#include "host/audio/synth.hpp"
#include "host/error.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/nn/aot_compiler.hpp"
#include "host/nn/plan.hpp"
#include "host/nn/quant_params.hpp"
#include "model_builders.hpp"
#include "support.hpp"

using namespace earshot;
using namespace earshot::nn;

namespace {

model::Graph fixture() {
    return model::load_tflite(test::reference_model());
}

double dequant(const model::Tensor& t, int8_t q) { return (q - t.quant.zero_point[0]) * static_cast<double>(t.quant.scale[0]); }
int quant(const model::Tensor& t, double x) {
    return static_cast<int>(std::clamp<long>(std::lround(x / t.quant.scale[0]) + t.quant.zero_point[0], -128, 127));
}

// Scores of the reference model on one bite, through the device's integer pipeline.
double score(const Plan& plan, Interpreter& interp, const std::vector<int16_t>& bite) {
    std::vector<int16_t> spec(dsp::kSpectrogramSize);
    dsp::spectrogram_q15(bite.data(), spec.data(), dsp::MagnitudeMode::cmsis58);
    const auto& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    quantize_magnitudes(spec.data(), dsp::kSpectrogramSize, input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0])), interp.input());
    interp.invoke();
    return dequant(plan.graph.tensors[static_cast<size_t>(plan.output)], interp.output()[0]);
}

}  // namespace

TEST(Plan, ArenaNeverOverlapsLiveTensors) {
    EARSHOT_NEEDS_SHARED();
    const Plan plan = build_plan(fixture());
    const auto life = model::tensor_lifetimes(plan.graph);
    const auto mem = model::estimate_memory(plan.graph);
    EXPECT_GE(plan.arena_bytes, mem.peak_live_bytes);
    EXPECT_LE(plan.arena_bytes, mem.activation_bytes);
    for (size_t a = 0; a < life.size(); ++a) {
        if (life[a].first < 0) continue;
        ASSERT_GE(plan.arena_offset[a], 0);
        ASSERT_EQ(plan.arena_offset[a] % 8, 0);
        for (size_t b = a + 1; b < life.size(); ++b) {
            if (life[b].first < 0 || life[a].last < life[b].first || life[b].last < life[a].first) continue;
            const int64_t a0 = plan.arena_offset[a], a1 = a0 + model::tensor_bytes(plan.graph.tensors[a]);
            const int64_t b0 = plan.arena_offset[b], b1 = b0 + model::tensor_bytes(plan.graph.tensors[b]);
            EXPECT_TRUE(a1 <= b0 || b1 <= a0) << "tensors " << a << " and " << b << " overlap while both alive";
        }
    }
    std::printf("[ plan ] reference model arena %lld bytes (peak live %lld, no reuse %lld)\n", static_cast<long long>(plan.arena_bytes),
                static_cast<long long>(mem.peak_live_bytes), static_cast<long long>(mem.activation_bytes));
}

// Each operator of the reference model against a float evaluation of the same operator on
// the same int8 input, re-quantized: equal for data movement, within 1 step for arithmetic.
TEST(Plan, EveryOperatorMatchesItsFloatReference) {
    EARSHOT_NEEDS_SHARED();
    const Plan plan = build_plan(fixture());
    const auto& T = plan.graph.tensors;
    Interpreter interp(plan);
    for (const char* name : {"chirp", "noise", "sine1k", "square3k1"}) {
        const auto samples = test::read_i16(test::golden_dir() / (std::string(name) + ".in.i16"));
        std::vector<int16_t> spec(dsp::kSpectrogramSize);
        dsp::spectrogram_q15(samples.data(), spec.data(), dsp::MagnitudeMode::cmsis58);
        const auto& in_t = T[static_cast<size_t>(plan.input)];
        quantize_magnitudes(spec.data(), dsp::kSpectrogramSize, input_quantizer(in_t.quant.scale[0], static_cast<int32_t>(in_t.quant.zero_point[0])), interp.input());
        for (size_t i = 0; i < plan.ops.size(); ++i) {
            const PlannedOp& op = plan.ops[i];
            const model::Tensor& it = T[static_cast<size_t>(op.input)];
            const model::Tensor& ot = T[static_cast<size_t>(op.output)];
            const std::vector<int8_t> x(interp.tensor(op.input), interp.tensor(op.input) + model::element_count(it.shape));
            interp.invoke_op(i);
            const int8_t* y = interp.tensor(op.output);
            const int64_t n_out = model::element_count(ot.shape);
            std::vector<int> expected(static_cast<size_t>(n_out));
            switch (op.kind) {
                case model::OpKind::resize_nearest_neighbor:
                    for (int r = 0; r < op.out_shape.h; ++r)
                        for (int c = 0; c < op.out_shape.w; ++c) expected[static_cast<size_t>(r * op.out_shape.w + c)] = x[static_cast<size_t>(op.y_map[static_cast<size_t>(r)] * op.in_shape.w + op.x_map[static_cast<size_t>(c)])];
                    break;
                case model::OpKind::conv_2d: {
                    const auto& w = T[static_cast<size_t>(op.filter)];
                    const auto* bias = reinterpret_cast<const int32_t*>(T[static_cast<size_t>(op.bias)].data.data());
                    for (int oy = 0; oy < op.out_shape.h; ++oy)
                        for (int ox = 0; ox < op.out_shape.w; ++ox)
                            for (int oc = 0; oc < op.out_shape.c; ++oc) {
                                double acc = 0;
                                for (int fy = 0; fy < op.filter_shape.h; ++fy)
                                    for (int fx = 0; fx < op.filter_shape.w; ++fx) {
                                        const int iy = oy * op.conv.stride_h + fy, ix = ox * op.conv.stride_w + fx;
                                        acc += static_cast<int8_t>(w.data[static_cast<size_t>((oc * op.filter_shape.h + fy) * op.filter_shape.w + fx)]) * w.quant.scale[static_cast<size_t>(oc)] *
                                               dequant(it, x[static_cast<size_t>(iy * op.in_shape.w + ix)]);
                                    }
                                acc += bias[oc] * static_cast<double>(it.quant.scale[0]) * w.quant.scale[static_cast<size_t>(oc)];
                                expected[static_cast<size_t>((oy * op.out_shape.w + ox) * op.out_shape.c + oc)] = std::max(quant(ot, acc), op.act_min);
                            }
                    break;
                }
                case model::OpKind::max_pool_2d:
                    for (int oy = 0; oy < op.out_shape.h; ++oy)
                        for (int ox = 0; ox < op.out_shape.w; ++ox)
                            for (int c = 0; c < op.out_shape.c; ++c) {
                                int m = -128;
                                for (int dy = 0; dy < 2; ++dy)
                                    for (int dx = 0; dx < 2; ++dx) m = std::max<int>(m, x[static_cast<size_t>(((oy * 2 + dy) * op.in_shape.w + ox * 2 + dx) * op.in_shape.c + c)]);
                                expected[static_cast<size_t>((oy * op.out_shape.w + ox) * op.out_shape.c + c)] = m;
                            }
                    break;
                case model::OpKind::reshape:
                    for (size_t k = 0; k < x.size(); ++k) expected[k] = x[k];
                    break;
                case model::OpKind::fully_connected: {
                    const auto& w = T[static_cast<size_t>(op.filter)];
                    double acc = reinterpret_cast<const int32_t*>(T[static_cast<size_t>(op.bias)].data.data())[0] * static_cast<double>(it.quant.scale[0]) * w.quant.scale[0];
                    for (int d = 0; d < op.depth; ++d) acc += static_cast<int8_t>(w.data[static_cast<size_t>(d)]) * static_cast<double>(w.quant.scale[0]) * dequant(it, x[static_cast<size_t>(d)]);
                    expected[0] = quant(ot, acc);
                    break;
                }
                case model::OpKind::logistic:
                    expected[0] = quant(ot, 1.0 / (1.0 + std::exp(-dequant(it, x[0]))));
                    break;
                default: FAIL() << "unexpected operator";
            }
            const bool exact = op.kind == model::OpKind::resize_nearest_neighbor || op.kind == model::OpKind::max_pool_2d || op.kind == model::OpKind::reshape;
            for (int64_t k = 0; k < n_out; ++k) {
                ASSERT_LE(std::abs(y[k] - expected[static_cast<size_t>(k)]), exact ? 0 : 1) << name << " op " << i << " (" << model::op_name(op.kind) << ") element " << k;
            }
        }
    }
}

TEST(Plan, ReferenceModelDetectsASynthesizedAlarm) {
    EARSHOT_NEEDS_SHARED();
    const Plan plan = build_plan(fixture());
    Interpreter interp(plan);
    const auto clip = audio::synthesize_alarm({.seconds = 4.0});
    const std::vector<int16_t> beeping(clip.begin(), clip.begin() + 16000);           // 0-1 s: a beep and a gap
    const std::vector<int16_t> quiet(clip.begin() + 40000, clip.begin() + 56000);     // 2.5-3.5 s: the long gap
    EXPECT_GT(score(plan, interp, beeping), 0.9);
    EXPECT_LT(score(plan, interp, quiet), 0.5);
    EXPECT_LT(score(plan, interp, test::read_i16(test::golden_dir() / "noise.in.i16")), 0.1);
}

TEST(InputQuantizer, MatchesFloatRoundingAwayFromTies) {
    for (const float scale : {0.4433823525905609f, 0.05f, 1.3f}) {
        for (const int32_t zp : {-128, 0, 17}) {
            const InputQuantizer q = input_quantizer(scale, zp);
            int ties = 0;
            for (int m = 0; m <= 32767; ++m) {
                const double v = m / 64.0 / scale;
                if (std::abs(v - std::floor(v) - 0.5) < 1e-6) {
                    ++ties;
                    continue;
                }
                const int expected = static_cast<int>(std::clamp<long>(std::lround(v) + zp, -128, 127));
                ASSERT_EQ(quantize_magnitude(static_cast<int16_t>(m), q), expected) << "m=" << m << " scale=" << scale;
            }
            EXPECT_LT(ties, 200);
        }
    }
}

TEST(InputQuantizer, GridAndGatherQuantizeOnlyTheSampledPositions) {
    // A 6 x 7 grid, rows {0, 2, 5} x cols {1, 6}: those six values equal quantize_magnitude's,
    // everything else keeps its sentinel. Also a scale outside the 32-bit fast path.
    std::vector<int16_t> magnitudes(42);
    for (size_t i = 0; i < magnitudes.size(); ++i) magnitudes[i] = static_cast<int16_t>(i * 997 % 32768 - (i % 5 == 0 ? 40 : 0));
    const int32_t rows[] = {0, 2, 5}, cols[] = {1, 6};
    for (const float scale : {0.4433823525905609f, 1e-7f}) {
        const InputQuantizer q = input_quantizer(scale, -3);
        std::vector<int8_t> out(42, 99);
        quantize_magnitude_grid(magnitudes.data(), 7, rows, 3, cols, 2, q, out.data());
        for (int32_t r = 0; r < 6; ++r) {
            for (int32_t c = 0; c < 7; ++c) {
                const bool sampled = (r == 0 || r == 2 || r == 5) && (c == 1 || c == 6);
                const size_t at = static_cast<size_t>(r * 7 + c);
                EXPECT_EQ(out[at], sampled ? quantize_magnitude(magnitudes[at], q) : 99) << r << "," << c << " scale " << scale;
            }
        }
        // Packed: the 3 x 2 sampled values in row order, nothing written beyond them.
        std::vector<int8_t> packed(8, 99);
        quantize_magnitude_gather(magnitudes.data(), 7, rows, 3, cols, 2, q, packed.data());
        for (int32_t i = 0; i < 6; ++i) EXPECT_EQ(packed[static_cast<size_t>(i)], out[static_cast<size_t>(rows[i / 2] * 7 + cols[i % 2])]) << i;
        EXPECT_EQ(packed[6], 99);
        EXPECT_EQ(packed[7], 99);
    }
}

TEST(Plan, RejectsWhatTheKernelsCannotRun) {
    EARSHOT_NEEDS_SHARED();
    {
        model::Graph g = fixture();
        g.tensors[6].shape[1] = 12;  // conv output declared 12 rows, computes 13
        try {
            build_plan(g);
            FAIL();
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("operator 1 (CONV_2D) computes an output of 1x13x13x8 but the model declares 1x12x13x8"), std::string::npos) << e.what();
        }
    }
    {
        model::Graph g = fixture();
        g.tensors[12].quant.scale[0] = 1.0f / 128;
        EXPECT_THROW(build_plan(g), Error);
    }
    {
        model::Graph g = fixture();
        g.tensors[7].type = model::DType::float32;
        try {
            build_plan(g);
            FAIL();
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("earshot runs int8 models"), std::string::npos) << e.what();
        }
    }
}

using test::int8_tensor;

namespace {
// The shipped detector (in the repo, so these run without ../shared): conv, pool, reshape, dense, logistic.
model::Graph shipped() {
    return model::load_tflite(std::filesystem::path(EARSHOT_REPO_DATA).parent_path().parent_path() / "models" / "fire_alarm.tflite");
}
std::string plan_error(const model::Graph& g) {
    try {
        build_plan(g);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

TEST(Plan, ModelChecksFromTheTflmCrossCheck) {
    // A window larger than the input names the operator.
    model::Graph big_pool = shipped();
    big_pool.ops[1].options.filter_h = 14;
    EXPECT_NE(plan_error(big_pool).find("operator 1 (MAX_POOL_2D) a window of 14 does not fit an input of 13"), std::string::npos) << plan_error(big_pool);
    // Filter scales so large that the requantization multiplier saturates (TFLM overflows too).
    model::Graph huge_scale = shipped();
    for (float& scale : huge_scale.tensors[1].quant.scale) scale = 3e9f;
    EXPECT_NE(plan_error(huge_scale).find("operator 0 (CONV_2D) has a requantization multiplier of"), std::string::npos) << plan_error(huge_scale);
    // Scales print with every digit: a scale just off 1/256 must not read as 0.003906.
    model::Graph off_scale = shipped();
    off_scale.tensors[10].quant.scale[0] = 0.0039063f;
    EXPECT_NE(plan_error(off_scale).find("operator 4 (LOGISTIC) LOGISTIC output must be quantized with scale 1/256 and zero point -128 (got scale 0.00390629983"), std::string::npos) << plan_error(off_scale);
    // Per-channel dense weights: refused with the reason (and `inspect` says so, below).
    model::Graph per_channel_fc = shipped();
    {
        model::Tensor& w = per_channel_fc.tensors[7];  // two units, one weight scale each (axis 0)
        w.shape = {2, 288};
        w.data.resize(2 * 288, 1);
        w.quant.scale = {0.0046706344f, 0.002f};
        w.quant.zero_point = {0, 0};
        w.quant.axis = 0;
        model::Tensor& b = per_channel_fc.tensors[8];
        b.shape = {2};
        b.data.resize(8, 0);
        b.quant.scale = {0.000167281178f, 0.0000716f};
        b.quant.zero_point = {0, 0};
        b.quant.axis = 0;
        per_channel_fc.tensors[9].shape = {1, 2};
        per_channel_fc.tensors[10].shape = {1, 2};
        per_channel_fc.metadata.clear();
    }
    EXPECT_NE(plan_error(per_channel_fc).find("operator 3 (FULLY_CONNECTED) has per-channel weight scales"), std::string::npos) << plan_error(per_channel_fc);
    EXPECT_NO_THROW(build_plan(shipped()));

    // `inspect` says whether earshot's kernels run a model, and why not.
    test::TempDir dir;
    model::save_tflite(dir / "per_channel_fc.tflite", per_channel_fc);
    const auto r = test::run_command(std::string("'") + EARSHOT_CLI + "' inspect '" + (dir / "per_channel_fc.tflite").string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("NOT runnable by earshot's kernels: operator 3 (FULLY_CONNECTED) has per-channel weight scales"), std::string::npos) << r.output;
    // And warns when the activations cannot fit the RP2040's SRAM.
    model::Graph wide = shipped();
    for (int t : {0, 3, 4}) wide.tensors[static_cast<size_t>(t)].shape[0] = 256;  // a batch of 256: 256x the activations
    wide.metadata.clear();
    model::save_tflite(dir / "wide.tflite", wide);
    const auto w = test::run_command(std::string("'") + EARSHOT_CLI + "' inspect '" + (dir / "wide.tflite").string() + "'");
    EXPECT_NE(w.output.find("warning: the activations need"), std::string::npos) << w.output;
}

TEST(Plan, QuantizeThenSoftmaxGraph) {
    model::Graph g;
    g.tensors = {int8_tensor("x", {1, 10}, 0.1f, 0), int8_tensor("requantized", {1, 10}, 0.2f, 5), int8_tensor("probs", {1, 10}, 1.0f / 256, -128)};
    g.ops = {{model::OpKind::quantize, 1, {0}, {1}, {}}, {model::OpKind::softmax, 1, {1}, {2}, {}}};
    g.inputs = {0};
    g.outputs = {2};
    const Plan plan = build_plan(g);
    Interpreter interp(plan);
    const int8_t x[10] = {-100, -50, 0, 10, 20, 30, 40, 50, 90, 127};
    std::copy(x, x + 10, interp.input());
    interp.invoke();
    // The same kernels called directly.
    int8_t mid[10], expected[10];
    requantize_int8(requantize_params_int8(0.1f, 0, 0.2f, 5), 10, x, mid);
    softmax_int8(softmax_params_int8(1.0f, 0.2f, 1.0f / 256, -128), 1, 10, mid, expected);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(interp.output()[i], expected[i]) << i;
    EXPECT_GT(interp.output()[9], interp.output()[0]);
}

TEST(Plan, MisusedOperatorIsNamed) {
    model::Graph g;
    g.tensors = {int8_tensor("a", {1, 4, 4, 1}, 0.1f, 0), int8_tensor("b", {1, 4, 4, 1}, 0.1f, 0)};
    g.ops = {{model::OpKind::dequantize, 1, {0}, {1}, {}}};
    g.inputs = {0};
    g.outputs = {1};
    try {
        build_plan(g);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("operator 0 (DEQUANTIZE) must convert between a float32 activation and an int8 one"), std::string::npos) << e.what();
    }
}

// x + c (c a constant broadcast over channels), then times x: constants read from flash.
TEST(Plan, AddConstantThenMulGraph) {
    model::Graph g;
    model::Tensor c = int8_tensor("offset", {3}, 0.05f, 2);
    c.data = {static_cast<uint8_t>(int8_t{10}), static_cast<uint8_t>(int8_t{-20}), static_cast<uint8_t>(int8_t{100})};
    g.tensors = {int8_tensor("x", {1, 2, 2, 3}, 0.1f, -5), c, int8_tensor("sum", {1, 2, 2, 3}, 0.15f, 0),
                 int8_tensor("product", {1, 2, 2, 3}, 0.3f, -10)};
    g.ops = {{model::OpKind::add, 1, {0, 1}, {2}, {}}, {model::OpKind::mul, 1, {2, 0}, {3}, {}}};
    g.ops[0].options.activation = model::Activation::relu;
    g.inputs = {0};
    g.outputs = {3};
    const Plan plan = build_plan(g);
    EXPECT_EQ(plan.arena_offset[1], -1) << "the constant is not in the arena";
    Interpreter interp(plan);
    const int8_t x[12] = {-128, -60, -5, 0, 10, 20, 40, 60, 80, 100, 120, 127};
    std::copy(x, x + 12, interp.input());
    interp.invoke();
    for (int i = 0; i < 12; ++i) {
        const double xv = (x[i] + 5) * 0.1, cv = (static_cast<int8_t>(c.data[static_cast<size_t>(i % 3)]) - 2) * 0.05;
        const double sum = std::max(0.0, xv + cv);
        const int sum_q = static_cast<int>(std::clamp<long>(std::lround(sum / 0.15), 0, 127));
        EXPECT_LE(std::abs(interp.tensor(2)[i] - sum_q), 1) << i;
        EXPECT_LE(std::abs(interp.output()[i] - std::clamp<long>(std::lround(sum_q * 0.15 * xv / 0.3) - 10, -128, 127)), 1) << i;
    }
}

// The reference model with float32 input and output (QUANTIZE in front, DEQUANTIZE behind), as
// converters emit when int8 I/O is not requested: runs on the host, refused by the compiler.
TEST(Plan, FloatBoundaryOpsRunOnTheHostOnly) {
    EARSHOT_NEEDS_SHARED();
    const model::Graph int8_model = fixture();
    model::Graph g = int8_model;
    model::Tensor fin;
    fin.name = "features_float";
    fin.type = model::DType::float32;
    fin.shape = g.tensors[static_cast<size_t>(g.inputs[0])].shape;
    model::Tensor fout = fin;
    fout.name = "score_float";
    fout.shape = g.tensors[static_cast<size_t>(g.outputs[0])].shape;
    g.tensors.push_back(fin);
    g.tensors.push_back(fout);
    const auto fin_id = static_cast<int32_t>(g.tensors.size() - 2), fout_id = static_cast<int32_t>(g.tensors.size() - 1);
    g.ops.insert(g.ops.begin(), model::Operator{model::OpKind::quantize, 1, {fin_id}, {g.inputs[0]}, {}});
    g.ops.push_back(model::Operator{model::OpKind::dequantize, 1, {g.outputs[0]}, {fout_id}, {}});
    g.inputs = {fin_id};
    g.outputs = {fout_id};

    const Plan float_plan = build_plan(g), int8_plan = build_plan(int8_model);
    Interpreter fi(float_plan), qi(int8_plan);
    const auto& qin = int8_plan.graph.tensors[static_cast<size_t>(int8_plan.input)];
    const auto& qout = int8_plan.graph.tensors[static_cast<size_t>(int8_plan.output)];
    for (const char* name : {"chirp", "noise", "sine1k", "square3k1", "silence"}) {
        const auto samples = test::read_i16(test::golden_dir() / (std::string(name) + ".in.i16"));
        std::vector<int16_t> spec(dsp::kSpectrogramSize);
        dsp::spectrogram_q15(samples.data(), spec.data(), dsp::MagnitudeMode::cmsis58);
        for (int i = 0; i < dsp::kSpectrogramSize; ++i) {
            const float f = spec[static_cast<size_t>(i)] / 64.0f;
            std::memcpy(fi.input() + 4 * i, &f, 4);
        }
        quantize_magnitudes(spec.data(), dsp::kSpectrogramSize, input_quantizer(qin.quant.scale[0], static_cast<int32_t>(qin.quant.zero_point[0])), qi.input());
        // The float model's own QUANTIZE must give the same int8 features as the integer quantizer
        // (checked right after it runs: the arena reuses that space later).
        fi.invoke_op(0);
        ASSERT_EQ(0, std::memcmp(fi.tensor(int8_model.inputs[0]), qi.input(), static_cast<size_t>(dsp::kSpectrogramSize))) << name;
        for (size_t op = 1; op < float_plan.ops.size(); ++op) fi.invoke_op(op);
        qi.invoke();
        float score;
        std::memcpy(&score, fi.output(), 4);
        EXPECT_FLOAT_EQ(score, qout.quant.scale[0] * static_cast<float>(qi.output()[0] - qout.quant.zero_point[0])) << name;
    }
    try {
        compile_plan(float_plan, "float_io", "test");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("operator 0 (QUANTIZE) converts to or from float32"), std::string::npos) << e.what();
    }
}

TEST(Plan, RoundTripThroughTfliteGivesTheSamePlan) {
    EARSHOT_NEEDS_SHARED();
    const model::Graph g = fixture();
    const Plan a = build_plan(g), b = build_plan(model::read_tflite(model::write_tflite(g), "rewritten"));
    EXPECT_EQ(a.arena_offset, b.arena_offset);
    EXPECT_EQ(a.arena_bytes, b.arena_bytes);
    ASSERT_EQ(a.ops.size(), b.ops.size());
    for (size_t i = 0; i < a.ops.size(); ++i) {
        EXPECT_EQ(a.ops[i].multipliers, b.ops[i].multipliers) << i;
        EXPECT_EQ(a.ops[i].shifts, b.ops[i].shifts) << i;
        EXPECT_EQ(a.ops[i].y_map, b.ops[i].y_map) << i;
        EXPECT_EQ(a.ops[i].logistic.input_multiplier, b.ops[i].logistic.input_multiplier) << i;
    }
    EXPECT_EQ(compile_plan(a, "m", "x").source, compile_plan(b, "m", "x").source) << "the generated C++ is identical too";
}
