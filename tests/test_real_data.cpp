// Real-recording training data: grouping and splitting by recording, the band-energy alarm
// labels, real-condition augmentation, and the data builder on the repo's own clips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/dsp/spectrogram.hpp"
#include "host/audio/conditions.hpp"
#include "host/audio/default_data.hpp"
#include "host/data/alarm_activity.hpp"
#include "host/data/alarm_spans.hpp"
#include "host/dsp/log_band_columns.hpp"
#include "host/error.hpp"
#include "host/jobs/real_detector_data.hpp"
#include "host/jobs/recordings.hpp"
#include "support.hpp"

using namespace earshot;
namespace fs = std::filesystem;

namespace {

fs::path repo_data() { return fs::path(EARSHOT_REPO_DATA); }

}  // namespace

TEST(Recordings, AudioSetSegmentsOfOneVideoAreOneGroup) {
    EXPECT_EQ(jobs::recording_group("x/audioset_cry/1TB3-XSom_A_30.000.flac"), "1TB3-XSom_A");
    EXPECT_EQ(jobs::recording_group("y/audioset_gun/1TB3-XSom_A_90.000.flac"), "1TB3-XSom_A");
    EXPECT_EQ(jobs::recording_group("z/speech/allison_prompts_part01.flac"), "speech/allison_prompts_part01");
}

// 3 kinds of 10 videos, two segments per video (they must stay together).
std::vector<jobs::Recording> two_segment_videos() {
    std::vector<jobs::Recording> all;
    for (int k = 0; k < 3; ++k) {
        for (int i = 0; i < 10; ++i) {
            const std::string kind = "background/kind" + std::to_string(k);
            all.push_back({"/" + kind + "/v" + std::to_string(i), kind + "/v" + std::to_string(i) + "a", kind, kind + std::to_string(i), 0});
            all.push_back({"/" + kind + "/v" + std::to_string(i), kind + "/v" + std::to_string(i) + "b", kind, kind + std::to_string(i), 0});
        }
    }
    return all;
}

TEST(Recordings, SplitByRecordingPerKindSeeded) {
    const std::vector<jobs::Recording> all = two_segment_videos();
    const auto s = jobs::split_recordings(all, 0.2, 0.3, 7);
    EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), all.size());
    std::map<std::string, int> side;
    const auto mark = [&](const std::vector<jobs::Recording>& list, int which) {
        for (const auto& r : list) {
            auto [it, fresh] = side.emplace(r.group, which);
            EXPECT_EQ(it->second, which) << r.group << " is on two sides";
            (void)fresh;
        }
    };
    mark(s.train, 0);
    mark(s.val, 1);
    mark(s.test, 2);
    EXPECT_EQ(s.test.size(), 3u * 3u * 2u);  // 30% of 10 videos per kind, two segments each
    EXPECT_EQ(s.val.size(), 3u * 2u * 2u);
    const auto again = jobs::split_recordings(all, 0.2, 0.3, 7);
    ASSERT_EQ(again.test.size(), s.test.size());
    for (size_t i = 0; i < s.test.size(); ++i) EXPECT_EQ(again.test[i].name, s.test[i].name);
    const auto other = jobs::split_recordings(all, 0.2, 0.3, 8);
    bool differs = false;
    for (size_t i = 0; i < s.test.size(); ++i) differs = differs || other.test[i].name != s.test[i].name;
    EXPECT_TRUE(differs) << "another seed should deal the recordings differently";
}

