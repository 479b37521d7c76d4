#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "actorpool/async_result.hpp"

namespace actorpool::detail {

/// One call of any callable with its arguments, for a `thread_pool`: run on
/// a worker thread, it moves the result (or the exception thrown) into the
/// state of the caller's `async_result`. Nothing is encoded.
class closure {
public:
  virtual ~closure();

  /// Makes the call; false if it threw (the exception is in the state).
  virtual bool run() noexcept = 0;
};

/// The task that runs closures: its chunks carry only a key of the closure
/// table, so the coordinator schedules them as any other.
const std::string& closure_task_name();

/// Keeps `c` until a worker thread takes it; returns its key.
uint64_t store_closure(std::unique_ptr<closure> c);

/// Forgets the closure `key` unless a worker took it (its call ended
/// before it ran: cancelled, terminated, timed out).
void drop_closure(uint64_t key);

/// The chunk of closure `key`.
encoded_chunk closure_chunk(uint64_t key);

/// `f(xs...)` with the arguments moved in, the result moved out.
template <class R, class F, class... Ts>
class call_closure final : public closure {
public:
  using state_type = typename async_result<R>::state_type;

  call_closure(std::shared_ptr<state_type> st, F f, Ts... xs)
    : st_(std::move(st)), f_(std::move(f)), args_(std::move(xs)...) {
    // nop
  }

  bool run() noexcept override {
    try {
      if constexpr (std::is_void_v<R>)
        std::apply(f_, std::move(args_));
      else
        st_->preset(std::apply(f_, std::move(args_)));
      return true;
    } catch (...) {
      st_->set_thrown(std::current_exception());
      return false;
    }
  }

private:
  std::shared_ptr<state_type> st_;
  F f_;
  std::tuple<Ts...> args_;
};

/// A decoder for results that are never encoded: closures preset them.
template <class T>
T no_decoding(const std::vector<std::string>&, const std::vector<uint32_t>&) {
  throw codec_failure(errc::encoding_failed,
                      "a thread pool's result was not set by its task");
}

} // namespace actorpool::detail
