// Runs fn(i) for i in [0, n) on `threads` threads (0 = all cores), each index exactly once.
// fn must not throw: record failures per index instead.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace earshot::io {

template <typename Fn>
void parallel_for(size_t n, unsigned threads, Fn&& fn) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(n, 1)));
    std::atomic<size_t> next{0};
    const auto work = [&] {
        for (size_t i; (i = next++) < n;) fn(i);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
}

}  // namespace earshot::io
