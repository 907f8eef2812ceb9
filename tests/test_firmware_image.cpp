// The RP2040 image: boot2's CRC as the bootrom checks it, the UF2 container, the vector table.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "host/error.hpp"
#include "host/firmware/uf2.hpp"
#include "support.hpp"

namespace earshot::firmware {
namespace {

uint32_t u32(const std::string& b, size_t at) {
    uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
}

TEST(FirmwareImage, Boot2CrcIsCrc32Mpeg2) {
    const std::string check = "123456789";  // the catalogue check value of CRC-32/MPEG-2
    EXPECT_EQ(boot2_crc32({reinterpret_cast<const uint8_t*>(check.data()), check.size()}), 0x0376e6e7u);
    EXPECT_EQ(boot2_crc32({}), 0xffffffffu);
    std::vector<uint8_t> image(300, 0x5a);
    stamp_boot2_crc(image);
    EXPECT_EQ(u32(std::string(image.begin(), image.end()), 252), boot2_crc32({image.data(), 252}));
    std::vector<uint8_t> short_image(100);
    EXPECT_THROW(stamp_boot2_crc(short_image), Error);
}

TEST(FirmwareImage, Uf2BlocksCoverTheImage) {
    std::vector<uint8_t> image(700);
    for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i * 7);
    const auto uf2 = to_uf2(image);
    const std::string b(uf2.begin(), uf2.end());
    ASSERT_EQ(b.size(), 3u * 512);
    for (uint32_t i = 0; i < 3; ++i) {
        const size_t at = i * 512;
        EXPECT_EQ(u32(b, at), 0x0a324655u);
        EXPECT_EQ(u32(b, at + 4), 0x9e5d5157u);
        EXPECT_EQ(u32(b, at + 8), 0x2000u);
        EXPECT_EQ(u32(b, at + 12), kFlashBase + 256 * i);
        EXPECT_EQ(u32(b, at + 16), 256u);
        EXPECT_EQ(u32(b, at + 20), i);
        EXPECT_EQ(u32(b, at + 24), 3u);
        EXPECT_EQ(u32(b, at + 28), kRp2040FamilyId);
        EXPECT_EQ(u32(b, at + 508), 0x0ab16f30u);
        const size_t n = std::min<size_t>(256, image.size() - 256 * i);
        EXPECT_EQ(0, std::memcmp(b.data() + at + 32, image.data() + 256 * i, n));
    }
}

TEST(FirmwareImage, BuiltFirmwareBootsOnARealBoard) {
#ifndef EARSHOT_FIRMWARE_DIR
    GTEST_SKIP() << "the firmware is not built in this configuration";
#else
    const std::filesystem::path dir = EARSHOT_FIRMWARE_DIR;
    const std::string uf2 = test::read_bytes(dir / "earshot_app.uf2");
    const std::string raw = test::read_bytes(dir / "build" / "firmware" / "earshot_app.bin");  // before stamping
    ASSERT_GE(uf2.size(), 512u);
    ASSERT_EQ(uf2.size() % 512, 0u);
    EXPECT_EQ(u32(uf2, 28), kRp2040FamilyId);
    // Boot2 fits before its CRC (the linker pads it with zeros), and the stamped CRC is what
    // the bootrom will compute over the first 252 bytes it loads.
    EXPECT_EQ(u32(raw, 252), 0u);
    const std::string first(uf2.data() + 32, 256);
    EXPECT_EQ(u32(first, 252), boot2_crc32({reinterpret_cast<const uint8_t*>(first.data()), 252}));
    EXPECT_EQ(first.substr(0, 252), raw.substr(0, 252));
    // The vector table boot2 jumps to: the stack top in SRAM, a Thumb reset handler in flash.
    const std::string second(uf2.data() + 512 + 32, 256);
    EXPECT_EQ(u32(second, 0), 0x20042000u);
    EXPECT_EQ(u32(second, 4) & 1u, 1u);
    EXPECT_GE(u32(second, 4), kFlashBase);
    EXPECT_LT(u32(second, 4), kFlashBase + 2 * 1024 * 1024);
#endif
}

}  // namespace
}  // namespace earshot::firmware
