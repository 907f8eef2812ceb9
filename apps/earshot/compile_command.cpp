// earshot compile model.tflite -o DIR: the model as C++ for the firmware.
#include <cstdio>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/nn/aot_compiler.hpp"

namespace earshot::cli {
namespace {

struct CompileArgs {
    std::string model, out_dir, name = "earshot_model";
};

void run(const CompileArgs& a) {
    const nn::Plan plan = nn::build_plan(model::load_tflite(a.model));
    const nn::CompiledSource src = nn::compile_plan(plan, a.name, std::filesystem::path(a.model).filename().string());
    nn::write_compiled_model(src, a.out_dir, a.name);
    const int64_t weights = model::estimate_memory(plan.graph).weight_bytes;
    std::printf("%s: %zu operators; tensor arena %lld bytes; weights %lld bytes\n", a.model.c_str(), plan.ops.size(),
                static_cast<long long>(plan.arena_bytes), static_cast<long long>(weights));
    std::printf("wrote %s/%s.hpp and %s.cpp (namespace %s; link with src/core/)\n", a.out_dir.c_str(), a.name.c_str(), a.name.c_str(), a.name.c_str());
}

}  // namespace

void add_compile_command(CLI::App& app) {
    auto args = std::make_shared<CompileArgs>();
    CLI::App* cmd = app.add_subcommand("compile", "Compile an int8 .tflite model to C++ for the device (no interpreter, static arena)");
    cmd->add_option("MODEL", args->model, ".tflite file")->required();
    cmd->add_option("-o,--out", args->out_dir, "Output folder")->required();
    cmd->add_option("--name", args->name, "C++ namespace and file name")->capture_default_str();
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
