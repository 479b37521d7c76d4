#include "actorpool/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "os/spawn.hpp"
#include "process/process_actor.hpp"
#include "transport/frame.hpp"
#include "worker/stray_worker.hpp"

namespace actorpool {

namespace {

std::atomic<int> process_counter{0};

/// The processes this process started, for `active_children`.
struct children {
  std::mutex mtx;
  std::vector<std::weak_ptr<detail::process_state>> all;
};

children& the_children() {
  static children instance;
  return instance;
}

void remember_child(const std::shared_ptr<detail::process_state>& st) {
  auto& c = the_children();
  std::lock_guard<std::mutex> guard{c.mtx};
  c.all.emplace_back(st);
}

[[noreturn]] void misuse(const std::string& what) {
  throw state_error(errc::invalid_state, what);
}

} // namespace

struct process::impl {
  /// Keeps the default system up while the process object exists.
  std::shared_ptr<void> hold;
  detail::task_msg target;
  std::shared_ptr<detail::process_state>
    st = std::make_shared<detail::process_state>();
  caf::actor supervisor;
  bool started = false;
  bool closed = false;
};

process::process() : impl_(std::make_shared<impl>()) {
  impl_->st->name = "Process-" + std::to_string(++process_counter);
  impl_->st->daemon = current_process().daemon; // Python: inherited
}

process::process(process&&) noexcept = default;

process& process::operator=(process&& other) noexcept {
  if (this != &other) {
    process tmp{std::move(other)};
    std::swap(impl_, tmp.impl_);
  }
  return *this;
}

process::~process() {
  if (!impl_ || !impl_->started || impl_->st->ended())
    return;
  if (impl_->st->daemon && impl_->supervisor) // SIGTERM, SIGKILL after 1 s
    caf::anon_send(impl_->supervisor, detail::stop_atom::value);
  impl_->st->wait(std::nullopt);
}

void process::init(const std::string& task, std::string args) {
  impl_->target = detail::task_msg{0, task, 1, std::move(args)};
}

process& process::name(std::string name) {
  if (impl_->started)
    misuse("the name cannot change after start()");
  impl_->st->name = std::move(name);
  return *this;
}

const std::string& process::name() const {
  return impl_->st->name;
}

process& process::daemon(bool flag) {
  if (impl_->started)
    misuse("the daemon flag cannot change after start()");
  impl_->st->daemon = flag;
  return *this;
}

bool process::daemon() const {
  return impl_->st->daemon;
}

void process::check_open() const {
  if (impl_->closed)
    misuse("process object is closed");
}

void process::start() {
  detail::stop_if_stray_worker();
  check_open();
  if (impl_->started)
    misuse("cannot start a process twice");
  if (impl_->target.name.empty())
    misuse("process has no target");
  if (auto err = detail::check_task_size(impl_->target.name,
                                         impl_->target.payload.size(),
                                         detail::default_max_frame_size))
    throw_error(err);
  auto& sys = default_system();
  impl_->hold = detail::hold_system(sys);
  impl_->supervisor = detail::spawn_process_actor(sys, impl_->target,
                                                  impl_->st);
  detail::track_actor(sys, impl_->supervisor);
  caf::scoped_actor self{sys};
  caf::error err;
  self->request(impl_->supervisor, caf::infinite, detail::start_atom::value)
    .receive([&](int32_t pid) { impl_->st->pid = pid; },
             [&](caf::error& e) { err = std::move(e); });
  if (err)
    throw start_error(errc::worker_start_failed,
                      "cannot start process: " + render(err));
  impl_->started = true;
  remember_child(impl_->st);
}

void process::join() {
  check_open();
  if (!impl_->started)
    misuse("can only join a started process");
  impl_->st->wait(std::nullopt);
}

bool process::join_for(std::chrono::milliseconds timeout) {
  check_open();
  if (!impl_->started)
    misuse("can only join a started process");
  return impl_->st->wait(timeout);
}

bool process::is_alive() const {
  check_open();
  return running();
}

bool process::running() const {
  return impl_->started && !impl_->st->ended();
}

std::optional<int> process::pid() const {
  check_open();
  if (!impl_->started)
    return std::nullopt;
  return impl_->st->pid;
}

std::optional<int> process::exitcode() const {
  check_open();
  std::lock_guard<std::mutex> guard{impl_->st->mtx};
  return impl_->st->exitcode;
}

void process::terminate() {
  if (is_alive())
    detail::signal_process(impl_->st->pid, SIGTERM);
}

void process::kill() {
  if (is_alive())
    detail::signal_process(impl_->st->pid, SIGKILL);
}

void process::close() {
  if (impl_->closed)
    return;
  if (running())
    misuse("cannot close a process while it is still running");
  impl_->closed = true;
  impl_->supervisor = caf::actor{};
}

std::vector<process_info> active_children() {
  auto& c = the_children();
  std::lock_guard<std::mutex> guard{c.mtx};
  std::vector<process_info> result;
  auto gone = [&](const std::weak_ptr<detail::process_state>& w) {
    auto st = w.lock();
    if (!st || st->ended())
      return true;
    result.push_back(process_info{st->name, st->pid, st->daemon});
    return false;
  };
  c.all.erase(std::remove_if(c.all.begin(), c.all.end(), gone), c.all.end());
  return result;
}

process_info current_process() {
  if (auto self = detail::this_worker())
    return process_info{self->name, static_cast<int>(getpid()), self->daemon};
  return process_info{"MainProcess", static_cast<int>(getpid()), false};
}

std::optional<process_info> parent_process() {
  if (auto self = detail::this_worker())
    return process_info{self->parent_name, self->parent_pid, false};
  return std::nullopt;
}

} // namespace actorpool
