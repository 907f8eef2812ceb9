#include "host/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "host/error.hpp"
#include "host/io/read_file.hpp"

namespace earshot::io {
namespace fs = std::filesystem;

namespace {

fs::path temp_path_for(const fs::path& target) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string name = target.filename().string();
    name.insert(0, 1, '.');
    name.append(".tmp-").append(std::to_string(::getpid()));
    return dir / name;
}

// The descriptor an open-stream path names (/dev/stdout -> 1, /dev/fd/N, /proc/self/fd/N), or -1.
int open_stream_fd(const fs::path& path) {
    const std::string s = path.lexically_normal().string();
    if (s == "/dev/stdout") return 1;
    if (s == "/dev/stderr") return 2;
    for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        const std::string p = prefix;
        if (s.rfind(p, 0) == 0 && s.size() > p.size() && s.find_first_not_of("0123456789", p.size()) == std::string::npos)
            return std::stoi(s.substr(p.size()));
    }
    return -1;
}

// /dev/stdout, /dev/fd/N and /proc/... name an already-open file: write into it (at its current
// position, as a shell redirection expects) rather than replacing whatever it points to.
bool names_an_open_stream(const fs::path& path) {
    return open_stream_fd(path) >= 0 || path.lexically_normal().string().rfind("/proc/", 0) == 0;
}


}  // namespace

fs::path resolve_output_path(const fs::path& target) {
    if (target == "-") return "/dev/stdout";  // never followed: names descriptor 1 itself
    std::error_code ec;
    fs::path path = target;
    // Follow a chain of links (relative links resolve against the link's own folder); a link
    // whose target does not exist yet still names where the file should be created.
    for (int hops = 0; hops < 40 && !names_an_open_stream(path) && fs::is_symlink(fs::symlink_status(path, ec)); ++hops) {
        const fs::path next = fs::read_symlink(path, ec);
        if (ec) break;
        path = next.is_absolute() ? next : path.parent_path() / next;
    }
    return path;
}

bool is_stdout_output(const fs::path& target) { return !target.empty() && open_stream_fd(resolve_output_path(target)) == 1; }

bool is_special_output(const fs::path& target) {
    const fs::path path = resolve_output_path(target);
    if (names_an_open_stream(path)) return true;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return false;
    return !fs::is_regular_file(st) && !fs::is_directory(st);
}

namespace {

void write_all(int fd, const std::string& bytes, const fs::path& shown) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(shown.string() + ": cannot write: " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}


// A special output is produced in a private temporary file (writers such as libsndfile seek,
// which a pipe cannot) and then copied in: into the already-open descriptor for stdout-like
// paths (no reopening, so `> file` is not truncated behind earlier output), else into the
// device or FIFO opened without O_TRUNC or O_CREAT: nothing is ever created or replaced there.
void write_special(const fs::path& requested, const fs::path& target,
                   const std::function<void(const fs::path&)>& write_to) {
    const fs::path temp = fs::temp_directory_path() / ("earshot-out-" + std::to_string(::getpid()) + "-" +
                                                        std::to_string(reinterpret_cast<std::uintptr_t>(&temp)));
    std::string bytes;
    try {
        write_to(temp);
        bytes = read_file(temp);
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    std::error_code ignored;
    fs::remove(temp, ignored);
    int fd = open_stream_fd(target);
    const bool opened = fd < 0;
    if (opened) fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw Error(requested.string() + ": cannot write: " + std::strerror(errno));
    try {
        write_all(fd, bytes, requested);
    } catch (...) {
        if (opened) ::close(fd);
        throw;
    }
    if (opened) ::close(fd);
}

}  // namespace

void replace_file_atomically(const fs::path& requested, const std::function<void(const fs::path&)>& write_to) {
    const fs::path target = resolve_output_path(requested);
    if (is_special_output(target)) return write_special(requested, target, write_to);
    if (target.filename().empty()) throw Error(requested.string() + ": not a file name");
    if (fs::is_directory(target)) throw Error(requested.string() + ": cannot write, it is a folder");
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir)) throw Error(requested.string() + ": cannot write, folder " + dir.string() + " does not exist");
    const fs::path temp = temp_path_for(target);
    try {
        write_to(temp);
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw Error(requested.string() + ": cannot write: " + ec.message());
    }
}

void write_file_atomic(const fs::path& target, std::string_view bytes) {
    replace_file_atomically(target, [&](const fs::path& path) {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (!f) throw Error(target.string() + ": cannot write: " + std::strerror(errno));
        bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0;
        if (ok && ::fsync(::fileno(f)) != 0) ok = false;
        const int saved = errno;
        std::fclose(f);
        if (!ok) throw Error(target.string() + ": cannot write: " + std::strerror(saved));
    });
}

}  // namespace earshot::io
