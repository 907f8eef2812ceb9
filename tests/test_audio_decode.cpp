#include <gtest/gtest.h>
#include <sndfile.h>

#include <sys/resource.h>

#include <cmath>
#include <limits>
#include <vector>

#include "host/audio/decode.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/synth.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"
#include "support.hpp"

using namespace earshot;
using namespace earshot::audio;

namespace {

void write_sndfile(const std::filesystem::path& p, const std::vector<float>& interleaved, int rate, int channels, int format) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size()) / channels);
    sf_close(f);
}

std::vector<float> sine(double hz, double amp, int rate, double seconds) {
    std::vector<float> x(static_cast<size_t>(rate * seconds));
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amp * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate));
    return x;
}

// A canonical 44-byte PCM WAV header, to build files libsndfile would refuse to write.
std::string wav_header(uint32_t rate, uint16_t channels, uint32_t data_bytes) {
    std::string h;
    auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>((v >> (8 * i)) & 0xFF)); };
    auto u16 = [&](uint16_t v) { for (int i = 0; i < 2; ++i) h.push_back(static_cast<char>((v >> (8 * i)) & 0xFF)); };
    h += "RIFF"; u32(36 + data_bytes); h += "WAVE";
    h += "fmt "; u32(16); u16(1); u16(channels); u32(rate); u32(rate * channels * 2); u16(static_cast<uint16_t>(channels * 2)); u16(16);
    h += "data"; u32(data_bytes);
    return h;
}

void expect_error(const std::filesystem::path& p, const std::string& fragment, const DecodeLimits& limits = {}) {
    try {
        decode_audio(p, limits);
        ADD_FAILURE() << "no error for " << p;
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(p.string()), std::string::npos) << "message must name the file: " << msg;
        EXPECT_NE(msg.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << msg;
    }
}

}  // namespace

TEST(Pcm16, RoundsAndSaturates) {
    EXPECT_EQ(float_to_pcm16(0.0f), 0);
    EXPECT_EQ(float_to_pcm16(1.0f), 32767);
    EXPECT_EQ(float_to_pcm16(-1.0f), -32768);
    EXPECT_EQ(float_to_pcm16(5.0f), 32767);
    EXPECT_EQ(float_to_pcm16(0.5f / 32768.0f), 1);
    EXPECT_EQ(float_to_pcm16(-0.5f / 32768.0f), -1);
    EXPECT_EQ(float_to_pcm16(0.49f / 32768.0f), 0);
}

TEST(AudioDecode, Pcm16At16kRoundTripsBitExact) {
    test::TempDir dir;
    const auto samples = synthesize_alarm({.seconds = 1.5});
    write_wav_pcm16(dir / "a.wav", samples, 16000);
    EXPECT_EQ(load_pcm16k(dir / "a.wav"), samples);
}

