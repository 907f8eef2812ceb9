// Clip -> q15 spectrograms of its soundbites, with an on-disk cache and all cores.
//
// The cache key is the clip's content hash plus the front-end settings, so renaming a file
// still hits and changing a setting never reuses stale features. Each entry is written
// atomically; an unreadable entry is recomputed, never trusted.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/dsp/magnitude_q15.hpp"
#include "host/audio/soundbites.hpp"
#include "host/data/dataset.hpp"

namespace earshot::data {

struct FrontEndSettings {
    dsp::MagnitudeMode magnitude = dsp::MagnitudeMode::cmsis58;
    audio::SoundbiteOptions bites;
};

nlohmann::json front_end_json(const FrontEndSettings& s);
FrontEndSettings front_end_from_json(const nlohmann::json& j);

struct ClipFeatures {
    size_t bites = 0;
    std::vector<int16_t> q15;  // bites x 124 x 129, frame-major per bite
};

// Decode, resample, cut and transform one clip; throws earshot::Error naming the file.
ClipFeatures compute_clip_features(const std::filesystem::path& path, const FrontEndSettings& settings);

uint64_t content_hash(const std::filesystem::path& path);  // FNV-1a 64 of the file's bytes
std::string cache_key(uint64_t content, const FrontEndSettings& settings);

// $EARSHOT_CACHE, else $XDG_CACHE_HOME/earshot/features, else ~/.cache/earshot/features.
std::filesystem::path default_cache_dir();

struct ExtractOptions {
    std::optional<std::filesystem::path> cache_dir;  // none: no cache
    unsigned threads = 0;                            // 0: all cores
    std::function<void(size_t done, size_t total)> progress;
};

struct Extraction {
    std::vector<ClipFeatures> clips;   // one per input clip; empty for failures
    std::vector<char> ok;              // 1 where the clip decoded (char, not bool: threads write it)
    std::vector<std::string> failures; // "file: reason"
    size_t cache_hits = 0;
};

// Clips that cannot be decoded are reported in `failures` and skipped, not fatal.
Extraction extract_features(std::span<const Clip> clips, const FrontEndSettings& settings, const ExtractOptions& options);

}  // namespace earshot::data
