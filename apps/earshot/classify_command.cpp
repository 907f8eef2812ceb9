// earshot classify model.tflite FILE.wav: the device pipeline (q15 front end, integer input
// quantization, int8 model) on every 1 s bite of a recording.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "apps/earshot/commands.hpp"
#include "core/detect/decision.hpp"
#include "core/dsp/frame_constants.hpp"
#include "core/dsp/spectrogram.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/pdm_capture.hpp"
#include "host/audio/soundbites.hpp"
#include "host/dsp/float_stft.hpp"
#include "host/error.hpp"
#include "host/io/progress.hpp"
#include "host/io/text.hpp"
#include "host/eval/device_loop.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/plan.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::cli {
namespace {

// A progress line on a terminal (stderr) for long files; the results stay on stdout.
void report_progress(io::Progress& progress, int64_t done, int64_t total, const char* unit) {
    if (total <= 0) return;
    io::progress_update(progress, io::format("classify %s %lld/%lld %s", io::progress_bar(static_cast<double>(done) / static_cast<double>(total)).c_str(),
                                             static_cast<long long>(done), static_cast<long long>(total), unit));
}

// The samples of a stream from `start` on, kept only as far back as the current window needs.
struct SampleWindow {
    audio::Pcm16kStream& stream;
    std::vector<int16_t> samples;
    int64_t first = 0;  // stream position of samples[0]
    bool ended = false;

