#pragma once

// Drives a service actor on CAF's deterministic test scheduler: each
// `client` is a scoped actor standing for one calling process and thread,
// so that tests can tell which waiting call was answered. `harness` owns a
// test system, one service and a client per caller, named by `client_id`.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/expected.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/service.hpp"
#include "actorpool/errc.hpp"
#include "base/atoms.hpp"

namespace actorpool::test {

using detail::client_id;

/// Concatenates the encodings of its arguments (payload building).
using detail::encode;

/// An op code as a test passes it: a service's typed op, or a raw byte (to
/// send one the service does not know).
struct wire_op {
  template <class Op, class = std::enable_if_t<std::is_enum_v<Op>>>
  constexpr wire_op(Op op) noexcept : value(static_cast<uint8_t>(op)) {
    // nop
  }

  constexpr wire_op(uint8_t x) noexcept : value(x) {
    // nop
  }

  uint8_t value;
};

/// What a service answered: an encoded result or an error.
struct answer {
  std::string value;
  caf::error err;

  bool ok() const {
    return !err;
  }

  /// The error code (`errc`) of a failed call.
  errc code() const {
    return static_cast<errc>(err.code());
  }

  template <class T>
  T as() const {
    return detail::decode_one<T>(value);
  }
};

/// An actor system with the testing scheduler.
class test_system {
public:
  test_system() {
    cfg_.set("scheduler.policy", caf::atom("testing"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(
      sys_->scheduler());
  }

  caf::actor_system& sys() {
    return *sys_;
  }

  caf::scheduler::test_coordinator& sched() {
    return *sched_;
  }

private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_;
};

/// One calling process (and thread) of a service.
class client {
public:
  client(test_system& ts, caf::actor service, int32_t pid, uint64_t thread = 1)
    : ts_(ts), self_(ts.sys(), true), service_(std::move(service)), pid_(pid),
      thread_(thread) {
    // nop
  }

  /// Makes this client a worker that receives replies of at most `n`
  /// bytes: its calls carry that limit, as calls from a worker do.
  void limit_replies(uint64_t n) {
    max_reply_ = n;
  }

  /// Sends a call without running the service.
  void post(wire_op op, std::string payload = {}) {
    if (max_reply_)
      self_->send(service_, detail::service_atom::value, pid_, thread_,
                  op.value, std::move(payload), *max_reply_);
    else
      self_->send(service_, detail::service_atom::value, pid_, thread_,
                  op.value, std::move(payload));
  }

  /// Sends a call and runs the service until it is idle.
  void send(wire_op op, std::string payload = {}) {
    post(op, std::move(payload));
    ts_.sched().run();
  }

  /// The answer to an earlier call, if the service gave one.
  std::optional<answer> poll() {
    std::optional<answer> result;
    self_->receive(
      [&](std::string& x) {
        result = answer{std::move(x), {}};
      },
      [&](caf::error& x) {
        result = answer{{}, std::move(x)};
      },
      caf::after(std::chrono::seconds(0)) >>
        [] {
          // nothing yet
        });
    return result;
  }

  /// Sends a call that must be answered at once, and returns the answer.
  answer call(wire_op op, std::string payload = {}) {
    send(op, std::move(payload));
    auto result = poll();
    EXPECT_TRUE(result.has_value()) << "no answer to op " << int{op.value};
    return result ? std::move(*result) : answer{};
  }

  int32_t pid() const {
    return pid_;
  }

private:
  test_system& ts_;
  caf::scoped_actor self_;
  caf::actor service_;
  int32_t pid_;
  uint64_t thread_;
  std::optional<uint64_t> max_reply_;
};

/// Tells `service` that process `pid` is gone and runs it.
inline void client_down(test_system& ts, const caf::actor& service,
                        int32_t pid) {
  caf::anon_send(service, detail::client_down_atom::value, pid);
  ts.sched().run();
}

/// A test system serving one service, with a `client` per caller (created
/// on first use); stops the service when destroyed.
class harness {
public:
  harness() = default;

  harness(const harness&) = delete;

  harness& operator=(const harness&) = delete;

  ~harness() {
    stop();
  }

  caf::actor_system& sys() {
    return ts_.sys();
  }

  caf::scheduler::test_coordinator& sched() {
    return ts_.sched();
  }

  /// Serves `svc` from now on.
  void serve(caf::actor svc) {
    clients_.clear();
    svc_ = std::move(svc);
  }

  /// Sends a call without running the scheduler.
  void post(client_id c, wire_op op, std::string payload = {}) {
    of(c).post(op, std::move(payload));
  }

  /// Sends a call and runs everything that follows from it.
  void call(client_id c, wire_op op, std::string payload = {}) {
    of(c).send(op, std::move(payload));
  }

  /// Tells the service that process `pid` is gone.
  void down(int32_t pid) {
    client_down(ts_, svc_, pid);
  }

  void advance(std::chrono::milliseconds d) {
    sched().advance_time(d);
    sched().run();
  }

  /// Stops the service (its exit handler runs).
  void stop() {
    caf::anon_send_exit(svc_, caf::exit_reason::user_shutdown);
    sched().run();
  }

  /// The reply `c` got (a payload or an error), if any.
  std::optional<caf::expected<std::string>> reply(client_id c) {
    auto x = of(c).poll();
    if (!x)
      return std::nullopt;
    if (!x->ok())
      return caf::expected<std::string>{std::move(x->err)};
    return caf::expected<std::string>{std::move(x->value)};
  }

  /// The `acquire_status` byte `c` got; -1 without reply, -2 for an error.
  int status(client_id c) {
    auto r = reply(c);
    if (!r)
      return -1;
    return *r ? detail::decode_one<uint8_t>(**r) : -2;
  }

  /// The error code `c` got; nullopt without an error reply.
  std::optional<errc> error_of(client_id c) {
    auto r = reply(c);
    if (!r || *r)
      return std::nullopt;
    return static_cast<errc>(r->error().code());
  }

private:
  client& of(client_id c) {
    auto& ptr = clients_[{c.pid, c.thread}];
    if (!ptr)
      ptr = std::make_unique<client>(ts_, svc_, c.pid, c.thread);
    return *ptr;
  }

  test_system ts_;
  caf::actor svc_;
  std::map<std::pair<int32_t, uint64_t>, std::unique_ptr<client>> clients_;
};

} // namespace actorpool::test
