#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/fwd.hpp>

#include "actorpool/async_result.hpp"
#include "actorpool/call_options.hpp"
#include "actorpool/detail/pool_channel.hpp"
#include "actorpool/detail/prepared_call.hpp"
#include "actorpool/detail/stream_openers.hpp"
#include "actorpool/detail/worker_kind.hpp"
#include "actorpool/find_result.hpp"
#include "actorpool/imap_result.hpp"
#include "actorpool/pool_actor.hpp"
#include "actorpool/pool_options.hpp"
#include "actorpool/pool_stats.hpp"
#include "actorpool/task.hpp"
#include "actorpool/task_stream.hpp"

namespace actorpool {

/// The value type a task returns (decayed), `void` for none.
template <class F>
using task_result_t = std::decay_t<
  typename detail::task_traits<F>::result_type>;

/// The result type of task `F` for the functions that need one (`imap`,
/// `find_first`, `search`); the compiler reports a task returning `void`.
template <class F>
using needed_result_t = typename detail::needed_result<F,
                                                       task_result_t<F>>::type;

/// What `map` returns for task `F`: a vector of results, or nothing (a
/// stand-in if `F` cannot be a task).
template <class F>
using map_result_t = std::conditional_t<
  !detail::task_traits<F>::valid, detail::not_a_task_list,
  std::conditional_t<std::is_void_v<task_result_t<F>>, void,
                     std::vector<task_result_t<F>>>>;

/// A pool of worker processes (Python: `multiprocessing.Pool`).
///
/// Workers are separate processes running this same program; tasks are
/// functions registered with `ACTORPOOL_TASK` or `make_task`, and arguments
/// and results are copied to and from the workers with CAF's binary
/// serialization (any type with an `inspect` overload). A coordinator actor
/// schedules the work; the pool object is a blocking facade over it, and
/// `actor()` gives the same pool to other CAF actors.
///
/// Member functions may be called from any thread. The destructor closes
/// the pool and joins it: it waits for the submitted work to finish (unlike
/// Python's `with Pool()`, which terminates it).
///
/// `thread_pool` derives from `pool`: code taking a `pool&` runs on either
/// kind of worker.
class pool {
public:
  // -- constructors, destructors, and assignment operators --------------------

  /// Starts `cpu_count()` workers and waits until they are ready.
  pool();

  /// Starts `processes` workers (Python: `Pool(processes)`); throws
  /// `bad_argument` if `processes < 1`.
  explicit pool(long processes);

  /// Starts a pool as configured; throws `bad_argument` for invalid options
  /// and `start_error` if the workers cannot start or initialize.
  explicit pool(const pool_options& opts);

  /// Like `pool(opts)`, inside an actor system of the caller's (which must
  /// have loaded `caf::io::middleman`).
  pool(caf::actor_system& sys, const pool_options& opts);

  pool(pool&&) noexcept;

  pool& operator=(pool&&) = delete;

  pool(const pool&) = delete;

  pool& operator=(const pool&) = delete;

  /// `close()` and `join()` unless done already.
  virtual ~pool();

  // -- single calls -----------------------------------------------------------

  /// Runs `f(xs...)` in a worker and returns its result (Python: `apply`).
  template <class F, class... Ts>
  task_result_t<F> apply(F&& f, Ts&&... xs) {
    return apply(call_options{}, std::forward<F>(f), std::forward<Ts>(xs)...);
  }

  /// `apply` with per-call settings (a timeout).
  template <class F, class... Ts>
  task_result_t<F> apply(const call_options& opts, F&& f, Ts&&... xs) {
    return apply_async(opts, std::forward<F>(f), std::forward<Ts>(xs)...).get();
  }

  /// Starts `f(xs...)` in a worker (Python: `apply_async`). The arguments
  /// are encoded before this returns; encoding errors throw right away.
  template <class F, class... Ts>
  async_result<task_result_t<F>> apply_async(F&& f, Ts&&... xs) {
    return apply_async(call_options{}, std::forward<F>(f),
                       std::forward<Ts>(xs)...);
  }

  /// `apply_async` with per-call settings (a timeout).
  template <class F, class... Ts>
  async_result<task_result_t<F>>
  apply_async(const call_options& opts, F&& f, Ts&&... xs) {
    return detail::submit_apply<task_result_t<F>, F>(channel(), f, opts,
                                                     std::forward<Ts>(xs)...);
  }