// --fold k/K: within one fold the sides are disjoint and hold every recording; over the K folds
// of a seed every video is tested exactly once, each kind's test part within one video of 10/K;
// val is 20% of each kind, never the fold's test videos.
TEST(Recordings, FoldsTestEveryRecordingOnce) {
    const std::vector<jobs::Recording> all = two_segment_videos();
    std::map<std::string, int> tested;
    for (int k = 0; k < 4; ++k) {
        const auto s = jobs::split_recordings(all, 0.2, 0.25, 7, {k, 4});
        EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), all.size());
        std::map<std::string, int> side;
        for (const auto* list : {&s.train, &s.val, &s.test}) {
            for (const auto& r : *list) {
                const int which = static_cast<int>(list == &s.val) + 2 * static_cast<int>(list == &s.test);
                EXPECT_EQ(side.emplace(r.group, which).first->second, which) << r.group << " is on two sides in fold " << k;
            }
        }
        std::map<std::string, std::set<std::string>> test_videos;
        for (const auto& r : s.test) test_videos[r.kind].insert(r.group);
        ASSERT_EQ(test_videos.size(), 3u);
        for (const auto& [kind, videos] : test_videos) {
            EXPECT_GE(videos.size(), 2u) << kind;
            EXPECT_LE(videos.size(), 3u) << kind;
            for (const auto& v : videos) ++tested[v];
        }
        EXPECT_EQ(s.val.size(), 3u * 2u * 2u);
    }
    EXPECT_EQ(tested.size(), 30u);
    for (const auto& [video, times] : tested) EXPECT_EQ(times, 1) << video;
    const auto manifest = jobs::split_manifest(jobs::split_recordings(all, 0.2, 0.25, 7, {1, 4}), 7, 0.2, 0.25, {1, 4});
    EXPECT_EQ(manifest["fold"]["index"], 2);
    EXPECT_EQ(manifest["fold"]["count"], 4);
    EXPECT_FALSE(manifest.contains("test_fraction"));
}

TEST(Recordings, ListingNamesWhatIsMissing) {
    test::TempDir dir;
    EXPECT_THROW(jobs::list_recordings(dir / "nope"), Error);
    fs::create_directories(dir / "alarms");
    test::write_bytes(dir / "alarms" / "a.wav", "listed, not decoded");
    try {
        jobs::list_recordings(dir.path());
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("background: missing"), std::string::npos) << e.what();
    }
    const auto listed = jobs::list_recordings(repo_data());
    EXPECT_EQ(listed.size(), 8u);
    EXPECT_EQ(listed[0].kind, "alarms/pico_tutorial");
    EXPECT_EQ(listed[0].label, 1);
    EXPECT_EQ(listed.back().label, 0);
}

// The generator knows where its beeps are: the band-energy rule should agree with it.
TEST(AlarmActivity, FindsTheBeepsOfATemporal3Alarm) {
    std::vector<uint8_t> beeping;
    const auto alarm = audio::synthesize_alarm_clip(11, 8.0, &beeping);
    const dsp::LogBandLayout layout;
    const auto active = data::alarm_activity(dsp::log_band_columns(alarm, layout), layout);
    size_t agree = 0;
    for (size_t b = 0; b < active.size(); ++b) {
        size_t on = 0;
        for (size_t i = b * 512; i < (b + 1) * 512; ++i) on += beeping[i];
        agree += active[b] == (on > 256);
    }
    EXPECT_GE(agree, active.size() * 85 / 100) << agree << " of " << active.size();
    const auto noise = audio::synthesize_background_clip(audio::BackgroundKind::pink, 3, 8.0);
    const auto quiet = data::alarm_activity(dsp::log_band_columns(noise, layout), layout);
    EXPECT_LE(std::count(quiet.begin(), quiet.end(), 1), 2);
}

// Hand-marked spans veto band-energy alarm blocks outside them (a 0.25 s margin), never add any.
TEST(AlarmSpans, KeepOnlyTheActiveBlocksInsideASpan) {
    const double block = 0.032;
    std::vector<uint8_t> active(100, 1);
    active[50] = 0;
    const std::vector<eval::LabelledEvent> spans{{1.0, 2.0, "fire_alarm"}, {2.9, 3.0, "fire_alarm"}};
    const size_t cleared = data::keep_inside_spans(active, spans, block);
    size_t expect_cleared = 0;
    for (size_t b = 0; b < active.size(); ++b) {
        const double start = static_cast<double>(b) * block, end = start + block;
        const bool inside = (end > 0.75 && start < 2.25) || (end > 2.65 && start < 3.25);
        if (b == 50) EXPECT_EQ(active[b], 0);  // inside, but it was quiet: stays quiet
        else EXPECT_EQ(active[b], inside ? 1 : 0) << b;
        expect_cleared += !inside;
    }
    EXPECT_EQ(cleared, expect_cleared);
    std::vector<uint8_t> none(10, 1);
    EXPECT_EQ(data::keep_inside_spans(none, {}, block), 10u);  // a row with no span: nothing is an alarm
}

