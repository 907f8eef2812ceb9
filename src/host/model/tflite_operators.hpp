// The one table of the TFLite builtin operators earshot supports: reader and writer both use
// it, so adding an operator is one line here.
#pragma once
#include <cstdint>

#include "host/model/graph.hpp"
#include "tflite_subset_generated.h"

namespace earshot::model {

struct TfliteOperator {
    OpKind kind;
    tflite::BuiltinOperator code;
    int32_t max_version;  // newest version whose semantics earshot implements
};

inline constexpr TfliteOperator kTfliteOperators[] = {
    {OpKind::add, tflite::BuiltinOperator_ADD, 4},
    {OpKind::average_pool_2d, tflite::BuiltinOperator_AVERAGE_POOL_2D, 3},
    {OpKind::conv_2d, tflite::BuiltinOperator_CONV_2D, 5},
    {OpKind::depthwise_conv_2d, tflite::BuiltinOperator_DEPTHWISE_CONV_2D, 6},
    {OpKind::dequantize, tflite::BuiltinOperator_DEQUANTIZE, 4},
    {OpKind::fully_connected, tflite::BuiltinOperator_FULLY_CONNECTED, 9},
    {OpKind::logistic, tflite::BuiltinOperator_LOGISTIC, 3},
    {OpKind::max_pool_2d, tflite::BuiltinOperator_MAX_POOL_2D, 3},
    {OpKind::mul, tflite::BuiltinOperator_MUL, 5},
    {OpKind::reshape, tflite::BuiltinOperator_RESHAPE, 1},
    {OpKind::resize_bilinear, tflite::BuiltinOperator_RESIZE_BILINEAR, 4},
    {OpKind::resize_nearest_neighbor, tflite::BuiltinOperator_RESIZE_NEAREST_NEIGHBOR, 4},
    {OpKind::softmax, tflite::BuiltinOperator_SOFTMAX, 3},
    {OpKind::quantize, tflite::BuiltinOperator_QUANTIZE, 2},
};

// nullptr when earshot does not support the builtin code.
inline const TfliteOperator* find_operator(int32_t code) {
    for (const auto& op : kTfliteOperators) {
        if (op.code == code) return &op;
    }
    return nullptr;
}

inline const TfliteOperator& find_operator(OpKind kind) {
    for (const auto& op : kTfliteOperators) {
        if (op.kind == kind) return op;
    }
    return kTfliteOperators[0];  // unreachable: every OpKind has a row (checked by a test)
}

}  // namespace earshot::model
