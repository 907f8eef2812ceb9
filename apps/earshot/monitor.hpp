// The monitor's view of a board's lines, shared by `earshot monitor PORT` (a serial port) and
// `earshot simulate --monitor` (the emulated board's UART as it runs).
#pragma once
#include <functional>
#include <optional>
#include <string>

namespace earshot::cli {

struct MonitorOptions {
    std::string csv;       // log of every score line ("" for none)
    double seconds = 0.0;  // stop after this long; 0: when the lines end or on Ctrl-C
};

// Shows lines from `next_line` (nullopt when none came within the timeout) until `ended()`.
void monitor_board_lines(const std::function<std::optional<std::string>(int timeout_ms)>& next_line, const std::function<bool()>& ended,
                         const MonitorOptions& options);

}  // namespace earshot::cli
