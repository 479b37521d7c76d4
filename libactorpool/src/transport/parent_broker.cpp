#include "transport/parent_broker.hpp"

#include <sys/socket.h>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "actorpool/errc.hpp"
#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "transport/call_gate.hpp"
#include "transport/frame.hpp"
#include "transport/frame_queue.hpp"
#include "transport/messages.hpp"
#include "transport/worker_frames.hpp"

namespace actorpool::detail {

namespace {

struct parent_broker_state {
  frame_reader reader;
  /// Frames not written yet. They go to the socket straight from here while
  /// the scribe holds nothing; see `pump`.
  frame_queue out;
  /// Bytes handed to the scribe that it has not written yet.
  uint64_t scribe_pending = 0;
  /// Longest frame either way.
  size_t max_frame_size = default_max_frame_size;
  caf::io::connection_handle hdl;
  int fd = -1;
  caf::actor coordinator;
  /// Closed by whoever lets the process go, before the services hear of it.
  std::shared_ptr<call_gate> gate;
  service_lookup find_service;
  uint64_t wid = 0;
  /// Decodes the worker's frames and keeps its hello's pid.
  std::unique_ptr<worker_frames> frames;
  bool down = false;
  /// Whether the behavior in force watches for a frame cut short.
  bool watching = false;
  const char* name = "actorpool.parent_broker";
};

/// A worker writes each frame in one go: part of a frame and then silence
/// for this long means the worker broke the protocol (or hangs inside a
/// write), not that the rest is on its way.
constexpr auto stall_limit = std::chrono::seconds{2};

using parent_broker_actor = caf::io::stateful_broker<parent_broker_state>;

void report_down(parent_broker_actor* self, std::string reason) {
  auto& st = self->state;
  if (st.down)
    return;
  st.down = true;
  self->send(st.coordinator, down_atom::value, st.wid, std::move(reason));
}

// Ends the connection by shutting the socket down both ways, so that the
// scribe sees EOF and leaves the multiplexer on its regular path; the broker
// quits on the `connection_closed_msg` that follows. Closing the scribe
// instead leaks the socket in CAF 0.17.6 when it happens before the
// multiplexer has registered it: the pending "add read" and the "delete
// read" squash into nothing, and the stream keeps its reader forever.
void hang_up(parent_broker_actor* self, std::string reason) {
  report_down(self, std::move(reason));
  ::shutdown(self->state.fd, SHUT_RDWR);
}

/// Bytes of the queue the scribe gets when the socket is full: the scribe
/// writes them once the socket takes data again, and its acknowledgement
/// (`data_transferred_msg`) tells the broker to go on writing by itself.
constexpr size_t handoff_size = 16 * 1024;

// Writes what the socket takes right away, then hands the scribe a little
// of the rest (everything after a failed write, so that the scribe meets
// the failure and closes the connection as usual). Nothing is written while
// the scribe holds bytes: they go first.
void pump(parent_broker_actor* self) {
  auto& st = self->state;
  if (st.down || st.scribe_pending > 0 || st.out.empty())
    return;
  auto failed = st.out.write_some(st.fd) != 0;
  if (st.out.empty())
    return;
  auto n = failed ? st.out.size() : handoff_size;
  st.scribe_pending += st.out.take_front(self->wr_buf(st.hdl), n);
  self->flush(st.hdl);
}

// The coordinator sends only chunks that fit in a frame, so a frame that
// does not fit is a fault of this process: the worker is replaced. The
// queue takes `xs` (moved) and writes their long strings (task payloads)
// from where they are.
template <class... Ts>
void write_frame(parent_broker_actor* self, frame_kind kind, Ts&... xs) {
  auto& st = self->state;
  if (st.down)
    return;
  if (auto err = st.out.append(st.max_frame_size, kind, std::move(xs)...)) {
    hang_up(self, "cannot encode frame: " + render(err));
    return;
  }
  pump(self);
}

// The child was started as a worker but cannot serve; it exits after this.
// Its reason is what the pool reports, instead of a start timeout.
void on_refusal(parent_broker_actor* self, const std::string& why) {
  hang_up(self, "it refused to serve: " + why);
}

// The error half of a service reply: the error code and its text.
std::string encode_error(const caf::error& err) {
  uint8_t code = static_cast<uint8_t>(errc::system_error);
  std::string text = render(err);
  if (is_actorpool_error(err)) {
    code = err.code();
    auto& ctx = err.context();
    text = ctx.match_elements<std::string>() ? ctx.get_as<std::string>(0)
                                             : std::string{};
  }
  std::string payload;
  encode_into(payload, code, text);
  return payload;
}

// A reply too long for a frame fails the call: services that hand items out
// (queue, pipe) keep the ones that would not fit, see `client_id::max_reply`.
void write_reply(parent_broker_actor* self, uint64_t call_id, caf::error err,
                 std::string payload) {
  auto limit = self->state.max_frame_size;
  auto length = frame_length_bound(1, payload.size());
  if (!err && length > limit)
    err = oversize_frame_error("reply", length, limit);
  service_reply_msg reply{call_id, service_reply_msg::ok, std::move(payload)};
  if (err) {
    reply.status = service_reply_msg::failed;
    reply.payload = encode_error(err);
  }
  write_frame(self, frame_kind::service_reply, reply);
}

// A call to a service that has stopped.
caf::error gone_service_error() {
  return make_error(errc::invalid_argument,
                    std::string{"the service was destroyed in the parent "
                                "process"});
}

// Why a called service is not in this process's registry.
caf::error missing_service_error() {
  if (this_worker() != nullptr)
    return make_error(errc::invalid_argument,
                      std::string{"the object belongs to the main process: "
                                  "a process started inside a worker or "
                                  "process cannot use it"});
  return gone_service_error();
}

// A call nobody waits for: made on the worker's behalf, its answer dropped.
void on_service_cast(parent_broker_actor* self, service_call_msg& msg) {
  auto service = self->state.find_service(msg.service);
  if (!service)
    return;
  auto max_reply = max_payload_size(self->state.max_frame_size);
  // Without a sender: the answer goes nowhere, and the call still reaches
  // the service after this worker's earlier calls and before its later ones
  // (one mailbox queue, filled by this actor in order).
  self->state.gate->pass([&] {
    caf::anon_send(service, service_atom::value, self->state.frames->pid(),
                   msg.thread, msg.op, std::move(msg.payload), max_reply);
  });
}

// Task code in the worker calls a service: the call is made on the worker's
// behalf (as its pid) and the answer, whenever it comes, goes back as a frame.
void on_service_call(parent_broker_actor* self, service_call_msg& msg) {
  if (msg.call_id == service_call_msg::no_reply) {
    on_service_cast(self, msg);
    return;
  }
  auto service = self->state.find_service(msg.service);
  if (!service) {
    write_reply(self, msg.call_id, missing_service_error(), {});
    return;
  }
  auto id = msg.call_id;
  auto max_reply = max_payload_size(self->state.max_frame_size);
  auto forwarded = self->state.gate->pass([&] {
    self
      ->request(service, caf::infinite, service_atom::value,
                self->state.frames->pid(), msg.thread, msg.op,
                std::move(msg.payload), max_reply)
      .then(
        [self, id](std::string& result) {
          write_reply(self, id, caf::none, std::move(result));
        },
        [self, id](caf::error& err) {
          // The service stopped before it took the call (its last handle
          // went, or the program ends): as if it were gone already.
          if (err == caf::sec::request_receiver_down)
            err = gone_service_error();
          write_reply(self, id, err, {});
        });
  });
  if (!forwarded)
    write_reply(self, id,
                make_error(errc::invalid_state,
                           std::string{"the pool let this process go"}),
                {});
}

// The coordinator hears of the worker's hello and results; its service
// calls are made here.
std::unique_ptr<worker_frames> make_frames(parent_broker_actor* self) {
  worker_frames::callbacks cbs;
  cbs.hello = [self](hello_msg& msg) {
    auto& st = self->state;
    self->send(st.coordinator, hello_atom::value, st.wid, msg);
  };
  cbs.refusal = [self](std::string& why) {
    on_refusal(self, why);
  };
  cbs.results = [self](std::vector<result_msg>& results) {
    auto& st = self->state;
    self->send(st.coordinator, results_atom::value, st.wid, std::move(results));
  };
  cbs.service_call = [self](service_call_msg& msg) {
    on_service_call(self, msg);
  };
  return std::make_unique<worker_frames>(std::move(cbs));
}

void on_data(parent_broker_actor* self, const caf::io::new_data_msg& msg);

// The broker's handlers, and `extra` ones (the stall watch).
template <class... Extra>
caf::behavior serving(parent_broker_actor* self, Extra... extra) {
  return {
    [=](const caf::io::new_data_msg& msg) { on_data(self, msg); },
    [=](tasks_atom, std::vector<task_msg>& batch) {
      write_frame(self, frame_kind::tasks, batch);
    },
    [=](init_atom, task_msg& t) { write_frame(self, frame_kind::init, t); },
    [=](target_atom, task_msg& t) { write_frame(self, frame_kind::target, t); },
    [=](cancel_atom, uint64_t id) {
      write_frame(self, frame_kind::cancel, id);
    },
    [=](revoke_atom, std::vector<uint64_t>& ids) {
      write_frame(self, frame_kind::revoke, ids);
    },
    [=](shutdown_atom) { write_frame(self, frame_kind::shutdown); },
    [=](stop_atom) { hang_up(self, "disconnected by the pool"); },
    [=](const caf::io::data_transferred_msg& msg) {
      self->state.scribe_pending = msg.remaining;
      pump(self);
    },
    [=](const caf::io::connection_closed_msg&) {
      report_down(self, "connection closed");
      self->quit();
    },
    std::move(extra)...,
  };
}

void on_stall(parent_broker_actor* self);

// While part of a frame is buffered, the broker's receive timeout watches
// for the rest: a timeout the actor clock tracks per actor and drops when the
// broker quits, unlike a delayed message to itself, which the clock would
// keep (and the broker with it) until it fell due.
void watch_for_stall(parent_broker_actor* self) {
  auto& st = self->state;
  bool watch = !st.down && st.reader.buffered() > 0;
  if (watch == st.watching)
    return;
  st.watching = watch;
  if (watch)
    self->become(serving(
      self, caf::after(stall_limit) >> [=] { on_stall(self); }));
  else
    self->become(serving(self));
}

void on_data(parent_broker_actor* self, const caf::io::new_data_msg& msg) {
  auto& st = self->state;
  if (st.down)
    return;
  auto err = st.reader.consume(msg.buf.data(), msg.buf.size(),
                               [&st](const frame_view& fv) {
                                 return dispatch_frame(fv, *st.frames);
                               });
  if (err) {
    hang_up(self, "protocol violation: " + caf::to_string(err));
    return;
  }
  watch_for_stall(self);
}

// Nothing came for `stall_limit` while a frame was cut short.
void on_stall(parent_broker_actor* self) {
  auto& st = self->state;
  if (!st.down && st.reader.buffered() > 0)
    hang_up(self, "protocol violation: a frame cut short ("
                    + std::to_string(st.reader.buffered())
                    + " bytes, then nothing for 2 s)");
  watch_for_stall(self);
}

caf::behavior parent_broker(parent_broker_actor* self, int fd, uint64_t wid,
                            caf::actor coordinator, size_t max_frame_size,
                            std::shared_ptr<call_gate> gate,
                            service_lookup find) {
  auto& st = self->state;
  st.coordinator = std::move(coordinator);
  st.gate = std::move(gate);
  st.find_service = std::move(find);
  st.wid = wid;
  st.frames = make_frames(self);
  st.reader = frame_reader{max_frame_size};
  st.max_frame_size = max_frame_size;
  st.fd = fd;
  st.hdl = self->add_scribe(fd);
  self->configure_read(st.hdl, caf::io::receive_policy::at_most(64 * 1024));
  self->ack_writes(st.hdl, true);
  return serving(self);
}

} // namespace

caf::actor spawn_parent_broker(caf::actor_system& sys, int fd, uint64_t wid,
                               caf::actor coordinator, size_t max_frame_size,
                               std::shared_ptr<call_gate> gate,
                               service_lookup find) {
  return sys.middleman().spawn_broker(parent_broker, fd, wid,
                                      std::move(coordinator), max_frame_size,
                                      std::move(gate), std::move(find));
}

} // namespace actorpool::detail
