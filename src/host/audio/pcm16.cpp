#include "host/audio/pcm16.hpp"

#include <soxr.h>

#include <cmath>
#include <string>

#include "core/dsp/frame_constants.hpp"
#include "host/error.hpp"

namespace earshot::audio {

int16_t float_to_pcm16(float x) {
    const double scaled = std::round(static_cast<double>(x) * 32768.0);
    if (std::isnan(scaled)) return 0;  // decode_audio refuses NaN; other callers get silence, not UB
    if (scaled >= 32767.0) return INT16_MAX;
    if (scaled <= -32768.0) return INT16_MIN;
    return static_cast<int16_t>(scaled);
}

std::vector<int16_t> to_pcm16(std::span<const float> samples) {
    std::vector<int16_t> out(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) out[i] = float_to_pcm16(samples[i]);
    return out;
}

std::vector<float> resample(std::span<const float> samples, int from_rate, int to_rate) {
    if (from_rate == to_rate) return {samples.begin(), samples.end()};
    const double ratio = static_cast<double>(to_rate) / from_rate;
    std::vector<float> out(static_cast<size_t>(std::llround(static_cast<double>(samples.size()) * ratio)));
    if (out.empty()) return out;  // soxr dereferences a null buffer when asked for no output
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    size_t done = 0;
    const soxr_error_t err = soxr_oneshot(from_rate, to_rate, 1, samples.data(), samples.size(), nullptr, out.data(),
                                          out.size(), &done, &io, &quality, nullptr);
    if (err) throw Error(std::string("resampling failed: ") + err);
    out.resize(done);
    return out;
}

std::vector<int16_t> load_pcm16k(const std::filesystem::path& path, const DecodeLimits& limits) {
    const DecodedAudio audio = decode_audio(path, limits);
    std::vector<int16_t> pcm = to_pcm16(resample(audio.mono, audio.sample_rate, dsp::kSampleRate));
    if (pcm.empty()) {
        throw Error(path.string() + ": too short: " + std::to_string(audio.mono.size()) + " samples at " +
                    std::to_string(audio.sample_rate) + " Hz make no sample at 16 kHz");
    }
    return pcm;
}

}  // namespace earshot::audio
