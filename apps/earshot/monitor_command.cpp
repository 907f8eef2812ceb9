// earshot monitor PORT: the board's serial lines as a person wants them: a live score bar, the
// alarm turning on and off with its times, lost audio blocks and serial lines, the loop's share
// of the core; optionally a CSV log of every score line.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "apps/earshot/commands.hpp"
#include "apps/earshot/monitor.hpp"
#include "host/board/board_lines.hpp"
#include "host/error.hpp"
#include "host/io/serial_port.hpp"
#include "host/io/text.hpp"

namespace earshot::cli {
namespace {

namespace fs = std::filesystem;

constexpr double kCyclesPerBlock = 4000000.0;  // 32 ms at 125 MHz

volatile std::sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

struct MonitorArgs {
    std::string port, csv;
    int baud = 115200;
    double seconds = 0.0;  // 0: until the port closes or Ctrl-C
};

struct Stats {
    uint64_t lines = 0, scores = 0, events = 0;
    uint32_t dropped = 0, lines_dropped = 0;
    uint64_t iter_sum = 0;
    uint32_t iter_max = 0;
};

std::string bar(double score, int width = 20) {
    const int filled = static_cast<int>(score * width + 0.5);
    std::string b = "[";
    for (int i = 0; i < width; ++i) b += i < filled ? '#' : '.';
    return b + "]";
}

// The CSV log goes to FILE.partial while the monitor runs and becomes FILE when it stops (also
// on Ctrl-C), so a reader never sees a log that is still growing under the final name.
class CsvLog {
public:
    explicit CsvLog(const std::string& path) : path_(path), partial_(path + ".partial") {
        if (path.empty()) return;
        file_ = std::fopen(partial_.c_str(), "w");
        if (!file_) throw Error(partial_ + ": cannot write");
        std::fprintf(file_, "t_ms,q,score,alarm,dropped,lines_dropped,cycles_iter\n");
    }
    ~CsvLog() { close(); }
    void add(const board::BoardLine& l) {
        if (!file_) return;
        const auto it = l.cycles.find("iter");
        std::fprintf(file_, "%u,%d,%.3f,%d,%u,%u,%u\n", l.t_ms, l.q, l.score, l.alarm ? 1 : 0, l.dropped, l.lines_dropped,
                     it == l.cycles.end() ? 0u : it->second);
        std::fflush(file_);
    }
    void close() {
        if (!file_) return;
        std::fclose(file_);
        file_ = nullptr;
        std::error_code ec;
        fs::rename(partial_, path_, ec);
        if (ec) std::fprintf(stderr, "earshot: warning: %s: cannot rename to %s: %s\n", partial_.c_str(), path_.c_str(), ec.message().c_str());
    }
    const std::string& path() const { return path_; }

private:
    std::string path_, partial_;
    std::FILE* file_ = nullptr;
};

}  // namespace

void monitor_board_lines(const std::function<std::optional<std::string>(int timeout_ms)>& next_line, const std::function<bool()>& ended,
                         const MonitorOptions& o) {
    CsvLog csv(o.csv);
    const bool live = ::isatty(::fileno(stdout)) != 0;
    g_stop = 0;
    auto* previous_int = std::signal(SIGINT, on_stop);
    auto* previous_term = std::signal(SIGTERM, on_stop);
    Stats s;
    const auto start = std::chrono::steady_clock::now();
    auto last_status = start;
    bool status_drawn = false;
    const auto say = [&](const std::string& text) {  // a permanent line, above the live bar
        std::printf("%s%s\n", status_drawn ? "\r\033[K" : "", text.c_str());
        status_drawn = false;
        std::fflush(stdout);
    };
    while (!g_stop) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (o.seconds > 0 && elapsed >= o.seconds) break;
        const std::optional<std::string> text = next_line(100);
        if (!text) {
            if (ended()) break;
            continue;
        }
        ++s.lines;
        const board::BoardLine l = board::parse_board_line(*text);
        switch (l.kind) {
            case board::LineKind::banner: say("board: " + l.text); break;
            case board::LineKind::alarm_on:
            case board::LineKind::alarm_off:
                ++s.events;
                say(io::format("ALARM %s at %.2f s", l.kind == board::LineKind::alarm_on ? "ON " : "OFF", l.t_ms / 1000.0));
                break;
            case board::LineKind::other: say("board: " + l.text); break;
            case board::LineKind::score: {
                ++s.scores;
                csv.add(l);
                if (l.dropped > s.dropped) say(io::format("warning: the board dropped %u audio block(s) (%u in all)", l.dropped - s.dropped, l.dropped));
                if (l.lines_dropped > s.lines_dropped) {
                    say(io::format("warning: %u serial line(s) lost on the board (%u in all)", l.lines_dropped - s.lines_dropped, l.lines_dropped));
                }
                s.dropped = l.dropped;
                s.lines_dropped = l.lines_dropped;
                const auto it = l.cycles.find("iter");
                const uint32_t iter = it == l.cycles.end() ? 0 : it->second;
                s.iter_sum += iter;
                s.iter_max = std::max(s.iter_max, iter);
                const std::string status = io::format("t=%8.2f s  score %.3f %s %s  loop %5.1f%%  dropped %u", l.t_ms / 1000.0, l.score,
                                                      bar(l.score).c_str(), l.alarm ? "ALARM" : "quiet", 100.0 * iter / kCyclesPerBlock, l.dropped);
                const auto now = std::chrono::steady_clock::now();
                if (live) {
                    std::printf("\r\033[K%s", status.c_str());
                    std::fflush(stdout);
                    status_drawn = true;
                } else if (now - last_status >= std::chrono::seconds(5)) {  // a log, not a redraw
                    say(status);
                    last_status = now;
                }
                break;
            }
        }
    }
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    csv.close();
    say(io::format("%llu lines, %llu scores, %llu alarm events, %u audio blocks and %u serial lines lost; loop %.1f%% mean, %.1f%% max of the core",
                   static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.scores), static_cast<unsigned long long>(s.events),
                   s.dropped, s.lines_dropped, s.scores ? 100.0 * static_cast<double>(s.iter_sum) / static_cast<double>(s.scores) / kCyclesPerBlock : 0.0,
                   100.0 * s.iter_max / kCyclesPerBlock));
    if (!o.csv.empty()) say("wrote " + o.csv);
}


namespace {

void run(const MonitorArgs& a) {
    io::SerialLines port(a.port, a.baud);
    std::printf("monitor: %s%s; Ctrl-C stops\n", a.port.c_str(), port.is_terminal() ? io::format(" at %d baud", a.baud).c_str() : "");
    std::fflush(stdout);
    monitor_board_lines([&](int timeout_ms) { return port.next_line(timeout_ms); }, [&] { return port.ended(); }, {a.csv, a.seconds});
}

}  // namespace

void add_monitor_command(CLI::App& app) {
    auto args = std::make_shared<MonitorArgs>();
    CLI::App* cmd = app.add_subcommand("monitor", "Show a board's serial output live: score bar, alarm events, lost blocks, cycle load");
    cmd->add_option("PORT", args->port, "Serial port (/dev/ttyACM0, /dev/ttyUSB0), or a saved log or pipe")->required();
    cmd->add_option("--baud", args->baud, "Baud rate of a serial port")->capture_default_str();
    cmd->add_option("--csv", args->csv, "Log every score line: t_ms,q,score,alarm,dropped,lines_dropped,cycles_iter");
    cmd->add_option("--seconds", args->seconds, "Stop after this long (default: until the port closes or Ctrl-C)")->check(CLI::NonNegativeNumber);
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
