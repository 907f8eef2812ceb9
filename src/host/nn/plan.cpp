#include "host/nn/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "host/error.hpp"
#include "host/model/summary.hpp"
#include "host/nn/conv_host.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::nn {
namespace {

using model::DType;
using model::Graph;
using model::OpKind;
using model::Tensor;

class Planner {
public:
    explicit Planner(const Graph& g) : g_(g) {}

    // Every error names the operator, including those of the parameter helpers it calls.
    PlannedOp plan(size_t index) {
        where_ = "operator " + std::to_string(index) + " (" + model::op_name(g_.ops[index].kind) + ")";
        try {
            return plan_operator(index);
        } catch (const Error& e) {
            const std::string what = e.what();
            if (what.rfind(where_, 0) == 0) throw;
            throw Error(where_ + " " + what);
        }
    }

private:
    PlannedOp plan_operator(size_t index) {
        const model::Operator& op = g_.ops[index];
        PlannedOp p;
        p.kind = op.kind;
        p.output = op.outputs.at(0);
        if (op.outputs.size() != 1) fail("has " + std::to_string(op.outputs.size()) + " outputs; earshot supports one");
        if (op.inputs.empty() || op.inputs[0] < 0) fail("has no input");
        p.input = op.inputs[0];
        if (op.kind == OpKind::add || op.kind == OpKind::mul) {
            plan_elementwise(op, p);
            return p;
        }
        if (plan_float_boundary(op, p)) return p;
        const Tensor& in = activation(p.input, "input");
        const Tensor& out = activation(p.output, "output");
        switch (op.kind) {
            case OpKind::conv_2d:
            case OpKind::depthwise_conv_2d: plan_conv(op, in, out, p); break;
            case OpKind::max_pool_2d:
            case OpKind::average_pool_2d: plan_pool(op, in, out, p); break;
            case OpKind::fully_connected: plan_fully_connected(op, in, out, p); break;
            case OpKind::reshape:
                same_quantization(in, out);
                if (model::element_count(in.shape) != model::element_count(out.shape)) fail("changes the element count");
                p.bytes = model::element_count(out.shape);
                break;
            case OpKind::resize_nearest_neighbor:
            case OpKind::resize_bilinear: plan_resize(op, in, out, p); break;
            case OpKind::logistic:
                p.logistic = logistic_params_int8(in.quant.scale[0], zp(in), out.quant.scale[0], zp(out));
                p.bytes = model::element_count(in.shape);
                if (p.bytes != model::element_count(out.shape)) fail("changes the element count");
                break;
            case OpKind::softmax: {
                if (in.shape.empty()) fail("needs at least one dimension");
                p.depth = in.shape.back();
                p.bytes = model::element_count(in.shape);
                if (p.depth == 0 || p.bytes != model::element_count(out.shape)) fail("changes the element count");
                p.batches = static_cast<int32_t>(p.bytes / p.depth);
                p.softmax = softmax_params_int8(op.options.beta, in.quant.scale[0], out.quant.scale[0], zp(out));
                break;
            }
            case OpKind::quantize:
                p.bytes = model::element_count(in.shape);
                if (p.bytes != model::element_count(out.shape)) fail("changes the element count");
                p.requantize = requantize_params_int8(in.quant.scale[0], zp(in), out.quant.scale[0], zp(out));
                break;
            default: fail("is not supported by the int8 planner yet");
        }
        return p;
    }

    [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + " " + what); }

    const Tensor& tensor(int32_t i) const { return g_.tensors.at(static_cast<size_t>(i)); }
    static int32_t zp(const Tensor& t) { return static_cast<int32_t>(t.quant.zero_point[0]); }

    const Tensor& activation(int32_t i, const char* role) const {
        const Tensor& t = tensor(i);
        if (t.type != DType::int8) fail(std::string(role) + " '" + t.name + "' is " + model::dtype_name(t.type) + "; earshot runs int8 models");
        if (t.quant.scale.size() != 1) fail(std::string(role) + " '" + t.name + "' needs one (per-tensor) quantization scale");
        if (!t.data.empty()) fail(std::string(role) + " '" + t.name + "' is a constant");
        return t;
    }

