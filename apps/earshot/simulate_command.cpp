// earshot simulate APP.elf --wav FILE: run firmware on the emulated RP2040 (sim/run.mjs, rp2040js)
// with FILE as the microphone; prints the board's scores, drops and cycle counts as JSON.
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "core/dsp/frame_constants.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"

namespace earshot::cli {
namespace {

struct SimulateArgs {
    std::string elf, audio, json;
    double max_seconds = 60;
    bool profile = false, pdm = false;
};

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

void run(const SimulateArgs& a) {
    const std::filesystem::path script = std::filesystem::path(EARSHOT_SIM_DIR) / "run.mjs";
    if (!std::filesystem::exists(std::filesystem::path(EARSHOT_SIM_DIR) / "node_modules" / "rp2040js")) {
        throw Error(std::string(EARSHOT_SIM_DIR) + ": rp2040js is not installed (run scripts/setup, or npm ci --prefix sim)");
    }
    if (!std::filesystem::is_regular_file(a.elf)) throw Error(a.elf + ": no such firmware ELF");
    // The board hears 16 kHz mono 16-bit audio: convert whatever was given.
    const auto pcm = audio::load_pcm16k(a.audio);
    const auto wav = std::filesystem::temp_directory_path() / ("earshot-sim-" + std::to_string(::getpid()) + ".wav");
    audio::write_wav_pcm16(wav, pcm, dsp::kSampleRate);
    std::string command = "node " + quoted(script.string()) + " " + quoted(a.elf) + " --wav " + quoted(wav.string()) + " --max-seconds " + std::to_string(a.max_seconds);
    if (!a.json.empty()) command += " --json " + quoted(a.json);
    if (a.profile) command += " --profile";
    if (a.pdm) command += " --pdm";
    const int status = std::system(command.c_str());
    std::filesystem::remove(wav);
    if (status != 0) throw Error("the simulation failed (see above)");
}

}  // namespace

void add_simulate_command(CLI::App& app) {
    auto args = std::make_shared<SimulateArgs>();
    CLI::App* cmd = app.add_subcommand("simulate", "Run RP2040 firmware on the emulated board (rp2040js) with an audio file as the microphone");
    cmd->add_option("ELF", args->elf, "Firmware ELF (build/default/firmware/earshot_app.elf)")->required();
    cmd->add_option("--wav", args->audio, "Audio file the microphone hears")->required();
    cmd->add_option("--json", args->json, "Also write the result here");
    cmd->add_option("--max-seconds", args->max_seconds, "Simulated time limit")->capture_default_str();
    cmd->add_flag("--profile", args->profile, "Sample the program counter and report where the cycles go");
    cmd->add_flag("--pdm", args->pdm, "Feed the board 1.024 MHz PDM bits (sigma-delta modulated audio) instead of PCM");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
