#include "links/thread_link.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "base/atoms.hpp"

namespace actorpool::detail {

thread_link::thread_link(caf::event_based_actor* self)
  : self_(self), stuck_(std::make_shared<std::atomic<size_t>>(0)) {
  // nop
}

thread_link::~thread_link() {
  for (auto& kvp : threads_)
    abandon(kvp.second);
}

caf::expected<int> thread_link::start(uint64_t wid, uint32_t) {
  auto number = next_number_++;
  auto& r = threads_[wid];
  r.slot = std::make_shared<thread_slot>(number, stuck_);
  r.actor = spawn_thread_worker(self_->system(),
                                caf::actor_cast<caf::actor>(self_), wid,
                                r.slot);
  return number;
}

std::string thread_link::check_hello(uint64_t wid, const hello_msg& msg) {
  auto r = find(wid);
  if (r != nullptr && msg.version == protocol_version
      && msg.pid == r->slot->number())
    return {};
  return "bad hello (protocol version " + std::to_string(msg.version)
         + ", thread " + std::to_string(msg.pid) + ")";
}

void thread_link::send_tasks(uint64_t wid, std::vector<task_msg> batch) {
  if (auto r = find(wid); r && !r->down) {
    r->slot->board().queued(batch);
    self_->send(r->actor, tasks_atom::value, std::move(batch));
  }
}

void thread_link::send_init(uint64_t wid, const task_msg& init) {
  if (auto r = find(wid); r && !r->down)
    self_->send(r->actor, init_atom::value, init);
}

void thread_link::send_shutdown(uint64_t wid) {
  if (auto r = find(wid); r && !r->down)
    self_->send(r->actor, shutdown_atom::value);
}

void thread_link::send_cancel(uint64_t wid, uint64_t task) {
  auto r = find(wid);
  if (r == nullptr || r->down)
    return;
  if (r->slot->board().cancel(task) == task_board::cancel_outcome::dropped)
    report_dropped(wid, {task});
}

void thread_link::send_revoke(uint64_t wid, std::vector<uint64_t> tasks) {
  auto r = find(wid);
  if (r == nullptr || r->down)
    return;
  std::vector<uint64_t> dropped;
  for (auto id : tasks)
    if (r->slot->board().revoke(id))
      dropped.push_back(id);
  if (!dropped.empty())
    report_dropped(wid, dropped);
}

void thread_link::report_dropped(uint64_t wid,
                                 const std::vector<uint64_t>& ids) {
  std::vector<result_msg> rs;
  for (auto id : ids)
    rs.push_back(result_msg{id, result_msg::not_started, 0, {}});
  self_->send(self_, results_atom::value, wid, std::move(rs));
}

// A thread's connection is its mailbox: once cut, the thread is let go (it
// would run what it holds, and nobody listens).
void thread_link::disconnect(uint64_t wid) {
  auto r = find(wid);
  if (r == nullptr || r->down)
    return;
  r->down = true;
  abandon(*r);
  self_->send(self_, down_atom::value, wid,
              std::string{"disconnected by the pool"});
}

void thread_link::stop(uint64_t wid) {
  if (auto r = find(wid))
    abandon(*r);
}

void thread_link::kill(uint64_t wid) {
  stop(wid);
}

void thread_link::abandon(thread_rec& r) {
  if (r.slot->abandon())
    r.stuck = true;
  caf::anon_send_exit(r.actor, caf::exit_reason::user_shutdown);
}

// A thread that said goodbye has quit or is about to; one that was let go
// is no concern of the pool's any more: either way it is gone now.
void thread_link::watch_exit(uint64_t wid) {
  auto r = find(wid);
  if (r == nullptr)
    return;
  r->down = true;
  abandon(*r);
  auto how = exit_of(*r);
  threads_.erase(wid);
  if (events_ != nullptr)
    events_->on_exit(wid, how);
}

worker_exit thread_link::wait_exit(uint64_t wid) {
  auto r = find(wid);
  if (r == nullptr)
    return worker_exit{0, false, "worker gone"};
  abandon(*r);
  auto how = exit_of(*r);
  threads_.erase(wid);
  return how;
}

bool thread_link::alive(uint64_t wid) {
  auto r = find(wid);
  return r != nullptr && !r->slot->abandoned();
}

std::optional<size_t> thread_link::resident_bytes(uint64_t) {
  return std::nullopt; // threads share the process's memory
}

// Task code of a thread calls services as the program does: there is no
// client of its own to forget.
void thread_link::client_gone(uint64_t) {
  // nop
}

thread_link::thread_rec* thread_link::find(uint64_t wid) {
  auto i = threads_.find(wid);
  return i == threads_.end() ? nullptr : &i->second;
}

worker_exit thread_link::exit_of(const thread_rec& r) const {
  auto what = r.stuck ? " let go while running a task (a thread cannot be "
                        "killed)"
                      : " ended";
  return worker_exit{0, true,
                     "worker thread " + std::to_string(r.slot->number())
                       + what};
}

} // namespace actorpool::detail