    // samples [start, start + n) (zero past the end of the stream) into out.
    void copy(int64_t start, size_t n, int16_t* out) {
        if (start > first) {
            const auto drop = static_cast<size_t>(std::min<int64_t>(start - first, static_cast<int64_t>(samples.size())));
            samples.erase(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(drop));
            first += static_cast<int64_t>(drop);
            while (!ended && first < start) {  // a hop longer than the window: read and discard
                int16_t skip[4096];
                const size_t got = stream.read(skip, static_cast<size_t>(std::min<int64_t>(start - first, 4096)));
                ended = got == 0;
                first += static_cast<int64_t>(got);
            }
        }
        while (!ended && static_cast<int64_t>(samples.size()) < start - first + static_cast<int64_t>(n)) {
            int16_t more[4096];
            const size_t got = stream.read(more, std::size(more));
            ended = got == 0;
            samples.insert(samples.end(), more, more + got);
        }
        const size_t offset = static_cast<size_t>(start - first);
        for (size_t i = 0; i < n; ++i) out[i] = offset + i < samples.size() ? samples[offset + i] : 0;
    }
};

struct ClassifyArgs {
    std::string model, audio;
    size_t hop = 4000;
    bool allow_long = false;
    bool stream = false, pdm = false;
};

// The device loop on the host (eval::DeviceLoop, the firmware's code) and the model's decision
// rule: one line per block, plus the alarm on/off lines the board prints, for comparison.
void run_stream(const nn::Plan& plan, const std::string& origin, const std::function<bool(int16_t*)>& next_block, int64_t total_blocks) {
    const model::DetectorSettings settings = model::detector_settings(plan.graph, origin);
    eval::DeviceLoop loop(plan, settings, origin);
    detect::DecisionState state;
    detect::decision_reset(state);
    io::Progress progress = io::make_progress();
    int16_t block_samples[dsp::kStreamChunk];
    for (size_t block = 0; next_block(block_samples); ++block) {
        const int32_t q = loop.push(block_samples);
        const detect::DecisionEvent e = detect::decision_step(settings.decision, state, q);
        if (e != detect::DecisionEvent::none) {
            std::printf("alarm %s t=%ums\n", e == detect::DecisionEvent::onset ? "on" : "off", detect::block_end_ms(static_cast<uint32_t>(block)));
        }
        std::printf("block=%zu q=%d score=%.4f alarm=%d\n", block, q, model::q_to_score(plan.graph, q), state.on ? 1 : 0);
        if (block % 1024 == 0) report_progress(progress, static_cast<int64_t>(block), total_blocks, "blocks");
    }
    io::progress_clear(progress);
}

void run(const ClassifyArgs& a) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(a.model));
    const model::Tensor& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    const model::Tensor& out = plan.graph.tensors[static_cast<size_t>(plan.output)];
    if (a.pdm && !a.stream) throw Error("--pdm goes with --stream (the board's loop)");
    audio::DecodeLimits limits;
    limits.allow_long = a.allow_long;
    if (a.stream && a.pdm) {
        const std::vector<int16_t> pcm = audio::decimate_pdm_capture(a.audio);
        size_t at = 0;
        return run_stream(plan, a.model, [&](int16_t* block) {
            if (at + dsp::kStreamChunk > pcm.size()) return false;
            std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(at), dsp::kStreamChunk, block);
            at += dsp::kStreamChunk;
            return true;
        }, static_cast<int64_t>(pcm.size() / dsp::kStreamChunk));
    }
    if (a.stream) {  // block by block: memory independent of the file's length
        audio::Pcm16kStream stream(a.audio, limits);
        return run_stream(plan, a.model, [&](int16_t* block) { return stream.read(block, dsp::kStreamChunk) == dsp::kStreamChunk; },
                          stream.samples() / dsp::kStreamChunk);
    }
    if (model::detector_settings(plan.graph, a.model).features.kind == model::FeatureKind::log_bands) {
        throw Error(a.model + ": this model listens through streaming log band features: run it with --stream (the device loop)");
    }
    if (model::element_count(in.shape) != dsp::kSpectrogramSize) {  // 124x129, whatever the layout
        throw Error(a.model + ": input has " + std::to_string(model::element_count(in.shape)) + " values, a 124x129 spectrogram has " +
                    std::to_string(dsp::kSpectrogramSize));
    }
    const bool float_input = in.type == model::DType::float32, float_output = out.type == model::DType::float32;
    if (!float_input && !in.quant.present()) throw Error(a.model + ": the input is neither float32 nor quantized int8");
    const nn::InputQuantizer quantizer =
        float_input ? nn::InputQuantizer{} : nn::input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]));
    nn::Interpreter interpreter(plan);

    // The bites cut_soundbites would cut (every `hop` samples, all kept; one zero-padded bite for a
    // clip of at most 1 s), read through a window so a long file is never in memory at once.
    audio::Pcm16kStream stream(a.audio, limits);
    const int64_t total = stream.samples();
    SampleWindow window{stream, {}, 0, false};
    std::vector<int16_t> spectrogram(dsp::kSpectrogramSize), bite(dsp::kBiteSamples);
    std::printf("%s on %s (%.2f s), one line per 1 s bite every %.3f s\n", a.model.c_str(), a.audio.c_str(),
                static_cast<double>(total) / dsp::kSampleRate, static_cast<double>(a.hop) / dsp::kSampleRate);
    io::Progress progress = io::make_progress();
    const auto hop = static_cast<int64_t>(a.hop);
    for (int64_t start = 0; start == 0 || start + dsp::kBiteSamples < total; start += hop) {
        window.copy(start, bite.size(), bite.data());
        if (start / hop % 256 == 0) report_progress(progress, start / dsp::kSampleRate, total / dsp::kSampleRate, "s");
        dsp::spectrogram_q15(bite.data(), spectrogram.data(), dsp::MagnitudeMode::cmsis58);
        if (float_input) {  // features in float STFT units, as the model was trained
            for (int i = 0; i < dsp::kSpectrogramSize; ++i) {
                const float f = dsp::q15_magnitude_to_float(spectrogram[static_cast<size_t>(i)]);
                std::memcpy(interpreter.input() + 4 * i, &f, sizeof f);
            }
        } else {
            nn::quantize_magnitudes(spectrogram.data(), dsp::kSpectrogramSize, quantizer, interpreter.input());
        }
        interpreter.invoke();
        std::printf("t=%7.3fs", static_cast<double>(start) / dsp::kSampleRate);
        const int64_t outputs = model::element_count(out.shape);
        for (int64_t k = 0; k < outputs; ++k) {
            const std::string label = outputs > 1 ? "[" + std::to_string(k) + "]" : "";
            if (float_output) {
                float f;
                std::memcpy(&f, interpreter.output() + 4 * k, sizeof f);
                std::printf("  score%s=%.4f", label.c_str(), static_cast<double>(f));
            } else {
                const int32_t q = interpreter.output()[k];
                std::printf("  score%s=%.4f (q=%d)", label.c_str(), (q - out.quant.zero_point[0]) * static_cast<double>(out.quant.scale[0]), q);
            }
        }
        std::printf("\n");
    }
    io::progress_clear(progress);
}

}  // namespace

void add_classify_command(CLI::App& app) {
    auto args = std::make_shared<ClassifyArgs>();
    CLI::App* cmd = app.add_subcommand("classify", "Score every 1 s bite of an audio file with an int8 model, as the device would");
    cmd->add_option("MODEL", args->model, ".tflite file (input 124x129 int8)")->required();
    cmd->add_option("AUDIO", args->audio, "Audio file")->required();
    cmd->add_option("--hop", args->hop, "Samples between bites")->check(CLI::Range(1, 16000 * 60))->capture_default_str();
    cmd->add_flag("--allow-long", args->allow_long, "Accept files longer than one hour");
    cmd->add_flag("--pdm", args->pdm, "AUDIO is a raw PDM capture (32-bit LE words, 1.024 MHz, earliest bit in bit 31), decimated as on the board");
    cmd->add_flag("--stream", args->stream, "The device loop: a score every 512 samples from a rolling spectrogram");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
