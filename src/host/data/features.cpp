#include <nlohmann/json.hpp>
#include "host/data/features.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>

#include "core/dsp/spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/error.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/parallel.hpp"

namespace earshot::data {
namespace fs = std::filesystem;
namespace {

constexpr char kCacheMagic[8] = {'E', 'S', 'H', 'T', 'F', 'E', 'A', 'T'};
constexpr int kCacheFormat = 1;

uint64_t fnv1a64(const char* data, size_t n, uint64_t h = 14695981039346656037ull) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
    return h;
}

std::string hex(uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::optional<ClipFeatures> read_cache_entry(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    constexpr size_t header = sizeof kCacheMagic + 8 + 8;
    if (bytes.size() < header || std::memcmp(bytes.data(), kCacheMagic, sizeof kCacheMagic) != 0) return std::nullopt;
    uint64_t bites = 0, check = 0;
    std::memcpy(&bites, bytes.data() + 8, 8);
    std::memcpy(&check, bytes.data() + 16, 8);
    const size_t values = bites * static_cast<size_t>(dsp::kSpectrogramSize);
    if (bites > 100000 || bytes.size() != header + values * 2) return std::nullopt;
    if (fnv1a64(bytes.data() + header, values * 2) != check) return std::nullopt;
    ClipFeatures f;
    f.bites = bites;
    f.q15.resize(values);
    std::memcpy(f.q15.data(), bytes.data() + header, values * 2);
    return f;
}

void write_cache_entry(const fs::path& path, const ClipFeatures& f) {
    std::string bytes(kCacheMagic, sizeof kCacheMagic);
    const uint64_t bites = f.bites;
    const uint64_t check = fnv1a64(reinterpret_cast<const char*>(f.q15.data()), f.q15.size() * 2);
    bytes.append(reinterpret_cast<const char*>(&bites), 8);
    bytes.append(reinterpret_cast<const char*>(&check), 8);
    bytes.append(reinterpret_cast<const char*>(f.q15.data()), f.q15.size() * 2);
    io::write_file_atomic(path, bytes);
}

}  // namespace

nlohmann::json front_end_json(const FrontEndSettings& s) {
    const char* silence = s.bites.silence == audio::SilenceRule::all_zero ? "all_zero" : s.bites.silence == audio::SilenceRule::rms_below ? "rms_below" : "keep_all";
    return {{"sample_rate", dsp::kSampleRate}, {"frame", dsp::kFrameLength}, {"hop", dsp::kHop}, {"bins", dsp::kBins}, {"frames", dsp::kFrames},
            {"magnitude", s.magnitude == dsp::MagnitudeMode::exact ? "exact" : "cmsis58"}, {"soundbite_hop", s.bites.hop},
            {"silence", silence}, {"silence_rms_dbfs", s.bites.rms_threshold_dbfs}, {"feature_units", "q15/32768*512"}};
}

FrontEndSettings front_end_from_json(const nlohmann::json& j) {
    FrontEndSettings s;
    try {
        s.magnitude = j.at("magnitude").get<std::string>() == "exact" ? dsp::MagnitudeMode::exact : dsp::MagnitudeMode::cmsis58;
        s.bites.hop = j.at("soundbite_hop").get<size_t>();
        const auto silence = j.at("silence").get<std::string>();
        s.bites.silence = silence == "all_zero" ? audio::SilenceRule::all_zero : silence == "rms_below" ? audio::SilenceRule::rms_below : audio::SilenceRule::keep_all;
        s.bites.rms_threshold_dbfs = j.at("silence_rms_dbfs").get<double>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("front-end settings are incomplete (") + e.what() + ")");
    }
    return s;
}

ClipFeatures compute_clip_features(const fs::path& path, const FrontEndSettings& settings) {
    const auto pcm = audio::load_pcm16k(path);
    const auto bites = audio::cut_soundbites(pcm, settings.bites);
    ClipFeatures f;
    f.bites = bites.size();
    f.q15.resize(bites.size() * static_cast<size_t>(dsp::kSpectrogramSize));
    for (size_t i = 0; i < bites.size(); ++i) {
        dsp::spectrogram_q15(bites[i].samples.data(), f.q15.data() + i * static_cast<size_t>(dsp::kSpectrogramSize), settings.magnitude);
    }
    return f;
}

uint64_t content_hash(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open");
    uint64_t h = 14695981039346656037ull;
    char buf[1 << 16];
    while (in) {
        in.read(buf, sizeof buf);
        h = fnv1a64(buf, static_cast<size_t>(in.gcount()), h);
    }
    return h;
}

std::string cache_key(uint64_t content, const FrontEndSettings& settings) {
    const std::string s = front_end_json(settings).dump() + "/format" + std::to_string(kCacheFormat);
    return hex(content) + "-" + hex(fnv1a64(s.data(), s.size()));
}

fs::path default_cache_dir() {
    if (const char* e = std::getenv("EARSHOT_CACHE"); e && *e) return e;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "earshot" / "features";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "earshot" / "features";
    return fs::temp_directory_path() / "earshot-features";
}

Extraction extract_features(std::span<const Clip> clips, const FrontEndSettings& settings, const ExtractOptions& options) {
    Extraction out;
    out.clips.resize(clips.size());
    out.ok.assign(clips.size(), 0);
    std::vector<std::string> errors(clips.size());
    if (options.cache_dir) {
        std::error_code ec;
        fs::create_directories(*options.cache_dir, ec);
        if (ec) throw Error(options.cache_dir->string() + ": cannot create the feature cache folder (" + ec.message() + ")");
    }
    std::atomic<size_t> done{0}, hits{0};
    std::mutex progress_mutex;
    io::parallel_for(clips.size(), options.threads, [&](size_t i) {
        try {
            std::optional<fs::path> entry;
            if (options.cache_dir) entry = *options.cache_dir / (cache_key(content_hash(clips[i].path), settings) + ".feat");
            std::optional<ClipFeatures> cached = entry ? read_cache_entry(*entry) : std::nullopt;
            if (cached) {
                out.clips[i] = std::move(*cached);
                ++hits;
            } else {
                out.clips[i] = compute_clip_features(clips[i].path, settings);
                if (entry) write_cache_entry(*entry, out.clips[i]);
            }
            out.ok[i] = 1;
        } catch (const Error& e) {
            errors[i] = e.what();
        } catch (const std::exception& e) {
            errors[i] = clips[i].relative + ": " + e.what();
        }
        const size_t d = ++done;
        if (options.progress) {
            std::lock_guard lock(progress_mutex);
            options.progress(d, clips.size());
        }
    });
    out.cache_hits = hits;
    for (size_t i = 0; i < clips.size(); ++i) {
        if (!out.ok[i]) out.failures.push_back(errors[i]);
    }
    return out;
}

}  // namespace earshot::data
