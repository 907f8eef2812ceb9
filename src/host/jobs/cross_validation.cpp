#include "host/jobs/cross_validation.hpp"

#include <filesystem>
#include <string>

#include "host/error.hpp"
#include "host/eval/detection.hpp"
#include "host/io/atomic_file.hpp"

namespace earshot::jobs {

CrossValidationResult run_cross_validation(const DetectorJobOptions& base, int folds, const std::function<void(const DetectorJobOptions&, const DetectorJobResult&)>& on_fold) {
    if (folds < 2) throw Error("cross-validation needs at least 2 folds");
    if (base.data.train_on_all) throw Error("cross-validation holds recordings out; it cannot train on all of them");
    std::filesystem::create_directories(base.out);
    CrossValidationResult result;
    std::vector<eval::FileScore> all, recordings, scenes;
    nlohmann::json per_fold = nlohmann::json::array();
    for (int k = 0; k < folds; ++k) {
        DetectorJobOptions o = base;
        o.data.fold = {k, folds};
        o.out = base.out / ("fold-" + std::to_string(k + 1));
        result.folds.push_back(run_detector_job(o));
        const DetectorJobResult& r = result.folds.back();
        for (const eval::ItemResult& it : r.test.items) {
            all.push_back(it.score);
            (it.group == "scenes" ? scenes : recordings).push_back(it.score);
        }
        per_fold.push_back({{"fold", k + 1}, {"out", o.out.string()}, {"recordings", summary_json(r.test.recordings)},
                            {"scenes", summary_json(r.test.scenes)}, {"all", summary_json(r.test.all)}});
        result.all = eval::summarize(all);
        result.recordings = eval::summarize(recordings);
        result.scenes = eval::summarize(scenes);
        const nlohmann::json summary = {
            {"folds", folds}, {"finished", k + 1}, {"split_seed", base.data.split_seed.value_or(base.data.seed)}, {"seed", base.seed},
            {"rule", "every recording held out once: fold k tests the k-th of K parts of each kind's recordings"},
            {"pooled", {{"recordings", summary_json(result.recordings)}, {"scenes", summary_json(result.scenes)}, {"all", summary_json(result.all)}}},
            {"per_fold", per_fold}};
        io::write_file_atomic(base.out / "cross_validation.json", summary.dump(2) + "\n");
        if (on_fold) on_fold(o, r);
    }
    return result;
}

}  // namespace earshot::jobs
