// Host speed of streaming evaluation (`earshot evaluate`): the device loop per 512-sample block
// (rolling spectrogram, input quantization, int8 model) on one core, as a real-time factor
// (32 ms of audio per block), for the tutorial-shaped model and the shipped detector; plus the
// portable conv kernel against the host's vectorized twin on the tutorial model's conv.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <vector>

#include "core/nn/kernels.hpp"
#include "host/eval/device_loop.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/conv_host.hpp"
#include "host/nn/plan.hpp"

using namespace earshot;

namespace {

std::vector<int16_t> test_audio(size_t n) {
    std::vector<int16_t> x(n);
    uint32_t s = 7;
    for (size_t i = 0; i < n; ++i) {
        s = 1664525u * s + 1013904223u;
        x[i] = static_cast<int16_t>(static_cast<int16_t>(s >> 16) / 8 + ((i / 4000) % 2 ? 6000 * ((i / 3) % 2) : 0));
    }
    return x;
}

void device_loop(benchmark::State& state, const std::filesystem::path& model) {
    if (!std::filesystem::exists(model)) {
        state.SkipWithError(("model not found: " + model.string()).c_str());
        return;
    }
    const nn::Plan plan = nn::build_plan(model::load_tflite(model));
    eval::DeviceLoop loop(plan, model::detector_settings(plan.graph, model.string()), model.string());
    const std::vector<int16_t> audio = test_audio(512 * 64);
    size_t block = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(loop.push(audio.data() + 512 * (block++ % 64)));
    }
    state.counters["x_realtime_per_core"] = benchmark::Counter(0.032, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_DeviceLoopTutorialModel(benchmark::State& state) { device_loop(state, EARSHOT_REFERENCE_MODEL); }
BENCHMARK(BM_DeviceLoopTutorialModel);

void BM_DeviceLoopShippedModel(benchmark::State& state) { device_loop(state, EARSHOT_SHIPPED_MODEL); }
BENCHMARK(BM_DeviceLoopShippedModel);

// The tutorial model's conv: 32x32x1 -> 13x13x8, 8x8 stride 2.
template <bool Host>
void BM_TutorialConv(benchmark::State& state) {
    const nn::Shape4 in{1, 32, 32, 1}, filter{8, 8, 8, 1}, out{1, 13, 13, 8};
    std::vector<int8_t> x(32 * 32), w(8 * 64), y(13 * 13 * 8);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>(i * 37 % 256 - 128);
    for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(i * 11 % 255 - 127);
    std::vector<int32_t> m(8, 1 << 30), s(8, -8), bias(8, 100);
    const nn::Requantize rq{m.data(), s.data(), true, -128, -128, 127};
    const nn::ConvGeometry g{2, 2, 1, 1, 0, 0};
    for (auto _ : state) {
        if (Host) nn::conv2d_int8_host(g, 128, rq, in, x.data(), filter, w.data(), bias.data(), out, y.data());
        else nn::conv2d_int8(g, 128, rq, in, x.data(), filter, w.data(), bias.data(), out, y.data());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["MAC/s"] = benchmark::Counter(13.0 * 13 * 8 * 64, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_TutorialConv<false>)->Name("BM_TutorialConv/portable");
BENCHMARK(BM_TutorialConv<true>)->Name("BM_TutorialConv/host");

}  // namespace

BENCHMARK_MAIN();
