#include "host/model/detector_metadata.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "host/error.hpp"

namespace earshot::model {
namespace {

const Tensor& output_tensor(const Graph& g) {
    if (g.outputs.empty()) throw Error("the model has no output");
    return g.tensors.at(static_cast<size_t>(g.outputs[0]));
}

int64_t output_count(const Graph& g) { return element_count(output_tensor(g).shape); }

void check(const DetectorSettings& s, const Graph& g, const std::string& origin) {
    const auto bad = [&](const std::string& what) { throw Error(origin + ": detector settings: " + what); };
    if (s.features.kind == FeatureKind::log_bands) {
        if (s.features.band_edges.size() < 2 || !dsp::log_band_layout_valid(s.features.layout())) {
            bad("log_bands features need 2..65 strictly increasing band edges within 0..129 and 1..64 columns");
        }
        const Tensor& in = g.tensors.at(static_cast<size_t>(g.inputs.at(0)));
        if (element_count(in.shape) != s.features.input_elements()) {
            bad("log_bands features of " + std::to_string(s.features.columns) + " columns x " + std::to_string(s.features.bands()) + " bands (" +
                std::to_string(s.features.input_elements()) + " values) do not fit the model input of " + std::to_string(element_count(in.shape)));
        }
    }
    if (s.labels.empty()) bad("no class labels");
    const detect::DecisionParams& d = s.decision;
    if (d.n < 1 || d.n > detect::kMaxWindow) bad("n = " + std::to_string(d.n) + ", must be 1.." + std::to_string(detect::kMaxWindow));
    if (d.k < 1 || d.k > d.n) bad("k = " + std::to_string(d.k) + ", must be 1..n (n = " + std::to_string(d.n) + ")");
    if (d.release_blocks < 1 || d.release_blocks > 100000) bad("release_blocks = " + std::to_string(d.release_blocks) + ", must be 1..100000");
    if (d.threshold_q < -128 || d.threshold_q > 127) bad("threshold_q = " + std::to_string(d.threshold_q) + ", must be -128..127");
    if (s.score_output < 0 || s.score_output >= output_count(g)) {
        bad("score_output = " + std::to_string(s.score_output) + ", the model has " + std::to_string(output_count(g)) + " outputs");
    }
}

}  // namespace

int64_t FeatureSettings::input_elements() const {
    return kind == FeatureKind::log_bands ? static_cast<int64_t>(columns) * bands() : static_cast<int64_t>(dsp::kSpectrogramSize);
}

FeatureSettings default_log_band_features() {
    FeatureSettings f;
    f.kind = FeatureKind::log_bands;
    f.band_edges.assign(dsp::kDefaultBandEdges, dsp::kDefaultBandEdges + dsp::kDefaultBands + 1);
    f.columns = dsp::kDefaultColumns;
    f.remove_mean = true;
    return f;
}

double q_to_score(const Graph& g, int32_t q) {
    const Tensor& out = output_tensor(g);
    if (!out.quant.present()) return q;
    return (q - out.quant.zero_point[0]) * static_cast<double>(out.quant.scale[0]);
}

int32_t score_to_q(const Graph& g, double score) {
    const Tensor& out = output_tensor(g);
    if (!out.quant.present()) throw Error("the model's output is not quantized: the decision rule needs int8 scores");
    const double q = std::floor(score / static_cast<double>(out.quant.scale[0]) + static_cast<double>(out.quant.zero_point[0]) + 1e-9);
    return static_cast<int32_t>(std::clamp(q, -128.0, 127.0));
}

DetectorSettings default_detector_settings(const Graph& g) {
    DetectorSettings s;
    const int64_t outputs = output_count(g);
    if (outputs == 1) {
        s.labels = {"background", "alarm"};
    } else {
        for (int64_t i = 0; i < outputs; ++i) s.labels.push_back("class" + std::to_string(i));
        s.score_output = static_cast<int32_t>(outputs - 1);
    }
    const Tensor& out = output_tensor(g);
    s.decision.threshold_q = out.quant.present() ? score_to_q(g, 0.5) : 0;
    s.decision.k = kDefaultK;
    s.decision.n = kDefaultN;
    s.decision.release_blocks = kDefaultReleaseBlocks;
    return s;
}

DetectorSettings detector_settings(const Graph& g, const std::string& origin) {
    const MetadataEntry* entry = nullptr;
    for (const MetadataEntry& e : g.metadata) {
        if (e.name == kDetectorMetadataName) entry = &e;
    }
    if (!entry) return default_detector_settings(g);
    const std::string where = origin + ": metadata '" + kDetectorMetadataName + "'";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(entry->data.begin(), entry->data.end());
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + " is not valid JSON: " + e.what());
    }
    const auto field = [&](const nlohmann::json& obj, const char* name) -> const nlohmann::json& {
        if (!obj.is_object() || !obj.contains(name)) throw Error(where + ": missing field '" + name + "'");
        return obj.at(name);
    };
    const auto integer = [&](const nlohmann::json& obj, const char* name) {
        const nlohmann::json& v = field(obj, name);
        if (!v.is_number_integer()) throw Error(where + ": field '" + name + "' must be an integer");
        return v.get<int64_t>();
    };
    const int64_t version = integer(j, "version");
    if (version != kDetectorMetadataVersion) {
        throw Error(where + ": version " + std::to_string(version) + ", this earshot reads version " + std::to_string(kDetectorMetadataVersion));
    }
    DetectorSettings s;
    s.from_metadata = true;
    const nlohmann::json& labels = field(j, "labels");
    if (!labels.is_array()) throw Error(where + ": field 'labels' must be a list of strings");
    for (const auto& l : labels) {
        if (!l.is_string()) throw Error(where + ": field 'labels' must be a list of strings");
        s.labels.push_back(l.get<std::string>());
    }
    s.score_output = static_cast<int32_t>(std::clamp<int64_t>(integer(j, "score_output"), -1, 1 << 20));
    const nlohmann::json& d = field(j, "decision");
    const auto small = [&](const char* name) { return static_cast<int32_t>(std::clamp<int64_t>(integer(d, name), -1000000, 1000000)); };
    s.decision.threshold_q = small("threshold_q");
    s.decision.k = small("k");
    s.decision.n = small("n");
    s.decision.release_blocks = small("release_blocks");
    if (j.contains("features")) {
        const nlohmann::json& f = j.at("features");
        const nlohmann::json& kind = field(f, "kind");
        if (kind == "spectrogram") {
            s.features.kind = FeatureKind::spectrogram;
        } else if (kind == "log_bands") {
            s.features.kind = FeatureKind::log_bands;
            const nlohmann::json& edges = field(f, "band_edges");
            if (!edges.is_array() || edges.size() > dsp::kMaxBands + 1) throw Error(where + ": field 'band_edges' must be a list of at most 65 bin indices");
            for (const auto& e : edges) {
                if (!e.is_number_integer() || e.get<int64_t>() < 0 || e.get<int64_t>() > dsp::kBins) throw Error(where + ": 'band_edges' holds bin indices 0..129");
                s.features.band_edges.push_back(static_cast<uint8_t>(e.get<int64_t>()));
            }
            s.features.columns = static_cast<int32_t>(std::clamp<int64_t>(integer(f, "columns"), -1, 1 << 20));
            const nlohmann::json& rm = field(f, "remove_mean");
            if (!rm.is_boolean()) throw Error(where + ": field 'remove_mean' must be true or false");
            s.features.remove_mean = rm.get<bool>();
        } else {
            throw Error(where + ": unknown features kind " + kind.dump() + " (this earshot knows \"spectrogram\" and \"log_bands\")");
        }
    }
    check(s, g, where);
    return s;
}

