#include "host/quant/int8_model.hpp"

#include <algorithm>

#include "host/error.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::quant {

Int8Model prepare_int8(model::Graph graph) {
    Int8Model m;
    m.plan = nn::build_plan(std::move(graph));
    const auto& in = m.plan.graph.tensors[static_cast<size_t>(m.plan.input)];
    const auto& out = m.plan.graph.tensors[static_cast<size_t>(m.plan.output)];
    if (in.type != model::DType::int8 || out.type != model::DType::int8) throw Error("the int8 model must have int8 input and output");
    m.input = nn::input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]));
    m.output_scale = out.quant.scale[0];
    m.output_zero_point = static_cast<int32_t>(out.quant.zero_point[0]);
    return m;
}

Int8Result run_int8(const Int8Model& m, const train::FeatureSet& set) {
    nn::Interpreter interp(m.plan);
    Int8Result r;
    r.outputs_per_item = static_cast<size_t>(interp.output_size());
    if (static_cast<size_t>(interp.input_size()) != set.item_elements()) throw Error("int8 model input size does not match the features");
    for (size_t i = 0; i < set.size(); ++i) {
        const auto item = set.item(i);
        nn::quantize_magnitudes(item.data(), static_cast<int32_t>(item.size()), m.input, interp.input());
        interp.invoke();
        const int8_t* out = interp.output();
        r.outputs.insert(r.outputs.end(), out, out + r.outputs_per_item);
        int best = 0;
        for (size_t k = 0; k < r.outputs_per_item; ++k) {
            r.probabilities.push_back(m.output_scale * static_cast<float>(out[k] - m.output_zero_point));
            if (out[k] > out[best]) best = static_cast<int>(k);
        }
        r.predictions.push_back(r.outputs_per_item == 1 ? (r.probabilities.back() > 0.5f ? 1 : 0) : best);
    }
    return r;
}

void enable_fake_quant(train::Network& net, const Calibration& cal) {
    train::Network::FakeQuant fq;
    const auto in = activation_quantization(cal.input);
    fq.input_scale = in.scale[0];
    fq.input_zero_point = static_cast<int32_t>(in.zero_point[0]);
    fq.scales.assign(net.layers.size(), 0.0f);
    fq.zero_points.assign(net.layers.size(), 0);
    for (size_t i = 0; i < net.layers.size(); ++i) {
        if (!train::has_parameters(net.layers[i])) continue;
        const auto q = activation_quantization(cal.layer_outputs[i]);
        fq.scales[i] = q.scale[0];
        fq.zero_points[i] = static_cast<int32_t>(q.zero_point[0]);
    }
    net.fake_quant = std::move(fq);
}

}  // namespace earshot::quant
