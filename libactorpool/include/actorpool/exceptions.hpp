#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "actorpool/errc.hpp"

namespace actorpool {

/// Base class of every exception the blocking facade throws (except remote
/// task exceptions of a registered standard or user type, which derive from
/// that type; see `remote_exception`).
class error : public std::runtime_error {
public:
  error(errc code, const std::string& what);

  /// The error code behind this exception.
  errc code() const noexcept {
    return code_;
  }

private:
  errc code_;
};

/// `get(timeout)` or `wait`-style calls that ran out of time; also a task
/// that exceeded its own timeout (Python: `multiprocessing.TimeoutError`).
class timeout_error : public error {
public:
  using error::error;
};

/// The pool is closed or terminated (Python: `ValueError("Pool not running")`).
class pool_not_running : public error {
public:
  using error::error;
};

/// A bad argument, e.g. zero processes (Python: `ValueError`).
class bad_argument : public error {
public:
  using error::error;
};

/// A value could not be serialized or deserialized (Python:
/// `MaybeEncodingError` and pickling errors).
class encoding_error : public error {
public:
  using error::error;
};

/// The function is not registered as a task (see `ACTORPOOL_TASK`).
class unknown_task_error : public error {
public:
  using error::error;
};

/// The worker running the task died and the retry budget is spent.
class worker_died_error : public error {
public:
  using error::error;
};

/// A worker failed to start, or the pool's initializer failed.
class start_error : public error {
public:
  using error::error;
};

/// The task was cancelled, or dropped by `terminate()`.
class cancelled_error : public error {
public:
  using error::error;
};

/// The input range of `map`/`imap` threw while being read in the worker-side
/// feeder, with the original exception's type and message.
class input_error : public error {
public:
  using error::error;
};

/// `get` on an empty queue without blocking or within its timeout (Python:
/// `queue.Empty`).
class queue_empty : public error {
public:
  using error::error;
};

/// `put` on a full queue without blocking or within its timeout (Python:
/// `queue.Full`).
class queue_full : public error {
public:
  using error::error;
};

/// A primitive used in a state that forbids it, e.g. releasing a lock that is
/// not held (Python: `ValueError`, `RuntimeError`, `AssertionError`).
class state_error : public error {
public:
  using error::error;
};

/// A broken barrier (Python: `threading.BrokenBarrierError`).
class broken_barrier_error : public error {
public:
  using error::error;
};

/// The other end is closed or gone (Python: `EOFError`).
class eof_error : public error {
public:
  using error::error;
};

/// Anything else: protocol violations, failed system calls.
class system_error : public error {
public:
  using error::error;
};

/// What is known about an exception that a task threw in a worker process.
/// Every exception thrown for a failed task derives from this class, so
/// `catch (const actorpool::remote_failure& e)` catches all of them.
class remote_failure {
public:
  remote_failure(std::string type_name, std::string message, int pid);

  virtual ~remote_failure();

  /// Demangled dynamic type of the original exception, e.g.
  /// `"std::invalid_argument"`.
  const std::string& type_name() const noexcept {
    return type_name_;
  }

  /// The original `what()` text.
  const std::string& message() const noexcept {
    return message_;
  }

  /// Process id of the worker that ran the task.
  int pid() const noexcept {
    return pid_;
  }

private:
  std::string type_name_;
  std::string message_;
  int pid_;
};

/// A remote exception whose type is not registered on this side: an
/// `actorpool::error` with code `task_failed`.
class task_error : public error, public remote_failure {
public:
  task_error(std::string type_name, std::string message, int pid);
};

/// A remote exception of a registered type `T` (the standard exception types
/// of `<stdexcept>`, the library's own ones derived from `error`, plus user
/// types registered with `ACTORPOOL_EXCEPTION`): catchable as `T` and as
/// `remote_failure`; `what()` is the original text.
template <class T>
class remote_exception : public T, public remote_failure {
public:
  /// For types constructible from a string.
  remote_exception(const std::string& type_name, const std::string& message,
                   int pid)
    : T(message), remote_failure(type_name, message, pid) {
    // nop
  }

  /// For types derived from `error`, with the original's code.
  remote_exception(errc code, const std::string& type_name,
                   const std::string& message, int pid)
    : T(code, message), remote_failure(type_name, message, pid) {
    // nop
  }
};

/// Throws the exception that matches `err` (never returns). An empty error
/// throws `system_error`.
[[noreturn]] void throw_error(const caf::error& err);

/// Builds the `caf::error` that `throw_error` turns back into an exception of
/// the same kind; used to carry an exception through actors.
caf::error error_from_exception(std::exception_ptr ep);

namespace detail {

/// Demangled name of the dynamic type of the exception in flight.
std::string current_exception_type_name();

/// Demangles a `typeid(...).name()`.
std::string demangle(const char* mangled);

using exception_thrower = void (*)(const std::string& type_name,
                                   const std::string& message, int pid);

/// Registers how to rethrow a remote exception of the given demangled type.
void register_exception(const char* type_name, exception_thrower fn);

/// The code named at the start of `what` as the library writes it
/// (`"actorpool::empty: ..."`), else `fallback`.
errc code_in_text(const std::string& what, errc fallback) noexcept;

/// Registers `T` under its demangled name. A type derived from `error` gets
/// the code its text names, else `fallback`.
template <class T, errc Fallback = errc::task_failed>
struct exception_registrar {
  exception_registrar() {
    register_exception(demangle(typeid(T).name()).c_str(),
                       [](const std::string& tn, const std::string& msg,
                          int pid) {
                         if constexpr (std::is_base_of_v<error, T>)
                           throw remote_exception<T>(code_in_text(msg,
                                                                  Fallback),
                                                     tn, msg, pid);
                         else
                           throw remote_exception<T>(tn, msg, pid);
                       });
  }
};

} // namespace detail

} // namespace actorpool

#define ACTORPOOL_PP_CAT_(a, b) a##b
#define ACTORPOOL_PP_CAT(a, b) ACTORPOOL_PP_CAT_(a, b)

/// Lets a remote exception of type `T` (constructible from `std::string`, or
/// derived from `actorpool::error` and constructible from its code and text)
/// be rethrown as `remote_exception<T>` by `get()`, so `catch (const T&)`
/// works. Use at namespace scope.
#define ACTORPOOL_EXCEPTION(T)                             \
  static const ::actorpool::detail::exception_registrar<T> \
    ACTORPOOL_PP_CAT(actorpool_exception_registrar_, __COUNTER__);
