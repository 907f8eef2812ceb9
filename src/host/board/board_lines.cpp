#include "host/board/board_lines.hpp"

#include <cstdlib>
#include <sstream>

namespace earshot::board {
namespace {

// Digits only (no sign, no junk): a corrupted field must not parse as a number.
bool parse_u32(const std::string& s, uint32_t& out) {
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
    if (v > 0xffffffffull) return false;
    out = static_cast<uint32_t>(v);
    return true;
}

bool parse_ms(std::string s, uint32_t& out) {
    if (s.size() < 3 || s.compare(s.size() - 2, 2, "ms") != 0) return false;
    s.resize(s.size() - 2);
    return parse_u32(s, out);
}

}  // namespace

BoardLine parse_board_line(const std::string& text) {
    BoardLine line;
    line.text = text;
    if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
    const std::string& s = line.text;
    if (s.rfind("earshot:", 0) == 0 || s.rfind("earshot-mic:", 0) == 0) {
        line.kind = LineKind::banner;
        return line;
    }
    for (const auto& [prefix, kind] : {std::pair{"alarm on t=", LineKind::alarm_on}, std::pair{"alarm off t=", LineKind::alarm_off}}) {
        const std::string p = prefix;
        if (s.rfind(p, 0) == 0 && parse_ms(s.substr(p.size()), line.t_ms)) {
            line.kind = kind;
            return line;
        }
    }
    if (s.rfind("score=", 0) != 0) return line;
    std::istringstream fields(s);
    bool have_q = false, have_alarm = false;
    for (std::string field; fields >> field;) {
        const size_t eq = field.find('=');
        if (eq == std::string::npos) return line;
        const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
        uint32_t u = 0;
        if (key == "score") {
            char* end = nullptr;
            line.score = std::strtod(value.c_str(), &end);
            if (end == value.c_str() || *end) return line;
        } else if (key == "q") {
            const bool negative = !value.empty() && value[0] == '-';
            if (!parse_u32(negative ? value.substr(1) : value, u) || u > 128) return line;
            line.q = negative ? -static_cast<int>(u) : static_cast<int>(u);
            have_q = true;
        } else if (key == "alarm") {
            if (value != "0" && value != "1") return line;
            line.alarm = value == "1";
            have_alarm = true;
        } else if (key == "t") {
            if (!parse_ms(value, line.t_ms)) return line;
        } else if (key == "dropped" || key == "lines_dropped") {
            if (!parse_u32(value, u)) return line;
            (key == "dropped" ? line.dropped : line.lines_dropped) = u;
        } else if (key.rfind("cycles_", 0) == 0) {
            if (!parse_u32(value, u)) return line;
            line.cycles[key.substr(7)] = u;
        }
    }
    if (have_q && have_alarm) line.kind = LineKind::score;
    return line;
}

}  // namespace earshot::board
