// child_supervisor on a fake clock and a fake reaper: hello check, reaping
// with back-off, SIGKILL after the linger, SIGTERM then SIGKILL on stop.

#include "links/child_supervisor.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono_literals;

using actorpool::detail::child_control;
using actorpool::detail::child_supervisor;
using actorpool::detail::child_timer;
using actorpool::detail::exit_status;
using actorpool::detail::hello_msg;
using actorpool::detail::protocol_version;

struct scheduled {
  uint64_t key;
  std::chrono::milliseconds delay;
  child_timer timer;
};

/// Records signals and timers; `reap` answers from `exits`.
class fake_control : public child_control {
public:
  std::map<int, exit_status> exits;
  std::vector<std::pair<int, int>> signals;
  std::vector<scheduled> timers;
  size_t reap_calls = 0;
  size_t blocking_reaps = 0;
  std::chrono::steady_clock::time_point clock = std::chrono::steady_clock::
                                                  time_point{}
                                                + 1h;

  std::optional<exit_status> reap(int pid) override {
    ++reap_calls;
    auto i = exits.find(pid);
    if (i == exits.end())
      return std::nullopt;
    return i->second;
  }

  exit_status reap_blocking(int pid) override {
    ++blocking_reaps;
    return exits.at(pid);
  }

  void signal(int pid, int sig) override {
    signals.emplace_back(pid, sig);
  }

  std::chrono::steady_clock::time_point now() const override {
    return clock;
  }

  void schedule(uint64_t key, std::chrono::milliseconds delay,
                child_timer t) override {
    timers.push_back(scheduled{key, delay, t});
  }

  bool sent(int pid, int sig) const {
    for (auto& s : signals)
      if (s == std::make_pair(pid, sig))
        return true;
    return false;
  }
};

constexpr int pid = 4242;

TEST(child_supervisor, accepts_the_hello_of_its_child_only) {
  fake_control ctl;
  child_supervisor sup{7, pid, 1000ms, ctl};
  EXPECT_EQ(sup.check_hello(hello_msg{protocol_version, pid}), "");
  EXPECT_EQ(sup.check_hello(hello_msg{protocol_version, 1}),
            "bad hello (protocol version " + std::to_string(protocol_version)
              + ", pid 1)");
  EXPECT_EQ(sup.check_hello(hello_msg{protocol_version + 1, pid}),
            "bad hello (protocol version "
              + std::to_string(protocol_version + 1) + ", pid 4242)");
  EXPECT_TRUE(ctl.signals.empty());
}

TEST(child_supervisor, reaps_a_child_that_already_ended) {
  fake_control ctl;
  child_supervisor sup{7, pid, 1000ms, ctl};
  ctl.exits[pid] = exit_status{3, true};
  auto st = sup.closed();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 3);
  EXPECT_TRUE(sup.reaped());
  EXPECT_TRUE(ctl.timers.empty());
  EXPECT_FALSE(sup.closed()); // once
}

TEST(child_supervisor, retries_the_reap_with_a_growing_delay) {
  fake_control ctl;
  child_supervisor sup{7, pid, 1000ms, ctl};
  EXPECT_FALSE(sup.closed());
  for (int i = 0; i < 8; ++i)
    EXPECT_FALSE(sup.on_timer(child_timer::reap));
  ASSERT_EQ(ctl.timers.size(), 9u);
  std::vector<long> delays;
  for (auto& t : ctl.timers) {
    EXPECT_EQ(t.key, 7u);
    EXPECT_EQ(t.timer, child_timer::reap);
    delays.push_back(static_cast<long>(t.delay.count()));
  }
  EXPECT_EQ(delays, (std::vector<long>{1, 2, 4, 8, 16, 32, 64, 64, 64}));
  EXPECT_TRUE(ctl.signals.empty()); // the clock stood still: no linger
  ctl.exits[pid] = exit_status{-SIGSEGV, true};
  auto st = sup.on_timer(child_timer::reap);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, -SIGSEGV);
  EXPECT_EQ(ctl.timers.size(), 9u);
}

TEST(child_supervisor, kills_a_child_lingering_past_the_linger) {
  fake_control ctl;
  child_supervisor sup{7, pid, 1000ms, ctl};
  EXPECT_FALSE(sup.closed());
  ctl.clock += 1000ms;
  EXPECT_FALSE(sup.on_timer(child_timer::reap));
  EXPECT_TRUE(ctl.signals.empty()); // not past it yet
  ctl.clock += 1ms;
  EXPECT_FALSE(sup.on_timer(child_timer::reap));
  EXPECT_TRUE(ctl.sent(pid, SIGKILL));
  ctl.exits[pid] = exit_status{-SIGKILL, true};
  EXPECT_TRUE(sup.on_timer(child_timer::reap));
}

TEST(child_supervisor, stop_terminates_then_kills_after_the_linger) {
  fake_control ctl;
  child_supervisor sup{7, pid, 700ms, ctl};
  sup.stop();
  EXPECT_EQ(ctl.signals, (std::vector<std::pair<int, int>>{{pid, SIGTERM}}));
  ASSERT_EQ(ctl.timers.size(), 1u);
  EXPECT_EQ(ctl.timers[0].delay, 700ms);
  EXPECT_EQ(ctl.timers[0].timer, child_timer::kill);
  EXPECT_FALSE(sup.on_timer(child_timer::kill));
  EXPECT_TRUE(ctl.sent(pid, SIGKILL));
}

TEST(child_supervisor, a_reaped_child_gets_no_signal) {
  fake_control ctl;
  child_supervisor sup{7, pid, 700ms, ctl};
  sup.stop();
  ctl.exits[pid] = exit_status{-SIGTERM, true};
  ASSERT_TRUE(sup.closed());
  EXPECT_FALSE(sup.on_timer(child_timer::kill));
  sup.kill();
  sup.stop();
  EXPECT_EQ(ctl.signals, (std::vector<std::pair<int, int>>{{pid, SIGTERM}}));
  EXPECT_FALSE(sup.on_timer(child_timer::reap));
}

TEST(child_supervisor, wait_reaps_blocking_once) {
  fake_control ctl;
  child_supervisor sup{7, pid, 700ms, ctl};
  sup.kill();
  ctl.exits[pid] = exit_status{-SIGKILL, true};
  EXPECT_EQ(sup.wait().code, -SIGKILL);
  EXPECT_TRUE(sup.reaped());
  EXPECT_EQ(ctl.blocking_reaps, 1u);
  EXPECT_FALSE(sup.wait().known); // already reaped
  EXPECT_EQ(ctl.blocking_reaps, 1u);
}

} // namespace
