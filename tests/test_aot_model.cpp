// The reference model compiled to C++ by `earshot compile` gives exactly the interpreter's
// outputs: the device code path equals the host code path.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <vector>

#include "core/detect/decision.hpp"
#include "core/dsp/spectrogram.hpp"
#include "core/dsp/log_bands.hpp"
#include "core/dsp/quantized_bin_stream.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "host/audio/synth.hpp"
#include "host/error.hpp"
#include "host/eval/device_loop.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/aot_compiler.hpp"
#include "host/nn/plan.hpp"
#include "host/nn/quant_params.hpp"
#include "model_builders.hpp"
#include "pico_fire_alarm.hpp"
#include "shipped_fire_alarm.hpp"
#include "support.hpp"

using namespace earshot;

TEST(AotModel, ConstantsMatchThePlan) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(EARSHOT_REFERENCE_MODEL));
    EXPECT_EQ(pico_fire_alarm::kArenaBytes, plan.arena_bytes);
    EXPECT_EQ(pico_fire_alarm::kInputBytes, 124 * 129);
    EXPECT_EQ(pico_fire_alarm::kOutputBytes, 1);
    EXPECT_EQ(pico_fire_alarm::kInputZeroPoint, -128);
    EXPECT_FLOAT_EQ(pico_fire_alarm::kInputScale, 0.4433823525905609f);
    const nn::InputQuantizer q = nn::input_quantizer(pico_fire_alarm::kInputScale, pico_fire_alarm::kInputZeroPoint);
    EXPECT_EQ(pico_fire_alarm::kInputQuantizer.multiplier, q.multiplier);
    EXPECT_EQ(pico_fire_alarm::kInputQuantizer.shift, q.shift);
}

TEST(AotModel, BitIdenticalToTheInterpreter) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(EARSHOT_REFERENCE_MODEL));
    nn::Interpreter interp(plan);
    std::vector<int64_t> storage((pico_fire_alarm::kArenaBytes + 7) / 8);  // 8-byte aligned arena
    auto* arena = reinterpret_cast<int8_t*>(storage.data());
    std::mt19937 rng(4);
    std::set<int> outputs_seen;
    std::vector<int16_t> spectrogram(dsp::kSpectrogramSize);
    for (int trial = 0; trial < 120; ++trial) {
        // Alarm-like and not alarm-like clips at many levels, tones and offsets, through the
        // device's front end and the generated input quantizer.
        audio::AlarmSynthOptions o;
        o.seconds = 2.0;
        o.seed = static_cast<uint32_t>(trial);
        o.tone_hz = 500.0 + 60.0 * (trial % 60);
        o.level = 0.01 + 0.02 * (trial % 25);
        o.noise_level = 0.001 * (1 + trial % 40);
        const auto clip = audio::synthesize_alarm(o);
        const size_t offset = std::uniform_int_distribution<size_t>(0, clip.size() - 16000)(rng);
        dsp::spectrogram_q15(clip.data() + offset, spectrogram.data(), dsp::MagnitudeMode::cmsis58);
        nn::quantize_magnitudes(spectrogram.data(), dsp::kSpectrogramSize, pico_fire_alarm::kInputQuantizer, arena + pico_fire_alarm::kInputOffset);
        std::copy(arena + pico_fire_alarm::kInputOffset, arena + pico_fire_alarm::kInputOffset + pico_fire_alarm::kInputBytes, interp.input());
        interp.invoke();
        pico_fire_alarm::invoke(arena);
        ASSERT_EQ(arena[pico_fire_alarm::kOutputOffset], interp.output()[0]) << "trial " << trial;
        outputs_seen.insert(interp.output()[0]);
        // The device loop's pair (the resize folded into the input quantization) agrees too,
        // starting from an arena full of junk.
        std::fill(arena, arena + pico_fire_alarm::kArenaBytes, static_cast<int8_t>(trial * 37));
        pico_fire_alarm::prepare(spectrogram.data(), arena);
        pico_fire_alarm::run_prepared(arena);
        ASSERT_EQ(arena[pico_fire_alarm::kOutputOffset], interp.output()[0]) << "prepare + run_prepared, trial " << trial;
    }
    EXPECT_GT(outputs_seen.size(), 5u) << "the inputs should exercise a range of scores";
}

