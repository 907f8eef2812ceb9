// The operating point travels with the model: the decision rule's parameters and the class
// labels, stored as one named, versioned JSON entry of the .tflite `metadata` table
// ("earshot.detector"). A model without the entry gets the documented defaults below.
#pragma once
#include <string>
#include <vector>

#include "core/detect/decision.hpp"
#include "core/dsp/log_bands.hpp"
#include "host/model/graph.hpp"

namespace earshot::model {

inline constexpr const char* kDetectorMetadataName = "earshot.detector";
inline constexpr int kDetectorMetadataVersion = 1;

// Defaults for models without the entry: score > 0.5, 4 of the last 8 blocks (about 0.26 s) to
// turn on, 2 s without a positive block to turn off (longer than the temporal-3 pause, 1.5 s).
inline constexpr int32_t kDefaultK = 4, kDefaultN = 8, kDefaultReleaseBlocks = 63;

// Which front end feeds the model. `spectrogram`: the tutorial path (124x129 q15 magnitudes,
// CMSIS-DSP 5.8.0), what models without the entry (the tutorial's own) expect. `log_bands`: the
// default detector's loudness-robust log band energies (core/dsp/log_bands.hpp).
enum class FeatureKind : uint8_t { spectrogram, log_bands };

struct FeatureSettings {
    FeatureKind kind = FeatureKind::spectrogram;
    std::vector<uint8_t> band_edges;  // log_bands: bands + 1 bin indices
    int32_t columns = dsp::kDefaultColumns;
    bool remove_mean = true;

    int32_t bands() const { return static_cast<int32_t>(band_edges.size()) - 1; }
    // The core layout (points into band_edges: keep this object alive while it is used).
    dsp::LogBandLayout layout() const { return {band_edges.data(), bands(), columns, remove_mean}; }
    int64_t input_elements() const;  // what the model's input must hold
};

// The default detector's features: 32 mel bands, 32 blocks, window mean removed.
FeatureSettings default_log_band_features();

struct DetectorSettings {
    std::vector<std::string> labels;  // one per class; a single sigmoid output has {background, alarm}
    int32_t score_output = 0;         // which output element is the alarm score
    detect::DecisionParams decision;
    FeatureSettings features;
    bool from_metadata = false;       // false: the defaults were used
};

// The int8 output value that a score of `score` maps to, rounded down: q > this means score > `score`.
int32_t score_to_q(const Graph& g, double score);
double q_to_score(const Graph& g, int32_t q);

// The model's settings: its metadata entry, or the defaults. A malformed entry is an error
// naming `origin` and the field.
DetectorSettings detector_settings(const Graph& g, const std::string& origin);
DetectorSettings default_detector_settings(const Graph& g);

// Replaces (or adds) the entry. Throws earshot::Error for parameters the rule cannot take.
void set_detector_settings(Graph& g, const DetectorSettings& s);

// The entry's text (what `inspect` shows).
std::string detector_settings_json(const Graph& g, const DetectorSettings& s);

}  // namespace earshot::model
