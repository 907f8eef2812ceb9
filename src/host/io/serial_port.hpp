// Reading a board's serial lines: a tty (/dev/ttyACM0, /dev/ttyUSB0, a pseudo-terminal) set to
// raw mode at the given baud rate, or any readable file or FIFO (a saved log, a pipe).
#pragma once
#include <optional>
#include <string>

namespace earshot::io {

class SerialLines {
public:
    // Throws earshot::Error naming the port: missing, no permission (with the dialout hint), busy.
    SerialLines(const std::string& path, int baud = 115200);
    ~SerialLines();
    SerialLines(const SerialLines&) = delete;
    SerialLines& operator=(const SerialLines&) = delete;

    // The next whole line (without '\n'), waiting at most `timeout_ms`; nullopt on timeout.
    // At the end of a file (or a closed pipe/port) returns what is left, then sets ended().
    std::optional<std::string> next_line(int timeout_ms);
    bool ended() const { return ended_; }
    bool is_terminal() const { return terminal_; }

private:
    int fd_ = -1;
    bool terminal_ = false, ended_ = false;
    std::string pending_;
};

}  // namespace earshot::io
