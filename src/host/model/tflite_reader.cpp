#include "host/model/tflite_reader.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "host/error.hpp"
#include "host/io/read_file.hpp"
#include "host/model/tflite_operators.hpp"
#include "tflite_subset_generated.h"

namespace earshot::model {
namespace fb = earshot::tflite;

namespace {

DType convert_type(fb::TensorType t) {
    switch (t) {
        case fb::TensorType_FLOAT32: return DType::float32;
        case fb::TensorType_INT32: return DType::int32;
        case fb::TensorType_INT8: return DType::int8;
        case fb::TensorType_UINT8: return DType::uint8;
        case fb::TensorType_INT16: return DType::int16;
        case fb::TensorType_INT64: return DType::int64;
        case fb::TensorType_BOOL: return DType::boolean;
        default: return DType::other;
    }
}

Padding convert_padding(fb::Padding p) { return p == fb::Padding_SAME ? Padding::same : Padding::valid; }

template <typename T>
std::vector<T> to_vector(const flatbuffers::Vector<T>* v) {
    return v ? std::vector<T>(v->begin(), v->end()) : std::vector<T>{};
}

// flatbuffers' verifier only checks 4-byte alignment, so an int64 vector in a crafted file may
// sit misaligned: copy its bytes instead of loading through a misaligned pointer.
std::vector<int64_t> to_vector(const flatbuffers::Vector<int64_t>* v) {
    std::vector<int64_t> out;
    if (!v) return out;
    out.resize(v->size());
    for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        int64_t x;
        std::memcpy(&x, v->Data() + static_cast<size_t>(i) * sizeof(int64_t), sizeof x);
        out[i] = flatbuffers::EndianScalar(x);
    }
    return out;
}

class Reader {
public:
    Reader(std::span<const uint8_t> bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}

    Graph read() {
        if (bytes_.size() < 8) fail("only " + std::to_string(bytes_.size()) + " bytes: too small to be a .tflite model");
        if (!fb::ModelBufferHasIdentifier(bytes_.data())) fail("not a TensorFlow Lite model (no TFL3 identifier)");
        flatbuffers::Verifier verifier(bytes_.data(), bytes_.size());
        if (!fb::VerifyModelBuffer(verifier)) fail("corrupt flatbuffer: offsets or sizes point outside the file");
        const fb::Model* m = fb::GetModel(bytes_.data());
        if (m->version() != 3) fail("schema version " + std::to_string(m->version()) + ", earshot reads version 3");
        if (!m->subgraphs() || m->subgraphs()->size() != 1) {
            fail("has " + std::to_string(m->subgraphs() ? m->subgraphs()->size() : 0) + " subgraphs, earshot runs exactly one");
        }
        const fb::SubGraph* sg = m->subgraphs()->Get(0);
        Graph g;
        if (m->description()) g.description = m->description()->str();
        read_metadata(*m, g);
        read_tensors(*m, *sg, g);
        read_operators(*m, *sg, g);
        g.inputs = to_vector(sg->inputs());
        g.outputs = to_vector(sg->outputs());
        if (g.inputs.empty() || g.outputs.empty()) fail("the subgraph declares no inputs or no outputs");
        for (int32_t t : g.inputs) check_index(t, g, "subgraph input");
        for (int32_t t : g.outputs) check_index(t, g, "subgraph output");
        return g;
    }

private:
    void read_metadata(const fb::Model& m, Graph& g) const {
        if (!m.metadata()) return;
        const size_t buffer_count = m.buffers() ? m.buffers()->size() : 0;
        for (flatbuffers::uoffset_t i = 0; i < m.metadata()->size(); ++i) {
            const fb::Metadata* e = m.metadata()->Get(i);
            MetadataEntry entry;
            entry.name = e->name() ? e->name()->str() : std::string();
            if (e->buffer() >= buffer_count) {
                fail("metadata entry '" + entry.name + "' refers to buffer " + std::to_string(e->buffer()) + ", but there are " +
                     std::to_string(buffer_count));
            }
            const fb::Buffer* b = m.buffers()->Get(e->buffer());
            if (b->data()) entry.data.assign(b->data()->begin(), b->data()->end());
            g.metadata.push_back(std::move(entry));
        }
    }

    [[noreturn]] void fail(const std::string& what) const { throw Error(name_ + ": " + what); }

    void check_index(int32_t t, const Graph& g, const std::string& where) const {
        if (t < 0 || static_cast<size_t>(t) >= g.tensors.size()) {
            fail(where + " refers to tensor " + std::to_string(t) + ", but there are " + std::to_string(g.tensors.size()));
        }
    }

