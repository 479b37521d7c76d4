#include "actorpool/errc.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace actorpool {

const char* to_string(errc x) noexcept {
  switch (x) {
    case errc::task_failed:
      return "task_failed";
    case errc::unknown_task:
      return "unknown_task";
    case errc::encoding_failed:
      return "encoding_failed";
    case errc::decoding_failed:
      return "decoding_failed";
    case errc::pool_not_running:
      return "pool_not_running";
    case errc::terminated:
      return "terminated";
    case errc::worker_died:
      return "worker_died";
    case errc::worker_start_failed:
      return "worker_start_failed";
    case errc::initializer_failed:
      return "initializer_failed";
    case errc::timeout:
      return "timeout";
    case errc::cancelled:
      return "cancelled";
    case errc::protocol_error:
      return "protocol_error";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::system_error:
      return "system_error";
    case errc::input_failed:
      return "input_failed";
    case errc::empty:
      return "empty";
    case errc::full:
      return "full";
    case errc::invalid_state:
      return "invalid_state";
    case errc::broken_barrier:
      return "broken_barrier";
    case errc::end_of_file:
      return "end_of_file";
  }
  return "<unknown errc>";
}

caf::error make_error(errc x) {
  return caf::error{static_cast<uint8_t>(x), errc_category};
}

bool is_actorpool_error(const caf::error& err) noexcept {
  return err && err.category() == errc_category;
}

namespace {

std::string render_context(const caf::message& ctx) {
  if (ctx.match_elements<std::string, std::string, int32_t>())
    return ctx.get_as<std::string>(0) + ": " + ctx.get_as<std::string>(1)
           + " [worker " + std::to_string(ctx.get_as<int32_t>(2)) + "]";
  if (ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return ctx.empty() ? std::string{} : caf::to_string(ctx);
}

} // namespace

std::string render(const caf::error& err) {
  if (!err)
    return "no error";
  if (!is_actorpool_error(err))
    return caf::to_string(err);
  std::string result = "actorpool::";
  result += to_string(static_cast<errc>(err.code()));
  auto ctx = render_context(err.context());
  if (!ctx.empty()) {
    result += ": ";
    result += ctx;
  }
  return result;
}

} // namespace actorpool
