#include "host/firmware/firmware_build.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host/error.hpp"
#include "host/firmware/uf2.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/read_file.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/aot_compiler.hpp"

namespace earshot::firmware {
namespace fs = std::filesystem;

void run_command(const std::vector<std::string>& argv) {
    std::string shown;
    for (const std::string& a : argv) shown += (shown.empty() ? "" : " ") + a;
    std::vector<std::string> copy = argv;
    std::vector<char*> args;
    for (std::string& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid < 0) throw Error("cannot run " + shown + ": " + std::strerror(errno));
    if (pid == 0) {
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) throw Error("cannot run " + argv[0] + " (not installed? scripts/setup installs it)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error("failed: " + shown);
}

void build_firmware(const FirmwareBuild& b) {
    if (b.board != "pico" && b.board != "sparkfun_micromod") throw Error("--board must be pico or sparkfun_micromod, not '" + b.board + "'");
    if (!fs::is_regular_file(b.source_dir / "firmware" / "app" / "main.cpp")) {
        throw Error(b.source_dir.string() + ": not the earshot source tree this earshot was built from (the firmware is built from source)");
    }
    // The model first: a bad .tflite fails in a second, before any cross build.
    const nn::Plan plan = nn::build_plan(model::load_tflite(b.model));
    const fs::path model_dir = b.build_dir / "model";
    nn::write_compiled_model(nn::compile_plan(plan, "earshot_model", b.model.filename().string()), model_dir, "earshot_model");
    std::printf("[1/3] compiled %s into %s\n", b.model.c_str(), model_dir.c_str());
    const fs::path cross = b.build_dir / "build";
    std::printf("[2/3] cross-building the app for %s in %s\n", b.board.c_str(), cross.c_str());
    run_command({"cmake", "-S", b.source_dir.string(), "-B", cross.string(), "-G", "Ninja", "--toolchain", (b.source_dir / "cmake" / "arm-none-eabi.cmake").string(),
                 "-DCMAKE_BUILD_TYPE=Release", "-DEARSHOT_FIRMWARE=ON", "-DEARSHOT_MODEL_DIR=" + model_dir.string(), "-DEARSHOT_BOARD=" + b.board,
                 "--log-level=WARNING"});
    run_command({"cmake", "--build", cross.string(), "--target", "earshot_app"});
    const fs::path bin = cross / "firmware" / "earshot_app.bin";
    const std::string bytes = io::read_file(bin, "the app's flash image");
    std::vector<uint8_t> image(bytes.begin(), bytes.end());
    check_flash_image(image, bin.string());
    stamp_boot2_crc(image);
    const auto uf2 = to_uf2(image);
    io::write_file_atomic(b.output, std::string(uf2.begin(), uf2.end()));
    std::printf("[3/3] wrote %s: %zu bytes of flash for %s running %s\n", b.output.c_str(), image.size(), b.board.c_str(), b.model.filename().c_str());
}

}  // namespace earshot::firmware
