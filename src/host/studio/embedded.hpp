// Files compiled into earshot (cmake/EmbedFile.cmake): the studio needs nothing beside the binary.
#pragma once
#include <span>

namespace earshot::studio {

std::span<const unsigned char> studio_page();       // src/host/studio/page/index.html
std::span<const unsigned char> shipped_detector();  // models/fire_alarm.tflite

}  // namespace earshot::studio
