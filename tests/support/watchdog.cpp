#include "support/watchdog.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace actorpool::test {

std::chrono::seconds watchdog_limit() {
  if (auto s = std::getenv("ACTORPOOL_TEST_WATCHDOG_S"))
    return std::chrono::seconds{std::atoi(s)};
  return std::chrono::seconds{60 * time_factor()};
}

int time_factor() {
  return ACTORPOOL_TEST_TIME_FACTOR;
}

namespace {

class watchdog : public ::testing::EmptyTestEventListener {
public:
  void OnTestStart(const ::testing::TestInfo& info) override {
    std::lock_guard<std::mutex> guard{mtx_};
    name_ = std::string{info.test_suite_name()} + "." + info.name();
    deadline_ = std::chrono::steady_clock::now() + watchdog_limit();
    if (!thread_.joinable())
      thread_ = std::thread([this] { run(); });
    cv_.notify_all();
  }

  void OnTestEnd(const ::testing::TestInfo&) override {
    std::lock_guard<std::mutex> guard{mtx_};
    deadline_.reset();
    cv_.notify_all();
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      done_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable())
      thread_.join();
  }

private:
  void run() {
    std::unique_lock<std::mutex> guard{mtx_};
    while (!done_) {
      if (!deadline_) {
        cv_.wait(guard);
        continue;
      }
      auto deadline = *deadline_;
      if (cv_.wait_until(guard, deadline) == std::cv_status::timeout
          && deadline_ == deadline) {
        std::fprintf(stderr, "watchdog: %s did not finish within %lld s\n",
                     name_.c_str(),
                     static_cast<long long>(watchdog_limit().count()));
        std::abort();
      }
    }
  }

  std::mutex mtx_;
  std::condition_variable cv_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::string name_;
  bool done_ = false;
  std::thread thread_;
};

// gtest owns listeners once appended.
const bool registered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new watchdog);
  return true;
}();

} // namespace

} // namespace actorpool::test
