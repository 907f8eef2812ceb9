// The device loop on the host, the same core code the firmware runs: every 512 samples the
// rolling spectrogram gains 4 frames, the model's input is quantized (only the values a leading
// nearest-neighbour resize reads, straight into its output, as the firmware's prepare() does)
// and the int8 model runs once. `classify --stream`, `evaluate` and the studio use it.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/streaming_spectrogram.hpp"
#include "core/nn/input_quantizer.hpp"
#include "host/nn/plan.hpp"

namespace earshot::eval {

class DeviceLoop {
public:
    // Throws earshot::Error (naming `origin`) unless the model takes a 124x129 int8 input and
    // gives int8 outputs; `score_output` is the output element read as the score.
    DeviceLoop(const nn::Plan& plan, int32_t score_output, const std::string& origin);

    void reset();                        // back to silence, as the board starts
    int32_t push(const int16_t* block);  // 512 samples -> the block's int8 score

private:
    const nn::Plan& plan_;
    nn::Interpreter interpreter_;
    std::unique_ptr<dsp::StreamingSpectrogram> spectrogram_;
    nn::InputQuantizer quantizer_;
    int32_t score_output_ = 0;
    bool gather_ = false;  // the first operator is a one-channel nearest resize of the input
};

// Scores of every whole 512-sample block of `pcm`, from silence.
std::vector<int8_t> score_blocks(DeviceLoop& loop, const std::vector<int16_t>& pcm);

}  // namespace earshot::eval
