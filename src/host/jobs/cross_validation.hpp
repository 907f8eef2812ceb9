// k-fold cross-validation of the default recipe by recording (`earshot demo --folds K`): the
// detector job once per fold of one split seed, so every recording is held out exactly once,
// and the held-out verdicts of all folds pooled into one.
#pragma once
#include <functional>
#include <vector>

#include "host/jobs/detector_job.hpp"

namespace earshot::jobs {

struct CrossValidationResult {
    std::vector<DetectorJobResult> folds;
    eval::Summary all, recordings, scenes;  // pooled over the folds' test recordings and scenes
};

// Fold k's run goes to `base.out`/fold-k; `base.out`/cross_validation.json (per fold and pooled)
// is rewritten atomically after every fold, so an interrupted run keeps the folds it finished.
CrossValidationResult run_cross_validation(const DetectorJobOptions& base, int folds,
                                           const std::function<void(const DetectorJobOptions& fold, const DetectorJobResult&)>& on_fold = {});

}  // namespace earshot::jobs
