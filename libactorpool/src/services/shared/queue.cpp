// The queue service (Queue, JoinableQueue, SimpleQueue) and the non-template
// parts of their handles.

#include "actorpool/queue.hpp"

#include <caf/actor_system.hpp>

#include "actorpool/detail/wire_timeout.hpp"
#include "actorpool/exceptions.hpp"
#include "services/shared/queue_service.hpp"

namespace actorpool::detail {

// -- handle helpers -----------------------------------------------------------

int64_t queue_timeout(bool block,
                      const std::optional<std::chrono::microseconds>& timeout) {
  if (!block)
    return 0;
  if (timeout && timeout->count() < 0)
    throw bad_argument(errc::invalid_argument,
                       "actorpool::invalid_argument: 'timeout' must be a "
                       "non-negative duration");
  return wire_timeout(timeout);
}

lazy_service make_queue_service(uint64_t maxsize, bool joinable) {
  return lazy_service{
    [cfg = queue_config{maxsize, joinable}](caf::actor_system& sys) {
      return spawn_queue_service(sys, cfg);
    }};
}

void queue_put_encoded(
  const lazy_service& svc, const std::string& item, bool block,
  const std::optional<std::chrono::microseconds>& timeout) {
  call_op(svc, queue_op::put, encode(queue_timeout(block, timeout)) + item);
}

std::string
queue_get_encoded(const lazy_service& svc, bool block,
                  const std::optional<std::chrono::microseconds>& timeout) {
  return call_op(svc, queue_op::get, encode(queue_timeout(block, timeout)));
}

uint64_t queue_qsize(const lazy_service& svc) {
  return call_op_as<uint64_t>(svc, queue_op::qsize);
}

bool queue_empty(const lazy_service& svc) {
  return call_op_as<bool>(svc, queue_op::empty);
}

bool queue_full(const lazy_service& svc) {
  return call_op_as<bool>(svc, queue_op::full);
}

void queue_close(const lazy_service& svc) {
  call_op(svc, queue_op::close);
}

void queue_task_done(const lazy_service& svc) {
  call_op(svc, queue_op::task_done);
}

void queue_join(const lazy_service& svc) {
  call_op(svc, queue_op::join);
}

// -- queue_state: the service -------------------------------------------------

service_result queue_state::on_call(client_id c, uint8_t op,
                                    const std::string& payload) {
  switch (static_cast<queue_op>(op)) {
    case queue_op::put:
      return put(c, payload);
    case queue_op::get:
      return get(c, payload);
    case queue_op::qsize:
      return encode(static_cast<uint64_t>(items_.size()));
    case queue_op::empty:
      return encode(items_.empty());
    case queue_op::full:
      return encode(!has_room());
    case queue_op::close:
      close();
      return encode();
    case queue_op::task_done:
      return task_done();
    case queue_op::join:
      return join(c);
  }
  return fail(errc::protocol_error, "unknown queue operation");
}

// A waiting getter that cannot receive the item (see `check_fits`) would
// find it first in line again: its call fails, and the next one gets it.
void queue_state::accept(std::string item) {
  if (cfg_.joinable)
    ++unfinished_;
  while (!getters_.empty()) {
    auto w = std::move(getters_.front());
    getters_.pop_front();
    if (auto err = check_fits(w.client, item)) {
      w.rp.deliver(err);
      continue;
    }
    w.rp.deliver(std::move(item));
    return;
  }
  items_.push_back(std::move(item));
}

service_result queue_state::wait_in(std::deque<queue_waiter>& line, client_id c,
                                    int64_t wait, std::string item) {
  line.push_back(make_waiter<queue_waiter>(c, wait));
  line.back().item = std::move(item);
  return line.back().rp;
}

service_result queue_state::put(client_id c, const std::string& payload) {
  int64_t wait = 0;
  decoder src{payload};
  src.read(wait);
  auto item = rest_of(payload, src);
  if (closed_)
    return fail(errc::end_of_file, "the queue is closed");
  if (has_room()) {
    accept(std::move(item));
    return encode();
  }
  if (wait == 0)
    return fail(errc::full, "the queue is full");
  return wait_in(putters_, c, wait, std::move(item));
}

service_result queue_state::get(client_id c, const std::string& payload) {
  auto wait = decode_one<int64_t>(payload);
  if (!items_.empty()) {
    if (auto err = check_fits(c, items_.front()))
      return err;
    auto item = std::move(items_.front());
    items_.pop_front();
    if (!putters_.empty()) {
      auto w = std::move(putters_.front());
      putters_.pop_front();
      accept(std::move(w.item));
      w.rp.deliver(encode());
    }
    return item;
  }
  if (closed_)
    return fail(errc::end_of_file, "the queue is closed and empty");
  if (wait == 0)
    return fail(errc::empty, "the queue is empty");
  return wait_in(getters_, c, wait);
}

void queue_state::close() {
  closed_ = true;
  answer_all(getters_, fail(errc::end_of_file, "the queue was closed"));
  answer_all(putters_, fail(errc::end_of_file, "the queue was closed"));
}

service_result queue_state::task_done() {
  if (!cfg_.joinable)
    return state_failure("task_done() on a queue that is not joinable");
  if (unfinished_ == 0)
    return state_failure("task_done() called too many times");
  if (--unfinished_ == 0)
    answer_all(joiners_, encode());
  return encode();
}

service_result queue_state::join(client_id c) {
  if (!cfg_.joinable)
    return state_failure("join() on a queue that is not joinable");
  if (unfinished_ == 0)
    return encode();
  joiners_.push_back(make_waiter(c, wait_forever));
  return joiners_.back().rp;
}

void queue_state::on_timer(uint64_t id) {
  if (auto w = take_waiter(getters_, id))
    w->rp.deliver(fail(errc::empty, "get() timed out: the queue is empty"));
  else if (auto w = take_waiter(putters_, id))
    w->rp.deliver(fail(errc::full, "put() timed out: the queue is full"));
}

void queue_state::on_client_down(int32_t pid) {
  auto gone = fail(errc::end_of_file, "the calling process is gone");
  drop_waiters_of(getters_, pid, gone);
  drop_waiters_of(putters_, pid, gone);
  drop_waiters_of(joiners_, pid, gone);
}

void queue_state::on_exit() {
  close();
  answer_all(joiners_, fail(errc::end_of_file, "the queue was shut down"));
}

caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg) {
  return spawn_service<queue_state>(sys, cfg);
}

} // namespace actorpool::detail
