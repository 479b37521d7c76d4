#pragma once

// A callback executor for the unit tests of results: it queues callbacks
// until the test drains them.

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "actorpool/detail/job.hpp"

namespace actorpool::test {

/// A callback executor that queues callbacks until the test drains it. Like
/// the pool's executor it keeps going when a callback throws, and knows
/// when the calling thread runs one of its callbacks. `post` may come from
/// any thread.
class manual_executor : public actorpool::detail::callback_executor {
public:
  void post(std::function<void()> fn) override {
    std::lock_guard<std::mutex> guard{mtx_};
    queue_.push_back(std::move(fn));
  }

  bool runs_here() const noexcept override {
    return std::this_thread::get_id() == runner_.load();
  }

  size_t pending() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return queue_.size();
  }

  /// Runs queued callbacks (also those posted meanwhile); returns how many.
  size_t drain() {
    size_t n = 0;
    while (auto fn = pop()) {
      runner_ = std::this_thread::get_id();
      try {
        fn();
      } catch (...) {
        // The pool's executor logs and continues.
      }
      runner_ = std::thread::id{};
      ++n;
    }
    return n;
  }

private:
  std::function<void()> pop() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (queue_.empty())
      return nullptr;
    auto fn = std::move(queue_.front());
    queue_.pop_front();
    return fn;
  }

  mutable std::mutex mtx_;
  std::deque<std::function<void()>> queue_;
  std::atomic<std::thread::id> runner_{};
};

inline std::shared_ptr<manual_executor> make_exec() {
  return std::make_shared<manual_executor>();
}

} // namespace actorpool::test
