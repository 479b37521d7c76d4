// The coordinator's side of a push stream: the gated job forwards what the
// coordinator reports to the consumer's job, and stops the producers' gate
// once the pool drops the stream (a terminate, a broken pool) or forgets it.

#include "coordinator/gated_stream_job.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "actorpool/errc.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

/// Records what reaches the consumer's job, as one line per call.
class recording_job : public stream_job {
public:
  std::vector<std::string> log;
  bool gone = false;

  void deliver(size_t index, uint32_t count, std::string&& payload) override {
    log.push_back("deliver " + std::to_string(index) + " "
                  + std::to_string(count) + " " + payload);
  }

  void fail(size_t index, const caf::error&) override {
    log.push_back("fail " + std::to_string(index));
  }

  bool abandoned() const noexcept override {
    return gone;
  }

  void end(size_t total) override {
    log.push_back("end " + std::to_string(total));
  }

  void input_failed(size_t index, std::exception_ptr) override {
    log.push_back("input_failed " + std::to_string(index));
  }

  void abort(const caf::error&) override {
    log.push_back("abort");
  }

  void settled(const stream_counts& c) override {
    log.push_back("settled " + std::to_string(c.completed));
  }
};

struct fixture {
  std::shared_ptr<recording_job> inner = std::make_shared<recording_job>();
  std::shared_ptr<push_gate> gate = std::make_shared<push_gate>(1);
  gated_stream_job job{inner, gate};
  size_t sent = 0;

  fixture() {
    gate->set_sender([this](encoded_chunk&&, bool end) {
      if (!end)
        ++sent;
    });
  }

  /// Fills the window, then puts once more from another thread and waits
  /// until that producer waits for room (at most 10 s).
  std::future<bool> blocked_put() {
    EXPECT_TRUE(gate->put(encoded_chunk{"a", 1}, std::nullopt));
    auto f = std::async(std::launch::async, [g = gate] {
      return g->put(encoded_chunk{"b", 1}, std::nullopt);
    });
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (gate->waiting() == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    EXPECT_EQ(gate->waiting(), 1u);
    return f;
  }
};

} // namespace

TEST(gated_stream_job, forwards_everything_to_the_consumer_job) {
  fixture f;
  f.job.deliver(0, 2, "xy");
  f.job.fail(1, make_error(errc::task_failed));
  f.job.end(2);
  f.job.input_failed(2, nullptr);
  EXPECT_FALSE(f.job.abandoned());
  f.inner->gone = true;
  EXPECT_TRUE(f.job.abandoned());
  f.job.settled(stream_counts{2, 0, 0});
  EXPECT_EQ(f.inner->log,
            (std::vector<std::string>{"deliver 0 2 xy", "fail 1", "end 2",
                                      "input_failed 2", "settled 2"}));
}

TEST(gated_stream_job, results_do_not_touch_the_gate) {
  fixture f;
  f.job.deliver(0, 1, "x");
  f.job.end(1);
  EXPECT_TRUE(f.gate->put(encoded_chunk{"a", 1}, std::nullopt));
  EXPECT_EQ(f.sent, 1u);
}

TEST(gated_stream_job, abort_releases_a_waiting_producer_with_false) {
  fixture f;
  auto late = f.blocked_put();
  f.job.abort(make_error(errc::terminated));
  ASSERT_EQ(late.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(late.get());
  EXPECT_FALSE(f.gate->put(encoded_chunk{"c", 1}, std::nullopt));
  auto deadline = std::chrono::steady_clock::now() + 60s;
  EXPECT_FALSE(f.gate->put(encoded_chunk{"d", 1}, deadline)); // no timeout
  EXPECT_EQ(f.sent, 1u);
  EXPECT_EQ(f.inner->log, std::vector<std::string>{"abort"});
}

TEST(gated_stream_job, settled_refuses_every_later_put) {
  fixture f;
  auto late = f.blocked_put();
  f.job.settled(stream_counts{});
  ASSERT_EQ(late.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(late.get());
  f.gate->release(1); // room again: still refused
  EXPECT_FALSE(f.gate->put(encoded_chunk{"c", 1}, std::nullopt));
  EXPECT_EQ(f.sent, 1u);
}

TEST(gated_stream_job, a_gate_that_is_gone_is_ignored) {
  auto inner = std::make_shared<recording_job>();
  gated_stream_job job{inner, std::weak_ptr<push_gate>{}};
  job.abort(make_error(errc::terminated));
  job.settled(stream_counts{});
  EXPECT_EQ(inner->log, (std::vector<std::string>{"abort", "settled 0"}));
}