    Shape4 shape4(const Tensor& t) const {
        if (t.shape.size() != 4) fail("needs rank-4 NHWC tensors; '" + t.name + "' has rank " + std::to_string(t.shape.size()));
        return {t.shape[0], t.shape[1], t.shape[2], t.shape[3]};
    }

    void same_quantization(const Tensor& a, const Tensor& b) const {
        if (a.quant.scale[0] != b.quant.scale[0] || zp(a) != zp(b)) fail("must keep its input's quantization");
    }

    void expect_shape(const Shape4& got, const Tensor& declared) const {
        const Shape4 d = shape4(declared);
        if (got.n != d.n || got.h != d.h || got.w != d.w || got.c != d.c) {
            fail("computes an output of " + std::to_string(got.n) + "x" + std::to_string(got.h) + "x" + std::to_string(got.w) + "x" +
                 std::to_string(got.c) + " but the model declares " + std::to_string(d.n) + "x" + std::to_string(d.h) + "x" +
                 std::to_string(d.w) + "x" + std::to_string(d.c));
        }
    }

    const Tensor& weights(int32_t i) const {
        const Tensor& w = tensor(i);
        if (w.type != DType::int8 || w.data.empty()) fail("needs constant int8 weights ('" + w.name + "')");
        if (!w.quant.present()) fail("weights '" + w.name + "' are not quantized");
        for (auto z : w.quant.zero_point) if (z != 0) fail("weights '" + w.name + "' must be symmetric (zero point 0)");
        return w;
    }

    int32_t bias_of(const model::Operator& op, int32_t channels, PlannedOp& p) const {
        if (op.inputs.size() < 3 || op.inputs[2] < 0) return -1;
        const Tensor& b = tensor(op.inputs[2]);
        if (b.type != DType::int32 || b.data.empty()) fail("needs a constant int32 bias ('" + b.name + "')");
        if (model::element_count(b.shape) != channels) fail("bias '" + b.name + "' does not have one value per output channel");
        p.bias_values.resize(static_cast<size_t>(channels));
        std::memcpy(p.bias_values.data(), b.data.data(), b.data.size());  // little-endian, like the device
        return op.inputs[2];
    }

    void requantization(const Tensor& in, const Tensor& w, const Tensor& out, int32_t channels, bool product_in_float, PlannedOp& p) const {
        const size_t n = w.quant.scale.size() == 1 ? 1 : static_cast<size_t>(channels);
        if (w.quant.scale.size() != 1 && w.quant.scale.size() != static_cast<size_t>(channels)) fail("has per-channel scales that do not match its output channels");
        for (size_t c = 0; c < n; ++c) {
            // CONV forms in_scale * w_scale in double; FULLY_CONNECTED multiplies in float first (as TFLite does).
            const double input_product = product_in_float ? static_cast<double>(in.quant.scale[0] * w.quant.scale[c])
                                                          : static_cast<double>(in.quant.scale[0]) * static_cast<double>(w.quant.scale[c]);
            const double real = input_product / static_cast<double>(out.quant.scale[0]);
            // At 2^30 and above the fixed-point multiplier saturates (TFLite's kernels overflow
            // there too): no valid int8 model needs it, so refuse rather than run garbage.
            if (real >= 1073741824.0) {
                fail("has a requantization multiplier of " + scale_text(real) + " (input scale " + scale_text(in.quant.scale[0]) + " x weight scale " +
                     scale_text(w.quant.scale[c]) + " / output scale " + scale_text(out.quant.scale[0]) +
                     "), beyond the 2^30 that int8 kernels (TFLite's too) can represent");
            }
            const QuantizedMultiplier q = quantize_multiplier(real);
            p.multipliers.push_back(q.multiplier);
            p.shifts.push_back(q.shift);
        }
        p.input_offset = -zp(in);
        p.output_offset = zp(out);
    }

