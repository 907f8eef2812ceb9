// earshot uf2 IMAGE.bin -o OUT.uf2: stamp the boot2 checksum and wrap the image as UF2.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/error.hpp"
#include "host/io/read_file.hpp"
#include "host/firmware/uf2.hpp"
#include "host/io/atomic_file.hpp"

namespace earshot::cli {
namespace {

struct Uf2Args {
    std::string input, output, stamped_bin;
};

void run(const Uf2Args& a) {
    const std::string bytes = io::read_file(a.input, "a flash image");
    std::vector<uint8_t> image(bytes.begin(), bytes.end());
    firmware::check_flash_image(image, a.input);
    firmware::stamp_boot2_crc(image);
    const auto uf2 = firmware::to_uf2(image);
    io::write_file_atomic(a.output, std::string(uf2.begin(), uf2.end()));
    if (!a.stamped_bin.empty()) io::write_file_atomic(a.stamped_bin, std::string(image.begin(), image.end()));
    std::printf("wrote %s: %zu bytes of flash in %zu UF2 blocks, boot2 CRC 0x%08x\n", a.output.c_str(), image.size(), uf2.size() / 512,
                firmware::boot2_crc32({image.data(), 252}));
}

}  // namespace

void add_uf2_command(CLI::App& app) {
    auto args = std::make_shared<Uf2Args>();
    CLI::App* cmd = app.add_subcommand("uf2", "Stamp the boot2 CRC into an RP2040 flash image and write it as UF2");
    cmd->add_option("IMAGE", args->input, "Flash image (.bin from objcopy), starting with boot2")->required();
    cmd->add_option("-o,--output", args->output, "UF2 file to write")->required();
    cmd->add_option("--bin", args->stamped_bin, "Also write the stamped .bin here");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
