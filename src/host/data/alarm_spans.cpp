#include "host/data/alarm_spans.hpp"

#include <algorithm>

#include "host/error.hpp"

namespace earshot::data {

std::map<std::string, std::vector<eval::LabelledEvent>> read_alarm_spans(const std::filesystem::path& tsv, const std::vector<std::string>& known) {
    auto table = eval::read_label_tsv(tsv);
    for (const auto& [name, spans] : table) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw Error(tsv.string() + ": spans for '" + name + "', which is not one of the alarm recordings (names are relative to the --data folder, e.g. alarms/kind/file.flac)");
        }
    }
    return table;
}

size_t keep_inside_spans(std::vector<uint8_t>& active, const std::vector<eval::LabelledEvent>& spans, double block_seconds, double margin) {
    size_t cleared = 0;
    for (size_t b = 0; b < active.size(); ++b) {
        if (!active[b]) continue;
        const double start = static_cast<double>(b) * block_seconds, end = start + block_seconds;
        const bool inside = std::any_of(spans.begin(), spans.end(), [&](const eval::LabelledEvent& s) { return end > s.onset - margin && start < s.offset + margin; });
        if (!inside) {
            active[b] = 0;
            ++cleared;
        }
    }
    return cleared;
}

}  // namespace earshot::data
