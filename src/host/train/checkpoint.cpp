#include "host/train/checkpoint.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <cstring>
#include <fstream>
#include <iterator>

#include "host/error.hpp"
#include "host/io/read_file.hpp"
#include "host/io/atomic_file.hpp"
#include "host/train/model_config.hpp"

namespace earshot::train {
namespace {

constexpr char kMagic[8] = {'E', 'S', 'H', 'T', 'C', 'K', 'P', 'T'};

uint32_t fnv1a(std::string_view bytes) {
    uint32_t h = 2166136261u;
    for (unsigned char c : bytes) h = (h ^ c) * 16777619u;
    return h;
}

void put_u32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

struct Reader {
    const std::string& bytes;
    const std::string& source;
    size_t pos = 0;

    [[noreturn]] void fail(const std::string& what) const { throw Error(source + ": " + what); }
    void need(size_t n) const {
        if (bytes.size() - pos < n) fail("truncated checkpoint (ends inside a record at byte " + std::to_string(pos) + ")");
    }
    uint32_t u32() {
        need(4);
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[pos + static_cast<size_t>(i)])) << (8 * i);
        pos += 4;
        return v;
    }
    std::string text(size_t n) {
        need(n);
        std::string s = bytes.substr(pos, n);
        pos += n;
        return s;
    }
};

// JSON has no infinity; "no best yet" is stored as null.
nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double from_finite_or_null(const nlohmann::json& v) { return v.is_null() ? std::numeric_limits<double>::infinity() : v.get<double>(); }

}  // namespace

nlohmann::json history_to_json(const std::vector<EpochRecord>& history) {
    nlohmann::json h = nlohmann::json::array();
    for (const auto& r : history) {
        h.push_back({{"epoch", r.epoch}, {"loss", r.loss}, {"accuracy", r.accuracy}, {"val_loss", r.val_loss},
                     {"val_accuracy", r.val_accuracy}, {"learning_rate", r.learning_rate}, {"seconds", r.seconds}});
    }
    return h;
}

std::vector<EpochRecord> history_from_json(const nlohmann::json& h) {
    std::vector<EpochRecord> out;
    for (const auto& r : h) {
        out.push_back({r.at("epoch").get<int>(), r.at("loss").get<double>(), r.at("accuracy").get<double>(), r.at("val_loss").get<double>(),
                       r.at("val_accuracy").get<double>(), r.at("learning_rate").get<double>(), r.at("seconds").get<double>()});
    }
    return out;
}

const Tensor* Checkpoint::find(const std::string& name) const {
    for (const auto& [n, t] : tensors) {
        if (n == name) return &t;
    }
    return nullptr;
}

std::string encode_checkpoint(const Checkpoint& c) {
    static_assert(std::endian::native == std::endian::little, "checkpoint floats are written as little-endian bytes");
    std::string out(kMagic, sizeof kMagic);
    put_u32(out, kCheckpointVersion);
    const std::string meta = c.meta.dump();
    put_u32(out, static_cast<uint32_t>(meta.size()));
    out += meta;
    put_u32(out, static_cast<uint32_t>(c.tensors.size()));
    for (const auto& [name, t] : c.tensors) {
        out.push_back(static_cast<char>(name.size() & 0xFF));
        out.push_back(static_cast<char>(name.size() >> 8));
        out += name;
        out.push_back(static_cast<char>(t.shape.size()));
        for (int d : t.shape) put_u32(out, static_cast<uint32_t>(d));
        out.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float));
    }
    put_u32(out, fnv1a(out));
    return out;
}

Checkpoint decode_checkpoint(const std::string& bytes, const std::string& source) {
    Reader r{bytes, source};
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) r.fail("not an earshot checkpoint (bad magic)");
    r.pos = sizeof kMagic;
    const uint32_t version = r.u32();
    if (version != kCheckpointVersion) r.fail("checkpoint version " + std::to_string(version) + " is not supported (this earshot reads version " + std::to_string(kCheckpointVersion) + ")");
    if (bytes.size() < 16) r.fail("truncated checkpoint");
    uint32_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
    if (stored != fnv1a(std::string_view(bytes).substr(0, bytes.size() - 4))) r.fail("checkpoint is corrupt or truncated (checksum mismatch)");
    Checkpoint c;
    const uint32_t meta_size = r.u32();
    try {
        c.meta = nlohmann::json::parse(r.text(meta_size));
    } catch (const nlohmann::json::parse_error&) {
        r.fail("checkpoint metadata is not valid JSON");
    }
    const uint32_t count = r.u32();
    for (uint32_t i = 0; i < count; ++i) {
        r.need(2);
        const size_t name_size = static_cast<unsigned char>(bytes[r.pos]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[r.pos + 1])) << 8);
        r.pos += 2;
        std::string name = r.text(name_size);
        r.need(1);
        const int rank = static_cast<unsigned char>(bytes[r.pos++]);
        Tensor t;
        size_t elements = 1;
        for (int d = 0; d < rank; ++d) {
            const uint32_t dim = r.u32();
            if (dim == 0 || dim > (1u << 28) || elements * dim > (1u << 28)) r.fail("tensor '" + name + "' has an implausible shape");
            t.shape.push_back(static_cast<int>(dim));
            elements *= dim;
        }
        r.need(elements * sizeof(float));
        t.values.resize(elements);
        std::memcpy(t.values.data(), bytes.data() + r.pos, elements * sizeof(float));
        r.pos += elements * sizeof(float);
        c.tensors.emplace_back(std::move(name), std::move(t));
    }
    if (r.pos != bytes.size() - 4) r.fail("checkpoint has unexpected trailing bytes");
    return c;
}

