// earshot studio's pieces: access checks, names kept inside the dataset, the dataset operations
// (scan, move, delete/undo, takes), the live device loop against DeviceLoop, the job runner,
// and the HTTP server's refusals. The page itself is checked in Chromium (sim/studio_check.mjs).
#include <httplib.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/detect/decision.hpp"
#include "host/audio/synth.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"
#include "host/eval/device_loop.hpp"
#include "host/io/read_file.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/studio/access.hpp"
#include "host/studio/dataset_folder.hpp"
#include "host/studio/embedded.hpp"
#include "host/studio/job_runner.hpp"
#include "host/studio/live_session.hpp"
#include "host/studio/server.hpp"
#include "support.hpp"

namespace earshot {
namespace {
namespace fs = std::filesystem;
using test::TempDir;

const std::string kToken = "0123456789abcdef0123456789abcdef";

studio::RequestFacts facts(std::string host, std::string origin, std::string header, std::string query = "", std::string cookie = "") {
    return {std::move(host), std::move(origin), std::move(header), std::move(query), std::move(cookie)};
}

TEST(StudioAccess, NeedsTheTokenTheOwnHostAndNoForeignOrigin) {
    EXPECT_EQ(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "", kToken)), "");
    EXPECT_EQ(studio::refuse_reason(kToken, 8765, facts("localhost:8765", "http://localhost:8765", "", kToken)), "");
    EXPECT_EQ(studio::refuse_reason(kToken, 8765, facts("[::1]:8765", "", "", "", "a=b; earshot_token=" + kToken)), "");
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "", "")), "");                       // no token
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "", kToken.substr(1))), "");         // a prefix
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "", "", "", "xearshot_token=" + kToken)), "");
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("evil.example:8765", "", kToken)), "");                // DNS rebinding
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:9999", "", kToken)), "");                   // another port
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "http://evil.example", kToken)), "");
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "null", kToken)), "");               // sandboxed frame
    EXPECT_NE(studio::refuse_reason(kToken, 8765, facts("127.0.0.1:8765", "https://127.0.0.1:8765", kToken)), "");
    EXPECT_NE(studio::refuse_reason("", 8765, facts("127.0.0.1:8765", "", "")), "");  // an empty secret matches nothing
    const std::string a = studio::make_token(), b = studio::make_token();
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
}

TEST(StudioDataset, NamesStayInsideTheFolder) {
    TempDir dir;
    fs::create_directories(dir.path() / "alarms" / "kitchen");
    EXPECT_EQ(studio::resolve_inside(dir.path(), "alarms/kitchen/a.wav"), dir.path() / "alarms" / "kitchen" / "a.wav");
    for (const char* bad : {"", "../x", "alarms/../../x", "/etc/passwd", "alarms//a.wav", "alarms/./a.wav", ".trash/1/a.wav",
                            "alarms/kitchen/", "a\\b", "c:x", "alarms/k\nx"}) {
        EXPECT_THROW(studio::resolve_inside(dir.path(), bad), Error) << bad;
    }
    fs::create_directory_symlink("/etc", dir.path() / "alarms" / "outside");
    EXPECT_THROW(studio::resolve_inside(dir.path(), "alarms/outside/passwd"), Error);
    fs::create_symlink("/etc/passwd", dir.path() / "alarms" / "kitchen" / "link.wav");
    EXPECT_THROW(studio::resolve_inside(dir.path(), "alarms/kitchen/link.wav"), Error);
    EXPECT_TRUE(studio::is_class_name("alarms"));
    EXPECT_TRUE(studio::is_class_name("background/my-room_2"));
    EXPECT_FALSE(studio::is_class_name("alarmsx"));
    EXPECT_FALSE(studio::is_class_name("background/a/b"));
    EXPECT_FALSE(studio::is_class_name("background/.hidden"));
    EXPECT_FALSE(studio::is_class_name("background/"));
}

std::vector<int16_t> tone(double seconds) {
    audio::AlarmSynthOptions o;
    o.seconds = seconds;
    return audio::synthesize_alarm(o);
}