std::string detector_settings_json(const Graph& g, const DetectorSettings& s) {
    nlohmann::ordered_json j;
    j["version"] = kDetectorMetadataVersion;
    j["labels"] = s.labels;
    j["score_output"] = s.score_output;
    nlohmann::ordered_json d;
    d["threshold_q"] = s.decision.threshold_q;
    d["threshold_score"] = std::round(q_to_score(g, s.decision.threshold_q) * 1e6) / 1e6;  // for people; threshold_q decides
    d["k"] = s.decision.k;
    d["n"] = s.decision.n;
    d["release_blocks"] = s.decision.release_blocks;
    d["block_ms"] = 32;
    j["decision"] = d;
    nlohmann::ordered_json f;
    if (s.features.kind == FeatureKind::log_bands) {
        f["kind"] = "log_bands";
        f["band_edges"] = s.features.band_edges;
        f["columns"] = s.features.columns;
        f["remove_mean"] = s.features.remove_mean;
    } else {
        f["kind"] = "spectrogram";
    }
    j["features"] = f;
    return j.dump(1);
}

void set_detector_settings(Graph& g, const DetectorSettings& s) {
    check(s, g, "detector settings");
    const std::string text = detector_settings_json(g, s);
    MetadataEntry entry{kDetectorMetadataName, std::vector<uint8_t>(text.begin(), text.end())};
    for (MetadataEntry& e : g.metadata) {
        if (e.name == kDetectorMetadataName) {
            e = std::move(entry);
            return;
        }
    }
    g.metadata.push_back(std::move(entry));
}

}  // namespace earshot::model
