#include <nlohmann/json.hpp>
#include "host/train/model_config.hpp"

#include <fstream>
#include <map>
#include <set>

#include "host/error.hpp"

namespace earshot::train {
namespace {

using nlohmann::json;

const char* const kDefaultConfig = R"({
  "input": [124, 129, 1],
  "layers": [
    {"type": "resize", "name": "resize", "height": 32, "width": 32, "method": "nearest"},
    {"type": "normalization", "name": "normalization"},
    {"type": "conv2d", "name": "conv", "filters": 8, "kernel": [8, 8], "stride": [2, 2], "padding": "valid", "activation": "relu"},
    {"type": "maxpool2d", "name": "pool", "pool": [2, 2]},
    {"type": "flatten", "name": "flatten"},
    {"type": "dropout", "name": "dropout", "rate": 0.25},
    {"type": "dense", "name": "head", "units": "classes", "activation": "softmax"}
  ],
  "training": {
    "optimizer": "adam",
    "learning_rate": 0.001,
    "batch_size": 32,
    "epochs": 250,
    "early_stopping_patience": 25,
    "restore_best_weights": true,
    "schedule": {"type": "exponential", "after_epoch": 100, "decay": 0.1}
  }
})";

struct Context {
    std::string where;  // "layers[3] (conv2d)"
    [[noreturn]] void fail(const std::string& what) const { throw Error("model config: " + where + ": " + what); }

    const json& field(const json& obj, const char* key) const {
        if (!obj.contains(key)) fail(std::string("missing '") + key + "'");
        return obj.at(key);
    }
    int positive(const json& obj, const char* key, int fallback = -1) const {
        if (!obj.contains(key)) {
            if (fallback > 0) return fallback;
            fail(std::string("missing '") + key + "'");
        }
        const json& v = obj.at(key);
        if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > 1 << 20) {
            fail(std::string("'") + key + "' must be a positive integer, not " + v.dump());
        }
        return v.get<int>();
    }
    // [h, w] or a single integer for both.
    std::pair<int, int> pair(const json& obj, const char* key, int fallback) const {
        if (!obj.contains(key)) return {fallback, fallback};
        const json& v = obj.at(key);
        if (v.is_number_integer()) {
            const int n = positive(obj, key);
            return {n, n};
        }
        if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer() || v[0].get<long long>() <= 0 ||
            v[1].get<long long>() <= 0) {
            fail(std::string("'") + key + "' must be [height, width] of positive integers, not " + v.dump());
        }
        return {v[0].get<int>(), v[1].get<int>()};
    }
    std::string choice(const json& obj, const char* key, const std::set<std::string>& allowed, const std::string& fallback) const {
        if (!obj.contains(key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_string() || !allowed.count(v.get<std::string>())) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(std::string("'") + key + "' must be one of " + list + ", not " + v.dump());
        }
        return v.get<std::string>();
    }
    // A typo ("lr", "filter") must not be ignored silently: name it and list what is known.
    void only_fields(const json& obj, const std::set<std::string>& known) const {
        for (const auto& [key, value] : obj.items()) {
            (void)value;
            if (known.count(key)) continue;
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            fail("unknown field '" + key + "' (known here: " + list + ")");
        }
    }
    double number(const json& obj, const char* key, double fallback, double lo, double hi) const {
        if (!obj.contains(key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi) {
            fail(std::string("'") + key + "' must be a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], not " + v.dump());
        }
        return v.get<double>();
    }
};

Activation activation_of(const Context& ctx, const json& spec, bool dense) {
    const std::string a = ctx.choice(spec, "activation", dense ? std::set<std::string>{"none", "relu", "softmax", "sigmoid"} : std::set<std::string>{"none", "relu"}, "none");
    if (a == "relu") return Activation::relu;
    if (a == "softmax") return Activation::softmax;
    if (a == "sigmoid") return Activation::sigmoid;
    return Activation::none;
}

// The fields each layer type reads, besides "type", "name" and "trainable".
const std::map<std::string, std::set<std::string>>& layer_fields() {
    static const std::map<std::string, std::set<std::string>> fields{
        {"resize", {"height", "width", "method", "half_pixel_centers"}},
        {"normalization", {}},
        {"conv2d", {"filters", "kernel", "stride", "padding", "activation"}},
        {"maxpool2d", {"pool", "stride"}},
        {"flatten", {}},
        {"dropout", {"rate"}},
        {"dense", {"units", "activation"}},
    };
    return fields;
}

