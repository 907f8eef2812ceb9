#include "host/model/tflite_writer.hpp"

#include <map>
#include <string_view>
#include <utility>

#include "host/io/atomic_file.hpp"
#include "host/model/tflite_operators.hpp"
#include "tflite_subset_generated.h"

namespace earshot::model {
namespace fb = earshot::tflite;

namespace {

fb::TensorType tensor_type(DType t) {
    switch (t) {
        case DType::float32: return fb::TensorType_FLOAT32;
        case DType::int32: return fb::TensorType_INT32;
        case DType::int8: return fb::TensorType_INT8;
        case DType::uint8: return fb::TensorType_UINT8;
        case DType::int16: return fb::TensorType_INT16;
        case DType::int64: return fb::TensorType_INT64;
        case DType::boolean: return fb::TensorType_BOOL;
        case DType::other: break;
    }
    return fb::TensorType_FLOAT32;
}

fb::ActivationFunctionType activation(Activation a) {
    switch (a) {
        case Activation::none: return fb::ActivationFunctionType_NONE;
        case Activation::relu: return fb::ActivationFunctionType_RELU;
        case Activation::relu_n1_to_1: return fb::ActivationFunctionType_RELU_N1_TO_1;
        case Activation::relu6: return fb::ActivationFunctionType_RELU6;
    }
    return fb::ActivationFunctionType_NONE;
}

fb::Padding padding(Padding p) { return p == Padding::same ? fb::Padding_SAME : fb::Padding_VALID; }

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> options(flatbuffers::FlatBufferBuilder& b, const Operator& op) {
    const OpOptions& o = op.options;
    switch (op.kind) {
        case OpKind::conv_2d:
            return {fb::BuiltinOptions_Conv2DOptions,
                    fb::CreateConv2DOptions(b, padding(o.padding), o.stride_w, o.stride_h, activation(o.activation), o.dilation_w, o.dilation_h).Union()};
        case OpKind::depthwise_conv_2d:
            return {fb::BuiltinOptions_DepthwiseConv2DOptions,
                    fb::CreateDepthwiseConv2DOptions(b, padding(o.padding), o.stride_w, o.stride_h, o.depth_multiplier, activation(o.activation), o.dilation_w, o.dilation_h).Union()};
        case OpKind::max_pool_2d:
        case OpKind::average_pool_2d:
            return {fb::BuiltinOptions_Pool2DOptions,
                    fb::CreatePool2DOptions(b, padding(o.padding), o.stride_w, o.stride_h, o.filter_w, o.filter_h, activation(o.activation)).Union()};
        case OpKind::fully_connected:
            return {fb::BuiltinOptions_FullyConnectedOptions,
                    fb::CreateFullyConnectedOptions(b, activation(o.activation), fb::FullyConnectedOptionsWeightsFormat_DEFAULT, o.keep_num_dims).Union()};
        case OpKind::softmax: return {fb::BuiltinOptions_SoftmaxOptions, fb::CreateSoftmaxOptions(b, o.beta).Union()};
        case OpKind::add: return {fb::BuiltinOptions_AddOptions, fb::CreateAddOptions(b, activation(o.activation)).Union()};
        case OpKind::mul: return {fb::BuiltinOptions_MulOptions, fb::CreateMulOptions(b, activation(o.activation)).Union()};
        case OpKind::reshape:
            if (o.new_shape.empty()) return {fb::BuiltinOptions_NONE, 0};
            return {fb::BuiltinOptions_ReshapeOptions, fb::CreateReshapeOptions(b, b.CreateVector(o.new_shape)).Union()};
        case OpKind::resize_bilinear:
            return {fb::BuiltinOptions_ResizeBilinearOptions, fb::CreateResizeBilinearOptions(b, o.align_corners, o.half_pixel_centers).Union()};
        case OpKind::resize_nearest_neighbor:
            return {fb::BuiltinOptions_ResizeNearestNeighborOptions, fb::CreateResizeNearestNeighborOptions(b, o.align_corners, o.half_pixel_centers).Union()};
        case OpKind::logistic:
        case OpKind::quantize:
        case OpKind::dequantize:
            break;
    }
    return {fb::BuiltinOptions_NONE, 0};
}

}  // namespace

std::vector<uint8_t> write_tflite(const Graph& g) {
    flatbuffers::FlatBufferBuilder b(4096);

    // Buffer 0 is the conventional empty buffer; each constant tensor gets its own.
    std::vector<flatbuffers::Offset<fb::Buffer>> buffers{fb::CreateBuffer(b)};
    std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
    for (const Tensor& t : g.tensors) {
        uint32_t buffer_index = 0;
        if (!t.data.empty()) {
            b.ForceVectorAlignment(t.data.size(), sizeof(uint8_t), 16);
            buffers.push_back(fb::CreateBuffer(b, b.CreateVector(t.data)));
            buffer_index = static_cast<uint32_t>(buffers.size() - 1);
        }
        flatbuffers::Offset<fb::QuantizationParameters> quant = 0;
        if (t.quant.present()) {
            quant = fb::CreateQuantizationParameters(b, 0, 0, b.CreateVector(t.quant.scale), b.CreateVector(t.quant.zero_point),
                                                     fb::QuantizationDetails_NONE, 0, t.quant.axis);
        }
        tensors.push_back(fb::CreateTensor(b, b.CreateVector(t.shape), tensor_type(t.type), buffer_index, b.CreateString(t.name), quant));
    }

    // One operator code per (op, version), in first-use order.
    std::map<std::pair<OpKind, int32_t>, uint32_t> code_index;
    std::vector<flatbuffers::Offset<fb::OperatorCode>> codes;
    std::vector<flatbuffers::Offset<fb::Operator>> ops;
    for (const Operator& op : g.ops) {
        const auto key = std::make_pair(op.kind, op.version);
        auto it = code_index.find(key);
        if (it == code_index.end()) {
            const int32_t code = find_operator(op.kind).code;
            // Codes above 127 do not fit the old byte field: TFLite stores 127 there.
            const auto deprecated = static_cast<int8_t>(code < 127 ? code : 127);
            codes.push_back(fb::CreateOperatorCode(b, deprecated, 0, op.version, static_cast<fb::BuiltinOperator>(code)));
            it = code_index.emplace(key, static_cast<uint32_t>(codes.size() - 1)).first;
        }
        const auto [options_type, options_value] = options(b, op);
        ops.push_back(fb::CreateOperator(b, it->second, b.CreateVector(op.inputs), b.CreateVector(op.outputs), options_type, options_value));
    }

    // Metadata entries after the tensors' buffers, each with a buffer of its own.
    std::vector<flatbuffers::Offset<fb::Metadata>> metadata;
    for (const MetadataEntry& e : g.metadata) {
        buffers.push_back(fb::CreateBuffer(b, b.CreateVector(e.data)));
        metadata.push_back(fb::CreateMetadata(b, b.CreateString(e.name), static_cast<uint32_t>(buffers.size() - 1)));
    }

    const auto subgraph = fb::CreateSubGraph(b, b.CreateVector(tensors), b.CreateVector(g.inputs), b.CreateVector(g.outputs),
                                             b.CreateVector(ops), b.CreateString("main"));
    const auto model = fb::CreateModel(b, 3, b.CreateVector(codes), b.CreateVector(&subgraph, 1),
                                       g.description.empty() ? 0 : b.CreateString(g.description), b.CreateVector(buffers), 0,
                                       metadata.empty() ? 0 : b.CreateVector(metadata));
    fb::FinishModelBuffer(b, model);
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

void save_tflite(const std::filesystem::path& path, const Graph& graph) {
    const auto bytes = write_tflite(graph);
    io::write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace earshot::model
