#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace bench {

/// The thread pool most hand-written C++ code uses, as the baseline of the
/// `thread_*` workloads: `std::thread` workers taking `std::packaged_task`s
/// from one queue guarded by a mutex and a condition variable; every
/// `submit` returns a `std::future`. Costs per task: two allocations (the
/// task's shared state and its queue entry's), one lock of the queue and
/// one notify by the caller, one lock by a worker.
class std_future_pool {
public:
  /// Starts `threads` workers.
  explicit std_future_pool(long threads);

  /// Lets the workers finish the queued tasks, then joins them.
  ~std_future_pool();

  std_future_pool(const std_future_pool&) = delete;
  std_future_pool& operator=(const std_future_pool&) = delete;

  /// Queues `f()` for a worker; the future gets its result.
  template <class F>
  auto submit(F f) -> std::future<std::invoke_result_t<F>> {
    std::packaged_task<std::invoke_result_t<F>()> task{std::move(f)};
    auto result = task.get_future();
    push(std::packaged_task<void()>{std::move(task)});
    return result;
  }

  /// The number of workers.
  size_t size() const {
    return threads_.size();
  }

private:
  /// Appends `task` to the queue and wakes one worker.
  void push(std::packaged_task<void()> task);

  /// A worker: runs queued tasks until the pool stops and the queue is empty.
  void work();

  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace bench
