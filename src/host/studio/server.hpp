// `earshot studio`: a local web page for the whole loop (dataset, record, train, live, board),
// served by earshot itself with cpp-httplib on 127.0.0.1. Every request passes access.hpp's
// checks; every file name from the page passes dataset_folder.hpp's resolve_inside().
#pragma once
#include <filesystem>
#include <memory>
#include <string>

namespace earshot::studio {

struct StudioOptions {
    std::filesystem::path data_dir;  // the dataset (alarms/<kind>, background/<kind>), created if missing
    std::filesystem::path out_dir;   // where training runs write (earshot demo --out)
    int port = 8765;                 // 0: any free port
    std::string token;               // "" -> a fresh random one
    std::string program;             // the earshot binary the jobs run
};

class StudioServer {
public:
    explicit StudioServer(StudioOptions options);
    ~StudioServer();
    // Binds 127.0.0.1:port (throws earshot::Error naming the port when it is taken); returns the port.
    int bind();
    // Serves until stop() (from another thread).
    void serve();
    void stop();
    std::string url() const;  // http://127.0.0.1:PORT/?token=...
    const std::string& token() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace earshot::studio
