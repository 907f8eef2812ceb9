#include "host/audio/decode.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "host/error.hpp"

namespace earshot::audio {
namespace fs = std::filesystem;

namespace {

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};

std::string format_seconds(double s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

// From libsndfile's header log: (declared, present) bytes of the audio chunk when it is cut short.
std::optional<std::pair<long long, long long>> audio_chunk_shortfall(SNDFILE* file) {
    char log[8192] = {};
    sf_command(file, SFC_GET_LOG_INFO, log, sizeof log);
    std::istringstream lines{std::string(log)};
    for (std::string line; std::getline(lines, line);) {
        long long declared = 0, present = 0;
        if (std::sscanf(line.c_str(), " data : %lld (should be %lld)", &declared, &present) == 2 ||
            std::sscanf(line.c_str(), " SSND : %lld (should be %lld)", &declared, &present) == 2) {
            if (present < declared) return std::pair{declared, present};
        }
    }
    return std::nullopt;
}

}  // namespace

DecodedAudio decode_audio(const fs::path& path, const DecodeLimits& limits) {
    const std::string name = path.string();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(name + ": no such file");
    if (fs::is_directory(path, ec)) throw Error(name + ": is a folder, not an audio file");

    SF_INFO info{};
    std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
    if (!file) throw Error(name + ": cannot decode audio: " + sf_strerror(nullptr));

    if (info.samplerate < limits.min_sample_rate || info.samplerate > limits.max_sample_rate) {
        throw Error(name + ": sample rate " + std::to_string(info.samplerate) + " Hz is outside " +
                    std::to_string(limits.min_sample_rate) + "-" + std::to_string(limits.max_sample_rate) + " Hz");
    }
    if (info.channels < 1) throw Error(name + ": no audio channels");
    if (info.frames <= 0) throw Error(name + ": contains no audio (zero length)");
    const double seconds = static_cast<double>(info.frames) / info.samplerate;
    if (seconds > limits.max_seconds && !limits.allow_long) {
        throw Error(name + ": is " + format_seconds(seconds) + " long, over the " + format_seconds(limits.max_seconds) +
                    " limit (pass --allow-long to read it anyway)");
    }

    // libsndfile trusts the file's real size over a header that promises more data, so a cut
    // WAV/AIFF shows up only in its log, on the audio chunk's line: "data : 64000 (should be 31978)".
    // Other "should be" lines (a byte rate or block align sox and others write differently) are
    // harmless: every frame is still read, and the frame count below decides.
    if (const auto cut = audio_chunk_shortfall(file.get())) {
        throw Error(name + ": truncated: the header declares " + std::to_string(cut->first) + " bytes of audio, the file holds " +
                    std::to_string(cut->second));
    }

    DecodedAudio out;
    out.sample_rate = info.samplerate;
    out.channels = info.channels;
    // A header may claim far more frames than the file holds (FLAC's 36-bit count): reserve at
    // most ten minutes up front and let the vector grow with what is really read.
    out.mono.reserve(static_cast<size_t>(std::min<sf_count_t>(info.frames, sf_count_t{600} * info.samplerate)));
    constexpr sf_count_t kBlock = 8192;
    std::vector<float> block(static_cast<size_t>(kBlock) * static_cast<size_t>(info.channels));
    sf_count_t total = 0;
    for (;;) {
        const sf_count_t got = sf_readf_float(file.get(), block.data(), kBlock);
        if (got <= 0) break;
        for (sf_count_t i = 0; i < got; ++i) {
            float sum = 0.f;
            for (int c = 0; c < info.channels; ++c) sum += block[static_cast<size_t>(i * info.channels + c)];
            // Float formats can hold NaN or infinity: that is corrupt audio, not a loud sound.
            if (!std::isfinite(sum)) {
                throw Error(name + ": corrupt: sample " + std::to_string(total + i) + " is not a finite number");
            }
            out.mono.push_back(sum / static_cast<float>(info.channels));
        }
        total += got;
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR) throw Error(name + ": read error: " + sf_strerror(file.get()));
    if (total < info.frames) {
        throw Error(name + ": truncated: header declares " + std::to_string(info.frames) + " frames, only " +
                    std::to_string(total) + " could be read");
    }
    return out;
}

}  // namespace earshot::audio
