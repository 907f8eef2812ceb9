#include "host/firmware/uf2.hpp"

#include <algorithm>
#include <string_view>

#include <cstring>

#include "host/error.hpp"
#include "host/io/text.hpp"

namespace earshot::firmware {
namespace {

void put_u32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

uint32_t boot2_crc32(std::span<const uint8_t> bytes) {
    uint32_t crc = 0xffffffffu;
    for (uint8_t b : bytes) {
        crc ^= uint32_t{b} << 24;
        for (int k = 0; k < 8; ++k) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

void check_flash_image(std::span<const uint8_t> image, const std::string& name) {
    const auto starts_with = [&](std::string_view magic) {
        return image.size() >= magic.size() && std::equal(magic.begin(), magic.end(), image.begin(), [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; });
    };
    if (starts_with("\x7f" "ELF")) throw Error(name + ": is an ELF file; give the flat image (arm-none-eabi-objcopy -O binary APP.elf APP.bin)");
    if (starts_with("UF2\n")) throw Error(name + ": is already a UF2 file");
    if (image.size() < 512) {
        throw Error(name + ": is " + std::to_string(image.size()) + " bytes; an RP2040 flash image holds a 256-byte boot2 and then the vector table");
    }
    const bool blank_boot2 = std::all_of(image.begin(), image.begin() + 252, [](uint8_t b) { return b == 0x00; }) ||
                             std::all_of(image.begin(), image.begin() + 252, [](uint8_t b) { return b == 0xff; });
    if (blank_boot2) throw Error(name + ": the first 252 bytes (boot2) are blank: not an RP2040 flash image");
    const auto u32 = [&](size_t at) {
        return uint32_t{image[at]} | uint32_t{image[at + 1]} << 8 | uint32_t{image[at + 2]} << 16 | uint32_t{image[at + 3]} << 24;
    };
    const uint32_t stack_top = u32(256), reset = u32(260);
    if (stack_top < 0x20000000u || stack_top > 0x20042000u) {
        throw Error(name + io::format(": no vector table after boot2 (initial stack pointer 0x%08x is not in SRAM 0x20000000-0x20042000)", stack_top));
    }
    if ((reset & 1u) == 0 || reset < kFlashBase + 256 || reset >= kFlashBase + image.size()) {
        throw Error(name + io::format(": no vector table after boot2 (reset handler 0x%08x is not a Thumb address inside the image)", reset));
    }
}

void stamp_boot2_crc(std::vector<uint8_t>& image) {
    if (image.size() < 256) throw Error("firmware image is " + std::to_string(image.size()) + " bytes; it must start with a 256-byte boot2");
    put_u32(image.data() + 252, boot2_crc32({image.data(), 252}));
}

std::vector<uint8_t> to_uf2(std::span<const uint8_t> image, uint32_t base, uint32_t family) {
    constexpr uint32_t kPayload = 256;
    const uint32_t blocks = static_cast<uint32_t>((image.size() + kPayload - 1) / kPayload);
    std::vector<uint8_t> out(static_cast<size_t>(blocks) * 512, 0);
    for (uint32_t i = 0; i < blocks; ++i) {
        uint8_t* b = out.data() + static_cast<size_t>(i) * 512;
        put_u32(b + 0, 0x0a324655);   // "UF2\n"
        put_u32(b + 4, 0x9e5d5157);
        put_u32(b + 8, 0x00002000);   // flags: familyID present
        put_u32(b + 12, base + i * kPayload);
        put_u32(b + 16, kPayload);
        put_u32(b + 20, i);
        put_u32(b + 24, blocks);
        put_u32(b + 28, family);
        const size_t n = std::min<size_t>(kPayload, image.size() - static_cast<size_t>(i) * kPayload);
        std::memcpy(b + 32, image.data() + static_cast<size_t>(i) * kPayload, n);
        put_u32(b + 508, 0x0ab16f30);  // final magic
    }
    return out;
}

}  // namespace earshot::firmware
