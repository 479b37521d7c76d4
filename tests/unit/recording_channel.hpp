#pragma once

// A pool channel for the unit tests of the pool's templates: it records
// what they hand to the pool instead of sending it to a coordinator.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/pool_channel.hpp"
#include "manual_executor.hpp"

namespace actorpool::test {

/// Records the last call, stream or search opened through it; its window
/// for a push stream is `n`, or 7 for 0.
class recording_channel : public actorpool::detail::pool_channel {
public:
  detail::executor_ptr executor() const override {
    return exec;
  }

  size_t size() const noexcept override {
    return workers;
  }

  size_t window_of(size_t n) const noexcept override {
    return n > 0 ? n : 7;
  }

  void submit(const std::string& task, std::vector<detail::encoded_chunk> xs,
              std::shared_ptr<detail::result_state> st,
              const call_options&) override {
    name = task;
    chunks = std::move(xs);
    call = std::move(st);
  }

  std::function<void()> open_stream(const std::string& task,
                                    detail::stream_input in,
                                    std::shared_ptr<detail::stream_state> st,
                                    std::chrono::milliseconds) override {
    name = task;
    input = std::move(in);
    stream = std::move(st);
    return [this] {
      ++stops;
    };
  }

  void open_search(const std::string& task, detail::stream_input in,
                   std::shared_ptr<detail::find_core> st,
                   const find_options&) override {
    name = task;
    input = std::move(in);
    search = std::move(st);
  }

  /// Reads the recorded pulled input to its end; returns the chunk sizes.
  std::vector<uint32_t> drain_input() {
    std::vector<uint32_t> counts;
    detail::encoded_chunk c;
    while (input.source(c))
      counts.push_back(c.count);
    return counts;
  }

  std::shared_ptr<manual_executor> exec = std::make_shared<manual_executor>();
  size_t workers = 2;
  std::string name;
  std::vector<detail::encoded_chunk> chunks;
  std::shared_ptr<detail::result_state> call;
  detail::stream_input input;
  std::shared_ptr<detail::stream_state> stream;
  std::shared_ptr<detail::find_core> search;
  int stops = 0;
};

} // namespace actorpool::test
