#include "host/studio/job_runner.hpp"

#include <csignal>
#include <fcntl.h>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "host/error.hpp"

namespace earshot::studio {

JobRunner::~JobRunner() {
    cancel();
    if (reader_.joinable()) reader_.join();
}

void JobRunner::start(const std::string& program, const std::vector<std::string>& args) {
    std::unique_lock lock(mutex_);
    if (running_) throw Error("a job is running already: wait for it or cancel it");
    if (reader_.joinable()) {
        lock.unlock();
        reader_.join();
        lock.lock();
    }
    int pipe_fds[2], exec_fds[2];  // the output; and a close-on-exec pipe that stays silent unless exec fails
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error(std::string("cannot start ") + program + ": " + std::strerror(errno));
    if (::pipe2(exec_fds, O_CLOEXEC) != 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw Error(std::string("cannot start ") + program + ": " + std::strerror(errno));
    }
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        for (int fd : {pipe_fds[0], pipe_fds[1], exec_fds[0], exec_fds[1]}) ::close(fd);
        throw Error(std::string("cannot start ") + program + ": " + std::strerror(errno));
    }
    if (pid == 0) {  // the child: only async-signal-safe calls until exec
        ::dup2(pipe_fds[1], 1);  // dup2's copies do not inherit close-on-exec
        ::dup2(pipe_fds[1], 2);
        ::setpgid(0, 0);  // its own group: a Ctrl-C in the studio's terminal is the studio's
        sigset_t none;    // the studio blocks SIGINT/SIGTERM in its threads; the job must feel them
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(program.c_str(), argv.data());
        const int error = errno;
        (void)!::write(exec_fds[1], &error, sizeof error);
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    ::close(exec_fds[1]);
    int exec_error = 0;
    ssize_t got;
    while ((got = ::read(exec_fds[0], &exec_error, sizeof exec_error)) < 0 && errno == EINTR) {
    }
    ::close(exec_fds[0]);
    if (got > 0) {  // exec failed: the child is gone; reap it and say why
        ::close(pipe_fds[0]);
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw Error("cannot run " + program + ": " + std::strerror(exec_error));
    }
    lines_.clear();
    pid_ = pid;
    running_ = true;
    finished_ = cancelled_ = false;
    exit_code_ = -1;
    reader_ = std::thread([this, fd = pipe_fds[0]] { read_output(fd); });
}

void JobRunner::read_output(int fd) {
    std::string partial;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::lock_guard lock(mutex_);
        for (ssize_t i = 0; i < n; ++i) {
            const char c = buffer[i];
            if (c == '\n' || c == '\r') {  // a progress line rewritten in place counts as a line
                if (!partial.empty()) lines_.push_back(partial);
                partial.clear();
            } else {
                partial += c;
            }
        }
        changed_.notify_all();
    }
    ::close(fd);
    int status = 0;
    pid_t waited;
    do {
        waited = ::waitpid(pid_, &status, 0);
    } while (waited < 0 && errno == EINTR);
    std::lock_guard lock(mutex_);
    if (!partial.empty()) lines_.push_back(partial);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    running_ = false;
    finished_ = true;
    pid_ = -1;
    changed_.notify_all();
}

void JobRunner::cancel() {
    std::unique_lock lock(mutex_);
    if (!running_) return;
    cancelled_ = true;
    ::kill(pid_, SIGINT);
    if (!changed_.wait_for(lock, std::chrono::seconds(10), [this] { return !running_; })) {
        if (pid_ > 0) ::kill(pid_, SIGKILL);
    }
}

bool JobRunner::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

JobSnapshot JobRunner::snapshot(size_t from, int wait_ms) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return lines_.size() > from || !running_; });
    JobSnapshot s;
    if (from < lines_.size()) s.lines.assign(lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.end());
    s.next = lines_.size();
    s.running = running_;
    s.finished = finished_;
    s.cancelled = cancelled_;
    s.exit_code = exit_code_;
    return s;
}

}  // namespace earshot::studio
