#include "support/pool_kinds.hpp"

#include "actorpool/runtime.hpp"
#include "actorpool/task.hpp"
#include "actorpool/thread_pool.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"

namespace actorpool::test {

std::vector<pool_case> pool_cases(std::vector<pool_kind> kinds) {
  std::vector<pool_case> result;
  for (auto kind : kinds)
    for (auto n : worker_counts())
      result.push_back(pool_case{kind, n});
  return result;
}

std::string pool_case_name(const ::testing::TestParamInfo<pool_case>& info) {
  std::string kind = info.param.kind == pool_kind::processes ? "processes_"
                                                             : "threads_";
  return kind + std::to_string(info.param.workers);
}

void task_hold::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  released_ = false;
}

void task_hold::release() {
  std::lock_guard<std::mutex> guard{mtx_};
  released_ = true;
  cv_.notify_all();
}

void task_hold::wait(double seconds) {
  std::unique_lock<std::mutex> guard{mtx_};
  ++inside_;
  cv_.wait_for(guard, std::chrono::duration<double>(seconds),
               [this] { return released_; });
  --inside_;
}

int task_hold::inside() {
  std::lock_guard<std::mutex> guard{mtx_};
  return inside_;
}

task_hold& the_hold() {
  static task_hold hold;
  return hold;
}

int held_sqr(int x, double wait_s) {
  the_hold().wait(wait_s);
  return x * x;
}

void held_sleep(double wait_s) {
  the_hold().wait(wait_s);
}

counted counted_identity(counted x) {
  return x;
}

void pool_kind_test_p::SetUp() {
  actorpool::default_system();
  baseline_ = open_fds();
  the_hold().reset();
}

void pool_kind_test_p::TearDown() {
  the_hold().release(); // threads that were let go return
  EXPECT_EQ(leftovers(baseline_), "");
}

std::unique_ptr<pool> pool_kind_test_p::make_pool() const {
  if (threads())
    return std::make_unique<thread_pool>(workers());
  return std::make_unique<pool>(workers());
}

} // namespace actorpool::test

ACTORPOOL_TASK(actorpool::test::held_sqr)
ACTORPOOL_TASK(actorpool::test::held_sleep)
ACTORPOOL_TASK(actorpool::test::counted_identity)
