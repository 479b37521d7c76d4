#include "worker/call_table.hpp"

#include "actorpool/exceptions.hpp"

namespace actorpool::detail {

call_table::call_table(writer write, size_t max_frame_size)
  : write_(std::move(write)), max_frame_size_(max_frame_size) {
  // nop
}

call_table::call_table(worker_channel& out)
  : call_table([&out](
                 service_call_msg&
                   msg) { return out.write(frame_kind::service_call, msg); },
               out.max_frame_size()) {
  // nop
}

void call_table::check_length(const std::string& payload) const {
  auto length = frame_length_bound(1, payload.size());
  if (length > max_frame_size_)
    throw_error(oversize_frame_error("a service call (with its item)", length,
                                     max_frame_size_));
}

void call_table::cast(uint64_t service, uint64_t thread, uint8_t op,
                      std::string payload) {
  check_length(payload);
  service_call_msg msg{service_call_msg::no_reply, service, thread, op,
                       std::move(payload)};
  if (auto err = write_(msg))
    throw_error(err);
}

service_reply_msg call_table::call(uint64_t service, uint64_t thread,
                                   uint8_t op, std::string payload) {
  check_length(payload);
  std::unique_lock<std::mutex> guard{mtx_};
  auto id = next_id_++;
  calls_[id];
  guard.unlock();
  service_call_msg msg{id, service, thread, op, std::move(payload)};
  if (auto err = write_(msg)) {
    guard.lock();
    calls_.erase(id);
    throw_error(err);
  }
  spin_for_reply(id);
  guard.lock();
  cv_.wait(guard, [&] { return calls_[id].has_value(); });
  auto reply = std::move(*calls_[id]);
  calls_.erase(id);
  return reply;
}

namespace {

/// How long a caller watches for its reply before it sleeps: waking a
/// sleeping thread costs about as much as the round trip itself.
constexpr auto spin_limit = std::chrono::microseconds{50};

/// Tells the CPU that this is a busy wait.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

} // namespace

// Replies usually come within a round trip: watching for them a little
// while saves the wake-up of a sleeping thread.
void call_table::spin_for_reply(uint64_t id) {
  auto until = std::chrono::steady_clock::now() + spin_limit;
  auto seen = uint64_t{0};
  for (;;) {
    auto now_seen = completions_.load(std::memory_order_acquire);
    if (now_seen != seen) {
      seen = now_seen;
      std::lock_guard<std::mutex> guard{mtx_};
      if (calls_[id].has_value())
        return;
    }
    if (std::chrono::steady_clock::now() > until)
      return;
    cpu_relax();
  }
}

void call_table::complete(service_reply_msg&& reply) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = calls_.find(reply.call_id);
  if (i == calls_.end())
    return;
  i->second = std::move(reply);
  completions_.fetch_add(1, std::memory_order_release);
  cv_.notify_all();
}

} // namespace actorpool::detail
