#include "host/eval/device_loop.hpp"

#include "core/dsp/frame_constants.hpp"
#include "host/error.hpp"
#include "host/nn/quant_params.hpp"

namespace earshot::eval {

DeviceLoop::DeviceLoop(const nn::Plan& plan, const model::DetectorSettings& settings, const std::string& origin)
    : plan_(plan), interpreter_(plan), features_(settings.features), score_output_(settings.score_output) {
    const model::Tensor& in = plan.graph.tensors[static_cast<size_t>(plan.input)];
    const model::Tensor& out = plan.graph.tensors[static_cast<size_t>(plan.output)];
    const int64_t score_output = settings.score_output;
    if (model::element_count(in.shape) != features_.input_elements()) {
        throw Error(origin + ": input has " + std::to_string(model::element_count(in.shape)) + " values, its front end gives " +
                    (features_.kind == model::FeatureKind::log_bands ? "log band features (" : "a 124x129 spectrogram (") +
                    std::to_string(features_.input_elements()) + ")");
    }
    if (features_.kind == model::FeatureKind::log_bands) {
        band_ring_.assign(2 * static_cast<size_t>(features_.input_elements()), 0);
        band_features_.assign(static_cast<size_t>(features_.input_elements()), 0);
        bands_ = std::make_unique<dsp::LogBandStream>(features_.layout(), band_ring_.data());
    } else {
        spectrogram_ = std::make_unique<dsp::StreamingSpectrogram>(dsp::MagnitudeMode::cmsis58);
    }
    if (in.type != model::DType::int8 || out.type != model::DType::int8 || !in.quant.present() || !out.quant.present()) {
        throw Error(origin + ": the device loop needs an int8 model (quantized int8 input and output)");
    }
    if (score_output < 0 || score_output >= model::element_count(out.shape)) {
        throw Error(origin + ": score output " + std::to_string(score_output) + " does not exist");
    }
    quantizer_ = nn::input_quantizer(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]));
    const nn::PlannedOp& first = plan.ops.front();
    gather_ = spectrogram_ && first.kind == model::OpKind::resize_nearest_neighbor && first.input == plan.input && first.in_shape.n == 1 &&
              first.in_shape.c == 1;
}

void DeviceLoop::reset() {
    if (bands_) bands_->reset();
    else spectrogram_->reset();
}

int32_t DeviceLoop::push(const int16_t* block) {
    if (bands_) {
        bands_->push(block);
        bands_->features(band_features_.data());
        nn::quantize_magnitudes(band_features_.data(), static_cast<int32_t>(band_features_.size()), quantizer_, interpreter_.input());
        interpreter_.invoke();
        return interpreter_.output()[score_output_];
    }
    spectrogram_->push(block);
    if (gather_) {
        const nn::PlannedOp& resize = plan_.ops.front();
        nn::quantize_magnitude_gather(spectrogram_->frames(), resize.in_shape.w, resize.y_map.data(), static_cast<int32_t>(resize.y_map.size()),
                                      resize.x_map.data(), static_cast<int32_t>(resize.x_map.size()), quantizer_, interpreter_.tensor(resize.output));
        interpreter_.invoke_from(1);
    } else {
        nn::quantize_magnitudes(spectrogram_->frames(), dsp::kSpectrogramSize, quantizer_, interpreter_.input());
        interpreter_.invoke();
    }
    return interpreter_.output()[score_output_];
}

std::vector<int8_t> score_blocks(DeviceLoop& loop, const std::vector<int16_t>& pcm) {
    loop.reset();
    std::vector<int8_t> q;
    q.reserve(pcm.size() / dsp::kStreamChunk);
    for (size_t at = 0; at + dsp::kStreamChunk <= pcm.size(); at += dsp::kStreamChunk) q.push_back(static_cast<int8_t>(loop.push(pcm.data() + at)));
    return q;
}

}  // namespace earshot::eval
