#include "host/nn/aot_compiler.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

#include "host/error.hpp"
#include "host/model/cpp_identifier.hpp"
#include "host/io/atomic_file.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/summary.hpp"
#include "host/nn/conv1ch_packing.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::nn {
namespace {

// A C++ float literal: "%.9g" prints whole numbers without a point ("1"), and "1f" is no literal.
std::string float_literal(float f) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
    std::string s = buf;
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s + "f";
}

template <typename T>
std::string int_list(const std::vector<T>& v) {
    std::ostringstream s;
    for (size_t i = 0; i < v.size(); ++i) s << (i ? (i % 16 == 0 ? ",\n    " : ", ") : "") << static_cast<int64_t>(v[i]);
    return s.str();
}

// A C string literal for any text (labels come from a file): printable ASCII as is, the rest
// as three-digit octal escapes, which cannot run into a following character.
std::string c_string_literal(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7f && c != '?') {  // '?' too: no trigraphs
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            out += buf;
        }
    }
    return out + "\"";
}

// Which front end the device runs for this model, as constants the firmware selects on.
std::string features_block(const model::FeatureSettings& f) {
    std::ostringstream h;
    const bool bands = f.kind == model::FeatureKind::log_bands;
    h << "// The front end: " << (bands ? "log band energies (core/dsp/log_bands.hpp)" : "the tutorial's 124x129 q15 spectrogram") << ".\n"
      << "inline constexpr bool kLogBandFeatures = " << (bands ? "true" : "false") << ";\n";
    if (bands) {
        std::vector<int32_t> edges(f.band_edges.begin(), f.band_edges.end());
        h << "inline constexpr uint8_t kBandEdges[" << edges.size() << "] = {" << int_list(edges) << "};\n"
          << "inline constexpr earshot::dsp::LogBandLayout kLogBandLayout{kBandEdges, " << f.bands() << ", " << f.columns << ", "
          << (f.remove_mean ? "true" : "false") << "};\n";
    } else {
        h << "inline constexpr earshot::dsp::LogBandLayout kLogBandLayout{};  // unused\n";
    }
    return h.str();
}

std::string shape_literal(const Shape4& s) {
    return "{" + std::to_string(s.n) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " + std::to_string(s.c) + "}";
}

std::string arena_at(const Plan& p, int32_t tensor) { return "arena + " + std::to_string(p.arena_offset[static_cast<size_t>(tensor)]); }

class Emitter {
public:
    Emitter(const Plan& p) : p_(p) {}

    // Constant tensors referenced by the operators, once each.
    std::string constant(int32_t t, bool as_int32) {
        const std::string id = "k_tensor_" + std::to_string(t);
        if (emitted_.insert(t).second) {
            const model::Tensor& tensor = p_.graph.tensors[static_cast<size_t>(t)];
            constants_ << "// '" << tensor.name << "'\n";
            if (as_int32) {
                std::vector<int32_t> v(tensor.data.size() / 4);
                std::memcpy(v.data(), tensor.data.data(), v.size() * 4);  // .tflite data is little-endian, as are host and device
                constants_ << "alignas(8) const int32_t " << id << "[" << v.size() << "] = {\n    " << int_list(v) << "};\n\n";
            } else {
                std::vector<int8_t> v(tensor.data.begin(), tensor.data.end());
                constants_ << "alignas(8) const int8_t " << id << "[" << v.size() << "] = {\n    " << int_list(v) << "};\n\n";
            }
        }
        return id;
    }

    std::string requantize(const PlannedOp& op, size_t i) {
        const std::string m = "k_op" + std::to_string(i) + "_multiplier", s = "k_op" + std::to_string(i) + "_shift";
        constants_ << "const int32_t " << m << "[" << op.multipliers.size() << "] = {" << int_list(op.multipliers) << "};\n";
        constants_ << "const int32_t " << s << "[" << op.shifts.size() << "] = {" << int_list(op.shifts) << "};\n\n";
        return "const nn::Requantize rq{" + m + ", " + s + ", " + (op.multipliers.size() > 1 ? "true" : "false") + ", " +
               std::to_string(op.output_offset) + ", " + std::to_string(op.act_min) + ", " + std::to_string(op.act_max) + "};";
    }

