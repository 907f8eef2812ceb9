#include "host/studio/thumbnail.hpp"

#include <algorithm>
#include <vector>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/report/spectrogram_png.hpp"

namespace earshot::studio {

std::string thumbnail_png(const std::filesystem::path& clip) {
    constexpr size_t kMaxSamples = 10 * 16000;
    constexpr size_t kStep = dsp::kStreamChunk;  // one frame per block: 32 ms per column
    audio::Pcm16kStream stream(clip);
    std::vector<int16_t> pcm(std::min<size_t>(kMaxSamples, static_cast<size_t>(std::max<int64_t>(stream.samples(), 0))) + dsp::kFrameLength);
    pcm.resize(stream.read(pcm.data(), pcm.size() - dsp::kFrameLength) + dsp::kFrameLength, 0);
    const int frames = static_cast<int>(std::max<size_t>(1, (pcm.size() - dsp::kFrameLength) / kStep));
    std::vector<float> magnitudes(static_cast<size_t>(frames) * dsp::kBins);
    int16_t bins[dsp::kBins];
    for (int f = 0; f < frames; ++f) {
        dsp::spectrogram_frame_q15(pcm.data() + static_cast<size_t>(f) * kStep, bins, dsp::MagnitudeMode::cmsis58);
        for (int k = 0; k < dsp::kBins; ++k) magnitudes[static_cast<size_t>(f) * dsp::kBins + k] = bins[k];
    }
    return report::encode_png(report::render_spectrogram(magnitudes, frames, dsp::kBins, 1, 50.0));
}

}  // namespace earshot::studio
