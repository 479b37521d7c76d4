#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "transport/messages.hpp"

namespace actorpool::detail {

/// How a worker ended.
struct worker_exit {
  /// Exit code (>= 0), or minus the signal number that killed it; 0 when
  /// unknown.
  int code = 0;
  /// False when the link could not learn how the worker ended.
  bool known = true;
  /// The worker and its end, for error messages: "worker 123 killed by
  /// signal 9 (Killed)".
  std::string description;
};

/// What a worker link reports about its workers. The coordinator's core
/// implements it.
class worker_events {
public:
  virtual ~worker_events();

  /// Worker `wid` announced itself.
  virtual void on_hello(uint64_t wid, const hello_msg& msg) = 0;

  /// Worker `wid` reported results.
  virtual void on_results(uint64_t wid, std::vector<result_msg>& results) = 0;

  /// The connection to worker `wid` ended (EOF or a protocol violation):
  /// nothing more arrives from it.
  virtual void on_down(uint64_t wid, const std::string& reason) = 0;

  /// Worker `wid` is gone (reported once, after `worker_link::watch_exit`).
  virtual void on_exit(uint64_t wid, const worker_exit& how) = 0;
};

/// One kind of worker, in worker ids only: how workers start, what they are
/// sent, how they are stopped, and how the pool learns that they ended.
/// Events go to the `worker_events` given to `attach`.
class worker_link {
public:
  virtual ~worker_link();

  /// Sets the receiver of every later event.
  void attach(worker_events* events) noexcept {
    events_ = events;
  }

  /// Starts worker `wid` in `place` of the pool (`worker_stats::slot`);
  /// returns the number the worker goes by: the one it states in its hello,
  /// and that statistics and messages show (a process id for processes).
  virtual caf::expected<int> start(uint64_t wid, uint32_t place) = 0;

  /// Checks the hello of worker `wid`: empty if it is the worker that was
  /// started and speaks this protocol, else why not ("bad hello (...)").
  virtual std::string check_hello(uint64_t wid, const hello_msg& msg) = 0;

  virtual void send_tasks(uint64_t wid, std::vector<task_msg> batch) = 0;

  virtual void send_init(uint64_t wid, const task_msg& init) = 0;

  /// Asks the worker to finish its queue and exit.
  virtual void send_shutdown(uint64_t wid) = 0;

  virtual void send_cancel(uint64_t wid, uint64_t task) = 0;

  /// Takes `tasks` back from the worker unless they have started: the
  /// worker answers with a `not_started` result for each one it dropped; the
  /// others report as usual.
  virtual void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) = 0;

  /// Closes the connection to a worker (the worker exits on EOF); `on_down`
  /// follows.
  virtual void disconnect(uint64_t wid) = 0;

  /// Asks the worker to end now, politely (SIGTERM for a process), and
  /// kills it if it still runs after the link's linger.
  virtual void stop(uint64_t wid) = 0;

  /// Ends the worker now (SIGKILL for a process).
  virtual void kill(uint64_t wid) = 0;

  /// The connection to `wid` ended: report `on_exit` once the worker is
  /// gone (a process lingering past the linger is killed). May report at
  /// once, from inside this call.
  virtual void watch_exit(uint64_t wid) = 0;

  /// Waits until worker `wid` is gone (after `kill`) and forgets it,
  /// reporting nothing: the pool is going away.
  virtual worker_exit wait_exit(uint64_t wid) = 0;

  /// Whether worker `wid` still runs (started and not known to be gone).
  virtual bool alive(uint64_t wid) = 0;

  /// Resident memory of worker `wid` in bytes; `nullopt` if unknown.
  virtual std::optional<size_t> resident_bytes(uint64_t wid) = 0;

  /// Worker `wid` is gone, or the pool lets it go: none of its service
  /// calls reaches a service any more, and the services release what it
  /// held and forget its waiting calls before they see anything sent after
  /// this.
  virtual void client_gone(uint64_t wid) = 0;

protected:
  worker_events* events_ = nullptr;
};

} // namespace actorpool::detail
