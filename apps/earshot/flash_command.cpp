// earshot flash APP.uf2: copy a UF2 onto a Pico in BOOTSEL mode (the RPI-RP2 drive).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/board/uf2_drive.hpp"
#include "host/error.hpp"

namespace earshot::cli {
namespace {

struct FlashArgs {
    std::string uf2, drive;
};

void run(const FlashArgs& a) {
    std::filesystem::path drive = a.drive;
    if (drive.empty()) {
        // EARSHOT_UF2_ROOTS (folders separated by ':') replaces the usual mount places.
        std::vector<std::filesystem::path> roots;
        if (const char* env = std::getenv("EARSHOT_UF2_ROOTS")) {
            std::string list = env;
            for (size_t start = 0; start <= list.size();) {
                const size_t end = std::min(list.find(':', start), list.size());
                if (end > start) roots.emplace_back(list.substr(start, end - start));
                start = end + 1;
            }
            if (roots.empty()) roots.emplace_back("/nonexistent");
        }
        const auto drives = board::find_rp2040_drives(roots);
        if (drives.empty()) {
            throw Error("no RPI-RP2 drive is mounted: hold BOOTSEL while plugging the Pico in, let it mount (or mount it), "
                        "then run this again, or pass --drive DIR");
        }
        if (drives.size() > 1) {
            std::string list;
            for (const auto& d : drives) list += " " + d.string();
            throw Error("more than one RPI-RP2 drive is mounted:" + list + "; choose one with --drive");
        }
        drive = drives.front();
    }
    board::flash_uf2(a.uf2, drive);
    std::printf("copied %s to %s: the board reboots into it\n", a.uf2.c_str(), drive.c_str());
}

}  // namespace

void add_flash_command(CLI::App& app) {
    auto args = std::make_shared<FlashArgs>();
    CLI::App* cmd = app.add_subcommand("flash", "Copy a UF2 onto a Raspberry Pi Pico in BOOTSEL mode (its RPI-RP2 drive)");
    cmd->add_option("UF2", args->uf2, "Firmware (build/default/firmware/earshot_app.uf2)")->required();
    cmd->add_option("--drive", args->drive, "The mounted RPI-RP2 folder (default: found under /media, /run/media, /mnt, or EARSHOT_UF2_ROOTS)");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
