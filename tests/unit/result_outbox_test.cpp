// The worker's result outbox: results of short tasks travel in batches, and
// no result waits long behind a task that runs after it.

#include "worker/result_outbox.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

using actorpool::detail::result_msg;
using actorpool::detail::result_outbox;
using namespace std::chrono_literals;

namespace {

result_msg result(uint64_t id, uint32_t exec_us) {
  return result_msg{id, result_msg::ok, exec_us, "r"};
}

/// Collects what an outbox sends; `wait_for` waits for a batch holding `id`.
class recorder {
public:
  result_outbox::sink sink() {
    return [this](std::vector<result_msg>& rs) {
      std::lock_guard<std::mutex> guard{mtx_};
      std::vector<uint64_t> ids;
      for (auto& r : rs)
        ids.push_back(r.id);
      batches_.push_back(ids);
      cv_.notify_all();
    };
  }

  std::vector<std::vector<uint64_t>> batches() {
    std::lock_guard<std::mutex> guard{mtx_};
    return batches_;
  }

  bool wait_for(uint64_t id, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, limit, [&] {
      for (auto& b : batches_)
        for (auto x : b)
          if (x == id)
            return true;
      return false;
    });
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::vector<uint64_t>> batches_;
};

} // namespace

// -- result_outbox ------------------------------------------------------------

TEST(result_outbox, results_of_short_tasks_travel_together) {
  recorder rec;
  result_outbox box{rec.sink()};
  for (uint64_t id = 1; id <= 5; ++id) {
    box.started(result_outbox::clock::now());
    box.finished(result(id, 10));
  }
  EXPECT_TRUE(rec.batches().empty());
  box.flush();
  EXPECT_EQ(rec.batches(),
            (std::vector<std::vector<uint64_t>>{{1, 2, 3, 4, 5}}));
  box.flush();
  EXPECT_EQ(rec.batches().size(), 1u); // nothing left to send
}

TEST(result_outbox, a_batch_goes_once_its_task_time_adds_up) {
  recorder rec;
  result_outbox box{rec.sink()};
  box.started(result_outbox::clock::now());
  box.finished(result(1, 150));
  box.started(result_outbox::clock::now());
  box.finished(result(2, 60));
  EXPECT_EQ(rec.batches(), (std::vector<std::vector<uint64_t>>{{1, 2}}));
  box.started(result_outbox::clock::now());
  box.finished(result(3, 5000)); // a long task reports at once
  EXPECT_EQ(rec.batches().size(), 2u);
}

// An instant task's result must not wait until the long task after it
// returns: the parent would take the long task for queued.
TEST(result_outbox, results_do_not_wait_behind_a_long_task) {
  recorder rec;
  result_outbox box{rec.sink()};
  std::thread watcher{[&] {
    while (box.watch())
      ; // sends waiting results until closed
  }};
  box.started(result_outbox::clock::now());
  box.finished(result(1, 0));
  box.started(result_outbox::clock::now()); // a long task, never finished
  EXPECT_TRUE(rec.wait_for(1, 10s));
  EXPECT_EQ(rec.batches(), (std::vector<std::vector<uint64_t>>{{1}}));
  box.close();
  watcher.join();
}

TEST(result_outbox, close_stops_the_watcher) {
  recorder rec;
  result_outbox box{rec.sink()};
  std::thread watcher{[&] {
    while (box.watch())
      ;
  }};
  box.close();
  watcher.join();
  EXPECT_FALSE(box.watch());
  EXPECT_TRUE(rec.batches().empty());
}
