// The parent's broker of one worker, over a socket pair in this process:
// the test plays the worker (writing and reading frames) and the
// coordinator (a scoped actor). Waits are on the events themselves,
// bounded to prove that nothing hangs.

#include "transport/parent_broker.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "base/atoms.hpp"
#include "transport/call_gate.hpp"
#include "transport/frame.hpp"

using actorpool::errc;
using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

constexpr uint64_t wid = 7;

/// The worker's end of the socket: writes frames, reads whole frames.
class worker_socket {
public:
  explicit worker_socket(int fd) : fd_(fd) {
    // nop
  }

  ~worker_socket() {
    close(fd_);
  }

  template <class... Ts>
  void write(frame_kind kind, Ts... xs) {
    std::vector<char> buf;
    ASSERT_FALSE(append_frame(buf, kind, xs...));
    ASSERT_EQ(::send(fd_, buf.data(), buf.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(buf.size()));
  }

  /// The next frame from the parent: its kind and body. Fails the test
  /// (kind 0) if none comes within 10 s or the parent hung up.
  std::pair<frame_kind, std::string> read() {
    while (frames_.empty()) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 10000) != 1)
        return failed("no frame within 10 s");
      char buf[4096];
      auto n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0)
        return failed("the parent hung up");
      auto err = reader_.consume(
        buf, static_cast<size_t>(n), [this](const frame_view& fv) {
          frames_.emplace_back(fv.kind, std::string{fv.body, fv.size});
          return caf::error{};
        });
      if (err)
        return failed("bad frame from the parent");
    }
    auto result = frames_.front();
    frames_.pop_front();
    return result;
  }

  /// Whether the parent hung up (EOF within 10 s).
  bool hung_up() {
    pollfd p{fd_, POLLIN, 0};
    char c;
    return poll(&p, 1, 10000) == 1 && recv(fd_, &c, 1, 0) == 0;
  }

private:
  std::pair<frame_kind, std::string> failed(const char* why) {
    ADD_FAILURE() << why;
    return {frame_kind{0}, {}};
  }

  int fd_;
  frame_reader reader_;
  std::deque<std::pair<frame_kind, std::string>> frames_;
};

template <class T>
T decoded(const std::string& body) {
  T x;
  decoder src{body};
  src.read(x);
  return x;
}

/// A service answering each call with what it was asked.
caf::behavior echo_service(caf::event_based_actor*) {
  return {
    [](service_atom, int32_t pid, uint64_t thread, uint8_t op,
       std::string& payload, size_t) {
      return std::to_string(pid) + "/" + std::to_string(thread) + "/"
             + std::to_string(op) + "/" + payload;
    },
  };
}

caf::actor_system_config& with_middleman(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  return cfg;
}

class parent_broker_test : public testing::Test {
protected:
  parent_broker_test() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    worker = std::make_unique<worker_socket>(fds[1]);
    service = sys.spawn(echo_service);
    auto find = [svc = service](uint64_t id) {
      return id == 5 ? svc : caf::actor{};
    };
    broker = spawn_parent_broker(sys, fds[0], wid, coordinator,
                                 default_max_frame_size, gate, find);
  }

  ~parent_broker_test() override {
    worker.reset(); // EOF: the broker quits
    caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  }

  /// The next `(down_atom, wid, reason)` the coordinator hears; the reason.
  std::string down_reason() {
    std::string reason = "(none)";
    coordinator->receive(
      [&](down_atom, uint64_t id, std::string& why) {
        EXPECT_EQ(id, wid);
        reason = why;
      },
      caf::after(10s) >> [] { ADD_FAILURE() << "no down message"; });
    return reason;
  }

  void say_hello(int32_t pid) {
    worker->write(frame_kind::hello, hello_msg{protocol_version, pid});
    coordinator->receive(
      [&](hello_atom, uint64_t id, hello_msg& msg) {
        EXPECT_EQ(id, wid);
        EXPECT_EQ(msg.pid, pid);
      },
      caf::after(10s) >> [] { ADD_FAILURE() << "no hello"; });
  }

  /// The reply to a service call, read from the socket.
  service_reply_msg read_reply() {
    auto [kind, body] = worker->read();
    EXPECT_EQ(kind, frame_kind::service_reply);
    return decoded<service_reply_msg>(body);
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{with_middleman(cfg)};
  caf::scoped_actor coordinator{sys};
  std::shared_ptr<call_gate> gate = std::make_shared<call_gate>();
  caf::actor service;
  caf::actor broker;
  std::unique_ptr<worker_socket> worker;
};

} // namespace

// -- from the worker ----------------------------------------------------------

TEST_F(parent_broker_test, hello_and_results_reach_the_coordinator) {
  say_hello(1234);
  std::vector<result_msg> rs{{1, result_msg::ok, 3, "a"},
                             {2, result_msg::not_started, 0, {}}};
  worker->write(frame_kind::results, rs);
  coordinator->receive(
    [&](results_atom, uint64_t id, std::vector<result_msg>& got) {
      EXPECT_EQ(id, wid);
      ASSERT_EQ(got.size(), 2u);
      EXPECT_EQ(got[0].payload, "a");
      EXPECT_EQ(got[1].status, result_msg::not_started);
    },
    caf::after(10s) >> [] { ADD_FAILURE() << "no results"; });
}

