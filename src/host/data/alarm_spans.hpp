// Hand-marked alarm spans for the training labels: where the alarm sounds in a weakly labelled
// recording (data/labels/shared_realdata_alarm_spans.tsv marks ../shared/realdata's). The
// band-energy rule (alarm_activity.hpp) finds the tones; a span vetoes the ones outside it: talk
// or clicks in a 10 s AudioSet clip that hold a single beep are never taught as "alarm".
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/eval/labels.hpp"

namespace earshot::data {

// The spans of a DCASE-style TSV (eval/labels.hpp), keyed by file name relative to the recordings'
// root. A name that is not one of `known` is an error naming it and the TSV (a typo must not
// silently leave a recording unmarked); known files without a row keep the band-energy labels.
std::map<std::string, std::vector<eval::LabelledEvent>> read_alarm_spans(const std::filesystem::path& tsv, const std::vector<std::string>& known);

// Clears the active blocks (`block_seconds` each) that do not overlap any span widened by
// `margin` seconds on either side; returns how many it cleared.
size_t keep_inside_spans(std::vector<uint8_t>& active, const std::vector<eval::LabelledEvent>& spans, double block_seconds, double margin = 0.25);

}  // namespace earshot::data