TEST(Conditions, MixAtSnrGainAndSaturation) {
    std::vector<float> tone(16000), noise(16000);
    for (size_t i = 0; i < tone.size(); ++i) {
        tone[i] = static_cast<float>(1000 * std::sin(0.3 * static_cast<double>(i)));
        noise[i] = static_cast<float>(((i * 7919) % 2001) - 1000.0);
    }
    const auto mixed = audio::mix_at_snr(tone, noise, 10.0);
    std::vector<float> added(mixed.size());
    for (size_t i = 0; i < mixed.size(); ++i) added[i] = mixed[i] - tone[i];
    EXPECT_NEAR(10 * std::log10(audio::mean_power(tone) / audio::mean_power(added)), 10.0, 0.01);
    const auto loud = audio::to_int16(tone, 40.0);
    EXPECT_EQ(*std::max_element(loud.begin(), loud.end()), 32767);
    EXPECT_EQ(*std::min_element(loud.begin(), loud.end()), -32768);
    train::Rng rng{5};
    auto x = tone;
    audio::add_room(x, rng);
    audio::apply_microphone(x, rng);
    ASSERT_EQ(x.size(), tone.size());
    for (float v : x) ASSERT_TRUE(std::isfinite(v));
    EXPECT_NE(x, tone);
}

