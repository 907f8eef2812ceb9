// Progress on long work, on stderr: redrawn in place on a terminal (at most 10 times a
// second), or one line per finished step when stderr is a file or pipe (CI logs stay short).
#pragma once
#include <chrono>
#include <cstdio>
#include <string>

namespace earshot::io {

struct Progress {
    std::FILE* out = stderr;
    bool terminal = false;
    bool quiet = false;
    std::chrono::steady_clock::time_point last_draw{};
};

Progress make_progress(bool quiet = false);
// An in-progress status; drawn only on a terminal.
void progress_update(Progress& p, const std::string& text, bool force = false);
// Erases an in-progress line, if one was drawn.
void progress_clear(Progress& p);
// A finished step; always printed, replacing the in-progress line.
void progress_line(Progress& p, const std::string& text);

std::string progress_bar(double fraction, int width = 20);
std::string format_duration(double seconds);  // "1:05", "1:02:03"

}  // namespace earshot::io
