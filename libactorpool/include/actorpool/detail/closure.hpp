#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

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

/// How many closures wait for a worker thread, in all thread pools (for
/// tests: a call or stream that is over leaves none behind).
size_t stored_closures();

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

/// Calls `f` with `x` (`Star`: with the elements of tuple-like `x`).
template <bool Star, class F, class Item>
decltype(auto) call_item(F& f, Item&& x) {
  if constexpr (Star)
    return std::apply(f, std::forward<Item>(x));
  else
    return f(std::forward<Item>(x));
}

/// The results of a `map` of closures, gathered chunk by chunk: the chunk
/// that completes the set moves them, in input order, into the state.
template <class R>
class map_parts {
public:
  explicit map_parts(size_t chunks) : parts_(chunks), remaining_(chunks) {
    // nop
  }

  void put(size_t index, std::vector<R> ys, typed_state<std::vector<R>>& st) {
    std::lock_guard<std::mutex> guard{mtx_};
    parts_[index] = std::move(ys);
    if (--remaining_ > 0)
      return;
    std::vector<R> all;
    for (auto& part : parts_)
      for (auto& y : part)
        all.emplace_back(std::move(y));
    st.preset(std::move(all));
  }

private:
  std::mutex mtx_;
  std::vector<std::vector<R>> parts_;
  size_t remaining_;
};

/// A map of a callable returning nothing gathers nothing.
template <>
class map_parts<void> {
public:
  explicit map_parts(size_t) {
    // nop
  }
};

/// One chunk of a `map` of any callable: a copy of `f` and the items, their
/// results moved to `parts` (none for `R` void).
template <class R, bool Star, class F, class Item>
class map_closure final : public closure {
public:
  using state_type = typename async_result<
    std::conditional_t<std::is_void_v<R>, void, std::vector<R>>>::state_type;

  map_closure(std::shared_ptr<state_type> st,
              std::shared_ptr<map_parts<R>> parts, size_t index, F f,
              std::vector<Item> items)
    : st_(std::move(st)), parts_(std::move(parts)), index_(index),
      f_(std::move(f)), items_(std::move(items)) {
    // nop
  }

  bool run() noexcept override {
    try {
      if constexpr (std::is_void_v<R>) {
        for (auto& x : items_)
          call_item<Star>(f_, std::move(x));
      } else {
        std::vector<R> ys;
        ys.reserve(items_.size());
        for (auto& x : items_)
          ys.emplace_back(call_item<Star>(f_, std::move(x)));
        parts_->put(index_, std::move(ys), *st_);
      }
      return true;
    } catch (...) {
      st_->set_thrown(std::current_exception());
      return false;
    }
  }

private:
  std::shared_ptr<state_type> st_;
  std::shared_ptr<map_parts<R>> parts_;
  size_t index_;
  F f_;
  std::vector<Item> items_;
};

/// A decoder for results that are never encoded: closures preset them.
template <class T>
T no_decoding(const std::vector<std::string>&, const std::vector<uint32_t>&) {
  throw codec_failure(errc::encoding_failed,
                      "a thread pool's result was not set by its task");
}

} // namespace actorpool::detail