// Lowering an alarm's pitch for augmentation (demo --pitch-down): a 3 kHz tone played at half
// speed peaks at 1.5 kHz, ends at the input's end, and bad ratios are refused.
TEST(Conditions, PlayedSlowerLowersThePitch) {
    std::vector<int16_t> tone(16000);
    for (size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<int16_t>(std::lround(10000 * std::sin(2 * M_PI * 3000.0 * static_cast<double>(i) / 16000.0)));
    const auto peak_bin = [](const std::vector<int16_t>& x) {
        std::vector<int16_t> mags(dsp::kBins);
        dsp::spectrogram_frame_q15(x.data(), mags.data(), dsp::MagnitudeMode::exact);
        return static_cast<int>(std::max_element(mags.begin(), mags.end()) - mags.begin());
    };
    const auto slow = audio::played_slower(tone, 8000, 0.5);
    ASSERT_EQ(slow.size(), 8000u);
    EXPECT_EQ(peak_bin(audio::to_int16(slow)), 24);  // 1.5 kHz / 62.5 Hz
    EXPECT_EQ(peak_bin(tone), 48);
    const auto same = audio::played_slower(tone, 4000, 1.0);
    for (size_t j = 0; j < same.size(); ++j) ASSERT_EQ(same[j], tone[12000 + j]) << j;  // the last 4000 samples, unchanged
    EXPECT_THROW(audio::played_slower(tone, 8000, 0.0), Error);
    EXPECT_THROW(audio::played_slower(tone, 8000, 1.5), Error);
    EXPECT_THROW(audio::played_slower(tone, 40000, 0.5), Error);
}

TEST(RealDetectorData, RepoClipsSplitByRecordingWithLabelsPerWindow) {
    jobs::RealDataOptions o;
    o.root = repo_data();
    o.builtin = true;
    o.hop_blocks = 16;
    o.augmented_positives = 0.5;
    o.augmented_negatives = 0.1;
    const auto d = jobs::build_real_detector_data(o);
    EXPECT_EQ(d.train.item_shape, (std::vector<int>{32, 32, 1}));
    EXPECT_EQ(d.split.test.size(), 2u);  // one alarm and one background recording of the 4 + 4
    EXPECT_EQ(d.split.val.size(), 2u);
    std::set<std::string> train_names;
    for (const auto& r : d.split.train) train_names.insert(r.name);
    for (const auto& r : d.split.test) EXPECT_EQ(train_names.count(r.name), 0u);
    EXPECT_GT(d.positive_windows, 0u);
    EXPECT_GT(d.negative_windows, 0u);
    EXPECT_GT(d.excluded_windows, 0u);  // temporal-3 pauses and quiet stretches are left out
    EXPECT_GT(d.augmented, 0u);
    int pos = 0;
    for (int l : d.train.labels) pos += l;
    EXPECT_GT(pos, 0);
    EXPECT_LT(pos, static_cast<int>(d.train.size()));
    EXPECT_EQ(d.manifest["test"].size(), 2u);
    // Sound kinds for pretraining: every unaugmented train/val window has one; alarms are one kind,
    // each background folder and generator kind its own; an alarm window is of kind "alarm".
    ASSERT_FALSE(d.kinds.empty());
    EXPECT_EQ(std::count(d.kinds.begin(), d.kinds.end(), "alarm"), 1);
    EXPECT_EQ(std::count(d.kinds.begin(), d.kinds.end(), "background/speech_commands_bg"), 1);
    EXPECT_GT(std::count_if(d.kinds.begin(), d.kinds.end(), [](const std::string& k) { return k.rfind("built-in/", 0) == 0; }), 3);
    EXPECT_EQ(d.train_kind.size() + d.augmented, d.train.size());
    EXPECT_EQ(d.val_kind.size(), d.val.size());
    const int alarm_kind = static_cast<int>(std::find(d.kinds.begin(), d.kinds.end(), "alarm") - d.kinds.begin());
    for (size_t i = 0; i < d.train_kind.size(); ++i) ASSERT_EQ(d.train.labels[i] == 1, d.train_kind[i] == alarm_kind) << i;
    // The same seed gives the same data.
    const auto again = jobs::build_real_detector_data(o);
    EXPECT_EQ(again.train.q15, d.train.q15);
    // --split-seed: another training seed on the same split (same recordings in each part,
    // different augmentation).
    jobs::RealDataOptions reseeded = o;
    reseeded.seed = 9;
    reseeded.split_seed = o.seed;
    const auto r = jobs::build_real_detector_data(reseeded);
    EXPECT_EQ(r.manifest["test"], d.manifest["test"]);
    EXPECT_EQ(r.manifest["val"], d.manifest["val"]);
    EXPECT_NE(r.train.q15, d.train.q15);
    // The ablations' extra alarms: generated sounders add alarm windows; lowered pitch changes
    // augmented alarm windows only (the recordings' own windows stay).
    jobs::RealDataOptions more = o;
    more.sounder_clips = 8;
    EXPECT_GT(jobs::build_real_detector_data(more).positive_windows, d.positive_windows);
    jobs::RealDataOptions fewer_builtin = o;  // --alarm-clips / --background-clips
    fewer_builtin.builtin_alarm_clips = 12;
    fewer_builtin.builtin_background_clips = 3;
    const auto f = jobs::build_real_detector_data(fewer_builtin);
    EXPECT_LT(f.positive_windows, d.positive_windows);
    EXPECT_LT(f.negative_windows, d.negative_windows);
    // Hand-marked spans (--alarm-spans): one alarm recording marked with its first second only
    // loses alarm windows; a name that is not an alarm recording is an error naming it.
    {
        test::TempDir dir;
        const auto alarm = std::find_if(d.split.train.begin(), d.split.train.end(), [](const jobs::Recording& r) { return r.label == 1; });
        ASSERT_NE(alarm, d.split.train.end());
        const std::string first_alarm = alarm->name;
        test::write_bytes(dir / "spans.tsv", "filename\tonset\toffset\tevent_label\n" + first_alarm + "\t0.0\t1.0\tfire_alarm\n");
        jobs::RealDataOptions spanned = o;
        spanned.alarm_spans = dir / "spans.tsv";
        const auto sp = jobs::build_real_detector_data(spanned);
        EXPECT_EQ(sp.spanned_recordings, 1u);
        EXPECT_GT(sp.blocks_outside_spans, 100u);
        EXPECT_LT(sp.positive_windows, d.positive_windows);
        EXPECT_GT(sp.excluded_windows, d.excluded_windows);
        EXPECT_EQ(sp.negative_windows, d.negative_windows);  // vetoed alarm sound is left out, not taught as background
        test::write_bytes(dir / "typo.tsv", "alarms/pico_tutorial/nope.flac\t0\t1\tfire_alarm\n");
        spanned.alarm_spans = dir / "typo.tsv";
        try {
            jobs::build_real_detector_data(spanned);
            ADD_FAILURE() << "a span for a file that is not an alarm recording should be an error";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("typo.tsv: spans for 'alarms/pico_tutorial/nope.flac', which is not one of the alarm recordings"), std::string::npos) << e.what();
        }
        spanned.root.reset();
        EXPECT_THROW(jobs::build_real_detector_data(spanned), Error);
    }
    // --balance-alarms: augmented alarms drawn per recording (the generator's clips as one), so
    // the 43 s smoke detector no longer gets several times the draws of a 12 s clip.
    {
        const auto spread = [](const jobs::RealDetectorData& data) {
            size_t lo = SIZE_MAX, hi = 0, total = 0;
            for (const auto& [name, n] : data.augmented_alarms_from) {
                total += n;
                lo = std::min(lo, n);
                hi = std::max(hi, n);
            }
            EXPECT_EQ(total, static_cast<size_t>(std::count(data.train.labels.begin() + static_cast<std::ptrdiff_t>(data.train_kind.size()), data.train.labels.end(), 1)));
            return static_cast<double>(hi) / static_cast<double>(std::max<size_t>(lo, 1));
        };
        jobs::RealDataOptions balanced = o;
        balanced.balance_alarm_recordings = true;
        const auto b = jobs::build_real_detector_data(balanced);
        ASSERT_EQ(b.augmented_alarms_from.size(), d.augmented_alarms_from.size());
        EXPECT_GE(b.augmented_alarms_from.size(), 3u);  // built-in + the repo's training alarm recordings
        EXPECT_EQ(b.train.labels, d.train.labels);
        EXPECT_GT(spread(d), 3.0);  // by window: the generator's 48 clips and the long recordings dominate
        EXPECT_LT(spread(b), 1.5);  // by recording: about even
    }
    jobs::RealDataOptions lowered = o;
    lowered.pitch_down_octaves = 1.0;
    const auto l = jobs::build_real_detector_data(lowered);
    ASSERT_EQ(l.train.size(), d.train.size());
    const size_t own = d.train_kind.size() * 32 * 32;  // 32 x 32 log band values a window
    EXPECT_TRUE(std::equal(l.train.q15.begin(), l.train.q15.begin() + static_cast<std::ptrdiff_t>(own), d.train.q15.begin()));
    EXPECT_NE(l.train.q15, d.train.q15);
    // Band shifts (--band-shift): every augmented window, alarm or background, is either the
    // unshifted one or it moved 1..3 bands up or down with the edge band repeated.
    jobs::RealDataOptions shifted = o;
    shifted.band_shift = 3;
    const auto s = jobs::build_real_detector_data(shifted);
    ASSERT_EQ(s.train.size(), d.train.size());
    EXPECT_EQ(s.train.labels, d.train.labels);
    int moved[2] = {0, 0};
    for (size_t w = d.train_kind.size(); w < d.train.size(); ++w) {
        const auto a = d.train.item(w), b = s.train.item(w);
        int found = std::equal(a.begin(), a.end(), b.begin()) ? 0 : 99;
        for (int by = -3; by <= 3 && found == 99; ++by) {
            bool same = by != 0;
            for (int c = 0; c < 32 && same; ++c) {
                for (int band = 0; band < 32 && same; ++band) same = b[static_cast<size_t>(c * 32 + band)] == a[static_cast<size_t>(c * 32 + std::clamp(band - by, 0, 31))];
            }
            if (same) found = by;
        }
        ASSERT_NE(found, 99) << "window " << w << " is neither the original nor a band shift of it";
        if (found != 0) ++moved[d.train.labels[w]];
    }
    EXPECT_GT(moved[0], 0);  // background windows move too
    EXPECT_GT(moved[1], 0);
}