    void plan_conv(const model::Operator& op, const Tensor& in, const Tensor& out, PlannedOp& p) {
        if (op.inputs.size() < 2) fail("has no filter");
        const bool depthwise = op.kind == OpKind::depthwise_conv_2d;
        const Tensor& w = weights(op.inputs[1]);
        p.filter = op.inputs[1];
        p.in_shape = shape4(in);
        p.filter_shape = shape4(w);
        const model::OpOptions& o = op.options;
        const int32_t out_c = depthwise ? p.in_shape.c * o.depth_multiplier : p.filter_shape.n;
        if (depthwise ? (p.filter_shape.n != 1 || p.filter_shape.c != out_c) : p.filter_shape.c != p.in_shape.c) {
            fail("filter shape does not match its input channels");
        }
        const Padded ph = compute_padding(o.padding, p.in_shape.h, p.filter_shape.h, o.stride_h, o.dilation_h);
        const Padded pw = compute_padding(o.padding, p.in_shape.w, p.filter_shape.w, o.stride_w, o.dilation_w);
        p.conv = {o.stride_h, o.stride_w, o.dilation_h, o.dilation_w, ph.pad, pw.pad};
        p.depth_multiplier = o.depth_multiplier;
        p.out_shape = {p.in_shape.n, ph.out, pw.out, out_c};
        expect_shape(p.out_shape, out);
        p.bias = bias_of(op, out_c, p);
        requantization(in, w, out, out_c, false, p);
        const ActivationRange r = activation_range_int8(o.activation, out.quant.scale[0], zp(out));
        p.act_min = r.min;
        p.act_max = r.max;
    }

    void plan_pool(const model::Operator& op, const Tensor& in, const Tensor& out, PlannedOp& p) {
        same_quantization(in, out);
        p.in_shape = shape4(in);
        const model::OpOptions& o = op.options;
        const Padded ph = compute_padding(o.padding, p.in_shape.h, o.filter_h, o.stride_h, 1);
        const Padded pw = compute_padding(o.padding, p.in_shape.w, o.filter_w, o.stride_w, 1);
        const ActivationRange r = activation_range_int8(o.activation, out.quant.scale[0], zp(out));
        p.pool = {o.filter_h, o.filter_w, o.stride_h, o.stride_w, ph.pad, pw.pad, r.min, r.max};
        p.out_shape = {p.in_shape.n, ph.out, pw.out, p.in_shape.c};
        expect_shape(p.out_shape, out);
    }

    void plan_fully_connected(const model::Operator& op, const Tensor& in, const Tensor& out, PlannedOp& p) {
        if (op.inputs.size() < 2) fail("has no weights");
        const Tensor& w = weights(op.inputs[1]);
        if (w.shape.size() != 2) fail("weights must be [units, depth]");
        if (w.quant.scale.size() != 1) {
            fail("has per-channel weight scales; earshot's FULLY_CONNECTED kernel takes per-tensor weights only (TFLM runs both): "
                 "re-export with per-tensor dense weights");
        }
        p.filter = op.inputs[1];
        p.units = w.shape[0];
        p.depth = w.shape[1];
        const int64_t n = model::element_count(in.shape);
        if (p.depth == 0 || n % p.depth != 0) fail("input of " + std::to_string(n) + " values does not divide into rows of " + std::to_string(p.depth));
        p.batches = static_cast<int32_t>(n / p.depth);
        if (model::element_count(out.shape) != int64_t{p.batches} * p.units) fail("output size is not batches x units");
        p.bias = bias_of(op, p.units, p);
        requantization(in, w, out, 1, true, p);
        p.filter_offset = 0;
        const ActivationRange r = activation_range_int8(op.options.activation, out.quant.scale[0], zp(out));
        p.act_min = r.min;
        p.act_max = r.max;
    }

    // QUANTIZE from float32 and DEQUANTIZE to float32: host-only, with TFLite's formulas.
    bool plan_float_boundary(const model::Operator& op, PlannedOp& p) {
        const Tensor& in = tensor(p.input);
        const Tensor& out = tensor(p.output);
        const bool quantize_float = op.kind == OpKind::quantize && in.type == DType::float32;
        if (!quantize_float && op.kind != OpKind::dequantize) return false;
        const Tensor& q = quantize_float ? out : in;
        const Tensor& f = quantize_float ? in : out;
        if (f.type != DType::float32 || !f.data.empty()) fail("must convert between a float32 activation and an int8 one");
        operand(quantize_float ? p.output : p.input, quantize_float ? "output" : "input");
        if (!q.data.empty()) fail("has a constant quantized side");
        p.bytes = model::element_count(in.shape);
        if (p.bytes != model::element_count(out.shape)) fail("changes the element count");
        p.host_only = true;
        p.scale = q.quant.scale[0];
        p.zero_point = zp(q);
        return true;
    }