TEST(AudioDecode, StereoIsAveraged) {
    test::TempDir dir;
    std::vector<float> lr;
    for (int i = 0; i < 1600; ++i) { lr.push_back(0.5f); lr.push_back(0.25f); }
    write_sndfile(dir / "s.wav", lr, 16000, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto a = decode_audio(dir / "s.wav");
    EXPECT_EQ(a.channels, 2);
    ASSERT_EQ(a.mono.size(), 1600u);
    for (float v : a.mono) ASSERT_FLOAT_EQ(v, 0.375f);
}

TEST(AudioDecode, ResamplesEsc50RateTo16k) {
    test::TempDir dir;
    write_sndfile(dir / "cd.wav", sine(1000.0, 0.5, 44100, 1.0), 44100, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto pcm = load_pcm16k(dir / "cd.wav");
    ASSERT_NEAR(static_cast<double>(pcm.size()), 16000.0, 1.0);
    // Away from the filter's edge transients the tone is a 1 kHz sine of the same level.
    double err = 0, peak = 0;
    for (size_t i = 1000; i < 15000; ++i) {
        const double expected = 0.5 * 32768.0 * std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0);
        err = std::max(err, std::abs(pcm[i] - expected));
        peak = std::max(peak, std::abs(static_cast<double>(pcm[i])));
    }
    EXPECT_NEAR(peak, 16384.0, 16384.0 * 0.01);
    EXPECT_LT(err, 16384.0 * 0.01) << "resampled waveform deviates from the ideal sine";
}

TEST(AudioDecode, ReadsFlacAndOgg) {
    test::TempDir dir;
    const auto x = sine(440.0, 0.3, 22050, 0.5);
    write_sndfile(dir / "a.flac", x, 22050, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    write_sndfile(dir / "a.ogg", x, 22050, 1, SF_FORMAT_OGG | SF_FORMAT_VORBIS);
    for (const char* name : {"a.flac", "a.ogg"}) {
        const auto pcm = load_pcm16k(dir / name);
        EXPECT_NEAR(static_cast<double>(pcm.size()), 8000.0, 2.0) << name;
    }
}

TEST(AudioDecode, MissingFileAndFolder) {
    test::TempDir dir;
    expect_error(dir / "nope.wav", "no such file");
    expect_error(dir.path(), "is a folder");
}

TEST(AudioDecode, GarbageIsRejected) {
    test::TempDir dir;
    test::write_bytes(dir / "junk.wav", std::string(1000, '\x5a'));
    expect_error(dir / "junk.wav", "cannot decode");
    test::write_bytes(dir / "empty.wav", "");
    expect_error(dir / "empty.wav", "cannot decode");
}

TEST(AudioDecode, TruncatedWavIsRejected) {
    test::TempDir dir;
    write_wav_pcm16(dir / "full.wav", synthesize_alarm({.seconds = 1.0}), 16000);
    const std::string bytes = test::read_bytes(dir / "full.wav");
    test::write_bytes(dir / "cut.wav", bytes.substr(0, bytes.size() / 2));
    expect_error(dir / "cut.wav", "truncated");
}

namespace {
// Overwrites a little-endian field of the WAV "fmt " chunk (offset from the chunk's payload).
std::string patch_fmt(std::string bytes, size_t offset, uint32_t value, int width) {
    const size_t fmt = bytes.find("fmt ") + 8;
    for (int i = 0; i < width; ++i) bytes[fmt + offset + static_cast<size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
    return bytes;
}
}  // namespace

TEST(AudioDecode, OddButCompleteWavHeadersAreNotTruncation) {
    // A byte rate or block align that disagrees with the format (libsndfile logs "should be")
    // still decodes every frame: only missing frames are truncation.
    test::TempDir dir;
    const auto alarm = synthesize_alarm({.seconds = 1.0});
    write_wav_pcm16(dir / "ok.wav", alarm, 16000);
    const std::string ok = test::read_bytes(dir / "ok.wav");
    test::write_bytes(dir / "byte_rate.wav", patch_fmt(ok, 8, 12345, 4));
    test::write_bytes(dir / "block_align.wav", patch_fmt(ok, 12, 7, 2));
    EXPECT_EQ(load_pcm16k(dir / "byte_rate.wav"), alarm);
    EXPECT_EQ(load_pcm16k(dir / "block_align.wav"), alarm);
    // IMA-ADPCM as sox writes it (its byte rate differs from libsndfile's own computation).
    const auto x = sine(440.0, 0.3, 16000, 1.0);
    write_sndfile(dir / "adpcm.wav", x, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM);
    test::write_bytes(dir / "adpcm_sox.wav", patch_fmt(test::read_bytes(dir / "adpcm.wav"), 8, 8000, 4));
    const auto adpcm = load_pcm16k(dir / "adpcm_sox.wav");
    ASSERT_GE(adpcm.size(), x.size());  // ADPCM pads the last block
    double err = 0, energy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        err += std::pow(adpcm[i] / 32768.0 - x[i], 2.0);
        energy += std::pow(x[i], 2.0);
    }
    EXPECT_LT(err, 0.01 * energy) << "4-bit ADPCM should be within -20 dB of the original";
}

TEST(AudioDecode, TruncatedAiffAndFlacAreRejected) {
    test::TempDir dir;
    const auto x = sine(440.0, 0.3, 16000, 2.0);
    write_sndfile(dir / "a.aiff", x, 16000, 1, SF_FORMAT_AIFF | SF_FORMAT_PCM_16);
    write_sndfile(dir / "a.flac", x, 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    for (const char* name : {"a.aiff", "a.flac"}) {
        const std::string bytes = test::read_bytes(dir / name);
        test::write_bytes(dir / (std::string("cut_") + name), bytes.substr(0, bytes.size() / 2));
        expect_error(dir / (std::string("cut_") + name), "truncated");
    }
}

TEST(AudioDecode, TooShortToResampleIsAnErrorNotACrash) {
    // Found by fuzz_audio_decode: 10 frames at 537 kHz resample to no sample at 16 kHz, and
    // libsoxr then dereferenced a null output buffer.
    test::TempDir dir;
    test::write_bytes(dir / "tiny.wav", wav_header(537152, 1, 20) + std::string(20, '\x10'));
    try {
        load_pcm16k(dir / "tiny.wav");
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("tiny.wav: too short: 10 samples at 537152 Hz"), std::string::npos) << e.what();
    }
}

TEST(AudioDecode, NonFiniteFloatSamplesAreCorruption) {
    // Found by fuzz_audio_decode: a NaN in a float AIFF reached an int16 conversion (UB).
    test::TempDir dir;
    std::vector<float> x = sine(440.0, 0.3, 16000, 0.1);
    x[100] = std::numeric_limits<float>::quiet_NaN();
    write_sndfile(dir / "nan.aiff", x, 16000, 1, SF_FORMAT_AIFF | SF_FORMAT_FLOAT);
    expect_error(dir / "nan.aiff", "sample 100 is not a finite number");
    x[100] = std::numeric_limits<float>::infinity();
    write_sndfile(dir / "inf.wav", x, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    expect_error(dir / "inf.wav", "sample 100 is not a finite number");
    EXPECT_EQ(float_to_pcm16(std::numeric_limits<float>::quiet_NaN()), 0);
}

TEST(AudioDecode, StreamingEqualsDecodingTheWholeFile) {
    // Pcm16kStream decodes and resamples block by block (bounded memory); its samples must be
    // those of decoding everything and resampling in one go, at every rate and length.
    test::TempDir dir;
    for (const int rate : {8000, 16000, 22050, 44100, 48000}) {
        for (const double seconds : {0.3, 2.7}) {
            const auto x = sine(997.0, 0.4, rate, seconds);
            std::vector<float> stereo;
            for (float v : x) {
                stereo.push_back(v);
                stereo.push_back(-0.5f * v);
            }
            const auto path = dir / ("s" + std::to_string(rate) + "_" + std::to_string(static_cast<int>(seconds * 10)) + ".wav");
            write_sndfile(path, stereo, rate, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
            const DecodedAudio whole = decode_audio(path);
            const auto expected = to_pcm16(resample(whole.mono, whole.sample_rate, 16000));
            EXPECT_EQ(load_pcm16k(path), expected) << path;
            // Odd read sizes change nothing.
            Pcm16kStream stream(path);
            EXPECT_EQ(stream.samples(), static_cast<int64_t>(expected.size()));
            std::vector<int16_t> pieces(expected.size() + 10);
            size_t at = 0;
            for (size_t n = 1; (n = stream.read(pieces.data() + at, 1 + at % 777)) > 0;) at += n;
            pieces.resize(at);
            EXPECT_EQ(pieces, expected) << path;
        }
    }
}

TEST(AudioDecode, SeekingReadsFromTheOffset) {
    test::TempDir dir;
    const auto alarm = synthesize_alarm({.seconds = 3.0});
    write_wav_pcm16(dir / "a.wav", alarm, 16000);
    Pcm16kStream stream(dir / "a.wav");
    stream.seek_seconds(1.25);
    EXPECT_EQ(stream.samples(), 48000 - 20000);
    std::vector<int16_t> got(16000);
    ASSERT_EQ(stream.read(got.data(), got.size()), 16000u);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), alarm.begin() + 20000));
    Pcm16kStream past(dir / "a.wav");
    EXPECT_THROW(past.seek_seconds(3.5), Error);
}

TEST(AudioDecode, LongFilesStreamInBoundedMemory) {
    // Ten minutes of 48 kHz stereo (110 MB of WAV; decoding it whole took 115 MB of floats at
    // 48 kHz plus the resampled copy). Streamed, the peak memory grows by a few blocks.
    test::TempDir dir;
    const auto path = dir / "long.wav";
    {
        SF_INFO info{};
        info.samplerate = 48000;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
        ASSERT_NE(f, nullptr);
        std::vector<int16_t> second(96000);
        for (int s = 0; s < 600; ++s) {
            for (size_t i = 0; i < 48000; ++i) second[2 * i] = second[2 * i + 1] = static_cast<int16_t>((i * 37 + static_cast<size_t>(s)) % 2000 - 1000);
            sf_writef_short(f, second.data(), 48000);
        }
        sf_close(f);
    }
    const auto max_rss_kb = [] {
        rusage usage{};
        ::getrusage(RUSAGE_SELF, &usage);
        return usage.ru_maxrss;
    };
    const long before = max_rss_kb();
    Pcm16kStream stream(path);
    EXPECT_EQ(stream.samples(), 600 * 16000);
    std::vector<int16_t> block(512);
    int64_t total = 0;
    for (size_t got; (got = stream.read(block.data(), block.size())) > 0;) total += static_cast<int64_t>(got);
    EXPECT_EQ(total, 600 * 16000);
#if defined(__SANITIZE_ADDRESS__)
    (void)before;  // ASan's allocator keeps freed memory in quarantine: RSS says nothing there (the release run checks it)
#else
    EXPECT_LT(max_rss_kb() - before, 20 * 1024) << "streaming 10 minutes must not hold them in memory";
#endif
    // A seek goes straight to the bite: the last second, without decoding the rest.
    Pcm16kStream tail(path);
    tail.seek_seconds(599.0);
    EXPECT_EQ(tail.samples(), 16000);
}

TEST(AudioDecode, AFlacHeaderClaimingEonsIsTruncationNotAnAllocation) {
    // STREAMINFO's 36-bit sample count set to 2^36 - 1 (~50 days at 16 kHz): with --allow-long
    // this used to end in std::bad_alloc; now the frames read decide.
    test::TempDir dir;
    write_sndfile(dir / "a.flac", sine(440.0, 0.3, 16000, 1.0), 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    std::string bytes = test::read_bytes(dir / "a.flac");
    ASSERT_EQ(bytes.substr(0, 4), "fLaC");
    // Bytes 18..25: sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
    bytes[21] = static_cast<char>(static_cast<unsigned char>(bytes[21]) | 0x0f);
    for (int i = 22; i < 26; ++i) bytes[static_cast<size_t>(i)] = '\xff';
    test::write_bytes(dir / "eons.flac", bytes);
    DecodeLimits limits;
    limits.allow_long = true;
    try {
        load_pcm16k(dir / "eons.flac", limits);
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
    expect_error(dir / "eons.flac", "limit (pass --allow-long");
}

TEST(AudioDecode, ZeroLengthIsRejected) {
    test::TempDir dir;
    test::write_bytes(dir / "zero.wav", wav_header(16000, 1, 0));
    expect_error(dir / "zero.wav", "no audio");
}

TEST(AudioDecode, AbsurdSampleRateIsRejected) {
    test::TempDir dir;
    test::write_bytes(dir / "slow.wav", wav_header(8, 1, 200) + std::string(200, '\0'));
    expect_error(dir / "slow.wav", "sample rate 8 Hz");
    test::write_bytes(dir / "fast.wav", wav_header(5000000, 1, 200) + std::string(200, '\0'));
    expect_error(dir / "fast.wav", "sample rate 5000000 Hz");
}

TEST(AudioDecode, LongFilesNeedPermission) {
    test::TempDir dir;
    write_wav_pcm16(dir / "long.wav", synthesize_alarm({.seconds = 2.0}), 16000);
    DecodeLimits limits;
    limits.max_seconds = 1.0;
    expect_error(dir / "long.wav", "--allow-long", limits);
    limits.allow_long = true;
    EXPECT_EQ(decode_audio(dir / "long.wav", limits).mono.size(), 32000u);
}
