// Train / validation / test splits, decided once per training run and written to a manifest,
// so a resumed run and a later `earshot eval` see exactly the same, non-overlapping sets.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "host/data/dataset.hpp"

namespace earshot::data {

enum class Split { train, val, test };
const char* split_name(Split s);

struct SplitRule {
    bool by_fold = true;  // ESC-50 folds; otherwise stratified ratios
    std::vector<int> train_folds{1, 2, 3}, val_folds{4}, test_folds{5};
    double train_fraction = 0.7, val_fraction = 0.15;  // test gets the rest
    uint64_t seed = 0;
    std::string text() const;  // "folds:1,2,3/4/5" or "ratio:0.7/0.15/0.15"
};

// "folds:1,2,3/4/5" or "ratio:0.7/0.15/0.15"; "" picks folds for ESC-50 and ratios otherwise.
SplitRule parse_split_rule(const std::string& text, DatasetKind kind, uint64_t seed);

// One split per clip. By fold: every fold must be in exactly one set. By ratio: per class,
// shuffled with the seed, so every class is represented in each set when it has enough clips.
std::vector<Split> assign_splits(const Dataset& dataset, const SplitRule& rule);

struct Manifest {
    std::string dataset;  // the spec
    std::string rule;
    std::vector<std::string> classes;
    std::vector<std::string> files;  // relative paths
    std::vector<int> labels;
    std::vector<Split> splits;
};

Manifest make_manifest(const Dataset& dataset, const SplitRule& rule);
void write_manifest(const std::filesystem::path& path, const Manifest& m);
Manifest read_manifest(const std::filesystem::path& path);

// The clips of `dataset` in `split` according to `m` (matched by relative path); errors name
// files the manifest lists but the dataset no longer has.
std::vector<Clip> clips_in_split(const Dataset& dataset, const Manifest& m, Split split);

}  // namespace earshot::data