    // Rank <= 4 shapes, right-aligned into NHWC.
    Shape4 shape4_padded(const Tensor& t) const {
        if (t.shape.size() > 4) fail("supports tensors of rank 4 or less; '" + t.name + "' has rank " + std::to_string(t.shape.size()));
        int32_t d[4] = {1, 1, 1, 1};
        for (size_t i = 0; i < t.shape.size(); ++i) d[4 - t.shape.size() + i] = t.shape[i];
        return {d[0], d[1], d[2], d[3]};
    }

    // An int8 operand that may be constant (e.g. a learned offset added to activations).
    const Tensor& operand(int32_t i, const char* role) const {
        const Tensor& t = tensor(i);
        if (t.type != DType::int8 || t.quant.scale.size() != 1) fail(std::string(role) + " '" + t.name + "' must be int8 with one quantization scale");
        return t;
    }

    void plan_elementwise(const model::Operator& op, PlannedOp& p) {
        if (op.inputs.size() != 2 || op.inputs[1] < 0) fail("needs two inputs");
        p.input2 = op.inputs[1];
        const Tensor& a = operand(p.input, "input");
        const Tensor& b = operand(p.input2, "input");
        const Tensor& out = activation(p.output, "output");
        p.in_shape = shape4_padded(a);
        p.in2_shape = shape4_padded(b);
        p.out_shape = shape4_padded(out);
        const int32_t da[4] = {p.in_shape.n, p.in_shape.h, p.in_shape.w, p.in_shape.c};
        const int32_t db[4] = {p.in2_shape.n, p.in2_shape.h, p.in2_shape.w, p.in2_shape.c};
        const int32_t dout[4] = {p.out_shape.n, p.out_shape.h, p.out_shape.w, p.out_shape.c};
        for (int k = 0; k < 4; ++k) {
            if ((da[k] != 1 && db[k] != 1 && da[k] != db[k]) || dout[k] != std::max(da[k], db[k])) {
                fail("input shapes do not broadcast to the output shape");
            }
        }
        if (op.kind == OpKind::add) {
            p.add = add_params_int8(a.quant.scale[0], zp(a), b.quant.scale[0], zp(b), out.quant.scale[0], zp(out), op.options.activation);
        } else {
            p.mul = mul_params_int8(a.quant.scale[0], zp(a), b.quant.scale[0], zp(b), out.quant.scale[0], zp(out), op.options.activation);
        }
    }

    void plan_resize(const model::Operator& op, const Tensor& in, const Tensor& out, PlannedOp& p) {
        same_quantization(in, out);
        p.in_shape = shape4(in);
        p.out_shape = shape4(out);
        if (p.out_shape.n != p.in_shape.n || p.out_shape.c != p.in_shape.c) fail("may change only height and width");
        if (op.inputs.size() >= 2 && op.inputs[1] >= 0) {  // the size input, when constant, must agree
            const Tensor& size = tensor(op.inputs[1]);
            if (size.type == DType::int32 && size.data.size() == 8) {
                int32_t hw[2];
                std::memcpy(hw, size.data.data(), 8);
                if (hw[0] != p.out_shape.h || hw[1] != p.out_shape.w) fail("size input disagrees with the output shape");
            }
        }
        if (op.options.align_corners && op.options.half_pixel_centers) fail("sets both align_corners and half_pixel_centers");
        if (op.kind == OpKind::resize_bilinear) {
            p.height_scale_10 = bilinear_scale_10(p.in_shape.h, p.out_shape.h, op.options.align_corners);
            p.width_scale_10 = bilinear_scale_10(p.in_shape.w, p.out_shape.w, op.options.align_corners);
            p.half_pixel_centers = op.options.half_pixel_centers;
            return;
        }
        p.y_map = nearest_neighbor_map(p.in_shape.h, p.out_shape.h, op.options.align_corners, op.options.half_pixel_centers);
        p.x_map = nearest_neighbor_map(p.in_shape.w, p.out_shape.w, op.options.align_corners, op.options.half_pixel_centers);
    }

