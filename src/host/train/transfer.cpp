#include <nlohmann/json.hpp>
#include "host/train/transfer.hpp"

#include "host/error.hpp"

namespace earshot::train {

Network with_new_head(Network& base, int classes, bool binary_sigmoid, uint64_t seed) {
    if (base.layers.empty() || !std::holds_alternative<DenseLayer>(base.layers.back().op)) throw Error("transfer learning needs a base model whose last layer is dense");
    nlohmann::json config = nlohmann::json::parse(base.config_json);
    auto& head = config["layers"].back();
    const bool sigmoid = binary_sigmoid && classes == 2;
    head["units"] = "classes";
    head["activation"] = sigmoid ? "sigmoid" : "softmax";
    head.erase("trainable");
    Network net = build_network(config, classes, seed);
    auto fresh = tensors(net);
    auto old = tensors(base);
    const std::string head_prefix = net.layers.back().name + "/";
    for (auto& t : fresh) {
        if (t.name.rfind(head_prefix, 0) == 0) continue;
        for (auto& o : old) {
            if (o.name == t.name && o.value->shape == t.value->shape) *t.value = *o.value;
        }
    }
    return net;
}

void set_body_trainable(Network& net, bool trainable) {
    for (size_t i = 0; i + 1 < net.layers.size(); ++i) net.layers[i].trainable = trainable;
}

TransferSchedule reference_transfer_schedule() {
    TransferSchedule s;
    s.head.learning_rate = 1e-2;
    s.head.epochs = 25;
    s.head.early_stopping_patience = 5;
    s.head.schedule = {ScheduleKind::exponential, 10, 0.1, 0.5, 5, 1e-6};
    s.fine_tune.learning_rate = 1e-4;
    s.fine_tune.epochs = 10;
    s.fine_tune.early_stopping_patience = 5;
    s.fine_tune.schedule = {ScheduleKind::exponential, 0, 0.1, 0.5, 5, 1e-6};
    return s;
}

}  // namespace earshot::train
