#include "host/io/progress.hpp"

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace earshot::io {

Progress make_progress(bool quiet) {
    Progress p;
    p.terminal = ::isatty(::fileno(stderr)) != 0;
    p.quiet = quiet;
    return p;
}

void progress_update(Progress& p, const std::string& text, bool force) {
    if (p.quiet || !p.terminal) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - p.last_draw < std::chrono::milliseconds(100)) return;
    p.last_draw = now;
    std::fprintf(p.out, "\r\033[K%s", text.c_str());
    std::fflush(p.out);
}

void progress_line(Progress& p, const std::string& text) {
    if (p.quiet) return;
    std::fprintf(p.out, p.terminal ? "\r\033[K%s\n" : "%s\n", text.c_str());
    std::fflush(p.out);
}

void progress_clear(Progress& p) {
    if (p.quiet || !p.terminal || p.last_draw == std::chrono::steady_clock::time_point{}) return;
    std::fprintf(p.out, "\r\033[K");
    std::fflush(p.out);
}

std::string progress_bar(double fraction, int width) {
    const int filled = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
    return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') + "]";
}

std::string format_duration(double seconds) {
    const long s = std::lround(std::max(seconds, 0.0));
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

}  // namespace earshot::io
