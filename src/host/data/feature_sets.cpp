#include "host/data/feature_sets.hpp"

#include "core/dsp/frame_constants.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"

namespace earshot::data {
namespace {

void append_bites(train::FeatureSet& set, const ClipFeatures& f, int label) {
    for (size_t b = 0; b < f.bites; ++b) set.append({f.q15.data() + b * set.item_elements(), set.item_elements()}, label);
}

}  // namespace

train::FeatureSet build_feature_set(std::span<const Clip> clips, const FrontEndSettings& settings, const ExtractOptions& options,
                                    std::vector<std::string>& skipped, size_t* cache_hits) {
    train::FeatureSet set;
    set.item_shape = {dsp::kFrames, dsp::kBins, 1};
    const Extraction ex = extract_features(clips, settings, options);
    if (cache_hits) *cache_hits += ex.cache_hits;
    for (size_t i = 0; i < clips.size(); ++i) {
        if (ex.ok[i]) append_bites(set, ex.clips[i], clips[i].label);
    }
    skipped.insert(skipped.end(), ex.failures.begin(), ex.failures.end());
    return set;
}

SplitFeatures build_split_features(const Dataset& dataset, const Manifest& manifest, const FrontEndSettings& settings,
                                   const ExtractOptions& options) {
    SplitFeatures out;
    // One extraction over all clips keeps every core busy; the split is applied afterwards.
    std::vector<Clip> all;
    std::vector<Split> split_of;
    for (Split s : {Split::train, Split::val, Split::test}) {
        for (auto& c : clips_in_split(dataset, manifest, s)) {
            all.push_back(std::move(c));
            split_of.push_back(s);
        }
    }
    out.clips = all.size();
    const Extraction ex = extract_features(all, settings, options);
    out.cache_hits = ex.cache_hits;
    out.skipped = ex.failures;
    for (auto* set : {&out.train, &out.val, &out.test}) set->item_shape = {dsp::kFrames, dsp::kBins, 1};
    for (size_t i = 0; i < all.size(); ++i) {
        if (!ex.ok[i]) continue;
        append_bites(split_of[i] == Split::train ? out.train : split_of[i] == Split::val ? out.val : out.test, ex.clips[i], all[i].label);
    }
    if (!all.empty() && out.skipped.size() == all.size()) {
        throw Error(dataset.root.string() + ": none of the " + std::to_string(all.size()) + " audio files could be read:" + io::item_list(out.skipped));
    }
    if (out.train.size() == 0) throw Error(dataset.root.string() + ": the training split has no soundbites (all silent or unreadable)");
    return out;
}

}  // namespace earshot::data
