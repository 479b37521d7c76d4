// One frame at a time through `dispatch_frame`: each kind decoded into its
// message and handed to the member for it; kinds a handler does not take,
// kinds that do not exist and bodies that do not decode are reported.

#include "transport/frame_dispatch.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "transport/frame.hpp"

using namespace actorpool::detail;

namespace {

constexpr size_t frame_prefix = frame_header_size + 1; // length and kind

/// Encodes `xs` as a frame of `kind`; `view` points into it.
struct encoded {
  template <class... Ts>
  explicit encoded(frame_kind k, Ts... xs) {
    EXPECT_FALSE(append_frame(buf, k, xs...));
    kind = k;
  }

  frame_view view() const {
    return frame_view{kind, buf.data() + frame_prefix,
                      buf.size() - frame_prefix};
  }

  frame_kind kind;
  std::vector<char> buf;
};

/// Records which member ran with what; takes the kinds it is given.
class recording_handler : public frame_handler {
public:
  using frame_handler::frame_handler;

  caf::error on_hello(hello_msg& x) override {
    calls.push_back("hello " + std::to_string(x.version) + " "
                    + std::to_string(x.pid));
    return caf::none;
  }
  caf::error on_tasks(std::vector<task_msg>& xs) override {
    std::string s = "tasks";
    for (auto& x : xs)
      s += " " + std::to_string(x.id) + ":" + x.name;
    calls.push_back(s);
    return caf::none;
  }
  caf::error on_results(std::vector<result_msg>& xs) override {
    std::string s = "results";
    for (auto& x : xs)
      s += " " + std::to_string(x.id) + ":" + x.payload;
    calls.push_back(s);
    return caf::none;
  }
  caf::error on_init(task_msg& x) override {
    calls.push_back("init " + x.name);
    return caf::none;
  }
  caf::error on_shutdown() override {
    calls.push_back("shutdown");
    return caf::none;
  }
  caf::error on_cancel(uint64_t id) override {
    calls.push_back("cancel " + std::to_string(id));
    return caf::none;
  }
  caf::error on_service_call(service_call_msg& x) override {
    calls.push_back("call " + std::to_string(x.call_id) + " " + x.payload);
    return caf::none;
  }
  caf::error on_service_reply(service_reply_msg& x) override {
    calls.push_back("reply " + std::to_string(x.call_id) + " " + x.payload);
    return caf::none;
  }
  caf::error on_target(task_msg& x) override {
    calls.push_back("target " + x.name);
    return caf::none;
  }
  caf::error on_refusal(std::string& why) override {
    calls.push_back("refusal " + why);
    return caf::none;
  }
  caf::error on_revoke(std::vector<uint64_t>& ids) override {
    std::string s = "revoke";
    for (auto id : ids)
      s += " " + std::to_string(id);
    calls.push_back(s);
    return caf::none;
  }

  std::vector<std::string> calls;
};

recording_handler every_kind() {
  return recording_handler{
    {frame_kind::hello, frame_kind::tasks, frame_kind::results,
     frame_kind::init, frame_kind::shutdown, frame_kind::cancel,
     frame_kind::service_call, frame_kind::service_reply, frame_kind::target,
     frame_kind::refusal, frame_kind::revoke}};
}

std::string dispatched(const encoded& frame) {
  auto h = every_kind();
  auto err = dispatch_frame(frame.view(), h);
  EXPECT_FALSE(err) << to_string(err);
  EXPECT_EQ(h.calls.size(), 1u);
  return h.calls.empty() ? std::string{} : h.calls[0];
}

} // namespace

// -- decoding by kind ---------------------------------------------------------

TEST(frame_dispatch, each_kind_reaches_its_member_decoded) {
  hello_msg hello{protocol_version, 42};
  EXPECT_EQ(dispatched(encoded{frame_kind::hello, hello}), "hello 4 42");
  std::vector<task_msg> batch{{1, "a", 1, "p", 0}, {2, "b", 3, "q", 1}};
  EXPECT_EQ(dispatched(encoded{frame_kind::tasks, batch}), "tasks 1:a 2:b");
  std::vector<result_msg> rs{{7, result_msg::ok, 5, "out"}};
  EXPECT_EQ(dispatched(encoded{frame_kind::results, rs}), "results 7:out");
  task_msg t{0, "setup", 1, {}, 0};
  EXPECT_EQ(dispatched(encoded{frame_kind::init, t}), "init setup");
  EXPECT_EQ(dispatched(encoded{frame_kind::target, t}), "target setup");
  EXPECT_EQ(dispatched(encoded{frame_kind::shutdown}), "shutdown");
  EXPECT_EQ(dispatched(encoded{frame_kind::cancel, uint64_t{9}}), "cancel 9");
  service_call_msg call{3, 4, 5, 6, "in"};
  EXPECT_EQ(dispatched(encoded{frame_kind::service_call, call}), "call 3 in");
  service_reply_msg reply{3, service_reply_msg::ok, "back"};
  EXPECT_EQ(dispatched(encoded{frame_kind::service_reply, reply}),
            "reply 3 back");
  std::string why = "no";
  EXPECT_EQ(dispatched(encoded{frame_kind::refusal, why}), "refusal no");
  std::vector<uint64_t> ids{5, 6};
  EXPECT_EQ(dispatched(encoded{frame_kind::revoke, ids}), "revoke 5 6");
}

