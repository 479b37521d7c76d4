#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/async_result.hpp"
#include "actorpool/call_options.hpp"
#include "actorpool/detail/chunking.hpp"
#include "actorpool/detail/pool_channel.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/task.hpp"

namespace actorpool::detail {

/// A call encoded in the caller's thread and ready to submit at once
/// (`apply`, `map`, `starmap`): its chunks and the state its result `R`
/// arrives in. Preparing one reads and encodes all the arguments; an
/// argument that cannot be encoded throws then, before anything is sent.
template <class R>
struct prepared_call {
  std::vector<encoded_chunk> chunks;
  std::shared_ptr<typename async_result<R>::state_type> state;
};

/// The state of a call whose chunks hold `counts` items each: untyped for
/// `void`, else decoding its value with `decode` on first access.
template <class R>
auto make_call_state(std::vector<uint32_t> counts, executor_ptr exec,
                     decode_fn<R> decode) {
  if constexpr (std::is_void_v<R>)
    return std::make_shared<result_state>(counts.size(), std::move(exec));
  else
    return std::make_shared<typed_state<R>>(std::move(counts), std::move(exec),
                                            decode);
}

/// One call with the arguments `xs` of a task taking `ArgsTuple` and
/// returning `R`, as a single chunk.
template <class R, class ArgsTuple, class... Ts>
prepared_call<R> prepare_apply(executor_ptr exec, Ts&&... xs) {
  prepared_call<R> result;
  result.chunks.emplace_back(encode_call<ArgsTuple>(std::forward<Ts>(xs)...));
  result.state = make_call_state<R>({1}, std::move(exec), single_decoder<R>());
  return result;
}

/// A `map` over every item of `xs` (read once; `Star`: a `starmap`) in
/// chunks of `chunksize` items, 0 picking about four chunks per worker of
/// `processes`; `V` is the list of results, or `void`.
template <class V, class ArgsTuple, bool Star, class Range>
prepared_call<V> prepare_map(const Range& xs, size_t chunksize,
                             size_t processes, executor_ptr exec) {
  prepared_call<V> result;
  result.chunks = encode_map<ArgsTuple, Star>(xs, chunksize, processes);
  std::vector<uint32_t> counts;
  for (auto& c : result.chunks)
    counts.push_back(c.count);
  result.state = make_call_state<V>(std::move(counts), std::move(exec),
                                    many_decoder<V>());
  return result;
}

/// Submits `call`, a call of task `f` (`F` as the caller gave it), through
/// `ch`: one message to the coordinator. Its items are the total of the
/// progress that `opts` may ask for.
template <class F, class R>
async_result<R> submit_call(pool_channel& ch, F& f, prepared_call<R> call,
                            const call_options& opts) {
  if (opts.progress_fn()) {
    uint64_t items = 0;
    for (auto& c : call.chunks)
      items += c.count;
    auto rep = progress_reporter::make(opts.progress_fn(),
                                       opts.progress_interval(), items,
                                       ch.executor());
    rep->add_read(items); // read before the call was submitted
    call.state->set_progress(std::move(rep));
  }
  ch.submit(task_traits<F>::name(f), std::move(call.chunks), call.state, opts);
  return async_result<R>{std::move(call.state)};
}

/// Prepares and submits the call `f(xs...)`, `R` being its result.
template <class R, class F, class... Ts>
async_result<R>
submit_apply(pool_channel& ch, F& f, const call_options& opts, Ts&&... xs) {
  auto call = prepare_apply<R, task_args_t<F>>(ch.executor(),
                                               std::forward<Ts>(xs)...);
  return submit_call<F>(ch, f, std::move(call), opts);
}

/// Prepares and submits a `map` (`Star`: `starmap`) of `f` over `xs`, `V`
/// being its result.
template <class V, class F, bool Star, class Range>
async_result<V> submit_map(pool_channel& ch, F& f, const Range& xs,
                           size_t chunksize, const call_options& opts) {
  auto call = prepare_map<V, task_args_t<F>, Star>(xs, chunksize, ch.size(),
                                                   ch.executor());
  return submit_call<F>(ch, f, std::move(call), opts);
}

} // namespace actorpool::detail
