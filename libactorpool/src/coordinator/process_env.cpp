#include "coordinator/process_env.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "base/atoms.hpp"
#include "services/service_registry.hpp"
#include "transport/call_gate.hpp"
#include "transport/parent_broker.hpp"
#include "worker/stray_worker.hpp"

namespace actorpool::detail {

process_env::process_env(caf::event_based_actor* self, size_t max_frame_size)
  : self_(self), max_frame_size_(max_frame_size) {
  // nop
}

process_env::~process_env() {
  for (auto& kvp : brokers_)
    caf::anon_send(kvp.second, stop_atom::value); // hangs up, see the broker
}

caf::expected<int> process_env::start_worker(uint64_t wid) {
  stop_if_stray_worker(); // a program that should be serving, not starting
  auto proc = spawn_worker_process("PoolWorker-" + std::to_string(wid), false,
                                   max_frame_size_);
  if (!proc)
    return std::move(proc.error());
  auto gate = std::make_shared<call_gate>();
  brokers_[wid] = spawn_parent_broker(self_->system(), proc->fd, wid,
                                      caf::actor_cast<caf::actor>(self_),
                                      max_frame_size_, gate, find_service);
  gates_[proc->pid] = std::move(gate);
  return proc->pid;
}

void process_env::send_tasks(uint64_t wid, std::vector<task_msg> batch) {
  if (auto b = broker(wid))
    self_->send(*b, tasks_atom::value, std::move(batch));
}

void process_env::send_init(uint64_t wid, const task_msg& init) {
  if (auto b = broker(wid))
    self_->send(*b, init_atom::value, init);
}

void process_env::send_shutdown(uint64_t wid) {
  if (auto b = broker(wid))
    self_->send(*b, shutdown_atom::value);
}

void process_env::send_cancel(uint64_t wid, uint64_t task) {
  if (auto b = broker(wid))
    self_->send(*b, cancel_atom::value, task);
}

void process_env::send_revoke(uint64_t wid, std::vector<uint64_t> tasks) {
  if (auto b = broker(wid))
    self_->send(*b, revoke_atom::value, std::move(tasks));
}

void process_env::disconnect(uint64_t wid) {
  if (auto b = broker(wid)) {
    self_->send(*b, stop_atom::value);
    brokers_.erase(wid);
  }
}

void process_env::forget(uint64_t wid) {
  brokers_.erase(wid);
}

void process_env::signal(int pid, int sig) {
  signal_process(pid, sig);
}

std::optional<exit_status> process_env::reap(int pid) {
  return try_reap(pid);
}

void process_env::schedule(std::chrono::milliseconds delay, timer_kind kind,
                           uint64_t wid) {
  self_->delayed_send(self_, delay, timer_atom::value,
                      static_cast<uint8_t>(kind), wid);
}

void process_env::pull_input(const caf::actor& feeder, uint64_t sid, size_t n) {
  self_->send(feeder, pull_atom::value, sid, n);
}

void process_env::stop_feeder(const caf::actor& feeder) {
  if (feeder)
    self_->send_exit(feeder, caf::exit_reason::user_shutdown);
}

// The gate first: once it is closed, every call of the worker that reached
// the broker is in the services' mailboxes, and no other will be.
void process_env::client_gone(int pid) {
  if (auto i = gates_.find(pid); i != gates_.end()) {
    i->second->close();
    gates_.erase(i);
  }
  notify_client_down(pid);
}

std::optional<size_t> process_env::resident_bytes(int pid) {
  return resident_memory(pid);
}

const caf::actor* process_env::broker(uint64_t wid) const {
  auto i = brokers_.find(wid);
  return i == brokers_.end() ? nullptr : &i->second;
}

} // namespace actorpool::detail