LayerOp make_op(const Context& ctx, const json& spec, const std::string& type, int classes, bool last) {
    if (const auto known = layer_fields().find(type); known != layer_fields().end()) {
        std::set<std::string> allowed = known->second;
        allowed.insert({"type", "name", "trainable"});
        ctx.only_fields(spec, allowed);
    }
    if (type == "resize") {
        ResizeLayer l;
        l.height = ctx.positive(spec, "height");
        l.width = ctx.positive(spec, "width");
        l.method = ctx.choice(spec, "method", {"nearest", "bilinear"}, "nearest") == "nearest" ? ResizeMethod::nearest : ResizeMethod::bilinear;
        if (spec.contains("half_pixel_centers")) {
            if (!spec["half_pixel_centers"].is_boolean()) ctx.fail("'half_pixel_centers' must be true or false");
            l.half_pixel_centers = spec["half_pixel_centers"].get<bool>();
        }
        return l;
    }
    if (type == "normalization") return NormalizationLayer{};
    if (type == "conv2d") {
        Conv2DLayer l;
        l.filters = ctx.positive(spec, "filters");
        std::tie(l.kernel_h, l.kernel_w) = ctx.pair(spec, "kernel", 0);
        if (l.kernel_h == 0) ctx.fail("missing 'kernel'");
        std::tie(l.stride_h, l.stride_w) = ctx.pair(spec, "stride", 1);
        l.padding = ctx.choice(spec, "padding", {"valid", "same"}, "valid") == "valid" ? model::Padding::valid : model::Padding::same;
        l.activation = activation_of(ctx, spec, false);
        return l;
    }
    if (type == "maxpool2d") {
        MaxPool2DLayer l;
        std::tie(l.pool_h, l.pool_w) = ctx.pair(spec, "pool", 2);
        std::tie(l.stride_h, l.stride_w) = ctx.pair(spec, "stride", 0);
        if (l.stride_h == 0) std::tie(l.stride_h, l.stride_w) = std::pair{l.pool_h, l.pool_w};  // Keras: stride = pool
        return l;
    }
    if (type == "flatten") return FlattenLayer{};
    if (type == "dropout") {
        DropoutLayer l;
        l.rate = static_cast<float>(ctx.number(spec, "rate", 0.5, 0.0, 0.95));
        return l;
    }
    if (type == "dense") {
        DenseLayer l;
        l.activation = activation_of(ctx, spec, true);
        const bool output = l.activation == Activation::softmax || l.activation == Activation::sigmoid;
        if (output && !last) ctx.fail("softmax and sigmoid are output activations: only the last layer may use them");
        if (last && !output) ctx.fail("the last layer must be a dense layer with activation softmax or sigmoid");
        const json& units = ctx.field(spec, "units");
        if (units.is_string() && units.get<std::string>() == "classes") {
            l.units = l.activation == Activation::sigmoid && classes == 2 ? 1 : classes;
        } else {
            l.units = ctx.positive(spec, "units");
        }
        if (last) {
            if (l.activation == Activation::softmax && l.units != classes) {
                ctx.fail("softmax output has " + std::to_string(l.units) + " units but the data has " + std::to_string(classes) + " classes (use \"units\": \"classes\")");
            }
            if (l.activation == Activation::sigmoid && (l.units != 1 || classes != 2)) {
                ctx.fail("a sigmoid output needs 1 unit and 2 classes (background and target); the data has " + std::to_string(classes));
            }
        }
        return l;
    }
    ctx.fail("unknown layer type '" + type + "' (known: resize, normalization, conv2d, maxpool2d, flatten, dropout, dense)");
}

// Far above anything that fits an RP2040 (264 KB), yet small enough that a typo such as a
// 4000x4000 resize is an error naming the layer instead of gigabytes of training memory.
constexpr size_t kMaxItemValues = size_t{1} << 21;   // values per item at a layer's output
constexpr size_t kMaxLayerParameters = size_t{1} << 22;

void check_size(const Context& ctx, const std::vector<int>& in, const std::vector<int>& out, const Layer& layer) {
    const size_t values = Tensor::element_count(out);
    if (values > kMaxItemValues) {
        ctx.fail("its output holds " + std::to_string(values) + " values per item, over the limit of " + std::to_string(kMaxItemValues));
    }
    size_t params = 0;
    if (const auto* conv = std::get_if<Conv2DLayer>(&layer.op)) {
        params = size_t(conv->filters) * size_t(conv->kernel_h) * size_t(conv->kernel_w) * size_t(in.back());
    } else if (const auto* dense = std::get_if<DenseLayer>(&layer.op)) {
        params = size_t(dense->units) * Tensor::element_count(in);
    }
    if (params > kMaxLayerParameters) {
        ctx.fail("it would have " + std::to_string(params) + " weights, over the limit of " + std::to_string(kMaxLayerParameters));
    }
}

}  // namespace

json default_model_config() { return json::parse(kDefaultConfig); }

