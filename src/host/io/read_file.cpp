#include "host/io/read_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host/error.hpp"

namespace earshot::io {

std::string read_file(const std::filesystem::path& path, const char* what) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": no such file");
    if (std::filesystem::is_directory(path, ec)) throw Error(path.string() + ": is a folder, not " + what);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw Error(path.string() + ": cannot open: " + std::strerror(errno));
    std::string bytes;
    char buffer[1 << 16];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) bytes.append(buffer, n);
    const bool failed = std::ferror(f) != 0;
    const int saved = errno;
    std::fclose(f);
    if (failed) throw Error(path.string() + ": cannot read: " + std::strerror(saved));
    return bytes;
}

}  // namespace earshot::io
