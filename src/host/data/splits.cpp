#include "host/data/splits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/io/atomic_file.hpp"
#include "host/train/model_config.hpp"
#include "host/train/rng.hpp"

namespace earshot::data {
namespace {

std::vector<int> parse_folds(const std::string& s, const std::string& text) {
    std::vector<int> folds;
    std::istringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.size() != 1 || item[0] < '1' || item[0] > '5') throw Error("split '" + text + "': folds are 1..5, not '" + item + "'");
        folds.push_back(item[0] - '0');
    }
    return folds;
}

std::vector<std::string> split_on(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::istringstream in(s);
    std::string item;
    while (std::getline(in, item, sep)) parts.push_back(item);
    return parts;
}

std::string join(const std::vector<int>& v) {
    std::string s;
    for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

Split split_from_name(const std::string& s, const std::string& source) {
    if (s == "train") return Split::train;
    if (s == "val") return Split::val;
    if (s == "test") return Split::test;
    throw Error(source + ": unknown split '" + s + "'");
}

}  // namespace

const char* split_name(Split s) { return s == Split::train ? "train" : s == Split::val ? "val" : "test"; }

std::string SplitRule::text() const {
    if (by_fold) return "folds:" + join(train_folds) + "/" + join(val_folds) + "/" + join(test_folds);
    std::ostringstream s;
    s << "ratio:" << train_fraction << "/" << val_fraction << "/" << (1.0 - train_fraction - val_fraction);
    return s.str();
}

SplitRule parse_split_rule(const std::string& text, DatasetKind kind, uint64_t seed) {
    SplitRule r;
    r.seed = seed;
    if (text.empty()) {
        r.by_fold = kind == DatasetKind::esc50;
        return r;
    }
    const auto colon = text.find(':');
    const std::string how = text.substr(0, colon);
    const auto parts = colon == std::string::npos ? std::vector<std::string>{} : split_on(text.substr(colon + 1), '/');
    if (how == "folds" && parts.size() == 3) {
        if (kind != DatasetKind::esc50) throw Error("split '" + text + "': folds exist only in ESC-50 datasets (use ratio:0.7/0.15/0.15)");
        r.train_folds = parse_folds(parts[0], text);
        r.val_folds = parse_folds(parts[1], text);
        r.test_folds = parse_folds(parts[2], text);
        std::set<int> seen;
        for (const auto* set : {&r.train_folds, &r.val_folds, &r.test_folds}) {
            for (int f : *set) {
                if (!seen.insert(f).second) throw Error("split '" + text + "': fold " + std::to_string(f) + " is in two sets");
            }
        }
        if (r.train_folds.empty()) throw Error("split '" + text + "': no training folds");
        return r;
    }
    if (how == "ratio" && parts.size() == 3) {
        double v[3];
        for (int i = 0; i < 3; ++i) {
            try {
                v[i] = std::stod(parts[static_cast<size_t>(i)]);
            } catch (const std::exception&) {
                throw Error("split '" + text + "': '" + parts[static_cast<size_t>(i)] + "' is not a number");
            }
            if (!(v[i] >= 0.0)) throw Error("split '" + text + "': fractions must be >= 0");
        }
        const double sum = v[0] + v[1] + v[2];
        if (v[0] <= 0.0 || sum <= 0.0) throw Error("split '" + text + "': the training fraction must be > 0");
        r.by_fold = false;
        r.train_fraction = v[0] / sum;
        r.val_fraction = v[1] / sum;
        return r;
    }
    throw Error("split '" + text + "': expected folds:TRAIN/VAL/TEST (e.g. folds:1,2,3/4/5) or ratio:TRAIN/VAL/TEST (e.g. ratio:0.7/0.15/0.15)");
}

