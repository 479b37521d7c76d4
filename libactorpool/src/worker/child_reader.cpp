#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "base/atoms.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"
#include "worker/child_reader.hpp"
#include "worker/worker_main.hpp"

namespace actorpool::detail {

child_reader::child_reader(runner_port runner, results_port results,
                           task_board& board, call_table& calls,
                           size_t max_frame_size)
  : frame_handler({frame_kind::tasks, frame_kind::init, frame_kind::target,
                   frame_kind::cancel, frame_kind::revoke,
                   frame_kind::service_reply, frame_kind::shutdown}),
    runner_(std::move(runner)), results_(std::move(results)), board_(board),
    calls_(calls), frames_(max_frame_size) {
  // nop
}

caf::error child_reader::consume(const char* bytes, size_t size) {
  return frames_.consume(bytes, size, [this](const frame_view& fv) {
    return dispatch_frame(fv, *this);
  });
}

caf::error child_reader::commit(size_t n) {
  return frames_.commit(n, [this](const frame_view& fv) {
    return dispatch_frame(fv, *this);
  });
}

caf::error child_reader::on_tasks(std::vector<task_msg>& batch) {
  board_.queued(batch);
  runner_(caf::make_message(tasks_atom::value, std::move(batch)));
  return caf::none;
}

caf::error child_reader::on_init(task_msg& t) {
  runner_(caf::make_message(init_atom::value, std::move(t)));
  return caf::none;
}

caf::error child_reader::on_target(task_msg& t) {
  runner_(caf::make_message(target_atom::value, std::move(t)));
  return caf::none;
}

// A task cancelled before it started is reported at once (as not started);
// a running one gets its cancellation flag set and reports when it returns.
caf::error child_reader::on_cancel(uint64_t id) {
  if (board_.cancel(id) != task_board::cancel_outcome::dropped)
    return caf::none;
  std::vector<result_msg> rs(1);
  rs[0].id = id;
  rs[0].status = result_msg::not_started;
  if (auto err = results_(rs))
    worker_channel::fail("cannot encode a frame");
  return caf::none;
}

// Tasks taken back before they started are reported at once (as not
// started, in one frame); those that started already run on undisturbed and
// report as usual.
caf::error child_reader::on_revoke(std::vector<uint64_t>& ids) {
  std::vector<result_msg> rs;
  for (auto id : ids) {
    if (!board_.revoke(id))
      continue;
    rs.emplace_back();
    rs.back().id = id;
    rs.back().status = result_msg::not_started;
  }
  if (!rs.empty())
    static_cast<void>(results_(rs));
  return caf::none;
}

caf::error child_reader::on_service_reply(service_reply_msg& reply) {
  calls_.complete(std::move(reply));
  return caf::none;
}

caf::error child_reader::on_shutdown() {
  runner_(caf::make_message(shutdown_atom::value));
  done_ = true; // the parent sends nothing after this
  return caf::none;
}

namespace {

struct reader_state {
  int fd = -1;
  std::unique_ptr<child_reader> reader;
  const char* name = "actorpool.child_reader";
};

using reader_actor = caf::stateful_actor<reader_state>;

// One blocking read per message, then a message to itself for the next:
// the loop stays an actor, on its own thread (the reader is detached).
void read_once(reader_actor* self) {
  auto& st = self->state;
  auto room = st.reader->receive_buffer(64 * 1024);
  ssize_t n;
  do {
    n = recv(st.fd, room.first, room.second, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0 && process_target_done()) {
    self->quit(); // a process's task returned and its runner closed the socket
    return;
  }
  if (n <= 0)
    worker_channel::fail(nullptr); // EOF: the parent is gone
  if (st.reader->commit(static_cast<size_t>(n)))
    worker_channel::fail("malformed frame from parent");
  if (st.reader->done())
    self->quit();
  else
    self->send(self, read_atom::value);
}

caf::behavior child_reader_actor(reader_actor* self, int fd, caf::actor runner,
                                 worker_channel* out, task_board* board,
                                 call_table* calls) {
  auto& st = self->state;
  st.fd = fd;
  auto to_runner = [self, runner](caf::message msg) {
    self->send(runner, std::move(msg));
  };
  auto to_parent = [out](std::vector<result_msg>& rs) {
    return out->write(frame_kind::results, rs);
  };
  st.reader = std::make_unique<child_reader>(to_runner, to_parent, *board,
                                             *calls, out->max_frame_size());
  self->send(self, read_atom::value);
  return {
    [=](read_atom) { read_once(self); },
  };
}

} // namespace

caf::actor spawn_child_reader(caf::actor_system& sys, int fd, caf::actor runner,
                              worker_channel* out, task_board* board,
                              call_table* calls) {
  return sys.spawn<caf::detached>(child_reader_actor, fd, std::move(runner),
                                  out, board, calls);
}

} // namespace actorpool::detail
