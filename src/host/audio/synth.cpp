#include "host/audio/synth.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "core/dsp/frame_constants.hpp"
#include "host/audio/pcm16.hpp"

namespace earshot::audio {

std::vector<int16_t> synthesize_alarm(const AlarmSynthOptions& o) {
    const int rate = dsp::kSampleRate;
    const size_t n = static_cast<size_t>(std::llround(o.seconds * rate));
    std::mt19937 rng(o.seed);
    std::normal_distribution<double> noise(0.0, o.noise_level);
    std::vector<float> x(n);
    for (size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate;
        const double cycle = std::fmod(t, 4.0);  // temporal-3: beeps at 0, 1, 2 s; quiet until 4 s
        const bool on = cycle < 3.0 && std::fmod(cycle, 1.0) < 0.5;
        double v = noise(rng);
        if (on) {
            const double phase = 2.0 * std::numbers::pi * o.tone_hz * t;
            // Second harmonic only: the third (9.3 kHz) would alias below Nyquist at 16 kHz.
            v += o.level * (0.85 * std::sin(phase) + 0.15 * std::sin(2 * phase));
        }
        x[i] = static_cast<float>(v);
    }
    return to_pcm16(x);
}

}  // namespace earshot::audio
