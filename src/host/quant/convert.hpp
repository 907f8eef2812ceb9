// Float network -> int8 TFLite graph (post-training quantization), the way TensorFlow Lite's
// converter does it: per-channel symmetric conv weights, per-tensor symmetric dense weights
// (what TFLite's int8 FULLY_CONNECTED kernels take), int32 biases at input x weight scale,
// per-tensor asymmetric int8 activations from ranges seen on a representative set, int8 input
// and output, normalization folded into the next conv/dense, dropout dropped.
#pragma once
#include <string>
#include <vector>

#include "host/model/graph.hpp"
#include "host/train/feature_set.hpp"
#include "host/train/network.hpp"

namespace earshot::quant {

struct Range {
    float min = 0.0f, max = 0.0f;
};

struct Calibration {
    Range input;
    std::vector<Range> layer_outputs;  // one per network layer (unused for some)
    size_t samples = 0;
};

// Runs up to `max_samples` items of `representative` through the float network (inference
// mode) and records the range of the input and of every layer output.
Calibration calibrate(train::Network& net, const train::FeatureSet& representative, size_t max_samples = 200);

// Asymmetric int8 parameters covering [min(r.min, 0), max(r.max, 0)] (zero exactly representable).
model::Quantization activation_quantization(Range r);

// The int8 graph; throws earshot::Error for layers that cannot be converted (a normalization
// that cannot be folded, SAME-padded conv after normalization).
model::Graph to_int8_graph(train::Network& net, const Calibration& calibration, const std::string& description);

}  // namespace earshot::quant
