// Each subcommand registers its flags on the app and runs when chosen.
#pragma once
#include <CLI/CLI.hpp>

namespace earshot::cli {

void add_classify_command(CLI::App& app);
void add_compile_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_firmware_command(CLI::App& app);
void add_flash_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_monitor_command(CLI::App& app);
void add_pdm_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_simulate_command(CLI::App& app);
void add_spectrogram_command(CLI::App& app);
void add_studio_command(CLI::App& app);
void add_synth_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_uf2_command(CLI::App& app);

}  // namespace earshot::cli
