#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/message.hpp>

#include "transport/frame.hpp"
#include "transport/frame_dispatch.hpp"
#include "worker/call_table.hpp"
#include "worker/task_board.hpp"
#include "worker/worker_channel.hpp"

namespace actorpool::detail {

/// What a worker does with the frames from the parent: work (tasks, init,
/// target) goes to the task runner, tasks onto the board as well; a cancel
/// or revoke of a task that has not started drops it from the board and
/// reports it as not started; service replies go to the call table; a
/// shutdown goes to the runner and ends the reading. Any other kind, or a
/// frame that does not decode, is an error (the worker then exits).
class child_reader : public frame_handler {
public:
  /// Hands `(tasks_atom, batch)`, `(init_atom, t)`, `(target_atom, t)` or
  /// `(shutdown_atom)` to the task runner.
  using runner_port = std::function<void(caf::message)>;

  /// Writes one results frame to the parent; an error if it does not fit.
  using results_port = std::function<caf::error(std::vector<result_msg>&)>;

  child_reader(runner_port runner, results_port results, task_board& board,
               call_table& calls, size_t max_frame_size);

  /// Reassembles and handles the frames in `bytes` (which may end inside a
  /// frame); the first error stops it, and the stream is unusable then.
  caf::error consume(const char* bytes, size_t size);

  /// Room to receive at least `min` bytes into, then `commit` them (see
  /// `frame_reader::receive_buffer`): a long frame is received in place.
  std::pair<char*, size_t> receive_buffer(size_t min) {
    return frames_.receive_buffer(min);
  }

  /// Handles the first `n` bytes of the room as `consume` handles bytes.
  caf::error commit(size_t n);

  /// Whether the parent sent shutdown: it sends nothing after that.
  bool done() const noexcept {
    return done_;
  }

  caf::error on_tasks(std::vector<task_msg>& batch) override;
  caf::error on_init(task_msg& t) override;
  caf::error on_target(task_msg& t) override;
  caf::error on_cancel(uint64_t id) override;
  caf::error on_revoke(std::vector<uint64_t>& ids) override;
  caf::error on_service_reply(service_reply_msg& reply) override;
  caf::error on_shutdown() override;

private:
  runner_port runner_;
  results_port results_;
  task_board& board_;
  call_table& calls_;
  frame_reader frames_;
  bool done_ = false;
};

/// Spawns the detached actor that reads frames from the parent (blocking
/// reads: it does nothing else) and hands them to a `child_reader` that
/// passes work to `runner`, writes results to `out` and replies to service
/// calls to `calls`.
caf::actor spawn_child_reader(caf::actor_system& sys, int fd, caf::actor runner,
                              worker_channel* out, task_board* board,
                              call_table* calls);

} // namespace actorpool::detail
