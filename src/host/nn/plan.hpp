// A model compiled for execution: every operator checked against what the int8 kernels
// support, its parameters precomputed (TFLite's formulas), and every activation given a fixed
// offset in one tensor arena (buffers reused once their values are dead). The host
// interpreter runs a Plan with the core kernels; the ahead-of-time compiler will print it.
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/elementwise.hpp"
#include "core/nn/kernels.hpp"
#include "core/nn/logistic.hpp"
#include "core/nn/softmax.hpp"
#include "host/model/graph.hpp"

namespace earshot::nn {

struct PlannedOp {
    model::OpKind kind = model::OpKind::conv_2d;
    int32_t input = -1, filter = -1, bias = -1, output = -1;  // tensor indices (-1: none)
    int32_t input2 = -1;                                       // ADD/MUL second operand (may be constant)
    Shape4 in_shape, filter_shape, out_shape, in2_shape;
    ConvGeometry conv;
    int32_t depth_multiplier = 1;
    PoolGeometry pool;
    int32_t input_offset = 0, filter_offset = 0, output_offset = 0;
    int32_t act_min = -128, act_max = 127;
    std::vector<int32_t> multipliers, shifts;  // per output channel, or one
    std::vector<int32_t> bias_values;          // the bias tensor's values (empty: no bias)
    std::vector<int32_t> y_map, x_map;         // nearest-neighbour resize
    int32_t height_scale_10 = 0, width_scale_10 = 0;  // bilinear resize
    bool half_pixel_centers = false;
    LogisticParams logistic;
    SoftmaxParams softmax;                     // rows = batches, depth = depth
    RequantizeParams requantize;
    AddParams add;
    MulParams mul;
    int32_t batches = 1, depth = 0, units = 0; // fully connected
    int64_t bytes = 0;                         // reshape: bytes copied; element counts elsewhere
    // Float boundary ops (QUANTIZE from float32, DEQUANTIZE to float32) run on the host only:
    // the device keeps int8 inputs and outputs and never touches float.
    bool host_only = false;
    float scale = 0.0f;
    int32_t zero_point = 0;
};

struct Plan {
    model::Graph graph;
    std::vector<PlannedOp> ops;
    std::vector<int64_t> arena_offset;  // per tensor; -1 for constants and unused tensors
    int64_t arena_bytes = 0;
    // When the first operator is a one-channel nearest resize of the input (folded into the
    // compiled prepare()), the input is placed after everything else, so a device path that
    // never writes the full input needs only this many bytes; otherwise arena_bytes.
    int64_t prepared_arena_bytes = 0;
    int32_t input = -1, output = -1;    // the single input and output tensor
};

// Throws earshot::Error naming the operator and the problem for anything unsupported.
Plan build_plan(model::Graph graph);

// Runs the plan on the host with the same kernels the device uses.
class Interpreter {
public:
    explicit Interpreter(const Plan& plan);
    int8_t* input();
    const int8_t* output() const;
    int64_t input_size() const;
    int64_t output_size() const;
    void invoke();
    void invoke_from(size_t first_op);  // the operators from `first_op` on (their inputs already written)
    void invoke_op(size_t index);  // one step of invoke(), for inspecting intermediate tensors
    // Any activation tensor's current contents (for tests and debugging).
    const int8_t* tensor(int32_t index) const;
    int8_t* tensor(int32_t index);

private:
    const int8_t* operand(int32_t tensor) const;  // constant data or arena

    const Plan& plan_;
    std::vector<int8_t> arena_;
};

}  // namespace earshot::nn
