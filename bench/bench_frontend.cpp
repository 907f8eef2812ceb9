// Host speed of the front end. Real-time factor = seconds of audio processed per second of
// compute; the device's cycle counts come with the firmware.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "core/dsp/spectrogram.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "host/dsp/float_stft.hpp"

using namespace earshot::dsp;

namespace {

std::vector<int16_t> test_audio() {
    std::vector<int16_t> x(kBiteSamples);
    uint32_t s = 1;
    for (size_t i = 0; i < x.size(); ++i) {
        s = 1664525u * s + 1013904223u;
        x[i] = static_cast<int16_t>(static_cast<int16_t>(s >> 16) / 4 + 12000.0 * std::sin(0.3 * static_cast<double>(i)));
    }
    return x;
}

void set_realtime(benchmark::State& state, double audio_seconds_per_iteration) {
    state.counters["x_realtime"] = benchmark::Counter(audio_seconds_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Q15Frame(benchmark::State& state) {
    const auto x = test_audio();
    const auto mode = static_cast<MagnitudeMode>(state.range(0));
    int16_t out[kBins];
    for (auto _ : state) {
        spectrogram_frame_q15(x.data(), out, mode);
        benchmark::DoNotOptimize(out);
    }
    set_realtime(state, static_cast<double>(kHop) / kSampleRate);  // one frame per hop of new audio
    state.SetLabel(mode == MagnitudeMode::cmsis58 ? "cmsis58" : "exact");
}
BENCHMARK(BM_Q15Frame)->Arg(0)->Arg(1);

void BM_Q15SecondOfAudio(benchmark::State& state) {
    const auto x = test_audio();
    std::vector<int16_t> out(kSpectrogramSize);
    for (auto _ : state) {
        spectrogram_q15(x.data(), out.data(), MagnitudeMode::cmsis58);
        benchmark::DoNotOptimize(out.data());
    }
    set_realtime(state, 1.0);
}
BENCHMARK(BM_Q15SecondOfAudio);

void BM_StreamingChunk(benchmark::State& state) {
    const auto x = test_audio();
    StreamingSpectrogram stream;
    for (auto _ : state) {
        stream.push(x.data());
        benchmark::DoNotOptimize(stream.frames());
    }
    set_realtime(state, static_cast<double>(kStreamChunk) / kSampleRate);
}
BENCHMARK(BM_StreamingChunk);

void BM_FloatStftSecondOfAudio(benchmark::State& state) {
    const auto pcm = test_audio();
    std::vector<float> x(pcm.size());
    for (size_t i = 0; i < x.size(); ++i) x[i] = pcm[i] / 32768.0f;
    for (auto _ : state) benchmark::DoNotOptimize(stft_magnitude(x));
    set_realtime(state, 1.0);
}
BENCHMARK(BM_FloatStftSecondOfAudio);

}  // namespace

BENCHMARK_MAIN();
