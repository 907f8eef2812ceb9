// The lines the inference app prints on its serial port, parsed: what `earshot monitor` shows
// and logs. The format is the firmware's (firmware/app/main.cpp):
//   earshot: board=pico arena=2376 audio=pdm clk=3 data=2
//   score=0.930 q=110 alarm=1 t=1234ms dropped=0 lines_dropped=0 cycles_pdm=... cycles_iter=...
//   alarm on t=5664ms
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace earshot::board {

enum class LineKind { banner, score, alarm_on, alarm_off, other };

struct BoardLine {
    LineKind kind = LineKind::other;
    std::string text;                          // the line as received, without the newline
    double score = 0.0;                        // score lines
    int q = 0;
    bool alarm = false;
    uint32_t t_ms = 0;                         // score and alarm lines
    uint32_t dropped = 0, lines_dropped = 0;   // audio blocks and serial lines lost so far
    std::map<std::string, uint32_t> cycles;    // "pdm", "frontend", "quantize", "model", "output", "iter"
};

// Never throws: a line that is not the app's (noise, a partial line after a reset) is `other`.
BoardLine parse_board_line(const std::string& text);

}  // namespace earshot::board
