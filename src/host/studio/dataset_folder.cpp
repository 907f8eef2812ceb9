#include "host/studio/dataset_folder.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "host/audio/decode.hpp"
#include "host/data/dataset.hpp"
#include "host/error.hpp"
#include "host/io/atomic_file.hpp"

namespace earshot::studio {
namespace fs = std::filesystem;
namespace {

constexpr const char* kTrash = ".trash";
constexpr int kTooFewRecordings = 3;  // the split holds one out for testing from 3 recordings of a kind

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ' ';
}

int label_of(const std::string& class_name) { return class_name.rfind("alarms", 0) == 0 ? 1 : 0; }

ClipInfo describe_clip(const fs::path& file, const std::string& name) {
    ClipInfo clip;
    clip.name = name;
    try {
        audio::AudioFileReader reader(file);
        clip.sample_rate = reader.sample_rate();
        clip.channels = reader.channels();
        clip.seconds = static_cast<double>(reader.frames()) / reader.sample_rate();
    } catch (const Error& e) {
        clip.problem = e.what();
    }
    return clip;
}

// Trash entries: DIR/.trash/<n>/<name>, n counting up.
std::vector<int> trash_numbers(const fs::path& root) {
    std::vector<int> numbers;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / kTrash, ec)) {
        const std::string n = e.path().filename().string();
        if (!n.empty() && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) numbers.push_back(std::stoi(n));
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

std::string relative_name(const fs::path& file, const fs::path& root) { return file.lexically_relative(root).generic_string(); }

}  // namespace

fs::path resolve_inside(const fs::path& root, const std::string& name) {
    if (name.empty()) throw Error("no file name given");
    if (name.size() > 512) throw Error("name too long");
    if (name.front() == '/' || name.find('\\') != std::string::npos || name.find(':') != std::string::npos) {
        throw Error("'" + name + "': only names inside the dataset folder are allowed (no absolute paths)");
    }
    fs::path path = root;
    size_t start = 0;
    while (start <= name.size()) {
        const size_t end = std::min(name.find('/', start), name.size());
        const std::string part = name.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part.front() == '.') {
            throw Error("'" + name + "': only names inside the dataset folder are allowed (no '..', empty or hidden parts)");
        }
        if (!std::all_of(part.begin(), part.end(), is_name_char)) throw Error("'" + name + "': unexpected characters in '" + part + "'");
        path /= part;
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(path, ec))) throw Error("'" + name + "': symbolic links are not followed (it could lead outside the dataset folder)");
        start = end + 1;
    }
    return path;
}

bool is_class_name(const std::string& name) {
    const std::string top = name.substr(0, name.find('/'));
    if (top != "alarms" && top != "background") return false;
    if (name.size() == top.size()) return true;
    const std::string kind = name.substr(top.size() + 1);
    return !kind.empty() && kind.size() <= 64 && kind.front() != '.' && kind.find('/') == std::string::npos &&
           std::all_of(kind.begin(), kind.end(), [](char c) { return is_name_char(c) && c != ' '; });
}

DatasetView scan_dataset(const fs::path& root) {
    if (!fs::is_directory(root)) throw Error(root.string() + ": the dataset folder does not exist");
    DatasetView view;
    for (const char* top : {"alarms", "background"}) {
        const fs::path dir = root / top;
        if (!fs::is_directory(dir)) {
            view.warnings.push_back(std::string("no ") + top + "/ folder yet: record or copy " + (std::string(top) == "alarms" ? "alarm" : "background") +
                                    " clips into a class under it");
            continue;
        }
        std::map<std::string, ClassInfo> classes;
        for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
            if (!entry.is_regular_file() || entry.is_symlink() || !data::is_audio_file(entry.path())) continue;
            const std::string name = relative_name(entry.path(), root);
            if (name.find("/.") != std::string::npos) continue;
            const fs::path parent = entry.path().parent_path();
            const std::string below = relative_name(parent, dir);  // "kitchen" or "kitchen/sub": the class is its first folder
            const std::string class_name = parent == dir ? top : std::string(top) + "/" + below.substr(0, below.find('/'));
            ClassInfo& c = classes[class_name];
            c.name = class_name;
            c.label = label_of(class_name);
            c.clips.push_back(describe_clip(entry.path(), name));
            c.seconds += c.clips.back().seconds;
        }
        for (const auto& e : fs::directory_iterator(dir)) {  // empty class folders show too (a place to record into)
            const std::string n = e.path().filename().string();
            if (e.is_directory() && !e.is_symlink() && n.front() != '.' && !classes.count(std::string(top) + "/" + n)) {
                classes[std::string(top) + "/" + n] = ClassInfo{std::string(top) + "/" + n, label_of(top), {}, 0};
            }
        }
        for (auto& [name, c] : classes) {
            std::sort(c.clips.begin(), c.clips.end(), [](const ClipInfo& a, const ClipInfo& b) { return a.name < b.name; });
            view.classes.push_back(std::move(c));
        }
    }
    double seconds[2] = {0, 0};
    int recordings[2] = {0, 0};
    for (const ClassInfo& c : view.classes) {
        seconds[c.label] += c.seconds;
        recordings[c.label] += static_cast<int>(c.clips.size());
        if (c.clips.size() < static_cast<size_t>(kTooFewRecordings)) {
            view.warnings.push_back(c.name + ": " + std::to_string(c.clips.size()) + " recording" + (c.clips.size() == 1 ? "" : "s") +
                                    "; with fewer than 3 none is held out to test on");
        }
        for (const ClipInfo& clip : c.clips) {
            if (!clip.problem.empty()) view.warnings.push_back(clip.name + ": unreadable, training will skip it (" + clip.problem + ")");
        }
    }
    if (recordings[0] && recordings[1] && (seconds[1] > 10 * seconds[0] || seconds[0] > 10 * seconds[1])) {
        char text[200];
        std::snprintf(text, sizeof text, "imbalanced: %.0f s of alarms against %.0f s of background (more than 10 to 1)", seconds[1], seconds[0]);
        view.warnings.emplace_back(text);
    }
    view.trash_entries = static_cast<int>(trash_numbers(root).size());
    return view;
}

