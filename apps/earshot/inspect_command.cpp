// earshot inspect model.tflite: operators, tensors, quantization, memory estimate.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "apps/earshot/commands.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/nn/plan.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_reader.hpp"

namespace earshot::cli {
namespace {

struct InspectArgs {
    std::string model;
    bool json = false;
};

std::string shape_text(const std::vector<int32_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string quant_text(const model::Quantization& q) {
    if (!q.present()) return "";
    char buf[96];
    if (q.scale.size() == 1) {
        std::snprintf(buf, sizeof buf, "scale %.9g zp %lld", static_cast<double>(q.scale[0]), static_cast<long long>(q.zero_point[0]));
    } else {
        std::snprintf(buf, sizeof buf, "per-channel (axis %d): %zu scales", q.axis, q.scale.size());
    }
    return buf;
}

std::string options_text(const model::Operator& op) {
    const model::OpOptions& o = op.options;
    std::ostringstream s;
    const char* act[] = {"", " RELU", " RELU_N1_TO_1", " RELU6"};
    switch (op.kind) {
        case model::OpKind::conv_2d:
        case model::OpKind::depthwise_conv_2d:
            s << (o.padding == model::Padding::same ? "SAME" : "VALID") << " stride " << o.stride_h << "x" << o.stride_w;
            if (o.dilation_h != 1 || o.dilation_w != 1) s << " dilation " << o.dilation_h << "x" << o.dilation_w;
            if (op.kind == model::OpKind::depthwise_conv_2d) s << " multiplier " << o.depth_multiplier;
            s << act[static_cast<int>(o.activation)];
            break;
        case model::OpKind::max_pool_2d:
        case model::OpKind::average_pool_2d:
            s << o.filter_h << "x" << o.filter_w << " " << (o.padding == model::Padding::same ? "SAME" : "VALID") << " stride "
              << o.stride_h << "x" << o.stride_w << act[static_cast<int>(o.activation)];
            break;
        case model::OpKind::resize_nearest_neighbor:
        case model::OpKind::resize_bilinear:
            s << "align_corners=" << o.align_corners << " half_pixel_centers=" << o.half_pixel_centers;
            break;
        case model::OpKind::fully_connected:
        case model::OpKind::add:
        case model::OpKind::mul:
            s << act[static_cast<int>(o.activation)];
            break;
        case model::OpKind::softmax: s << "beta " << o.beta; break;
        default: break;
    }
    return s.str();
}

// What stands between the model and a board: operators earshot's kernels cannot run (the
// planner's own refusal), and memory beyond the RP2040's (264 KB SRAM, 2 MB flash on a Pico).
struct DeviceFit {
    std::string unsupported;  // empty when every operator plans
    std::vector<std::string> warnings;
};

DeviceFit device_fit(const model::Graph& g, const model::MemoryEstimate& mem) {
    DeviceFit fit;
    try {
        (void)nn::build_plan(g);
    } catch (const Error& e) {
        fit.unsupported = e.what();
    }
    constexpr long long kSram = 264 * 1024, kFlash = 2 * 1024 * 1024;
    if (mem.peak_live_bytes > kSram) {
        fit.warnings.push_back(io::format("the activations need %lld bytes at the peak, more than the RP2040's %lld bytes of SRAM",
                                          static_cast<long long>(mem.peak_live_bytes), kSram));
    }
    if (mem.weight_bytes > kFlash) {
        fit.warnings.push_back(io::format("the weights need %lld bytes, more than a Pico's %lld bytes of flash", static_cast<long long>(mem.weight_bytes), kFlash));
    }
    return fit;
}

void print_json(const model::Graph& g, const model::MemoryEstimate& mem, const std::string& name) {
    nlohmann::json j;
    j["model"] = name;
    for (const auto& t : g.tensors) {
        nlohmann::json jt = {{"name", t.name}, {"type", model::dtype_name(t.type)}, {"shape", t.shape}, {"constant", !t.data.empty()}};
        if (t.quant.present()) jt["quantization"] = {{"scale", t.quant.scale}, {"zero_point", t.quant.zero_point}, {"axis", t.quant.axis}};
        j["tensors"].push_back(jt);
    }
    for (const auto& op : g.ops) {
        j["operators"].push_back({{"op", model::op_name(op.kind)}, {"version", op.version}, {"inputs", op.inputs},
                                  {"outputs", op.outputs}, {"options", options_text(op)}});
    }
    j["inputs"] = g.inputs;
    j["outputs"] = g.outputs;
    j["memory"] = {{"weight_bytes", mem.weight_bytes}, {"activation_bytes", mem.activation_bytes},
                   {"peak_live_activation_bytes", mem.peak_live_bytes}};
    j["metadata"] = nlohmann::json::array();
    for (const auto& e : g.metadata) j["metadata"].push_back({{"name", e.name}, {"bytes", e.data.size()}});
    const model::DetectorSettings d = model::detector_settings(g, name);
    j["detector"] = nlohmann::json::parse(model::detector_settings_json(g, d));
    j["detector"]["from_metadata"] = d.from_metadata;
    const DeviceFit fit = device_fit(g, mem);
    j["runs_on_earshot_kernels"] = fit.unsupported.empty();
    if (!fit.unsupported.empty()) j["unsupported"] = fit.unsupported;
    j["warnings"] = fit.warnings;
    std::printf("%s\n", j.dump(2).c_str());
}

void print_text(const model::Graph& g, const model::MemoryEstimate& mem, const std::string& name) {
    std::printf("%s: %zu operators, %zu tensors\n", name.c_str(), g.ops.size(), g.tensors.size());
    for (int32_t t : g.inputs) {
        const auto& x = g.tensors[static_cast<size_t>(t)];
        std::printf("  input  #%-3d %-8s %-16s %s  '%s'\n", t, model::dtype_name(x.type), shape_text(x.shape).c_str(), quant_text(x.quant).c_str(), x.name.c_str());
    }
    for (int32_t t : g.outputs) {
        const auto& x = g.tensors[static_cast<size_t>(t)];
        std::printf("  output #%-3d %-8s %-16s %s  '%s'\n", t, model::dtype_name(x.type), shape_text(x.shape).c_str(), quant_text(x.quant).c_str(), x.name.c_str());
    }
    std::printf("\n  %-3s %-24s %-3s %-14s %s\n", "#", "operator", "v", "in -> out", "options");
    for (size_t i = 0; i < g.ops.size(); ++i) {
        const auto& op = g.ops[i];
        std::string io;
        for (size_t k = 0; k < op.inputs.size(); ++k) io += (k ? "," : "") + std::to_string(op.inputs[k]);
        io += " -> ";
        for (size_t k = 0; k < op.outputs.size(); ++k) io += (k ? "," : "") + std::to_string(op.outputs[k]);
        std::printf("  %-3zu %-24s %-3d %-14s %s\n", i, model::op_name(op.kind), op.version, io.c_str(), options_text(op).c_str());
    }
    std::printf("\n  %-3s %-8s %-16s %-7s %s\n", "#", "type", "shape", "const", "quantization / name");
    for (size_t i = 0; i < g.tensors.size(); ++i) {
        const auto& t = g.tensors[i];
        std::printf("  %-3zu %-8s %-16s %-7s %s  '%s'\n", i, model::dtype_name(t.type), shape_text(t.shape).c_str(),
                    t.data.empty() ? "" : std::to_string(t.data.size()).c_str(), quant_text(t.quant).c_str(), t.name.c_str());
    }
    const model::DetectorSettings d = model::detector_settings(g, name);
    std::string labels;
    for (const auto& l : d.labels) labels += (labels.empty() ? "" : ", ") + l;
    std::printf("\n  detector (%s): labels %s; score = output %d\n", d.from_metadata ? "metadata 'earshot.detector'" : "defaults: no earshot.detector metadata",
                labels.c_str(), d.score_output);
    std::printf("    alarm on when %d of the last %d blocks (32 ms each) score q > %d (score > %.4f); off after %d blocks (%.2f s) without one\n",
                d.decision.k, d.decision.n, d.decision.threshold_q, model::q_to_score(g, d.decision.threshold_q), d.decision.release_blocks,
                d.decision.release_blocks * 0.032);
    if (d.features.kind == model::FeatureKind::log_bands) {
        std::printf("    front end: log band energies, %d bands x %d blocks, window mean %s\n", d.features.bands(), d.features.columns,
                    d.features.remove_mean ? "removed" : "kept");
    } else {
        std::printf("    front end: the tutorial's 124x129 q15 spectrogram (CMSIS-DSP 5.8.0 magnitudes)\n");
    }
    for (const auto& e : g.metadata) {
        if (e.name != model::kDetectorMetadataName) std::printf("    other metadata: '%s' (%zu bytes)\n", e.name.c_str(), e.data.size());
    }
    std::printf("\n  weights (flash): %lld bytes; activations: %lld bytes in all, %lld bytes live at the peak (arena lower bound)\n",
                static_cast<long long>(mem.weight_bytes), static_cast<long long>(mem.activation_bytes), static_cast<long long>(mem.peak_live_bytes));
    const DeviceFit fit = device_fit(g, mem);
    if (fit.unsupported.empty()) std::printf("  earshot's kernels run every operator (compile, run, classify and the firmware accept it)\n");
    else std::printf("  NOT runnable by earshot's kernels: %s\n", fit.unsupported.c_str());
    for (const auto& w : fit.warnings) std::printf("  warning: %s\n", w.c_str());
}

}  // namespace

void add_inspect_command(CLI::App& app) {
    auto args = std::make_shared<InspectArgs>();
    CLI::App* cmd = app.add_subcommand("inspect", "Show a .tflite model's operators, tensors, quantization and memory needs");
    cmd->add_option("MODEL", args->model, ".tflite file")->required();
    cmd->add_flag("--json", args->json, "Machine-readable output");
    cmd->callback([args] {
        const model::Graph g = model::load_tflite(args->model);
        const model::MemoryEstimate mem = model::estimate_memory(g);
        if (args->json) print_json(g, mem, args->model);
        else print_text(g, mem, args->model);
    });
}

}  // namespace earshot::cli