    // Where an operand lives in the generated code: its const array, or the arena.
    std::string operand(int32_t t) {
        return p_.graph.tensors[static_cast<size_t>(t)].data.empty() ? arena_at(p_, t) : constant(t, false);
    }

    std::string conv_geometry(const PlannedOp& op) {
        return "{" + std::to_string(op.conv.stride_h) + ", " + std::to_string(op.conv.stride_w) + ", " + std::to_string(op.conv.dilation_h) +
               ", " + std::to_string(op.conv.dilation_w) + ", " + std::to_string(op.conv.pad_h) + ", " + std::to_string(op.conv.pad_w) + "}";
    }

    std::string pool_geometry(const PlannedOp& op) {
        return "const nn::PoolGeometry pg{" + std::to_string(op.pool.filter_h) + ", " + std::to_string(op.pool.filter_w) + ", " +
               std::to_string(op.pool.stride_h) + ", " + std::to_string(op.pool.stride_w) + ", " + std::to_string(op.pool.pad_h) + ", " +
               std::to_string(op.pool.pad_w) + ", " + std::to_string(op.pool.act_min) + ", " + std::to_string(op.pool.act_max) + "};";
    }

    // The single-input-channel fast path (core/nn/conv1ch.hpp), with the max pool that follows
    // it when `pool` is given.
    std::string conv1ch(const PlannedOp& op, size_t i, const PlannedOp* pool) {
        const Conv1chPacking packed = pack_conv1ch(p_, op);
        const std::string taps = "k_op" + std::to_string(i) + "_taps", bias = "k_op" + std::to_string(i) + "_bias";
        constants_ << "// 'conv " << i << "' weights for the single-channel fast path: [group][half][tap][4 channels]\n"
                   << "alignas(8) const int32_t " << taps << "[" << packed.taps.size() << "] = {\n    " << int_list(packed.taps) << "};\n"
                   << "const int32_t " << bias << "[" << packed.bias.size() << "] = {" << int_list(packed.bias) << "};\n\n";
        // Its input's sign bits may stay flipped when nothing reads it afterwards.
        const std::string use = conv1ch_input_is_dead_after(p_, i) ? ", nn::Conv1chInput::consume" : "";
        std::ostringstream c;
        c << "    {  // " << i << ": CONV_2D" << (pool ? " + " + std::to_string(i + 1) + ": MAX_POOL_2D, fused" : std::string()) << "\n";
        c << "        " << requantize(op, i) << "\n";
        c << "        const nn::Conv1chWeights w{" << taps << ", " << bias << ", " << packed.filter_h << ", " << packed.groups << "};\n";
        if (pool) {
            // The planner may have given the pool's output the conv input's bytes (dead after the
            // conv): then the fused kernel writes to a scratch on the stack, copied after.
            const bool scratch = conv1ch_pool_output_overlaps_input(p_, i);
            const int64_t pooled = static_cast<int64_t>(pool->out_shape.n) * pool->out_shape.h * pool->out_shape.w * pool->out_shape.c;
            c << "        " << pool_geometry(*pool) << "\n";
            if (scratch) c << "        alignas(4) int8_t pooled[" << pooled << "];\n";
            c << "        nn::conv2d_1ch_max_pool_int8(" << conv_geometry(op) << ", rq, " << shape_literal(op.in_shape) << ", " << arena_at(p_, op.input)
              << ", w, pg, " << shape_literal(pool->out_shape) << ", " << (scratch ? std::string("pooled") : arena_at(p_, pool->output)) << use << ");\n";
            if (scratch) c << "        std::memcpy(" << arena_at(p_, pool->output) << ", pooled, " << pooled << ");\n";
        } else {
            c << "        nn::conv2d_1ch_int8(" << conv_geometry(op) << ", rq, " << shape_literal(op.in_shape) << ", " << arena_at(p_, op.input) << ", w, "
              << shape_literal(op.out_shape) << ", " << arena_at(p_, op.output) << use << ");\n";
        }
        c << "    }\n";
        return c.str();
    }