TEST(AotCompiler, EmitsSoftmaxAndQuantize) {
    model::Graph g;
    g.tensors = {test::int8_tensor("x", {1, 10}, 0.1f, 0), test::int8_tensor("q", {1, 10}, 0.2f, 5), test::int8_tensor("p", {1, 10}, 1.0f / 256, -128)};
    g.ops = {{model::OpKind::quantize, 1, {0}, {1}, {}}, {model::OpKind::softmax, 1, {1}, {2}, {}}};
    g.inputs = {0};
    g.outputs = {2};
    const auto src = nn::compile_plan(nn::build_plan(g), "tiny", "test");
    EXPECT_NE(src.source.find("nn::requantize_int8(qp, 10,"), std::string::npos) << src.source;
    EXPECT_NE(src.source.find("nn::softmax_int8(sp, 1, 10,"), std::string::npos) << src.source;
    EXPECT_THROW(nn::compile_plan(nn::build_plan(g), "not-an-identifier", "test"), Error);
}

TEST(AotCompiler, WholeNumberScalesAreValidFloatLiterals) {
    model::Graph g;
    g.tensors = {test::int8_tensor("x", {1, 10}, 1.0f, 0), test::int8_tensor("q", {1, 10}, 2.0f, 5)};
    g.ops = {{model::OpKind::quantize, 1, {0}, {1}, {}}};
    g.inputs = {0};
    g.outputs = {1};
    const auto src = nn::compile_plan(nn::build_plan(g), "whole", "test");
    EXPECT_NE(src.header.find("kInputScale = 1.0f;"), std::string::npos) << src.header;
    EXPECT_NE(src.header.find("kOutputScale = 2.0f;"), std::string::npos) << src.header;
    EXPECT_EQ(src.header.find(" 1f;"), std::string::npos) << src.header;
}

TEST(AotCompiler, ConstantOperandsBecomeConstArrays) {
    model::Graph g;
    model::Tensor c = test::int8_tensor("c", {3}, 0.05f, 0);
    c.data = {1, 2, 3};
    g.tensors = {test::int8_tensor("x", {1, 1, 2, 3}, 0.1f, 0), c, test::int8_tensor("y", {1, 1, 2, 3}, 0.1f, 0)};
    g.ops = {{model::OpKind::add, 1, {0, 1}, {2}, {}}};
    g.inputs = {0};
    g.outputs = {2};
    const auto src = nn::compile_plan(nn::build_plan(g), "with_const", "test");
    EXPECT_NE(src.source.find("alignas(8) const int8_t k_tensor_1[3] = {\n    1, 2, 3};"), std::string::npos) << src.source;
    EXPECT_NE(src.source.find("nn::add_int8(ap, {1, 1, 2, 3}, arena + 0, {1, 1, 1, 3}, k_tensor_1,"), std::string::npos) << src.source;
}

// The host's device loop (what `evaluate` and `classify --stream` run: gather straight into the
// resize's output, vectorized conv) against the device's code path (core streaming spectrogram
// + the compiled model's prepare/run_prepared + core decision rule), block by block.
namespace {
// Background, then alarms at many tones and levels, each followed by noise.
std::vector<int16_t> alarm_scene() {
    std::vector<int16_t> pcm = test::lcg_noise(16000 * 3, 99, 3);
    for (int clip = 0; clip < 12; ++clip) {
        audio::AlarmSynthOptions o;
        o.seconds = 2.5;
        o.seed = static_cast<uint32_t>(clip);
        o.tone_hz = 900.0 + 350.0 * clip;
        o.level = 0.01 + 0.04 * (clip % 6);
        o.noise_level = 0.002 * (1 + clip % 5);
        const auto alarm = audio::synthesize_alarm(o);
        const auto noise = test::lcg_noise(16000, 7 + static_cast<uint32_t>(clip), clip % 8);
        pcm.insert(pcm.end(), alarm.begin(), alarm.end());
        pcm.insert(pcm.end(), noise.begin(), noise.end());
    }
    return pcm;
}
}  // namespace

