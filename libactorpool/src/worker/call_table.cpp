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

service_reply_msg call_table::call(uint64_t service, uint64_t thread,
                                   uint8_t op, std::string payload) {
  auto length = frame_length_bound(1, payload.size());
  if (length > max_frame_size_)
    throw_error(oversize_frame_error("a service call (with its item)", length,
                                     max_frame_size_));
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
  guard.lock();
  cv_.wait(guard, [&] { return calls_[id].has_value(); });
  auto reply = std::move(*calls_[id]);
  calls_.erase(id);
  return reply;
}

void call_table::complete(service_reply_msg&& reply) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = calls_.find(reply.call_id);
  if (i == calls_.end())
    return;
  i->second = std::move(reply);
  cv_.notify_all();
}

} // namespace actorpool::detail
