// The queue service (Queue, JoinableQueue, SimpleQueue) and the non-template
// parts of their handles.

#include "actorpool/queue.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <caf/actor_system.hpp>

#include "actorpool/detail/wire_timeout.hpp"
#include "actorpool/exceptions.hpp"
#include "base/this_process.hpp"
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

// -- queue_client: what a handle in a worker keeps
// -----------------------------

class queue_client {
public:
  explicit queue_client(uint64_t token) : token_(token) {
    // nop
  }

  queue_client(const queue_client&) = delete;

  queue_client& operator=(const queue_client&) = delete;

  /// Gives the items sent ahead and not taken back to the queue.
  ~queue_client();

  uint64_t token() const noexcept {
    return token_;
  }

  /// Takes one credit, if there is one: the put may be sent ahead.
  bool take_credit() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (credit_ == 0)
      return false;
    --credit_;
    return true;
  }

  void set_credit(uint64_t n) {
    std::lock_guard<std::mutex> guard{mtx_};
    credit_ = n;
  }

  /// The next item sent ahead, if any, counted as taken.
  std::optional<std::string> next_ahead() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (ahead_.empty())
      return std::nullopt;
    auto item = std::move(ahead_.front());
    ahead_.pop_front();
    ++taken_;
    return item;
  }

  uint64_t held() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return ahead_.size();
  }

  /// The `want` and `taken` of the next `get_ahead` (resets `taken`): a
  /// consumer that keeps calling gets up to twice as many each time.
  std::pair<uint64_t, uint64_t> next_request() {
    std::lock_guard<std::mutex> guard{mtx_};
    auto want = want_;
    want_ = std::min(want_ * 2, max_get_ahead);
    return {want, std::exchange(taken_, 0)};
  }

  /// Keeps the items of `batch` after the first, sent ahead by `service`.
  void hold(uint64_t service, std::vector<std::string>& batch) {
    if (batch.size() < 2)
      return;
    std::lock_guard<std::mutex> guard{mtx_};
    service_ = service;
    for (auto i = batch.begin() + 1; i != batch.end(); ++i)
      ahead_.push_back(std::move(*i));
  }

  /// Held while a `get_ahead` is under way: one at a time per handle.
  std::mutex getting;

private:
  const uint64_t token_;
  mutable std::mutex mtx_;
  uint64_t credit_ = 0;
  std::deque<std::string> ahead_;
  uint64_t taken_ = 0;
  uint64_t want_ = 1;
  /// Set once items were sent ahead: the service to give them back to.
  uint64_t service_ = 0;
};

queue_client::~queue_client() {
  if (service_ == 0 || worker_calls() == nullptr)
    return;
  try {
    cast_service(service_, op_code(queue_op::give_back),
                 encode(token_, taken_));
  } catch (...) {
    // The worker is cut off: the parent gives the items back when it
    // learns that this process is gone.
  }
}

std::shared_ptr<queue_client> make_queue_client() {
  static std::atomic<uint64_t> next_token{1};
  if (worker_calls() == nullptr)
    return nullptr;
  return std::make_shared<queue_client>(next_token++);
}

// -- handle helpers (continued) -----------------------------------------------

// In a worker, a put within the credit is sent without waiting; the round
// trip that follows the credit fetches the next one (and fails on a closed
// queue). Arguments and the item's encoding are checked here, first.
void queue_put_encoded(
  const lazy_service& svc, queue_client* client, const std::string& item,
  bool block, const std::optional<std::chrono::microseconds>& timeout) {
  auto wait = encode(queue_timeout(block, timeout));
  if (client == nullptr) {
    call_op(svc, queue_op::put, wait + item);
    return;
  }
  if (client->take_credit()) {
    cast_service(svc.id(), op_code(queue_op::put_ahead), item);
    return;
  }
  auto reply = call_op(svc, queue_op::put_with_credit, wait + item);
  client->set_credit(reply.empty() ? 0 : decode_one<uint64_t>(reply));
}

namespace {

std::string get_ahead(const lazy_service& svc, queue_client& client,
                      int64_t wait) {
  auto [want, taken] = client.next_request();
  auto reply = call_op(svc, queue_op::get_ahead,
                       encode(wait, client.token(), want, taken));
  auto batch = decode_one<std::vector<std::string>>(reply);
  if (batch.empty())
    throw_error(make_error(errc::protocol_error,
                           std::string{"get_ahead answered no item"}));
  client.hold(svc.id(), batch);
  return std::move(batch.front());
}

} // namespace

// In a worker, items sent ahead come first; one thread of the handle at a
// time asks for more, the others make plain gets meanwhile.
std::string
queue_get_encoded(const lazy_service& svc, queue_client* client, bool block,
                  const std::optional<std::chrono::microseconds>& timeout) {
  auto wait = queue_timeout(block, timeout);
  if (client == nullptr)
    return call_op(svc, queue_op::get, encode(wait));
  if (auto x = client->next_ahead())
    return std::move(*x);
  std::unique_lock<std::mutex> one{client->getting, std::try_to_lock};
  if (!one)
    return call_op(svc, queue_op::get, encode(wait));
  if (auto x = client->next_ahead())
    return std::move(*x);
  return get_ahead(svc, *client, wait);
}

uint64_t queue_qsize(const lazy_service& svc, queue_client* client) {
  auto n = call_op_as<uint64_t>(svc, queue_op::qsize);
  return client != nullptr ? n + client->held() : n;
}

