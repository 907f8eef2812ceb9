#include "host/studio/live_session.hpp"

#include "core/dsp/frame_constants.hpp"
#include "host/model/tflite_reader.hpp"

namespace earshot::studio {

LiveSession::LiveSession(std::vector<uint8_t> tflite, const std::string& origin)
    : origin_(origin), plan_(std::make_unique<nn::Plan>(nn::build_plan(model::read_tflite(tflite, origin)))),
      settings_(model::detector_settings(plan_->graph, origin)),
      loop_(std::make_unique<eval::DeviceLoop>(*plan_, settings_, origin)) {
    detect::decision_reset(state_);
}

std::vector<LiveBlock> LiveSession::push(std::span<const int16_t> samples) {
    pending_.insert(pending_.end(), samples.begin(), samples.end());
    std::vector<LiveBlock> out;
    size_t at = 0;
    for (; at + dsp::kStreamChunk <= pending_.size(); at += dsp::kStreamChunk) {
        LiveBlock b;
        b.block = blocks_++;
        b.q = loop_->push(pending_.data() + at);
        const detect::DecisionEvent e = detect::decision_step(settings_.decision, state_, b.q);
        b.event = e == detect::DecisionEvent::onset ? 1 : e == detect::DecisionEvent::none ? 0 : -1;
        b.alarm = state_.on;
        b.score = model::q_to_score(plan_->graph, b.q);
        b.t_ms = detect::block_end_ms(b.block);
        out.push_back(b);
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(at));
    return out;
}

}  // namespace earshot::studio
