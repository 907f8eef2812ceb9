// Host speed of the int8 runtime on the reference tutorial's model (needs ../shared).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>

#include "host/model/tflite_reader.hpp"
#include "host/nn/plan.hpp"

using namespace earshot;

namespace {

const std::filesystem::path kFixture = EARSHOT_REFERENCE_MODEL;

void BM_ReferenceModelInference(benchmark::State& state) {
    if (!std::filesystem::exists(kFixture)) {
        state.SkipWithError("reference model not found (../shared/reference_models)");
        return;
    }
    const nn::Plan plan = nn::build_plan(model::load_tflite(kFixture));
    nn::Interpreter interp(plan);
    for (int64_t i = 0; i < interp.input_size(); ++i) interp.input()[i] = static_cast<int8_t>(i * 37 % 256 - 128);
    for (auto _ : state) {
        interp.invoke();
        benchmark::DoNotOptimize(interp.output());
    }
    // MACs: conv 13*13*8 outputs x 64 taps + dense 288.
    const double macs = 13.0 * 13 * 8 * 64 + 288;
    state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReferenceModelInference);

void BM_Conv2dKernel(benchmark::State& state) {
    // A 32x32x8 -> 32x32x16 3x3 SAME conv: 2.36 M MACs.
    const nn::Shape4 in{1, 32, 32, 8}, filter{16, 3, 3, 8}, out{1, 32, 32, 16};
    std::vector<int8_t> x(32 * 32 * 8, 3), w(16 * 9 * 8, -2), y(32 * 32 * 16);
    std::vector<int32_t> m(16, 1 << 30), s(16, -6);
    const nn::Requantize rq{m.data(), s.data(), true, 0, -128, 127};
    const nn::ConvGeometry g{1, 1, 1, 1, 1, 1};
    for (auto _ : state) {
        nn::conv2d_int8(g, 5, rq, in, x.data(), filter, w.data(), nullptr, out, y.data());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["MAC/s"] = benchmark::Counter(32.0 * 32 * 16 * 9 * 8, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Conv2dKernel);

}  // namespace

BENCHMARK_MAIN();
