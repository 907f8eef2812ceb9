// earshot pdm CAPTURE -o OUT.wav: a raw PDM capture decimated as on the board, as a WAV file.
#include <cstdio>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/audio/pdm_capture.hpp"
#include "host/audio/wav_writer.hpp"

namespace earshot::cli {
namespace {

struct PdmArgs {
    std::string input, output;
};

void run(const PdmArgs& a) {
    const std::vector<int16_t> pcm = audio::decimate_pdm_capture(a.input);
    audio::write_wav_pcm16(a.output, pcm, 16000);
    std::printf("wrote %s: %zu samples (%.3f s) at 16 kHz\n", a.output.c_str(), pcm.size(), static_cast<double>(pcm.size()) / 16000.0);
}

}  // namespace

void add_pdm_command(CLI::App& app) {
    auto args = std::make_shared<PdmArgs>();
    CLI::App* cmd = app.add_subcommand("pdm", "Decimate a raw 1.024 MHz PDM capture to a 16 kHz WAV, bit for bit as the board does");
    cmd->add_option("CAPTURE", args->input, "32-bit little-endian words, earliest bit in bit 31")->required();
    cmd->add_option("-o,--output", args->output, "WAV file to write")->required();
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
