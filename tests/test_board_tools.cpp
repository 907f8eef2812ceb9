// What talks to a real board: the serial line parser, `earshot monitor` over a pseudo-terminal,
// and `earshot flash` onto a (fake) RPI-RP2 drive.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "host/board/board_lines.hpp"
#include "host/board/uf2_drive.hpp"
#include "host/error.hpp"
#include "host/firmware/uf2.hpp"
#include "support.hpp"

using namespace earshot;

namespace {
std::string cli() { return std::string("'") + EARSHOT_CLI + "'"; }
std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }
}  // namespace

TEST(BoardLines, TheFirmwaresLinesParse) {
    const auto s = board::parse_board_line(
        "score=0.930 q=110 alarm=1 t=1234ms dropped=2 lines_dropped=3 cycles_pdm=314978 cycles_frontend=224186 cycles_quantize=62710 "
        "cycles_model=351318 cycles_output=12991 cycles_iter=966333\r");
    ASSERT_EQ(s.kind, board::LineKind::score);
    EXPECT_DOUBLE_EQ(s.score, 0.93);
    EXPECT_EQ(s.q, 110);
    EXPECT_TRUE(s.alarm);
    EXPECT_EQ(s.t_ms, 1234u);
    EXPECT_EQ(s.dropped, 2u);
    EXPECT_EQ(s.lines_dropped, 3u);
    EXPECT_EQ(s.cycles.at("iter"), 966333u);
    EXPECT_EQ(s.cycles.at("output"), 12991u);
    EXPECT_EQ(board::parse_board_line("score=0.000 q=-128 alarm=0 t=32ms dropped=0").q, -128);
    const auto on = board::parse_board_line("alarm on t=5664ms");
    EXPECT_EQ(on.kind, board::LineKind::alarm_on);
    EXPECT_EQ(on.t_ms, 5664u);
    EXPECT_EQ(board::parse_board_line("alarm off t=9312ms").kind, board::LineKind::alarm_off);
    EXPECT_EQ(board::parse_board_line("earshot: board=pico arena=2376 audio=pdm clk=3 data=2").kind, board::LineKind::banner);
    // Noise and damaged lines (a reset mid-line, a flipped byte) are not scores.
    for (const char* bad : {"", "hello", "score=0.9 q=110", "score=0.9 q=1x0 alarm=1", "score=0.9 q=110 alarm=2", "alarm on t=56x4ms",
                            "score=0.9 q=999 alarm=1", "score=0.9 q=110 alarm=1 t=-5ms", "score=abc q=1 alarm=0"}) {
        EXPECT_NE(board::parse_board_line(bad).kind, board::LineKind::score) << bad;
    }
}

TEST(Monitor, ReadsABoardThroughAPseudoTerminal) {
    test::TempDir dir;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master, 0);
    ::fcntl(master, F_SETFD, FD_CLOEXEC);  // only this process holds the board's end: closing it hangs up the port
    ASSERT_EQ(::grantpt(master), 0);
    ASSERT_EQ(::unlockpt(master), 0);
    const std::string slave = ::ptsname(master);
    test::CommandResult r;
    const auto started = std::chrono::steady_clock::now();
    std::thread monitor([&] { r = test::run_command(cli() + " monitor " + q(slave) + " --csv " + q(dir / "log.csv") + " --seconds 30"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));  // let it open the port (raw, 115200)
    const std::string lines =
        "earshot: board=pico arena=2376 audio=pdm clk=3 data=2\r\n"
        "score=0.100 q=-102 alarm=0 t=32ms dropped=0 lines_dropped=0 cycles_output=12000 cycles_iter=966000\r\n"
        "alarm on t=64ms\r\n"
        "score=0.930 q=110 alarm=1 t=64ms dropped=1 lines_dropped=0 cycles_output=12000 cycles_iter=980000\r\n"
        "alarm off t=2112ms\r\n";
    ASSERT_EQ(::write(master, lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::close(master);  // the board goes away: the monitor sees the port close and stops
    monitor.join();
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "the monitor must stop when the port hangs up";
    EXPECT_NE(r.output.find("board: earshot: board=pico"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("ALARM ON  at 0.06 s"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("ALARM OFF at 2.11 s"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("the board dropped 1 audio block(s)"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("5 lines, 2 scores, 2 alarm events, 1 audio blocks and 0 serial lines lost; loop 24.3% mean, 24.5% max"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(test::read_bytes(dir / "log.csv"),
              "t_ms,q,score,alarm,dropped,lines_dropped,cycles_iter\n32,-102,0.100,0,0,0,966000\n64,110,0.930,1,1,0,980000\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "log.csv.partial"));
    const auto missing = test::run_command(cli() + " monitor /dev/ttyNOPE0");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.output.find("is the board plugged in?"), std::string::npos) << missing.output;
}

TEST(Flash, CopiesAUf2OntoAnRpiRp2Drive) {
    test::TempDir dir;
    std::filesystem::create_directories(dir / "media" / "me" / "RPI-RP2");
    const auto drive = dir / "media" / "me" / "RPI-RP2";
    test::write_bytes(drive / "INFO_UF2.TXT", "UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n");
    std::filesystem::create_directories(dir / "media" / "me" / "USBSTICK");
    std::vector<uint8_t> image(1024, 0x11);
    const auto uf2 = firmware::to_uf2(image);
    test::write_bytes(dir / "app.uf2", std::string(uf2.begin(), uf2.end()));
    EXPECT_EQ(board::find_rp2040_drives({dir / "media" / "me"}), std::vector<std::filesystem::path>{drive});
    const std::string roots = "EARSHOT_UF2_ROOTS=" + q(dir / "media" / "me") + " ";
    auto r = test::run_command(roots + cli() + " flash " + q(dir / "app.uf2"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(test::read_bytes(drive / "app.uf2"), std::string(uf2.begin(), uf2.end()));
    // Nothing mounted: say how to get the drive.
    r = test::run_command("EARSHOT_UF2_ROOTS=" + q(dir / "nothing") + " " + cli() + " flash " + q(dir / "app.uf2"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("no RPI-RP2 drive is mounted: hold BOOTSEL"), std::string::npos) << r.output;
    // Not a UF2, or not for the RP2040; not a Pico's drive.
    test::write_bytes(dir / "app.bin", std::string(image.begin(), image.end()));
    r = test::run_command(cli() + " flash " + q(dir / "app.bin") + " --drive " + q(drive));
    EXPECT_NE(r.output.find("not a UF2 file"), std::string::npos) << r.output;
    const auto other_family = firmware::to_uf2(image, firmware::kFlashBase, 0x12345678);
    test::write_bytes(dir / "other.uf2", std::string(other_family.begin(), other_family.end()));
    r = test::run_command(cli() + " flash " + q(dir / "other.uf2") + " --drive " + q(drive));
    EXPECT_NE(r.output.find("not for the RP2040"), std::string::npos) << r.output;
    r = test::run_command(cli() + " flash " + q(dir / "app.uf2") + " --drive " + q(dir / "media" / "me" / "USBSTICK"));
    EXPECT_NE(r.output.find("not an RPI-RP2 drive"), std::string::npos) << r.output;
}
