#include "host/board/uf2_drive.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "host/error.hpp"
#include "host/firmware/uf2.hpp"
#include "host/io/read_file.hpp"

namespace earshot::board {
namespace fs = std::filesystem;

namespace {

uint32_t u32_at(const std::string& b, size_t at) {
    return uint32_t{static_cast<uint8_t>(b[at])} | uint32_t{static_cast<uint8_t>(b[at + 1])} << 8 |
           uint32_t{static_cast<uint8_t>(b[at + 2])} << 16 | uint32_t{static_cast<uint8_t>(b[at + 3])} << 24;
}

}  // namespace

bool is_rp2040_drive(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "INFO_UF2.TXT", ec)) return false;
    try {
        return io::read_file(dir / "INFO_UF2.TXT").find("Board-ID: RPI-RP2") != std::string::npos;
    } catch (const Error&) {
        return false;
    }
}

std::vector<fs::path> find_rp2040_drives(const std::vector<fs::path>& given_roots) {
    std::vector<fs::path> candidates;
    std::error_code ec;
    const auto children = [&](const fs::path& dir) {
        std::vector<fs::path> out;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->is_directory(ec)) out.push_back(it->path());
        }
        return out;
    };
    if (!given_roots.empty()) {
        for (const auto& root : given_roots) {
            candidates.push_back(root);
            for (const auto& c : children(root)) candidates.push_back(c);
        }
    } else {
        // /media/USER/RPI-RP2 (udisks), /run/media/USER/RPI-RP2 (Fedora, Arch), /media/RPI-RP2, /mnt/...
        for (const char* root : {"/media", "/run/media", "/mnt"}) {
            for (const auto& level1 : children(root)) {
                candidates.push_back(level1);
                for (const auto& level2 : children(level1)) candidates.push_back(level2);
            }
        }
    }
    std::vector<fs::path> drives;
    for (const auto& c : candidates) {
        if (is_rp2040_drive(c)) drives.push_back(c);
    }
    return drives;
}

void flash_uf2(const fs::path& uf2, const fs::path& drive) {
    const std::string bytes = io::read_file(uf2, "a UF2 file");
    if (bytes.empty() || bytes.size() % 512 != 0 || u32_at(bytes, 0) != 0x0a324655u || u32_at(bytes, 4) != 0x9e5d5157u) {
        throw Error(uf2.string() + ": not a UF2 file (512-byte blocks starting with the UF2 magic); make one with `earshot uf2`");
    }
    if ((u32_at(bytes, 8) & 0x2000u) == 0 || u32_at(bytes, 28) != firmware::kRp2040FamilyId) {
        throw Error(uf2.string() + ": this UF2 is not for the RP2040 (family id missing or different)");
    }
    if (!is_rp2040_drive(drive)) throw Error(drive.string() + ": not an RPI-RP2 drive (no INFO_UF2.TXT naming RPI-RP2)");
    // The bootloader flashes blocks as they are written: write the file in place (a rename would
    // mean nothing to it), then fsync so the copy has really left when we say so.
    const fs::path target = drive / uf2.filename();
    std::FILE* f = std::fopen(target.c_str(), "wb");
    if (!f) throw Error(target.string() + ": cannot write: " + std::strerror(errno));
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
    const int saved = errno;
    std::fclose(f);
    if (!ok) throw Error(target.string() + ": writing failed: " + std::strerror(saved));
}

}  // namespace earshot::board
