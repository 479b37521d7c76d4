#pragma once

// What the states of the service actors build on: calls that wait (answered
// later through response promises, timed out by timer messages to the
// actor itself), and the hooks `service_behavior` calls.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actorpool/detail/service.hpp"
#include "actorpool/detail/wire_timeout.hpp"
#include "base/atoms.hpp"

namespace actorpool::detail {

/// The reply of a call that is answered later.
using reply_promise = caf::typed_response_promise<std::string>;

/// A call that waits: answered through `rp`, timed out by timer `id`.
/// Services that need more per waiter derive from it.
struct waiter {
  uint64_t id = 0;
  client_id client;
  reply_promise rp;
};

/// Removes the waiter with timer `id` from `line` and returns it, if there.
template <class Line>
std::optional<typename Line::value_type> take_waiter(Line& line, uint64_t id) {
  auto i = std::find_if(line.begin(), line.end(),
                        [id](const auto& w) { return w.id == id; });
  if (i == line.end())
    return std::nullopt;
  auto w = std::move(*i);
  line.erase(i);
  return w;
}

/// Answers the waiters of process `pid` in `line` with `err` (nobody reads
/// it: the process is gone) and removes them; the others keep their order.
template <class Line>
void drop_waiters_of(Line& line, int32_t pid, const caf::error& err) {
  auto i = std::stable_partition(line.begin(), line.end(),
                                 [pid](const auto& w) {
                                   return w.client.pid != pid;
                                 });
  for (auto j = i; j != line.end(); ++j)
    j->rp.deliver(err);
  line.erase(i, line.end());
}

/// Answers every waiter of `line` with `x` (a payload or an error), oldest
/// first, and empties it.
template <class Line, class T>
void answer_all(Line& line, const T& x) {
  auto tmp = std::move(line);
  line.clear();
  for (auto& w : tmp)
    w.rp.deliver(x);
}

/// The base of every service's state: the actor it belongs to, the ids of
/// its waiters, and the hooks of `service_behavior`, which do nothing here
/// (right for services that answer every call at once); a state hides the
/// ones it needs.
class service_state {
public:
  /// Called first by `spawn_service`; states taking arguments hide it.
  void init(caf::event_based_actor* self) noexcept {
    attach(self);
  }

  /// Process `pid` is gone: release what it held, drop its waiting calls.
  void on_client_down(int32_t) {
    // nop
  }

  /// The timer of waiter `id` fired.
  void on_timer(uint64_t) {
    // nop
  }

  /// The service stops: answer every waiting call with an error.
  void on_exit() {
    // nop
  }

protected:
  void attach(caf::event_based_actor* self) noexcept {
    self_ = self;
  }

  /// A waiter for the call being handled by client `c`, with a timer of
  /// `timeout_ns` nanoseconds unless that is `wait_forever`.
  template <class Waiter = waiter>
  Waiter make_waiter(client_id c, int64_t timeout_ns) {
    Waiter w;
    w.id = next_id_++;
    w.client = c;
    w.rp = self_->make_response_promise<std::string>();
    start_timer(timeout_ns, w.id);
    return w;
  }

  /// Sends `(timer_atom, id)` to the actor itself after `ns` nanoseconds,
  /// unless `ns` is `wait_forever`.
  void start_timer(int64_t ns, uint64_t id) {
    if (ns >= 0)
      self_->delayed_send(self_, std::chrono::nanoseconds{ns},
                          timer_atom::value, id);
  }

  caf::event_based_actor* self_ = nullptr;

private:
  uint64_t next_id_ = 1;
};

} // namespace actorpool::detail
