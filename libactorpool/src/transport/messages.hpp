#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

namespace actorpool::detail {

/// Version of the frame protocol; a worker saying hello with another version
/// is rejected.
constexpr uint32_t protocol_version = 4;

/// First byte of every frame body.
enum class frame_kind : uint8_t {
  /// child -> parent: `hello_msg`, the first frame of every worker.
  hello = 1,
  /// parent -> child: `std::vector<task_msg>`.
  tasks,
  /// child -> parent: `std::vector<result_msg>`.
  results,
  /// parent -> child: `task_msg` for the initializer (id 0).
  init,
  /// parent -> child: no body; finish queued tasks, then exit.
  shutdown,
  /// parent -> child: `uint64_t` task id to cancel.
  cancel,
  /// child -> parent: `service_call_msg` from task code to a service actor.
  service_call,
  /// parent -> child: `service_reply_msg`.
  service_reply,
  /// parent -> child: `task_msg` for the one task of a `process`; the child
  /// exits when it returns.
  target,
  /// child -> parent, instead of hello: `std::string`, why the child cannot
  /// serve (the program ran `main` instead of serving); the child exits.
  refusal,
  /// parent -> child: `std::vector<uint64_t>` task ids to take back: those
  /// that have not started are dropped and reported as `not_started` (in
  /// one `results` frame), the others are left alone.
  revoke,
};

constexpr uint8_t max_frame_kind = static_cast<uint8_t>(frame_kind::revoke);

/// First frame of a worker process.
struct hello_msg {
  uint32_t version = 0;
  int32_t pid = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hello_msg& x) {
  return f(caf::meta::type_name("hello_msg"), x.version, x.pid);
}

/// Bytes that never change once made, shared by reference counting: a copy
/// costs a pointer, not the bytes (a chunk's arguments, kept by the
/// coordinator for a retry while a link writes them). Encoded as a string.
class shared_payload {
public:
  shared_payload() = default;

  shared_payload(std::string bytes)
    : bytes_(std::make_shared<const std::string>(std::move(bytes))) {
    // nop
  }

  shared_payload(const char* bytes) : shared_payload(std::string{bytes}) {
    // nop
  }

  /// The bytes; an empty string for a default-constructed payload.
  const std::string& str() const noexcept {
    static const std::string empty;
    return bytes_ ? *bytes_ : empty;
  }

  operator const std::string&() const noexcept {
    return str();
  }

  const char* data() const noexcept {
    return str().data();
  }

  size_t size() const noexcept {
    return str().size();
  }

  bool empty() const noexcept {
    return str().empty();
  }

private:
  std::shared_ptr<const std::string> bytes_;
};

inline bool operator==(const shared_payload& x, const std::string& y) {
  return x.str() == y;
}

inline bool operator==(const shared_payload& x, const char* y) {
  return x.str() == y;
}

inline bool operator!=(const shared_payload& x, const std::string& y) {
  return !(x == y);
}

inline std::string operator+(const std::string& x, const shared_payload& y) {
  return x + y.str();
}

inline std::ostream& operator<<(std::ostream& out, const shared_payload& x) {
  return out << x.str();
}

/// Serializing reads the bytes where they are (a sink may point at them
/// rather than copy them); deserializing makes new ones.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shared_payload& x) {
  if constexpr (Inspector::reads_state) {
    return f(const_cast<std::string&>(x.str()));
  } else {
    std::string bytes;
    auto err = f(bytes);
    if (!err)
      x = shared_payload{std::move(bytes)};
    return err;
  }
}

/// One unit of work: `count` encoded argument tuples for task `name`.
struct task_msg {
  /// `flags`: report the results of earlier tasks before starting this one
  /// (it has a timeout, whose clock the parent starts when they arrive).
  static constexpr uint8_t flush_first = 1;
  uint64_t id = 0;
  std::string name;
  uint32_t count = 1;
  shared_payload payload;
  uint8_t flags = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_msg& x) {
  return f(caf::meta::type_name("task_msg"), x.id, x.name, x.count, x.payload,
           x.flags);
}

/// Outcome of one `task_msg`.
struct result_msg {
  /// `not_started`: the worker dropped the task on a cancel or a revoke
  /// before it ran.
  enum status_code : uint8_t { ok = 0, failed = 1, not_started = 2 };
  uint64_t id = 0;
  uint8_t status = ok;
  /// Microseconds the worker spent running the task.
  uint32_t exec_us = 0;
  /// `ok`: the encoded results; `failed`: an encoded `failure_msg`;
  /// `not_started`: empty.
  std::string payload;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, result_msg& x) {
  return f(caf::meta::type_name("result_msg"), x.id, x.status, x.exec_us,
           x.payload);
}

/// Why a task failed in a worker.
struct failure_msg {
  /// An `errc` value.
  uint8_t code = 0;
  /// Exception type (for `task_failed`), else empty.
  std::string type_name;
  std::string message;
  int32_t pid = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, failure_msg& x) {
  return f(caf::meta::type_name("failure_msg"), x.code, x.type_name, x.message,
           x.pid);
}

/// A call of operation `op` of service `service` by a thread of a worker.
struct service_call_msg {
  /// The `call_id` of a call nobody waits for: the parent sends no reply.
  static constexpr uint64_t no_reply = 0;
  uint64_t call_id = 0;
  uint64_t service = 0;
  uint64_t thread = 0;
  uint8_t op = 0;
  std::string payload;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, service_call_msg& x) {
  return f(caf::meta::type_name("service_call_msg"), x.call_id, x.service,
           x.thread, x.op, x.payload);
}

/// The answer to a `service_call_msg`: `ok` with the result payload, or
/// `failed` with an encoded `(uint8_t errc, std::string message)`.
struct service_reply_msg {
  enum status_code : uint8_t { ok = 0, failed = 1 };
  uint64_t call_id = 0;
  uint8_t status = ok;
  std::string payload;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, service_reply_msg& x) {
  return f(caf::meta::type_name("service_reply_msg"), x.call_id, x.status,
           x.payload);
}

} // namespace actorpool::detail
