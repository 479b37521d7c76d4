#include "transport/worker_frames.hpp"

#include <caf/sec.hpp>

namespace actorpool::detail {

worker_frames::worker_frames(callbacks cbs)
  : frame_handler({frame_kind::results, frame_kind::service_call}),
    cbs_(std::move(cbs)) {
  // nop
}

caf::error worker_frames::admit(frame_kind kind) {
  if (said_hello_)
    return frame_handler::admit(kind);
  if (kind == frame_kind::hello || kind == frame_kind::refusal)
    return caf::none;
  return caf::make_error(caf::sec::unexpected_message,
                         "first frame is not hello");
}

caf::error worker_frames::on_hello(hello_msg& msg) {
  said_hello_ = true;
  pid_ = msg.pid;
  cbs_.hello(msg);
  return caf::none;
}

caf::error worker_frames::on_refusal(std::string& why) {
  cbs_.refusal(why);
  return caf::none;
}

caf::error worker_frames::on_results(std::vector<result_msg>& results) {
  cbs_.results(results);
  return caf::none;
}

caf::error worker_frames::on_service_call(service_call_msg& msg) {
  cbs_.service_call(msg);
  return caf::none;
}

} // namespace actorpool::detail
