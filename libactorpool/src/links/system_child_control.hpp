#pragma once

#include <caf/fwd.hpp>

#include "links/child_supervisor.hpp"

namespace actorpool::detail {

/// `child_control` for real child processes supervised by actor `self`:
/// `waitpid`, `kill`, the steady clock, and timers as delayed
/// `(child_timer_atom, uint8_t timer, uint64_t key)` messages to `self`.
class system_child_control : public child_control {
public:
  explicit system_child_control(caf::event_based_actor* self);

  std::optional<exit_status> reap(int pid) override;

  exit_status reap_blocking(int pid) override;

  void signal(int pid, int sig) override;

  std::chrono::steady_clock::time_point now() const override;

  void schedule(uint64_t key, std::chrono::milliseconds delay,
                child_timer t) override;

private:
  caf::event_based_actor* self_;
};

} // namespace actorpool::detail