    void read_tensors(const fb::Model& m, const fb::SubGraph& sg, Graph& g) const {
        const size_t buffer_count = m.buffers() ? m.buffers()->size() : 0;
        if (!sg.tensors()) fail("the subgraph has no tensors");
        for (flatbuffers::uoffset_t i = 0; i < sg.tensors()->size(); ++i) {
            const fb::Tensor* t = sg.tensors()->Get(i);
            Tensor out;
            out.name = t->name() ? t->name()->str() : "tensor" + std::to_string(i);
            const std::string where = "tensor " + std::to_string(i) + " '" + out.name + "'";
            out.type = convert_type(t->type());
            if (out.type == DType::other) fail(where + " has unsupported type " + std::to_string(t->type()));
            out.shape = to_vector(t->shape());
            int64_t count = 0;
            try {
                count = element_count(out.shape);
            } catch (const Error& e) {
                fail(where + ": " + e.what());
            }
            if (t->buffer() >= buffer_count && t->buffer() != 0) {
                fail(where + " refers to buffer " + std::to_string(t->buffer()) + ", but there are " + std::to_string(buffer_count));
            }
            if (t->buffer() < buffer_count) {
                const fb::Buffer* b = m.buffers()->Get(t->buffer());
                if (b && b->data() && b->data()->size() > 0) {
                    const auto expected = static_cast<uint64_t>(count) * dtype_size(out.type);
                    if (b->data()->size() != expected) {
                        fail(where + " has " + std::to_string(b->data()->size()) + " bytes of data, its shape needs " + std::to_string(expected));
                    }
                    out.data.assign(b->data()->begin(), b->data()->end());
                }
            }
            read_quantization(t->quantization(), out, where);
            g.tensors.push_back(std::move(out));
        }
    }

    void read_quantization(const fb::QuantizationParameters* q, Tensor& t, const std::string& where) const {
        if (!q || !q->scale() || q->scale()->size() == 0) return;
        t.quant.scale = to_vector(q->scale());
        t.quant.zero_point = to_vector(q->zero_point());
        t.quant.axis = q->quantized_dimension();
        if (t.quant.zero_point.size() != t.quant.scale.size()) {
            fail(where + ": " + std::to_string(t.quant.scale.size()) + " scales but " + std::to_string(t.quant.zero_point.size()) + " zero points");
        }
        for (float s : t.quant.scale) {
            if (!std::isfinite(s) || s <= 0.0f) fail(where + ": quantization scale " + std::to_string(s) + " is not a positive number");
        }
        const int64_t lo = t.type == DType::int8 ? -128 : t.type == DType::uint8 ? 0 : t.type == DType::int16 ? -32768 : INT32_MIN;
        const int64_t hi = t.type == DType::int8 ? 127 : t.type == DType::uint8 ? 255 : t.type == DType::int16 ? 32767 : INT32_MAX;
        for (int64_t z : t.quant.zero_point) {
            if (z < lo || z > hi) fail(where + ": zero point " + std::to_string(z) + " is outside the " + dtype_name(t.type) + " range");
        }
        if (t.quant.scale.size() > 1) {
            if (t.quant.axis < 0 || static_cast<size_t>(t.quant.axis) >= t.shape.size()) {
                fail(where + ": per-channel axis " + std::to_string(t.quant.axis) + " is outside its rank-" + std::to_string(t.shape.size()) + " shape");
            }
            if (static_cast<size_t>(t.shape[static_cast<size_t>(t.quant.axis)]) != t.quant.scale.size()) {
                fail(where + ": " + std::to_string(t.quant.scale.size()) + " per-channel scales for " +
                     std::to_string(t.shape[static_cast<size_t>(t.quant.axis)]) + " channels");
            }
        }
    }

    void read_operators(const fb::Model& m, const fb::SubGraph& sg, Graph& g) const {
        const size_t code_count = m.operator_codes() ? m.operator_codes()->size() : 0;
        if (!sg.operators()) return;
        for (flatbuffers::uoffset_t i = 0; i < sg.operators()->size(); ++i) {
            const fb::Operator* op = sg.operators()->Get(i);
            const std::string where = "operator " + std::to_string(i);
            if (op->opcode_index() >= code_count) fail(where + " uses operator code " + std::to_string(op->opcode_index()) + ", but there are " + std::to_string(code_count));
            const fb::OperatorCode* code = m.operator_codes()->Get(op->opcode_index());
            if (code->custom_code()) fail(where + " is the custom operator '" + code->custom_code()->str() + "', which earshot does not support");
            // Files from newer converters carry the code in builtin_code; older ones in the byte.
            const int32_t builtin = std::max<int32_t>(code->deprecated_builtin_code(), code->builtin_code());
            const TfliteOperator* info = find_operator(builtin);
            if (!info) fail(where + " is builtin operator " + std::to_string(builtin) + ", which earshot does not support");
            Operator out;
            out.kind = info->kind;
            out.version = code->version();
            if (out.version < 1 || out.version > info->max_version) {
                fail(where + " (" + op_name(out.kind) + ") is version " + std::to_string(out.version) + "; earshot supports up to " + std::to_string(info->max_version));
            }
            out.inputs = to_vector(op->inputs());
            out.outputs = to_vector(op->outputs());
            for (int32_t t : out.inputs) if (t != -1) check_index(t, g, where + " (" + op_name(out.kind) + ") input");
            for (int32_t t : out.outputs) check_index(t, g, where + " (" + op_name(out.kind) + ") output");
            if (out.outputs.empty()) fail(where + " (" + op_name(out.kind) + ") has no output");
            read_options(*op, out, where);
            g.ops.push_back(std::move(out));
        }
    }

