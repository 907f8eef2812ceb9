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
#include "host/io/text.hpp"

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

AudioFileReader::AudioFileReader(const fs::path& path, const DecodeLimits& limits) : name_(path.string()) {
    const std::string& name = name_;
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
    if (info.channels < 1 || info.channels > 1024) throw Error(name + ": " + std::to_string(info.channels) + " audio channels");
    if (info.frames <= 0) throw Error(name + ": contains no audio (zero length)");
    const double seconds = static_cast<double>(info.frames) / info.samplerate;
    if (seconds > limits.max_seconds && !limits.allow_long) {
        throw Error(name + ": is " + format_seconds(seconds) + " long, over the " + format_seconds(limits.max_seconds) +
                    " limit (pass --allow-long to read it anyway)");
    }

    // libsndfile trusts the file's real size over a header that promises more data, so a cut
    // WAV/AIFF shows up only in its log, on the audio chunk's line: "data : 64000 (should be 31978)".
    // Other "should be" lines (a byte rate or block align sox and others write differently) are
    // harmless: every frame is still read, and the frame count at the end decides.
    if (const auto cut = audio_chunk_shortfall(file.get())) {
        throw Error(name + ": truncated: the header declares " + std::to_string(cut->first) + " bytes of audio, the file holds " +
                    std::to_string(cut->second));
    }
    sample_rate_ = info.samplerate;
    channels_ = info.channels;
    frames_ = info.frames;
    file_ = file.release();
}

AudioFileReader::~AudioFileReader() {
    if (file_) sf_close(static_cast<SNDFILE*>(file_));
}

void AudioFileReader::seek(int64_t frame) {
    if (frame < 0 || frame >= frames_) {
        throw Error(name_ + io::format(": cannot seek to %.3f s: the file is %.3f s long", static_cast<double>(frame) / sample_rate_,
                                       static_cast<double>(frames_) / sample_rate_));
    }
    if (sf_seek(static_cast<SNDFILE*>(file_), frame, SEEK_SET) < 0) {
        throw Error(name_ + ": cannot seek: " + sf_strerror(static_cast<SNDFILE*>(file_)));
    }
    position_ = frame;
}

size_t AudioFileReader::read(float* mono, size_t max) {
    constexpr size_t kBlock = 8192;
    const size_t want = std::min(max, kBlock);
    interleaved_.resize(want * static_cast<size_t>(channels_));
    SNDFILE* file = static_cast<SNDFILE*>(file_);
    const sf_count_t got = want ? sf_readf_float(file, interleaved_.data(), static_cast<sf_count_t>(want)) : 0;
    if (got <= 0) {
        if (sf_error(file) != SF_ERR_NO_ERROR) throw Error(name_ + ": read error: " + sf_strerror(file));
        if (want && position_ < frames_) {
            throw Error(name_ + ": truncated: header declares " + std::to_string(frames_) + " frames, only " + std::to_string(position_) +
                        " could be read");
        }
        return 0;
    }
    for (sf_count_t i = 0; i < got; ++i) {
        float sum = 0.f;
        for (int c = 0; c < channels_; ++c) sum += interleaved_[static_cast<size_t>(i * channels_ + c)];
        // Float formats can hold NaN or infinity: that is corrupt audio, not a loud sound.
        if (!std::isfinite(sum)) throw Error(name_ + ": corrupt: sample " + std::to_string(position_ + i) + " is not a finite number");
        mono[i] = sum / static_cast<float>(channels_);
    }
    position_ += got;
    return static_cast<size_t>(got);
}

DecodedAudio decode_audio(const fs::path& path, const DecodeLimits& limits) {
    AudioFileReader reader(path, limits);
    DecodedAudio out;
    out.sample_rate = reader.sample_rate();
    out.channels = reader.channels();
    // A header may claim far more frames than the file holds (FLAC's 36-bit count): reserve at
    // most ten minutes up front and let the vector grow with what is really read.
    out.mono.reserve(static_cast<size_t>(std::min<int64_t>(reader.frames(), int64_t{600} * reader.sample_rate())));
    std::vector<float> block(8192);
    for (size_t got; (got = reader.read(block.data(), block.size())) > 0;) out.mono.insert(out.mono.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(got));
    return out;
}

}  // namespace earshot::audio
