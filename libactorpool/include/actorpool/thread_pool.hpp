#pragma once

#include <caf/fwd.hpp>

#include <iterator>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/detail/closure.hpp"
#include "actorpool/detail/closure_imap.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/pool_options.hpp"

namespace actorpool {

namespace detail {

/// The items of `Range`, decayed.
template <class Range>
using item_of = std::decay_t<decltype(*std::begin(
  std::declval<const Range&>()))>;

template <class F, class Tuple, size_t... Is>
auto star_invoke(std::index_sequence<Is...>)
  -> std::invoke_result_t<F, decltype(std::get<Is>(std::declval<Tuple>()))...>;

/// What `F` returns for one item (`Star`: unpacked), or no type.
template <bool Star>
struct item_invoker {
  template <class F, class Item>
  using result = std::invoke_result_t<F, Item>;
};

template <>
struct item_invoker<true> {
  template <class F, class Item>
  using result = decltype(star_invoke<F, Item>(
    std::make_index_sequence<std::tuple_size_v<std::decay_t<Item>>>{}));
};

} // namespace detail

/// What a `thread_pool` map of `F` over `Range` (`Star`: a starmap) gives
/// per item, decayed.
template <class F, class Range, bool Star>
using thread_map_item_t = std::decay_t<typename detail::item_invoker<
  Star>::template result<std::decay_t<F>&, detail::item_of<Range>&&>>;

/// What such a map gives in all: a vector of results, or `void`.
template <class F, class Range, bool Star>
using thread_map_result_t = std::conditional_t<
  std::is_void_v<thread_map_item_t<F, Range, Star>>, void,
  std::vector<thread_map_item_t<F, Range, Star>>>;

/// What a `thread_pool`'s lazy map (`imap`) of `F` over `Range` gives per
/// item, decayed.
template <class F, class Range>
using thread_imap_item_t = std::decay_t<
  std::invoke_result_t<std::decay_t<F>&, detail::lazy_item_of<Range>&&>>;

/// What `f(xs...)` returns on a thread pool's worker, the arguments moved in
/// (decayed).
template <class F, class... Ts>
using thread_call_result_t = std::decay_t<
  std::invoke_result_t<std::decay_t<F>&, std::decay_t<Ts>&&...>>;

/// A pool whose workers are threads of this process (Python:
/// `multiprocessing.dummy.Pool`).
///
/// It is a `pool`: every member function, `actor()`, `wait` and
/// `as_completed`, `call_options` and `this_task` work as they do with
/// processes, through the same coordinator (windows, early termination,
/// streams, cancellation and timeouts). Each worker is a detached actor of
/// the pool's actor system, running chunks one after another. `apply`,
/// `map`, `starmap`, `imap`, `imap_unordered`, `find_first`,
/// `for_each_result` and their `_async` forms take any callable (a lambda
/// with captures, a function object, a `std::function`, a registered task)
/// and move its arguments and results, a task's exception reaching the
/// caller as the object thrown (see below); each chunk is a closure kept in
/// a side table until a worker thread runs it, scheduled by the coordinator
/// like any task. The push streams (`stream`, `search`), and every call made
/// through a `pool&`, take registered tasks and encode as with processes.
///
/// What threads change: a running task cannot be killed. A chunk past its
/// timeout fails with `timeout_error` at the deadline and a new thread takes
/// its place, while the old one runs on, counted in
/// `pool_stats::stuck_threads` until its task returns (its result is
/// dropped; the program's actor system waits for it when it shuts down).
/// `terminate` lets running threads go the same way. Cancellation is
/// cooperative only (`this_task::cancelled`), a task that crashes ends the
/// whole program, and `max_worker_memory` has no effect (threads share the
/// process's memory). `pool_options::processes` is the number of threads.
class thread_pool : public pool {
public:
  /// Starts `cpu_count()` threads and waits until they are ready.
  thread_pool();

  /// Starts `threads` threads; throws `bad_argument` if `threads < 1`.
  explicit thread_pool(long threads);

