#include "host/studio/server.hpp"

#include <httplib.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/error.hpp"
#include "host/io/read_file.hpp"
#include "host/studio/access.hpp"
#include "host/studio/dataset_folder.hpp"
#include "host/studio/embedded.hpp"
#include "host/studio/job_runner.hpp"
#include "host/studio/live_session.hpp"
#include "host/studio/thumbnail.hpp"

namespace earshot::studio {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMaxRequestBytes = 16u << 20;  // a 10 s take is 320 KB; live chunks are a few KB

const char* content_type(const fs::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".png") return "image/png";
    if (ext == ".json") return "application/json";
    if (ext == ".wav") return "audio/wav";
    if (ext == ".flac") return "audio/flac";
    if (ext == ".ogg" || ext == ".oga" || ext == ".opus") return "audio/ogg";
    if (ext == ".mp3") return "audio/mpeg";
    if (ext == ".h" || ext == ".hpp" || ext == ".cpp" || ext == ".txt" || ext == ".md" || ext == ".tsv") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

void reply_json(httplib::Response& res, const json& body, int status = 200) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) { reply_json(res, {{"error", message}}, status); }

json parse_body(const httplib::Request& req) {
    try {
        return req.body.empty() ? json::object() : json::parse(req.body);
    } catch (const json::exception&) {
        throw Error("the request body is not JSON");
    }
}

std::string text_field(const json& body, const char* key) {
    if (!body.contains(key) || !body[key].is_string()) throw Error(std::string("missing text field '") + key + "'");
    return body[key].get<std::string>();
}

std::string query_token(const std::string& target) {
    const size_t q = target.find('?');
    if (q == std::string::npos) return {};
    std::istringstream params(target.substr(q + 1));
    for (std::string item; std::getline(params, item, '&');) {
        if (item.rfind("token=", 0) == 0) return item.substr(6);
    }
    return {};
}

}  // namespace

struct StudioServer::State {
    StudioOptions options;
    int port = 0;
    httplib::Server http;
    JobRunner job;
    std::mutex dataset_mutex;  // moves, deletions and takes one at a time
    std::mutex live_mutex;
    std::unique_ptr<LiveSession> live;

    void routes();
    // Runs `handler`, turning earshot::Error into 400 and filesystem errors into 500, each with
    // its message for the page.
    template <class F>
    void guarded(httplib::Response& res, F&& handler) {
        try {
            handler();
        } catch (const Error& e) {
            reply_error(res, 400, e.what());
        } catch (const fs::filesystem_error& e) {
            reply_error(res, 500, e.path1().string() + ": " + e.code().message());
        }
    }
    std::vector<uint8_t> model_bytes(const std::string& which) {
        if (which == "trained") {
            const fs::path trained = options.out_dir / "fire_alarm.tflite";
            if (!fs::exists(trained)) throw Error("no trained model yet: train one first (" + trained.string() + ")");
            const std::string bytes = io::read_file(trained);
            return {bytes.begin(), bytes.end()};
        }
        const auto shipped = shipped_detector();
        if (shipped.empty()) throw Error("this earshot was built without models/fire_alarm.tflite");
        return {shipped.begin(), shipped.end()};
    }
};

StudioServer::StudioServer(StudioOptions options) : state_(std::make_unique<State>()) {
    if (options.token.empty()) options.token = make_token();
    state_->options = std::move(options);
    state_->routes();
}

StudioServer::~StudioServer() { stop(); }

const std::string& StudioServer::token() const { return state_->options.token; }

std::string StudioServer::url() const { return "http://127.0.0.1:" + std::to_string(state_->port) + "/?token=" + state_->options.token; }

int StudioServer::bind() {
    fs::create_directories(state_->options.data_dir);
    const int port = state_->options.port;
    if (port == 0) {
        state_->port = state_->http.bind_to_any_port("127.0.0.1");
    } else if (state_->http.bind_to_port("127.0.0.1", port)) {
        state_->port = port;
    } else {
        state_->port = -1;
    }
    if (state_->port <= 0) throw Error("cannot listen on 127.0.0.1:" + std::to_string(port) + " (in use? choose another with --port)");
    return state_->port;
}

