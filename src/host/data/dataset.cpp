#include "host/data/dataset.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "host/error.hpp"
#include "host/io/text.hpp"

namespace earshot::data {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) {
        while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
        cells.push_back(cell);
    }
    return cells;
}

bool parse_int(const std::string& s, int& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    out = std::stoi(s);
    return true;
}

void require_folder(const fs::path& root, const char* what) {
    if (!fs::exists(root)) throw Error(root.string() + ": " + what + " folder does not exist");
    if (!fs::is_directory(root)) throw Error(root.string() + ": not a folder");
}

}  // namespace

// Everything libsndfile decodes that people keep recordings in: datasets take what classify takes.
const std::vector<std::string>& audio_extensions() {
    static const std::vector<std::string> extensions{".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff"};
    return extensions;
}

bool is_audio_file(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto& known = audio_extensions();
    return std::find(known.begin(), known.end(), ext) != known.end();
}

std::vector<fs::path> audio_files_under(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && is_audio_file(e.path())) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

Dataset open_dataset(const std::string& spec) {
    const auto colon = spec.find(':');
    const std::string kind = colon == std::string::npos ? "" : spec.substr(0, colon);
    const std::string path = colon == std::string::npos ? "" : spec.substr(colon + 1);
    Dataset d;
    if (kind == "esc50" && !path.empty()) {
        d = open_esc50(path);
    } else if (kind == "folder" && !path.empty()) {
        d = open_folder(path);
    } else {
        throw Error("dataset '" + spec + "': expected esc50:PATH (ESC-50 layout) or folder:PATH (one sub-folder per class)");
    }
    d.spec = spec;
    return d;
}

Dataset open_esc50(const fs::path& root) {
    require_folder(root, "ESC-50 dataset");
    const fs::path csv = root / "meta" / "esc50.csv";
    if (!fs::exists(csv)) throw Error(csv.string() + ": missing (an ESC-50 dataset has meta/esc50.csv and audio/*.wav)");
    std::ifstream in(csv);
    if (!in) throw Error(csv.string() + ": cannot open");
    std::string line;
    if (!std::getline(in, line)) throw Error(csv.string() + ": empty file");
    const auto header = split_csv_line(line);
    std::map<std::string, size_t> column;
    for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
    for (const char* need : {"filename", "fold", "target", "category"}) {
        if (!column.count(need)) throw Error(csv.string() + ": header has no '" + need + "' column (expected filename,fold,target,category,...)");
    }
    Dataset d;
    d.kind = DatasetKind::esc50;
    d.root = root;
    std::map<int, std::string> category_of;
    std::vector<std::string> bad_rows, missing;
    int line_number = 1;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.empty() || line == "\r") continue;
        const auto cells = split_csv_line(line);
        const std::string where = csv.filename().string() + ":" + std::to_string(line_number);
        if (cells.size() < header.size()) {
            bad_rows.push_back(where + ": " + std::to_string(cells.size()) + " columns, header has " + std::to_string(header.size()));
            continue;
        }
        Clip clip;
        int target = 0;
        const std::string& category = cells[column["category"]];
        if (!parse_int(cells[column["fold"]], clip.fold) || clip.fold < 1 || clip.fold > 5) {
            bad_rows.push_back(where + ": fold '" + cells[column["fold"]] + "' is not 1..5");
            continue;
        }
        if (!parse_int(cells[column["target"]], target) || target > 10000 || category.empty()) {
            bad_rows.push_back(where + ": unknown label (target '" + cells[column["target"]] + "', category '" + category + "')");
            continue;
        }
        auto [it, inserted] = category_of.emplace(target, category);
        if (!inserted && it->second != category) {
            bad_rows.push_back(where + ": unknown label: target " + std::to_string(target) + " is '" + it->second + "' elsewhere, '" + category + "' here");
            continue;
        }
        clip.relative = "audio/" + cells[column["filename"]];
        clip.path = root / clip.relative;
        clip.label = target;
        if (!fs::is_regular_file(clip.path)) missing.push_back(clip.relative);
        d.clips.push_back(std::move(clip));
    }
    if (!bad_rows.empty()) throw Error(csv.string() + ": " + std::to_string(bad_rows.size()) + " bad row(s):" + io::item_list(bad_rows));
    if (!missing.empty()) throw Error(root.string() + ": " + std::to_string(missing.size()) + " audio file(s) listed in meta/esc50.csv are missing:" + io::item_list(missing));
    if (d.clips.empty()) throw Error(csv.string() + ": lists no audio files");
    // Targets index the classes; they must be 0..N-1 without gaps.
    std::vector<std::string> gaps;
    for (int t = 0; t <= category_of.rbegin()->first; ++t) {
        if (!category_of.count(t)) gaps.push_back(std::to_string(t));
    }
    if (!gaps.empty()) throw Error(csv.string() + ": unknown labels: targets must be 0..N-1, these have no rows:" + io::item_list(gaps));
    for (const auto& [t, name] : category_of) d.classes.push_back(name);
    return d;
}

Dataset open_folder(const fs::path& root) {
    require_folder(root, "dataset");
    Dataset d;
    d.kind = DatasetKind::folder;
    d.root = root;
    std::vector<fs::path> class_dirs;
    for (const auto& e : fs::directory_iterator(root)) {
        if (e.is_directory() && e.path().filename().string()[0] != '.') class_dirs.push_back(e.path());
    }
    std::sort(class_dirs.begin(), class_dirs.end());
    if (class_dirs.empty()) throw Error(root.string() + ": no class folders (expected " + root.string() + "/<label>/*.wav)");
    std::vector<std::string> empty;
    for (const auto& dir : class_dirs) {
        const std::vector<fs::path> files = audio_files_under(dir);
        if (files.empty()) {
            empty.push_back(dir.filename().string() + "/");
            continue;
        }
        const int label = static_cast<int>(d.classes.size());
        d.classes.push_back(dir.filename().string());
        for (const auto& f : files) d.clips.push_back({f, fs::relative(f, root).generic_string(), label, 0});
    }
    if (d.classes.empty()) {
        std::string list;
        for (const auto& e : audio_extensions()) list += (list.empty() ? "" : ", ") + e;
        throw Error(root.string() + ": no audio files (" + list + ") in any class folder");
    }
    if (!empty.empty()) throw Error(root.string() + ": class folder(s) without audio files:" + io::item_list(empty));
    return d;
}

}  // namespace earshot::data
