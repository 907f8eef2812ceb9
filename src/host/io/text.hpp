// Small text helpers for messages: printf-style formatting into a string, and a bounded list
// of items (file names, bad rows) for error messages and warnings.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace earshot::io {

template <typename... Args>
std::string format(const char* fmt, Args... args) {
    const int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, args...);
    return out;
}

// "\n  item" for up to `limit` items, then "\n  ... and N more".
inline std::string item_list(const std::vector<std::string>& items, size_t limit = 10) {
    std::string s;
    for (size_t i = 0; i < items.size() && i < limit; ++i) s += "\n  " + items[i];
    if (items.size() > limit) s += "\n  ... and " + std::to_string(items.size() - limit) + " more";
    return s;
}

}  // namespace earshot::io
