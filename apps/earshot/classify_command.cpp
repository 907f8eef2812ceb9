// earshot classify model.tflite FILE.wav: the device pipeline (q15 front end, integer input
// quantization, int8 model) on every 1 s bite of a recording.
#include <cstdio>
#include <cstring>
#include <fstream>
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
#include "host/eval/device_loop.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/plan.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::cli {
namespace {

struct ClassifyArgs {
    std::string model, audio;
    size_t hop = 4000;
    bool allow_long = false;
    bool stream = false, pdm = false;
};

// The device loop on the host (eval::DeviceLoop, the firmware's code) and the model's decision
// rule: one line per block, plus the alarm on/off lines the board prints, for comparison.
void run_stream(const nn::Plan& plan, const std::string& origin, const std::vector<int16_t>& pcm) {
    const model::DetectorSettings settings = model::detector_settings(plan.graph, origin);
    eval::DeviceLoop loop(plan, settings, origin);
    detect::DecisionState state;
    detect::decision_reset(state);
    const size_t blocks = pcm.size() / dsp::kStreamChunk;
    for (size_t block = 0; block < blocks; ++block) {
        const int32_t q = loop.push(pcm.data() + block * dsp::kStreamChunk);
        const detect::DecisionEvent e = detect::decision_step(settings.decision, state, q);
        if (e != detect::DecisionEvent::none) {
            std::printf("alarm %s t=%ums\n", e == detect::DecisionEvent::onset ? "on" : "off", detect::block_end_ms(static_cast<uint32_t>(block)));
        }
        std::printf("block=%zu q=%d score=%.4f alarm=%d\n", block, q, model::q_to_score(plan.graph, q), state.on ? 1 : 0);
    }
}

void run(const ClassifyArgs& a) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(a.model));
    const model::Tensor& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    const model::Tensor& out = plan.graph.tensors[static_cast<size_t>(plan.output)];
    if (a.pdm && !a.stream) throw Error("--pdm goes with --stream (the board's loop)");
    audio::DecodeLimits limits;
    limits.allow_long = a.allow_long;
    if (a.stream) return run_stream(plan, a.model, a.pdm ? audio::decimate_pdm_capture(a.audio) : audio::load_pcm16k(a.audio, limits));
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

    audio::SoundbiteOptions bites;
    bites.hop = a.hop;
    bites.silence = audio::SilenceRule::keep_all;
    const auto pcm = audio::load_pcm16k(a.audio, limits);
    std::vector<int16_t> spectrogram(dsp::kSpectrogramSize);
    std::printf("%s on %s (%.2f s), one line per 1 s bite every %.3f s\n", a.model.c_str(), a.audio.c_str(),
                static_cast<double>(pcm.size()) / dsp::kSampleRate, static_cast<double>(a.hop) / dsp::kSampleRate);
    for (const auto& bite : audio::cut_soundbites(pcm, bites)) {
        dsp::spectrogram_q15(bite.samples.data(), spectrogram.data(), dsp::MagnitudeMode::cmsis58);
        if (float_input) {  // features in float STFT units, as the model was trained
            for (int i = 0; i < dsp::kSpectrogramSize; ++i) {
                const float f = dsp::q15_magnitude_to_float(spectrogram[static_cast<size_t>(i)]);
                std::memcpy(interpreter.input() + 4 * i, &f, sizeof f);
            }
        } else {
            nn::quantize_magnitudes(spectrogram.data(), dsp::kSpectrogramSize, quantizer, interpreter.input());
        }
        interpreter.invoke();
        std::printf("t=%7.3fs", static_cast<double>(bite.offset) / dsp::kSampleRate);
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