    const Graph& g_;
    std::string where_;
};

// Greedy static allocation: largest tensors first, each at the lowest 8-byte-aligned offset
// that does not overlap a placed tensor whose lifetime intersects its own.
void allocate_arena(Plan& plan) {
    const Graph& g = plan.graph;
    const auto life = model::tensor_lifetimes(g);
    const PlannedOp* first = plan.ops.empty() ? nullptr : &plan.ops.front();
    const bool input_last = first && first->kind == OpKind::resize_nearest_neighbor && first->input == plan.input && first->in_shape.n == 1 &&
                            first->in_shape.c == 1;
    std::vector<size_t> order;
    for (size_t t = 0; t < g.tensors.size(); ++t) {
        if (life[t].first >= 0 && !(input_last && static_cast<int32_t>(t) == plan.input)) order.push_back(t);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return model::tensor_bytes(g.tensors[a]) > model::tensor_bytes(g.tensors[b]); });
    plan.arena_offset.assign(g.tensors.size(), -1);
    std::vector<size_t> placed;
    for (size_t t : order) {
        const int64_t size = model::tensor_bytes(g.tensors[t]);
        std::vector<std::pair<int64_t, int64_t>> busy;
        for (size_t u : placed) {
            if (life[u].first <= life[t].last && life[t].first <= life[u].last) busy.emplace_back(plan.arena_offset[u], plan.arena_offset[u] + model::tensor_bytes(g.tensors[u]));
        }
        std::sort(busy.begin(), busy.end());
        int64_t offset = 0;
        for (const auto& [lo, hi] : busy) {
            if (offset + size <= lo) break;
            offset = std::max(offset, (hi + 7) / 8 * 8);
        }
        plan.arena_offset[t] = offset;
        plan.arena_bytes = std::max(plan.arena_bytes, offset + size);
        placed.push_back(t);
    }
    plan.prepared_arena_bytes = plan.arena_bytes;
    if (input_last) {  // beyond everything: the device path (prepare() + run_prepared()) never touches it
        const auto input = static_cast<size_t>(plan.input);
        plan.arena_offset[input] = (plan.arena_bytes + 7) / 8 * 8;
        plan.arena_bytes = plan.arena_offset[input] + model::tensor_bytes(g.tensors[input]);
    }
}

}  // namespace

Plan build_plan(model::Graph graph) {
    Plan plan;
    plan.graph = std::move(graph);
    const Graph& g = plan.graph;
    if (g.inputs.size() != 1 || g.outputs.size() != 1) throw Error("earshot runs models with one input and one output");
    Planner planner(g);
    for (size_t i = 0; i < g.ops.size(); ++i) plan.ops.push_back(planner.plan(i));
    plan.input = g.inputs[0];
    plan.output = g.outputs[0];
    allocate_arena(plan);
    return plan;
}

Interpreter::Interpreter(const Plan& plan) : plan_(plan), arena_(static_cast<size_t>(plan.arena_bytes), 0) {}

int8_t* Interpreter::input() { return arena_.data() + plan_.arena_offset[static_cast<size_t>(plan_.input)]; }
const int8_t* Interpreter::output() const { return tensor(plan_.output); }
const int8_t* Interpreter::tensor(int32_t index) const { return arena_.data() + plan_.arena_offset.at(static_cast<size_t>(index)); }
int64_t Interpreter::input_size() const { return model::tensor_bytes(plan_.graph.tensors[static_cast<size_t>(plan_.input)]); }
int64_t Interpreter::output_size() const { return model::tensor_bytes(plan_.graph.tensors[static_cast<size_t>(plan_.output)]); }

int8_t* Interpreter::tensor(int32_t index) { return arena_.data() + plan_.arena_offset.at(static_cast<size_t>(index)); }

void Interpreter::invoke() { invoke_from(0); }

