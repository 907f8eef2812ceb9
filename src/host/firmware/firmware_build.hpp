// `earshot firmware MODEL.tflite -o APP.uf2`: the inference app for one model and board, built
// from the source tree earshot was built from (Debian's arm-none-eabi toolchain, CMake, Ninja):
// the model compiled to C++ (`earshot compile`), the app cross-built with it, boot2's CRC
// stamped and the image written as UF2. The build folder is kept, so the next model rebuilds
// only what changed.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace earshot::firmware {

struct FirmwareBuild {
    std::filesystem::path model;       // int8 .tflite
    std::filesystem::path output;      // the UF2 to write
    std::string board = "pico";        // pico or sparkfun_micromod
    std::filesystem::path source_dir;  // the earshot source tree
    std::filesystem::path build_dir;   // kept between builds
};

// Throws earshot::Error naming what is missing (source tree, toolchain) or which step failed.
void build_firmware(const FirmwareBuild& build);

// Runs `argv` with this process's stdout/stderr and waits; throws earshot::Error naming the
// command if it cannot start or exits non-zero.
void run_command(const std::vector<std::string>& argv);

}  // namespace earshot::firmware
