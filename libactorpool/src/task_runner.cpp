#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/task_registry.hpp"
#include "actorpool/errc.hpp"
#include "actorpool/exceptions.hpp"
#include "internal/atoms.hpp"
#include "internal/frame.hpp"
#include "internal/messages.hpp"
#include "internal/worker_runtime.hpp"

namespace actorpool::detail {

namespace {

/// Results are sent as soon as this much task time has accumulated since the
/// last send, so long tasks report promptly and tiny ones travel in batches
/// (of at most one frame).
constexpr uint64_t flush_after_us = 200;

result_msg failed(uint64_t id, errc code, std::string type_name,
                  std::string message) {
  failure_msg f{static_cast<uint8_t>(code), std::move(type_name),
                std::move(message), static_cast<int32_t>(getpid())};
  result_msg r;
  r.id = id;
  r.status = result_msg::failed;
  encode_into(r.payload, f);
  return r;
}

result_msg run_task(const task_msg& t) {
  auto entry = find_task(t.name);
  if (entry == nullptr)
    return failed(t.id, errc::unknown_task, "",
                  "actorpool: no task named '" + t.name
                    + "' in the worker: register tasks at namespace scope, "
                      "where worker processes register them too");
  if (entry->ambiguous)
    return failed(t.id, errc::unknown_task, "", entry->conflict);
  result_msg r;
  r.id = t.id;
  try {
    entry->invoker->invoke(t.payload.data(), t.payload.size(), t.count,
                           r.payload);
  } catch (const codec_failure& e) {
    return failed(t.id, e.code(), "", e.what());
  } catch (const remote_failure& e) {
    // From a pool this task used: it goes on as the original exception.
    return failed(t.id, errc::task_failed, e.type_name(), e.message());
  } catch (const std::exception& e) {
    return failed(t.id, errc::task_failed, current_exception_type_name(),
                  e.what());
  } catch (...) {
    return failed(t.id, errc::task_failed, current_exception_type_name(),
                  "exception not derived from std::exception");
  }
  return r;
}

result_msg timed_run(const task_msg& t) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_task(t);
  auto elapsed = std::chrono::steady_clock::now() - start;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
  r.exec_us = static_cast<uint32_t>(
    std::min<int64_t>(us.count(), std::numeric_limits<uint32_t>::max()));
  return r;
}

struct runner_state {
  worker_channel* out = nullptr;
  task_board* board = nullptr;
  /// Set when the initializer failed: every task fails with this failure.
  std::string init_error;
  std::vector<result_msg> pending;
  /// Upper bound of the length of the frame that `pending` makes.
  size_t pending_length = frame_overhead;
  uint64_t unflushed_us = 0;
  const char* name = "actorpool.task_runner";
};

using runner_actor = caf::stateful_actor<runner_state>;

void flush(runner_actor* self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  st.out->write_or_exit(frame_kind::results, st.pending);
  st.pending.clear();
  st.pending_length = frame_overhead;
  st.unflushed_us = 0;
}

// A result too long for any frame fails its task instead (the worker goes
// on); one too long for the frame of the results before it sends them first.
void add_result(runner_actor* self, result_msg&& r) {
  auto& st = self->state;
  auto limit = st.out->max_frame_size();
  if (frame_length_bound(1, r.payload.size()) > limit) {
    auto exec_us = r.exec_us;
    r = failed(r.id, errc::encoding_failed, "",
               "encoded result of " + std::to_string(r.payload.size())
                 + " bytes exceeds the frame size limit of "
                 + std::to_string(limit) + " bytes");
    r.exec_us = exec_us;
  }
  auto length = frame_length_bound(1, r.payload.size()) - frame_overhead;
  if (st.pending_length + length > limit)
    flush(self);
  st.pending_length += length;
  st.unflushed_us += r.exec_us;
  st.pending.emplace_back(std::move(r));
}

// A task cancelled before it started was reported by the reader already.
void run_one(runner_actor* self, const task_msg& t) {
  auto& st = self->state;
  if ((t.flags & task_msg::flush_first) != 0)
    flush(self);
  if (!st.board->start(t.id))
    return;
  if (!st.init_error.empty())
    add_result(self, failed(t.id, errc::initializer_failed, "", st.init_error));
  else
    add_result(self, timed_run(t));
  st.board->finish();
  if (st.unflushed_us >= flush_after_us)
    flush(self);
}

void run_batch(runner_actor* self, std::vector<task_msg>& batch) {
  for (auto& t : batch)
    run_one(self, t);
  flush(self);
}

void run_initializer(runner_actor* self, const task_msg& t) {
  auto r = timed_run(t);
  if (r.status == result_msg::failed) {
    failure_msg f;
    decoder src{r.payload};
    src.read(f);
    self->state.init_error = f.type_name.empty()
                               ? f.message
                               : f.type_name + ": " + f.message;
  }
  add_result(self, std::move(r));
  flush(self);
}

// A process's one task: its outcome is the exit code (0 or 1, Python's
// convention), and a failure is printed like Python prints a traceback.
void run_target(runner_actor* self, const task_msg& t) {
  auto r = timed_run(t);
  int code = 0;
  if (r.status == result_msg::failed) {
    failure_msg f;
    decoder src{r.payload};
    src.read(f);
    auto self_info = this_worker();
    fprintf(stderr, "Process %s (pid %d) failed:\n%s%s%s\n",
            self_info != nullptr ? self_info->name.c_str() : "?",
            static_cast<int>(getpid()), f.type_name.c_str(),
            f.type_name.empty() ? "" : ": ", f.message.c_str());
    fflush(stderr);
    code = 1;
  }
  finish_process_target(code, self->state.out->fd());
  self->quit();
}

caf::behavior task_runner(runner_actor* self, worker_channel* out,
                          task_board* board) {
  self->state.out = out;
  self->state.board = board;
  return {
    [=](tasks_atom, std::vector<task_msg>& batch) { run_batch(self, batch); },
    [=](init_atom, const task_msg& t) { run_initializer(self, t); },
    [=](target_atom, const task_msg& t) { run_target(self, t); },
    [=](shutdown_atom) {
      flush(self);
      self->quit();
    },
  };
}

} // namespace

caf::actor spawn_task_runner(caf::actor_system& sys, worker_channel* out,
                             task_board* board) {
  return sys.spawn<caf::detached>(task_runner, out, board);
}

} // namespace actorpool::detail
