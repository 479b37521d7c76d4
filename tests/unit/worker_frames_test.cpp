// How the parent reads a worker's frames: hello (or refusal) first, then
// results and service calls; anything else breaks the protocol.

#include "transport/worker_frames.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "transport/frame.hpp"

using namespace actorpool::detail;

namespace {

/// A worker's end of the stream: frames appended to `bytes`.
struct worker_stream {
  template <class... Ts>
  worker_stream& add(frame_kind kind, Ts... xs) {
    EXPECT_FALSE(append_frame(bytes, kind, xs...));
    return *this;
  }
  std::vector<char> bytes;
};

/// The parent's end: what each callback received, in order.
class parent_end {
public:
  parent_end() : frames_(callbacks()) {
    // nop
  }

  /// Reads `ws` as the broker does (in one piece); the first error ends it.
  caf::error read(const worker_stream& ws) {
    return reader_.consume(ws.bytes.data(), ws.bytes.size(),
                           [this](const frame_view& fv) {
                             return dispatch_frame(fv, frames_);
                           });
  }

  worker_frames& frames() {
    return frames_;
  }

  std::vector<std::string> events;

private:
  worker_frames::callbacks callbacks() {
    worker_frames::callbacks cbs;
    cbs.hello = [this](hello_msg& x) {
      events.push_back("hello " + std::to_string(x.pid));
    };
    cbs.refusal = [this](std::string& why) {
      events.push_back("refusal " + why);
    };
    cbs.results = [this](std::vector<result_msg>& rs) {
      std::string s = "results";
      for (auto& r : rs)
        s += " " + std::to_string(r.id);
      events.push_back(s);
    };
    cbs.service_call = [this](service_call_msg& x) {
      events.push_back("call " + std::to_string(x.call_id) + " "
                       + std::to_string(x.service));
    };
    return cbs;
  }

  frame_reader reader_;
  worker_frames frames_;
};

hello_msg hello_from(int32_t pid) {
  return hello_msg{protocol_version, pid};
}

std::vector<result_msg> results_of(std::vector<uint64_t> ids) {
  std::vector<result_msg> rs;
  for (auto id : ids)
    rs.push_back(result_msg{id, result_msg::ok, 1, "r"});
  return rs;
}

bool mentions(const caf::error& err, const std::string& text) {
  return to_string(err).find(text) != std::string::npos;
}

} // namespace

// -- the first frame ----------------------------------------------------------

TEST(worker_frames, hello_then_results_and_calls_reach_the_parent) {
  parent_end parent;
  worker_stream ws;
  service_call_msg call{5, 9, 1, 2, "x"};
  ws.add(frame_kind::hello, hello_from(77))
    .add(frame_kind::results, results_of({1, 2}))
    .add(frame_kind::service_call, call)
    .add(frame_kind::results, results_of({3}));
  EXPECT_FALSE(parent.read(ws));
  EXPECT_EQ(parent.events, (std::vector<std::string>{"hello 77", "results 1 2",
                                                     "call 5 9", "results 3"}));
  EXPECT_TRUE(parent.frames().said_hello());
  EXPECT_EQ(parent.frames().pid(), 77);
}

TEST(worker_frames, a_first_frame_other_than_hello_breaks_the_protocol) {
  for (auto kind : {frame_kind::results, frame_kind::service_call,
                    frame_kind::tasks, frame_kind::shutdown}) {
    parent_end parent;
    worker_stream ws;
    // Its body is not even looked at.
    ws.add(kind, uint8_t{0xff});
    auto err = parent.read(ws);
    EXPECT_EQ(err, caf::sec::unexpected_message);
    EXPECT_TRUE(mentions(err, "first frame is not hello")) << to_string(err);
    EXPECT_TRUE(parent.events.empty());
    EXPECT_FALSE(parent.frames().said_hello());
  }
}

TEST(worker_frames, a_refusal_comes_instead_of_hello) {
  parent_end parent;
  worker_stream ws;
  ws.add(frame_kind::refusal, std::string{"it ran main"});
  EXPECT_FALSE(parent.read(ws));
  EXPECT_EQ(parent.events, (std::vector<std::string>{"refusal it ran main"}));
  EXPECT_FALSE(parent.frames().said_hello());
}

TEST(worker_frames, a_hello_that_does_not_decode_is_an_error) {
  parent_end parent;
  worker_stream ws;
  ws.add(frame_kind::hello, uint8_t{1});
  EXPECT_TRUE(parent.read(ws));
  EXPECT_TRUE(parent.events.empty());
  EXPECT_FALSE(parent.frames().said_hello());
  EXPECT_EQ(parent.frames().pid(), 0);
}

// -- after hello --------------------------------------------------------------

TEST(worker_frames, a_second_hello_or_parent_frame_is_unexpected) {
  struct probe {
    frame_kind kind;
    const char* text;
  };
  for (auto p : {probe{frame_kind::hello, "unexpected frame kind 1"},
                 probe{frame_kind::tasks, "unexpected frame kind 2"},
                 probe{frame_kind::refusal, "unexpected frame kind 10"},
                 probe{frame_kind::revoke, "unexpected frame kind 11"}}) {
    parent_end parent;
    worker_stream ws;
    ws.add(frame_kind::hello, hello_from(3))
      .add(p.kind, uint8_t{0xff})
      .add(frame_kind::results, results_of({1}));
    auto err = parent.read(ws);
    EXPECT_EQ(err, caf::sec::unexpected_message);
    EXPECT_TRUE(mentions(err, p.text)) << to_string(err);
    // Nothing after the offending frame is read.
    EXPECT_EQ(parent.events, (std::vector<std::string>{"hello 3"}));
  }
}

TEST(worker_frames, results_that_do_not_decode_are_an_error) {
  parent_end parent;
  worker_stream ws;
  ws.add(frame_kind::hello, hello_from(3))
    .add(frame_kind::results, results_of({1}), uint8_t{0});
  auto err = parent.read(ws);
  EXPECT_TRUE(mentions(err, "trailing bytes")) << to_string(err);
  EXPECT_EQ(parent.events, (std::vector<std::string>{"hello 3"}));
}
