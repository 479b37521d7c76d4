#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "base/atoms.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"
#include "worker/child_reader.hpp"
#include "worker/worker_main.hpp"

namespace actorpool::detail {

namespace {

struct reader_state {
  int fd = -1;
  caf::actor runner;
  worker_channel* out = nullptr;
  task_board* board = nullptr;
  call_table* calls = nullptr;
  frame_reader frames;
  bool done = false;
  const char* name = "actorpool.child_reader";
};

using reader_actor = caf::stateful_actor<reader_state>;

// A task cancelled before it started is reported at once (as not started);
// a running one gets its cancellation flag set and reports when it returns.
void on_cancel(reader_actor* self, uint64_t id) {
  auto& st = self->state;
  if (st.board->cancel(id) != task_board::cancel_outcome::dropped)
    return;
  std::vector<result_msg> rs(1);
  rs[0].id = id;
  rs[0].status = result_msg::not_started;
  st.out->write_or_exit(frame_kind::results, rs);
}

// Tasks taken back before they started are reported at once (as not
// started, in one frame); those that started already run on undisturbed and
// report as usual.
void on_revoke(reader_actor* self, const std::vector<uint64_t>& ids) {
  auto& st = self->state;
  std::vector<result_msg> rs;
  for (auto id : ids) {
    if (!st.board->revoke(id))
      continue;
    rs.emplace_back();
    rs.back().id = id;
    rs.back().status = result_msg::not_started;
  }
  if (!rs.empty())
    st.out->write(frame_kind::results, rs);
}

caf::error on_frame(reader_actor* self, const frame_view& fv) {
  auto& st = self->state;
  switch (fv.kind) {
    case frame_kind::tasks: {
      std::vector<task_msg> batch;
      if (auto err = decode_body(fv, batch))
        return err;
      st.board->queued(batch);
      self->send(st.runner, tasks_atom::value, std::move(batch));
      return caf::none;
    }
    case frame_kind::init: {
      task_msg t;
      if (auto err = decode_body(fv, t))
        return err;
      self->send(st.runner, init_atom::value, std::move(t));
      return caf::none;
    }
    case frame_kind::target: {
      task_msg t;
      if (auto err = decode_body(fv, t))
        return err;
      self->send(st.runner, target_atom::value, std::move(t));
      return caf::none;
    }
    case frame_kind::cancel: {
      uint64_t id = 0;
      if (auto err = decode_body(fv, id))
        return err;
      on_cancel(self, id);
      return caf::none;
    }
    case frame_kind::revoke: {
      std::vector<uint64_t> ids;
      if (auto err = decode_body(fv, ids))
        return err;
      on_revoke(self, ids);
      return caf::none;
    }
    case frame_kind::service_reply: {
      service_reply_msg reply;
      if (auto err = decode_body(fv, reply))
        return err;
      st.calls->complete(std::move(reply));
      return caf::none;
    }
    case frame_kind::shutdown:
      self->send(st.runner, shutdown_atom::value);
      st.done = true; // the parent sends nothing after this
      return caf::none;
    default:
      return caf::make_error(caf::sec::unexpected_message,
                             "unexpected frame kind from parent");
  }
}

// One blocking read per message, then a message to itself for the next:
// the loop stays an actor, on its own thread (the reader is detached).
void read_once(reader_actor* self) {
  auto& st = self->state;
  char buf[64 * 1024];
  ssize_t n;
  do {
    n = recv(st.fd, buf, sizeof(buf), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0 && process_target_done()) {
    self->quit(); // a process's task returned and its runner closed the socket
    return;
  }
  if (n <= 0)
    worker_channel::fail(nullptr); // EOF: the parent is gone
  auto err = st.frames.consume(buf, static_cast<size_t>(n),
                               [self](const frame_view& fv) {
                                 return on_frame(self, fv);
                               });
  if (err)
    worker_channel::fail("malformed frame from parent");
  if (st.done)
    self->quit();
  else
    self->send(self, read_atom::value);
}

caf::behavior child_reader(reader_actor* self, int fd, caf::actor runner,
                           worker_channel* out, task_board* board,
                           call_table* calls) {
  auto& st = self->state;
  st.fd = fd;
  st.runner = std::move(runner);
  st.out = out;
  st.board = board;
  st.calls = calls;
  st.frames = frame_reader{out->max_frame_size()};
  self->send(self, read_atom::value);
  return {
    [=](read_atom) { read_once(self); },
  };
}

} // namespace

caf::actor spawn_child_reader(caf::actor_system& sys, int fd, caf::actor runner,
                              worker_channel* out, task_board* board,
                              call_table* calls) {
  return sys.spawn<caf::detached>(child_reader, fd, std::move(runner), out,
                                  board, calls);
}

} // namespace actorpool::detail