TEST(AotModel, HostDeviceLoopEqualsTheCompiledDeviceLoop) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(EARSHOT_REFERENCE_MODEL));
    eval::DeviceLoop host(plan, model::detector_settings(plan.graph, "reference"), "reference");
    dsp::StreamingSpectrogram device;
    std::vector<int64_t> storage((pico_fire_alarm::kArenaBytes + 7) / 8);
    auto* arena = reinterpret_cast<int8_t*>(storage.data());
    const std::vector<int16_t> pcm = alarm_scene();
    detect::DecisionState s_host, s_device;
    detect::decision_reset(s_host);
    detect::decision_reset(s_device);
    int onsets = 0;
    std::set<int> seen;
    for (size_t at = 0; at + 512 <= pcm.size(); at += 512) {
        const int32_t q_host = host.push(pcm.data() + at);
        device.push(pcm.data() + at);
        pico_fire_alarm::prepare(device.frames(), arena);
        pico_fire_alarm::run_prepared(arena);
        const int32_t q_device = arena[pico_fire_alarm::kOutputOffset + pico_fire_alarm::kScoreOutput];
        ASSERT_EQ(q_host, q_device) << "block " << at / 512;
        const auto e = detect::decision_step(pico_fire_alarm::kDecision, s_device, q_device);
        ASSERT_EQ(detect::decision_step(pico_fire_alarm::kDecision, s_host, q_host), e);
        onsets += e == detect::DecisionEvent::onset;
        seen.insert(q_host);
    }
    EXPECT_GE(onsets, 1);
    EXPECT_GT(seen.size(), 10u) << "the stream should exercise a range of scores";
}

// The model-aware front end: keeping only the 32 bins the resize reads, as int8, in a 7.9 KB
// ring gives the very bytes prepare() makes from the full 64 KB spectrogram, block by block.
TEST(AotModel, QuantizedBinRingEqualsTheFullSpectrogramPath) {
    static_assert(pico_fire_alarm::kBinRing, "the tutorial model starts with a nearest resize");
    dsp::StreamingSpectrogram full;
    std::vector<int8_t> ring(2 * dsp::kFrames * pico_fire_alarm::kBinRingBinCount);
    dsp::QuantizedBinStream bins(pico_fire_alarm::kBinRingBins, pico_fire_alarm::kBinRingBinCount, pico_fire_alarm::kInputQuantizer, ring.data());
    std::vector<int64_t> a_storage((pico_fire_alarm::kArenaBytes + 7) / 8), b_storage(a_storage.size());
    auto* a = reinterpret_cast<int8_t*>(a_storage.data());
    auto* b = reinterpret_cast<int8_t*>(b_storage.data());
    const std::vector<int16_t> pcm = alarm_scene();
    // Silence first: the rings start equal too.
    pico_fire_alarm::prepare(full.frames(), a);
    pico_fire_alarm::prepare_from_bins(bins.frames(), b);
    pico_fire_alarm::run_prepared(a);
    pico_fire_alarm::run_prepared(b);
    ASSERT_EQ(a[pico_fire_alarm::kOutputOffset], b[pico_fire_alarm::kOutputOffset]);
    for (size_t at = 0; at + 512 <= pcm.size(); at += 512) {
        full.push(pcm.data() + at);
        bins.push(pcm.data() + at);
        pico_fire_alarm::prepare(full.frames(), a);
        pico_fire_alarm::prepare_from_bins(bins.frames(), b);
        ASSERT_EQ(0, std::memcmp(a, b, pico_fire_alarm::kArenaBytes)) << "block " << at / 512;
        pico_fire_alarm::run_prepared(a);
        pico_fire_alarm::run_prepared(b);
        ASSERT_EQ(a[pico_fire_alarm::kOutputOffset], b[pico_fire_alarm::kOutputOffset]) << "block " << at / 512;
    }
}

