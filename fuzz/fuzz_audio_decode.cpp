// Any bytes given as an audio file (WAV, FLAC, OGG, AIFF, ... through libsndfile, then resampled
// to 16 kHz) must decode or fail with an earshot::Error: never a crash, a hang, a huge
// allocation from a header's claims, or undefined behaviour.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "host/audio/pcm16.hpp"
#include "host/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // The decoder reads paths: hand it an in-memory file.
    const int fd = ::memfd_create("fuzz_audio", MFD_CLOEXEC);
    if (fd < 0) return 0;
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
    }
    earshot::audio::DecodeLimits limits;
    limits.max_seconds = 120.0;  // bounds the work per input; longer claims must fail cleanly
    try {
        const auto pcm = earshot::audio::load_pcm16k("/proc/self/fd/" + std::to_string(fd), limits);
        if (pcm.empty()) __builtin_trap();  // zero-length audio must be an error, not an empty result
    } catch (const earshot::Error&) {
    }
    ::close(fd);
    return 0;
}
