// A float32 tensor for training: a shape and row-major values. Batches are NHWC, like TFLite,
// so trained weights need no transposition on export.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace earshot::train {

struct Tensor {
    std::vector<int> shape;
    std::vector<float> values;

    Tensor() = default;
    explicit Tensor(std::vector<int> s, float fill = 0.0f) : shape(std::move(s)), values(element_count(shape), fill) {}

    static size_t element_count(const std::vector<int>& s) {
        size_t n = 1;
        for (int d : s) n *= static_cast<size_t>(d);
        return n;
    }
    size_t size() const { return values.size(); }
    float* data() { return values.data(); }
    const float* data() const { return values.data(); }
    int dim(size_t i) const { return shape[i]; }
    // Elements per batch item (everything after the first dimension).
    size_t item_size() const { return shape.empty() ? 0 : values.size() / static_cast<size_t>(shape[0]); }
};

std::string shape_string(const std::vector<int>& shape);

}  // namespace earshot::train
