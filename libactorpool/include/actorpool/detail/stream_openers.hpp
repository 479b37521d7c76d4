#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "actorpool/async_result.hpp"
#include "actorpool/call_options.hpp"
#include "actorpool/detail/find_state.hpp"
#include "actorpool/detail/pool_channel.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/detail/push_gate.hpp"
#include "actorpool/detail/range_reader.hpp"
#include "actorpool/detail/stream_input.hpp"
#include "actorpool/detail/stream_state.hpp"
#include "actorpool/find_result.hpp"
#include "actorpool/imap_result.hpp"
#include "actorpool/task.hpp"
#include "actorpool/task_stream.hpp"

namespace actorpool::detail {

// The functions here open the streams of a pool for task `f` (`F` as the
// caller gave it) with result `R`; each costs one message to the
// coordinator and reads no input itself.

/// An `imap` (`ordered`) or `imap_unordered` over `xs`, read lazily in
/// chunks of `chunksize` items, with the timeout and progress of `opts`.
template <class R, class F, class Range>
imap_result<R> open_imap(pool_channel& ch, F& f, Range&& xs, size_t chunksize,
                         bool ordered, const call_options& opts) {
  auto rep = progress_reporter::make(opts.progress_fn(),
                                     opts.progress_interval(), size_of(xs),
                                     ch.executor());
  auto src = lazy_source<task_args_t<F>>(std::forward<Range>(xs), chunksize);
  auto st = std::make_shared<stream_state>(ordered);
  st->set_progress(rep);
  ch.open_stream(task_traits<F>::name(f),
                 {counted_source(std::move(src), rep), nullptr}, st,
                 opts.timeout());
  return imap_result<R>{std::move(st)};
}

/// Opens search `st` of the task `name` over `in`, its reads counted on the
/// search's progress reporter.
inline void start_search(pool_channel& ch, const std::string& name,
                         std::shared_ptr<find_core> st, stream_input in,
                         const find_options& opts) {
  if (in.gate)
    in.gate->set_progress(st->reporter());
  else
    in.source = counted_source(std::move(in.source), st->reporter());
  ch.open_search(name, std::move(in), std::move(st), opts);
}

/// A search over `in` that stops on the first result satisfying `pred`;
/// `total` is the number of inputs if known.
template <class R, class F, class Pred>
async_result<find_result<R>>
open_search(pool_channel& ch, F& f, Pred pred, stream_input in,
            const find_options& opts, std::optional<uint64_t> total) {
  auto st = std::make_shared<find_state<R, Pred>>(ch.executor(), opts, total,
                                                  std::move(pred));
  async_result<find_result<R>> out{st->out()};
  start_search(ch, task_traits<F>::name(f), std::move(st), std::move(in), opts);
  return out;
}

/// A `find_first` over `xs`, read lazily in chunks of `opts.chunksize()`.
template <class R, class F, class Range, class Pred>
async_result<find_result<R>> open_find_first(pool_channel& ch, F& f, Range&& xs,
                                             Pred pred,
                                             const find_options& opts) {
  auto total = size_of(xs);
  auto src = lazy_source<task_args_t<F>>(std::forward<Range>(xs),
                                         opts.chunksize());
  return open_search<R, F>(ch, f, std::move(pred), {std::move(src), nullptr},
                           opts, total);
}

/// A push stream: inputs from the producers' `put`, `opts.window()` of them
/// in flight at most.
template <class R, class F>
task_stream<R, task_args_t<F>>
open_task_stream(pool_channel& ch, F& f, const stream_options& opts) {
  auto rep = progress_reporter::make(opts.progress_fn(),
                                     opts.progress_interval(), std::nullopt,
                                     ch.executor());
  auto st = std::make_shared<stream_state>(opts.ordered());
  st->set_progress(rep);
  auto gate = std::make_shared<push_gate>(ch.window_of(opts.window()));
  gate->set_progress(rep);
  auto stopper = ch.open_stream(task_traits<F>::name(f), {{}, gate}, st,
                                opts.task_timeout());
  return {std::move(gate), std::move(st), std::move(stopper)};
}

/// A search over the inputs of producers' `put` calls.
template <class R, class F, class Pred>
task_search<R, task_args_t<F>>
open_task_search(pool_channel& ch, F& f, Pred pred, const find_options& opts) {
  auto gate = std::make_shared<push_gate>(ch.window_of(opts.window()));
  auto out = open_search<R, F>(ch, f, std::move(pred), {{}, gate}, opts,
                               std::nullopt);
  return {std::move(gate), std::move(out)};
}

} // namespace actorpool::detail
