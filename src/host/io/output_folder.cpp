#include "host/io/output_folder.hpp"

#include "host/error.hpp"

namespace earshot::io {
namespace fs = std::filesystem;

fs::path begin_output_folder(const fs::path& out) {
    const fs::path staging = out.string() + ".partial";
    std::error_code ec;
    fs::remove_all(staging, ec);
    fs::create_directories(staging, ec);
    if (ec) throw Error(staging.string() + ": cannot create the output folder: " + ec.message());
    return staging;
}

void publish_output_folder(const fs::path& staging, const fs::path& out) {
    const fs::path old = out.string() + ".old";
    fs::remove_all(old);
    if (fs::exists(out)) fs::rename(out, old);
    fs::rename(staging, out);
    fs::remove_all(old);
}

}  // namespace earshot::io