TEST(frame_dispatch, a_shutdown_body_is_not_looked_at) {
  encoded frame{frame_kind::shutdown, uint64_t{1}};
  EXPECT_EQ(dispatched(frame), "shutdown");
}

// -- kinds --------------------------------------------------------------------

TEST(frame_dispatch, a_kind_not_admitted_is_unexpected_and_not_decoded) {
  recording_handler h{{frame_kind::cancel}};
  // A body that would not decode as tasks: the kind is refused first.
  encoded frame{frame_kind::tasks, uint8_t{0xff}};
  auto err = dispatch_frame(frame.view(), h);
  EXPECT_EQ(err, caf::sec::unexpected_message);
  EXPECT_EQ(to_string(err), to_string(unexpected_frame_error(frame.kind)));
  EXPECT_NE(to_string(err).find("unexpected frame kind 2"), std::string::npos)
    << to_string(err);
  EXPECT_TRUE(h.calls.empty());
}

TEST(frame_dispatch, the_default_members_reject_their_kind) {
  frame_handler h{{frame_kind::cancel, frame_kind::hello}};
  auto err = dispatch_frame(encoded{frame_kind::cancel, uint64_t{1}}.view(), h);
  EXPECT_EQ(err, caf::sec::unexpected_message);
  hello_msg hello;
  err = dispatch_frame(encoded{frame_kind::hello, hello}.view(), h);
  EXPECT_EQ(to_string(err),
            to_string(unexpected_frame_error(frame_kind::hello)));
}

TEST(frame_dispatch, an_unknown_kind_is_reported_as_frame_reader_does) {
  auto h = every_kind();
  std::vector<char> body{0};
  for (uint8_t raw : {uint8_t{0}, uint8_t(max_frame_kind + 1), uint8_t{255}}) {
    frame_view fv{static_cast<frame_kind>(raw), body.data(), body.size()};
    auto err = dispatch_frame(fv, h);
    EXPECT_EQ(err, caf::sec::invalid_argument);
    EXPECT_NE(to_string(err).find("unknown frame kind " + std::to_string(raw)),
              std::string::npos)
      << to_string(err);
  }
  // frame_reader rejects the same kinds with the same error.
  std::vector<char> raw_frame{0, 0, 0, 2, char(max_frame_kind + 1), 0};
  frame_reader rd;
  auto err = rd.consume(raw_frame.data(), raw_frame.size(),
                        [](const frame_view&) { return caf::error{}; });
  EXPECT_EQ(to_string(err), to_string(unknown_frame_error(max_frame_kind + 1)));
  EXPECT_TRUE(h.calls.empty());
}

// -- bodies -------------------------------------------------------------------

TEST(frame_dispatch, a_body_cut_short_is_an_error_and_calls_nothing) {
  std::vector<task_msg> batch{{1, "a", 1, "payload", 0}};
  encoded frame{frame_kind::tasks, batch};
  auto fv = frame.view();
  for (size_t n = 0; n < fv.size; ++n) {
    auto h = every_kind();
    EXPECT_TRUE(dispatch_frame(frame_view{fv.kind, fv.body, n}, h)) << n;
    EXPECT_TRUE(h.calls.empty()) << n;
  }
}

TEST(frame_dispatch, trailing_bytes_are_an_error) {
  encoded frame{frame_kind::cancel, uint64_t{1}, uint8_t{0}};
  auto h = every_kind();
  auto err = dispatch_frame(frame.view(), h);
  EXPECT_EQ(err, caf::sec::invalid_argument);
  EXPECT_NE(to_string(err).find("trailing bytes"), std::string::npos);
  EXPECT_TRUE(h.calls.empty());
}

TEST(frame_dispatch, a_members_error_is_returned) {
  struct failing : frame_handler {
    failing() : frame_handler({frame_kind::cancel}) {
    }
    caf::error on_cancel(uint64_t id) override {
      return caf::make_error(caf::sec::runtime_error, std::to_string(id));
    }
  } h;
  auto err = dispatch_frame(encoded{frame_kind::cancel, uint64_t{5}}.view(), h);
  EXPECT_EQ(err, caf::sec::runtime_error);
}
