#pragma once

// Drives a service actor on CAF's deterministic test scheduler: each
// `client` is a scoped actor standing for one calling process and thread,
// so that tests can tell which waiting call was answered.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "internal/atoms.hpp"

namespace actorpool::test {

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

  /// Sends a call and runs the service until it is idle.
  void send(uint8_t op, std::string payload = {}) {
    self_->send(service_, detail::service_atom::value, pid_, thread_, op,
                std::move(payload));
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
  answer call(uint8_t op, std::string payload = {}) {
    send(op, std::move(payload));
    auto result = poll();
    EXPECT_TRUE(result.has_value()) << "no answer to op " << int{op};
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
};

/// Concatenates the encodings of `xs` (payload building).
template <class... Ts>
std::string encode(Ts... xs) {
  std::string out;
  detail::encode_into(out, xs...);
  return out;
}

/// Tells `service` that process `pid` is gone and runs it.
inline void client_down(test_system& ts, const caf::actor& service,
                        int32_t pid) {
  caf::anon_send(service, detail::client_down_atom::value, pid);
  ts.sched().run();
}

} // namespace actorpool::test
