#include "std_future_pool.hpp"

namespace bench {

std_future_pool::std_future_pool(long threads) {
  for (long i = 0; i < threads; ++i)
    threads_.emplace_back([this] { work(); });
}

std_future_pool::~std_future_pool() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void std_future_pool::push(std::packaged_task<void()> task) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void std_future_pool::work() {
  for (;;) {
    std::packaged_task<void()> task;
    {
      std::unique_lock<std::mutex> guard{mtx_};
      cv_.wait(guard, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return; // stopping, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

} // namespace bench
