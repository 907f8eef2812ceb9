#include "host/firmware/uf2.hpp"

#include <cstring>

#include "host/error.hpp"

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
