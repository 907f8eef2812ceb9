// earshot classify model.tflite FILE.wav: the device pipeline (q15 front end, integer input
// quantization, int8 model) on every 1 s bite of a recording.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "apps/earshot/commands.hpp"
#include "core/dsp/frame_constants.hpp"
#include "core/dsp/spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/soundbites.hpp"
#include "host/error.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/plan.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::cli {
namespace {

struct ClassifyArgs {
    std::string model, audio;
    size_t hop = 4000;
    bool allow_long = false;
};

void run(const ClassifyArgs& a) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(a.model));
    const model::Tensor& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    const model::Tensor& out = plan.graph.tensors[static_cast<size_t>(plan.output)];
    if (model::element_count(in.shape) != dsp::kSpectrogramSize) {
        throw Error(a.model + ": input has " + std::to_string(model::element_count(in.shape)) + " values, a 124x129 spectrogram has " +
                    std::to_string(dsp::kSpectrogramSize));
    }
    const nn::InputQuantizer quantizer = nn::input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]));
    nn::Interpreter interpreter(plan);

    audio::DecodeLimits limits;
    limits.allow_long = a.allow_long;
    audio::SoundbiteOptions bites;
    bites.hop = a.hop;
    bites.silence = audio::SilenceRule::keep_all;
    const auto pcm = audio::load_pcm16k(a.audio, limits);
    std::vector<int16_t> spectrogram(dsp::kSpectrogramSize);
    std::printf("%s on %s (%.2f s), one line per 1 s bite every %.3f s\n", a.model.c_str(), a.audio.c_str(),
                static_cast<double>(pcm.size()) / dsp::kSampleRate, static_cast<double>(a.hop) / dsp::kSampleRate);
    for (const auto& bite : audio::cut_soundbites(pcm, bites)) {
        dsp::spectrogram_q15(bite.samples.data(), spectrogram.data(), dsp::MagnitudeMode::cmsis58);
        nn::quantize_magnitudes(spectrogram.data(), dsp::kSpectrogramSize, quantizer, interpreter.input());
        interpreter.invoke();
        std::printf("t=%7.3fs", static_cast<double>(bite.offset) / dsp::kSampleRate);
        for (int64_t k = 0; k < interpreter.output_size(); ++k) {
            const int32_t q = interpreter.output()[k];
            std::printf("  score%s=%.4f (q=%d)", interpreter.output_size() > 1 ? ("[" + std::to_string(k) + "]").c_str() : "",
                        (q - out.quant.zero_point[0]) * static_cast<double>(out.quant.scale[0]), q);
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
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