TEST(StudioDataset, ScanMoveDeleteUndo) {
    TempDir dir;
    const fs::path root = dir.path();
    fs::create_directories(root / "alarms" / "kitchen");
    fs::create_directories(root / "background" / "room");
    fs::create_directories(root / "background" / "empty");
    audio::write_wav_pcm16(root / "alarms" / "kitchen" / "a1.wav", tone(2.0), 16000);
    audio::write_wav_pcm16(root / "alarms" / "kitchen" / "a2.wav", tone(1.0), 16000);
    audio::write_wav_pcm16(root / "background" / "room" / "b1.wav", std::vector<int16_t>(48000, 3), 16000);
    test::write_bytes(root / "background" / "room" / "broken.wav", "RIFF....WAVEjunk");
    studio::DatasetView view = studio::scan_dataset(root);
    ASSERT_EQ(view.classes.size(), 3u);
    EXPECT_EQ(view.classes[0].name, "alarms/kitchen");
    EXPECT_EQ(view.classes[0].label, 1);
    EXPECT_EQ(view.classes[0].clips.size(), 2u);
    EXPECT_NEAR(view.classes[0].seconds, 3.0, 1e-9);
    EXPECT_EQ(view.classes[1].name, "background/empty");
    EXPECT_TRUE(view.classes[1].clips.empty());
    EXPECT_EQ(view.classes[2].clips.size(), 2u);
    EXPECT_EQ(view.classes[2].clips[1].name, "background/room/broken.wav");
    EXPECT_FALSE(view.classes[2].clips[1].problem.empty());
    std::string warnings;
    for (const std::string& w : view.warnings) warnings += w + "\n";
    EXPECT_NE(warnings.find("alarms/kitchen: 2 recordings"), std::string::npos) << warnings;
    EXPECT_NE(warnings.find("broken.wav: unreadable"), std::string::npos) << warnings;

    EXPECT_EQ(studio::move_clip(root, "alarms/kitchen/a2.wav", "background/room"), "background/room/a2.wav");
    EXPECT_TRUE(fs::exists(root / "background" / "room" / "a2.wav"));
    EXPECT_FALSE(fs::exists(root / "alarms" / "kitchen" / "a2.wav"));
    audio::write_wav_pcm16(root / "alarms" / "kitchen" / "a2.wav", tone(1.0), 16000);
    EXPECT_THROW(studio::move_clip(root, "alarms/kitchen/a2.wav", "background/room"), Error);  // never overwrites
    EXPECT_THROW(studio::move_clip(root, "alarms/kitchen/a2.wav", "elsewhere"), Error);
    EXPECT_THROW(studio::move_clip(root, "alarms/kitchen/none.wav", "background/room"), Error);

    const std::string before = test::read_bytes(root / "alarms" / "kitchen" / "a1.wav");
    studio::delete_clip(root, "alarms/kitchen/a1.wav");
    studio::delete_clip(root, "background/room/b1.wav");
    EXPECT_FALSE(fs::exists(root / "alarms" / "kitchen" / "a1.wav"));
    EXPECT_EQ(studio::scan_dataset(root).trash_entries, 2);
    EXPECT_EQ(studio::undo_delete(root), "background/room/b1.wav");  // newest first
    EXPECT_EQ(studio::undo_delete(root), "alarms/kitchen/a1.wav");
    EXPECT_EQ(test::read_bytes(root / "alarms" / "kitchen" / "a1.wav"), before);
    EXPECT_THROW(studio::undo_delete(root), Error);
}

std::string wav_bytes(const fs::path& scratch, const std::vector<int16_t>& samples, int rate, int channels = 1) {
    audio::write_wav_pcm16(scratch, samples, rate, channels);
    return test::read_bytes(scratch);
}

