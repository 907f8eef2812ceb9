// earshot run model.tflite --input x.bin --output y.bin: raw int8 tensors in and out.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "apps/earshot/commands.hpp"
#include "host/error.hpp"
#include "host/io/read_file.hpp"
#include "host/io/atomic_file.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/plan.hpp"

namespace earshot::cli {
namespace {

struct RunArgs {
    std::string model, input, output;
};

void run(const RunArgs& a) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(a.model));
    nn::Interpreter interpreter(plan);
    const std::string bytes = io::read_file(a.input, "an input tensor file");
    if (static_cast<int64_t>(bytes.size()) != interpreter.input_size()) {
        throw Error(a.input + ": has " + std::to_string(bytes.size()) + " bytes; the model's input needs " + std::to_string(interpreter.input_size()));
    }
    std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(interpreter.input()));
    interpreter.invoke();
    io::write_file_atomic(a.output, std::string_view(reinterpret_cast<const char*>(interpreter.output()), static_cast<size_t>(interpreter.output_size())));
    std::printf("wrote %s (%lld int8 values)\n", a.output.c_str(), static_cast<long long>(interpreter.output_size()));
}

}  // namespace

void add_run_command(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "Run an int8 .tflite model on a raw int8 input tensor");
    cmd->add_option("MODEL", args->model, ".tflite file")->required();
    cmd->add_option("--input", args->input, "Raw int8 input tensor (no header)")->required();
    cmd->add_option("--output", args->output, "Where to write the raw int8 output tensor")->required();
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
