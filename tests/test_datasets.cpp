// Datasets, splits, manifests and the feature cache.
#include <gtest/gtest.h>

#include <sndfile.h>

#include <set>

#include "core/dsp/spectrogram.hpp"
#include "fixture_dataset.hpp"
#include "host/audio/pcm16.hpp"
#include "host/data/feature_sets.hpp"
#include "host/error.hpp"
#include "support.hpp"

namespace earshot::data {
namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(Datasets, Esc50LayoutLoads) {
    test::TempDir dir;
    test::write_fixture_dataset(dir.path(), 5, 1.5);
    const Dataset d = open_dataset("esc50:" + dir.path().string());
    EXPECT_EQ(d.kind, DatasetKind::esc50);
    EXPECT_EQ(d.classes, test::fixture_classes());
    ASSERT_EQ(d.clips.size(), 20u);
    std::set<int> folds;
    for (const auto& c : d.clips) {
        folds.insert(c.fold);
        EXPECT_TRUE(std::filesystem::exists(c.path));
        EXPECT_EQ(c.relative.rfind("audio/", 0), 0u);
    }
    EXPECT_EQ(folds, (std::set<int>{1, 2, 3, 4, 5}));
}

TEST(Datasets, FolderLayoutLoads) {
    test::TempDir dir;
    for (const char* label : {"dog", "alarm"}) {
        std::filesystem::create_directories(dir / label);
        for (int i = 0; i < 3; ++i) audio::write_wav_pcm16(dir / label / ("c" + std::to_string(i) + ".wav"), test::lcg_noise(8000, static_cast<uint32_t>(i + 1)), 16000);
    }
    test::write_bytes(dir / "dog" / "notes.txt", "ignored");
    const Dataset d = open_dataset("folder:" + dir.path().string());
    EXPECT_EQ(d.classes, (std::vector<std::string>{"alarm", "dog"}));  // sorted
    ASSERT_EQ(d.clips.size(), 6u);
    EXPECT_EQ(d.clips[0].relative, "alarm/c0.wav");
    EXPECT_EQ(d.clips[5].label, 1);
}

TEST(Datasets, FolderDatasetsTakeWhatClassifyDecodes) {
    // An MP3 (libsndfile decodes MPEG layer III) used to be skipped silently by datasets.
    test::TempDir dir;
    std::filesystem::create_directories(dir / "alarm");
    std::filesystem::create_directories(dir / "quiet");
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    SNDFILE* f = sf_open((dir / "alarm" / "take.mp3").c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    const auto noise = test::lcg_noise(16000, 3, 2);
    sf_writef_short(f, noise.data(), static_cast<sf_count_t>(noise.size()));
    sf_close(f);
    audio::write_wav_pcm16(dir / "quiet" / "q.wav", test::lcg_noise(16000, 4, 6), 16000);
    const Dataset d = open_dataset("folder:" + dir.path().string());
    ASSERT_EQ(d.clips.size(), 2u);
    EXPECT_EQ(d.clips[0].relative, "alarm/take.mp3");
    EXPECT_GE(audio::load_pcm16k(d.clips[0].path).size(), 15000u);
}

TEST(Datasets, BadDatasetsNameTheProblem) {
    test::TempDir dir;
    EXPECT_NE(error_of([&] { open_dataset("esc50:" + (dir / "nope").string()); }).find("does not exist"), std::string::npos);
    EXPECT_NE(error_of([&] { open_dataset("mnist:/x"); }).find("expected esc50:PATH"), std::string::npos);
    EXPECT_NE(error_of([&] { open_dataset("esc50:" + dir.path().string()); }).find("meta/esc50.csv: missing"), std::string::npos);
    EXPECT_NE(error_of([&] { open_dataset("folder:" + dir.path().string()); }).find("no class folders"), std::string::npos);
    std::filesystem::create_directories(dir / "empty_class");
    EXPECT_NE(error_of([&] { open_dataset("folder:" + dir.path().string()); }).find("no audio files"), std::string::npos);

    test::write_fixture_dataset(dir / "esc", 2, 1.0);
    std::filesystem::remove(dir / "esc" / "audio" / "1-0-A-0.wav");
    const std::string missing = error_of([&] { open_dataset("esc50:" + (dir / "esc").string()); });
    EXPECT_NE(missing.find("1 audio file(s) listed in meta/esc50.csv are missing"), std::string::npos) << missing;
    EXPECT_NE(missing.find("audio/1-0-A-0.wav"), std::string::npos) << missing;

    std::filesystem::create_directories(dir / "esc2" / "meta");
    test::write_bytes(dir / "esc2" / "meta" / "esc50.csv",
                      "filename,fold,target,category\na.wav,1,0,dog\nb.wav,9,1,cat\nc.wav,2,0,cat\nd.wav,2,x,bird\n");
    const std::string labels = error_of([&] { open_dataset("esc50:" + (dir / "esc2").string()); });
    EXPECT_NE(labels.find("3 bad row(s)"), std::string::npos) << labels;
    EXPECT_NE(labels.find("esc50.csv:3: fold '9' is not 1..5"), std::string::npos) << labels;
    EXPECT_NE(labels.find("esc50.csv:4: unknown label: target 0 is 'dog' elsewhere, 'cat' here"), std::string::npos) << labels;
    EXPECT_NE(labels.find("esc50.csv:5: unknown label (target 'x'"), std::string::npos) << labels;
}

TEST(Datasets, FoldSplitsNeverOverlap) {
    test::TempDir dir;
    test::write_fixture_dataset(dir.path(), 5, 1.0);
    const Dataset d = open_esc50(dir.path());
    const auto rule = parse_split_rule("", d.kind, 0);
    EXPECT_EQ(rule.text(), "folds:1,2,3/4/5");
    const auto splits = assign_splits(d, rule);
    for (size_t i = 0; i < d.clips.size(); ++i) {
        const int f = d.clips[i].fold;
        EXPECT_EQ(splits[i], f <= 3 ? Split::train : f == 4 ? Split::val : Split::test);
    }
    EXPECT_NE(error_of([&] { parse_split_rule("folds:1,2/2/5", d.kind, 0); }).find("fold 2 is in two sets"), std::string::npos);
    EXPECT_NE(error_of([&] { assign_splits(d, parse_split_rule("folds:1,2/3/4", d.kind, 0)); }).find("fold 5 is in no split"), std::string::npos);
    EXPECT_NE(error_of([&] { parse_split_rule("thirds", d.kind, 0); }).find("expected folds:"), std::string::npos);
}

TEST(Datasets, RatioSplitsAreStratifiedSeededAndDisjoint) {
    Dataset d;
    d.classes = {"a", "b", "c"};
    for (int i = 0; i < 60; ++i) d.clips.push_back({"", "f" + std::to_string(i), i % 3, 0});
    const auto rule = parse_split_rule("ratio:0.6/0.2/0.2", DatasetKind::folder, 5);
    const auto s1 = assign_splits(d, rule), s2 = assign_splits(d, rule);
    EXPECT_EQ(s1, s2);
    auto other = rule;
    other.seed = 6;
    EXPECT_NE(assign_splits(d, other), s1);
    int counts[3][3] = {};
    for (size_t i = 0; i < s1.size(); ++i) ++counts[d.clips[i].label][static_cast<int>(s1[i])];
    for (auto& c : counts) {
        EXPECT_EQ(c[0], 12);
        EXPECT_EQ(c[1], 4);
        EXPECT_EQ(c[2], 4);
    }
}

TEST(Datasets, ManifestRoundTripAndSplitLookup) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    const Dataset d = open_dataset("esc50:" + (dir / "data").string());
    const Manifest m = make_manifest(d, parse_split_rule("", d.kind, 0));
    write_manifest(dir / "manifest.json", m);
    const Manifest back = read_manifest(dir / "manifest.json");
    EXPECT_EQ(back.files, m.files);
    EXPECT_EQ(back.labels, m.labels);
    EXPECT_EQ(back.splits, m.splits);
    EXPECT_EQ(back.rule, "folds:1,2,3/4/5");
    std::set<std::string> seen;
    size_t total = 0;
    for (Split s : {Split::train, Split::val, Split::test}) {
        for (const auto& c : clips_in_split(d, back, s)) {
            EXPECT_TRUE(seen.insert(c.relative).second) << c.relative << " in two splits";
            ++total;
        }
    }
    EXPECT_EQ(total, d.clips.size());
}

TEST(Datasets, FeaturesMatchTheFrontEndAndTheCacheHits) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 2, 2.0);
    const Dataset d = open_dataset("esc50:" + (dir / "data").string());
    FrontEndSettings settings;
    ExtractOptions options;
    options.cache_dir = dir / "cache";
    options.threads = 2;
    const Extraction first = extract_features(d.clips, settings, options);
    EXPECT_EQ(first.cache_hits, 0u);
    const Extraction second = extract_features(d.clips, settings, options);
    EXPECT_EQ(second.cache_hits, d.clips.size());
    // 2 s clips give bites at 0, 4000, 8000, 12000; each equals the q15 front end run directly.
    const auto pcm = audio::load_pcm16k(d.clips[3].path);
    std::vector<int16_t> direct(dsp::kSpectrogramSize);
    dsp::spectrogram_q15(pcm.data() + 8000, direct.data(), settings.magnitude);
    for (const auto* ex : {&first, &second}) {
        ASSERT_EQ(ex->clips[3].bites, 4u);
        EXPECT_TRUE(std::equal(direct.begin(), direct.end(), ex->clips[3].q15.begin() + 2 * dsp::kSpectrogramSize));
    }
    // Another setting is another key; a damaged entry is recomputed, not trusted.
    FrontEndSettings exact = settings;
    exact.magnitude = dsp::MagnitudeMode::exact;
    EXPECT_NE(cache_key(1, settings), cache_key(1, exact));
    EXPECT_EQ(extract_features(d.clips, exact, options).cache_hits, 0u);
    for (const auto& e : std::filesystem::directory_iterator(dir / "cache")) {
        std::filesystem::resize_file(e.path(), std::filesystem::file_size(e.path()) / 2);
    }
    const Extraction third = extract_features(d.clips, settings, options);
    EXPECT_EQ(third.cache_hits, 0u);
    EXPECT_EQ(third.clips[3].q15, first.clips[3].q15);
}

TEST(Datasets, CorruptFilesAreSkippedAndListed) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    test::write_bytes(dir / "data" / "audio" / "1-0-A-0.wav", "RIFF\x10\0\0\0WAVEjunk");
    const Dataset d = open_dataset("esc50:" + (dir / "data").string());
    const Manifest m = make_manifest(d, parse_split_rule("", d.kind, 0));
    const SplitFeatures sets = build_split_features(d, m, {}, {});
    ASSERT_EQ(sets.skipped.size(), 1u);
    EXPECT_NE(sets.skipped[0].find("1-0-A-0.wav"), std::string::npos) << sets.skipped[0];
    EXPECT_EQ(sets.train.size() + sets.val.size() + sets.test.size(), 19u);  // 1 s clips: one bite each
    // Every file corrupt: an error listing them.
    for (const auto& c : d.clips) test::write_bytes(c.path, "garbage");
    const std::string all_bad = error_of([&] { build_split_features(d, m, {}, {}); });
    EXPECT_NE(all_bad.find("none of the 20 audio files could be read"), std::string::npos) << all_bad;
}

}  // namespace
}  // namespace earshot::data
