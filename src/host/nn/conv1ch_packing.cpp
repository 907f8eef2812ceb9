#include "host/nn/conv1ch_packing.hpp"

#include <limits>
#include <utility>

#include "core/nn/conv1ch.hpp"
#include "host/error.hpp"
#include "host/model/summary.hpp"

namespace earshot::nn {
namespace {

const int8_t* filter_values(const Plan& plan, const PlannedOp& conv) {
    return reinterpret_cast<const int8_t*>(plan.graph.tensors[static_cast<size_t>(conv.filter)].data.data());
}

std::optional<Conv1chPacking> pack_planned(const Plan& plan, const PlannedOp& conv) {
    return pack_conv1ch(filter_values(plan, conv), conv.filter_shape, conv.bias_values.empty() ? nullptr : conv.bias_values.data(),
                        conv.input_offset);
}

bool overlaps(const Plan& plan, int32_t a, int32_t b) {
    const auto range = [&](int32_t t) {
        const int64_t at = plan.arena_offset[static_cast<size_t>(t)];
        return std::pair<int64_t, int64_t>{at, at + model::tensor_bytes(plan.graph.tensors[static_cast<size_t>(t)])};
    };
    const auto [a0, a1] = range(a);
    const auto [b0, b1] = range(b);
    return a0 < b1 && b0 < a1;
}

}  // namespace

std::optional<Conv1chPacking> pack_conv1ch(const int8_t* filter, const Shape4& f, const int32_t* bias, int32_t input_offset) {
    Conv1chPacking p;
    p.filter_h = f.h;
    p.groups = f.n / kConv1chGroup;
    p.taps.reserve(static_cast<size_t>(f.n * f.h * f.w));
    for (int32_t grp = 0; grp < p.groups; ++grp) {
        for (int32_t half = 0; half < kConv1chGroup / kConv1chHalf; ++half) {
            for (int32_t tap = 0; tap < f.h * f.w; ++tap) {
                for (int32_t c = 0; c < kConv1chHalf; ++c) {
                    p.taps.push_back(filter[(grp * kConv1chGroup + half * kConv1chHalf + c) * f.h * f.w + tap]);
                }
            }
        }
    }
    // sum(w * (x + input_offset)) = sum(w * u) + (input_offset - 128) * sum(w), u = x + 128.
    for (int32_t oc = 0; oc < f.n; ++oc) {
        int64_t sum = 0;
        for (int32_t k = 0; k < f.h * f.w; ++k) sum += filter[oc * f.h * f.w + k];
        const int64_t folded = (bias ? bias[oc] : 0) + (int64_t{input_offset} - 128) * sum;
        if (folded < std::numeric_limits<int32_t>::min() || folded > std::numeric_limits<int32_t>::max()) return std::nullopt;
        p.bias.push_back(static_cast<int32_t>(folded));
    }
    return p;
}

bool conv1ch_applies(const Plan& plan, const PlannedOp& conv) {
    const Shape4 &in = conv.in_shape, &f = conv.filter_shape, &out = conv.out_shape;
    const ConvGeometry& g = conv.conv;
    if (conv.kind != model::OpKind::conv_2d || in.c != 1 || f.w != kConv1chTapsPerRow || out.c % kConv1chGroup != 0) return false;
    if (g.dilation_h != 1 || g.dilation_w != 1 || g.pad_h != 0 || g.pad_w != 0 || conv.filter_offset != 0) return false;
    if ((out.h - 1) * g.stride_h + f.h > in.h || (out.w - 1) * g.stride_w + f.w > in.w) return false;
    if (!plan.graph.tensors[static_cast<size_t>(conv.input)].data.empty()) return false;  // the input is flipped in place
    return pack_planned(plan, conv).has_value();
}

Conv1chPacking pack_conv1ch(const Plan& plan, const PlannedOp& conv) {
    std::optional<Conv1chPacking> p = pack_planned(plan, conv);
    if (!p) throw Error("conv1ch: operator's folded bias does not fit int32 (check conv1ch_applies first)");
    return *p;
}

bool conv1ch_fuses_max_pool(const Plan& plan, size_t index) {
    if (index + 1 >= plan.ops.size() || !conv1ch_applies(plan, plan.ops[index])) return false;
    const PlannedOp &conv = plan.ops[index], &pool = plan.ops[index + 1];
    if (pool.kind != model::OpKind::max_pool_2d || pool.input != conv.output || conv.output == plan.output) return false;
    if (pool.pool.pad_h != 0 || pool.pool.pad_w != 0 || pool.pool.filter_h * pool.pool.filter_w > kConv1chMaxWindows) return false;
    for (size_t j = 0; j < plan.ops.size(); ++j) {
        const PlannedOp& op = plan.ops[j];
        if (j != index + 1 && (op.input == conv.output || op.input2 == conv.output)) return false;
    }
    for (int32_t m : conv.multipliers) {
        if (m < 0) return false;  // the max commutes with requantization only when it is non-decreasing
    }
    return true;
}

bool conv1ch_pool_output_overlaps_input(const Plan& plan, size_t index) {
    return overlaps(plan, plan.ops[index + 1].output, plan.ops[index].input);
}

bool conv1ch_input_is_dead_after(const Plan& plan, size_t index) {
    const int32_t input = plan.ops[index].input;
    if (input == plan.input || input == plan.output) return false;
    for (size_t j = index + 1; j < plan.ops.size(); ++j) {
        if (plan.ops[j].input == input || plan.ops[j].input2 == input) return false;
    }
    return true;
}

}  // namespace earshot::nn
