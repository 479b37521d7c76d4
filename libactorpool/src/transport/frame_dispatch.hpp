#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "transport/frame.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// The receiving end of a frame stream: `dispatch_frame` decodes each frame
/// the kind of which the handler admits, and calls the member for its kind
/// with the decoded message. A member returning an error ends the stream
/// (as does any decoding error). The members of kinds a handler does not
/// admit are never called; their default rejects the frame.
class frame_handler {
public:
  /// Admits the frames of `kinds` (see `admit`).
  explicit frame_handler(std::initializer_list<frame_kind> kinds);

  virtual ~frame_handler();

  /// Whether a frame of `kind` is welcome now: `caf::none`, or the error
  /// that ends the stream. Called before its body is decoded. The default
  /// admits the kinds given to the constructor and rejects the others with
  /// `unexpected_frame_error`.
  virtual caf::error admit(frame_kind kind);

  virtual caf::error on_hello(hello_msg& msg);
  virtual caf::error on_tasks(std::vector<task_msg>& batch);
  virtual caf::error on_results(std::vector<result_msg>& results);
  virtual caf::error on_init(task_msg& t);
  /// A shutdown has no body: whatever it holds is not looked at.
  virtual caf::error on_shutdown();
  virtual caf::error on_cancel(uint64_t id);
  virtual caf::error on_service_call(service_call_msg& msg);
  virtual caf::error on_service_reply(service_reply_msg& reply);
  virtual caf::error on_target(task_msg& t);
  virtual caf::error on_refusal(std::string& why);
  virtual caf::error on_revoke(std::vector<uint64_t>& ids);

protected:
  /// Whether `kind` is among the kinds given to the constructor.
  bool admits(frame_kind kind) const noexcept;

private:
  /// Bit `k` set: frames of kind `k` are admitted.
  uint32_t admitted_ = 0;
};

/// The error of a frame of a kind the receiver does not take:
/// `sec::unexpected_message`, "unexpected frame kind <n>".
caf::error unexpected_frame_error(frame_kind kind);

/// The error of a frame of a kind that does not exist:
/// `sec::invalid_argument`, "unknown frame kind <n>" (as `frame_reader`
/// reports it).
caf::error unknown_frame_error(uint8_t kind);

/// Hands the frame `fv` to `h`: rejects an unknown kind, asks `h.admit`,
/// decodes the body as the kind's message (the whole body: trailing bytes
/// are an error) and calls the member for the kind. Returns the first
/// error of these steps; `caf::none` if the frame was handled.
caf::error dispatch_frame(const frame_view& fv, frame_handler& h);

} // namespace actorpool::detail
