#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

// The stream protocol of `pool_actor`, for a producer actor and a consumer
// actor (they may be the same actor):
//
// 1. Anyone requests `stream_open` from the pool; the reply is the stream
//    id, and the producer receives `(stream_demand_atom, sid, n)`: it may
//    send `n` inputs.
// 2. The producer sends `(stream_input_atom, sid, encoded_chunk)` for each
//    input (`make_input(f, xs...)`), never more than demanded, and
//    `(stream_close_atom, sid)` after the last one.
// 3. The consumer receives `(stream_result_atom, sid, index, task_reply)`
//    or `(stream_result_atom, sid, index, caf::error)` for each input, in
//    the order they complete (`index` counts the inputs from 0), and answers
//    with `(stream_ack_atom, sid, n)` once it has handled `n` of them; each
//    ack gives the producer `n` more demand. Inputs in flight or unacked
//    never exceed the window, so neither side's mailbox grows.
// 4. `(stream_stop_atom, sid)` from anyone stops the stream: queued inputs
//    are dropped and running ones cancelled.
// 5. At the end both receive `(stream_done_atom, sid, stream_summary)`,
//    also when the pool is terminated, breaks or goes away (the consumer
//    first gets `(stream_result_atom, sid, UINT64_MAX, caf::error)` with the
//    reason). No demand comes after it, and inputs sent after it are
//    dropped: `stream_done` is the producer's "no more". A consumer that
//    terminates stops the stream; a producer that terminates closes it.

using stream_input_atom = caf::atom_constant<caf::atom("sinput")>;
using stream_close_atom = caf::atom_constant<caf::atom("sclose")>;
using stream_ack_atom = caf::atom_constant<caf::atom("sack")>;
using stream_stop_atom = caf::atom_constant<caf::atom("sstop")>;
using stream_demand_atom = caf::atom_constant<caf::atom("sdemand")>;
using stream_result_atom = caf::atom_constant<caf::atom("sresult")>;
using stream_done_atom = caf::atom_constant<caf::atom("sdone")>;

/// Opens a stream of calls of `task` from `producer` to `consumer`.
struct stream_open {
  std::string task;
  /// Inputs in flight or not yet acknowledged, at most; 0: 64 per worker.
  uint32_t window = 0;
  caf::actor producer;
  caf::actor consumer;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stream_open& x) {
  return f(caf::meta::type_name("actorpool::stream_open"), x.task, x.window,
           x.producer, x.consumer);
}

/// How the inputs of a finished stream ended (see `find_result`).
struct stream_summary {
  uint64_t completed = 0;
  uint64_t cancelled = 0;
  uint64_t never_started = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stream_summary& x) {
  return f(caf::meta::type_name("actorpool::stream_summary"), x.completed,
           x.cancelled, x.never_started);
}

/// A `stream_open` for task `f`.
template <class F>
stream_open make_stream_open(F&& f, caf::actor producer, caf::actor consumer,
                             uint32_t window = 0) {
  return stream_open{detail::task_traits<F>::name(f), window,
                     std::move(producer), std::move(consumer)};
}

/// One input of a stream of task `f`: the encoded arguments `xs`.
template <class F, class... Ts>
detail::encoded_chunk make_input(F&&, Ts&&... xs) {
  detail::check_callable<F>();
  using args = typename detail::task_traits<F>::args_tuple;
  return detail::encode_call<args>(std::forward<Ts>(xs)...);
}

} // namespace actorpool
