#include "host/jobs/recordings.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "host/data/dataset.hpp"
#include "host/error.hpp"
#include "host/train/rng.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;

std::string recording_group(const fs::path& file) {
    const std::string stem = file.stem().string();
    // AudioSet segments: "<11-character YouTube id>_<start seconds>".
    const size_t underscore = stem.rfind('_');
    if (underscore == 11 && stem.size() > 12) {
        const std::string start = stem.substr(12);
        if (std::all_of(start.begin(), start.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; })) return stem.substr(0, 11);
    }
    return file.parent_path().filename().string() + "/" + stem;
}

std::vector<Recording> list_recordings(const fs::path& root) {
    if (!fs::is_directory(root)) throw Error(root.string() + ": no such folder (expected ROOT/alarms/... and ROOT/background/...)");
    std::vector<Recording> out;
    for (const auto& [sub, label] : {std::pair<const char*, int>{"alarms", 1}, {"background", 0}}) {
        const fs::path dir = root / sub;
        if (!fs::is_directory(dir)) throw Error(dir.string() + ": missing (a detector data folder has alarms/ and background/ folders)");
        const std::vector<fs::path> files = data::audio_files_under(dir);
        if (files.empty()) throw Error(dir.string() + ": no audio files (.wav, .flac, .ogg, .aiff) in it");
        for (const fs::path& f : files) {
            const fs::path rel = fs::relative(f, root);
            const fs::path parent = rel.parent_path();
            out.push_back({f, rel.generic_string(), parent.generic_string(), recording_group(f), label});
        }
    }
    return out;
}

RecordingSplit split_recordings(const std::vector<Recording>& recordings, double val_fraction, double test_fraction, uint64_t seed, Fold fold) {
    std::map<std::string, std::map<std::string, std::vector<const Recording*>>> kinds;  // kind -> group -> files
    for (const Recording& r : recordings) kinds[r.kind][r.group].push_back(&r);
    RecordingSplit split;
    train::Rng rng{seed * 0x2545F4914F6CDD1Dull + 3};
    for (auto& [kind, groups] : kinds) {
        std::vector<std::string> ids;
        for (const auto& g : groups) ids.push_back(g.first);
        rng.shuffle(ids);
        const size_t n = ids.size();
        size_t first_test = 0;
        size_t n_test = static_cast<size_t>(std::lround(static_cast<double>(n) * test_fraction));
        if (fold.count > 0) {  // the fold's part: groups [n * index / count, n * (index + 1) / count)
            const size_t k = static_cast<size_t>(fold.index), K = static_cast<size_t>(fold.count);
            first_test = n * k / K;
            n_test = n * (k + 1) / K - first_test;
        } else if (test_fraction > 0 && n >= 3) {
            n_test = std::max<size_t>(n_test, 1);
        }
        size_t n_val = static_cast<size_t>(std::lround(static_cast<double>(n) * val_fraction));
        if (val_fraction > 0 && n >= 4) n_val = std::max<size_t>(n_val, 1);
        n_test = std::min(n_test, n);
        n_val = std::min(n_val, n - n_test);
        // Walk the shuffled groups from the first test one: test, then val, then train.
        for (size_t i = 0; i < n; ++i) {
            auto& to = i < n_test ? split.test : i < n_test + n_val ? split.val : split.train;
            for (const Recording* r : groups[ids[(first_test + i) % n]]) to.push_back(*r);
        }
    }
    return split;
}

nlohmann::json split_manifest(const RecordingSplit& split, uint64_t seed, double val_fraction, double test_fraction, Fold fold) {
    nlohmann::json j;
    j["rule"] = "by recording (YouTube id for AudioSet segments), per kind";
    j["seed"] = seed;
    j["val_fraction"] = val_fraction;
    if (fold.count > 0) {
        j["fold"] = {{"index", fold.index + 1}, {"count", fold.count}};  // as the user wrote it: 1..count
    } else {
        j["test_fraction"] = test_fraction;
    }
    for (const auto& [name, list] : {std::pair<const char*, const std::vector<Recording>*>{"train", &split.train}, {"val", &split.val}, {"test", &split.test}}) {
        nlohmann::json files = nlohmann::json::array();
        for (const Recording& r : *list) files.push_back(r.name);
        j[name] = files;
    }
    return j;
}

}  // namespace earshot::jobs
