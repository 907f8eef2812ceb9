#include "host/audio/pcm16.hpp"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <iterator>
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

namespace {

int64_t samples_at_16k(int64_t frames, int rate) {
    if (rate == dsp::kSampleRate) return frames;
    return std::llround(static_cast<double>(frames) * dsp::kSampleRate / rate);  // as resample() sizes its output
}

}  // namespace

Pcm16kStream::Pcm16kStream(const std::filesystem::path& path, const DecodeLimits& limits) : reader_(path, limits) {
    total_ = samples_at_16k(reader_.frames(), reader_.sample_rate());
    if (total_ <= 0) {
        throw Error(path.string() + ": too short: " + std::to_string(reader_.frames()) + " samples at " + std::to_string(reader_.sample_rate()) +
                    " Hz make no sample at 16 kHz");
    }
    if (reader_.sample_rate() != dsp::kSampleRate) {
        const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
        soxr_error_t err = nullptr;
        resampler_ = soxr_create(reader_.sample_rate(), dsp::kSampleRate, 1, &err, &io, &quality, nullptr);
        if (err || !resampler_) throw Error(path.string() + ": cannot set up resampling: " + (err ? err : "soxr_create failed"));
    }
}

Pcm16kStream::~Pcm16kStream() {
    if (resampler_) soxr_delete(static_cast<soxr_t>(resampler_));
}

void Pcm16kStream::seek_seconds(double seconds) {
    if (started_) throw Error(name() + ": seek before reading");
    const int64_t frame = std::llround(seconds * reader_.sample_rate());
    reader_.seek(frame);
    total_ = samples_at_16k(reader_.frames() - frame, reader_.sample_rate());
}

bool Pcm16kStream::refill() {
    if (ended_) return false;
    constexpr size_t kBlock = 8192;
    decoded_.resize(kBlock);
    const size_t got = reader_.read(decoded_.data(), kBlock);
    resampled_.clear();
    if (!resampler_) {
        resampled_.assign(decoded_.begin(), decoded_.begin() + static_cast<std::ptrdiff_t>(got));
        ended_ = got == 0;
    } else {
        // Feed the block (or, at the end, flush the filter's tail) and collect what comes out.
        const double ratio = static_cast<double>(dsp::kSampleRate) / reader_.sample_rate();
        std::vector<float>& out = resampler_out_;  // kept between blocks: no allocation per block
        out.resize(static_cast<size_t>(static_cast<double>(kBlock) * ratio) + 1024);
        size_t fed = 0;
        do {
            size_t in_done = 0, out_done = 0;
            const soxr_error_t err = soxr_process(static_cast<soxr_t>(resampler_), got ? decoded_.data() + fed : nullptr, got - fed,
                                                  got ? &in_done : nullptr, out.data(), out.size(), &out_done);
            if (err) throw Error(name() + ": resampling failed: " + err);
            fed += in_done;
            resampled_.insert(resampled_.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(out_done));
            if (!got && out_done == 0) ended_ = true;
            if (!got) break;
        } while (fed < got);
    }
    // Never past the declared length: the resampler's flushed tail is cut as resample() cuts it.
    const size_t room = static_cast<size_t>(std::max<int64_t>(0, total_ - produced_));
    if (resampled_.size() > room) resampled_.resize(room);
    pending_.resize(resampled_.size());
    for (size_t i = 0; i < resampled_.size(); ++i) pending_[i] = float_to_pcm16(resampled_[i]);
    pending_at_ = 0;
    produced_ += static_cast<int64_t>(pending_.size());
    if (produced_ >= total_) ended_ = true;
    return !pending_.empty() || !ended_;
}

size_t Pcm16kStream::read(int16_t* out, size_t max) {
    started_ = true;
    size_t done = 0;
    while (done < max) {
        if (pending_at_ == pending_.size() && !refill()) break;
        const size_t n = std::min(max - done, pending_.size() - pending_at_);
        std::copy_n(pending_.begin() + static_cast<std::ptrdiff_t>(pending_at_), n, out + done);
        pending_at_ += n;
        done += n;
    }
    return done;
}

std::vector<int16_t> load_pcm16k(const std::filesystem::path& path, const DecodeLimits& limits) {
    Pcm16kStream stream(path, limits);
    std::vector<int16_t> pcm;
    // Reserve at most ten minutes up front: a header may promise far more than the file holds.
    pcm.reserve(static_cast<size_t>(std::min<int64_t>(stream.samples(), int64_t{600} * dsp::kSampleRate)));
    int16_t block[8192];
    for (size_t got; (got = stream.read(block, std::size(block))) > 0;) pcm.insert(pcm.end(), block, block + got);
    if (pcm.empty()) throw Error(path.string() + ": too short: no sample at 16 kHz");
    return pcm;
}

}  // namespace earshot::audio
