// earshot firmware MODEL.tflite -o APP.uf2 [--board pico]: the inference app for a model, built
// from the source tree (src/host/firmware/firmware_build).
#include <cstdlib>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/firmware/firmware_build.hpp"

namespace earshot::cli {
namespace {

std::filesystem::path default_build_dir(const std::string& board) {
    const char* cache = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const std::filesystem::path base = cache && *cache ? std::filesystem::path(cache) : home && *home ? std::filesystem::path(home) / ".cache" : std::filesystem::path("/tmp");
    return base / "earshot" / ("firmware-" + board);
}

}  // namespace

void add_firmware_command(CLI::App& app) {
    auto args = std::make_shared<firmware::FirmwareBuild>();
    auto build_dir = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("firmware", "Build the RP2040 app (UF2) for an int8 .tflite model and a board");
    cmd->add_option("MODEL", args->model, "int8 .tflite (earshot-out/fire_alarm.tflite)")->required();
    cmd->add_option("-o,--output", args->output, "UF2 to write")->required();
    cmd->add_option("--board", args->board, "pico or sparkfun_micromod")->capture_default_str();
    cmd->add_option("--build-dir", *build_dir, "Where to build (kept; default ~/.cache/earshot/firmware-BOARD)");
    cmd->callback([args, build_dir] {
        args->source_dir = EARSHOT_SOURCE_DIR;
        args->build_dir = build_dir->empty() ? default_build_dir(args->board) : std::filesystem::path(*build_dir);
        firmware::build_firmware(*args);
    });
}

}  // namespace earshot::cli
