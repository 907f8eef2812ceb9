#include "host/dsp/float_stft.hpp"

#include <unsupported/Eigen/FFT>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "core/dsp/frame_constants.hpp"
#include "host/error.hpp"

namespace earshot::dsp {

std::vector<float> hann_periodic(int n) {
    std::vector<float> w(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) w[static_cast<size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n));
    return w;
}

std::vector<float> stft_magnitude(std::span<const float> bite) {
    if (bite.size() != static_cast<size_t>(kBiteSamples)) {
        throw Error("stft_magnitude: expected " + std::to_string(kBiteSamples) + " samples, got " + std::to_string(bite.size()));
    }
    static const std::vector<float> window = hann_periodic(kFrameLength);
    Eigen::FFT<float> fft;
    fft.SetFlag(Eigen::FFT<float>::HalfSpectrum);
    std::vector<float> frame(kFrameLength);
    std::vector<std::complex<float>> spectrum;
    std::vector<float> out(static_cast<size_t>(kSpectrogramSize));
    for (int f = 0; f < kFrames; ++f) {
        for (int i = 0; i < kFrameLength; ++i) frame[static_cast<size_t>(i)] = bite[static_cast<size_t>(f * kHop + i)] * window[static_cast<size_t>(i)];
        fft.fwd(spectrum, frame);
        for (int k = 0; k < kBins; ++k) out[static_cast<size_t>(f * kBins + k)] = std::abs(spectrum[static_cast<size_t>(k)]);
    }
    return out;
}

}  // namespace earshot::dsp
