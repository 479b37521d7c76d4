// libFuzzer target for the frame layer: an input is the byte stream that
// arrives on a worker socket (from either side). It goes through
// `frame_reader` twice, once in one piece and once in pieces of varying
// sizes, and every complete frame is decoded by `dispatch_frame`, as its
// receiver decodes it (hello, tasks, results, init, shutdown, cancel,
// service_call, service_reply, target, revoke), down to the failure reports
// inside results and replies.
//
// Findings: a sanitizer report, an exception, the two readings disagreeing
// (reassembly depends on how bytes arrive), or a decoded message whose
// frame does not decode to the same message again.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "actorpool/detail/codec.hpp"
#include "transport/frame.hpp"
#include "transport/frame_dispatch.hpp"
#include "transport/messages.hpp"

namespace actorpool::fuzz {
namespace {

using namespace actorpool::detail;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "frame_fuzzer: %s\n", what);
  std::abort();
}

/// What a reader delivered: every frame, and how the stream ended.
struct reading {
  std::vector<std::pair<frame_kind, std::string>> frames;
  caf::error err;
  size_t buffered = 0;
};

/// Encodes `xs` as a frame of `kind`, reads that frame back and decodes it
/// into fresh values, whose frame must be the same bytes again.
template <class... Ts>
void check_reencoding(frame_kind kind, Ts&... xs) {
  std::vector<char> once;
  if (append_frame(once, kind, xs...))
    fail("a decoded message does not encode");
  std::tuple<Ts...> ys;
  frame_reader rd;
  size_t n = 0;
  auto err = rd.consume(once.data(), once.size(), [&](const frame_view& fv) {
    ++n;
    if (fv.kind != kind)
      fail("re-encoded frame has another kind");
    return std::apply([&](auto&... y) { return decode_body(fv, y...); }, ys);
  });
  if (err || n != 1 || rd.buffered() != 0)
    fail("re-encoded frame does not decode");
  std::vector<char> twice;
  auto err2 = std::
    apply([&](auto&... y) { return append_frame(twice, kind, y...); }, ys);
  if (err2 || once != twice)
    fail("frame decode and encode are not stable");
}

/// The coordinator reading a worker's failure report (errors are expected
/// and handled there as a protocol error).
void read_failure(const std::string& payload) {
  failure_msg f;
  try {
    decoder src{payload};
    src.read(f);
  } catch (const codec_failure&) {
    // rejected cleanly
  }
}

/// A worker reading the error half of a service reply.
void read_service_error(const std::string& payload) {
  uint8_t code = 0;
  std::string message;
  try {
    decoder src{payload};
    src.read(code, message);
  } catch (const codec_failure&) {
    // rejected cleanly
  }
}

/// Every kind decoded by `dispatch_frame`, as its receiver decodes it; each
/// decoded message must re-encode to the same frame.
class any_frame : public frame_handler {
public:
  any_frame()
    : frame_handler({frame_kind::hello, frame_kind::tasks, frame_kind::results,
                     frame_kind::init, frame_kind::shutdown, frame_kind::cancel,
                     frame_kind::service_call, frame_kind::service_reply,
                     frame_kind::target, frame_kind::refusal,
                     frame_kind::revoke}) {
    // nop
  }

  caf::error on_hello(hello_msg& x) override {
    return checked(frame_kind::hello, x);
  }
  caf::error on_tasks(std::vector<task_msg>& xs) override {
    return checked(frame_kind::tasks, xs);
  }
  caf::error on_results(std::vector<result_msg>& xs) override {
    for (auto& x : xs)
      if (x.status == result_msg::failed)
        read_failure(x.payload);
    return checked(frame_kind::results, xs);
  }
  caf::error on_init(task_msg& x) override {
    return checked(frame_kind::init, x);
  }
  caf::error on_shutdown() override {
    return caf::none; // the body is not looked at (see `read_stream`)
  }
  caf::error on_cancel(uint64_t id) override {
    return checked(frame_kind::cancel, id);
  }
  caf::error on_service_call(service_call_msg& x) override {
    return checked(frame_kind::service_call, x);
  }
  caf::error on_service_reply(service_reply_msg& x) override {
    if (x.status != service_reply_msg::ok)
      read_service_error(x.payload);
    return checked(frame_kind::service_reply, x);
  }
  caf::error on_target(task_msg& x) override {
    return checked(frame_kind::target, x);
  }
  caf::error on_refusal(std::string& why) override {
    return checked(frame_kind::refusal, why);
  }
  caf::error on_revoke(std::vector<uint64_t>& ids) override {
    return checked(frame_kind::revoke, ids);
  }

private:
  template <class T>
  static caf::error checked(frame_kind kind, T& x) {
    check_reencoding(kind, x);
    return caf::none;
  }
};

caf::error decode_frame(const frame_view& fv) {
  any_frame h;
  auto err = dispatch_frame(fv, h);
  if (err && err == caf::sec::unexpected_message)
    fail("a frame of a known kind was not admitted");
  // A shutdown's body is not looked at; an empty one must round-trip.
  if (fv.kind == frame_kind::shutdown && fv.size == 0)
    check_reencoding(fv.kind);
  return err;
}

/// Reads `[data, data + size)` in pieces of sizes drawn from `seed` (the
/// whole input at once for seed 0), stopping at the first error as the
/// brokers do.
reading read_stream(const char* data, size_t size, uint32_t seed) {
  reading result;
  frame_reader rd;
  auto on_frame = [&](const frame_view& fv) {
    result.frames.emplace_back(fv.kind, std::string{fv.body, fv.size});
    return decode_frame(fv);
  };
  size_t pos = 0;
  do {
    size_t n = size - pos;
    if (seed != 0) {
      // xorshift32: pieces of 0 to 31 bytes, so empty reads occur too
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      n = std::min<size_t>(n, seed % 32);
    }
    result.err = rd.consume(data + pos, n, on_frame);
    pos += n;
  } while (!result.err && pos < size);
  result.buffered = rd.buffered();
  return result;
}

} // namespace
} // namespace actorpool::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actorpool::fuzz;
  auto bytes = reinterpret_cast<const char*>(data);
  auto whole = read_stream(bytes, size, 0);
  auto pieces = read_stream(bytes, size, static_cast<uint32_t>(size) | 1u);
  if (whole.frames != pieces.frames)
    fail("frames depend on how the bytes arrive");
  if (static_cast<bool>(whole.err) != static_cast<bool>(pieces.err)
      || (whole.err
          && (whole.err.code() != pieces.err.code()
              || whole.err.category() != pieces.err.category())))
    fail("the stream's outcome depends on how the bytes arrive");
  if (!whole.err && whole.buffered != pieces.buffered)
    fail("buffered bytes depend on how the bytes arrive");
  return 0;
}