nlohmann::json to_json(const DatasetView& view) {
    nlohmann::json classes = nlohmann::json::array();
    for (const ClassInfo& c : view.classes) {
        nlohmann::json clips = nlohmann::json::array();
        for (const ClipInfo& clip : c.clips) {
            clips.push_back({{"name", clip.name}, {"seconds", clip.seconds}, {"sample_rate", clip.sample_rate}, {"channels", clip.channels}, {"problem", clip.problem}});
        }
        classes.push_back({{"name", c.name}, {"label", c.label ? "alarm" : "background"}, {"count", c.clips.size()}, {"seconds", c.seconds}, {"clips", clips}});
    }
    return {{"classes", classes}, {"warnings", view.warnings}, {"trash_entries", view.trash_entries}};
}

std::string move_clip(const fs::path& root, const std::string& name, const std::string& to_class) {
    if (!is_class_name(to_class)) throw Error("'" + to_class + "' is not a class (alarms/<kind> or background/<kind>)");
    const fs::path from = resolve_inside(root, name);
    if (!fs::is_regular_file(from)) throw Error(name + ": no such clip");
    const fs::path dir = resolve_inside(root, to_class);
    const fs::path to = dir / from.filename();
    if (fs::exists(to)) throw Error(relative_name(to, root) + " exists already: rename one of them first");
    fs::create_directories(dir);
    fs::rename(from, to);
    return relative_name(to, root);
}

void delete_clip(const fs::path& root, const std::string& name) {
    const fs::path from = resolve_inside(root, name);
    if (!fs::is_regular_file(from)) throw Error(name + ": no such clip");
    const std::vector<int> numbers = trash_numbers(root);
    const fs::path to = root / kTrash / std::to_string(numbers.empty() ? 1 : numbers.back() + 1) / name;
    fs::create_directories(to.parent_path());
    fs::rename(from, to);
}

std::string undo_delete(const fs::path& root) {
    const std::vector<int> numbers = trash_numbers(root);
    if (numbers.empty()) throw Error("nothing to undo: the trash is empty");
    const fs::path entry = root / kTrash / std::to_string(numbers.back());
    for (const auto& e : fs::recursive_directory_iterator(entry)) {
        if (!e.is_regular_file()) continue;
        const std::string name = relative_name(e.path(), entry);
        const fs::path to = resolve_inside(root, name);
        if (fs::exists(to)) throw Error(name + " exists again: move it away to undo the deletion");
        fs::create_directories(to.parent_path());
        fs::rename(e.path(), to);
        fs::remove_all(entry);
        return name;
    }
    fs::remove_all(entry);
    throw Error("the newest trash entry was empty");
}

std::string save_take(const fs::path& root, const std::string& class_name, std::string_view wav_bytes) {
    if (!is_class_name(class_name)) throw Error("'" + class_name + "' is not a class (alarms/<kind> or background/<kind>)");
    const fs::path dir = resolve_inside(root, class_name);
    // Checked in a hidden folder of the dataset (same filesystem, never listed), then renamed
    // into the class folder: never a torn take, and a refused one leaves nothing behind.
    static std::atomic<unsigned> takes{0};
    fs::create_directories(root / ".incoming");
    const fs::path check = root / ".incoming" / ("take-" + std::to_string(::getpid()) + "-" + std::to_string(takes++) + ".wav");
    io::write_file_atomic(check, wav_bytes);
    try {
        audio::AudioFileReader reader(check);
        const double seconds = static_cast<double>(reader.frames()) / reader.sample_rate();
        if (reader.sample_rate() != 16000 || reader.channels() != 1) {
            throw Error("a take must be 16 kHz mono, not " + std::to_string(reader.sample_rate()) + " Hz, " + std::to_string(reader.channels()) + " channels");
        }
        if (seconds < 0.99 || seconds > 10.01) throw Error("a take must last 1 to 10 s, not " + std::to_string(seconds) + " s");
    } catch (const Error& e) {
        fs::remove(check);
        const std::string why = e.what();
        const size_t cut = why.find(check.string() + ": ");  // the temporary's name means nothing to the user
        throw Error("the recording was not saved: " + (cut == std::string::npos ? why : why.substr(cut + check.string().size() + 2)));
    }
    fs::create_directories(dir);
    for (int n = 1; n < 100000; ++n) {
        char file[32];
        std::snprintf(file, sizeof file, "take-%03d.wav", n);
        if (fs::exists(dir / file)) continue;
        fs::rename(check, dir / file);
        return relative_name(dir / file, root);
    }
    fs::remove(check);
    throw Error(class_name + ": no free take name");
}

}  // namespace earshot::studio
