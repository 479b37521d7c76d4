#pragma once

// Drives `coordinator_core` step by step: a fake environment that records
// every effect, a fake job that records what the core reports, and a
// harness with shortcuts for worker events. Shared by the coordinator's
// unit tests.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "coordinator/coordinator_core.hpp"
#include "links/process_link.hpp"

namespace actorpool::test {

using namespace std::chrono_literals;

using actorpool::errc;
using actorpool::detail::coordinator_env;
using actorpool::detail::encoded_chunk;
using actorpool::detail::exit_status;
using actorpool::detail::failure_msg;
using actorpool::detail::hello_msg;
using actorpool::detail::pool_config;
using actorpool::detail::result_msg;
using actorpool::detail::task_msg;
using actorpool::detail::timer_kind;
using actorpool::detail::worker_exit;
using actorpool::detail::worker_link;

// -- fakes --------------------------------------------------------------------

struct timer_rec {
  std::chrono::milliseconds delay;
  timer_kind kind;
  uint64_t wid;
  /// When it fires (the fake clock when it was set, plus `delay`).
  std::chrono::steady_clock::time_point at;
};

/// Records every effect of the core, as its environment and its worker link
/// at once; `start` and the workers' ends follow knobs.
class fake_env : public coordinator_env, public worker_link {
public:
  // -- knobs ------------------------------------------------------------------

  int next_pid = 100;
  /// The next `failing_starts` calls of start fail.
  size_t failing_starts = 0;
  /// How each worker ended, by id (nothing: still running).
  std::map<uint64_t, exit_status> exits;

  // -- recordings -------------------------------------------------------------

  std::vector<uint64_t> started;
  size_t start_attempts = 0;
  /// The place in the pool asked for by every start attempt.
  std::vector<uint32_t> start_places;
  std::map<uint64_t, int> pids;
  std::vector<std::pair<uint64_t, std::vector<task_msg>>> batches;
  std::vector<std::pair<uint64_t, task_msg>> inits;
  std::vector<uint64_t> shutdowns;
  std::vector<std::pair<uint64_t, uint64_t>> cancels;
  std::vector<std::pair<uint64_t, std::vector<uint64_t>>> revokes;
  std::vector<uint64_t> disconnects;
  /// Workers killed, and stopped politely, in order.
  std::vector<uint64_t> kills;
  std::vector<uint64_t> stops;
  /// Workers whose end the core waits for (`watch_exit`), and those it
  /// waited for (`wait_exit`).
  std::vector<uint64_t> watched;
  std::vector<uint64_t> waited;
  std::vector<timer_rec> timers;
  std::vector<std::pair<uint64_t, size_t>> pulls;
  size_t stopped_feeders = 0;
  /// Numbers (pids) of the workers the services were told about.
  std::vector<int> gone_clients;

  // -- worker_link ------------------------------------------------------------

  caf::expected<int> start(uint64_t wid, uint32_t place) override {
    ++start_attempts;
    start_places.push_back(place);
    if (failing_starts > 0) {
      --failing_starts;
      return caf::expected<int>{
        actorpool::make_error(errc::system_error, std::string{"no fork"})};
    }
    started.push_back(wid);
    pids[wid] = next_pid;
    return next_pid++;
  }

  void send_tasks(uint64_t wid, std::vector<task_msg> batch) override {
    batches.emplace_back(wid, std::move(batch));
  }

  void send_init(uint64_t wid, const task_msg& init) override {
    inits.emplace_back(wid, init);
  }

  void send_shutdown(uint64_t wid) override {
    shutdowns.push_back(wid);
  }

  void send_cancel(uint64_t wid, uint64_t task) override {
    cancels.emplace_back(wid, task);
  }

  void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) override {
    revokes.emplace_back(wid, std::move(tasks));
  }

  std::string check_hello(uint64_t wid, const hello_msg& msg) override {
    if (msg.version == actorpool::detail::protocol_version
        && msg.pid == pids.at(wid))
      return {};
    return "bad hello (protocol version " + std::to_string(msg.version)
           + ", pid " + std::to_string(msg.pid) + ")";
  }

