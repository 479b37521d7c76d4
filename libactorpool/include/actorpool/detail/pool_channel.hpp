#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actorpool/call_options.hpp"
#include "actorpool/detail/find_state.hpp"
#include "actorpool/detail/job.hpp"
#include "actorpool/detail/result_state.hpp"
#include "actorpool/detail/stream_input.hpp"
#include "actorpool/detail/stream_state.hpp"
#include "actorpool/find_result.hpp"

namespace actorpool::detail {

/// The untyped entry points of a pool: what the pool's templates call once
/// they have encoded a call or wrapped an input, to hand the work to the
/// coordinator. Each call costs one message to the coordinator (a stream
/// also spawns the actor that reads a pulled input). Thread-safe; every
/// entry point throws `pool_not_running` once the pool is closed.
class pool_channel {
public:
  virtual ~pool_channel();

  /// Where the pool runs user callbacks.
  virtual executor_ptr executor() const = 0;

  /// Number of worker processes.
  virtual size_t size() const noexcept = 0;

  /// The window of a push stream: `n`, or 64 inputs per worker for 0.
  virtual size_t window_of(size_t n) const noexcept = 0;

  /// Submits the `chunks` of a call of task `name`, finishing `st`; throws
  /// `task_too_large` for a chunk over the frame limit.
  virtual void
  submit(const std::string& name, std::vector<encoded_chunk> chunks,
         std::shared_ptr<result_state> st, const call_options& opts)
    = 0;

  /// Opens a stream of calls of `name` over `in`, its results consumed
  /// through `st`; returns what stops it.
  virtual std::function<void()> open_stream(const std::string& name,
                                            stream_input in,
                                            std::shared_ptr<stream_state> st,
                                            std::chrono::milliseconds timeout)
    = 0;

  /// Opens a search of `name` over `in`, decided by `st`.
  virtual void open_search(const std::string& name, stream_input in,
                           std::shared_ptr<find_core> st,
                           const find_options& opts)
    = 0;
};

} // namespace actorpool::detail
