#include "actorpool/condition.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "services/sync/lock_service.hpp"

namespace actorpool {

namespace detail {

// -- mutex_state: the condition part of the lock's service --------------------

service_result mutex_state::wait(client_id c, uint64_t cond, int64_t timeout) {
  if (!owned_by(c))
    return state_failure("cannot wait on un-acquired lock");
  // Timed out at once (0): no timer, straight back to the lock's queue.
  auto w = make_waiter<mutex_waiter>(c, timeout == 0 ? wait_forever : timeout);
  w.count = count_;
  w.reacquire = true;
  owner_.reset();
  count_ = 0;
  auto rp = w.rp;
  if (timeout == 0)
    queue_.push_back(std::move(w));
  else
    conditions_[cond].push_back(std::move(w));
  grant_waiters();
  return rp;
}

service_result mutex_state::notify(client_id c, uint64_t cond, uint32_t n) {
  if (!owned_by(c))
    return state_failure("cannot notify on un-acquired lock");
  auto i = conditions_.find(cond);
  if (i == conditions_.end())
    return encode();
  auto& q = i->second;
  for (; n > 0 && !q.empty(); --n) {
    q.front().notified = true;
    queue_.push_back(std::move(q.front())); // the notifier holds the lock
    q.pop_front();
  }
  if (q.empty())
    conditions_.erase(i);
  return encode();
}

bool mutex_state::time_out_condition_waiter(uint64_t id) {
  for (auto i = conditions_.begin(); i != conditions_.end(); ++i) {
    auto& q = i->second;
    auto j = std::find_if(q.begin(), q.end(),
                          [id](const mutex_waiter& w) { return w.id == id; });
    if (j == q.end())
      continue;
    j->notified = false;
    queue_.push_back(std::move(*j));
    q.erase(j);
    if (q.empty())
      conditions_.erase(i);
    return true;
  }
  return false;
}

} // namespace detail

// -- condition: the handle ----------------------------------------------------

namespace {

// Unique among the conditions on one lock: conditions are made in any
// process, so the pid is part of the id.
uint64_t next_condition_id() {
  static std::atomic<uint32_t> counter{0};
  return (static_cast<uint64_t>(getpid()) << 32) | ++counter;
}

} // namespace

condition::condition() : condition(rlock{}) {
  // nop
}

condition::condition(const lock& l)
  : acquirable(l.service()), cond_(next_condition_id()) {
  // nop
}

condition::condition(const rlock& l)
  : acquirable(l.service()), cond_(next_condition_id()) {
  // nop
}

bool condition::wait_ns(int64_t timeout_ns) {
  auto bits = detail::call_op_as<uint8_t>(service(), detail::mutex_op::wait,
                                          cond_, timeout_ns);
  set_owner_died((bits & 2) != 0);
  return (bits & 1) != 0;
}

void condition::notify(uint32_t n) {
  detail::call_op(service(), detail::mutex_op::notify,
                  detail::encode(cond_, n));
}

} // namespace actorpool
