#include "host/audio/wav_writer.hpp"

#include <sndfile.h>

#include <string>

#include "host/error.hpp"
#include "host/io/atomic_file.hpp"

namespace earshot::audio {

void write_wav_pcm16(const std::filesystem::path& path, std::span<const int16_t> samples, int sample_rate, int channels) {
    io::replace_file_atomically(path, [&](const std::filesystem::path& temp) {
        SF_INFO info{};
        info.samplerate = sample_rate;
        info.channels = channels;
        info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        SNDFILE* f = sf_open(temp.c_str(), SFM_WRITE, &info);
        if (!f) throw Error(path.string() + ": cannot write WAV: " + sf_strerror(nullptr));
        const sf_count_t frames = static_cast<sf_count_t>(samples.size()) / channels;
        const sf_count_t written = sf_writef_short(f, samples.data(), frames);
        const int close_err = sf_close(f);
        if (written != frames || close_err != 0) throw Error(path.string() + ": cannot write WAV (disk full?)");
    });
}

}  // namespace earshot::audio
