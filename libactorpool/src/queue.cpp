// The queue service (Queue, JoinableQueue, SimpleQueue) and the non-template
// parts of the handles, including `lazy_service`, which every handle of the
// queue, pipe and manager services shares.

#include "actorpool/queue.hpp"

#include <algorithm>
#include <deque>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "internal/atoms.hpp"
#include "internal/queue_service.hpp"
#include "internal/worker_runtime.hpp"

namespace actorpool::detail {

// -- lazy_service
// --------------------------------------------------------------

bool in_worker_process() noexcept {
  return worker_calls() != nullptr;
}

lazy_service::lazy_service(service_factory factory, uint64_t arg)
  : st_(std::make_shared<state>()) {
  st_->factory = factory;
  st_->arg = arg;
}

lazy_service lazy_service::attach(service_handle owner) {
  lazy_service result;
  result.st_ = std::make_shared<state>();
  result.st_->id = owner.id();
  result.st_->owner = std::move(owner);
  return result;
}

lazy_service lazy_service::from_id(uint64_t id) {
  lazy_service result;
  if (id != 0) {
    result.st_ = std::make_shared<state>();
    result.st_->id = id;
  }
  return result;
}

uint64_t lazy_service::id() const {
  if (!st_)
    throw state_error(errc::invalid_state,
                      "actorpool::invalid_state: empty handle");
  if (st_->factory)
    std::call_once(st_->once, [this] { create(*st_); });
  return st_->id;
}

caf::error lazy_service::save(uint64_t& id) const noexcept {
  try {
    id = valid() ? this->id() : 0;
    return caf::none;
  } catch (const std::exception& e) {
    return make_error(errc::encoding_failed, std::string{e.what()});
  }
}

void lazy_service::create(state& st) {
  if (in_worker_process())
    throw state_error(errc::invalid_state,
                      "actorpool::invalid_state: queues, pipes and managed "
                      "objects are created in the main process; create it "
                      "there and pass it to the task");
  st.owner = st.factory(st.arg);
  st.id = st.owner.id();
}

// -- handle helpers
// -------------------------------------------------------------

int64_t wait_micros(bool block,
                    const std::optional<std::chrono::microseconds>& timeout) {
  if (!block)
    return 0;
  if (!timeout)
    return -1;
  if (timeout->count() < 0)
    throw bad_argument(errc::invalid_argument,
                       "actorpool::invalid_argument: 'timeout' must be a "
                       "non-negative duration");
  return static_cast<int64_t>(timeout->count());
}

void queue_put_encoded(const lazy_service& svc, const std::string& item,
                       int64_t wait) {
  std::string payload;
  encode_into(payload, wait);
  payload += item;
  svc.call(queue_ops::put, std::move(payload));
}

std::string queue_get_encoded(const lazy_service& svc, int64_t wait) {
  std::string payload;
  encode_into(payload, wait);
  return svc.call(queue_ops::get, std::move(payload));
}

namespace {

service_handle make_service(queue_config cfg) {
  auto& sys = default_system();
  auto hdl = spawn_queue_service(sys, cfg);
  track_actor(sys, hdl);
  return service_handle{std::move(hdl)};
}

} // namespace

service_handle make_queue_service(uint64_t maxsize) {
  return make_service(queue_config{maxsize, false});
}

service_handle make_joinable_queue_service(uint64_t maxsize) {
  return make_service(queue_config{maxsize, true});
}

// -- the service
// ----------------------------------------------------------------

namespace {

using promise = caf::typed_response_promise<std::string>;

/// A call waiting for an item, for room, or (in joiners) for `join`.
struct waiter {
  uint64_t id;
  int32_t pid;
  promise rp;
  std::string item; // blocked puts only
};

struct queue_state {
  queue_config cfg;
  std::deque<std::string> items;
  std::deque<waiter> getters; // non-empty only while `items` is empty
  std::deque<waiter> putters; // non-empty only while the queue is full
  std::vector<waiter> joiners;
  uint64_t unfinished = 0;
  uint64_t next_id = 1;
  bool closed = false;
  static inline const char* name = "actorpool.queue";
};

using queue_actor = caf::stateful_actor<queue_state>;

using reply = caf::result<std::string>;

caf::error fail(errc code, const char* text) {
  return make_error(code, std::string{text});
}

bool has_room(const queue_state& st) {
  return st.cfg.maxsize == 0 || st.items.size() < st.cfg.maxsize;
}

// An accepted item goes to the first waiting getter or to the end.
void accept(queue_state& st, std::string item) {
  if (st.cfg.joinable)
    ++st.unfinished;
  if (st.getters.empty()) {
    st.items.push_back(std::move(item));
    return;
  }
  auto rp = std::move(st.getters.front().rp);
  st.getters.pop_front();
  rp.deliver(std::move(item));
}

promise wait_in(queue_actor* self, std::deque<waiter>& line, int32_t pid,
                int64_t wait, std::string item = {}) {
  auto& st = self->state;
  auto id = st.next_id++;
  auto rp = self->make_response_promise<std::string>();
  line.push_back(waiter{id, pid, rp, std::move(item)});
  if (wait > 0)
    self->delayed_send(self, std::chrono::microseconds{wait}, timer_atom::value,
                       id);
  return rp;
}

reply on_put(queue_actor* self, int32_t pid, const std::string& payload) {
  auto& st = self->state;
  int64_t wait = 0;
  decoder src{payload};
  src.read(wait);
  auto item = payload.substr(payload.size() - src.remaining());
  if (st.closed)
    return fail(errc::end_of_file, "the queue is closed");
  if (has_room(st)) {
    accept(st, std::move(item));
    return std::string{};
  }
  if (wait == 0)
    return fail(errc::full, "the queue is full");
  return wait_in(self, st.putters, pid, wait, std::move(item));
}

reply on_get(queue_actor* self, int32_t pid, const std::string& payload) {
  auto& st = self->state;
  auto wait = decode_one<int64_t>(payload);
  if (!st.items.empty()) {
    auto item = std::move(st.items.front());
    st.items.pop_front();
    if (!st.putters.empty()) {
      auto w = std::move(st.putters.front());
      st.putters.pop_front();
      accept(st, std::move(w.item));
      w.rp.deliver(std::string{});
    }
    return item;
  }
  if (st.closed)
    return fail(errc::end_of_file, "the queue is closed and empty");
  if (wait == 0)
    return fail(errc::empty, "the queue is empty");
  return wait_in(self, st.getters, pid, wait);
}

void fail_all(std::deque<waiter>& line, const caf::error& err) {
  auto tmp = std::move(line);
  line.clear();
  for (auto& w : tmp)
    w.rp.deliver(err);
}

void on_close(queue_state& st) {
  st.closed = true;
  fail_all(st.getters, fail(errc::end_of_file, "the queue was closed"));
  fail_all(st.putters, fail(errc::end_of_file, "the queue was closed"));
}

reply on_task_done(queue_state& st) {
  if (!st.cfg.joinable)
    return fail(errc::invalid_state, "task_done() on a queue that is not "
                                     "joinable");
  if (st.unfinished == 0)
    return fail(errc::invalid_state, "task_done() called too many times");
  if (--st.unfinished == 0) {
    auto joiners = std::move(st.joiners);
    st.joiners.clear();
    for (auto& w : joiners)
      w.rp.deliver(std::string{});
  }
  return std::string{};
}

reply on_join(queue_actor* self, int32_t pid) {
  auto& st = self->state;
  if (!st.cfg.joinable)
    return fail(errc::invalid_state, "join() on a queue that is not joinable");
  if (st.unfinished == 0)
    return std::string{};
  auto rp = self->make_response_promise<std::string>();
  st.joiners.push_back(waiter{0, pid, rp, {}});
  return rp;
}

template <class T>
std::string encoded(T x) {
  std::string out;
  encode_into(out, x);
  return out;
}

reply dispatch(queue_actor* self, int32_t pid, uint8_t op,
               const std::string& payload) {
  auto& st = self->state;
  switch (op) {
    case queue_ops::put:
      return on_put(self, pid, payload);
    case queue_ops::get:
      return on_get(self, pid, payload);
    case queue_ops::qsize:
      return encoded(static_cast<uint64_t>(st.items.size()));
    case queue_ops::empty:
      return encoded(st.items.empty());
    case queue_ops::full:
      return encoded(!has_room(st));
    case queue_ops::close:
      on_close(st);
      return std::string{};
    case queue_ops::task_done:
      return on_task_done(st);
    case queue_ops::join:
      return on_join(self, pid);
    default:
      return fail(errc::protocol_error, "unknown queue operation");
  }
}

// A timed `get` or `put` ran out of time, unless it was answered before.
void on_timer(queue_state& st, uint64_t id) {
  auto expire = [id](std::deque<waiter>& line, errc code, const char* text) {
    auto i = std::find_if(line.begin(), line.end(),
                          [id](const waiter& w) { return w.id == id; });
    if (i == line.end())
      return;
    auto rp = std::move(i->rp);
    line.erase(i);
    rp.deliver(fail(code, text));
  };
  expire(st.getters, errc::empty, "get() timed out: the queue is empty");
  expire(st.putters, errc::full, "put() timed out: the queue is full");
}

// Forgets the waiting calls of a dead process; nobody reads the answers.
void on_client_down(queue_state& st, int32_t pid) {
  auto gone = fail(errc::end_of_file, "the calling process is gone");
  auto drop = [&](auto& line) {
    auto i = std::stable_partition(line.begin(), line.end(),
                                   [pid](const waiter& w) {
                                     return w.pid != pid;
                                   });
    for (auto j = i; j != line.end(); ++j)
      j->rp.deliver(gone);
    line.erase(i, line.end());
  };
  drop(st.getters);
  drop(st.putters);
  drop(st.joiners);
}

caf::behavior queue_service(queue_actor* self, queue_config cfg) {
  self->state.cfg = cfg;
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    on_close(st);
    auto err = fail(errc::end_of_file, "the queue was shut down");
    for (auto& w : st.joiners)
      w.rp.deliver(err);
    st.joiners.clear();
    self->quit(msg.reason);
  });
  return {
    [self](service_atom, int32_t pid, uint64_t, uint8_t op,
           const std::string& payload) -> reply {
      try {
        return dispatch(self, pid, op, payload);
      } catch (const codec_failure& e) {
        return make_error(e.code(), std::string{e.what()});
      }
    },
    [self](client_down_atom, int32_t pid) { on_client_down(self->state, pid); },
    [self](timer_atom, uint64_t id) { on_timer(self->state, id); },
  };
}

} // namespace

caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg) {
  return sys.spawn(queue_service, cfg);
}

} // namespace actorpool::detail
