#include "transport/frame_dispatch.hpp"

#include <caf/sec.hpp>

namespace actorpool::detail {

namespace {

uint32_t bit_of(frame_kind kind) {
  return uint32_t{1} << static_cast<uint8_t>(kind);
}

/// Decodes the body of `fv` as `T` and calls `fn` with it.
template <class T, class F>
caf::error decode_then(const frame_view& fv, F fn) {
  T x{};
  if (auto err = decode_body(fv, x))
    return err;
  return fn(x);
}

} // namespace

frame_handler::frame_handler(std::initializer_list<frame_kind> kinds) {
  for (auto kind : kinds)
    admitted_ |= bit_of(kind);
}

frame_handler::~frame_handler() {
  // nop
}

caf::error frame_handler::admit(frame_kind kind) {
  if (admits(kind))
    return caf::none;
  return unexpected_frame_error(kind);
}

bool frame_handler::admits(frame_kind kind) const noexcept {
  return (admitted_ & bit_of(kind)) != 0;
}

caf::error frame_handler::on_hello(hello_msg&) {
  return unexpected_frame_error(frame_kind::hello);
}

caf::error frame_handler::on_tasks(std::vector<task_msg>&) {
  return unexpected_frame_error(frame_kind::tasks);
}

caf::error frame_handler::on_results(std::vector<result_msg>&) {
  return unexpected_frame_error(frame_kind::results);
}

caf::error frame_handler::on_init(task_msg&) {
  return unexpected_frame_error(frame_kind::init);
}

caf::error frame_handler::on_shutdown() {
  return unexpected_frame_error(frame_kind::shutdown);
}

caf::error frame_handler::on_cancel(uint64_t) {
  return unexpected_frame_error(frame_kind::cancel);
}

caf::error frame_handler::on_service_call(service_call_msg&) {
  return unexpected_frame_error(frame_kind::service_call);
}

caf::error frame_handler::on_service_reply(service_reply_msg&) {
  return unexpected_frame_error(frame_kind::service_reply);
}

caf::error frame_handler::on_target(task_msg&) {
  return unexpected_frame_error(frame_kind::target);
}

caf::error frame_handler::on_refusal(std::string&) {
  return unexpected_frame_error(frame_kind::refusal);
}

caf::error frame_handler::on_revoke(std::vector<uint64_t>&) {
  return unexpected_frame_error(frame_kind::revoke);
}

caf::error unexpected_frame_error(frame_kind kind) {
  return caf::make_error(caf::sec::unexpected_message,
                         "unexpected frame kind "
                           + std::to_string(static_cast<int>(kind)));
}

caf::error unknown_frame_error(uint8_t kind) {
  return caf::make_error(caf::sec::invalid_argument,
                         "unknown frame kind " + std::to_string(kind));
}

caf::error dispatch_frame(const frame_view& fv, frame_handler& h) {
  auto raw = static_cast<uint8_t>(fv.kind);
  if (raw == 0 || raw > max_frame_kind)
    return unknown_frame_error(raw);
  if (auto err = h.admit(fv.kind))
    return err;
  using std::vector;
  switch (fv.kind) {
    case frame_kind::hello:
      return decode_then<hello_msg>(fv, [&](auto& x) { return h.on_hello(x); });
    case frame_kind::tasks:
      return decode_then<vector<task_msg>>(fv, [&](auto& x) {
        return h.on_tasks(x);
      });
    case frame_kind::results:
      return decode_then<vector<result_msg>>(fv, [&](auto& x) {
        return h.on_results(x);
      });
    case frame_kind::init:
      return decode_then<task_msg>(fv, [&](auto& x) { return h.on_init(x); });
    case frame_kind::shutdown:
      return h.on_shutdown();
    case frame_kind::cancel:
      return decode_then<uint64_t>(fv, [&](auto x) { return h.on_cancel(x); });
    case frame_kind::service_call:
      return decode_then<service_call_msg>(fv, [&](auto& x) {
        return h.on_service_call(x);
      });
    case frame_kind::service_reply:
      return decode_then<service_reply_msg>(fv, [&](auto& x) {
        return h.on_service_reply(x);
      });
    case frame_kind::target:
      return decode_then<task_msg>(fv, [&](auto& x) { return h.on_target(x); });
    case frame_kind::refusal:
      return decode_then<std::string>(fv,
                                      [&](auto& x) { return h.on_refusal(x); });
    case frame_kind::revoke:
      return decode_then<vector<uint64_t>>(fv, [&](auto& x) {
        return h.on_revoke(x);
      });
  }
  return unknown_frame_error(raw);
}

} // namespace actorpool::detail
