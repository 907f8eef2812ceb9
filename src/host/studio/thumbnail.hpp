// A clip's spectrogram as the device hears it, small enough for a list: 16 kHz int16, the q15
// front end's 129-bin frames (CMSIS 5.8.0 magnitude), one frame every 32 ms, at most 10 s.
#pragma once
#include <filesystem>
#include <string>

namespace earshot::studio {

std::string thumbnail_png(const std::filesystem::path& clip);

}  // namespace earshot::studio
