#include <nlohmann/json.hpp>
#include "host/jobs/demo_report.hpp"

#include <cstdio>

#include "core/dsp/spectrogram.hpp"
#include "host/dsp/float_stft.hpp"
#include "host/io/atomic_file.hpp"
#include "host/jobs/reports.hpp"
#include "host/report/plots.hpp"
#include "host/report/spectrogram_png.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;
namespace {

std::string pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v);
    return buf;
}

void spectrogram_png(const fs::path& path, const std::vector<int16_t>& bite, const std::string& title) {
    if (bite.size() != static_cast<size_t>(dsp::kBiteSamples)) return;
    std::vector<int16_t> q15(dsp::kSpectrogramSize);
    dsp::spectrogram_q15(bite.data(), q15.data(), dsp::MagnitudeMode::cmsis58);
    std::vector<float> mag(q15.size());
    for (size_t i = 0; i < q15.size(); ++i) mag[i] = dsp::q15_magnitude_to_float(q15[i]);
    report::write_png(path, report::spectrogram_figure(mag, dsp::kFrames, dsp::kBins, title));
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return out;
}

std::string row(const std::string& name, const train::ClassificationReport& r) {
    return "<tr><td>" + name + "</td><td>" + pct(r.accuracy) + "</td><td>" + pct(r.precision[1]) + "</td><td>" + pct(r.recall[1]) + "</td><td>" +
           std::to_string(r.confusion[0][1]) + "</td><td>" + std::to_string(r.confusion[1][0]) + "</td></tr>\n";
}

}  // namespace

void write_demo_report(const fs::path& dir, const DemoReport& r, const DetectorData& data) {
    std::vector<report::StageMark> marks;
    int first_epoch = 1;
    for (const auto& s : r.stages) {
        marks.push_back({first_epoch, s.name});
        first_epoch += s.epochs;
    }
    write_training_curves(dir / "training_curves.png", r.history, marks);
    report::write_png(dir / "confusion_float.png", report::confusion_image(r.float_report.confusion, r.float_report.classes, "CONFUSION, FLOAT MODEL, TEST SPLIT"));
    report::write_png(dir / "confusion_int8.png", report::confusion_image(r.int8_report.confusion, r.int8_report.classes, "CONFUSION, INT8 MODEL, TEST SPLIT"));
    spectrogram_png(dir / "example_alarm.png", data.example_alarm, "FRONT END: AN ALARM BITE (Q15, CMSIS 5.8.0)");
    spectrogram_png(dir / "example_background.png", data.example_background, "FRONT END: A BACKGROUND BITE (Q15, CMSIS 5.8.0)");

    nlohmann::json stages = nlohmann::json::array();
    for (const auto& s : r.stages) stages.push_back({{"stage", s.name}, {"epochs", s.epochs}, {"stop_reason", s.stop_reason}});
    nlohmann::json metrics = {{"data", r.data_source}, {"train_items", data.train.size()}, {"augmented", data.augmented}, {"val_items", data.val.size()},
                              {"test_items", data.test.size()}, {"stages", stages}, {"float", train::to_json(r.float_report)},
                              {"int8_post_training", train::to_json(r.ptq_report)}, {"int8_exported", train::to_json(r.int8_report)},
                              {"exported_kind", r.final_kind}, {"arena_bytes", r.arena_bytes}, {"weight_bytes", r.weight_bytes},
                              {"tflite_bytes", r.tflite_bytes}, {"parameters", r.parameters}, {"seconds", r.seconds}};
    if (r.qat_report) metrics["int8_quantization_aware"] = train::to_json(*r.qat_report);
    io::write_file_atomic(dir / "metrics.json", metrics.dump(2) + "\n");

    std::string html = R"(<!doctype html><html><head><meta charset="utf-8"><title>earshot: fire-alarm detector</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:4px 0}code{background:#f4f4f4;padding:1px 4px}</style></head><body>
<h1>earshot: fire-alarm detector</h1>
)";
    html += "<p>Data: " + html_escape(r.data_source) + ". Split by clip: " + std::to_string(data.train.size()) + " training soundbites (" +
            std::to_string(data.augmented) + " made by augmentation), " + std::to_string(data.val.size()) + " validation, " + std::to_string(data.test.size()) +
            " test. Finished in " + std::to_string(static_cast<int>(r.seconds + 0.5)) + " s.</p>\n";
    html += "<h2>Test results</h2><table><tr><th>model</th><th>accuracy</th><th>precision (alarm)</th><th>recall (alarm)</th><th>false alarms</th><th>missed alarms</th></tr>\n";
    html += row("float32", r.float_report) + row("int8, post-training", r.ptq_report);
    if (r.qat_report) html += row("int8, quantization-aware", *r.qat_report);
    html += "</table><p>Exported: the " + r.final_kind + " int8 model. Int8 vs float: " + pct(r.int8_report.accuracy - r.float_report.accuracy) + " accuracy.</p>\n";
    html += "<p><img src=\"confusion_float.png\" alt=\"float confusion\"> <img src=\"confusion_int8.png\" alt=\"int8 confusion\"></p>\n";
    html += "<h2>Training</h2><p>";
    for (const auto& s : r.stages) html += html_escape(s.name) + ": " + std::to_string(s.epochs) + " epochs (" + html_escape(s.stop_reason) + "). ";
    html += "</p><p><img src=\"training_curves.png\" alt=\"training curves\"></p>\n";
    html += "<h2>Example spectrograms (test set)</h2><p>Alarm:<br><img src=\"example_alarm.png\" alt=\"alarm\"><br>Background:<br><img src=\"example_background.png\" alt=\"background\"></p>\n";
    html += "<h2>Artifacts</h2><ul><li><code>fire_alarm.tflite</code>: " + std::to_string(r.tflite_bytes) +
            " bytes, int8 in and out, loads in TFLM and earshot</li><li><code>fire_alarm_model_data.h</code>: the same bytes as a C array</li>"
            "<li><code>compiled/fire_alarm_model.{hpp,cpp}</code>: ahead-of-time C++ for the device (" + std::to_string(r.weight_bytes) + " bytes of weights, " +
            std::to_string(r.arena_bytes) + " bytes of tensor arena)</li><li><code>detector.ckpt</code>: the float model (" + std::to_string(r.parameters) +
            " parameters), for further training</li><li><code>metrics.json</code>: every number on this page</li></ul>\n</body></html>\n";
    io::write_file_atomic(dir / "report.html", html);
}

}  // namespace earshot::jobs
