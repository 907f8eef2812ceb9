// The studio's Live tab: audio from the browser's microphone, 16 kHz int16 in chunks of any
// length, through the exact device loop (eval::DeviceLoop: the firmware's front end and int8
// model) and the model's decision rule, one result per 512-sample block, as the board prints.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/detect/decision.hpp"
#include "host/eval/device_loop.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/nn/plan.hpp"

namespace earshot::studio {

struct LiveBlock {
    uint32_t block = 0;  // counting from the session's start
    uint32_t t_ms = 0;   // audio time at the block's end, as the board's t=
    int32_t q = 0;       // the int8 score
    double score = 0;
    bool alarm = false;  // the decision rule's state after this block
    int event = 0;       // +1 alarm on, -1 alarm off, 0 none
};

class LiveSession {
public:
    // Throws earshot::Error (naming `origin`) for a model the device loop cannot run.
    LiveSession(std::vector<uint8_t> tflite, const std::string& origin);
    // Every block the new samples complete; the rest waits for the next chunk.
    std::vector<LiveBlock> push(std::span<const int16_t> samples);
    const std::string& origin() const { return origin_; }

private:
    std::string origin_;
    std::unique_ptr<nn::Plan> plan_;  // the loop refers to it: it must not move
    model::DetectorSettings settings_;
    std::unique_ptr<eval::DeviceLoop> loop_;
    detect::DecisionState state_{};
    std::vector<int16_t> pending_;
    uint32_t blocks_ = 0;
};

}  // namespace earshot::studio
