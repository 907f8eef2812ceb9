// earshot simulate APP.elf --wav FILE: run firmware on the emulated RP2040 (sim/run.mjs, rp2040js)
// with FILE as the microphone; prints a summary of the board's scores, alarms, drops and cycle
// counts, and writes the full result as JSON with --json.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "apps/earshot/commands.hpp"
#include "apps/earshot/monitor.hpp"
#include "core/dsp/frame_constants.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/text.hpp"

namespace earshot::cli {
namespace {

namespace fs = std::filesystem;

// The firmware boots (clocks, banner, microphone start) before it takes audio: simulated time
// beyond the file's length that --max-seconds must allow.
constexpr double kBootMarginSeconds = 2.0;

struct SimulateArgs {
    std::string elf, audio, json;
    std::optional<double> max_seconds;
    bool profile = false, pdm = false, monitor = false;
    std::string monitor_csv;
};

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Removes a file when it goes out of scope (the converted WAV and the raw result).
struct TempFile {
    fs::path path;
    ~TempFile() {
        std::error_code ignored;
        fs::remove(path, ignored);
    }
};

std::string percent_of_budget(const nlohmann::json& stage, double budget) {
    return io::format("%9.0f mean %9.0f max  %5.1f%%", stage.value("mean", 0.0), stage.value("max", 0.0), 100.0 * stage.value("mean", 0.0) / budget);
}

void print_summary(const nlohmann::json& r, bool pdm) {
    const double budget = r["cycles"].value("budget_per_block", 4000000.0);
    std::printf("board: %s\n", r.value("banner", std::string("(no banner)")).c_str());
    std::printf("audio: %d blocks of 512 samples (%s), %d fed, %d scored, %d dropped; %.2f s simulated in %.1f s wall\n", r.value("blocks_in_wav", 0),
                pdm ? "PDM microphone" : "PCM feed", r.value("blocks_fed", 0), r.value("blocks_scored", 0),
                r["dropped"].is_number() ? r["dropped"].get<int>() : 0, r.value("simulated_seconds", 0.0), r.value("wall_seconds", 0.0));
    std::printf("serial: %d bytes at 115200 baud (timed as on the wire), %d lines dropped\n", r.value("uart_bytes_sent", 0),
                r["serial_lines_dropped"].is_number() ? r["serial_lines_dropped"].get<int>() : 0);
    const auto& events = r["alarm_events"];
    std::printf("alarm: %d of %d blocks; %zu event(s)", r.value("alarm_blocks", 0), r.value("blocks_scored", 0), events.size());
    for (const auto& e : events) std::printf("  %s at %.2f s", e.value("state", std::string()).c_str(), e.value("t_ms", 0) / 1000.0);
    std::printf("\ncycles per block (budget %.0f at 125 MHz):\n", budget);
    const std::pair<const char*, const char*> stages[] = {{"pdm_decimation_per_block", "PDM decimation"},
                                                          {"frontend_per_block", "front end"},
                                                          {"quantize", "input quantization"},
                                                          {"model", "model"},
                                                          {"output", "serial output"},
                                                          {"iteration", "whole iteration"}};
    for (const auto& [key, name] : stages) {
        if (!pdm && std::string(key) == "pdm_decimation_per_block") continue;
        std::printf("  %-20s %s\n", name, percent_of_budget(r["cycles"][key], budget).c_str());
    }
    if (r.contains("profile")) {
        std::printf("profile (share of cycles):\n");
        for (const auto& line : r["profile"]) std::printf("  %s\n", line.get<std::string>().c_str());
    }
}

void run(const SimulateArgs& a) {
    const fs::path script = fs::path(EARSHOT_SIM_DIR) / "run.mjs";
    if (!fs::exists(fs::path(EARSHOT_SIM_DIR) / "node_modules" / "rp2040js")) {
        throw Error(std::string(EARSHOT_SIM_DIR) + ": rp2040js is not installed (run scripts/setup, or npm ci --prefix sim)");
    }
    if (!fs::is_regular_file(a.elf)) throw Error(a.elf + ": no such firmware ELF");
    // The board hears 16 kHz mono 16-bit audio: convert whatever was given.
    const auto pcm = audio::load_pcm16k(a.audio);
    const double audio_seconds = static_cast<double>(pcm.size()) / dsp::kSampleRate;
    const double needed = std::ceil(audio_seconds + kBootMarginSeconds);
    if (pcm.size() < static_cast<size_t>(dsp::kStreamChunk)) {
        throw Error(a.audio + io::format(": %.3f s is shorter than one 512-sample block (32 ms)", audio_seconds));
    }
    // Known before a minute of simulation, not after it.
    if (a.max_seconds && *a.max_seconds < needed) {
        throw Error(a.audio + io::format(" is %.1f s long: --max-seconds %g cannot play it (the board also needs %.0f s to boot); use at least %.0f",
                                         audio_seconds, *a.max_seconds, kBootMarginSeconds, needed));
    }
    const double max_seconds = a.max_seconds.value_or(needed);
    const std::string stem = (fs::temp_directory_path() / ("earshot-sim-" + std::to_string(::getpid()))).string();
    const TempFile wav{stem + ".wav"}, result_json{stem + ".json"};
    audio::write_wav_pcm16(wav.path, pcm, dsp::kSampleRate);
    std::string command = "node " + quoted(script.string()) + " " + quoted(a.elf) + " --wav " + quoted(wav.path.string()) +
                          io::format(" --max-seconds %g --progress --json ", max_seconds) + quoted(result_json.path.string());
    if (a.profile) command += " --profile";
    if (a.pdm) command += " --pdm";
    std::fflush(stdout);
    int status = 0;
    if (a.monitor) {  // the board's lines, live, through the same view as `earshot monitor`
        std::FILE* lines = ::popen((command + " --lines").c_str(), "r");
        if (!lines) throw Error("cannot start the simulator");
        bool ended = false;
        monitor_board_lines(
            [&](int) -> std::optional<std::string> {
                char buffer[512];
                std::string line;
                while (std::fgets(buffer, sizeof buffer, lines)) {
                    line += buffer;
                    if (!line.empty() && line.back() == '\n') {
                        line.pop_back();
                        return line;
                    }
                }
                ended = true;
                if (line.empty()) return std::nullopt;
                return line;
            },
            [&] { return ended; }, {a.monitor_csv, 0.0});
        status = ::pclose(lines);
    } else {
        status = std::system(command.c_str());
    }
    if (status != 0) throw Error("the simulation failed (see above)");
    std::ifstream in(result_json.path);
    nlohmann::json result = nlohmann::json::parse(in, nullptr, false);
    if (result.is_discarded() || !result.is_object()) throw Error("the simulator wrote no readable result");
    result["wav"] = a.audio;  // the user's file, not the converted temporary
    if (!a.json.empty()) io::write_file_atomic(a.json, result.dump(1) + "\n");
    if (!io::is_stdout_output(a.json)) print_summary(result, a.pdm);
    const int blocks = result.value("blocks_in_wav", 0), scored = result.value("blocks_scored", 0);
    if (scored < blocks) {
        throw Error(io::format("only %d of %d blocks were scored in %.1f s of simulated time: the firmware fell behind or stopped", scored, blocks,
                               result.value("simulated_seconds", 0.0)));
    }
    if (!a.json.empty() && !io::is_stdout_output(a.json)) std::printf("wrote %s\n", a.json.c_str());
}

}  // namespace

void add_simulate_command(CLI::App& app) {
    auto args = std::make_shared<SimulateArgs>();
    CLI::App* cmd = app.add_subcommand("simulate", "Run RP2040 firmware on the emulated board (rp2040js) with an audio file as the microphone");
    cmd->add_option("ELF", args->elf, "Firmware ELF (build/default/firmware/earshot_app.elf)")->required();
    cmd->add_option("--wav", args->audio, "Audio file the microphone hears")->required();
    cmd->add_option("--json", args->json, "Write the full result (every block's score and alarm state, cycles) as JSON ('-' for stdout)");
    cmd->add_option("--max-seconds", args->max_seconds, "Simulated time limit (default: the audio's length + 2 s to boot)")
        ->check(CLI::Validator([](std::string& v) { return std::strtod(v.c_str(), nullptr) > 0 ? std::string() : "must be a positive number of seconds, not " + v; },
                               "SECONDS > 0"));
    cmd->add_flag("--profile", args->profile, "Sample the program counter and report where the cycles go");
    cmd->add_flag("--monitor", args->monitor, "Show the board's lines live as `earshot monitor` does");
    cmd->add_option("--monitor-csv", args->monitor_csv, "With --monitor: log every score line here (CSV)");
    cmd->add_flag("--pdm", args->pdm, "Feed the board 1.024 MHz PDM bits (sigma-delta modulated audio) instead of PCM");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
