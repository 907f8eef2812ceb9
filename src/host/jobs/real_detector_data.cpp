#include "host/jobs/real_detector_data.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "core/dsp/frame_constants.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "host/audio/conditions.hpp"
#include "host/audio/default_data.hpp"
#include "host/audio/pcm16.hpp"
#include "host/error.hpp"
#include "host/io/parallel.hpp"
#include "host/data/alarm_activity.hpp"
#include "host/data/alarm_spans.hpp"
#include "host/dsp/log_band_columns.hpp"
#include "host/train/rng.hpp"

namespace earshot::jobs {
namespace {

constexpr int kBlock = dsp::kStreamChunk;
constexpr int kMinActiveBlocks = 3;  // ~0.1 s of alarm in a window makes it an alarm window

struct Source {
    std::string name;
    std::string kind;  // "alarm", "background/<kind>", "built-in/<kind>"
    int label = 0;
    int split = 0;  // 0 train, 1 val, 2 test
    std::filesystem::path path;     // recordings (empty: generated)
    std::vector<int16_t> pcm;
    std::vector<int16_t> columns;   // blocks x bands
    std::vector<uint8_t> active;    // alarms: per block
};

// The model's features for the window of `columns` (blocks x bands) ending at `end_block`.
std::vector<int16_t> window_at(const std::vector<int16_t>& columns, size_t end_block, const dsp::LogBandLayout& layout) {
    const size_t first = (end_block + 1 - static_cast<size_t>(layout.columns)) * static_cast<size_t>(layout.bands);
    std::vector<int16_t> window(static_cast<size_t>(layout.columns * layout.bands));
    dsp::log_band_features(columns.data() + first, layout, window.data());
    return window;
}

// The tutorial's front end instead: the device's rolling 124 x 129 spectrogram (CMSIS 5.8.0
// magnitudes), fed block by block; a window is the picture after its last block.
struct SpectrogramWindows {
    std::unique_ptr<dsp::StreamingSpectrogram> stream = std::make_unique<dsp::StreamingSpectrogram>(dsp::MagnitudeMode::cmsis58);
    size_t pushed = 0;
    std::vector<int16_t> at(const std::vector<int16_t>& pcm, size_t end_block) {  // end_block never decreases
        for (; pushed <= end_block; ++pushed) stream->push(pcm.data() + pushed * kBlock);
        return std::vector<int16_t>(stream->frames(), stream->frames() + dsp::kSpectrogramSize);
    }
};

// The features of the last window of a PCM segment of columns + 1 blocks (the first block only
// gives the overlap history), exactly as the device computes them.
std::vector<int16_t> segment_window(const std::vector<int16_t>& pcm, const dsp::LogBandLayout& layout, bool spectrogram) {
    if (spectrogram) return SpectrogramWindows{}.at(pcm, pcm.size() / kBlock - 1);
    const auto columns = dsp::log_band_columns(pcm, layout);
    return window_at(columns, columns.size() / static_cast<size_t>(layout.bands) - 1, layout);
}

std::vector<float> segment(const Source& s, size_t end_block, int columns) {
    const size_t from = (end_block + 1 - static_cast<size_t>(columns + 1)) * kBlock, to = (end_block + 1) * kBlock;
    return std::vector<float>(s.pcm.begin() + static_cast<std::ptrdiff_t>(from), s.pcm.begin() + static_cast<std::ptrdiff_t>(to));
}

// The segment of segment() lowered in pitch by `ratio` (< 1): its last `ratio` part played
// slower so it ends where the window ends. Empty when that part holds fewer than
// kMinActiveBlocks blocks of alarm sound.
std::vector<float> lowered_segment(const Source& s, size_t end_block, int columns, double ratio) {
    const size_t length = static_cast<size_t>(columns + 1) * kBlock, to = (end_block + 1) * kBlock;
    const auto from = static_cast<size_t>(static_cast<double>(to) - static_cast<double>(length) * ratio);
    int on = 0;
    for (size_t b = from / kBlock; b <= end_block; ++b) on += s.active[b];
    if (on < kMinActiveBlocks) return {};
    return audio::played_slower(std::span<const int16_t>(s.pcm).first(to), length, ratio);
}

// A log band window (columns x bands) moved `shift` bands up (> 0) or down (< 0) in pitch;
// the bands it vacates repeat the nearest edge band.
std::vector<int16_t> shifted_in_bands(const std::vector<int16_t>& window, const dsp::LogBandLayout& layout, int shift) {
    std::vector<int16_t> out(window.size());
    for (int c = 0; c < layout.columns; ++c) {
        const int16_t* from = window.data() + c * layout.bands;
        for (int b = 0; b < layout.bands; ++b) out[static_cast<size_t>(c * layout.bands + b)] = from[std::clamp(b - shift, 0, layout.bands - 1)];
    }
    return out;
}

// Rooms, microphones, level and clipping, each drawn at random.
std::vector<int16_t> in_real_conditions(std::vector<float> x, train::Rng& rng) {
    if (rng.uniform() < 0.5f) audio::add_room(x, rng);
    if (rng.uniform() < 0.6f) audio::apply_microphone(x, rng);
    if (rng.uniform() < 0.1f) audio::clip_at(x, 1.5 + 2.5 * rng.uniform());
    return audio::to_int16(x, -20.0 + 40.0 * rng.uniform());
}

}  // namespace

RealDetectorData build_real_detector_data(const RealDataOptions& o) {
    // Log band columns label the windows (alarm activity) whatever the model's features are.
    const bool spectrogram = o.features.kind == model::FeatureKind::spectrogram;
    const model::FeatureSettings bands = spectrogram ? model::default_log_band_features() : o.features;
    RealDetectorData d;
    const dsp::LogBandLayout layout = bands.layout();
    std::vector<Source> sources;
    std::map<std::string, std::vector<eval::LabelledEvent>> spans;
    if (o.alarm_spans && !o.root) throw Error("alarm spans need the recordings they mark (--data DIR)");
    if (o.root) {
        const auto recordings = list_recordings(*o.root);
        if (o.alarm_spans) {
            std::vector<std::string> alarms;
            for (const Recording& r : recordings) {
                if (r.label) alarms.push_back(r.name);
            }
            spans = data::read_alarm_spans(*o.alarm_spans, alarms);
        }
        const uint64_t split_seed = o.split_seed.value_or(o.seed);
        d.split = split_recordings(recordings, o.val_fraction, o.test_fraction, split_seed, o.fold);
        d.manifest = split_manifest(d.split, split_seed, o.val_fraction, o.test_fraction, o.fold);
        d.manifest["train_on_all"] = o.train_on_all;
        d.source = o.root->string();
        for (int split = 0; split < 3; ++split) {
            const auto& list = split == 0 ? d.split.train : split == 1 ? d.split.val : d.split.test;
            for (const Recording& r : list) {
                sources.push_back({r.name, r.label ? "alarm" : r.kind, r.label, split == 2 && o.train_on_all ? 0 : split, r.path, {}, {}, {}});
            }
        }
        std::vector<std::string> errors(sources.size());
        io::parallel_for(sources.size(), o.threads, [&](size_t i) {
            try {
                sources[i].pcm = audio::load_pcm16k(sources[i].path);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
        std::vector<Source> kept;
        for (size_t i = 0; i < sources.size(); ++i) {
            if (errors[i].empty()) kept.push_back(std::move(sources[i]));
            else d.skipped.push_back(errors[i]);
        }
        sources = std::move(kept);
    }
    if (o.builtin) {
        // The generator's alarms (with their beep flags) and background kinds: training only.
        auto generated = audio::generate_default_data(o.builtin_alarm_clips, o.builtin_background_clips, 4.0, o.seed + 1000);
        for (int i = 0; i < o.sounder_clips; ++i) {
            audio::LabelledClip c{"alarm", {}, {}};
            c.samples = audio::synthesize_sounder_clip((o.seed + 2000) * 100003 + static_cast<uint64_t>(i), 4.0, &c.beeping, o.sounder_patterns);
            generated.push_back(std::move(c));
        }
        for (const auto& g : generated) {
            Source s{"built-in/" + g.label, g.label == "alarm" ? "alarm" : "built-in/" + g.label, g.label == "alarm" ? 1 : 0, 0, {}, g.samples, {}, {}};
            if (s.label) {
                const size_t blocks = g.samples.size() / kBlock;
                s.active.assign(blocks, 0);
                for (size_t b = 0; b < blocks; ++b) {
                    size_t on = 0;
                    for (size_t i = b * kBlock; i < (b + 1) * kBlock; ++i) on += g.beeping[i];
                    s.active[b] = on >= kBlock / 4;
                }
            }
            sources.push_back(std::move(s));
        }
        if (d.source.empty()) d.source = "built-in generator";
        else d.source += " + built-in generator";
    }
    if (sources.empty()) throw Error("no recordings to train on");
    io::parallel_for(sources.size(), o.threads, [&](size_t i) {
        Source& s = sources[i];
        s.columns = dsp::log_band_columns(s.pcm, layout);
        if (s.label && s.active.empty()) s.active = data::alarm_activity(s.columns, layout);
    });
    for (Source& s : sources) {
        const auto marked = s.label ? spans.find(s.name) : spans.end();
        if (marked == spans.end()) continue;
        ++d.spanned_recordings;
        d.blocks_outside_spans += data::keep_inside_spans(s.active, marked->second, static_cast<double>(kBlock) / dsp::kSampleRate);
    }

    // Windows of the recordings themselves; positives remembered for augmentation.
    train::FeatureSet* sets[3] = {&d.train, &d.val, &d.test};
    for (auto* set : sets) set->item_shape = spectrogram ? std::vector<int>{dsp::kFrames, dsp::kBins, 1} : std::vector<int>{layout.columns, layout.bands, 1};
    struct Where {
        size_t source, end_block;
    };
    std::vector<Where> train_positives, train_negatives;
    const auto kind_index = [&](const std::string& kind) {
        const auto at = std::find(d.kinds.begin(), d.kinds.end(), kind);
        if (at != d.kinds.end()) return static_cast<int>(at - d.kinds.begin());
        d.kinds.push_back(kind);
        return static_cast<int>(d.kinds.size()) - 1;
    };
    for (size_t i = 0; i < sources.size(); ++i) {
        const Source& s = sources[i];
        const int kind = kind_index(s.kind);
        SpectrogramWindows pictures;
        const size_t blocks = s.columns.size() / static_cast<size_t>(layout.bands);
        for (size_t end = static_cast<size_t>(layout.columns); end < blocks; end += static_cast<size_t>(o.hop_blocks)) {
            int label = 0;
            if (s.label) {
                int on = 0;
                for (size_t b = end + 1 - static_cast<size_t>(layout.columns); b <= end; ++b) on += s.active[b];
                if (on < kMinActiveBlocks) {
                    ++d.excluded_windows;
                    continue;
                }
                label = 1;
            }
            sets[s.split]->append(spectrogram ? pictures.at(s.pcm, end) : window_at(s.columns, end, layout), label);
            if (s.split == 0) d.train_kind.push_back(kind);
            if (s.split == 1) d.val_kind.push_back(kind);
            (label ? d.positive_windows : d.negative_windows) += 1;
            if (s.split == 0) (label ? train_positives : train_negatives).push_back({i, end});
        }
    }
    if (train_positives.empty() || train_negatives.empty()) throw Error("the training split needs both alarm and background windows");

    // Augmentation: new positives (alarm windows mixed into other backgrounds, then conditions)
    // and new negatives (background over background, then conditions).
    if (o.augment) {
        const size_t n_pos = static_cast<size_t>(o.augmented_positives * static_cast<double>(train_positives.size()));
        const size_t n_neg = static_cast<size_t>(o.augmented_negatives * static_cast<double>(train_negatives.size()));
        // With balance_alarm_recordings: a recording first, then one of its windows (the
        // generator's clips are one recording), so a 40 s smoke detector does not outweigh a
        // 2 s horn.
        const auto recording_of = [&](size_t source) { return sources[source].path.empty() ? std::string("built-in") : sources[source].name; };
        std::vector<std::vector<size_t>> positive_groups;
        if (o.balance_alarm_recordings) {
            std::map<std::string, size_t> group_of;
            for (size_t k = 0; k < train_positives.size(); ++k) {
                const auto [at, added] = group_of.emplace(recording_of(train_positives[k].source), positive_groups.size());
                if (added) positive_groups.emplace_back();
                positive_groups[at->second].push_back(k);
            }
        }
        std::vector<std::vector<int16_t>> windows(n_pos + n_neg);
        std::vector<size_t> drawn_from(n_pos);  // the source of each augmented alarm
        io::parallel_for(windows.size(), o.threads, [&](size_t k) {
            train::Rng rng{o.seed * 1000003ull + k * 7919ull + 11};
            const bool positive = k < n_pos;
            Where a;
            if (!positive) a = train_negatives[rng.below(train_negatives.size())];
            else if (positive_groups.empty()) a = train_positives[rng.below(train_positives.size())];
            else {
                const auto& group = positive_groups[rng.below(positive_groups.size())];
                a = train_positives[group[rng.below(group.size())]];
            }
            if (positive) drawn_from[k] = a.source;
            const Where b = train_negatives[rng.below(train_negatives.size())];
            std::vector<float> x;
            if (positive && o.pitch_down_octaves > 0 && rng.uniform() < 0.5f) {
                x = lowered_segment(sources[a.source], a.end_block, layout.columns, std::exp2(-o.pitch_down_octaves * rng.uniform()));
            }
            if (x.empty()) x = segment(sources[a.source], a.end_block, layout.columns);
            const std::vector<float> other = segment(sources[b.source], b.end_block, layout.columns);
            // Positives: the alarm at -5..+20 dB over the other recording; negatives: a second
            // background at -10..+10 dB, half the time.
            if (positive) x = audio::mix_at_snr(x, other, -5.0 + 25.0 * rng.uniform());
            else if (rng.uniform() < 0.5f) x = audio::mix_at_snr(x, other, -10.0 + 20.0 * rng.uniform());
            windows[k] = segment_window(in_real_conditions(std::move(x), rng), layout, spectrogram);
            if (o.band_shift > 0 && !spectrogram && rng.uniform() < 0.5f) {
                const int by = 1 + static_cast<int>(rng.below(static_cast<size_t>(o.band_shift)));
                windows[k] = shifted_in_bands(windows[k], layout, rng.uniform() < 0.5f ? by : -by);
            }
        });
        for (size_t k = 0; k < windows.size(); ++k) d.train.append(windows[k], k < n_pos ? 1 : 0);
        for (size_t source : drawn_from) ++d.augmented_alarms_from[recording_of(source)];
        d.augmented = windows.size();
    }
    return d;
}

}  // namespace earshot::jobs