    std::string call(const PlannedOp& op, size_t i) {
        if (op.kind == model::OpKind::conv_2d && conv1ch_applies(p_, op)) return conv1ch(op, i, nullptr);
        const std::string in = operand(op.input), out = arena_at(p_, op.output);
        const std::string bias = op.bias < 0 ? "nullptr" : constant(op.bias, true);
        std::ostringstream c;
        c << "    {  // " << i << ": " << model::op_name(op.kind) << "\n";
        switch (op.kind) {
            case model::OpKind::conv_2d:
            case model::OpKind::depthwise_conv_2d: {
                c << "        " << requantize(op, i) << "\n";
                const std::string g = conv_geometry(op);
                if (op.kind == model::OpKind::conv_2d) c << "        nn::conv2d_int8(" << g << ", ";
                else c << "        nn::depthwise_conv2d_int8(" << g << ", " << op.depth_multiplier << ", ";
                c << op.input_offset << ", rq, " << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.filter_shape) << ", "
                  << constant(op.filter, false) << ", " << bias << ", " << shape_literal(op.out_shape) << ", " << out << ");\n";
                break;
            }
            case model::OpKind::max_pool_2d:
            case model::OpKind::average_pool_2d:
                c << "        " << pool_geometry(op) << "\n";
                c << "        nn::" << (op.kind == model::OpKind::max_pool_2d ? "max_pool_int8" : "average_pool_int8") << "(pg, "
                  << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.out_shape) << ", " << out << ");\n";
                break;
            case model::OpKind::fully_connected:
                c << "        " << requantize(op, i) << "\n";
                c << "        nn::fully_connected_int8(" << op.input_offset << ", " << op.filter_offset << ", rq, " << op.batches << ", "
                  << op.depth << ", " << op.units << ", " << in << ", " << constant(op.filter, false) << ", " << bias << ", " << out << ");\n";
                break;
            case model::OpKind::reshape:
                c << "        std::memmove(" << out << ", " << in << ", " << op.bytes << ");\n";
                break;
            case model::OpKind::resize_nearest_neighbor:
                constants_ << "const int32_t k_op" << i << "_rows[" << op.y_map.size() << "] = {" << int_list(op.y_map) << "};\n";
                constants_ << "const int32_t k_op" << i << "_cols[" << op.x_map.size() << "] = {" << int_list(op.x_map) << "};\n\n";
                c << "        nn::resize_nearest_int8(" << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.out_shape)
                  << ", k_op" << i << "_rows, k_op" << i << "_cols, " << out << ");\n";
                break;
            case model::OpKind::resize_bilinear:
                c << "        nn::resize_bilinear_int8(" << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.out_shape) << ", "
                  << op.height_scale_10 << ", " << op.width_scale_10 << ", " << (op.half_pixel_centers ? "true" : "false") << ", " << out << ");\n";
                break;
            case model::OpKind::logistic:
                c << "        const nn::LogisticParams lp{" << op.logistic.input_zero_point << ", " << op.logistic.input_range_radius << ", "
                  << op.logistic.input_multiplier << ", " << op.logistic.input_left_shift << "};\n";
                c << "        nn::logistic_int8(lp, " << op.bytes << ", " << in << ", " << out << ");\n";
                break;
            case model::OpKind::softmax:
                c << "        const nn::SoftmaxParams sp{" << op.softmax.input_multiplier << ", " << op.softmax.input_left_shift << ", "
                  << op.softmax.diff_min << "};\n";
                c << "        nn::softmax_int8(sp, " << op.batches << ", " << op.depth << ", " << in << ", " << out << ");\n";
                break;
            case model::OpKind::quantize:
                c << "        const nn::RequantizeParams qp{" << op.requantize.input_zero_point << ", " << op.requantize.output_zero_point << ", "
                  << op.requantize.multiplier << ", " << op.requantize.shift << "};\n";
                c << "        nn::requantize_int8(qp, " << op.bytes << ", " << in << ", " << out << ");\n";
                break;
            case model::OpKind::add: {
                const AddParams& a = op.add;
                c << "        const nn::AddParams ap{" << a.input1_offset << ", " << a.input2_offset << ", " << a.output_offset << ", " << a.left_shift
                  << ", " << a.input1_multiplier << ", " << a.input1_shift << ", " << a.input2_multiplier << ", " << a.input2_shift << ", "
                  << a.output_multiplier << ", " << a.output_shift << ", " << a.act_min << ", " << a.act_max << "};\n";
                c << "        nn::add_int8(ap, " << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.in2_shape) << ", "
                  << operand(op.input2) << ", " << shape_literal(op.out_shape) << ", " << out << ");\n";
                break;
            }
            case model::OpKind::mul: {
                const MulParams& m = op.mul;
                c << "        const nn::MulParams mp{" << m.input1_offset << ", " << m.input2_offset << ", " << m.output_offset << ", "
                  << m.output_multiplier << ", " << m.output_shift << ", " << m.act_min << ", " << m.act_max << "};\n";
                c << "        nn::mul_int8(mp, " << shape_literal(op.in_shape) << ", " << in << ", " << shape_literal(op.in2_shape) << ", "
                  << operand(op.input2) << ", " << shape_literal(op.out_shape) << ", " << out << ");\n";
                break;
            }
            default: throw Error(std::string("the compiler has no emitter for ") + model::op_name(op.kind));
        }
        c << "    }\n";
        return c.str();
    }

    std::string constants() const { return constants_.str(); }