// The shipped detector: log band features (core's LogBandStream, the firmware's front end), the
// compiled model (its conv + pool fused, the pool's output through a scratch because the planner
// reused the input's bytes), the operating point compiled in from the metadata; against the
// host's device loop and interpreter, block by block.
TEST(AotModel, ShippedDetectorHostLoopEqualsTheCompiledDeviceLoop) {
    const model::Graph graph = model::load_tflite(EARSHOT_SHIPPED_MODEL);
    const model::DetectorSettings settings = model::detector_settings(graph, "shipped");
    ASSERT_TRUE(shipped_fire_alarm::kLogBandFeatures);
    ASSERT_EQ(settings.features.kind, model::FeatureKind::log_bands);
    EXPECT_EQ(shipped_fire_alarm::kDecision.threshold_q, settings.decision.threshold_q);
    EXPECT_EQ(shipped_fire_alarm::kDecision.k, settings.decision.k);
    EXPECT_EQ(shipped_fire_alarm::kDecision.n, settings.decision.n);
    EXPECT_EQ(shipped_fire_alarm::kLogBandLayout.bands, settings.features.bands());
    const nn::Plan plan = nn::build_plan(graph);
    eval::DeviceLoop host(plan, settings, "shipped");
    constexpr int32_t kValues = shipped_fire_alarm::kLogBandLayout.columns * shipped_fire_alarm::kLogBandLayout.bands;
    std::vector<int16_t> ring(2 * kValues), features(kValues);
    dsp::LogBandStream device(shipped_fire_alarm::kLogBandLayout, ring.data());
    std::vector<int64_t> storage((shipped_fire_alarm::kArenaBytes + 7) / 8);
    auto* arena = reinterpret_cast<int8_t*>(storage.data());
    std::vector<int16_t> pcm = test::lcg_noise(16000 * 2, 31, 4);
    for (int clip = 0; clip < 6; ++clip) {
        audio::AlarmSynthOptions o;
        o.seconds = 4.0;
        o.seed = static_cast<uint32_t>(clip);
        o.tone_hz = 2500.0 + 250.0 * clip;
        o.level = 0.02 + 0.05 * clip;
        const auto alarm = audio::synthesize_alarm(o);
        const auto noise = test::lcg_noise(16000 * 2, 3 + static_cast<uint32_t>(clip), clip);
        pcm.insert(pcm.end(), alarm.begin(), alarm.end());
        pcm.insert(pcm.end(), noise.begin(), noise.end());
    }
    detect::DecisionState s_host, s_device;
    detect::decision_reset(s_host);
    detect::decision_reset(s_device);
    std::set<int> seen;
    int onsets = 0;
    for (size_t at = 0; at + 512 <= pcm.size(); at += 512) {
        const int32_t q_host = host.push(pcm.data() + at);
        device.push(pcm.data() + at);
        device.features(features.data());
        shipped_fire_alarm::prepare(features.data(), arena);
        shipped_fire_alarm::run_prepared(arena);
        const int32_t q_device = arena[shipped_fire_alarm::kOutputOffset + shipped_fire_alarm::kScoreOutput];
        ASSERT_EQ(q_host, q_device) << "block " << at / 512;
        const auto e = detect::decision_step(shipped_fire_alarm::kDecision, s_device, q_device);
        ASSERT_EQ(detect::decision_step(settings.decision, s_host, q_host), e);
        onsets += e == detect::DecisionEvent::onset;
        seen.insert(q_host);
    }
    EXPECT_GT(seen.size(), 10u) << "the stream should exercise a range of scores";
    EXPECT_GE(onsets, 1) << "the synthesized alarms should turn the alarm on";
}
