#include "host/audio/pdm_capture.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "core/dsp/pdm_decimator.hpp"
#include "host/error.hpp"

namespace earshot::audio {

std::vector<int16_t> decimate_pdm_capture(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open");
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
