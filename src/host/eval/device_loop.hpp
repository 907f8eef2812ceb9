// The device loop on the host, the same core code the firmware runs: every 512 samples the
// model's front end takes 4 frames (the tutorial's rolling spectrogram, or the default
// detector's log band column), the model's input is quantized (for the spectrogram only the
// values a leading nearest-neighbour resize reads, straight into its output, as the firmware's
// prepare() does) and the int8 model runs once. `classify --stream` and `evaluate` use it.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/streaming_spectrogram.hpp"
#include "core/nn/input_quantizer.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/nn/plan.hpp"

namespace earshot::eval {

class DeviceLoop {
public:
    // Throws earshot::Error (naming `origin`) unless the model takes what the settings' front end
    // gives as int8 and gives int8 outputs; the settings' score_output is read as the score.
    DeviceLoop(const nn::Plan& plan, const model::DetectorSettings& settings, const std::string& origin);

    void reset();                        // back to silence, as the board starts
    int32_t push(const int16_t* block);  // 512 samples -> the block's int8 score

private:
    const nn::Plan& plan_;
    nn::Interpreter interpreter_;
    std::unique_ptr<dsp::StreamingSpectrogram> spectrogram_;  // the tutorial path
    model::FeatureSettings features_;                          // owns the band edges the stream points to
    std::vector<int16_t> band_ring_, band_features_;
    std::unique_ptr<dsp::LogBandStream> bands_;                // the log band path
    nn::InputQuantizer quantizer_;
    int32_t score_output_ = 0;
    bool gather_ = false;  // the first operator is a one-channel nearest resize of the input
};

// Scores of every whole 512-sample block of `pcm`, from silence.
std::vector<int8_t> score_blocks(DeviceLoop& loop, const std::vector<int16_t>& pcm);

}  // namespace earshot::eval
