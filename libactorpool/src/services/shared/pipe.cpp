// The pipe service: two ends, each with the items sent to it, its waiting
// `recv` and `poll` calls, and the processes that use it.

#include "actorpool/pipe.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>

#include "actorpool/detail/wire_timeout.hpp"

#include "services/shared/pipe_service.hpp"

namespace actorpool::detail {

// -- handle helpers -----------------------------------------------------------

lazy_service make_pipe_service(bool duplex) {
  return lazy_service{[duplex](caf::actor_system& sys) {
    return spawn_pipe_service(sys, duplex);
  }};
}

void pipe_send_encoded(const lazy_service& svc, uint8_t end,
                       const std::string& item) {
  call_op(svc, pipe_op::send, encode(end) + item);
}

std::string pipe_recv_encoded(const lazy_service& svc, uint8_t end) {
  return call_op(svc, pipe_op::recv, encode(end));
}

bool pipe_poll(const lazy_service& svc, uint8_t end,
               const std::optional<std::chrono::microseconds>& timeout) {
  return call_op_as<bool>(svc, pipe_op::poll, end, wire_timeout(timeout));
}

void pipe_close(const lazy_service& svc, uint8_t end) {
  call_op_as<void>(svc, pipe_op::close, end);
}

// -- pipe_state: the service --------------------------------------------------

void pipe_state::init(caf::event_based_actor* self, bool duplex) {
  attach(self);
  if (!duplex) {
    ends_[0].writable = false;
    ends_[1].readable = false;
  }
}

service_result pipe_state::on_call(client_id c, uint8_t op,
                                   const std::string& payload) {
  uint8_t end = 0;
  decoder src{payload};
  src.read(end);
  if (end > 1)
    return fail(errc::protocol_error, "no such end of a pipe");
  switch (static_cast<pipe_op>(op)) {
    case pipe_op::send:
      return send(end, c, rest_of(payload, src));
    case pipe_op::recv:
      src.expect_end();
      return recv(end, c);
    case pipe_op::poll: {
      auto [wait] = take<int64_t>(src);
      src.expect_end();
      return poll(end, c, wait);
    }
    case pipe_op::close:
      close_end(end, "the other end is closed");
      return encode();
  }
  return fail(errc::protocol_error, "unknown pipe operation");
}

void pipe_state::close_end(int e, const std::string& why) {
  auto& me = ends_[e];
  auto& peer = ends_[1 - e];
  if (me.closed)
    return;
  me.closed = true;
  me.inbox.clear();
  auto closed = fail(errc::end_of_file, "the connection is closed");
  answer_all(me.receivers, closed);
  answer_all(me.pollers, closed);
  answer_all(peer.receivers, fail(errc::end_of_file, why));
  answer_all(peer.pollers, encode(true));
}

caf::error pipe_state::use(int e, int32_t pid, bool to_send) {
  auto& me = ends_[e];
  if (me.closed)
    return fail(errc::end_of_file, "the connection is closed");
  if (to_send ? !me.writable : !me.readable)
    return state_failure(to_send ? "the connection is read-only"
                                 : "the connection is write-only");
  if (std::find(me.users.begin(), me.users.end(), pid) == me.users.end())
    me.users.push_back(pid);
  return caf::none;
}

service_result pipe_state::send(int e, client_id c, std::string item) {
  if (auto err = use(e, c.pid, true))
    return err;
  auto& peer = ends_[1 - e];
  if (peer.closed)
    return fail(errc::end_of_file, "the other end is closed");
  answer_all(peer.pollers, encode(true));
  deliver(peer, std::move(item));
  return encode();
}

// Like `queue_state::accept`: a waiting receiver that cannot receive the
// item fails, and the next one gets it.
void pipe_state::deliver(pipe_end& to, std::string item) {
  while (!to.receivers.empty()) {
    auto w = std::move(to.receivers.front());
    to.receivers.pop_front();
    if (auto err = check_fits(w.client, item)) {
      w.rp.deliver(err);
      continue;
    }
    w.rp.deliver(std::move(item));
    return;
  }
  to.inbox.push_back(std::move(item));
}

service_result pipe_state::recv(int e, client_id c) {
  if (auto err = use(e, c.pid, false))
    return err;
  auto& me = ends_[e];
  if (!me.inbox.empty()) {
    if (auto err = check_fits(c, me.inbox.front()))
      return err;
    auto item = std::move(me.inbox.front());
    me.inbox.pop_front();
    return item;
  }
  if (ends_[1 - e].closed)
    return fail(errc::end_of_file, "the other end is closed");
  me.receivers.push_back(make_waiter(c, wait_forever));
  return me.receivers.back().rp;
}

service_result pipe_state::poll(int e, client_id c, int64_t wait) {
  if (auto err = use(e, c.pid, false))
    return err;
  auto& me = ends_[e];
  if (!me.inbox.empty() || ends_[1 - e].closed)
    return encode(true);
  if (wait == 0)
    return encode(false);
  me.pollers.push_back(make_waiter(c, wait));
  return me.pollers.back().rp;
}

void pipe_state::on_timer(uint64_t id) {
  for (auto& end : ends_)
    if (auto w = take_waiter(end.pollers, id))
      w->rp.deliver(encode(false));
}

void pipe_state::on_client_down(int32_t pid) {
  auto gone = fail(errc::end_of_file, "the calling process is gone");
  for (auto& end : ends_) {
    drop_waiters_of(end.receivers, pid, gone);
    drop_waiters_of(end.pollers, pid, gone);
  }
  for (int e = 0; e < 2; ++e) {
    auto& users = ends_[e].users;
    auto i = std::find(users.begin(), users.end(), pid);
    if (i == users.end())
      continue;
    users.erase(i);
    if (users.empty())
      close_end(e, "the other end's last process (pid " + std::to_string(pid)
                     + ") is gone");
  }
}

void pipe_state::on_exit() {
  for (int e = 0; e < 2; ++e)
    close_end(e, "the pipe was shut down");
}

caf::actor spawn_pipe_service(caf::actor_system& sys, bool duplex) {
  return spawn_service<pipe_state>(sys, duplex);
}

} // namespace actorpool::detail
