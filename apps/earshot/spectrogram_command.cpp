// earshot spectrogram FILE: the front end on one 1 s bite, as numbers and as a picture.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "apps/earshot/commands.hpp"
#include "core/dsp/frame_constants.hpp"
#include "core/dsp/spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/dsp/float_stft.hpp"
#include "host/error.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/text.hpp"
#include "host/report/spectrogram_png.hpp"

namespace earshot::cli {
namespace {

namespace fs = std::filesystem;

struct SpectrogramArgs {
    std::string input, png, raw, mode = "q15", magnitude = "cmsis58";
    double offset_seconds = 0.0;
    bool allow_long = false;
};

// Little-endian bytes whatever the host, so files match the golden layout everywhere.
template <typename T>
void append_le(std::string& out, T value) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(bytes, bytes + sizeof(T));
    out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

void run(const SpectrogramArgs& a) {
    audio::DecodeLimits limits;
    limits.allow_long = a.allow_long;
    if (!(a.offset_seconds >= 0.0)) throw Error("--offset must be zero or positive");
    // Only the bite is decoded: seek to it instead of reading a long file from its start.
    audio::Pcm16kStream stream(a.input, limits);
    const double clip_seconds = static_cast<double>(stream.samples()) / dsp::kSampleRate;
    const auto start = static_cast<size_t>(std::llround(a.offset_seconds * dsp::kSampleRate));
    if (start >= static_cast<size_t>(stream.samples())) {
        char msg[160];
        std::snprintf(msg, sizeof msg, ": --offset %.3f s is past the end of the clip (%.3f s)", a.offset_seconds, clip_seconds);
        throw Error(a.input + msg);
    }
    if (start > 0) stream.seek_seconds(a.offset_seconds);
    // One bite from `start`, zero-padded if the clip ends first.
    std::vector<int16_t> bite(dsp::kBiteSamples, 0);
    const size_t available = stream.read(bite.data(), bite.size());

    std::vector<float> magnitudes;  // float STFT units, for the picture and the summary
    std::string raw_bytes;
    if (a.mode == "q15") {
        const auto mode = a.magnitude == "exact" ? dsp::MagnitudeMode::exact : dsp::MagnitudeMode::cmsis58;
        std::vector<int16_t> spec(dsp::kSpectrogramSize);
        dsp::spectrogram_q15(bite.data(), spec.data(), mode);
        for (int16_t m : spec) {
            magnitudes.push_back(dsp::q15_magnitude_to_float(m));
            append_le(raw_bytes, m);
        }
    } else {
        std::vector<float> samples(bite.size());
        for (size_t i = 0; i < bite.size(); ++i) samples[i] = static_cast<float>(bite[i]) / 32768.0f;
        magnitudes = dsp::stft_magnitude(samples);
        for (float m : magnitudes) append_le(raw_bytes, m);
    }

    if (!a.raw.empty()) io::write_file_atomic(a.raw, raw_bytes);
    if (!a.png.empty()) {
        const std::string title = fs::path(a.input).filename().string() + io::format(" AT %.2f S, ", static_cast<double>(start) / dsp::kSampleRate) +
                                  (a.mode == "q15" ? "Q15 " + a.magnitude : std::string("FLOAT STFT"));
        report::write_png(a.png, report::spectrogram_figure(magnitudes, dsp::kFrames, dsp::kBins, title, static_cast<double>(dsp::kHop) / dsp::kSampleRate,
                                                            static_cast<double>(dsp::kSampleRate) / dsp::kFrameLength, 4));
    }

    // With `--raw -` the data owns stdout; the summary goes to stderr.
    std::FILE* out = io::is_stdout_output(a.raw) || io::is_stdout_output(a.png) ? stderr : stdout;
    size_t peak = 0;
    for (size_t i = 1; i < magnitudes.size(); ++i) if (magnitudes[i] > magnitudes[peak]) peak = i;
    const int peak_bin = static_cast<int>(peak % dsp::kBins);
    std::fprintf(out, "%s: %.2f s of audio at 16 kHz; bite %.2f-%.2f s%s\n", a.input.c_str(), clip_seconds,
                static_cast<double>(start) / dsp::kSampleRate, static_cast<double>(start) / dsp::kSampleRate + 1.0,
                available < static_cast<size_t>(dsp::kBiteSamples) ? " (zero-padded)" : "");
    std::fprintf(out, "spectrogram: %d frames x %d bins, %s%s; loudest bin %d (%.1f Hz) in frame %zu\n", dsp::kFrames,
                dsp::kBins, a.mode.c_str(), a.mode == "q15" ? (" (" + a.magnitude + " magnitude)").c_str() : "",
                peak_bin, peak_bin * static_cast<double>(dsp::kSampleRate) / dsp::kFrameLength, peak / dsp::kBins);
    if (!a.raw.empty()) std::fprintf(out, "wrote %s (%s, frame-major, value (f, k) at f*129+k)\n", a.raw.c_str(), a.mode == "q15" ? "int16 LE" : "float32 LE");
    if (!a.png.empty()) std::fprintf(out, "wrote %s\n", a.png.c_str());
}

}  // namespace

void add_spectrogram_command(CLI::App& app) {
    auto args = std::make_shared<SpectrogramArgs>();
    CLI::App* cmd = app.add_subcommand("spectrogram", "Compute the 124x129 spectrogram of one 1 s bite of an audio file");
    cmd->add_option("FILE", args->input, "Audio file (WAV, FLAC, OGG, ...); resampled to 16 kHz mono")->required();
    cmd->add_option("--png", args->png, "Write a picture of the spectrogram ('-' for stdout)");
    cmd->add_option("--raw", args->raw, "Write the values: int16 LE (q15) or float32 LE (float), frame-major ('-' for stdout)");
    cmd->add_option("--mode", args->mode, "Front end: q15 (the device's fixed-point path) or float (reference STFT)")
        ->check(CLI::IsMember({"q15", "float"}))
        ->capture_default_str();
    cmd->add_option("--magnitude", args->magnitude, "q15 magnitude: cmsis58 (bit-exact CMSIS-DSP 5.8.0) or exact")
        ->check(CLI::IsMember({"cmsis58", "exact"}))
        ->capture_default_str();
    cmd->add_option("--offset", args->offset_seconds, "Start of the 1 s bite, in seconds")->capture_default_str();
    cmd->add_flag("--allow-long", args->allow_long, "Accept files longer than one hour");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