std::vector<Split> assign_splits(const Dataset& dataset, const SplitRule& rule) {
    std::vector<Split> out(dataset.clips.size(), Split::train);
    if (rule.by_fold) {
        const auto in = [](const std::vector<int>& v, int f) { return std::find(v.begin(), v.end(), f) != v.end(); };
        for (size_t i = 0; i < out.size(); ++i) {
            const int f = dataset.clips[i].fold;
            if (in(rule.train_folds, f)) out[i] = Split::train;
            else if (in(rule.val_folds, f)) out[i] = Split::val;
            else if (in(rule.test_folds, f)) out[i] = Split::test;
            else throw Error(dataset.clips[i].relative + ": fold " + std::to_string(f) + " is in no split of " + rule.text());
        }
        return out;
    }
    train::Rng rng{rule.seed};
    std::map<int, std::vector<size_t>> by_class;
    for (size_t i = 0; i < out.size(); ++i) by_class[dataset.clips[i].label].push_back(i);
    for (auto& [label, members] : by_class) {
        rng.shuffle(members);
        const size_t n = members.size();
        const size_t n_train = std::max<size_t>(1, static_cast<size_t>(std::lround(static_cast<double>(n) * rule.train_fraction)));
        const size_t n_val = std::min(n - std::min(n, n_train), static_cast<size_t>(std::lround(static_cast<double>(n) * rule.val_fraction)));
        for (size_t k = 0; k < n; ++k) out[members[k]] = k < n_train ? Split::train : k < n_train + n_val ? Split::val : Split::test;
    }
    return out;
}

Manifest make_manifest(const Dataset& dataset, const SplitRule& rule) {
    Manifest m;
    m.dataset = dataset.spec;
    m.rule = rule.text();
    m.classes = dataset.classes;
    m.splits = assign_splits(dataset, rule);
    for (const auto& c : dataset.clips) {
        m.files.push_back(c.relative);
        m.labels.push_back(c.label);
    }
    return m;
}

void write_manifest(const std::filesystem::path& path, const Manifest& m) {
    nlohmann::json j = {{"dataset", m.dataset}, {"split_rule", m.rule}, {"classes", m.classes}};
    nlohmann::json clips = nlohmann::json::array();
    for (size_t i = 0; i < m.files.size(); ++i) {
        clips.push_back({{"file", m.files[i]}, {"label", m.classes[static_cast<size_t>(m.labels[i])]}, {"split", split_name(m.splits[i])}});
    }
    j["clips"] = std::move(clips);
    io::write_file_atomic(path, j.dump(1) + "\n");
}

Manifest read_manifest(const std::filesystem::path& path) {
    const auto j = train::read_json_file(path);
    Manifest m;
    try {
        m.dataset = j.at("dataset").get<std::string>();
        m.rule = j.at("split_rule").get<std::string>();
        m.classes = j.at("classes").get<std::vector<std::string>>();
        std::map<std::string, int> index;
        for (size_t i = 0; i < m.classes.size(); ++i) index[m.classes[i]] = static_cast<int>(i);
        for (const auto& c : j.at("clips")) {
            const auto label = c.at("label").get<std::string>();
            if (!index.count(label)) throw Error(path.string() + ": clip label '" + label + "' is not among the classes");
            m.files.push_back(c.at("file").get<std::string>());
            m.labels.push_back(index[label]);
            m.splits.push_back(split_from_name(c.at("split").get<std::string>(), path.string()));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(path.string() + ": not a valid manifest (" + e.what() + ")");
    }
    return m;
}

std::vector<Clip> clips_in_split(const Dataset& dataset, const Manifest& m, Split split) {
    std::map<std::string, const Clip*> by_path;
    for (const auto& c : dataset.clips) by_path[c.relative] = &c;
    std::vector<Clip> out;
    std::vector<std::string> missing;
    for (size_t i = 0; i < m.files.size(); ++i) {
        if (m.splits[i] != split) continue;
        const auto it = by_path.find(m.files[i]);
        if (it == by_path.end()) {
            missing.push_back(m.files[i]);
            continue;
        }
        Clip c = *it->second;
        c.label = m.labels[i];
        out.push_back(std::move(c));
    }
    if (!missing.empty()) {
        throw Error(dataset.root.string() + ": " + std::to_string(missing.size()) + " file(s) of the manifest are not in the dataset:" + io::item_list(missing));
    }
    return out;
}

}  // namespace earshot::data
