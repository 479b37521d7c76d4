#include "links/thread_worker.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "transport/messages.hpp"
#include "worker/task_runner.hpp"

namespace actorpool::detail {

thread_slot::thread_slot(int number, std::shared_ptr<std::atomic<size_t>> stuck)
  : number_(number), stuck_(std::move(stuck)) {
  // nop
}

bool thread_slot::begin_task() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (abandoned_)
    return false;
  busy_ = true;
  return true;
}

bool thread_slot::end_task() {
  std::lock_guard<std::mutex> guard{mtx_};
  busy_ = false;
  if (!abandoned_)
    return true;
  --*stuck_;
  return false;
}

bool thread_slot::abandon() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (abandoned_)
    return false;
  abandoned_ = true;
  if (busy_)
    ++*stuck_;
  return busy_;
}

bool thread_slot::abandoned() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return abandoned_;
}

namespace {

struct thread_worker_state {
  const char* name = "actorpool.thread_worker";
};

using thread_worker_actor = caf::stateful_actor<thread_worker_state>;

/// Runs `t` on this thread with the slot's board as `this_task`'s; false if
/// the worker was abandoned (before or during the task).
bool run_one(thread_slot& slot, const task_msg& t, result_msg& out) {
  if (!slot.begin_task())
    return false;
  set_thread_board(&slot.board());
  out = run_registered_task(t);
  set_thread_board(nullptr);
  return slot.end_task();
}

/// Results of a batch go back together, or sooner once they are this old,
/// so that a long task does not hold back the results before it: one message
/// (and one wake-up of the coordinator) per batch of tiny tasks.
constexpr auto result_hold_limit = std::chrono::microseconds{200};

void run_batch(thread_worker_actor* self, const caf::actor& coord, uint64_t wid,
               thread_slot& slot, std::vector<task_msg>& batch) {
  std::vector<result_msg> rs;
  auto since = std::chrono::steady_clock::now();
  auto flush = [&] {
    if (!rs.empty())
      self->send(coord, results_atom::value, wid, std::move(rs));
    rs = std::vector<result_msg>{};
    since = std::chrono::steady_clock::now();
  };
  for (auto& t : batch) {
    if (!slot.board().start(t.id))
      continue; // dropped by a cancel or a revoke, reported by the link
    rs.emplace_back();
    bool kept = run_one(slot, t, rs.back());
    slot.board().finish();
    if (!kept) {
      rs.pop_back();
      flush();
      self->quit();
      return;
    }
    if (std::chrono::steady_clock::now() - since >= result_hold_limit)
      flush();
  }
  flush();
}

caf::behavior thread_worker(thread_worker_actor* self, caf::actor coord,
                            uint64_t wid, std::shared_ptr<thread_slot> slot) {
  self->send(coord, hello_atom::value, wid,
             hello_msg{protocol_version, slot->number()});
  return {
    [=](tasks_atom, std::vector<task_msg>& batch) {
      run_batch(self, coord, wid, *slot, batch);
    },
    [=](init_atom, const task_msg& t) {
      std::vector<result_msg> rs(1);
      if (!run_one(*slot, t, rs[0])) {
        self->quit();
        return;
      }
      self->send(coord, results_atom::value, wid, std::move(rs));
    },
    [=](shutdown_atom) {
      if (!slot->abandoned())
        self->send(coord, down_atom::value, wid,
                   std::string{"connection closed"});
      self->quit();
    },
  };
}

} // namespace

caf::actor spawn_thread_worker(caf::actor_system& sys, caf::actor coordinator,
                               uint64_t wid,
                               std::shared_ptr<thread_slot> slot) {
  return sys.spawn<caf::detached>(thread_worker, std::move(coordinator), wid,
                                  std::move(slot));
}

} // namespace actorpool::detail
