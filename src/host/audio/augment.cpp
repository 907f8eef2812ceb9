#include "host/audio/augment.hpp"

#include <algorithm>
#include <cmath>

#include "core/dsp/frame_constants.hpp"

namespace earshot::audio {
namespace {

int16_t saturate(double v) { return static_cast<int16_t>(std::clamp(std::lround(v), -32768l, 32767l)); }
double uniform(train::Rng& rng, double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng.uniform()); }

}  // namespace

Bite with_white_noise(std::span<const int16_t> x, train::Rng& rng, double max_amplitude) {
    const double a = uniform(rng, 0.0, max_amplitude) * 32768.0;
    Bite y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = saturate(x[i] + a * uniform(rng, -1.0, 1.0));
    return y;
}

Bite with_random_silence(std::span<const int16_t> x, train::Rng& rng, double p) {
    Bite y(x.begin(), x.end());
    for (auto& v : y) {
        if (rng.uniform() < p) v = 0;
    }
    return y;
}

Bite with_silence_gap(std::span<const int16_t> x, train::Rng& rng, double max_seconds) {
    Bite y(x.begin(), x.end());
    const size_t len = std::min(y.size(), static_cast<size_t>(uniform(rng, 0.0, max_seconds) * dsp::kSampleRate));
    const size_t start = static_cast<size_t>(rng.below(y.size() - len + 1));
    std::fill_n(y.begin() + static_cast<std::ptrdiff_t>(start), len, int16_t{0});
    return y;
}

Bite mixed(std::span<const int16_t> positive, std::span<const int16_t> background, train::Rng& rng) {
    const double w = uniform(rng, 0.0, 1.0);
    Bite y(positive.size());
    for (size_t i = 0; i < y.size(); ++i) y[i] = saturate(positive[i] + w * (i < background.size() ? background[i] : 0));
    return y;
}

Bite with_gain(std::span<const int16_t> x, train::Rng& rng, double max_db) {
    const double g = std::pow(10.0, uniform(rng, -max_db, max_db) / 20.0);
    Bite y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = saturate(x[i] * g);
    return y;
}

Bite time_shifted(std::span<const int16_t> x, train::Rng& rng, double max_seconds) {
    const long max_shift = static_cast<long>(max_seconds * dsp::kSampleRate);
    const long shift = static_cast<long>(rng.below(static_cast<uint64_t>(2 * max_shift + 1))) - max_shift;
    Bite y(x.size(), 0);
    for (long i = 0; i < static_cast<long>(x.size()); ++i) {
        const long src = i - shift;
        if (src >= 0 && src < static_cast<long>(x.size())) y[static_cast<size_t>(i)] = x[static_cast<size_t>(src)];
    }
    return y;
}

std::vector<Bite> balance_positives(const std::vector<Bite>& positives, const std::vector<Bite>& backgrounds, const BalanceOptions& options,
                                    train::Rng& rng) {
    std::vector<Bite> out;
    const double wanted = options.target_ratio * static_cast<double>(backgrounds.size());
    if (positives.empty() || options.techniques.empty() || wanted <= static_cast<double>(positives.size())) return out;
    const size_t missing = static_cast<size_t>(std::lround(wanted)) - positives.size();
    const size_t per_technique = missing / options.techniques.size();  // the reference: (#bg - #pos) / 3 each
    for (Technique t : options.techniques) {
        for (size_t k = 0; k < per_technique; ++k) {
            const Bite& p = positives[static_cast<size_t>(rng.below(positives.size()))];
            switch (t) {
                case Technique::white_noise: out.push_back(with_white_noise(p, rng)); break;
                case Technique::random_silence: out.push_back(with_random_silence(p, rng)); break;
                case Technique::silence_gap: out.push_back(with_silence_gap(p, rng)); break;
                case Technique::mix: out.push_back(backgrounds.empty() ? p : mixed(p, backgrounds[static_cast<size_t>(rng.below(backgrounds.size()))], rng)); break;
                case Technique::gain: out.push_back(with_gain(p, rng)); break;
                case Technique::time_shift: out.push_back(time_shifted(p, rng)); break;
            }
        }
    }
    return out;
}

}  // namespace earshot::audio
