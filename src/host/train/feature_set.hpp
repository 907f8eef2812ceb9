// Training examples in memory: q15 spectrogram magnitudes (int16, half the memory of float)
// with a class label each. Batches convert them to float features in STFT units
// (q15 / 32768 x 512), the units the model is trained and quantized in.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "host/train/tensor.hpp"

namespace earshot::train {

struct FeatureSet {
    std::vector<int> item_shape;   // e.g. 124 x 129 x 1
    std::vector<int16_t> q15;      // size() x item elements
    std::vector<int> labels;

    size_t size() const { return labels.size(); }
    size_t item_elements() const { return Tensor::element_count(item_shape); }
    std::span<const int16_t> item(size_t i) const { return {q15.data() + i * item_elements(), item_elements()}; }
    void append(std::span<const int16_t> features, int label);
};

Tensor make_batch(const FeatureSet& set, std::span<const size_t> indices);
std::vector<int> batch_labels(const FeatureSet& set, std::span<const size_t> indices);

}  // namespace earshot::train