void Interpreter::invoke_from(size_t first_op) {
    for (size_t i = first_op; i < plan_.ops.size(); ++i) invoke_op(i);
}

const int8_t* Interpreter::operand(int32_t t) const {
    const model::Tensor& tensor = plan_.graph.tensors[static_cast<size_t>(t)];
    return tensor.data.empty() ? this->tensor(t) : reinterpret_cast<const int8_t*>(tensor.data.data());
}

void Interpreter::invoke_op(size_t index) {
    const auto& tensors = plan_.graph.tensors;
    auto data8 = [&](int32_t t) { return reinterpret_cast<const int8_t*>(tensors[static_cast<size_t>(t)].data.data()); };
    const PlannedOp& op = plan_.ops.at(index);
    const int8_t* in = operand(op.input);
    int8_t* out = arena_.data() + plan_.arena_offset[static_cast<size_t>(op.output)];
    const Requantize rq{op.multipliers.data(), op.shifts.data(), op.multipliers.size() > 1, op.output_offset, op.act_min, op.act_max};
    const int32_t* bias = op.bias_values.empty() ? nullptr : op.bias_values.data();
    switch (op.kind) {
        case OpKind::conv_2d:
            // The vectorized host twin of core's conv2d_int8 (same outputs, tested on random shapes).
            conv2d_int8_host(op.conv, op.input_offset, rq, op.in_shape, in, op.filter_shape, data8(op.filter), bias, op.out_shape, out);
            break;
        case OpKind::depthwise_conv_2d:
            depthwise_conv2d_int8(op.conv, op.depth_multiplier, op.input_offset, rq, op.in_shape, in, op.filter_shape, data8(op.filter),
                                  bias, op.out_shape, out);
            break;
        case OpKind::max_pool_2d: max_pool_int8(op.pool, op.in_shape, in, op.out_shape, out); break;
        case OpKind::average_pool_2d: average_pool_int8(op.pool, op.in_shape, in, op.out_shape, out); break;
        case OpKind::fully_connected:
            fully_connected_int8(op.input_offset, op.filter_offset, rq, op.batches, op.depth, op.units, in, data8(op.filter), bias, out);
            break;
        case OpKind::reshape: std::memmove(out, in, static_cast<size_t>(op.bytes)); break;
        case OpKind::resize_nearest_neighbor: resize_nearest_int8(op.in_shape, in, op.out_shape, op.y_map.data(), op.x_map.data(), out); break;
        case OpKind::resize_bilinear:
            resize_bilinear_int8(op.in_shape, in, op.out_shape, op.height_scale_10, op.width_scale_10, op.half_pixel_centers, out);
            break;
        case OpKind::dequantize:
            for (int64_t i = 0; i < op.bytes; ++i) {
                const float f = op.scale * static_cast<float>(int32_t{in[i]} - op.zero_point);
                std::memcpy(out + 4 * i, &f, sizeof f);
            }
            break;
        case OpKind::logistic: logistic_int8(op.logistic, static_cast<int32_t>(op.bytes), in, out); break;
        case OpKind::softmax: softmax_int8(op.softmax, op.batches, op.depth, in, out); break;
        case OpKind::quantize:
            if (op.host_only) {  // float32 -> int8 as TFLite's AffineQuantize: round(x / scale) + zero point
                for (int64_t i = 0; i < op.bytes; ++i) {
                    float f;
                    std::memcpy(&f, in + 4 * i, sizeof f);
                    const int32_t v = static_cast<int32_t>(std::round(f / op.scale)) + op.zero_point;
                    out[i] = static_cast<int8_t>(std::clamp(v, -128, 127));
                }
            } else {
                requantize_int8(op.requantize, static_cast<int32_t>(op.bytes), in, out);
            }
            break;
        case OpKind::add: add_int8(op.add, op.in_shape, in, op.in2_shape, operand(op.input2), op.out_shape, out); break;
        case OpKind::mul: mul_int8(op.mul, op.in_shape, in, op.in2_shape, operand(op.input2), op.out_shape, out); break;
        default: throw Error(std::string("no kernel for ") + model::op_name(op.kind));
    }
}

}  // namespace earshot::nn
