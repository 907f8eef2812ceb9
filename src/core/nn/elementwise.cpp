#include "core/nn/elementwise.hpp"

#include "core/nn/fixed_point.hpp"

namespace earshot::nn {
namespace {

// Index of output element (n, h, w, c) in an input that may broadcast along any dimension.
inline int32_t broadcast_index(const Shape4& s, int32_t n, int32_t h, int32_t w, int32_t c) {
    return (((s.n == 1 ? 0 : n) * s.h + (s.h == 1 ? 0 : h)) * s.w + (s.w == 1 ? 0 : w)) * s.c + (s.c == 1 ? 0 : c);
}

template <typename Op>
void for_each_broadcast(const Shape4& in1, const Shape4& in2, const Shape4& out, Op op) {
    int32_t i = 0;
    for (int32_t n = 0; n < out.n; ++n)
        for (int32_t h = 0; h < out.h; ++h)
            for (int32_t w = 0; w < out.w; ++w)
                for (int32_t c = 0; c < out.c; ++c, ++i) op(i, broadcast_index(in1, n, h, w, c), broadcast_index(in2, n, h, w, c));
}

}  // namespace

void add_int8(const AddParams& p, const Shape4& in1, const int8_t* a, const Shape4& in2, const int8_t* b, const Shape4& out, int8_t* y) {
    for_each_broadcast(in1, in2, out, [&](int32_t o, int32_t i1, int32_t i2) {
        const int32_t x1 = (p.input1_offset + a[i1]) * (int32_t{1} << p.left_shift);
        const int32_t x2 = (p.input2_offset + b[i2]) * (int32_t{1} << p.left_shift);
        const int32_t sum = multiply_by_quantized_multiplier(x1, p.input1_multiplier, p.input1_shift) +
                            multiply_by_quantized_multiplier(x2, p.input2_multiplier, p.input2_shift);
        const int32_t v = multiply_by_quantized_multiplier(sum, p.output_multiplier, p.output_shift) + p.output_offset;
        y[o] = static_cast<int8_t>(clamp32(v, p.act_min, p.act_max));
    });
}

void mul_int8(const MulParams& p, const Shape4& in1, const int8_t* a, const Shape4& in2, const int8_t* b, const Shape4& out, int8_t* y) {
    for_each_broadcast(in1, in2, out, [&](int32_t o, int32_t i1, int32_t i2) {
        const int32_t product = (p.input1_offset + a[i1]) * (p.input2_offset + b[i2]);
        const int32_t v = p.output_offset + multiply_by_quantized_multiplier(product, p.output_multiplier, p.output_shift);
        y[o] = static_cast<int8_t>(clamp32(v, p.act_min, p.act_max));
    });
}

}  // namespace earshot::nn
