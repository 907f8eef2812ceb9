#include "host/io/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "host/error.hpp"

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

}  // namespace

void replace_file_atomically(const fs::path& target, const std::function<void(const fs::path&)>& write_to) {
    if (target.filename().empty()) throw Error(target.string() + ": not a file name");
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir)) throw Error(target.string() + ": cannot write, folder " + dir.string() + " does not exist");
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
        throw Error(target.string() + ": cannot write: " + ec.message());
    }
}

void write_file_atomic(const fs::path& target, std::string_view bytes) {
    replace_file_atomically(target, [&](const fs::path& temp) {
        std::FILE* f = std::fopen(temp.c_str(), "wb");
        if (!f) throw Error(target.string() + ": cannot write: " + std::strerror(errno));
        const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 &&
                        ::fsync(::fileno(f)) == 0;
        const int saved = errno;
        std::fclose(f);
        if (!ok) throw Error(target.string() + ": cannot write: " + std::strerror(saved));
    });
}

}  // namespace earshot::io