    void read_options(const fb::Operator& op, Operator& out, const std::string& where) const {
        OpOptions& o = out.options;
        auto activation = [&](fb::ActivationFunctionType a) {
            switch (a) {
                case fb::ActivationFunctionType_NONE: return Activation::none;
                case fb::ActivationFunctionType_RELU: return Activation::relu;
                case fb::ActivationFunctionType_RELU_N1_TO_1: return Activation::relu_n1_to_1;
                case fb::ActivationFunctionType_RELU6: return Activation::relu6;
                default: fail(where + " (" + op_name(out.kind) + ") uses fused activation " + std::to_string(a) + ", which earshot does not support");
            }
        };
        auto positive = [&](int32_t v, const char* what) {
            if (v < 1) fail(where + " (" + op_name(out.kind) + ") has " + what + " " + std::to_string(v));
            return v;
        };
        // Conv2DOptions and DepthwiseConv2DOptions share these fields.
        auto read_window = [&](const auto& c) {
            o.padding = convert_padding(c.padding());
            o.stride_w = positive(c.stride_w(), "stride_w");
            o.stride_h = positive(c.stride_h(), "stride_h");
            o.dilation_w = positive(c.dilation_w_factor(), "dilation_w_factor");
            o.dilation_h = positive(c.dilation_h_factor(), "dilation_h_factor");
            o.activation = activation(c.fused_activation_function());
        };
        switch (out.kind) {
            case OpKind::conv_2d:
                if (const auto* c = op.builtin_options_as_Conv2DOptions()) read_window(*c);
                else fail(where + " (CONV_2D) has no Conv2DOptions");
                break;
            case OpKind::depthwise_conv_2d:
                if (const auto* c = op.builtin_options_as_DepthwiseConv2DOptions()) {
                    read_window(*c);
                    o.depth_multiplier = positive(c->depth_multiplier(), "depth_multiplier");
                } else fail(where + " (DEPTHWISE_CONV_2D) has no DepthwiseConv2DOptions");
                break;
            case OpKind::max_pool_2d:
            case OpKind::average_pool_2d:
                if (const auto* p = op.builtin_options_as_Pool2DOptions()) {
                    o.padding = convert_padding(p->padding());
                    o.stride_w = positive(p->stride_w(), "stride_w");
                    o.stride_h = positive(p->stride_h(), "stride_h");
                    o.filter_w = positive(p->filter_width(), "filter_width");
                    o.filter_h = positive(p->filter_height(), "filter_height");
                    o.activation = activation(p->fused_activation_function());
                } else fail(where + " (" + op_name(out.kind) + ") has no Pool2DOptions");
                break;
            case OpKind::fully_connected:
                if (const auto* f = op.builtin_options_as_FullyConnectedOptions()) {
                    o.activation = activation(f->fused_activation_function());
                    o.keep_num_dims = f->keep_num_dims();
                    if (f->weights_format() != fb::FullyConnectedOptionsWeightsFormat_DEFAULT) fail(where + " (FULLY_CONNECTED) uses shuffled weights, which earshot does not support");
                }
                break;
            case OpKind::softmax:
                if (const auto* s = op.builtin_options_as_SoftmaxOptions()) o.beta = s->beta();
                break;
            case OpKind::add:
                if (const auto* a = op.builtin_options_as_AddOptions()) o.activation = activation(a->fused_activation_function());
                break;
            case OpKind::mul:
                if (const auto* a = op.builtin_options_as_MulOptions()) o.activation = activation(a->fused_activation_function());
                break;
            case OpKind::reshape:
                if (const auto* r = op.builtin_options_as_ReshapeOptions()) o.new_shape = to_vector(r->new_shape());
                break;
            case OpKind::resize_bilinear:
                if (const auto* r = op.builtin_options_as_ResizeBilinearOptions()) {
                    o.align_corners = r->align_corners();
                    o.half_pixel_centers = r->half_pixel_centers();
                }
                break;
            case OpKind::resize_nearest_neighbor:
                if (const auto* r = op.builtin_options_as_ResizeNearestNeighborOptions()) {
                    o.align_corners = r->align_corners();
                    o.half_pixel_centers = r->half_pixel_centers();
                }
                break;
            case OpKind::logistic:
            case OpKind::quantize:
            case OpKind::dequantize:
                break;
        }
    }

    std::span<const uint8_t> bytes_;
    std::string name_;
};

}  // namespace

Graph read_tflite(std::span<const uint8_t> bytes, const std::string& source_name) {
    return Reader(bytes, source_name).read();
}

Graph load_tflite(const std::filesystem::path& path) {
    const std::string bytes = io::read_file(path, "a .tflite model");
    return read_tflite(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), path.string());
}

}  // namespace earshot::model