  // -- maps -------------------------------------------------------------------

  /// `f` over every item of `xs`, results in input order (Python: `map`).
  /// `chunksize` items travel together; 0 picks about four chunks per
  /// worker. The input is read once, right away, in the calling thread.
  template <class F, class Range>
  map_result_t<F> map(F&& f, const Range& xs, size_t chunksize = 0) {
    return map(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `map` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  map_result_t<F>
  map(const call_options& opts, F&& f, const Range& xs, size_t chunksize = 0) {
    return map_async(opts, std::forward<F>(f), xs, chunksize).get();
  }

  /// Asynchronous `map` (Python: `map_async`); fails with the first error of
  /// any chunk.
  template <class F, class Range>
  async_result<map_result_t<F>>
  map_async(F&& f, const Range& xs, size_t chunksize = 0) {
    return map_async(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `map_async` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  async_result<map_result_t<F>> map_async(const call_options& opts, F&& f,
                                          const Range& xs,
                                          size_t chunksize = 0) {
    return detail::submit_map<map_result_t<F>, F, false>(channel(), f, xs,
                                                         chunksize, opts);
  }

  /// `f(args...)` for every tuple-like item of `xs` (Python: `starmap`).
  template <class F, class Range>
  map_result_t<F> starmap(F&& f, const Range& xs, size_t chunksize = 0) {
    return starmap(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `starmap` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  map_result_t<F> starmap(const call_options& opts, F&& f, const Range& xs,
                          size_t chunksize = 0) {
    return starmap_async(opts, std::forward<F>(f), xs, chunksize).get();
  }

  /// Asynchronous `starmap` (Python: `starmap_async`).
  template <class F, class Range>
  async_result<map_result_t<F>>
  starmap_async(F&& f, const Range& xs, size_t chunksize = 0) {
    return starmap_async(call_options{}, std::forward<F>(f), xs, chunksize);
  }

  /// `starmap_async` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  async_result<map_result_t<F>> starmap_async(const call_options& opts, F&& f,
                                              const Range& xs,
                                              size_t chunksize = 0) {
    return detail::submit_map<map_result_t<F>, F, true>(channel(), f, xs,
                                                        chunksize, opts);
  }

  // -- lazy maps --------------------------------------------------------------

  /// Lazy `map` (Python: `imap`): the input is read in a background actor
  /// only as workers free up and results are consumed, so memory stays
  /// bounded however long the input is. Results come in input order.
  template <class F, class Range>
  imap_result<needed_result_t<F>>
  imap(F&& f, Range&& xs, size_t chunksize = 1) {
    return imap(call_options{}, std::forward<F>(f), std::forward<Range>(xs),
                chunksize);
  }

  /// `imap` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  imap_result<needed_result_t<F>>
  imap(const call_options& opts, F&& f, Range&& xs, size_t chunksize = 1) {
    using R = needed_result_t<F>;
    return detail::open_imap<R, F>(channel(), f, std::forward<Range>(xs),
                                   chunksize, true, opts);
  }

  /// Like `imap`, results in completion order (Python: `imap_unordered`).
  template <class F, class Range>
  imap_result<needed_result_t<F>>
  imap_unordered(F&& f, Range&& xs, size_t chunksize = 1) {
    return imap_unordered(call_options{}, std::forward<F>(f),
                          std::forward<Range>(xs), chunksize);
  }

  /// `imap_unordered` with per-call settings (a timeout per chunk, progress).
  template <class F, class Range>
  imap_result<needed_result_t<F>> imap_unordered(const call_options& opts,
                                                 F&& f, Range&& xs,
                                                 size_t chunksize = 1) {
    using R = needed_result_t<F>;
    return detail::open_imap<R, F>(channel(), f, std::forward<Range>(xs),
                                   chunksize, false, opts);
  }

  // -- early termination ------------------------------------------------------

  /// Runs `f` over the inputs of `xs` until a result satisfies `pred`, then
  /// stops: no more input is read, queued tasks are dropped, and running
  /// ones are cancelled (`this_task::cancelled()` turns true; a task still
  /// running after the pool's `cancel_grace` is killed with its worker,
  /// which is replaced). Returns the matching result, its input index and
  /// what became of the other inputs; `found()` is false when no input
  /// matched. `xs` is read lazily, as workers free up, and may be unbounded
  /// (`generate`, `irange`): memory stays bounded by the options' window.
  /// A task's exception (or the input's) ends the search and is rethrown.
  /// `pred` runs on the pool's callback thread, one result at a time, so
  /// `find_first` inside a callback of this pool throws `state_error`.
  template <class F, class Range, class Pred>
  find_result<needed_result_t<F>>
  find_first(F&& f, Range&& xs, Pred pred, const find_options& opts = {}) {
    if (channel().executor()->runs_here())
      throw state_error(errc::invalid_state,
                        "find_first inside a callback of the same pool would "
                        "wait for that callback's thread");
    return find_first_async(std::forward<F>(f), std::forward<Range>(xs),
                            std::move(pred), opts)
      .get();
  }

  /// Asynchronous `find_first`; `cancel()` on the result stops the search.
  template <class F, class Range, class Pred>
  async_result<find_result<needed_result_t<F>>>
  find_first_async(F&& f, Range&& xs, Pred pred,
                   const find_options& opts = {}) {
    using R = needed_result_t<F>;
    return detail::open_find_first<R, F>(channel(), f, std::forward<Range>(xs),
                                         std::move(pred), opts);
  }

  // -- producer/consumer streams ----------------------------------------------

  /// Runs `f` over `xs` and hands every result to `on_result` as it
  /// completes, on the pool's callback thread: a consumer callback with
  /// backpressure (the input is read only as far as the options' window
  /// ahead of the callback). `on_result` returns true to go on, false to stop
  /// the stream there; the returned `find_result` says where it stopped (if
  /// it did) and how the inputs ended. A task's exception ends the stream
  /// and is rethrown.
  template <class F, class Range, class Fn>
  find_result<needed_result_t<F>>
  for_each_result(F&& f, Range&& xs, Fn on_result,
                  const find_options& opts = {}) {
    using R = needed_result_t<F>;
    return find_first(
      std::forward<F>(f), std::forward<Range>(xs),
      [fn = std::move(on_result)](const R& r) mutable { return !fn(r); }, opts);
  }

  /// Opens a stream of calls of `f` fed by `put` from any thread and
  /// consumed with `next()` or a range-`for`; at most `opts.window()` inputs
  /// are in flight or waiting for the consumer, so a producer faster than
  /// the workers (or the consumer) waits instead of filling memory.
  template <class F>
  task_stream<task_result_t<F>, detail::task_args_t<F>>
  stream(F&& f, const stream_options& opts = {}) {
    return detail::open_task_stream<task_result_t<F>, F>(channel(), f, opts);
  }

  /// A `find_first` whose inputs come from `put` calls of producer threads
  /// (see `task_search`); `opts.window()` bounds the inputs in flight.
  template <class F, class Pred>
  task_search<needed_result_t<F>, detail::task_args_t<F>>
  search(F&& f, Pred pred, const find_options& opts = {}) {
    return detail::open_task_search<needed_result_t<F>, F>(channel(), f,
                                                           std::move(pred),
                                                           opts);
  }

  // -- lifecycle --------------------------------------------------------------

  /// Accepts no more work; workers exit once everything submitted is done.
  void close();

  /// Fails all outstanding work with `cancelled_error` and stops the workers
  /// now (SIGTERM, then SIGKILL after a grace period).
  void terminate();

  /// Waits until every worker has exited; requires `close()` or
  /// `terminate()` first (else `bad_argument`, as Python's ValueError).
  void join();

  // -- observers --------------------------------------------------------------

  /// Number of worker processes the pool keeps.
  size_t size() const noexcept;

  /// A snapshot of the pool's bookkeeping (worker pids, counters).
  pool_stats stats() const;

  /// The pool as a typed actor for other CAF actors.
  pool_actor actor() const;

  /// The actor system the pool runs in.
  caf::actor_system& system() const noexcept;

protected:
  /// A pool of `kind` workers (processes need the middleman in `sys`).
  pool(caf::actor_system& sys, const pool_options& opts,
       detail::worker_kind kind);

  /// The entry points the templates above hand their work to.
  detail::pool_channel& channel() const;

private:
  struct impl;

  std::unique_ptr<impl> impl_;
};

} // namespace actorpool
