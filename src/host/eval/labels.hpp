// Where the alarms are in a recording: event lists read from label files.
//  - DCASE / sed_eval TSV: `filename<TAB>onset<TAB>offset<TAB>event_label` (seconds), an
//    optional header line starting with "filename"; a file listed with no onset is all background.
//  - Audacity label tracks: `NAME.txt` beside `NAME.wav`, lines `start<TAB>end<TAB>label`.
// Every problem names the file and the line.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace earshot::eval {

struct LabelledEvent {
    double onset = 0.0, offset = 0.0;  // seconds
    std::string label;
};

// filename (as written in the TSV) -> its events, in file order. Files listed only with empty
// onset/offset map to an empty list.
std::map<std::string, std::vector<LabelledEvent>> read_label_tsv(const std::filesystem::path& path);

std::vector<LabelledEvent> read_audacity_labels(const std::filesystem::path& path);

// The Audacity label track beside an audio file (same stem, .txt), if there is one.
std::filesystem::path audacity_labels_for(const std::filesystem::path& audio);

}  // namespace earshot::eval
