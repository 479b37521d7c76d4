#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <caf/actor_system.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/middleman.hpp>

#include "internal/atoms.hpp"
#include "internal/frame.hpp"
#include "internal/messages.hpp"
#include "internal/worker_runtime.hpp"

namespace actorpool::detail {

namespace {

struct child_broker_state {
  frame_reader reader;
  caf::io::connection_handle hdl;
  caf::actor runner;
  cancel_set* cancelled = nullptr;
  const char* name = "actorpool.child_broker";
};

using child_broker_actor = caf::io::stateful_broker<child_broker_state>;

// The parent is the only peer of this socket; when it breaks the protocol or
// goes away there is nobody left to serve, and a task may still be running,
// so the process ends at once.
[[noreturn]] void leave(const char* why) {
  if (why != nullptr)
    fprintf(stderr, "actorpool worker %d: %s\n", static_cast<int>(getpid()),
            why);
  _exit(why == nullptr ? 0 : 70);
}

template <class... Ts>
void write_frame(child_broker_actor* self, frame_kind kind, Ts&... xs) {
  auto& st = self->state;
  if (auto err = append_frame(self->wr_buf(st.hdl), kind, xs...))
    leave("cannot encode a frame");
  self->flush(st.hdl);
}

caf::error on_frame(child_broker_actor* self, const frame_view& fv) {
  auto& st = self->state;
  switch (fv.kind) {
    case frame_kind::tasks: {
      std::vector<task_msg> batch;
      if (auto err = decode_body(fv, batch))
        return err;
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
    case frame_kind::cancel: {
      uint64_t id = 0;
      if (auto err = decode_body(fv, id))
        return err;
      st.cancelled->add(id);
      return caf::none;
    }
    case frame_kind::shutdown:
      self->send(st.runner, shutdown_atom::value);
      return caf::none;
    default:
      return caf::make_error(caf::sec::unexpected_message,
                             "unexpected frame kind from parent");
  }
}

caf::behavior child_broker(child_broker_actor* self, int fd, caf::actor runner,
                           cancel_set* cancelled) {
  auto& st = self->state;
  st.runner = runner;
  st.cancelled = cancelled;
  st.hdl = self->add_scribe(fd);
  self->configure_read(st.hdl, caf::io::receive_policy::at_most(64 * 1024));
  hello_msg hello{protocol_version, static_cast<int32_t>(getpid())};
  write_frame(self, frame_kind::hello, hello);
  return {
    [=](const caf::io::new_data_msg& msg) {
      auto err = self->state.reader.consume(msg.buf.data(), msg.buf.size(),
                                            [=](const frame_view& fv) {
                                              return on_frame(self, fv);
                                            });
      if (err)
        leave("malformed frame from parent");
    },
    [=](results_atom, std::vector<result_msg>& results) {
      write_frame(self, frame_kind::results, results);
    },
    [=](bye_atom) {
      self->flush(self->state.hdl);
      self->close(self->state.hdl);
      self->quit();
    },
    [=](const caf::io::connection_closed_msg&) { leave(nullptr); },
  };
}

} // namespace

caf::actor spawn_child_broker(caf::actor_system& sys, int fd, caf::actor runner,
                              cancel_set* cancelled) {
  return sys.middleman().spawn_broker(child_broker, fd, runner, cancelled);
}

} // namespace actorpool::detail
