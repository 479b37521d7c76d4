#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "transport/messages.hpp"
#include "worker/worker_channel.hpp"

namespace actorpool::detail {

/// Service calls made by task code in a worker: each call writes a frame and
/// waits until the reader hands over the reply with the same id.
class call_table {
public:
  /// Writes one `service_call` frame to the parent; an error if it cannot.
  using writer = std::function<caf::error(service_call_msg&)>;

  /// Calls go out through `write`; a call whose frame may exceed
  /// `max_frame_size` is refused before it is written.
  call_table(writer write, size_t max_frame_size);

  /// Calls go out as frames on `out`.
  explicit call_table(worker_channel& out);

  /// Blocks until the parent answers; returns the reply. A call too long for
  /// a frame throws `encoding_error` and never reaches the parent.
  service_reply_msg call(uint64_t service, uint64_t thread, uint8_t op,
                         std::string payload);

  /// Writes the call and returns at once; the parent sends no reply (a
  /// call with id 0). Throws like `call` when the call cannot be written.
  void cast(uint64_t service, uint64_t thread, uint8_t op, std::string payload);

  /// Called by the reader for every `service_reply` frame.
  void complete(service_reply_msg&& reply);

private:
  void check_length(const std::string& payload) const;

  void spin_for_reply(uint64_t id);

  std::atomic<uint64_t> completions_{0};
  writer write_;
  size_t max_frame_size_;
  std::mutex mtx_;
  std::condition_variable cv_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::optional<service_reply_msg>> calls_;
};

} // namespace actorpool::detail
