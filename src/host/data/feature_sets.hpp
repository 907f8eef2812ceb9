// From a dataset and its manifest to in-memory training, validation and test sets: every
// soundbite of a clip goes to the clip's split, so no clip contributes to two sets.
#pragma once
#include <string>
#include <vector>

#include "host/data/features.hpp"
#include "host/data/splits.hpp"
#include "host/train/feature_set.hpp"

namespace earshot::data {

struct SplitFeatures {
    train::FeatureSet train, val, test;
    std::vector<std::string> skipped;  // clips that could not be decoded: "file: reason"
    size_t clips = 0, cache_hits = 0;
};

// The sets a training run uses. Undecodable clips are skipped and listed; if none decodes
// the error lists them all.
SplitFeatures build_split_features(const Dataset& dataset, const Manifest& manifest, const FrontEndSettings& settings,
                                   const ExtractOptions& options);

// Features of the given clips (one label each) as one set.
train::FeatureSet build_feature_set(std::span<const Clip> clips, const FrontEndSettings& settings, const ExtractOptions& options,
                                    std::vector<std::string>& skipped, size_t* cache_hits = nullptr);

}  // namespace earshot::data
