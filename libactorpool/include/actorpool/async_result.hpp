#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/result_state.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool {

namespace detail {

/// Decodes the chunk payloads of a finished submission into a `T`.
template <class T>
using decode_fn = T (*)(const std::vector<std::string>& payloads,
                        const std::vector<uint32_t>& counts);

/// `result_state` plus the decoded value, produced once on first access.
template <class T>
class typed_state : public result_state {
public:
  typed_state(std::vector<uint32_t> counts, executor_ptr exec,
              decode_fn<T> decode)
    : result_state(counts.size(), std::move(exec)), counts_(std::move(counts)),
      decode_(decode) {
    // nop
  }

  /// Waits until ready, then returns the decoded value; throws the task's
  /// error on failure.
  const T& value() {
    wait();
    return decoded();
  }

  /// Finishes the state with `x` as its value (for results that are made in
  /// this process rather than decoded).
  void set_value(T x) {
    {
      std::lock_guard<std::mutex> guard{decode_mutex()};
      value_.emplace(std::move(x));
    }
    deliver(0, 1, std::string{});
  }

  /// Sets the value before the state finishes, for a result made in this
  /// process by the task itself (`thread_pool`); its chunk's delivery then
  /// finishes the state.
  void preset(T x) {
    std::lock_guard<std::mutex> guard{decode_mutex()};
    value_.emplace(std::move(x));
  }

  /// Waits until ready and moves the value out: for the one owner of the
  /// state (a blocking `apply`), as it leaves nothing for other readers.
  T take() {
    value();
    std::lock_guard<std::mutex> guard{decode_mutex()};
    return std::move(*value_);
  }

  /// Returns the decoded value of a finished state (used by callbacks, which
  /// run before the state becomes ready).
  const T& decoded() {
    if (auto err = error())
      throw_failure(err);
    std::lock_guard<std::mutex> guard{decode_mutex()};
    if (!value_) {
      try {
        value_.emplace(decode_(payloads(), counts_));
      } catch (const codec_failure& e) {
        throw encoding_error(e.code(), e.what());
      }
    }
    return *value_;
  }

private:
  std::vector<uint32_t> counts_;
  decode_fn<T> decode_;
  std::optional<T> value_;
};

/// Decodes the single result of an `apply`.
template <class T>
T decode_single(const std::vector<std::string>& payloads,
                const std::vector<uint32_t>&) {
  return decode_one<T>(payloads.at(0));
}

/// Decodes the concatenated results of a `map`.
template <class V>
V decode_many(const std::vector<std::string>& payloads,
              const std::vector<uint32_t>& counts) {
  V result;
  size_t total = 0;
  for (auto n : counts)
    total += n;
  result.reserve(total);
  for (size_t i = 0; i < payloads.size(); ++i) {
    decoder src{payloads[i]};
    for (uint32_t j = 0; j < counts[i]; ++j) {
      typename V::value_type x{};
      src.read(x);
      result.emplace_back(std::move(x));
    }
    src.expect_end();
  }
  return result;
}

/// The decoder for a single result (none for `void`).
template <class T>
decode_fn<T> single_decoder() {
  if constexpr (std::is_void_v<T>)
    return nullptr;
  else
    return &decode_single<T>;
}

/// The decoder for a list of results (none for `void`).
template <class V>
decode_fn<V> many_decoder() {
  if constexpr (std::is_void_v<V>)
    return nullptr;
  else
    return &decode_many<V>;
}

/// Calls `fn` with the exception that `err` stands for.
/// Calls `fn` with the exception that `err` stands for, or with `thrown`
/// (the task's own exception, in a `thread_pool`) if it is set and derives
/// from `std::exception`.
void call_with_exception(const caf::error& err,
                         const std::function<void(const std::exception&)>& fn,
                         std::exception_ptr thrown = nullptr);

} // namespace detail

/// The result of an asynchronous call (Python: `AsyncResult`). Cheap to copy;
/// all copies share one state. `T` is `void` for tasks returning nothing.
template <class T>
class async_result {
public:
  using value_type = T;
  using state_type = std::conditional_t<std::is_void_v<T>, detail::result_state,
                                        detail::typed_state<T>>;

  async_result() = default;

  explicit async_result(std::shared_ptr<state_type> st) : st_(std::move(st)) {
    // nop
  }

  /// Waits for the result and returns it, or throws the task's exception
  /// (see `exceptions.hpp`). May be called any number of times.
  decltype(auto) get() const {
    if constexpr (std::is_void_v<T>) {
      st_->wait();
      if (auto err = st_->error())
        st_->throw_failure(err);
    } else {
      return static_cast<const T&>(st_->value());
    }
  }

  /// Like `get()`, but throws `timeout_error` if the result is not ready
  /// within `timeout` (the task keeps running).
  template <class Rep, class Period>
  decltype(auto) get(std::chrono::duration<Rep, Period> timeout) const {
    if (!wait(timeout))
      throw timeout_error(errc::timeout, "get() timed out");
    return get();
  }

  /// Blocks until the result is ready.
  void wait() const {
    st_->wait();
  }

  /// Blocks until the result is ready or `timeout` passed; returns `ready()`.
  template <class Rep, class Period>
  bool wait(std::chrono::duration<Rep, Period> timeout) const {
    return st_->wait_for(
      std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
  }

  /// Returns whether the call has completed.
  bool ready() const {
    return st_->ready();
  }

  /// Returns whether the call completed without error; throws `bad_argument`
  /// while the result is not ready (as Python raises `ValueError`).
  bool successful() const {
    if (!st_->ready())
      throw bad_argument(errc::invalid_argument, "result is not ready");
    return st_->successful();
  }

  /// Cancels the call (Python: `Future.cancel`, but also for running
  /// work): the result becomes ready at once, failed with `cancelled_error`;
  /// queued tasks are dropped, and running ones are asked to stop
  /// (`this_task::cancelled()`), their worker killed and replaced if they
  /// still run after the pool's `cancel_grace`. Returns false if the result
  /// was already finished (then nothing changes).
  bool cancel() const {
    return st_->cancel();
  }

  /// Whether the call was cancelled (by `cancel()` or `terminate()`).
  bool cancelled() const {
    return st_->cancelled();
  }

  /// Runs `fn(value)` once the call succeeds (Python's `callback`), on the
  /// pool's callback thread; right away if it already succeeded. Callbacks
  /// should return quickly: they run one after another.
  template <class F>
  const async_result& on_success(F fn) const {
    auto st = st_;
    st_->on_complete([st, fn]() mutable {
      if (st->error())
        return;
      if constexpr (std::is_void_v<T>)
        fn();
      else
        fn(st->decoded());
    });
    return *this;
  }

  /// Runs `fn(e)` with the exception the call failed with (Python's
  /// `error_callback`), on the pool's callback thread.
  template <class F>
  const async_result& on_error(F fn) const {
    auto st = st_;
    st_->on_complete([st, fn]() mutable {
      if (auto err = st->error())
        detail::call_with_exception(err, fn, st->thrown());
    });
    return *this;
  }

  /// Returns whether this handle refers to a call.
  bool valid() const noexcept {
    return st_ != nullptr;
  }

  /// The shared state (for the pool and for tests).
  const std::shared_ptr<state_type>& state() const noexcept {
    return st_;
  }

private:
  std::shared_ptr<state_type> st_;
};

} // namespace actorpool