TEST_F(parent_broker_test, a_service_call_is_made_as_the_worker_and_answered) {
  say_hello(1234);
  worker->write(frame_kind::service_call, service_call_msg{9, 5, 3, 2, "in"});
  auto reply = read_reply();
  EXPECT_EQ(reply.call_id, 9u);
  EXPECT_EQ(reply.status, service_reply_msg::ok);
  EXPECT_EQ(reply.payload, "1234/3/2/in");
}

TEST_F(parent_broker_test, a_call_nobody_waits_for_is_made_and_not_answered) {
  say_hello(1234);
  auto cast = service_call_msg{service_call_msg::no_reply, 5, 3, 2, "first"};
  worker->write(frame_kind::service_call, cast);
  worker->write(frame_kind::service_call, service_call_msg{9, 5, 3, 2, "then"});
  // The only reply is the second call's: the first was made, unanswered.
  auto reply = read_reply();
  EXPECT_EQ(reply.call_id, 9u);
  EXPECT_EQ(reply.payload, "1234/3/2/then");
}

TEST_F(parent_broker_test, a_call_to_a_missing_service_fails) {
  say_hello(1);
  worker->write(frame_kind::service_call, service_call_msg{4, 6, 1, 1, {}});
  auto reply = read_reply();
  EXPECT_EQ(reply.call_id, 4u);
  ASSERT_EQ(reply.status, service_reply_msg::failed);
  decoder src{reply.payload};
  uint8_t code = 0;
  std::string text;
  src.read(code, text);
  EXPECT_EQ(code, static_cast<uint8_t>(errc::invalid_argument));
  EXPECT_NE(text.find("destroyed"), std::string::npos) << text;
}

TEST_F(parent_broker_test, a_call_after_the_gate_closed_is_refused) {
  say_hello(1);
  gate->close();
  worker->write(frame_kind::service_call, service_call_msg{4, 5, 1, 1, {}});
  auto reply = read_reply();
  ASSERT_EQ(reply.status, service_reply_msg::failed);
  decoder src{reply.payload};
  uint8_t code = 0;
  std::string text;
  src.read(code, text);
  EXPECT_EQ(code, static_cast<uint8_t>(errc::invalid_state));
}

// -- protocol violations ------------------------------------------------------

TEST_F(parent_broker_test, a_first_frame_other_than_hello_costs_the_worker) {
  worker->write(frame_kind::results, std::vector<result_msg>{});
  auto reason = down_reason();
  EXPECT_NE(reason.find("protocol violation"), std::string::npos) << reason;
  EXPECT_NE(reason.find("first frame is not hello"), std::string::npos)
    << reason;
  EXPECT_TRUE(worker->hung_up());
}

TEST_F(parent_broker_test, a_parent_frame_from_the_worker_costs_the_worker) {
  say_hello(1);
  worker->write(frame_kind::cancel, uint64_t{1});
  auto reason = down_reason();
  EXPECT_NE(reason.find("unexpected frame kind 6"), std::string::npos)
    << reason;
  EXPECT_TRUE(worker->hung_up());
}

TEST_F(parent_broker_test, a_refusal_is_reported_with_its_reason) {
  worker->write(frame_kind::refusal, std::string{"it ran main"});
  auto reason = down_reason();
  EXPECT_EQ(reason, "it refused to serve: it ran main");
}

// -- to the worker ------------------------------------------------------------

TEST_F(parent_broker_test, the_coordinators_messages_become_frames) {
  say_hello(1);
  std::vector<task_msg> batch{{1, "t", 1, "p", 0}};
  coordinator->send(broker, tasks_atom::value, batch);
  coordinator->send(broker, cancel_atom::value, uint64_t{1});
  coordinator->send(broker, revoke_atom::value, std::vector<uint64_t>{2, 3});
  coordinator->send(broker, shutdown_atom::value);
  auto [k1, b1] = worker->read();
  EXPECT_EQ(k1, frame_kind::tasks);
  auto got = decoded<std::vector<task_msg>>(b1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].name, "t");
  auto [k2, b2] = worker->read();
  EXPECT_EQ(k2, frame_kind::cancel);
  EXPECT_EQ(decoded<uint64_t>(b2), 1u);
  auto [k3, b3] = worker->read();
  EXPECT_EQ(k3, frame_kind::revoke);
  EXPECT_EQ(decoded<std::vector<uint64_t>>(b3), (std::vector<uint64_t>{2, 3}));
  auto [k4, b4] = worker->read();
  EXPECT_EQ(k4, frame_kind::shutdown);
  EXPECT_TRUE(b4.empty());
}

TEST_F(parent_broker_test, stop_hangs_up) {
  say_hello(1);
  coordinator->send(broker, stop_atom::value);
  EXPECT_EQ(down_reason(), "disconnected by the pool");
  EXPECT_TRUE(worker->hung_up());
}
