#include "host/eval/labels.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "host/error.hpp"

namespace earshot::eval {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return out;
        start = tab + 1;
    }
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

struct LineReader {
    std::filesystem::path path;
    std::ifstream in;
    size_t number = 0;

    explicit LineReader(const std::filesystem::path& p) : path(p), in(p) {
        if (std::filesystem::is_directory(p)) throw Error(p.string() + ": is a folder, not a label file");
        if (!in) throw Error(p.string() + ": cannot open label file");
    }
    bool next(std::string& line) {
        if (!std::getline(in, line)) return false;
        ++number;
        line = trim(line);
        return true;
    }
    [[noreturn]] void fail(const std::string& what) const { throw Error(path.string() + ":" + std::to_string(number) + ": " + what); }

    double seconds(const std::string& text, const char* what) const {
        const std::string t = trim(text);
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v)) fail(std::string(what) + " '" + t + "' is not a number of seconds");
        if (v < 0) fail(std::string(what) + " " + t + " is negative");
        return v;
    }

    LabelledEvent event(const std::string& onset, const std::string& offset, const std::string& label) const {
        LabelledEvent e{seconds(onset, "onset"), seconds(offset, "offset"), trim(label)};
        if (e.offset < e.onset) fail("offset " + trim(offset) + " is before onset " + trim(onset));
        return e;
    }
};

}  // namespace

std::map<std::string, std::vector<LabelledEvent>> read_label_tsv(const std::filesystem::path& path) {
    LineReader r(path);
    std::map<std::string, std::vector<LabelledEvent>> out;
    std::string line;
    while (r.next(line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto f = split_tabs(line);
        if (r.number == 1 && trim(f[0]) == "filename") continue;  // header
        const std::string file = trim(f[0]);
        if (file.empty()) r.fail("no filename (columns: filename, onset, offset, event_label, separated by tabs)");
        if (f.size() == 1 || (f.size() >= 3 && trim(f[1]).empty() && trim(f[2]).empty())) {
            out[file];  // listed: all background
            continue;
        }
        if (f.size() < 3) r.fail("expected filename<TAB>onset<TAB>offset<TAB>event_label, found " + std::to_string(f.size()) + " column(s)");
        if (f.size() > 4) r.fail("expected at most 4 tab-separated columns, found " + std::to_string(f.size()));
        out[file].push_back(r.event(f[1], f[2], f.size() == 4 ? f[3] : std::string()));
    }
    if (out.empty()) throw Error(path.string() + ": no labelled files in it");
    return out;
}

std::vector<LabelledEvent> read_audacity_labels(const std::filesystem::path& path) {
    LineReader r(path);
    std::vector<LabelledEvent> out;
    std::string line;
    while (r.next(line)) {
        if (line.empty()) continue;
        if (line[0] == '\\') continue;  // a spectral selection line (\tlow\thigh) belongs to the label above
        const auto f = split_tabs(line);
        if (f.size() < 2) r.fail("expected start<TAB>end<TAB>label (an Audacity label track)");
        out.push_back(r.event(f[0], f[1], f.size() >= 3 ? f[2] : std::string()));
    }
    return out;
}

std::filesystem::path audacity_labels_for(const std::filesystem::path& audio) {
    std::filesystem::path p = audio;
    p.replace_extension(".txt");
    return std::filesystem::is_regular_file(p) ? p : std::filesystem::path();
}

}  // namespace earshot::eval
