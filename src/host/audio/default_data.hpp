// The built-in data of the main job, so `earshot demo` needs no downloads: deterministic,
// varied smoke/fire-alarm recordings and the everyday sounds a detector must ignore.
//
// Alarms: the temporal-3 pattern (0.5 s on / 0.5 s off x 3, then 1.5 s off) at a random phase,
// fundamental 2.9-3.5 kHz plus a second harmonic, random level, distance (low-pass), room
// reverb (feedback comb), optional clipping, over a noise floor.
// Backgrounds: white, pink and brown noise, mains hum, babble-like formant noise, clicks,
// music-like notes, household beeps (0.4-2 kHz, the classic false alarm) and near-silence.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace earshot::audio {

enum class BackgroundKind { white, pink, brown, hum, babble, clicks, music, beeps, silence };
inline constexpr int kBackgroundKinds = 9;
const char* background_name(BackgroundKind kind);

// 16 kHz mono int16; the same seed always gives the same clip. `beeping` (optional) gets one
// flag per sample: 1 while the alarm sounds, so bites from the pattern's pauses can be told apart.
std::vector<int16_t> synthesize_alarm_clip(uint64_t seed, double seconds, std::vector<uint8_t>* beeping = nullptr);
// The fire-alarm sounders beyond the piezo smoke alarm, for a detector that must know them all
// (real alarms here range from 0.6 to 4.8 kHz): one of 8 patterns (temporal-3, the CO alarm's
// temporal-4, continuous, march time, slow whoop, two tones, warble, bell) at a fundamental of
// 0.5-4 kHz (log-uniform; a whoop rises from 0.4-0.8 kHz) with a piezo, square-ish or horn timbre, then the same distance,
// room, clipping, level and noise floor as synthesize_alarm_clip. `beeping` as there.
enum class SounderPattern { temporal3, temporal4, continuous, pulsed, whoop, two_tone, warble, bell };
inline constexpr int kSounderPatterns = 8;
inline constexpr uint32_t kAllSounderPatterns = (1u << kSounderPatterns) - 1;  // bit p: pattern p
const char* sounder_pattern_name(SounderPattern p);
// "temporal3,bell" -> its mask; an unknown name is an Error listing the known ones.
uint32_t parse_sounder_patterns(const std::string& list);
// The pattern synthesize_sounder_clip(seed, ..., patterns) plays (each allowed one as likely).
SounderPattern sounder_pattern_of(uint64_t seed, uint32_t patterns = kAllSounderPatterns);
std::vector<int16_t> synthesize_sounder_clip(uint64_t seed, double seconds, std::vector<uint8_t>* beeping = nullptr,
                                             uint32_t patterns = kAllSounderPatterns);

std::vector<int16_t> synthesize_background_clip(BackgroundKind kind, uint64_t seed, double seconds);

struct LabelledClip {
    std::string label;  // "alarm" or a background name
    std::vector<int16_t> samples;
    std::vector<uint8_t> beeping;  // alarms: per sample, 1 while a beep sounds
};

// `alarms` alarm clips and `per_kind` clips of every background kind, interleaved by seed.
std::vector<LabelledClip> generate_default_data(int alarms, int per_kind, double seconds, uint64_t seed);

}  // namespace earshot::audio
