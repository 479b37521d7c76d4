#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

/// What a process knows about itself or another (Python: the attributes of
/// `multiprocessing.current_process()`).
struct process_info {
  std::string name;
  int pid = 0;
  bool daemon = false;
};

/// A registered task run once in a process of its own (Python:
/// `multiprocessing.Process`). The process is this program started again,
/// like a pool worker; the task's arguments are encoded when the process
/// object is made. Its exit code follows Python: 0 when the task returned, 1
/// when it threw (the exception is printed to stderr), -N when killed by
/// signal N.
///
/// A process that is still running when its object is destroyed is joined,
/// or, if it is a daemon, terminated. Processes still running when the
/// program ends are handled the same way. Member functions other than `pid`,
/// `exitcode`, `is_alive` and `name` must not race with each other.
class process {
public:
  /// An empty process object (assign a real one to it).
  process();

  /// A process that will run `target(args...)` when started.
  template <class F, class... Ts>
  explicit process(F&& target, Ts&&... args) : process() {
    using traits = detail::task_traits<F>;
    init(traits::name(target), detail::encode_call<typename traits::args_tuple>(
                                 std::forward<Ts>(args)...)
                                 .payload);
  }

  process(process&&) noexcept;

  process& operator=(process&&) noexcept;

  process(const process&) = delete;

  process& operator=(const process&) = delete;

  ~process();

  /// Sets the name (default "Process-<n>"); before `start` only.
  process& name(std::string name);

  const std::string& name() const;

  /// Daemon processes are terminated, not joined, when their object or the
  /// program goes away; before `start` only. The default is the daemon flag
  /// of the process making the object (Python: inherited from the creating
  /// process), so false in the program itself.
  process& daemon(bool flag);

  bool daemon() const;

  /// Starts the process; throws `state_error` when started twice,
  /// `encoding_error` when the encoded arguments exceed the frame size limit
  /// (256 MiB) and `start_error` when the process cannot be started.
  void start();

  /// Waits until the process has ended; throws `state_error` before start.
  void join();

  /// Waits at most `timeout`; returns whether the process has ended.
  template <class Rep, class Period>
  bool join(std::chrono::duration<Rep, Period> timeout) {
    return join_for(
      std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
  }

  /// Started and not yet ended.
  bool is_alive() const;

  /// The process id once started.
  std::optional<int> pid() const;

  /// The exit code once ended (see above).
  std::optional<int> exitcode() const;

  /// Sends SIGTERM (Python: `terminate`).
  void terminate();

  /// Sends SIGKILL (Python: `kill`).
  void kill();

  /// Releases the resources of an ended process; throws `state_error` while
  /// it runs. Afterwards every member function but `close` (which does
  /// nothing again) and `name` throws `state_error` (Python: `ValueError`).
  void close();

private:
  struct impl;

  /// Throws `state_error` once closed.
  void check_open() const;

  /// Started and not yet ended (also once closed).
  bool running() const;

  void init(const std::string& task, std::string args);

  bool join_for(std::chrono::milliseconds timeout);

  std::shared_ptr<impl> impl_;
};

/// The started processes of this process that are still alive (Python:
/// `active_children()`); finished ones are reaped as a side effect.
std::vector<process_info> active_children();

/// This process: "MainProcess" in the program, the process's name inside a
/// process's task, "PoolWorker-<n>" in a pool worker.
process_info current_process();

/// The parent process, or nothing in the main process.
std::optional<process_info> parent_process();

} // namespace actorpool