bool queue_empty(const lazy_service& svc, queue_client* client) {
  if (client != nullptr && client->held() > 0)
    return false;
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
    case queue_op::put_with_credit:
      return put_with_credit(c, payload);
    case queue_op::put_ahead:
      put_ahead(payload);
      return encode();
    case queue_op::get_ahead:
      return get_ahead(c, payload);
    case queue_op::give_back:
      give_back(c, payload);
      return encode();
  }
  return fail(errc::protocol_error, "unknown queue operation");
}

void queue_state::accept(std::string item) {
  if (cfg_.joinable)
    ++unfinished_;
  items_.push_back(std::move(item));
  serve_getters();
}

namespace {

/// What a list adds to its items in a reply, at most: its length and the
/// length of each item (varints).
constexpr size_t list_overhead = 10;

/// `c` as the caller of a `get_ahead`, whose item travels in a list.
client_id listed_client(client_id c) {
  c.max_reply = c.max_reply > 2 * list_overhead
                  ? c.max_reply - 2 * list_overhead
                  : 0;
  return c;
}

/// The reply to a waiting call: the item, or a list of it.
std::string reply_with(std::string item, bool listed) {
  if (!listed)
    return item;
  return encode(std::vector<std::string>{std::move(item)});
}

} // namespace

// A waiting getter that cannot receive the item (see `check_fits`) would
// find it first in line again: its call fails, and the next one gets it.
void queue_state::serve_getters() {
  while (!getters_.empty() && !items_.empty()) {
    auto w = std::move(getters_.front());
    getters_.pop_front();
    auto c = w.listed ? listed_client(w.client) : w.client;
    if (auto err = check_fits(c, items_.front())) {
      w.rp.deliver(err);
      continue;
    }
    auto item = std::move(items_.front());
    items_.pop_front();
    w.rp.deliver(reply_with(std::move(item), w.listed));
  }
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
    return take_first();
  }
  if (closed_)
    return fail(errc::end_of_file, "the queue is closed and empty");
  if (wait == 0)
    return fail(errc::empty, "the queue is empty");
  return wait_in(getters_, c, wait);
}

std::string queue_state::take_first() {
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

service_result queue_state::put_with_credit(client_id c,
                                            const std::string& payload) {
  auto result = put(c, payload);
  if (result.flag != caf::rt_value)
    return result;
  return encode(cfg_.maxsize == 0 ? put_credit : uint64_t{0});
}

void queue_state::put_ahead(const std::string& payload) {
  if (!closed_)
    accept(payload);
}

service_result queue_state::get_ahead(client_id c, const std::string& payload) {
  decoder src{payload};
  auto [wait, token, want, taken] = take<int64_t, uint64_t, uint64_t, uint64_t>(
    src);
  acknowledge(c.pid, token, taken);
  auto listed = listed_client(c);
  if (items_.empty()) {
    auto result = get(c, encode(wait));
    if (result.flag == caf::rt_delegated && !getters_.empty())
      getters_.back().listed = true;
    return result;
  }
  if (auto err = check_fits(listed, items_.front()))
    return err;
  std::vector<std::string> out;
  out.push_back(take_first());
  for (auto& x : send_ahead(listed, want, out.front().size()))
    out.push_back(std::move(x));
  if (out.size() > 1)
    remember_ahead(c.pid, token, out);
  return encode(out);
}

std::vector<std::string> queue_state::send_ahead(client_id c, uint64_t want,
                                                 size_t used) {
  std::vector<std::string> out;
  if (cfg_.maxsize != 0 || want < 2)
    return out;
  auto n = std::min<uint64_t>({want - 1, max_get_ahead - 1, items_.size() / 2});
  while (out.size() < n
         && used + items_.front().size() + list_overhead <= c.max_reply) {
    used += items_.front().size() + list_overhead;
    out.push_back(take_first());
  }
  return out;
}

void queue_state::remember_ahead(int32_t pid, uint64_t token,
                                 const std::vector<std::string>& sent) {
  auto& held = ahead_[{pid, token}];
  held.insert(held.end(), sent.begin() + 1, sent.end());
}

void queue_state::acknowledge(int32_t pid, uint64_t token, uint64_t taken) {
  auto i = ahead_.find({pid, token});
  if (i == ahead_.end())
    return;
  auto& held = i->second;
  held.erase(held.begin(), held.begin()
                             + static_cast<std::ptrdiff_t>(
                               std::min<uint64_t>(taken, held.size())));
  if (held.empty())
    ahead_.erase(i);
}

void queue_state::give_back(client_id c, const std::string& payload) {
  decoder src{payload};
  auto [token, taken] = take<uint64_t, uint64_t>(src);
  acknowledge(c.pid, token, taken);
  auto i = ahead_.find({c.pid, token});
  if (i == ahead_.end())
    return;
  auto held = std::move(i->second);
  ahead_.erase(i);
  put_back(std::move(held));
}

void queue_state::put_back(std::deque<std::string> items) {
  for (auto i = items.rbegin(); i != items.rend(); ++i)
    items_.push_front(std::move(*i));
  serve_getters();
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
  for (auto i = ahead_.begin(); i != ahead_.end();) {
    if (i->first.first != pid) {
      ++i;
      continue;
    }
    auto held = std::move(i->second);
    i = ahead_.erase(i);
    put_back(std::move(held));
  }
}

void queue_state::on_exit() {
  close();
  answer_all(joiners_, fail(errc::end_of_file, "the queue was shut down"));
}

caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg) {
  return spawn_service<queue_state>(sys, cfg);
}

} // namespace actorpool::detail
