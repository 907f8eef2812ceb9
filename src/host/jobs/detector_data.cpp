#include "host/jobs/detector_data.hpp"

#include <algorithm>
#include <mutex>

#include "core/dsp/spectrogram.hpp"
#include "host/audio/default_data.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/soundbites.hpp"
#include "host/data/dataset.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/io/parallel.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;
namespace {

struct Clip {
    int label = 0;  // 1 alarm, 0 background
    std::vector<int16_t> samples;
    std::vector<uint8_t> beeping;  // generated alarms: which samples hold a beep
};

// A generated alarm bite that falls entirely into the pattern's 1.5 s pause holds no alarm:
// it is left out rather than taught as "alarm". 0.1 s of beep is enough to count.
bool holds_alarm(const Clip& c, size_t offset) {
    if (c.beeping.empty()) return true;
    size_t on = 0;
    for (size_t i = offset; i < std::min(c.beeping.size(), offset + static_cast<size_t>(dsp::kBiteSamples)); ++i) on += c.beeping[i];
    return on >= static_cast<size_t>(dsp::kSampleRate / 10);
}

std::vector<fs::path> audio_files(const fs::path& dir) {
    if (!fs::is_directory(dir)) throw Error(dir.string() + ": folder does not exist");
    auto files = data::audio_files_under(dir);
    if (files.empty()) throw Error(dir.string() + ": no audio files (.wav, .flac, .ogg, .aiff)");
    return files;
}

void load_folder(const fs::path& dir, int label, unsigned threads, std::vector<Clip>& clips, std::vector<std::string>& skipped) {
    const auto files = audio_files(dir);
    std::vector<Clip> loaded(files.size());
    std::vector<std::string> errors(files.size());
    io::parallel_for(files.size(), threads, [&](size_t i) {
        try {
            loaded[i] = {label, audio::load_pcm16k(files[i]), {}};
        } catch (const std::exception& e) {
            errors[i] = e.what();
        }
    });
    for (size_t i = 0; i < files.size(); ++i) {
        if (errors[i].empty()) clips.push_back(std::move(loaded[i]));
        else skipped.push_back(errors[i]);
    }
}

train::FeatureSet features_of(const std::vector<audio::Bite>& bites, const std::vector<int>& labels, unsigned threads) {
    train::FeatureSet set;
    set.item_shape = {dsp::kFrames, dsp::kBins, 1};
    set.q15.resize(bites.size() * set.item_elements());
    set.labels = labels;
    io::parallel_for(bites.size(), threads, [&](size_t i) {
        dsp::spectrogram_q15(bites[i].data(), set.q15.data() + i * set.item_elements(), dsp::MagnitudeMode::cmsis58);
    });
    return set;
}

}  // namespace

DetectorData build_detector_data(const DetectorDataOptions& o) {
    DetectorData d;
    std::vector<Clip> clips;
    if (o.positives || o.background) {
        if (!o.positives || !o.background) throw Error("--positives and --background go together (one folder of alarm clips, one of everything else)");
        load_folder(*o.positives, 1, o.threads, clips, d.skipped);
        load_folder(*o.background, 0, o.threads, clips, d.skipped);
        d.source = "alarms from " + o.positives->string() + ", background from " + o.background->string();
    } else {
        const auto generated = audio::generate_default_data(o.alarm_clips, o.background_clips_per_kind, o.clip_seconds, o.seed);
        for (const auto& g : generated) clips.push_back({g.label == "alarm" ? 1 : 0, g.samples, g.beeping});
        d.source = "built-in generator: " + std::to_string(o.alarm_clips) + " alarm clips, " + std::to_string(o.background_clips_per_kind) + " clips of each of " +
                   std::to_string(audio::kBackgroundKinds) + " background kinds, " + io::format("%g", o.clip_seconds) + " s each";
    }
    // Clip-level, per-class split.
    train::Rng rng{o.seed * 31 + 7};
    std::vector<size_t> by_class[2];
    for (size_t i = 0; i < clips.size(); ++i) by_class[clips[i].label].push_back(i);
    d.positive_clips = by_class[1].size();
    d.background_clips = by_class[0].size();
    if (d.positive_clips < 3 || d.background_clips < 3) throw Error("the detector needs at least 3 alarm and 3 background clips (has " + std::to_string(d.positive_clips) + " and " + std::to_string(d.background_clips) + ")");
    std::vector<audio::Bite> bites[3];
    std::vector<int> labels[3];
    std::vector<audio::Bite> train_pos, train_bg;
    for (int label = 0; label < 2; ++label) {
        auto& members = by_class[label];
        rng.shuffle(members);
        const size_t n = members.size();
        const size_t n_test = std::max<size_t>(1, static_cast<size_t>(static_cast<double>(n) * o.test_fraction + 0.5));
        const size_t n_val = std::max<size_t>(1, static_cast<size_t>(static_cast<double>(n) * o.val_fraction + 0.5));
        for (size_t k = 0; k < n; ++k) {
            const int split = k < n_test ? 2 : k < n_test + n_val ? 1 : 0;
            const Clip& clip = clips[members[k]];
            for (auto& b : audio::cut_soundbites(clip.samples)) {
                if (label == 1 && !holds_alarm(clip, b.offset)) continue;
                if (split == 0) (label ? train_pos : train_bg).push_back(b.samples);
                bites[split].push_back(std::move(b.samples));
                labels[split].push_back(label);
            }
        }
    }
    // Balance the training positives (the reference: each technique adds (#bg - #pos) / 3).
    const auto extra = audio::balance_positives(train_pos, train_bg, o.balance, rng);
    d.augmented = extra.size();
    for (const auto& b : extra) {
        bites[0].push_back(b);
        labels[0].push_back(1);
    }
    for (size_t i = 0; i < bites[2].size(); ++i) {
        auto& example = labels[2][i] ? d.example_alarm : d.example_background;
        if (example.empty()) example = bites[2][i];
    }
    d.train = features_of(bites[0], labels[0], o.threads);
    d.val = features_of(bites[1], labels[1], o.threads);
    d.test = features_of(bites[2], labels[2], o.threads);
    return d;
}

}  // namespace earshot::jobs
