// Firmware images for the RP2040: the boot2 checksum the bootrom verifies, and UF2 files for
// drag-and-drop flashing (the UF2 format: 512-byte blocks, 256 payload bytes each).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace earshot::firmware {

inline constexpr uint32_t kRp2040FamilyId = 0xe48bff56;
inline constexpr uint32_t kFlashBase = 0x10000000;

// CRC-32 as the RP2040 bootrom checks boot2: polynomial 0x04c11db7, initial 0xffffffff,
// bits not reflected, no final XOR (CRC-32/MPEG-2).
uint32_t boot2_crc32(std::span<const uint8_t> bytes);

// Refuses what is not an RP2040 flash image before it is stamped: an ELF or a UF2 (with the
// right command to use), an image too short for boot2 plus a vector table, an empty boot2, or a
// vector table at 0x10000100 whose stack top is not in SRAM or whose reset handler is not a
// Thumb address inside the image. Errors name `name`.
void check_flash_image(std::span<const uint8_t> image, const std::string& name);

// Writes the CRC of bytes 0..251 into bytes 252..255 (little-endian). Throws earshot::Error
// if the image is shorter than 256 bytes.
void stamp_boot2_crc(std::vector<uint8_t>& image);

// The image as UF2 blocks for flash at `base`.
std::vector<uint8_t> to_uf2(std::span<const uint8_t> image, uint32_t base = kFlashBase, uint32_t family = kRp2040FamilyId);

}  // namespace earshot::firmware
