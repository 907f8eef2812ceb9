// Finding a Raspberry Pi Pico in BOOTSEL mode: the bootrom shows a USB drive named RPI-RP2 whose
// INFO_UF2.TXT says "Board-ID: RPI-RP2"; copying a UF2 onto it flashes the board.
#pragma once
#include <filesystem>
#include <vector>

namespace earshot::board {

// True when `dir` holds an INFO_UF2.TXT naming the RP2040's bootloader.
bool is_rp2040_drive(const std::filesystem::path& dir);

// Mounted RPI-RP2 drives under `roots` (default: /media/*, /media/*/*, /run/media/*/*, /mnt/*).
std::vector<std::filesystem::path> find_rp2040_drives(const std::vector<std::filesystem::path>& roots = {});

// Checks `uf2` (512-byte blocks with the UF2 magic and the RP2040 family id) and copies it onto
// the drive. Errors name the file or the drive.
void flash_uf2(const std::filesystem::path& uf2, const std::filesystem::path& drive);

}  // namespace earshot::board
