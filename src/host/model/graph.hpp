// A .tflite model as plain data: what the reader produces, the writer consumes, and the
// planner (next) turns into a device plan. Only the TFLite subset earshot supports.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace earshot::model {

enum class DType : uint8_t { float32, int32, int8, uint8, int16, int64, boolean, other };

struct Quantization {
    std::vector<float> scale;        // one per tensor, or one per channel along `axis`
    std::vector<int64_t> zero_point;
    int32_t axis = 0;
    bool present() const { return !scale.empty(); }
    bool operator==(const Quantization&) const = default;
};

struct Tensor {
    std::string name;
    DType type = DType::float32;
    std::vector<int32_t> shape;
    Quantization quant;
    std::vector<uint8_t> data;  // constant contents; empty for activations
    bool operator==(const Tensor&) const = default;
};

enum class OpKind : uint8_t {
    add, average_pool_2d, conv_2d, depthwise_conv_2d, dequantize, fully_connected, logistic,
    max_pool_2d, mul, reshape, resize_bilinear, resize_nearest_neighbor, softmax, quantize,
};

enum class Padding : uint8_t { same, valid };
enum class Activation : uint8_t { none, relu, relu_n1_to_1, relu6 };

struct OpOptions {
    Padding padding = Padding::valid;
    int32_t stride_w = 1, stride_h = 1;
    int32_t dilation_w = 1, dilation_h = 1;
    int32_t filter_w = 0, filter_h = 0;  // pooling
    int32_t depth_multiplier = 1;
    Activation activation = Activation::none;
    bool align_corners = false, half_pixel_centers = false;  // resize
    float beta = 1.0f;                                        // softmax
    bool keep_num_dims = false;                               // fully connected
    std::vector<int32_t> new_shape;                           // reshape (may be empty)
    bool operator==(const OpOptions&) const = default;
};

struct Operator {
    OpKind kind = OpKind::add;
    int32_t version = 1;
    std::vector<int32_t> inputs, outputs;  // tensor indices; -1 = optional input absent
    OpOptions options;
    bool operator==(const Operator&) const = default;
};

// A named entry of the model's `metadata` table (its bytes live in a buffer of their own).
struct MetadataEntry {
    std::string name;
    std::vector<uint8_t> data;
    bool operator==(const MetadataEntry&) const = default;
};

struct Graph {
    std::vector<Tensor> tensors;
    std::vector<Operator> ops;
    std::vector<int32_t> inputs, outputs;
    std::string description;
    std::vector<MetadataEntry> metadata;
    bool operator==(const Graph&) const = default;
};

const char* op_name(OpKind kind);
const char* dtype_name(DType type);
size_t dtype_size(DType type);  // bytes per element; 0 for types we cannot size

// Element count of a shape; throws earshot::Error on negative or overflowing dimensions.
int64_t element_count(const std::vector<int32_t>& shape);

}  // namespace earshot::model