TEST(StudioDataset, TakesAreCheckedThenSavedWhole) {
    TempDir dir;
    const fs::path root = dir.path() / "data", scratch = dir.path() / "scratch.wav";
    fs::create_directories(root);
    const std::string good = wav_bytes(scratch, tone(2.0), 16000);
    EXPECT_EQ(studio::save_take(root, "alarms/new_kind", good), "alarms/new_kind/take-001.wav");
    EXPECT_EQ(studio::save_take(root, "alarms/new_kind", good), "alarms/new_kind/take-002.wav");
    EXPECT_EQ(test::read_bytes(root / "alarms" / "new_kind" / "take-001.wav"), good);
    EXPECT_THROW(studio::save_take(root, "background/r", wav_bytes(scratch, tone(2.0), 44100)), Error);                 // rate
    EXPECT_THROW(studio::save_take(root, "background/r", wav_bytes(scratch, std::vector<int16_t>(64000), 16000, 2)), Error);  // stereo
    EXPECT_THROW(studio::save_take(root, "background/r", wav_bytes(scratch, tone(12.0), 16000)), Error);                // too long
    EXPECT_THROW(studio::save_take(root, "background/r", wav_bytes(scratch, tone(0.5), 16000)), Error);                 // too short
    EXPECT_THROW(studio::save_take(root, "background/r", "not audio"), Error);
    EXPECT_THROW(studio::save_take(root, "../r", good), Error);
    EXPECT_FALSE(fs::exists(root / "background" / "r"));  // a refused take leaves nothing behind
    EXPECT_TRUE(fs::is_empty(root / ".incoming"));
}

// The Live tab's loop: chunks of any size give, block for block, what DeviceLoop and the
// decision rule give on the whole recording (what `classify --stream` and the board print).
TEST(StudioLive, ChunkedAudioGivesTheDeviceLoopsScoresAndAlarmStates) {
    const auto shipped = studio::shipped_detector();
    ASSERT_FALSE(shipped.empty());
    std::vector<int16_t> pcm(16000 * 2, 0);
    const std::vector<int16_t> alarm = tone(6.0);
    pcm.insert(pcm.end(), alarm.begin(), alarm.end());
    pcm.resize(pcm.size() + 16000 * 4, 0);
    const nn::Plan plan = nn::build_plan(model::read_tflite({shipped.data(), shipped.size()}, "shipped"));
    const model::DetectorSettings settings = model::detector_settings(plan.graph, "shipped");
    eval::DeviceLoop loop(plan, settings, "shipped");
    const std::vector<int8_t> expected_q = eval::score_blocks(loop, pcm);
    detect::DecisionState state;
    detect::decision_reset(state);
    std::vector<bool> expected_alarm;
    for (int8_t q : expected_q) {
        detect::decision_step(settings.decision, state, q);
        expected_alarm.push_back(state.on);
    }
    studio::LiveSession live({shipped.begin(), shipped.end()}, "shipped");
    std::vector<studio::LiveBlock> got;
    size_t at = 0;
    for (size_t chunk : {1u, 700u, 511u, 513u, 2048u, 4096u}) {
        for (int i = 0; i < 8 && at < pcm.size(); ++i) {
            const size_t n = std::min(chunk, pcm.size() - at);
            for (const auto& b : live.push({pcm.data() + at, n})) got.push_back(b);
            at += n;
        }
    }
    for (const auto& b : live.push({pcm.data() + at, pcm.size() - at})) got.push_back(b);
    ASSERT_EQ(got.size(), expected_q.size());
    int onsets = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].block, i);
        ASSERT_EQ(got[i].q, expected_q[i]) << "block " << i;
        ASSERT_EQ(got[i].alarm, expected_alarm[i]) << "block " << i;
        EXPECT_EQ(got[i].t_ms, detect::block_end_ms(static_cast<uint32_t>(i)));
        onsets += got[i].event == 1;
    }
    EXPECT_EQ(onsets, 1);  // the alarm turns on once, and its 2 s of silence before keep it off
    EXPECT_FALSE(got.front().alarm);
}