  void disconnect(uint64_t wid) override {
    disconnects.push_back(wid);
  }

  void stop(uint64_t wid) override {
    stops.push_back(wid);
  }

  void kill(uint64_t wid) override {
    kills.push_back(wid);
  }

  void watch_exit(uint64_t wid) override {
    watched.push_back(wid);
    reap(wid);
  }

  worker_exit wait_exit(uint64_t wid) override {
    waited.push_back(wid);
    auto i = exits.find(wid);
    if (i == exits.end())
      return worker_exit{0, false, "worker gone"};
    return actorpool::detail::describe_exit(pids.at(wid), i->second);
  }

  bool alive(uint64_t wid) override {
    return pids.count(wid) != 0 && exits.count(wid) == 0;
  }

  void client_gone(uint64_t wid) override {
    gone_clients.push_back(pids.at(wid));
  }

  /// What resident_bytes reports per worker (nothing: unknown).
  std::map<uint64_t, size_t> rss;

  std::optional<size_t> resident_bytes(uint64_t wid) override {
    auto i = rss.find(wid);
    if (i == rss.end())
      return std::nullopt;
    return i->second;
  }

  /// Reports the end of watched worker `wid` if `exits` knows it, as the
  /// process link does once it reaps the process.
  void reap(uint64_t wid) {
    auto i = exits.find(wid);
    if (i == exits.end() || reported_.count(wid) != 0)
      return;
    if (std::find(watched.begin(), watched.end(), wid) == watched.end())
      return;
    reported_.insert(wid);
    events_->on_exit(wid,
                     actorpool::detail::describe_exit(pids.at(wid), i->second));
  }

  bool killed(uint64_t wid) const {
    return std::find(kills.begin(), kills.end(), wid) != kills.end();
  }

  bool stopped(uint64_t wid) const {
    return std::find(stops.begin(), stops.end(), wid) != stops.end();
  }

  // -- coordinator_env --------------------------------------------------------

  void schedule(std::chrono::milliseconds delay, timer_kind kind,
                uint64_t wid) override {
    timers.push_back(timer_rec{delay, kind, wid, clock + delay});
  }

  void pull_input(const caf::actor&, uint64_t sid, size_t n) override {
    pulls.emplace_back(sid, n);
  }

  void stop_feeder(const caf::actor&) override {
    ++stopped_feeders;
  }

  /// The core's clock: starts at an arbitrary point, moves by `advance`.
  std::chrono::steady_clock::time_point clock = std::chrono::steady_clock::
                                                  time_point{}
                                                + 1h;

  std::chrono::steady_clock::time_point now() const override {
    return clock;
  }

  void advance(std::chrono::milliseconds d) {
    clock += d;
  }

  std::vector<std::string> warnings;

  void warn(const std::string& what) override {
    warnings.push_back(what);
  }

  // -- helpers ----------------------------------------------------------------

  /// Ids of all tasks sent to `wid`, in order.
  std::vector<uint64_t> sent_to(uint64_t wid) const {
    std::vector<uint64_t> ids;
    for (auto& [w, batch] : batches)
      if (w == wid)
        for (auto& t : batch)
          ids.push_back(t.id);
    return ids;
  }

  size_t timers_of(timer_kind kind) const {
    size_t n = 0;
    for (auto& t : timers)
      if (t.kind == kind)
        ++n;
    return n;
  }

private:
  std::set<uint64_t> reported_;
};

struct delivery {
  size_t index;
  uint32_t count;
  std::string payload;
};

/// Records what the core reports for one submission or stream.
class fake_job : public actorpool::detail::stream_job {
public:
  std::vector<delivery> delivered;
  std::vector<std::pair<size_t, caf::error>> failed;
  std::vector<size_t> ends;
  std::vector<size_t> input_failures;
  std::vector<caf::error> aborts;
  std::vector<actorpool::detail::stream_counts> settlements;
  bool gone = false;
  /// The environment's `gone_clients` (set by `harness::submit`), and what
  /// it held when each failure was reported: the order of the two.
  const std::vector<int>* gone_clients = nullptr;
  std::vector<std::vector<int>> gone_when_failed;

