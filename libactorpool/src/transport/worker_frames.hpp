#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "transport/frame_dispatch.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// How the parent reads the frames of one worker: a worker speaks hello (or
/// refusal) first, then results and service calls; anything else breaks the
/// protocol ("first frame is not hello", or "unexpected frame kind <n>",
/// both `sec::unexpected_message`) and costs the worker its connection.
/// Each decoded message goes to the matching callback.
class worker_frames : public frame_handler {
public:
  /// What the parent does with a worker's messages.
  struct callbacks {
    std::function<void(hello_msg&)> hello;
    std::function<void(std::string& why)> refusal;
    std::function<void(std::vector<result_msg>&)> results;
    std::function<void(service_call_msg&)> service_call;
  };

  explicit worker_frames(callbacks cbs);

  caf::error admit(frame_kind kind) override;
  caf::error on_hello(hello_msg& msg) override;
  caf::error on_refusal(std::string& why) override;
  caf::error on_results(std::vector<result_msg>& results) override;
  caf::error on_service_call(service_call_msg& msg) override;

  bool said_hello() const noexcept {
    return said_hello_;
  }

  /// The pid in the worker's hello (0 before it).
  int32_t pid() const noexcept {
    return pid_;
  }

private:
  callbacks cbs_;
  bool said_hello_ = false;
  int32_t pid_ = 0;
};

} // namespace actorpool::detail
