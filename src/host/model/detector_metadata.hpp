// The operating point travels with the model: the decision rule's parameters and the class
// labels, stored as one named, versioned JSON entry of the .tflite `metadata` table
// ("earshot.detector"). A model without the entry gets the documented defaults below.
#pragma once
#include <string>
#include <vector>

#include "core/detect/decision.hpp"
#include "host/model/graph.hpp"

namespace earshot::model {

inline constexpr const char* kDetectorMetadataName = "earshot.detector";
inline constexpr int kDetectorMetadataVersion = 1;

// Defaults for models without the entry: score > 0.5, 4 of the last 8 blocks (about 0.26 s) to
// turn on, 2 s without a positive block to turn off (longer than the temporal-3 pause, 1.5 s).
inline constexpr int32_t kDefaultK = 4, kDefaultN = 8, kDefaultReleaseBlocks = 63;

struct DetectorSettings {
    std::vector<std::string> labels;  // one per class; a single sigmoid output has {background, alarm}
    int32_t score_output = 0;         // which output element is the alarm score
    detect::DecisionParams decision;
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
