// earshot synth OUT.wav: a deterministic example clip, so everything runs with no downloads.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "core/dsp/frame_constants.hpp"
#include "host/audio/default_data.hpp"
#include "host/audio/synth.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"

namespace earshot::cli {
namespace {

struct SynthArgs {
    std::string output;
    audio::AlarmSynthOptions options;
    bool dataset = false, scene = false;
    double scene_seconds = 7.0, alarm_seconds = 3.0;
    int alarms = 48, per_kind = 12;
};

// The built-in data as a folder-per-class dataset (OUT/alarm/*.wav, OUT/<background>/*.wav).
void write_dataset(const SynthArgs& a) {
    if (!(a.options.seconds > 0.0 && a.options.seconds <= 60.0)) throw Error("--seconds must be in (0, 60] with --dataset");
    const auto clips = audio::generate_default_data(a.alarms, a.per_kind, a.options.seconds, a.options.seed);
    std::map<std::string, int> count;
    for (const auto& c : clips) {
        const std::filesystem::path dir = std::filesystem::path(a.output) / c.label;
        std::filesystem::create_directories(dir);
        char name[32];
        std::snprintf(name, sizeof name, "%04d.wav", count[c.label]++);
        audio::write_wav_pcm16(dir / name, c.samples, dsp::kSampleRate);
    }
    std::printf("wrote %zu clips of %.1f s into %s/ (%zu classes)\n", clips.size(), a.options.seconds, a.output.c_str(), count.size());
}

// A test scene: 2 s of background (babble over pink noise), an alarm (3 s by default) over the
// same background, then background again (2 s by default).
void write_scene(const SynthArgs& a) {
    if (!(a.alarm_seconds >= 0.5 && a.alarm_seconds <= 300.0)) throw Error("--alarm-seconds must be in [0.5, 300]");
    if (!(a.scene_seconds >= 2.0 + a.alarm_seconds + 1.0 && a.scene_seconds <= 600.0)) {
        throw Error("--scene-seconds must be in [2 + alarm + 1, 600] (the alarm starts at 2 s)");
    }
    const auto babble = audio::synthesize_background_clip(audio::BackgroundKind::babble, a.options.seed, a.scene_seconds);
    const auto pink = audio::synthesize_background_clip(audio::BackgroundKind::pink, a.options.seed, a.scene_seconds);
    const auto alarm = audio::synthesize_alarm_clip(a.options.seed, a.alarm_seconds);
    std::vector<int16_t> scene(babble.size());
    for (size_t i = 0; i < scene.size(); ++i) {
        int32_t v = babble[i] / 3 + pink[i] / 6;
        if (i >= 32000 && i < 32000 + alarm.size()) v += alarm[i - 32000];
        scene[i] = static_cast<int16_t>(std::clamp(v, -32768, 32767));
    }
    audio::write_wav_pcm16(a.output, scene, dsp::kSampleRate);
    std::printf("wrote %s: %g s scene, alarm from 2.0 s to %.1f s over babble and pink noise\n", a.output.c_str(), a.scene_seconds, 2.0 + a.alarm_seconds);
}

void run(const SynthArgs& a) {
    if (a.dataset) return write_dataset(a);
    if (a.scene) return write_scene(a);
    if (!(a.options.seconds > 0.0 && a.options.seconds <= 3600.0)) throw Error("--seconds must be in (0, 3600]");
    const auto samples = audio::synthesize_alarm(a.options);
    audio::write_wav_pcm16(a.output, samples, dsp::kSampleRate);
    std::printf("wrote %s: %.2f s smoke-alarm pattern (%.0f Hz) over noise, 16 kHz mono 16-bit\n", a.output.c_str(),
                a.options.seconds, a.options.tone_hz);
}

}  // namespace

void add_synth_command(CLI::App& app) {
    auto args = std::make_shared<SynthArgs>();
    CLI::App* cmd = app.add_subcommand("synth", "Write an example alarm clip (temporal-3 pattern over noise)");
    cmd->add_option("OUT", args->output, "Output WAV file (a folder with --dataset)")->required();
    cmd->add_flag("--scene", args->scene, "Write a 7 s test scene: background, then an alarm from 2 s to 5 s, then background");
    cmd->add_option("--scene-seconds", args->scene_seconds, "With --scene: its length")->capture_default_str();
    cmd->add_option("--alarm-seconds", args->alarm_seconds, "With --scene: how long the alarm sounds from 2 s on")->capture_default_str();
    cmd->add_flag("--dataset", args->dataset, "Write the built-in alarm and background data as a folder-per-class dataset");
    cmd->add_option("--alarms", args->alarms, "With --dataset: alarm clips")->check(CLI::Range(0, 100000))->capture_default_str();
    cmd->add_option("--per-kind", args->per_kind, "With --dataset: clips per background kind")->check(CLI::Range(0, 100000))->capture_default_str();
    cmd->add_option("--seconds", args->options.seconds, "Length")->capture_default_str();
    cmd->add_option("--tone", args->options.tone_hz, "Alarm fundamental in Hz")->check(CLI::Range(100.0, 7900.0))->capture_default_str();
    cmd->add_option("--seed", args->options.seed, "Noise seed")->capture_default_str();
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