private:
    const Plan& p_;
    std::ostringstream constants_;
    std::set<int32_t> emitted_;
};

}  // namespace

CompiledSource compile_plan(const Plan& plan, const std::string& name, const std::string& origin) {
    model::check_cpp_identifier(name, "model name (--name)");
    for (size_t i = 0; i < plan.ops.size(); ++i) {
        if (plan.ops[i].host_only) {
            throw Error("operator " + std::to_string(i) + " (" + model::op_name(plan.ops[i].kind) +
                        ") converts to or from float32, which the device does not do; export the model with int8 input and output");
        }
    }
    const model::Tensor& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    const model::Tensor& out = plan.graph.tensors[static_cast<size_t>(plan.output)];
    const InputQuantizer iq = input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]));
    const model::MemoryEstimate mem = model::estimate_memory(plan.graph);
    const model::DetectorSettings detector = model::detector_settings(plan.graph, origin);
    std::string labels;
    for (const std::string& l : detector.labels) labels += (labels.empty() ? "" : ", ") + c_string_literal(l);

    // A leading one-channel nearest-neighbour resize of the input can be folded into prepare(),
    // and a device loop can keep only the input columns (spectrogram bins) it reads.
    const PlannedOp& first = plan.ops.front();
    const bool samples_input = first.kind == model::OpKind::resize_nearest_neighbor && first.input == plan.input && first.in_shape.n == 1;
    const bool fold_resize = samples_input && first.in_shape.c == 1;
    std::string bin_ring;
    if (fold_resize) {
        bin_ring = "// The model reads only these columns (spectrogram bins) of its input, through its leading\n"
                   "// nearest-neighbour resize: a device loop can keep just them, already quantized\n"
                   "// (dsp::QuantizedBinStream), and prepare_from_bins() copies the rows the resize reads.\n"
                   "inline constexpr bool kBinRing = true;\ninline constexpr int32_t kBinRingBinCount = " + std::to_string(first.x_map.size()) +
                   ";\ninline constexpr int32_t kBinRingBins[" + std::to_string(first.x_map.size()) + "] = {" + int_list(first.x_map) + "};\n"
                   "// frames: kFrames x kBinRingBinCount int8 (QuantizedBinStream::frames()); the same arena as prepare().\n"
                   "void prepare_from_bins(const int8_t* frames, int8_t* arena);\n\n";
    } else {
        bin_ring = "inline constexpr bool kBinRing = false;  // no leading one-channel resize: prepare() reads every value\n"
                   "inline constexpr int32_t kBinRingBinCount = 1;\ninline constexpr int32_t kBinRingBins[1] = {0};\n"
                   "inline void prepare_from_bins(const int8_t*, int8_t*) {}\n\n";
    }

    CompiledSource src;
    std::ostringstream h;
    h << "// Generated by `earshot compile` from " << origin << ". Do not edit.\n"
      << "#pragma once\n#include <cstdint>\n\n#include \"core/detect/decision.hpp\"\n#include \"core/dsp/log_bands.hpp\"\n#include \"core/nn/input_quantizer.hpp\"\n\nnamespace " << name << " {\n\n"
      << "inline constexpr int32_t kArenaBytes = " << plan.arena_bytes << ";  // activations, buffers reused\n"
      << "// What prepare() + run_prepared() use: the start of the arena (the full input, which only\n"
      << "// quantize_input() + invoke() write, lies beyond when a leading resize is folded).\n"
      << "inline constexpr int32_t kPreparedArenaBytes = " << plan.prepared_arena_bytes << ";\n"
      << "inline constexpr int32_t kWeightBytes = " << mem.weight_bytes << ";\n"
      << "inline constexpr int32_t kInputOffset = " << plan.arena_offset[static_cast<size_t>(plan.input)] << ";\n"
      << "inline constexpr int32_t kInputBytes = " << model::tensor_bytes(in) << ";\n"
      << "inline constexpr int32_t kOutputOffset = " << plan.arena_offset[static_cast<size_t>(plan.output)] << ";\n"
      << "inline constexpr int32_t kOutputBytes = " << model::tensor_bytes(out) << ";\n"
      << "inline constexpr float kInputScale = " << float_literal(in.quant.scale[0]) << ";\n"
      << "inline constexpr int32_t kInputZeroPoint = " << in.quant.zero_point[0] << ";\n"
      << "inline constexpr float kOutputScale = " << float_literal(out.quant.scale[0]) << ";\n"
      << "inline constexpr int32_t kOutputZeroPoint = " << out.quant.zero_point[0] << ";\n"
      << "// The decision rule (" << (detector.from_metadata ? "the model's earshot.detector metadata" : "defaults: the model has no earshot.detector metadata")
      << "): alarm on when k of the last n blocks score q > threshold_q, off after release_blocks without one.\n"
      << "inline constexpr earshot::detect::DecisionParams kDecision{" << detector.decision.threshold_q << ", " << detector.decision.k << ", "
      << detector.decision.n << ", " << detector.decision.release_blocks << "};\n"
      << "inline constexpr int32_t kScoreOutput = " << detector.score_output << ";  // the output element that is the alarm score\n"
      << "inline constexpr const char* kLabels[" << detector.labels.size() << "] = {" << labels << "};\n"
      << features_block(detector.features)
      << "// q15 spectrogram magnitudes (or log band features) -> this model's int8 input.\n"
      << "inline constexpr earshot::nn::InputQuantizer kInputQuantizer{" << iq.multiplier << ", " << iq.shift << ", " << iq.zero_point << "};\n\n"
      << bin_ring
      << "// q15 magnitudes (kInputBytes of them) -> the int8 input in `arena`. When the model starts by\n"
      << "// sampling its input (a nearest-neighbour resize), only the values it reads are quantized.\n"
      << "void quantize_input(const int16_t* magnitudes, int8_t* arena);\n\n"
      << "// Runs the model. `arena` is kArenaBytes, 8-byte aligned; the input is at kInputOffset,\n"
      << "// the output at kOutputOffset afterwards.\nvoid invoke(int8_t* arena);\n\n"
      << "// The device loop's pair, the same output as quantize_input() + invoke(): prepare() writes what\n"
      << "// the model's first computation reads (when the model starts with a nearest-neighbour resize\n"
      << "// of one channel, that resize's output, quantized straight from the sampled magnitudes), and\n"
      << "// run_prepared() runs the rest (it may consume what prepare() wrote: prepare() before each).\n"
      << "void prepare(const int16_t* magnitudes, int8_t* arena);\nvoid run_prepared(int8_t* arena);\n\n}  // namespace " << name << "\n";
    src.header = h.str();

    Emitter e(plan);
    std::string head, body;  // head: the ops prepare() replaces
    for (size_t i = 0; i < plan.ops.size(); ++i) {
        std::string& to = (i == 0 && fold_resize) ? head : body;
        if (conv1ch_fuses_max_pool(plan, i)) {
            to += e.conv1ch(plan.ops[i], i, &plan.ops[i + 1]);
            ++i;
        } else {
            to += e.call(plan.ops[i], i);
        }
    }
    // The input quantization: everything, or only what a leading nearest-neighbour resize reads
    // (the reference model reads 1,024 of its 15,996 inputs).
    std::ostringstream q;
    q << "void quantize_input(const int16_t* magnitudes, int8_t* arena) {\n    int8_t* input = arena + kInputOffset;\n";
    if (samples_input) {
        if (first.in_shape.c == 1) {
            q << "    earshot::nn::quantize_magnitude_grid(magnitudes, " << first.in_shape.w << ", k_op0_rows, " << first.y_map.size() << ", k_op0_cols, "
              << first.x_map.size() << ", kInputQuantizer, input);\n";
        } else {
            q << "    for (int32_t r : k_op0_rows) {\n        for (int32_t c : k_op0_cols) {\n"
              << "            const int32_t at = (r * " << first.in_shape.w << " + c) * " << first.in_shape.c << ";\n"
              << "            for (int32_t ch = 0; ch < " << first.in_shape.c << "; ++ch) input[at + ch] = earshot::nn::quantize_magnitude(magnitudes[at + ch], kInputQuantizer);\n"
              << "        }\n    }\n";
        }
    } else {
        q << "    earshot::nn::quantize_magnitudes(magnitudes, kInputBytes, kInputQuantizer, input);\n";
    }
    q << "}\n\n";
    if (fold_resize) {
        q << "void prepare(const int16_t* magnitudes, int8_t* arena) {\n"
          << "    earshot::nn::quantize_magnitude_gather(magnitudes, " << first.in_shape.w << ", k_op0_rows, " << first.y_map.size() << ", k_op0_cols, "
          << first.x_map.size() << ", kInputQuantizer, " << arena_at(plan, first.output) << ");\n}\n\n";
        q << "void prepare_from_bins(const int8_t* frames, int8_t* arena) {\n    int8_t* out = " << arena_at(plan, first.output) << ";\n"
          << "    for (int32_t i = 0; i < " << first.y_map.size() << "; ++i) std::memcpy(out + i * " << first.x_map.size() << ", frames + k_op0_rows[i] * "
          << first.x_map.size() << ", " << first.x_map.size() << ");\n}\n\n";
    } else {
        q << "void prepare(const int16_t* magnitudes, int8_t* arena) { quantize_input(magnitudes, arena); }\n\n";
    }
    std::ostringstream c;
    c << "// Generated by `earshot compile` from " << origin << ". Do not edit.\n"
      << "#include \"" << name << ".hpp\"\n\n#include <cstring>\n\n#include \"core/nn/conv1ch.hpp\"\n#include \"core/nn/elementwise.hpp\"\n#include \"core/nn/kernels.hpp\"\n#include \"core/nn/logistic.hpp\"\n#include \"core/nn/softmax.hpp\"\n\n"
      << "namespace " << name << " {\nnamespace {\n\nnamespace nn = earshot::nn;\n\n" << e.constants() << "}  // namespace\n\n"
      << q.str() << "void run_prepared(int8_t* arena) {\n" << body << "}\n\n"
      << "void invoke(int8_t* arena) {\n" << head << "    run_prepared(arena);\n}\n\n}  // namespace " << name << "\n";
    src.source = c.str();
    return src;
}

void write_compiled_model(const CompiledSource& src, const std::filesystem::path& dir, const std::string& name) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create folder: " + ec.message());
    io::write_file_atomic(dir / (name + ".hpp"), src.header);
    io::write_file_atomic(dir / (name + ".cpp"), src.source);
}

}  // namespace earshot::nn
