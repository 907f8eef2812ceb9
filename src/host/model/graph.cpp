#include "host/model/graph.hpp"

#include "host/error.hpp"

namespace earshot::model {

const char* op_name(OpKind kind) {
    switch (kind) {
        case OpKind::add: return "ADD";
        case OpKind::average_pool_2d: return "AVERAGE_POOL_2D";
        case OpKind::conv_2d: return "CONV_2D";
        case OpKind::depthwise_conv_2d: return "DEPTHWISE_CONV_2D";
        case OpKind::dequantize: return "DEQUANTIZE";
        case OpKind::fully_connected: return "FULLY_CONNECTED";
        case OpKind::logistic: return "LOGISTIC";
        case OpKind::max_pool_2d: return "MAX_POOL_2D";
        case OpKind::mul: return "MUL";
        case OpKind::reshape: return "RESHAPE";
        case OpKind::resize_bilinear: return "RESIZE_BILINEAR";
        case OpKind::resize_nearest_neighbor: return "RESIZE_NEAREST_NEIGHBOR";
        case OpKind::softmax: return "SOFTMAX";
        case OpKind::quantize: return "QUANTIZE";
    }
    return "?";
}

const char* dtype_name(DType type) {
    switch (type) {
        case DType::float32: return "float32";
        case DType::int32: return "int32";
        case DType::int8: return "int8";
        case DType::uint8: return "uint8";
        case DType::int16: return "int16";
        case DType::int64: return "int64";
        case DType::boolean: return "bool";
        case DType::other: return "other";
    }
    return "?";
}

size_t dtype_size(DType type) {
    switch (type) {
        case DType::float32: case DType::int32: return 4;
        case DType::int8: case DType::uint8: case DType::boolean: return 1;
        case DType::int16: return 2;
        case DType::int64: return 8;
        case DType::other: return 0;
    }
    return 0;
}

int64_t element_count(const std::vector<int32_t>& shape) {
    int64_t n = 1;
    for (int32_t d : shape) {
        if (d < 0) throw Error("negative dimension " + std::to_string(d));
        n *= d;
        if (n > (int64_t{1} << 31)) throw Error("tensor has more than 2^31 elements");
    }
    return n;
}

}  // namespace earshot::model
