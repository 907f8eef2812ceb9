// Running a converted int8 model on training features exactly as the device will: q15
// magnitudes -> int8 input (core's input quantizer) -> the planned kernels -> int8 output.
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/input_quantizer.hpp"
#include "host/nn/plan.hpp"
#include "host/quant/convert.hpp"
#include "host/train/feature_set.hpp"

namespace earshot::quant {

struct Int8Model {
    nn::Plan plan;
    nn::InputQuantizer input;
    float output_scale = 0.0f;
    int32_t output_zero_point = 0;
};

Int8Model prepare_int8(model::Graph graph);

struct Int8Result {
    std::vector<int8_t> outputs;       // items x outputs, raw
    std::vector<float> probabilities;  // dequantized
    std::vector<int> predictions;      // argmax, or p > 0.5 for one sigmoid output
    size_t outputs_per_item = 0;
};

Int8Result run_int8(const Int8Model& model, const train::FeatureSet& set);

// QAT: put the network's input and conv/dense outputs on the grids the conversion will use.
void enable_fake_quant(train::Network& net, const Calibration& calibration);

}  // namespace earshot::quant
