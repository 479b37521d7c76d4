#pragma once

#include <chrono>
#include <memory>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "links/child_supervisor.hpp"
#include "links/output_prefix.hpp"
#include "links/output_reader.hpp"
#include "links/system_child_control.hpp"
#include "links/worker_link.hpp"
#include "os/spawn.hpp"

namespace actorpool::detail {

class call_gate;

/// Workers as child processes: each is started with `spawn_worker_process`,
/// talks through a parent broker whose events go to the actor `self`, and
/// is watched by a `child_supervisor` whose timers are delayed
/// `(child_timer_atom, uint8_t, uint64_t wid)` messages to `self`, to be
/// handed to `on_timer`. `client_gone` closes the worker's call gate, then
/// tells every service. With a non-empty output prefix, each worker's stdout
/// and stderr are read by an `output_reader` that reports
/// `(output_done_atom, wid)` to `self`, to be handed to `on_output_done`; a
/// worker's exit is reported once it is reaped and its output printed.
class process_link : public worker_link {
public:
  /// `linger`: the time a stopped worker, or one whose connection closed,
  /// gets before SIGKILL. `prefix`: put before every line a worker prints
  /// (empty: workers write to the program's stdout and stderr themselves).
  process_link(caf::event_based_actor* self, size_t max_frame_size,
               std::chrono::milliseconds linger, output_prefix prefix = {});

  /// Hangs up the brokers that are still connected and ends the output
  /// readers (they print what the pipes hold, then close them).
  ~process_link() override;

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

  /// Drops the broker of a worker whose connection ended.
  void forget(uint64_t wid);

  /// A supervisor's timer fired.
  void on_timer(uint64_t wid, child_timer t);

  /// The output reader of worker `wid` is done.
  void on_output_done(uint64_t wid);

private:
  struct child {
    caf::actor broker;
    /// Null once the services were told that the worker is gone.
    std::shared_ptr<call_gate> gate;
    std::unique_ptr<child_supervisor> supervisor;
    /// Reads the worker's output (when prefixed) until `output_done`.
    output_reader output;
    bool output_done = true;
    /// How it ended, held back until its output is printed.
    std::optional<exit_status> reaped;
  };

  child* find(uint64_t wid);

  caf::expected<spawned_process> spawn_child(uint64_t wid,
                                             output_reader& output);

  void report_exit(uint64_t wid, const exit_status& st);

  caf::event_based_actor* self_;
  size_t max_frame_size_;
  std::chrono::milliseconds linger_;
  output_prefix prefix_;
  system_child_control ctl_;
  std::unordered_map<uint64_t, child> children_;
};

/// "worker 123 killed by signal 9 (Killed)".
worker_exit describe_exit(int pid, const exit_status& st);

} // namespace actorpool::detail