  /// Starts a pool as configured; throws `bad_argument` for invalid options
  /// and `start_error` if the initializer fails.
  explicit thread_pool(const pool_options& opts);

  /// Like `thread_pool(opts)`, inside an actor system of the caller's (no
  /// middleman needed).
  thread_pool(caf::actor_system& sys, const pool_options& opts);

  thread_pool(thread_pool&&) noexcept = default;

  // -- single calls of any callable -------------------------------------------

  /// Runs `f(xs...)` on a worker thread and returns its result: `f` is any
  /// callable (a registered task, a lambda with captures, a function object,
  /// a `std::function`), the arguments are moved to it (`std::ref` passes
  /// the caller's object) and the result is moved back; nothing is encoded.
  /// A task's exception is rethrown as the very object it threw.
  template <class F, class... Ts>
  auto apply(F&& f, Ts&&... xs) -> thread_call_result_t<F, Ts...> {
    return apply(call_options{}, std::forward<F>(f), std::forward<Ts>(xs)...);
  }

  /// `apply` with per-call settings (a timeout).
  template <class F, class... Ts>
  auto apply(const call_options& opts, F&& f, Ts&&... xs)
    -> thread_call_result_t<F, Ts...> {
    using R = thread_call_result_t<F, Ts...>;
    auto r = apply_async(opts, std::forward<F>(f), std::forward<Ts>(xs)...);
    if constexpr (std::is_void_v<R>)
      r.get();
    else
      return r.state()->take();
  }

  /// Starts `f(xs...)` on a worker thread, `f` and the arguments as for
  /// `apply`; the result stays in the `async_result` (`get()` returns a
  /// reference to it).
  template <class F, class... Ts>
  auto apply_async(F&& f, Ts&&... xs)
    -> async_result<thread_call_result_t<F, Ts...>> {
    return apply_async(call_options{}, std::forward<F>(f),
                       std::forward<Ts>(xs)...);
  }

  /// `apply_async` with per-call settings (a timeout).
  template <class F, class... Ts>
  auto apply_async(const call_options& opts, F&& f, Ts&&... xs)
    -> async_result<thread_call_result_t<F, Ts...>> {
    using R = thread_call_result_t<F, Ts...>;
    using closure_type = detail::call_closure<R, std::decay_t<F>,
                                              std::decay_t<Ts>...>;
    auto st = detail::make_call_state<R>({1}, channel().executor(),
                                         closure_decoder<R>());
    auto key = detail::store_closure(
      std::make_unique<closure_type>(st, std::forward<F>(f),
                                     std::forward<Ts>(xs)...));
    st->on_complete([key] { detail::drop_closure(key); });
    std::vector<detail::encoded_chunk> chunks;
    chunks.emplace_back(detail::closure_chunk(key));
    try {
      channel().submit(detail::closure_task_name(), std::move(chunks), st,
                       opts);
    } catch (...) {
      detail::drop_closure(key);
      throw;
    }
    return async_result<R>{std::move(st)};
  }

  // -- maps of any callable ---------------------------------------------------

