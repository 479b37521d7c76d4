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
#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"
#include "worker/result_outbox.hpp"
#include "worker/task_runner.hpp"
#include "worker/worker_main.hpp"

namespace actorpool::detail {

namespace {

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
    return failed(t.id, e.code(), "", "task '" + t.name + "': " + e.what());
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

result_msg timed_run(const task_msg& t,
                     std::chrono::steady_clock::time_point start = std::chrono::
                       steady_clock::now()) {
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
  result_outbox* outbox = nullptr;
  /// Set when the initializer failed: every task fails with this failure.
  std::string init_error;
  const char* name = "actorpool.task_runner";
};

using runner_actor = caf::stateful_actor<runner_state>;

// A result too long for any frame fails its task instead: the worker goes
// on, and the results before it are not held up.
result_msg fit(result_msg&& r, size_t limit) {
  if (frame_length_bound(1, r.payload.size()) <= limit)
    return std::move(r);
  auto f = failed(r.id, errc::encoding_failed, "",
                  "encoded result of " + std::to_string(r.payload.size())
                    + " bytes exceeds the frame size limit of "
                    + std::to_string(limit) + " bytes");
  f.exec_us = r.exec_us;
  return f;
}

// A task cancelled or revoked before it started was reported by the reader
// already.
void run_one(runner_actor* self, const task_msg& t) {
  auto& st = self->state;
  if ((t.flags & task_msg::flush_first) != 0)
    st.outbox->flush();
  if (!st.board->start(t.id))
    return;
  auto start = std::chrono::steady_clock::now();
  st.outbox->started(start);
  if (!st.init_error.empty())
    st.outbox->finished(
      failed(t.id, errc::initializer_failed, "", st.init_error));
  else
    st.outbox->finished(fit(timed_run(t, start), st.out->max_frame_size()));
  st.board->finish();
}

void run_batch(runner_actor* self, std::vector<task_msg>& batch) {
  for (auto& t : batch)
    run_one(self, t);
  self->state.outbox->flush();
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
  self->state.outbox->finished(
    fit(std::move(r), self->state.out->max_frame_size()));
  self->state.outbox->flush();
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
  self->state.outbox->close();
  finish_process_target(code, self->state.out->fd());
  self->quit();
}

caf::behavior task_runner(runner_actor* self, worker_channel* out,
                          task_board* board, result_outbox* outbox) {
  self->state.out = out;
  self->state.board = board;
  self->state.outbox = outbox;
  return {
    [=](tasks_atom, std::vector<task_msg>& batch) { run_batch(self, batch); },
    [=](init_atom, const task_msg& t) { run_initializer(self, t); },
    [=](target_atom, const task_msg& t) { run_target(self, t); },
    [=](shutdown_atom) {
      outbox->flush();
      outbox->close();
      self->quit();
    },
  };
}

struct watcher_state {
  const char* name = "actorpool.result_watcher";
};

using watcher_actor = caf::stateful_actor<watcher_state>;

// One wait per message, then a message to itself for the next (as the
// reader does): the loop stays an actor, on its own thread.
caf::behavior result_watcher(watcher_actor* self, result_outbox* outbox) {
  self->send(self, run_atom::value);
  return {
    [=](run_atom) {
      if (outbox->watch())
        self->send(self, run_atom::value);
      else
        self->quit();
    },
  };
}

} // namespace

result_msg run_registered_task(const task_msg& t) {
  return timed_run(t);
}

caf::actor spawn_task_runner(caf::actor_system& sys, worker_channel* out,
                             task_board* board, result_outbox* outbox) {
  return sys.spawn<caf::detached>(task_runner, out, board, outbox);
}

caf::actor spawn_result_watcher(caf::actor_system& sys, result_outbox* outbox) {
  return sys.spawn<caf::detached>(result_watcher, outbox);
}

} // namespace actorpool::detail
