#include "host/train/feature_set.hpp"

#include "host/dsp/float_stft.hpp"
#include "host/error.hpp"

namespace earshot::train {

void FeatureSet::append(std::span<const int16_t> features, int label) {
    if (features.size() != item_elements()) throw Error("feature set: item has " + std::to_string(features.size()) + " values, expected " + std::to_string(item_elements()));
    q15.insert(q15.end(), features.begin(), features.end());
    labels.push_back(label);
}

Tensor make_batch(const FeatureSet& set, std::span<const size_t> indices) {
    std::vector<int> shape{static_cast<int>(indices.size())};
    shape.insert(shape.end(), set.item_shape.begin(), set.item_shape.end());
    Tensor batch(shape);
    const size_t n = set.item_elements();
    for (size_t b = 0; b < indices.size(); ++b) {
        const auto item = set.item(indices[b]);
        float* out = batch.data() + b * n;
        for (size_t i = 0; i < n; ++i) out[i] = dsp::q15_magnitude_to_float(item[i]);
    }
    return batch;
}

std::vector<int> batch_labels(const FeatureSet& set, std::span<const size_t> indices) {
    std::vector<int> out(indices.size());
    for (size_t b = 0; b < indices.size(); ++b) out[b] = set.labels[indices[b]];
    return out;
}

}  // namespace earshot::train