  /// `f` over every item of `xs`, results in input order, `f` any callable
  /// (copied once per chunk); items are copied from `xs`, results moved
  /// back. `chunksize` as for `pool::map`.
  template <class F, class Range>
  auto map(F&& f, const Range& xs, size_t chunksize = 0)
    -> thread_map_result_t<F, Range, false> {
    return map(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `map` with per-call settings (a timeout per chunk).
  template <class F, class Range>
  auto map(const call_options& opts, F&& f, const Range& xs,
           size_t chunksize = 0) -> thread_map_result_t<F, Range, false> {
    return take(map_async(opts, std::forward<F>(f), xs, chunksize));
  }

  /// Asynchronous `map`; fails with the first exception of any chunk.
  template <class F, class Range>
  auto map_async(F&& f, const Range& xs, size_t chunksize = 0)
    -> async_result<thread_map_result_t<F, Range, false>> {
    return map_async(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `map_async` with per-call settings (a timeout per chunk).
  template <class F, class Range>
  auto map_async(const call_options& opts, F&& f, const Range& xs,
                 size_t chunksize = 0)
    -> async_result<thread_map_result_t<F, Range, false>> {
    return submit_map<false>(opts, f, xs, chunksize);
  }

  /// `f(args...)` for every tuple-like item of `xs`, `f` any callable.
  template <class F, class Range>
  auto starmap(F&& f, const Range& xs, size_t chunksize = 0)
    -> thread_map_result_t<F, Range, true> {
    return take(starmap_async(std::forward<F>(f), xs, chunksize));
  }

  /// Asynchronous `starmap`.
  template <class F, class Range>
  auto starmap_async(F&& f, const Range& xs, size_t chunksize = 0)
    -> async_result<thread_map_result_t<F, Range, true>> {
    return submit_map<true>(call_options{}, f, xs, chunksize);
  }

  // -- lazy maps of any callable ----------------------------------------------

  /// Lazy `map` of any callable `f` (copied once per chunk), results in
  /// input order: as `pool::imap` (the input read in a background actor as
  /// threads free up and results are consumed, `chunksize` items a chunk, a
  /// failed chunk raising at its position, reading stopped when the result
  /// is destroyed), but items are copied from `xs` (moved out of an rvalue
  /// range the result holds), results are moved to the consumer, and a
  /// chunk's exception is the very object its task threw.
  template <class F, class Range>
  auto imap(F&& f, Range&& xs, size_t chunksize = 1)
    -> imap_result<thread_imap_item_t<F, Range>> {
    return imap(call_options{}, std::forward<F>(f), std::forward<Range>(xs),
                chunksize);
  }

  /// `imap` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  auto imap(const call_options& opts, F&& f, Range&& xs, size_t chunksize = 1)
    -> imap_result<thread_imap_item_t<F, Range>> {
    using R = thread_imap_item_t<F, Range>;
    return detail::open_closure_imap<R, false,
                                     std::decay_t<F>>(channel(), f,
                                                      std::forward<Range>(xs),
                                                      chunksize, true, opts);
  }

  /// Like `imap`, results in completion order.
  template <class F, class Range>
  auto imap_unordered(F&& f, Range&& xs, size_t chunksize = 1)
    -> imap_result<thread_imap_item_t<F, Range>> {
    return imap_unordered(call_options{}, std::forward<F>(f),
                          std::forward<Range>(xs), chunksize);
  }

  /// `imap_unordered` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  auto imap_unordered(const call_options& opts, F&& f, Range&& xs,
                      size_t chunksize = 1)
    -> imap_result<thread_imap_item_t<F, Range>> {
    using R = thread_imap_item_t<F, Range>;
    return detail::open_closure_imap<R, false,
                                     std::decay_t<F>>(channel(), f,
                                                      std::forward<Range>(xs),
                                                      chunksize, false, opts);
  }

  // -- early termination of any callable --------------------------------------

  /// Runs any callable `f` over the items of `xs` until a result satisfies
  /// `pred`, then stops, as `pool::find_first` (lazy input, the options'
  /// window and policy, the rest cancelled through `this_task`), with items
  /// copied (moved out of an rvalue range), the matching result moved into
  /// the `find_result`, and a task's exception rethrown as the object it
  /// threw. Throws `state_error` inside a callback of this pool.
  template <class F, class Range, class Pred>
  auto find_first(F&& f, Range&& xs, Pred pred, const find_options& opts = {})
    -> find_result<thread_imap_item_t<F, Range>> {
    if (channel().executor()->runs_here())
      throw state_error(errc::invalid_state,
                        "find_first inside a callback of the same pool would "
                        "wait for that callback's thread");
    return take(find_first_async(std::forward<F>(f), std::forward<Range>(xs),
                                 std::move(pred), opts));
  }

  /// Asynchronous `find_first`; `cancel()` on the result stops the search.
  template <class F, class Range, class Pred>
  auto
  find_first_async(F&& f, Range&& xs, Pred pred, const find_options& opts = {})
    -> async_result<find_result<thread_imap_item_t<F, Range>>> {
    using R = thread_imap_item_t<F, Range>;
    return detail::open_closure_find<R, std::decay_t<F>>(channel(), f,
                                                         std::forward<Range>(
                                                           xs),
                                                         std::move(pred), opts);
  }

  /// Runs any callable `f` over `xs` and hands every result to `on_result`
  /// as it completes, on the pool's callback thread, as
  /// `pool::for_each_result` (false from `on_result` stops the stream), with
  /// items and results as for `find_first`.
  template <class F, class Range, class Fn>
  auto for_each_result(F&& f, Range&& xs, Fn on_result,
                       const find_options& opts = {})
    -> find_result<thread_imap_item_t<F, Range>> {
    using R = thread_imap_item_t<F, Range>;
    return find_first(
      std::forward<F>(f), std::forward<Range>(xs),
      [fn = std::move(on_result)](const R& r) mutable { return !fn(r); }, opts);
  }

private:
  /// Waits for `r` and moves its value out (its only holder).
  template <class T>
  static T take(async_result<T> r) {
    if constexpr (std::is_void_v<T>)
      r.get();
    else
      return r.state()->take();
  }

  /// Submits closure chunks of `chunksize` items (0: about four per thread)
  /// of `xs`, each calling `f` on its items.
  template <bool Star, class F, class Range>
  auto
  submit_map(const call_options& opts, F& f, const Range& xs, size_t chunksize)
    -> async_result<thread_map_result_t<F, Range, Star>> {
    using V = thread_map_result_t<F, Range, Star>;
    using item = std::decay_t<decltype(*std::begin(xs))>;
    using R = thread_map_item_t<F, Range, Star>;
    using closure_type = detail::map_closure<R, Star, std::decay_t<F>, item>;
    std::vector<std::vector<item>> groups;
    size_t n = 0;
    for (auto i = std::begin(xs); i != std::end(xs); ++i)
      ++n;
    auto size = chunksize > 0 ? chunksize
                              : detail::auto_chunksize(n, this->size());
    for (auto i = std::begin(xs); i != std::end(xs); ++i) {
      if (groups.empty() || groups.back().size() >= size)
        groups.emplace_back();
      groups.back().emplace_back(*i);
    }
    std::vector<uint32_t> counts;
    for (auto& g : groups)
      counts.push_back(static_cast<uint32_t>(g.size()));
    auto st = detail::make_call_state<V>(counts, channel().executor(),
                                         closure_decoder<V>());
    if constexpr (!std::is_void_v<V>)
      if (groups.empty())
        st->preset(V{});
    auto parts = std::make_shared<detail::map_parts<R>>(groups.size());
    std::vector<uint64_t> keys;
    std::vector<detail::encoded_chunk> chunks;
    for (size_t k = 0; k < groups.size(); ++k) {
      keys.push_back(detail::store_closure(
        std::make_unique<closure_type>(st, parts, k, std::decay_t<F>{f},
                                       std::move(groups[k]))));
      chunks.emplace_back(detail::closure_chunk(keys.back()));
      chunks.back().count = counts[k];
    }
    st->on_complete([keys] {
      for (auto key : keys)
        detail::drop_closure(key);
    });
    try {
      channel().submit(detail::closure_task_name(), std::move(chunks), st,
                       opts);
    } catch (...) {
      for (auto key : keys)
        detail::drop_closure(key);
      throw;
    }
    return async_result<V>{std::move(st)};
  }

  template <class R>
  static detail::decode_fn<R> closure_decoder() {
    if constexpr (std::is_void_v<R>)
      return nullptr;
    else
      return &detail::no_decoding<R>;
  }
};

} // namespace actorpool
