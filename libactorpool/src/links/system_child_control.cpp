#include "links/system_child_control.hpp"

#include <caf/event_based_actor.hpp>

#include "base/atoms.hpp"

namespace actorpool::detail {

system_child_control::system_child_control(caf::event_based_actor* self)
  : self_(self) {
  // nop
}

std::optional<exit_status> system_child_control::reap(int pid) {
  return try_reap(pid);
}

exit_status system_child_control::reap_blocking(int pid) {
  return detail::reap_blocking(pid);
}

void system_child_control::signal(int pid, int sig) {
  signal_process(pid, sig);
}

std::chrono::steady_clock::time_point system_child_control::now() const {
  return std::chrono::steady_clock::now();
}

void system_child_control::schedule(uint64_t key,
                                    std::chrono::milliseconds delay,
                                    child_timer t) {
  self_->delayed_send(self_, delay, child_timer_atom::value,
                      static_cast<uint8_t>(t), key);
}

} // namespace actorpool::detail
