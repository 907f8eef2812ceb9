// Small helpers shared by the test files.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace earshot::test {

inline std::filesystem::path golden_dir() { return EARSHOT_GOLDEN_DIR; }

// Tests that read ../shared (golden vectors, the tutorial's model) skip when it is absent, all
// with the same message naming it; CI sets EARSHOT_REQUIRE_SHARED=1, and there they fail instead.
inline std::string shared_missing_reason(const std::filesystem::path& shared = golden_dir().parent_path().parent_path()) {
    const std::filesystem::path golden = shared / "golden" / "cmsis_dsp_5.8.0";
    if (std::filesystem::exists(shared / "reference_models" / "pico_fire_alarm.tflite") && std::filesystem::exists(golden)) return "";
    return "needs the shared test data at " + shared.string() +
           " (../shared beside the repo: golden vectors and the tutorial's model), which is not there";
}

#define EARSHOT_NEEDS_SHARED()                                                      \
    do {                                                                            \
        const std::string earshot_why = ::earshot::test::shared_missing_reason();   \
        if (!earshot_why.empty()) {                                                 \
            if (std::getenv("EARSHOT_REQUIRE_SHARED")) FAIL() << earshot_why;       \
            GTEST_SKIP() << earshot_why;                                            \
        }                                                                           \
    } while (0)

// The reference tutorial's deployed model, ../shared/reference_models/pico_fire_alarm.tflite.
inline std::filesystem::path reference_model() {
    return golden_dir().parent_path().parent_path() / "reference_models" / "pico_fire_alarm.tflite";
}

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<int16_t> read_i16(const std::filesystem::path& p) {
    const std::string bytes = read_bytes(p);
    std::vector<int16_t> v(bytes.size() / 2);
    for (size_t i = 0; i < v.size(); ++i) {
        v[i] = static_cast<int16_t>(static_cast<uint8_t>(bytes[2 * i]) | (static_cast<uint8_t>(bytes[2 * i + 1]) << 8));
    }
    return v;
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Deterministic full-scale white noise (Numerical Recipes LCG, top 16 bits).
inline std::vector<int16_t> lcg_noise(size_t n, uint32_t seed = 12345, int shift = 0) {
    std::vector<int16_t> v(n);
    uint32_t s = seed;
    for (auto& x : v) {
        s = 1664525u * s + 1013904223u;
        x = static_cast<int16_t>(static_cast<int16_t>(s >> 16) >> shift);
    }
    return v;
}

// A fresh folder per test, removed afterwards; the process id keeps two test runs on one
// machine (two build trees, say) out of each other's folders.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = std::filesystem::path(::testing::TempDir()) / ("earshot_" + std::string(info->test_suite_name()) + "_" + info->name() +
                                                               "_" + std::to_string(::getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& command) {
    CommandResult r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return r;
}

}  // namespace earshot::test
