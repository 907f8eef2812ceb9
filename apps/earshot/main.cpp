// earshot: from WAV files to an audio-event detector on an RP2040.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/error.hpp"

namespace {

// "cannot create directory: Permission denied [/x/y]" -> "/x/y: cannot create directory: Permission denied".
std::string filesystem_message(const std::filesystem::filesystem_error& e) {
    std::string what = e.code().message();
    std::string path = e.path1().string();
    if (path.empty()) return std::string(e.what());
    return path + ": " + what;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"earshot: train, quantize and deploy tiny audio-event detectors for the RP2040"};
    app.set_version_flag("--version", std::string("earshot ") + EARSHOT_VERSION);
    app.require_subcommand(1);
    earshot::cli::add_classify_command(app);
    earshot::cli::add_compile_command(app);
    earshot::cli::add_demo_command(app);
    earshot::cli::add_eval_command(app);
    earshot::cli::add_evaluate_command(app);
    earshot::cli::add_firmware_command(app);
    earshot::cli::add_flash_command(app);
    earshot::cli::add_inspect_command(app);
    earshot::cli::add_monitor_command(app);
    earshot::cli::add_pdm_command(app);
    earshot::cli::add_run_command(app);
    earshot::cli::add_simulate_command(app);
    earshot::cli::add_spectrogram_command(app);
    earshot::cli::add_studio_command(app);
    earshot::cli::add_synth_command(app);
    earshot::cli::add_train_command(app);
    earshot::cli::add_uf2_command(app);
    // CLI11 would call an unknown command a missing one; name it instead.
    const auto known = [&](const char* name) {
        return !app.get_subcommands([name](CLI::App* sub) { return sub->check_name(name); }).empty();
    };
    if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {  // (--version and --help start with '-')
        std::fprintf(stderr, "earshot: error: unknown command '%s' (run 'earshot --help' for the list)\n", argv[1]);
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const earshot::Error& e) {
        std::fprintf(stderr, "earshot: error: %s\n", e.what());
        return 1;
    } catch (const std::filesystem::filesystem_error& e) {
        // A read-only or full disk, a missing permission: the user's environment, not a bug.
        std::fprintf(stderr, "earshot: error: %s\n", filesystem_message(e).c_str());
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "earshot: error: out of memory\n");
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "earshot: internal error: %s\n", e.what());
        return 3;
    }
    return 0;
}
