#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/chunking.hpp"
#include "actorpool/pool_options.hpp"
#include "actorpool/pool_stats.hpp"
#include "actorpool/stream_protocol.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

using close_atom = caf::atom_constant<caf::atom("close")>;
using terminate_atom = caf::atom_constant<caf::atom("terminate")>;
using join_atom = caf::atom_constant<caf::atom("join")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;

/// A call of a registered task, encoded for the pool actor: one chunk for
/// `make_call`, several for `make_map_call`.
struct task_call {
  std::string task;
  std::vector<detail::encoded_chunk> chunks;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_call& x) {
  return f(caf::meta::type_name("actorpool::task_call"), x.task, x.chunks);
}

/// The pool actor's answer to a `task_call`: the encoded results, decoded
/// with `as<T>()` (the task's result type for `make_call`, a `std::vector`
/// of it for `make_map_call`).
struct task_reply {
  std::vector<std::string> payloads;
  std::vector<uint32_t> counts;

  /// True for the reply to a `make_call`: one value, not a list.
  bool single = true;

  template <class T>
  T as() const {
    try {
      if constexpr (detail::is_vector<T>::value)
        if (!single)
          return detail::decode_many<T>(payloads, counts);
      return detail::decode_single<T>(payloads, counts);
    } catch (const detail::codec_failure& e) {
      throw encoding_error(e.code(), e.what());
    }
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_reply& x) {
  return f(caf::meta::type_name("actorpool::task_reply"), x.payloads, x.counts,
           x.single);
}

/// The typed interface of a pool for other CAF actors:
/// - `task_call` -> `task_reply`: runs the call; a failed task answers with
///   a `caf::error` of category `actorpool` (see `errc`);
/// - `close_atom`, `terminate_atom`: as `pool::close` / `pool::terminate`;
/// - `join_atom` -> `pool_stats`: answered once closed or terminated and
///   every worker has exited;
/// - `stats_atom` -> `pool_stats`;
/// - the stream protocol of `stream_protocol.hpp`: `stream_open` -> the
///   stream id, then inputs, acks, close and stop by message.
using pool_actor = caf::typed_actor<
  caf::replies_to<task_call>::with<task_reply>, caf::reacts_to<close_atom>,
  caf::reacts_to<terminate_atom>, caf::replies_to<join_atom>::with<pool_stats>,
  caf::replies_to<stats_atom>::with<pool_stats>,
  caf::replies_to<stream_open>::with<uint64_t>,
  caf::reacts_to<stream_input_atom, uint64_t, detail::encoded_chunk>,
  caf::reacts_to<stream_close_atom, uint64_t>,
  caf::reacts_to<stream_ack_atom, uint64_t, uint32_t>,
  caf::reacts_to<stream_stop_atom, uint64_t>>;

/// Spawns a pool in `sys` (which must have loaded `caf::io::middleman`) and
/// returns its actor. The pool's workers start right away; it stops them and
/// fails outstanding calls when it is killed (`send_exit`).
pool_actor spawn_pool(caf::actor_system& sys, const pool_options& opts);

/// Like `spawn_pool`, with threads of this process as workers (see
/// `thread_pool`); `sys` needs no middleman.
pool_actor spawn_thread_pool(caf::actor_system& sys, const pool_options& opts);

/// Encodes `f(xs...)` for the pool actor. `f` is a registered function or a
/// task object; throws `unknown_task_error` or `encoding_error`.
template <class F, class... Ts>
task_call make_call(F&& f, Ts&&... xs) {
  using traits = detail::task_traits<F>;
  task_call result;
  result.task = traits::name(f);
  result.chunks.emplace_back(
    detail::encode_call<typename traits::args_tuple>(std::forward<Ts>(xs)...));
  return result;
}

/// Encodes `map(f, xs)` for the pool actor, `chunksize` items per chunk
/// (0: Python's automatic choice for `processes` workers).
template <class F, class Range>
task_call make_map_call(F&& f, const Range& xs, size_t chunksize = 0,
                        size_t processes = 1) {
  using traits = detail::task_traits<F>;
  task_call result;
  result.task = traits::name(f);
  result.chunks = detail::encode_map<typename traits::args_tuple,
                                     false>(xs, chunksize, processes);
  return result;
}

} // namespace actorpool