TEST(StudioJobs, CollectsLinesExitStatusAndCancels) {
    studio::JobRunner job;
    job.start("/bin/sh", {"-c", "echo one; echo two 1>&2; printf 'three\\rfour'; sleep 0.5; exit 3"});
    EXPECT_THROW(job.start("/bin/sh", {"-c", "true"}), Error);  // one at a time
    studio::JobSnapshot s;
    for (int tries = 0; tries < 200 && !(s = job.snapshot(0, 0)).finished; ++tries) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(s.finished);
    EXPECT_EQ(s.exit_code, 3);
    EXPECT_EQ(s.lines, (std::vector<std::string>{"one", "two", "three", "four"}));
    EXPECT_FALSE(s.cancelled);
    EXPECT_EQ(job.snapshot(2, 0).lines, (std::vector<std::string>{"three", "four"}));

    job.start("/bin/sh", {"-c", "echo started; exec sleep 30"});
    while (job.snapshot(0, 100).lines.empty()) {
    }
    const auto t0 = std::chrono::steady_clock::now();
    job.cancel();
    s = job.snapshot(0, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    EXPECT_TRUE(s.finished && s.cancelled && !s.running);
    EXPECT_EQ(s.exit_code, 128 + SIGINT);
    EXPECT_THROW(job.start("/nonexistent/program", {}), Error);
}

TEST(StudioServer, RefusesWithoutTheTokenAndRunsTheLiveLoop) {
    TempDir dir;
    studio::StudioOptions options;
    options.data_dir = dir.path() / "data";
    options.out_dir = dir.path() / "out";
    options.port = 0;
    options.token = kToken;
    options.program = "/bin/false";
    studio::StudioServer server(options);
    const int port = server.bind();
    std::thread serving([&] { server.serve(); });
    httplib::Client client("127.0.0.1", port);
    const httplib::Headers with_token{{"X-Earshot-Token", kToken}};
    auto r = client.Get("/api/dataset");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    r = client.Get("/", with_token);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("earshot studio"), std::string::npos);
    EXPECT_NE(r->get_header_value("Set-Cookie").find("SameSite=Strict"), std::string::npos);
    r = client.Get("/api/dataset", {{"X-Earshot-Token", kToken}, {"Origin", "http://evil.example"}});
    EXPECT_EQ(r->status, 403);
    r = client.Get("/api/dataset", with_token);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("no alarms/ folder yet"), std::string::npos);
    EXPECT_EQ(client.Get("/api/clip?name=..%2Fout", with_token)->status, 400);
    EXPECT_EQ(client.Get("/run/report.html", with_token)->status, 404);  // nothing trained yet
    EXPECT_EQ(client.Post("/api/live/push", with_token, std::string(1024, '\0'), "application/octet-stream")->status, 400);  // no session
    EXPECT_EQ(client.Post("/api/live/start", with_token, R"({"model":"trained"})", "application/json")->status, 400);     // none trained
    EXPECT_EQ(client.Post("/api/live/start", with_token, R"({"model":"shipped"})", "application/json")->status, 200);
    EXPECT_EQ(client.Post("/api/live/push", with_token, std::string(3, '\0'), "application/octet-stream")->status, 400);   // half a sample
    r = client.Post("/api/live/push", with_token, std::string(2 * 16000, '\0'), "application/octet-stream");
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(nlohmann::json::parse(r->body)["blocks"].size(), 31u);  // 16000 samples: 31 whole blocks
    EXPECT_EQ(client.Post("/api/firmware", with_token, R"({"board":"pico"})", "application/json")->status, 400);  // no model yet
    EXPECT_EQ(client.Post("/api/train", with_token, "{not json", "application/json")->status, 400);
    EXPECT_EQ(client.Post("/api/train", with_token, R"({"epochs": "40; rm -rf /"})", "application/json")->status, 400);
    EXPECT_EQ(client.Post("/api/train", with_token, R"({"seed": -5})", "application/json")->status, 400);
    EXPECT_EQ(client.Get("/api/train/events?from=x", with_token)->status, 400);
    server.stop();
    serving.join();
}

TEST(FirmwareCommand, RefusesBadBoardsAndModelsBeforeBuilding) {
    TempDir dir;
    auto r = test::run_command(std::string(EARSHOT_CLI) + " firmware " + (dir.path() / "none.tflite").string() + " -o " + (dir.path() / "a.uf2").string() +
                               " --build-dir " + dir.path().string());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("none.tflite"), std::string::npos) << r.output;
    r = test::run_command(std::string(EARSHOT_CLI) + " firmware x.tflite -o a.uf2 --board nano --build-dir " + dir.path().string());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("pico or sparkfun_micromod"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir.path() / "a.uf2"));
}

}  // namespace
}  // namespace earshot