void write_checkpoint(const std::filesystem::path& path, const Checkpoint& c) { io::write_file_atomic(path, encode_checkpoint(c)); }

Checkpoint read_checkpoint(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) throw Error(path.string() + ": no such checkpoint");
    const std::string bytes = io::read_file(path, "a checkpoint");
    return decode_checkpoint(bytes, path.string());
}

Checkpoint model_checkpoint(Network& net, const std::vector<std::string>& classes, const nlohmann::json& front_end) {
    Checkpoint c;
    c.meta = {{"kind", "model"}, {"config", nlohmann::json::parse(net.config_json)}, {"classes", classes}, {"front_end", front_end}};
    for (const auto& t : tensors(net)) c.tensors.emplace_back(t.name, *t.value);
    return c;
}

SavedModel model_from_checkpoint(const Checkpoint& c, const std::string& source) {
    SavedModel m;
    try {
        m.classes = c.meta.at("classes").get<std::vector<std::string>>();
        m.front_end = c.meta.at("front_end");
        m.network = build_network(c.meta.at("config"), static_cast<int>(m.classes.size()), 0);
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": checkpoint metadata is incomplete (" + e.what() + ")");
    }
    for (auto& t : tensors(m.network)) {
        const Tensor* stored = c.find(t.name);
        if (!stored) throw Error(source + ": checkpoint has no tensor '" + t.name + "'");
        if (stored->shape != t.value->shape) {
            throw Error(source + ": tensor '" + t.name + "' is " + shape_string(stored->shape) + ", the config needs " + shape_string(t.value->shape));
        }
        *t.value = *stored;
    }
    for (auto& layer : m.network.layers) {
        if (auto* n = std::get_if<NormalizationLayer>(&layer.op)) n->adapted = true;
    }
    return m;
}

void save_model(const std::filesystem::path& path, Network& net, const std::vector<std::string>& classes, const nlohmann::json& front_end) {
    write_checkpoint(path, model_checkpoint(net, classes, front_end));
}

SavedModel load_model(const std::filesystem::path& path) { return model_from_checkpoint(read_checkpoint(path), path.string()); }

Checkpoint training_checkpoint(Network& net, const TrainState& s, const std::vector<std::string>& classes, const nlohmann::json& front_end) {
    Checkpoint c = model_checkpoint(net, classes, front_end);
    c.meta["kind"] = "training";
    c.meta["state"] = {{"epochs_done", s.epochs_done}, {"learning_rate", s.learning_rate}, {"rng", std::to_string(s.rng.state)},
                       {"adam_step", s.adam.step}, {"best_val_loss", finite_or_null(s.best_val_loss)}, {"best_epoch", s.best_epoch},
                       {"epochs_without_improvement", s.epochs_without_improvement}, {"plateau_best", finite_or_null(s.plateau_best)},
                       {"plateau_wait", s.plateau_wait}, {"finished", s.finished}, {"stop_reason", s.stop_reason},
                       {"history", history_to_json(s.history)}};
    size_t slot = 0;
    for (const auto& t : tensors(net)) {
        if (!t.grad) continue;
        c.tensors.emplace_back(t.name + "@adam_m", s.adam.m[slot]);
        c.tensors.emplace_back(t.name + "@adam_v", s.adam.v[slot]);
        if (!s.best_weights.empty()) c.tensors.emplace_back(t.name + "@best", s.best_weights[slot]);
        ++slot;
    }
    return c;
}

TrainState training_state_from_checkpoint(const Checkpoint& c, Network& net, const std::string& source) {
    if (c.meta.value("kind", "") != "training") throw Error(source + ": not a training checkpoint (nothing to resume)");
    TrainState s;
    try {
        const auto& j = c.meta.at("state");
        s.epochs_done = j.at("epochs_done").get<int>();
        s.learning_rate = j.at("learning_rate").get<double>();
        s.rng.state = std::stoull(j.at("rng").get<std::string>());
        s.adam.step = j.at("adam_step").get<int64_t>();
        s.best_val_loss = from_finite_or_null(j.at("best_val_loss"));
        s.best_epoch = j.at("best_epoch").get<int>();
        s.epochs_without_improvement = j.at("epochs_without_improvement").get<int>();
        s.plateau_best = from_finite_or_null(j.at("plateau_best"));
        s.plateau_wait = j.at("plateau_wait").get<int>();
        s.finished = j.at("finished").get<bool>();
        s.stop_reason = j.at("stop_reason").get<std::string>();
        s.history = history_from_json(j.at("history"));
    } catch (const std::exception& e) {
        throw Error(source + ": training state is incomplete (" + e.what() + ")");
    }
    const auto take = [&](const std::string& name, const Tensor& like) {
        const Tensor* t = c.find(name);
        if (!t || t->shape != like.shape) throw Error(source + ": training state lacks tensor '" + name + "'");
        return *t;
    };
    for (const auto& t : tensors(net)) {
        if (!t.grad) continue;
        s.adam.m.push_back(take(t.name + "@adam_m", *t.value));
        s.adam.v.push_back(take(t.name + "@adam_v", *t.value));
        if (s.best_epoch > 0) s.best_weights.push_back(take(t.name + "@best", *t.value));
    }
    return s;
}

}  // namespace earshot::train