  void deliver(size_t index, uint32_t count, std::string&& payload) override {
    delivered.push_back(delivery{index, count, std::move(payload)});
  }

  void fail(size_t index, const caf::error& err) override {
    failed.emplace_back(index, err);
    if (gone_clients != nullptr)
      gone_when_failed.push_back(*gone_clients);
  }

  bool abandoned() const noexcept override {
    return gone;
  }

  void end(size_t total) override {
    ends.push_back(total);
  }

  void input_failed(size_t index, std::exception_ptr) override {
    input_failures.push_back(index);
  }

  void abort(const caf::error& err) override {
    aborts.push_back(err);
  }

  void settled(const actorpool::detail::stream_counts& counts) override {
    settlements.push_back(counts);
  }

  /// Indexes of the delivered chunks.
  std::vector<size_t> delivered_indexes() const {
    std::vector<size_t> result;
    for (auto& d : delivered)
      result.push_back(d.index);
    return result;
  }
};

using job_ptr = std::shared_ptr<fake_job>;

// -- setup helpers ------------------------------------------------------------

inline pool_config config(size_t processes, size_t window = 2) {
  pool_config cfg;
  cfg.processes = processes;
  cfg.window = window;
  cfg.max_retries = 2;
  cfg.start_timeout = 5000ms;
  cfg.kill_grace = 700ms;
  return cfg;
}

inline std::vector<encoded_chunk> make_chunks(size_t n, uint32_t count = 1) {
  std::vector<encoded_chunk> result;
  for (size_t i = 0; i < n; ++i)
    result.push_back(encoded_chunk{"c" + std::to_string(i), count});
  return result;
}

inline errc code_of(const caf::error& err) {
  EXPECT_TRUE(actorpool::is_actorpool_error(err)) << caf::to_string(err);
  return static_cast<errc>(err.code());
}

/// A core with a fake environment, plus shortcuts for worker events.
struct harness {
  fake_env env;
  actorpool::detail::coordinator_core core;

  explicit harness(pool_config cfg) : core(std::move(cfg), env, env) {
    // nop
  }

  int pid(uint64_t wid) const {
    return env.pids.at(wid);
  }

  void hello(uint64_t wid) {
    core.on_hello(wid,
                  hello_msg{actorpool::detail::protocol_version, pid(wid)});
  }

  /// Starts the workers and lets each of them say hello.
  void start_ready() {
    core.start();
    auto wids = env.started;
    for (auto wid : wids)
      hello(wid);
  }

  job_ptr submit(size_t n, uint32_t count = 1,
                 std::chrono::milliseconds timeout = {}) {
    auto job = std::make_shared<fake_job>();
    job->gone_clients = &env.gone_clients;
    EXPECT_FALSE(core.submit("t", make_chunks(n, count), job, timeout));
    return job;
  }

  /// Worker `wid` dropped task `id` on a cancel before running it.
  void not_started(uint64_t wid, uint64_t id) {
    results(wid, {result_msg{id, result_msg::not_started, 0, {}}});
  }

  void results(uint64_t wid, std::vector<result_msg> rs) {
    core.on_results(wid, rs);
  }

  void ok(uint64_t wid, uint64_t id, std::string payload = "r",
          uint32_t exec_us = 10) {
    results(wid, {result_msg{id, result_msg::ok, exec_us, std::move(payload)}});
  }

  void failed(uint64_t wid, uint64_t id, failure_msg f) {
    std::string payload;
    actorpool::detail::encode_into(payload, f);
    results(wid, {result_msg{id, result_msg::failed, 10, std::move(payload)}});
  }

  /// Worker `wid` ended with `code` (negative: killed by that signal) and its
  /// connection closed.
  void exit(uint64_t wid, int code) {
    env.exits[wid] = exit_status{code, true};
    core.on_down(wid, "connection closed");
  }

  /// Opens stream 1 with the given budget.
  job_ptr open_stream(size_t budget) {
    auto job = std::make_shared<fake_job>();
    EXPECT_FALSE(core.open_stream(1, "s", caf::actor{}, job, budget));
    return job;
  }
};

} // namespace actorpool::test
