#include "host/io/serial_port.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/error.hpp"

namespace earshot::io {
namespace {

speed_t speed_of(int baud) {
    switch (baud) {
        case 9600: return B9600;
        case 19200: return B19200;
        case 38400: return B38400;
        case 57600: return B57600;
        case 115200: return B115200;
        case 230400: return B230400;
        case 460800: return B460800;
        case 921600: return B921600;
        default: throw Error("baud rate " + std::to_string(baud) + " is not supported (9600 ... 921600)");
    }
}

}  // namespace

SerialLines::SerialLines(const std::string& path, int baud) {
    const speed_t speed = speed_of(baud);
    fd_ = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) {
        const int e = errno;
        std::string hint;
        if (e == EACCES) hint = " (add yourself to the 'dialout' group, then log in again)";
        if (e == ENOENT) hint = " (is the board plugged in? it shows up as /dev/ttyACM0 or /dev/ttyUSB0)";
        throw Error(path + ": cannot open: " + std::strerror(e) + hint);
    }
    termios tio{};
    if (::tcgetattr(fd_, &tio) == 0) {  // a terminal: raw bytes at the board's speed
        terminal_ = true;
        ::cfmakeraw(&tio);
        ::cfsetispeed(&tio, speed);
        ::cfsetospeed(&tio, speed);
        tio.c_cflag |= CLOCAL | CREAD;
        if (::tcsetattr(fd_, TCSANOW, &tio) != 0) {
            const int e = errno;
            ::close(fd_);
            throw Error(path + ": cannot set " + std::to_string(baud) + " baud: " + std::strerror(e));
        }
    }
}

SerialLines::~SerialLines() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> SerialLines::next_line(int timeout_ms) {
    for (;;) {
        if (const size_t nl = pending_.find('\n'); nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        if (ended_) {
            if (pending_.empty()) return std::nullopt;
            std::string rest;
            rest.swap(pending_);
            return rest;
        }
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, timeout_ms);
        if (ready < 0 && errno == EINTR) return std::nullopt;  // a signal (Ctrl-C): let the caller decide
        if (ready <= 0) return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0) {
            pending_.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            ended_ = true;  // end of file, or the port went away (EIO when a board is unplugged)
        }
    }
}

}  // namespace earshot::io
