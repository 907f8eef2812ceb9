#include <nlohmann/json.hpp>
#include "host/jobs/demo_job.hpp"

#include <chrono>
#include <cstdio>

#include "host/data/features.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/output_folder.hpp"
#include "host/io/progress.hpp"
#include "host/jobs/demo_report.hpp"
#include "host/model/c_array.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/nn/aot_compiler.hpp"
#include "host/quant/int8_model.hpp"
#include "host/train/checkpoint.hpp"
#include "host/train/metrics.hpp"
#include "host/train/trainer.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;
namespace {

train::SavedModel load_baseline(const DemoOptions& o) {
    if (o.baseline) return train::load_model(*o.baseline);
    const auto bytes = builtin_baseline();
    return train::model_from_checkpoint(train::decode_checkpoint(std::string(bytes.begin(), bytes.end()), "built-in baseline"), "built-in baseline");
}

}  // namespace

DemoResult run_demo(const DemoOptions& o) {
    io::Progress progress = io::make_progress(o.quiet);
    const auto t0 = std::chrono::steady_clock::now();
    const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    const fs::path staging = io::begin_output_folder(o.out);
    DemoReport report;

    // 1. Data.
    progress_line(progress, "[1/6] data: generating, splitting by clip, augmenting, q15 spectrograms ...");
    const DetectorData data = build_detector_data(o.data);
    for (const auto& s : data.skipped) std::fprintf(stderr, "earshot: warning: skipped %s\n", s.c_str());
    progress_line(progress, io::format("      %zu alarm + %zu background clips -> %zu train (%zu augmented) / %zu val / %zu test soundbites  [%.1fs]", data.positive_clips,
                                data.background_clips, data.train.size(), data.augmented, data.val.size(), data.test.size(), elapsed()));
    report.data_source = data.source;

    // 2. Transfer learning.
    train::SavedModel base = load_baseline(o);
    progress_line(progress, io::format("[2/6] transfer learning from the baseline (%zu classes: %s, ...)", base.classes.size(), base.classes[0].c_str()));
    train::Network net = train::with_new_head(base.network, 2, true, o.seed);
    std::vector<train::EpochRecord> history;
    const auto stage = [&](const char* name, train::TrainingConfig cfg, bool body_trainable, bool qat) {
        cfg.batch_size = o.batch_size;
        train::set_body_trainable(net, body_trainable);
        train::TrainState s = train::start_training(net, cfg, o.seed);
        train::TrainCallbacks cb;
        cb.fake_quantize_weights = qat;
        cb.on_batch = [&](int epoch, size_t b, size_t n, double loss, double acc) {
            progress_update(progress, io::format("      %s epoch %d/%d %s loss %.4f acc %.1f%%", name, epoch, cfg.epochs, io::progress_bar(static_cast<double>(b) / static_cast<double>(n)).c_str(), loss, 100 * acc));
        };
        cb.on_epoch = [&](train::Network&, const train::TrainState& st) {
            const auto& r = st.history.back();
            progress_line(progress, io::format("      %s epoch %d/%d loss %.4f acc %.1f%% val_loss %.4f val_acc %.1f%% lr %.1e", name, r.epoch, cfg.epochs, r.loss, 100 * r.accuracy, r.val_loss,
                                        100 * r.val_accuracy, r.learning_rate));
            return true;
        };
        train::fit(net, s, cfg, data.train, data.val, cb);
        for (auto r : s.history) {
            r.epoch = static_cast<int>(history.size()) + 1;
            history.push_back(r);
        }
        report.stages.push_back({name, static_cast<int>(s.history.size()), s.stop_reason});
    };
    stage("head", o.schedule.head, false, false);
    stage("fine-tune", o.schedule.fine_tune, true, false);
    const auto float_eval = train::evaluate(net, data.test);
    report.float_report = train::classification_report(data.test.labels, float_eval.predictions, data.classes, float_eval.loss);
    progress_line(progress, io::format("      float model: test accuracy %.2f%%  [%.1fs]", 100 * report.float_report.accuracy, elapsed()));

    // 3. Quantization: post-training, then quantization-aware fine-tuning on the same grids.
    progress_line(progress, "[3/6] int8 quantization");
    const quant::Calibration cal = quant::calibrate(net, data.train, 2000);
    const auto int8_report = [&](const model::Graph& g) {
        const auto m = quant::prepare_int8(g);
        const auto r = quant::run_int8(m, data.test);
        return train::classification_report(data.test.labels, r.predictions, data.classes, 0.0);
    };
    const model::Graph ptq = quant::to_int8_graph(net, cal, "earshot fire-alarm detector (post-training int8)");
    report.ptq_report = int8_report(ptq);
    progress_line(progress, io::format("      post-training int8 (%zu calibration samples): test accuracy %.2f%%", cal.samples, 100 * report.ptq_report.accuracy));
    model::Graph final_graph = ptq;
    report.int8_report = report.ptq_report;
    report.final_kind = "post-training";
    if (o.qat_epochs > 0) {
        quant::enable_fake_quant(net, cal);
        train::TrainingConfig qat = o.schedule.fine_tune;
        qat.epochs = o.qat_epochs;
        qat.schedule.kind = train::ScheduleKind::constant;
        stage("qat", qat, true, true);
        net.fake_quant.reset();
        const model::Graph qat_graph = quant::to_int8_graph(net, cal, "earshot fire-alarm detector (quantization-aware int8)");
        const auto qat_report = int8_report(qat_graph);
        progress_line(progress, io::format("      quantization-aware int8: test accuracy %.2f%%", 100 * qat_report.accuracy));
        report.qat_report = qat_report;
        if (qat_report.accuracy >= report.ptq_report.accuracy) {
            final_graph = qat_graph;
            report.int8_report = qat_report;
            report.final_kind = "quantization-aware";
        }
    }

    // 4. Export.
    progress_line(progress, "[4/6] export: fire_alarm.tflite, fire_alarm_model_data.h, compiled C++");
    const auto tflite = model::write_tflite(final_graph);
    io::write_file_atomic(staging / "fire_alarm.tflite", std::string(tflite.begin(), tflite.end()));
    io::write_file_atomic(staging / "fire_alarm_model_data.h", model::c_array_header(tflite, "fire_alarm_model", "fire_alarm.tflite (" + report.final_kind + " int8)"));
    const auto exported = quant::prepare_int8(model::load_tflite(staging / "fire_alarm.tflite"));
    nn::write_compiled_model(nn::compile_plan(exported.plan, "fire_alarm_model", "fire_alarm.tflite"), staging / "compiled", "fire_alarm_model");
    train::save_model(staging / "detector.ckpt", net, data.classes, data::front_end_json({}));

    // 5. The exported file must behave exactly like the model evaluated above.
    progress_line(progress, "[5/6] checking the exported .tflite against the in-memory int8 model");
    const auto in_memory = quant::run_int8(quant::prepare_int8(final_graph), data.test);
    const auto from_file = quant::run_int8(exported, data.test);
    DemoResult result;
    result.export_matches = in_memory.outputs == from_file.outputs;
    if (!result.export_matches) throw Error("internal: the exported .tflite gives different int8 outputs from the in-memory model");
    const auto mem = model::estimate_memory(exported.plan.graph);
    report.arena_bytes = exported.plan.arena_bytes;
    report.weight_bytes = mem.weight_bytes;
    report.tflite_bytes = tflite.size();
    report.parameters = train::parameter_count(net);

    // 6. Report.
    progress_line(progress, "[6/6] report");
    report.history = history;
    report.seconds = elapsed();
    write_demo_report(staging, report, data);
    io::publish_output_folder(staging, o.out);

    result.float_accuracy = report.float_report.accuracy;
    result.ptq_accuracy = report.ptq_report.accuracy;
    result.int8_accuracy = report.int8_report.accuracy;
    result.precision = report.int8_report.precision[1];
    result.recall = report.int8_report.recall[1];
    result.test_items = data.test.size();
    result.arena_bytes = report.arena_bytes;
    result.weight_bytes = report.weight_bytes;
    return result;
}

}  // namespace earshot::jobs
