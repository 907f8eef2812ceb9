// The RP2040 image: boot2's CRC as the bootrom checks it, the UF2 container, the vector table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
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
    const std::string uf2 = earshot::test::read_bytes(dir / "earshot_app.uf2");
    const std::string raw = earshot::test::read_bytes(dir / "build" / "firmware" / "earshot_app.bin");  // before stamping
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

TEST(FirmwareImage, SimulateChecksUpFrontAndSummarizes) {
#ifndef EARSHOT_FIRMWARE_DIR
    GTEST_SKIP() << "the firmware is not built in this configuration";
#else
    if (!std::filesystem::exists(std::filesystem::path(EARSHOT_SIM_DIR) / "node_modules" / "rp2040js")) {
        GTEST_SKIP() << "rp2040js is not installed (scripts/setup)";
    }
    earshot::test::TempDir dir;
    const std::string cli = std::string("'") + EARSHOT_CLI + "'";
    const auto test_run = [](const std::string& command) { return earshot::test::run_command("{ " + command + "; }"); };
    const std::string elf = "'" + (std::filesystem::path(EARSHOT_FIRMWARE_DIR) / "earshot_app.elf").string() + "'";
    const std::string wav = "'" + (dir / "scene.wav").string() + "'";
    ASSERT_EQ(earshot::test::run_command(cli + " synth " + wav + " --scene --scene-seconds 4 --alarm-seconds 1").exit_code, 0);
    // Refused before simulating anything: a limit shorter than the audio, or not positive.
    auto r = earshot::test::run_command(cli + " simulate " + elf + " --wav " + wav + " --max-seconds 3");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("scene.wav is 4.0 s long: --max-seconds 3 cannot play it"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("simulating"), std::string::npos) << r.output;
    for (const char* bad : {"0", "-1"}) {
        r = earshot::test::run_command(cli + " simulate " + elf + " --wav " + wav + " --max-seconds " + bad);
        EXPECT_NE(r.exit_code, 0);
        EXPECT_NE(r.output.find("must be a positive number of seconds"), std::string::npos) << r.output;
    }
    // A run: a summary on stdout (no JSON there), progress on stderr, the JSON in --json.
    const auto json_path = dir / "board.json";
    r = earshot::test::run_command("{ " + cli + " simulate " + elf + " --wav " + wav + " --json '" + json_path.string() + "' 2>/dev/null; }");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("125 fed, 125 scored, 0 dropped"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("whole iteration"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("\"q\""), std::string::npos) << "no JSON on stdout: " << r.output;
    const auto board = nlohmann::json::parse(earshot::test::read_bytes(json_path));
    EXPECT_EQ(board["blocks_scored"], 125);
    EXPECT_EQ(board["q"].size(), 125u);
    EXPECT_EQ(board["wav"], (dir / "scene.wav").string());
    // --monitor: the board's lines live, through the monitor's view, and its CSV log.
    r = test_run(cli + " simulate " + elf + " --wav " + wav + " --monitor --monitor-csv '" + (dir / "live.csv").string() + "' 2>/dev/null");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("board: earshot: board="), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("126 lines, 125 scores"), std::string::npos) << r.output;
    const std::string csv = earshot::test::read_bytes(dir / "live.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 126) << csv.substr(0, 300);
#endif
}
