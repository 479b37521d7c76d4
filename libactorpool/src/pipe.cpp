// The pipe service: two ends, each with the items sent to it, its waiting
// `recv` and `poll` calls, and the process that used it last.

#include "actorpool/pipe.hpp"

#include <algorithm>
#include <deque>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actorpool/runtime.hpp"
#include "internal/atoms.hpp"
#include "internal/pipe_service.hpp"

namespace actorpool::detail {

// -- handle helpers
// -------------------------------------------------------------

service_handle make_pipe_service(uint64_t duplex) {
  auto& sys = default_system();
  auto hdl = spawn_pipe_service(sys, duplex != 0);
  track_actor(sys, hdl);
  return service_handle{std::move(hdl)};
}

void pipe_send_encoded(const lazy_service& svc, uint8_t end,
                       const std::string& item) {
  std::string payload;
  encode_into(payload, end);
  payload += item;
  svc.call(pipe_ops::send, std::move(payload));
}

std::string pipe_recv_encoded(const lazy_service& svc, uint8_t end) {
  std::string payload;
  encode_into(payload, end);
  return svc.call(pipe_ops::recv, std::move(payload));
}

bool pipe_poll(const lazy_service& svc, uint8_t end,
               const std::optional<std::chrono::microseconds>& timeout) {
  int64_t wait = -1;
  if (timeout)
    wait = std::max<int64_t>(0, timeout->count());
  return svc.call_as<bool>(pipe_ops::poll, end, wait);
}

void pipe_close(const lazy_service& svc, uint8_t end) {
  svc.call_as<void>(pipe_ops::close, end);
}

// -- the service
// ----------------------------------------------------------------

namespace {

using promise = caf::typed_response_promise<std::string>;

struct waiter {
  uint64_t id;
  int32_t pid;
  promise rp;
};

struct end_state {
  std::deque<std::string> inbox; // sent to this end, not yet received
  std::deque<waiter> receivers; // non-empty only while `inbox` is
  std::deque<waiter> pollers; // likewise
  int32_t last_user = 0;
  bool closed = false;
  bool readable = true;
  bool writable = true;
};

struct pipe_state {
  end_state ends[2];
  uint64_t next_id = 1;
  static inline const char* name = "actorpool.pipe";
};

using pipe_actor = caf::stateful_actor<pipe_state>;

using reply = caf::result<std::string>;

caf::error fail(errc code, const std::string& text) {
  return make_error(code, text);
}

template <class T>
std::string encoded(T x) {
  std::string out;
  encode_into(out, x);
  return out;
}

void answer_all(std::deque<waiter>& line, const caf::error& err) {
  auto tmp = std::move(line);
  line.clear();
  for (auto& w : tmp)
    w.rp.deliver(err);
}

void answer_all(std::deque<waiter>& line, bool ready) {
  auto tmp = std::move(line);
  line.clear();
  for (auto& w : tmp)
    w.rp.deliver(encoded(ready));
}

// Closes end `e`: its own waiting calls fail, items sent to it are dropped,
// and the other end's waiting calls learn of the EOF (they only wait while
// nothing is left to read).
void close_end(pipe_state& st, int e, const std::string& why) {
  auto& me = st.ends[e];
  auto& peer = st.ends[1 - e];
  if (me.closed)
    return;
  me.closed = true;
  me.inbox.clear();
  answer_all(me.receivers, fail(errc::end_of_file, "the connection is "
                                                   "closed"));
  answer_all(me.pollers, fail(errc::end_of_file, "the connection is closed"));
  answer_all(peer.receivers, fail(errc::end_of_file, why));
  answer_all(peer.pollers, true);
}

// Checks that end `e` may be used in this direction and marks its user.
caf::error use(pipe_state& st, int e, int32_t pid, bool to_send) {
  auto& me = st.ends[e];
  if (me.closed)
    return fail(errc::end_of_file, "the connection is closed");
  if (to_send ? !me.writable : !me.readable)
    return fail(errc::invalid_state, to_send ? "the connection is read-only"
                                             : "the connection is "
                                               "write-only");
  me.last_user = pid;
  return caf::none;
}

reply on_send(pipe_state& st, int e, int32_t pid, std::string item) {
  if (auto err = use(st, e, pid, true))
    return err;
  auto& peer = st.ends[1 - e];
  if (peer.closed)
    return fail(errc::end_of_file, "the other end is closed");
  answer_all(peer.pollers, true);
  if (peer.receivers.empty()) {
    peer.inbox.push_back(std::move(item));
  } else {
    auto rp = std::move(peer.receivers.front().rp);
    peer.receivers.pop_front();
    rp.deliver(std::move(item));
  }
  return std::string{};
}

promise wait_in(pipe_actor* self, std::deque<waiter>& line, int32_t pid,
                int64_t wait) {
  auto id = self->state.next_id++;
  auto rp = self->make_response_promise<std::string>();
  line.push_back(waiter{id, pid, rp});
  if (wait > 0)
    self->delayed_send(self, std::chrono::microseconds{wait}, timer_atom::value,
                       id);
  return rp;
}

reply on_recv(pipe_actor* self, int e, int32_t pid) {
  auto& st = self->state;
  if (auto err = use(st, e, pid, false))
    return err;
  auto& me = st.ends[e];
  if (!me.inbox.empty()) {
    auto item = std::move(me.inbox.front());
    me.inbox.pop_front();
    return item;
  }
  if (st.ends[1 - e].closed)
    return fail(errc::end_of_file, "the other end is closed");
  return wait_in(self, me.receivers, pid, -1);
}

reply on_poll(pipe_actor* self, int e, int32_t pid, int64_t wait) {
  auto& st = self->state;
  if (auto err = use(st, e, pid, false))
    return err;
  auto& me = st.ends[e];
  if (!me.inbox.empty() || st.ends[1 - e].closed)
    return encoded(true);
  if (wait == 0)
    return encoded(false);
  return wait_in(self, me.pollers, pid, wait);
}

reply dispatch(pipe_actor* self, int32_t pid, uint8_t op,
               const std::string& payload) {
  auto& st = self->state;
  uint8_t end = 0;
  decoder src{payload};
  src.read(end);
  if (end > 1)
    return fail(errc::protocol_error, "no such end of a pipe");
  switch (op) {
    case pipe_ops::send:
      return on_send(st, end, pid,
                     payload.substr(payload.size() - src.remaining()));
    case pipe_ops::recv:
      src.expect_end();
      return on_recv(self, end, pid);
    case pipe_ops::poll: {
      int64_t wait = 0;
      src.read(wait);
      src.expect_end();
      return on_poll(self, end, pid, wait);
    }
    case pipe_ops::close:
      close_end(st, end, "the other end is closed");
      return std::string{};
    default:
      return fail(errc::protocol_error, "unknown pipe operation");
  }
}

// A timed `poll` ran out of time, unless it was answered before.
void on_timer(pipe_state& st, uint64_t id) {
  for (auto& end : st.ends) {
    auto i = std::find_if(end.pollers.begin(), end.pollers.end(),
                          [id](const waiter& w) { return w.id == id; });
    if (i != end.pollers.end()) {
      auto rp = std::move(i->rp);
      end.pollers.erase(i);
      rp.deliver(encoded(false));
      return;
    }
  }
}

void drop(std::deque<waiter>& line, int32_t pid) {
  auto gone = fail(errc::end_of_file, "the calling process is gone");
  auto i = std::stable_partition(line.begin(), line.end(),
                                 [pid](const waiter& w) {
                                   return w.pid != pid;
                                 });
  for (auto j = i; j != line.end(); ++j)
    j->rp.deliver(gone);
  line.erase(i, line.end());
}

// Forgets the dead process's waiting calls and closes the ends it used last.
void on_client_down(pipe_state& st, int32_t pid) {
  for (auto& end : st.ends) {
    drop(end.receivers, pid);
    drop(end.pollers, pid);
  }
  for (int e = 0; e < 2; ++e)
    if (st.ends[e].last_user == pid)
      close_end(st, e,
                "the other end's process (pid " + std::to_string(pid)
                  + ") is gone");
}

caf::behavior pipe_service(pipe_actor* self, bool duplex) {
  if (!duplex) {
    self->state.ends[0].writable = false;
    self->state.ends[1].readable = false;
  }
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (int e = 0; e < 2; ++e)
      close_end(self->state, e, "the pipe was shut down");
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

caf::actor spawn_pipe_service(caf::actor_system& sys, bool duplex) {
  return sys.spawn(pipe_service, duplex);
}

} // namespace actorpool::detail
