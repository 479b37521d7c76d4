#include "links/child_supervisor.hpp"

#include <signal.h>

#include <algorithm>

namespace actorpool::detail {

child_control::~child_control() {
  // nop
}

child_supervisor::child_supervisor(uint64_t key, int pid,
                                   std::chrono::milliseconds linger,
                                   child_control& ctl)
  : key_(key), pid_(pid), linger_(linger), ctl_(ctl) {
  // nop
}

std::string child_supervisor::check_hello(const hello_msg& msg) const {
  if (msg.version == protocol_version && msg.pid == pid_)
    return {};
  return "bad hello (protocol version " + std::to_string(msg.version) + ", pid "
         + std::to_string(msg.pid) + ")";
}

void child_supervisor::stop() {
  if (reaped_)
    return;
  ctl_.signal(pid_, SIGTERM);
  ctl_.schedule(key_, linger_, child_timer::kill);
}

void child_supervisor::kill() {
  if (!reaped_)
    ctl_.signal(pid_, SIGKILL);
}

std::optional<exit_status> child_supervisor::closed() {
  if (reaped_ || closed_)
    return std::nullopt;
  closed_ = true;
  closed_at_ = ctl_.now();
  return try_reap();
}

std::optional<exit_status> child_supervisor::on_timer(child_timer t) {
  if (t == child_timer::kill) {
    kill();
    return std::nullopt;
  }
  return reaped_ ? std::nullopt : try_reap();
}

// The socket closed but the process may linger: it gets the linger, then
// SIGKILL (a child whose connection is gone is of no use).
std::optional<exit_status> child_supervisor::try_reap() {
  if (auto st = ctl_.reap(pid_)) {
    reaped_ = true;
    return st;
  }
  if (ctl_.now() - closed_at_ > linger_)
    ctl_.signal(pid_, SIGKILL);
  ctl_.schedule(key_, reap_delay(reap_attempts_++), child_timer::reap);
  return std::nullopt;
}

exit_status child_supervisor::wait() {
  if (reaped_)
    return exit_status{0, false};
  reaped_ = true;
  return ctl_.reap_blocking(pid_);
}

std::chrono::milliseconds child_supervisor::reap_delay(unsigned n) {
  return std::chrono::milliseconds{1u << std::min(n, 6u)};
}

} // namespace actorpool::detail