json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(path.string() + ": cannot open");
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw Error(path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

Network build_network(const json& config, int classes, uint64_t seed) {
    Context ctx{"top level"};
    if (!config.is_object()) ctx.fail("must be a JSON object");
    if (classes < 2) throw Error("training needs at least 2 classes, the data has " + std::to_string(classes));
    ctx.only_fields(config, {"input", "layers", "training"});
    training_config(config);  // a bad "training" section fails now, not after the features are computed
    Network net;
    const json& input = ctx.field(config, "input");
    if (!input.is_array() || input.empty() || input.size() > 3) ctx.fail("'input' must be [height, width, channels]");
    for (const auto& d : input) {
        if (!d.is_number_integer() || d.get<long long>() <= 0) ctx.fail("'input' must hold positive integers, not " + input.dump());
        net.input_shape.push_back(d.get<int>());
    }
    if (Tensor::element_count(net.input_shape) > kMaxItemValues) ctx.fail("'input' " + input.dump() + " is too large");
    const json& layers = ctx.field(config, "layers");
    if (!layers.is_array() || layers.empty()) ctx.fail("'layers' must be a non-empty array");
    Rng rng{seed};
    std::vector<int> shape = net.input_shape;
    std::set<std::string> names;
    for (size_t i = 0; i < layers.size(); ++i) {
        const json& spec = layers[i];
        Context lc{"layers[" + std::to_string(i) + "]"};
        if (!spec.is_object()) lc.fail("must be an object");
        const json& type = lc.field(spec, "type");
        if (!type.is_string()) lc.fail("'type' must be a string");
        lc.where += " (" + type.get<std::string>() + ")";
        Layer layer;
        layer.name = spec.contains("name") && spec["name"].is_string() ? spec["name"].get<std::string>() : type.get<std::string>() + "_" + std::to_string(i);
        if (layer.name.empty() || layer.name.find('/') != std::string::npos) lc.fail("'name' must be non-empty and contain no '/'");
        if (!names.insert(layer.name).second) lc.fail("duplicate layer name '" + layer.name + "'");
        if (spec.contains("trainable")) {
            if (!spec["trainable"].is_boolean()) lc.fail("'trainable' must be true or false");
            layer.trainable = spec["trainable"].get<bool>();
        }
        layer.op = make_op(lc, spec, type.get<std::string>(), classes, i + 1 == layers.size());
        if (i + 1 == layers.size() && !std::holds_alternative<DenseLayer>(layer.op)) {
            lc.fail("the last layer must be a dense layer with activation softmax or sigmoid, not " + type.get<std::string>());
        }
        if (const auto* dense = std::get_if<DenseLayer>(&layer.op); dense && i + 1 == layers.size()) net.output_activation = dense->activation;
        const std::vector<int> next = output_item_shape(layer, shape);
        check_size(lc, shape, next, layer);
        initialize(layer, shape, rng);
        shape = next;
        net.layers.push_back(std::move(layer));
    }
    // The output must be one score per class (or one sigmoid unit): everything downstream
    // (loss, metrics, export) indexes it by class.
    const int expected_units = net.output_activation == Activation::sigmoid ? 1 : classes;
    if (shape != std::vector<int>{expected_units}) {
        std::string dims;
        for (int d : shape) dims += (dims.empty() ? "" : "x") + std::to_string(d);
        ctx.fail("the model's output is " + dims + " but the data needs " + std::to_string(expected_units) +
                 " (put a flatten layer before the last dense layer)");
    }
    net.config_json = config.dump(2);
    return net;
}

TrainingConfig training_config(const json& config) {
    TrainingConfig t;
    if (!config.contains("training")) return t;
    const json& s = config["training"];
    Context ctx{"training"};
    if (!s.is_object()) ctx.fail("must be an object");
    ctx.only_fields(s, {"optimizer", "learning_rate", "batch_size", "epochs", "early_stopping_patience", "restore_best_weights", "schedule"});
    ctx.choice(s, "optimizer", {"adam"}, "adam");
    t.learning_rate = ctx.number(s, "learning_rate", t.learning_rate, 1e-9, 10.0);
    t.batch_size = ctx.positive(s, "batch_size", t.batch_size);
    t.epochs = ctx.positive(s, "epochs", t.epochs);
    t.early_stopping_patience = static_cast<int>(ctx.number(s, "early_stopping_patience", t.early_stopping_patience, 0, 1e6));
    if (s.contains("restore_best_weights")) {
        if (!s["restore_best_weights"].is_boolean()) ctx.fail("'restore_best_weights' must be true or false");
        t.restore_best_weights = s["restore_best_weights"].get<bool>();
    }
    if (s.contains("schedule")) {
        const json& sc = s["schedule"];
        Context sctx{"training.schedule"};
        if (!sc.is_object()) sctx.fail("must be an object");
        sctx.only_fields(sc, {"type", "after_epoch", "decay", "factor", "patience", "min_learning_rate"});
        const std::string kind = sctx.choice(sc, "type", {"constant", "exponential", "plateau"}, "exponential");
        t.schedule.kind = kind == "constant" ? ScheduleKind::constant : kind == "exponential" ? ScheduleKind::exponential : ScheduleKind::plateau;
        t.schedule.after_epoch = static_cast<int>(sctx.number(sc, "after_epoch", t.schedule.after_epoch, 0, 1e6));
        t.schedule.decay = sctx.number(sc, "decay", t.schedule.decay, 0.0, 10.0);
        t.schedule.factor = sctx.number(sc, "factor", t.schedule.factor, 1e-6, 1.0);
        t.schedule.patience = static_cast<int>(sctx.number(sc, "patience", t.schedule.patience, 1, 1e6));
        t.schedule.min_learning_rate = sctx.number(sc, "min_learning_rate", t.schedule.min_learning_rate, 0.0, 10.0);
    }
    return t;
}

}  // namespace earshot::train
