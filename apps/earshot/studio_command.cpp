// earshot studio: the local web page for recording, labelling, training and watching live
// scores (src/host/studio/). Prints the URL with its per-run token and serves until Ctrl-C.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <pthread.h>
#include <string>
#include <thread>

#include "apps/earshot/commands.hpp"
#include "host/studio/server.hpp"

namespace earshot::cli {
namespace {

struct StudioArgs {
    std::string data = "earshot-data", out = "earshot-studio-out";
    int port = 8765;
};

void run(const StudioArgs& a) {
    studio::StudioOptions options;
    options.data_dir = a.data;
    options.out_dir = a.out;
    options.port = a.port;
    options.program = std::filesystem::read_symlink("/proc/self/exe").string();
    studio::StudioServer server(options);
    // SIGINT/SIGTERM go to one waiting thread (not into the server's threads), which stops it.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    const int port = server.bind();
    std::printf("earshot studio: %s (dataset %s, training runs in %s)\n", std::filesystem::absolute(a.data).c_str(), a.data.c_str(), a.out.c_str());
    std::printf("open %s\n", server.url().c_str());
    std::printf("(only this machine can connect, and only with the token; Ctrl-C stops the studio)\n");
    std::fflush(stdout);
    (void)port;
    std::thread waiter([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        server.stop();
    });
    server.serve();
    pthread_kill(waiter.native_handle(), SIGTERM);  // served out some other way: release the waiter
    waiter.join();
    std::printf("earshot studio: stopped\n");
}

}  // namespace

void add_studio_command(CLI::App& app) {
    auto args = std::make_shared<StudioArgs>();
    CLI::App* cmd = app.add_subcommand("studio", "A local web page: dataset, record, train, evaluate, live scores, board lines");
    cmd->add_option("--data", args->data, "Dataset folder (alarms/<kind>/, background/<kind>/), created if missing")->capture_default_str();
    cmd->add_option("--out", args->out, "Where training runs write (earshot demo --out)")->capture_default_str();
    cmd->add_option("--port", args->port, "Port on 127.0.0.1 (0: any free one)")->capture_default_str()->check(CLI::Range(0, 65535));
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli
