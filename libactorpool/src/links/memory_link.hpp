#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "links/worker_link.hpp"

namespace actorpool::detail {

/// Workers inside this process, moved step by step by `run`: no threads, no
/// processes, no clock. A worker says hello once started, runs the chunks
/// of each batch it is sent in order with the link's task function and
/// reports them in one results message, answers a revoke or cancel of
/// chunks it has not run with `not_started`, and exits after a shutdown.
/// Stopped, killed or disconnected, it ends at once with what it held. It
/// shows the seam between the coordinator and its workers, and drives the
/// coordinator in tests.
class memory_link : public worker_link {
public:
  /// Runs chunk `task`: returns its encoded results, throws a
  /// `std::exception` to fail it, or throws `crash` to kill its worker.
  using task_fn = std::function<std::string(const task_msg& task)>;

  /// Thrown by a task function: the worker dies as if by SIGKILL.
  struct crash {};

  explicit memory_link(task_fn fn);

  /// Delivers events until none is left: hellos, results, ends of
  /// connections, and exits of the workers whose end is watched. Returns
  /// the number delivered.
  size_t run();

  /// Worker `wid` dies now (as if by SIGKILL) with what it holds.
  void crash_worker(uint64_t wid);

  /// Workers the services were told about, in order.
  const std::vector<uint64_t>& gone_clients() const noexcept {
    return gone_clients_;
  }

  // -- worker_link ------------------------------------------------------------

  caf::expected<int> start(uint64_t wid, uint32_t place) override;

  std::string check_hello(uint64_t wid, const hello_msg& msg) override;

  void send_tasks(uint64_t wid, std::vector<task_msg> batch) override;

  void send_init(uint64_t wid, const task_msg& init) override;

  void send_shutdown(uint64_t wid) override;

  void send_cancel(uint64_t wid, uint64_t task) override;

  void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) override;

  void disconnect(uint64_t wid) override;

  void stop(uint64_t wid) override;

  void kill(uint64_t wid) override;

  void watch_exit(uint64_t wid) override;

  worker_exit wait_exit(uint64_t wid) override;

  bool alive(uint64_t wid) override;

  std::optional<size_t> resident_bytes(uint64_t wid) override;

  void client_gone(uint64_t wid) override;

private:
  /// A message to a worker: a batch (`shutdown` false) or a shutdown.
  struct letter {
    std::vector<task_msg> tasks;
    bool shutdown = false;
  };

  struct worker {
    int number = 0;
    bool hello_due = true;
    std::deque<letter> inbox;
    /// Set when it ended: its exit code (minus a signal number).
    std::optional<int> code;
    bool down_due = false;
    std::string down_reason;
    bool watched = false;
  };

  worker* find(uint64_t wid);

  /// Ends `w` with `code`; its connection ends at the next step.
  void end(worker& w, int code, const std::string& reason);

  /// One event of worker `wid`, if it has one; whether it did.
  bool step(uint64_t wid);

  void work(uint64_t wid, worker& w);

  /// Answers `not_started` for the queued chunks `pred` selects.
  void drop(uint64_t wid, worker& w,
            const std::function<bool(const task_msg&)>& pred);

  std::string describe(const worker& w) const;

  task_fn fn_;
  int next_number_ = 1;
  std::map<uint64_t, worker> workers_;
  std::vector<uint64_t> gone_clients_;
};

} // namespace actorpool::detail
