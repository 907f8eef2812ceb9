#include "host/audio/pdm_capture.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "core/dsp/pdm_decimator.hpp"
#include "host/error.hpp"
#include "host/io/read_file.hpp"

namespace earshot::audio {

std::vector<int16_t> decimate_pdm_capture(const std::filesystem::path& path) {
    const std::string bytes = io::read_file(path, "a PDM capture");
    // A WAV (or other audio file) is not a bit stream: decimating its bytes would be noise.
    if (bytes.rfind("RIFF", 0) == 0 || bytes.rfind("fLaC", 0) == 0 || bytes.rfind("OggS", 0) == 0 || bytes.rfind("FORM", 0) == 0) {
        throw Error(path.string() + ": is an audio file (" + bytes.substr(0, 4) +
                    " header), not a raw PDM capture (32-bit words of 1-bit samples)");
    }
    if (bytes.empty() || bytes.size() % 4 != 0) {
        throw Error(path.string() + ": a PDM capture is a whole number of 32-bit words (" + std::to_string(bytes.size()) + " bytes)");
    }
    std::vector<uint32_t> words(bytes.size() / 4);
    std::memcpy(words.data(), bytes.data(), bytes.size());
    std::vector<int16_t> pcm(words.size() / 2);
    dsp::PdmDecimator d;
    dsp::pdm_reset(d);
    dsp::pdm_decimate(d, words.data(), static_cast<int32_t>(words.size()), pcm.data());
    return pcm;
}

}  // namespace earshot::audio
