#include "links/process_link.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "base/atoms.hpp"
#include "os/spawn.hpp"
#include "services/service_registry.hpp"
#include "transport/call_gate.hpp"
#include "transport/parent_broker.hpp"
#include "worker/stray_worker.hpp"

namespace actorpool::detail {

worker_exit describe_exit(int pid, const exit_status& st) {
  return worker_exit{st.code, st.known,
                     "worker " + std::to_string(pid) + " " + describe(st)};
}

process_link::process_link(caf::event_based_actor* self, size_t max_frame_size,
                           std::chrono::milliseconds linger,
                           output_prefix prefix)
  : self_(self), max_frame_size_(max_frame_size), linger_(linger),
    prefix_(std::move(prefix)), ctl_(self) {
  // nop
}

process_link::~process_link() {
  for (auto& kvp : children_) {
    if (kvp.second.broker) // hangs up, see the broker
      caf::anon_send(kvp.second.broker, stop_atom::value);
    kvp.second.output.finish();
  }
}

// With a prefix, the reader's descriptor is made first, so that a worker
// is never started without it.
caf::expected<spawned_process>
process_link::spawn_child(uint64_t wid, output_reader& output) {
  if (!prefix_.empty()) {
    auto prepared = output_reader::prepare();
    if (!prepared)
      return std::move(prepared.error());
    output = std::move(*prepared);
  }
  return spawn_worker_process("PoolWorker-" + std::to_string(wid), false,
                              max_frame_size_, !prefix_.empty());
}

caf::expected<int> process_link::start(uint64_t wid, uint32_t place) {
  stop_if_stray_worker(); // a program that should be serving, not starting
  output_reader output;
  auto proc = spawn_child(wid, output);
  if (!proc)
    return std::move(proc.error());
  auto& c = children_[wid];
  if (!prefix_.empty()) {
    output.start(self_->system(), output_pipes{proc->out_fd, proc->err_fd},
                 prefix_.expand(proc->pid, place),
                 caf::actor_cast<caf::actor>(self_), wid);
    c.output = std::move(output);
    c.output_done = false;
  }
  c.gate = std::make_shared<call_gate>();
  c.broker = spawn_parent_broker(self_->system(), proc->fd, wid,
                                 caf::actor_cast<caf::actor>(self_),
                                 max_frame_size_, c.gate, find_service);
  c.supervisor = std::make_unique<child_supervisor>(wid, proc->pid, linger_,
                                                    ctl_);
  return proc->pid;
}

std::string process_link::check_hello(uint64_t wid, const hello_msg& msg) {
  auto c = find(wid);
  return c ? c->supervisor->check_hello(msg) : "unknown worker";
}

void process_link::send_tasks(uint64_t wid, std::vector<task_msg> batch) {
  if (auto c = find(wid); c && c->broker)
    self_->send(c->broker, tasks_atom::value, std::move(batch));
}

void process_link::send_init(uint64_t wid, const task_msg& init) {
  if (auto c = find(wid); c && c->broker)
    self_->send(c->broker, init_atom::value, init);
}

void process_link::send_shutdown(uint64_t wid) {
  if (auto c = find(wid); c && c->broker)
    self_->send(c->broker, shutdown_atom::value);
}

void process_link::send_cancel(uint64_t wid, uint64_t task) {
  if (auto c = find(wid); c && c->broker)
    self_->send(c->broker, cancel_atom::value, task);
}

void process_link::send_revoke(uint64_t wid, std::vector<uint64_t> tasks) {
  if (auto c = find(wid); c && c->broker)
    self_->send(c->broker, revoke_atom::value, std::move(tasks));
}

void process_link::disconnect(uint64_t wid) {
  if (auto c = find(wid); c && c->broker) {
    self_->send(c->broker, stop_atom::value);
    c->broker = caf::actor{};
  }
}

void process_link::forget(uint64_t wid) {
  if (auto c = find(wid))
    c->broker = caf::actor{};
}

void process_link::stop(uint64_t wid) {
  if (auto c = find(wid))
    c->supervisor->stop();
}

void process_link::kill(uint64_t wid) {
  if (auto c = find(wid))
    c->supervisor->kill();
}

void process_link::watch_exit(uint64_t wid) {
  if (auto c = find(wid))
    if (auto st = c->supervisor->closed())
      report_exit(wid, *st);
}

void process_link::on_timer(uint64_t wid, child_timer t) {
  if (auto c = find(wid))
    if (auto st = c->supervisor->on_timer(t))
      report_exit(wid, *st);
}

worker_exit process_link::wait_exit(uint64_t wid) {
  auto c = find(wid);
  if (c == nullptr)
    return worker_exit{0, false, "worker gone"};
  auto pid = c->supervisor->pid();
  auto st = c->reaped ? *c->reaped : c->supervisor->wait();
  c->output.finish(); // prints on its own; nobody waits for it
  children_.erase(wid);
  return describe_exit(pid, st);
}

bool process_link::alive(uint64_t wid) {
  return find(wid) != nullptr;
}

std::optional<size_t> process_link::resident_bytes(uint64_t wid) {
  if (auto c = find(wid); c && !c->reaped)
    return resident_memory(c->supervisor->pid());
  return std::nullopt;
}

// The gate first: once it is closed, every call of the worker that reached
// the broker is in the services' mailboxes, and no other will be.
void process_link::client_gone(uint64_t wid) {
  auto c = find(wid);
  if (c == nullptr || !c->gate)
    return;
  c->gate->close();
  c->gate = nullptr;
  notify_client_down(c->supervisor->pid());
}

process_link::child* process_link::find(uint64_t wid) {
  auto i = children_.find(wid);
  return i == children_.end() ? nullptr : &i->second;
}

void process_link::on_output_done(uint64_t wid) {
  auto c = find(wid);
  if (c == nullptr)
    return;
  c->output_done = true;
  if (c->reaped)
    report_exit(wid, *c->reaped);
}

// A reaped worker wrote all it will write: its reader prints what the pipes
// hold and ends, and the exit is reported after the last line.
void process_link::report_exit(uint64_t wid, const exit_status& st) {
  auto c = find(wid);
  if (!c->output_done) {
    c->reaped = st;
    c->output.finish();
    return;
  }
  auto how = describe_exit(c->supervisor->pid(), st);
  if (events_ != nullptr)
    events_->on_exit(wid, how); // may still tell the services
  children_.erase(wid);
}

} // namespace actorpool::detail