void StudioServer::serve() { state_->http.listen_after_bind(); }

void StudioServer::stop() {
    state_->job.cancel();
    if (state_->http.is_running()) state_->http.stop();
}

void StudioServer::State::routes() {
    http.set_payload_max_length(kMaxRequestBytes);
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        const RequestFacts facts{req.get_header_value("Host"), req.get_header_value("Origin"), req.get_header_value("X-Earshot-Token"),
                                 query_token(req.target), req.get_header_value("Cookie")};
        const std::string reason = refuse_reason(options.token, port, facts);
        if (reason.empty()) return httplib::Server::HandlerResponse::Unhandled;
        reply_error(res, 403, reason);
        return httplib::Server::HandlerResponse::Handled;
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        reply_error(res, 500, what);
    });

    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
        const auto page = studio_page();
        res.set_content(std::string(reinterpret_cast<const char*>(page.data()), page.size()), "text/html; charset=utf-8");
        res.set_header("Set-Cookie", token_cookie(options.token));
        res.set_header("Cache-Control", "no-store");
    });

    http.Get("/api/dataset", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] {
            std::lock_guard lock(dataset_mutex);
            json body = to_json(scan_dataset(options.data_dir));
            body["folder"] = fs::absolute(options.data_dir).string();
            reply_json(res, body);
        });
    });
    http.Get("/api/clip", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const fs::path file = resolve_inside(options.data_dir, req.get_param_value("name"));
            if (!fs::is_regular_file(file)) return reply_error(res, 404, req.get_param_value("name") + ": no such clip");
            res.set_content(io::read_file(file), content_type(file));
        });
    });
    http.Get("/api/thumbnail", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const fs::path file = resolve_inside(options.data_dir, req.get_param_value("name"));
            if (!fs::is_regular_file(file)) return reply_error(res, 404, req.get_param_value("name") + ": no such clip");
            res.set_content(thumbnail_png(file), "image/png");
        });
    });
    http.Post("/api/move", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const json body = parse_body(req);
            std::lock_guard lock(dataset_mutex);
            reply_json(res, {{"name", move_clip(options.data_dir, text_field(body, "name"), text_field(body, "to"))}});
        });
    });
    http.Post("/api/delete", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const json body = parse_body(req);
            std::lock_guard lock(dataset_mutex);
            delete_clip(options.data_dir, text_field(body, "name"));
            reply_json(res, {{"deleted", text_field(body, "name")}});
        });
    });
    http.Post("/api/undo", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] {
            std::lock_guard lock(dataset_mutex);
            reply_json(res, {{"restored", undo_delete(options.data_dir)}});
        });
    });
    http.Post("/api/take", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            std::lock_guard lock(dataset_mutex);
            reply_json(res, {{"name", save_take(options.data_dir, req.get_param_value("class"), req.body)}});
        });
    });

    http.Post("/api/train", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const json body = parse_body(req);
            std::vector<std::string> args{"demo", "--data", options.data_dir.string(), "--out", options.out_dir.string()};
            const auto number = [&](const char* key, int lo, int hi) {
                if (!body[key].is_number_integer() || body[key].get<int>() < lo || body[key].get<int>() > hi) {
                    throw Error(std::string("'") + key + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
                }
                return std::to_string(body[key].get<int>());
            };
            if (body.contains("seed")) args.insert(args.end(), {"--seed", number("seed", 0, 1000000)});
            if (body.contains("epochs")) args.insert(args.end(), {"--epochs", number("epochs", 1, 1000)});
            if (body.value("small", false)) args.push_back("--small");
            if (body.value("no_builtin", false)) args.push_back("--no-builtin");
            job.start(options.program, args);
            std::string command = "earshot";
            for (const std::string& a : args) command += " " + a;
            reply_json(res, {{"started", command}});
        });
    });
    // The app for the trained model and a board, as a job like training (earshot firmware).
    http.Post("/api/firmware", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const std::string board = parse_body(req).value("board", "pico");
            if (board != "pico" && board != "sparkfun_micromod") throw Error("board must be pico or sparkfun_micromod, not '" + board + "'");
            const fs::path model = options.out_dir / "fire_alarm.tflite";
            if (!fs::exists(model)) throw Error("no trained model yet: train one first (" + model.string() + ")");
            const std::vector<std::string> args{"firmware", model.string(), "-o", (options.out_dir / ("earshot_app-" + board + ".uf2")).string(), "--board", board};
            job.start(options.program, args);
            reply_json(res, {{"started", "earshot firmware " + model.string() + " --board " + board}});
        });
    });
    http.Post("/api/train/cancel", [this](const httplib::Request&, httplib::Response& res) {
        job.cancel();
        reply_json(res, {{"cancelled", true}});
    });
    // Server-sent events: each output line as `data:`, then `event: done` with the exit status.
    http.Get("/api/train/events", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string from_text = req.has_param("from") ? req.get_param_value("from") : "0";
        if (from_text.empty() || from_text.size() > 9 || from_text.find_first_not_of("0123456789") != std::string::npos) {
            return reply_error(res, 400, "'from' must be a line number");
        }
        const size_t from = std::stoul(from_text);
        res.set_header("Cache-Control", "no-store");
        res.set_chunked_content_provider("text/event-stream", [this, next = from](size_t, httplib::DataSink& sink) mutable {
            const JobSnapshot s = job.snapshot(next, 1000);
            std::string events;
            for (const std::string& line : s.lines) events += "data: " + line + "\n\n";
            next = s.next;
            if (!s.running) {
                events += "event: done\ndata: " + json{{"finished", s.finished}, {"exit_code", s.exit_code}, {"cancelled", s.cancelled}, {"next", s.next}}.dump() + "\n\n";
            } else if (events.empty()) {
                events = ": waiting\n\n";  // keeps the connection alive and notices a closed page
            }
            if (!sink.write(events.data(), events.size())) return false;
            if (!s.running) sink.done();
            return true;
        });
    });
    http.Get("/api/run", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] {
            const fs::path metrics = options.out_dir / "metrics.json";
            json body{{"running", job.running()}, {"exists", fs::exists(metrics)}};
            if (fs::exists(metrics)) {
                body["metrics"] = json::parse(io::read_file(metrics), nullptr, false);
                json files = json::array();
                for (const auto& e : fs::recursive_directory_iterator(options.out_dir)) {
                    if (e.is_regular_file()) files.push_back(e.path().lexically_relative(options.out_dir).generic_string());
                }
                body["files"] = files;
            }
            reply_json(res, body);
        });
    });
    http.Get(R"(/run/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const fs::path file = resolve_inside(options.out_dir, req.matches[1].str());
            if (!fs::is_regular_file(file)) return reply_error(res, 404, req.matches[1].str() + ": not in the training run's output");
            res.set_content(io::read_file(file), content_type(file));
            if (req.has_param("download")) res.set_header("Content-Disposition", "attachment; filename=\"" + file.filename().string() + "\"");
        });
    });

    http.Post("/api/live/start", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const std::string which = parse_body(req).value("model", "shipped");
            auto session = std::make_unique<LiveSession>(model_bytes(which), which == "trained" ? "the trained model" : "the shipped detector");
            std::lock_guard lock(live_mutex);
            live = std::move(session);
            reply_json(res, {{"model", live->origin()}});
        });
    });
    // Body: 16 kHz mono int16 little-endian samples. Reply: a result per completed block.
    http.Post("/api/live/push", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            if (req.body.size() % 2) throw Error("live audio must be whole 16-bit samples");
            std::vector<int16_t> samples(req.body.size() / 2);
            std::memcpy(samples.data(), req.body.data(), req.body.size());
            std::lock_guard lock(live_mutex);
            if (!live) throw Error("no live session: start one first");
            json blocks = json::array();
            for (const LiveBlock& b : live->push(samples)) {
                blocks.push_back({{"block", b.block}, {"t_ms", b.t_ms}, {"q", b.q}, {"score", b.score}, {"alarm", b.alarm}, {"event", b.event}});
            }
            reply_json(res, {{"blocks", blocks}});
        });
    });
}

}  // namespace earshot::studio
