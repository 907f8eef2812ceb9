// One long job at a time (a training run), as a child process of earshot itself: its output
// lines are kept for the page (server-sent events), it can be cancelled (SIGINT, as Ctrl-C:
// `earshot demo` then leaves its previous output untouched), and its exit status is reported.
#pragma once
#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace earshot::studio {

struct JobSnapshot {
    std::vector<std::string> lines;  // the lines from `from` on
    size_t next = 0;                 // pass as `from` next time
    bool running = false, finished = false, cancelled = false;
    int exit_code = -1;
};

class JobRunner {
public:
    JobRunner() = default;
    ~JobRunner();  // cancels a running job and waits for it
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    // Starts `program` with `args` (stdout and stderr as one stream of lines). Throws
    // earshot::Error if a job is running or the process cannot start.
    void start(const std::string& program, const std::vector<std::string>& args);
    // Interrupts the job (SIGINT, then SIGKILL after 10 s); no-op when none runs.
    void cancel();
    bool running() const;
    // Lines from `from` on; waits up to `wait_ms` for something new when there is nothing.
    JobSnapshot snapshot(size_t from, int wait_ms) const;

private:
    void read_output(int fd);
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::string> lines_;
    pid_t pid_ = -1;
    bool running_ = false, finished_ = false, cancelled_ = false;
    int exit_code_ = -1;
    std::thread reader_;
};

}  // namespace earshot::studio
