// Writes the seed corpora of the fuzz targets: real encoded frames and
// values, made with the library's own encoders, and real link preambles
// and handshake messages, so the seeds follow the protocol as it is now.
//
// Usage: fuzz_seeds <frame corpus dir> <codec corpus dir>
//                   <handshake corpus dir>

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "fuzz/fuzz_values.hpp"
#include "remote/handshake.hpp"
#include "remote/link_preamble.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"

namespace actorpool::fuzz {
namespace {

using namespace actorpool::detail;

/// Writes numbered files into one directory.
class corpus_writer {
public:
  /// Creates `dir` and its missing parents.
  explicit corpus_writer(std::string dir) : dir_(std::move(dir)) {
    size_t pos = 0;
    do {
      pos = dir_.find('/', pos + 1);
      auto prefix = dir_.substr(0, pos);
      if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        std::perror(prefix.c_str());
        std::exit(1);
      }
    } while (pos != std::string::npos);
  }

  void write(const char* name, const char* data, size_t size) {
    auto path = dir_ + "/" + name + "-" + std::to_string(++count_);
    auto f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(data, 1, size, f) != size
        || std::fclose(f) != 0) {
      std::perror(path.c_str());
      std::exit(1);
    }
  }

  size_t count() const noexcept {
    return count_;
  }

private:
  std::string dir_;
  size_t count_ = 0;
};

template <class... Ts>
std::string encoded(Ts... xs) {
  std::string out;
  encode_into(out, xs...);
  return out;
}

template <class... Ts>
void frame(std::vector<char>& buf, frame_kind kind, Ts... xs) {
  if (auto err = append_frame(buf, kind, xs...)) {
    std::fprintf(stderr, "cannot encode a seed frame\n");
    std::exit(1);
  }
}

std::string failure(errc code, std::string type, std::string what) {
  failure_msg f{static_cast<uint8_t>(code), std::move(type), std::move(what),
                4711};
  return encoded(f);
}

task_msg sqr_task(uint64_t id, std::vector<int32_t> args) {
  std::string payload;
  for (auto x : args)
    encode_into(payload, x);
  return task_msg{id, "sqr", static_cast<uint32_t>(args.size()),
                  std::move(payload)};
}

void write_frames(corpus_writer& out) {
  auto emit = [&](const char* name, const std::vector<char>& buf) {
    out.write(name, buf.data(), buf.size());
  };
  // One frame of each kind.
  std::vector<char> buf;
  frame(buf, frame_kind::hello, hello_msg{protocol_version, 4711});
  emit("hello", buf);
  buf.clear();
  frame(buf, frame_kind::tasks,
        std::vector<task_msg>{sqr_task(1, {7}), sqr_task(2, {1, 2, 3, 4})});
  emit("tasks", buf);
  buf.clear();
  frame(buf, frame_kind::results,
        std::vector<result_msg>{result_msg{1, result_msg::ok, 12,
                                           encoded(int32_t{49})},
                                result_msg{2, result_msg::failed, 40,
                                           failure(errc::task_failed,
                                                   "std::invalid_argument",
                                                   "bad input")}});
  emit("results", buf);
  buf.clear();
  frame(buf, frame_kind::init,
        task_msg{0, "init", 1, encoded(std::string{"config"}, int32_t{3})});
  emit("init", buf);
  buf.clear();
  frame(buf, frame_kind::shutdown);
  emit("shutdown", buf);
  buf.clear();
  frame(buf, frame_kind::cancel, uint64_t{42});
  emit("cancel", buf);
  buf.clear();
  frame(buf, frame_kind::revoke, std::vector<uint64_t>{7, 8, 9});
  emit("revoke", buf);
  buf.clear();
  frame(buf, frame_kind::service_call,
        service_call_msg{9, 3, 140000, 1, encoded(std::string{"key"})});
  emit("service_call", buf);
  buf.clear();
  frame(buf, frame_kind::service_reply,
        service_reply_msg{9, service_reply_msg::ok, encoded(int64_t{5})});
  emit("service_reply", buf);
  buf.clear();
  frame(buf, frame_kind::service_reply,
        service_reply_msg{10, service_reply_msg::failed,
                          encoded(static_cast<uint8_t>(errc::invalid_argument),
                                  std::string{"no such key"})});
  emit("service_reply", buf);
  buf.clear();
  frame(buf, frame_kind::target,
        task_msg{1, "process_target", 1, encoded(int32_t{1}, double{0.5})});
  emit("target", buf);
  buf.clear();
  frame(buf, frame_kind::refusal,
        std::string{"the program ran main() instead of serving"});
  emit("refusal", buf);
  // What a worker sends over its life, and what its parent sends it.
  buf.clear();
  frame(buf, frame_kind::hello, hello_msg{protocol_version, 99});
  frame(buf, frame_kind::results,
        std::vector<result_msg>{result_msg{0, result_msg::ok, 3, {}}});
  frame(buf, frame_kind::service_call,
        service_call_msg{1, 2, 3, 4, encoded(int32_t{1})});
  frame(buf, frame_kind::results,
        std::vector<result_msg>{result_msg{5, result_msg::ok, 1,
                                           encoded(int32_t{1}, int32_t{4})},
                                result_msg{6, result_msg::failed, 2,
                                           failure(errc::cancelled, {},
                                                   "cancelled")}});
  emit("worker_stream", buf);
  buf.clear();
  frame(buf, frame_kind::init, task_msg{0, "init", 1, {}});
  frame(buf, frame_kind::tasks, std::vector<task_msg>{sqr_task(3, {5})});
  frame(buf, frame_kind::cancel, uint64_t{3});
  frame(buf, frame_kind::revoke, std::vector<uint64_t>{4, 5});
  frame(buf, frame_kind::service_reply,
        service_reply_msg{1, service_reply_msg::ok, {}});
  frame(buf, frame_kind::tasks,
        std::vector<task_msg>{sqr_task(4, {6}), sqr_task(5, {7, 8})});
  frame(buf, frame_kind::shutdown);
  emit("parent_stream", buf);
}

template <class T>
void value(corpus_writer& out, T x) {
  std::string buf(1, static_cast<char>(index_of<T>::value));
  encode_into(buf, x);
  out.write("value", buf.data(), buf.size());
}

void path(corpus_writer& out, decode_path p, const std::string& body) {
  std::string buf(1, static_cast<char>(selector(p)));
  buf += body;
  out.write("path", buf.data(), buf.size());
}

/// `u8 chunks | (u8 count | u8 size | bytes)...` for `decode_path::map_*`.
std::string chunks(const std::vector<std::pair<uint8_t, std::string>>& xs) {
  std::string out(1, static_cast<char>(xs.size()));
  for (auto& [count, payload] : xs) {
    out += static_cast<char>(count);
    out += static_cast<char>(payload.size());
    out += payload;
  }
  return out;
}

void write_values(corpus_writer& out) {
  value(out, int32_t{-7});
  value(out, uint64_t{1} << 40);
  value(out, int8_t{-1});
  value(out, int16_t{300});
  value(out, true);
  value(out, 1.5f);
  value(out, 3.25);
  value(out, -std::numeric_limits<double>::infinity());
  value(out, std::numeric_limits<double>::quiet_NaN());
  value(out, 2.5L);
  value(out, std::string{"hello"});
  value(out, std::u16string{u"h\u00e9"});
  value(out, std::u32string{U"\U0001F600"});
  value(out, std::vector<int32_t>{1, 2, 3});
  value(out, std::vector<double>{0.5, -0.0});
  value(out, std::vector<std::string>{"a", "", "ccc"});
  value(out, std::vector<bool>{true, false, true, true, false, false, true,
                               false, true});
  value(out, std::vector<char>{'x', '\0', 'y'});
  value(out, std::vector<std::vector<int32_t>>{{1}, {}, {2, 3}});
  value(out, std::array<int32_t, 3>{4, 5, 6});
  value(out, std::set<int64_t>{-1, 0, 1});
  value(out, std::map<std::string, int32_t>{{"a", 1}, {"b", 2}});
  value(out, std::pair<int32_t, std::string>{1, "one"});
  value(out, std::tuple<int32_t, double, std::string>{1, 2.0, "three"});
  value(out, std::vector<std::tuple<int32_t, int32_t>>{{1, 2}, {3, 4}});
  value(out, test::point{1, 2, "p"});
  value(out, std::vector<test::point>{{1, 2, "a"}, {3, 4, "b"}});
  value(out, polygon{"tri",
                     {{0, 0, "o"}, {1, 0, ""}, {0, 1, ""}},
                     {{"area", 0.5}},
                     true});
  value(out, hello_msg{protocol_version, 4711});
  value(out, sqr_task(1, {2, 3}));
  value(out, result_msg{1, result_msg::ok, 7, encoded(int32_t{4})});
  value(out, failure_msg{static_cast<uint8_t>(errc::task_failed),
                         "std::out_of_range", "index 3", 4711});
  value(out, service_call_msg{1, 2, 3, 4, encoded(std::string{"x"})});
  value(out, service_reply_msg{1, service_reply_msg::ok, "r"});
  value(out, std::vector<task_msg>{sqr_task(1, {1}), sqr_task(2, {2})});
  value(out, std::vector<result_msg>{result_msg{1, result_msg::ok, 1, "a"},
                                     result_msg{2, result_msg::failed, 2,
                                                failure(errc::cancelled, {},
                                                        "cancelled")}});
  auto count = [](uint8_t n) {
    return std::string(1, static_cast<char>(n));
  };
  path(out, decode_path::invoke_scale,
       count(2) + encoded(test::point{1, 2, "a"}, int32_t{3})
         + encoded(test::point{-1, 0, ""}, int32_t{2}));
  path(out, decode_path::invoke_join,
       count(1)
         + encoded(std::vector<std::string>{"a", "b"}, std::string{", "}));
  path(out, decode_path::invoke_mul,
       count(3)
         + encoded(int32_t{2}, int32_t{3}, int32_t{4}, int32_t{5}, int32_t{6},
                   int32_t{7}));
  path(out, decode_path::map_results,
       chunks(
         {{2, encoded(int32_t{1}, int32_t{4})}, {1, encoded(int32_t{9})}}));
  path(out, decode_path::map_polygons,
       chunks({{1, encoded(polygon{"sq", {{0, 0, ""}}, {}, false})}}));
  path(out, decode_path::service_error,
       encoded(static_cast<uint8_t>(errc::invalid_argument),
               std::string{"the service was destroyed"}));
}

/// A handshake fuzzer input: `header` (the part and its parameters, see
/// handshake_fuzzer.cpp), then `tail`.
void handshake_seed(corpus_writer& out, const char* name,
                    std::vector<uint8_t> header,
                    const std::vector<uint8_t>& tail) {
  header.insert(header.end(), tail.begin(), tail.end());
  out.write(name, reinterpret_cast<const char*>(header.data()), header.size());
}

std::vector<uint8_t> preamble(link_mode mode) {
  auto p = make_preamble(mode);
  return {p.begin(), p.end()};
}

/// A message of `kind` and `size` bytes, the rest filled with `fill`.
std::vector<uint8_t> message(handshake_kind kind, size_t size, uint8_t fill) {
  std::vector<uint8_t> msg(size, fill);
  msg[0] = static_cast<uint8_t>(kind);
  return msg;
}

void write_preambles(corpus_writer& out) {
  handshake_seed(out, "preamble", {0, 0}, preamble(link_mode::plain));
  handshake_seed(out, "preamble", {0, 1}, preamble(link_mode::tls));
  handshake_seed(out, "preamble", {0, 0}, preamble(link_mode::tls));
  handshake_seed(out, "preamble", {0, 1}, preamble(link_mode::plain));
  handshake_seed(out, "preamble", {0, 0}, {0x16, 0x03, 0x01, 0x00, 0xa5});
  auto then = preamble(link_mode::plain);
  then.insert(then.end(), {1, 1, 0});
  handshake_seed(out, "preamble", {0, 0}, then);
}

void write_handshakes(corpus_writer& out) {
  auto answer = message(handshake_kind::answer, answer_size, 0);
  handshake_seed(out, "pool", {1, 15}, answer);
  answer.push_back(0);
  handshake_seed(out, "pool", {1, 0}, answer);
  auto challenge = message(handshake_kind::challenge, challenge_size, 7);
  challenge[1] = handshake_digest_sha256;
  auto agent_stream = challenge;
  auto proof = message(handshake_kind::proof, proof_size, 0);
  agent_stream.insert(agent_stream.end(), proof.begin(), proof.end());
  handshake_seed(out, "agent", {2, 15}, agent_stream);
  challenge[1] = 2;
  handshake_seed(out, "agent", {2, 3}, challenge);
  // An untouched exchange, and one with each message tampered with.
  handshake_seed(out, "exchange", {3, 3, 0, 0, 15}, {});
  handshake_seed(out, "exchange", {3, 3, 0, 0, 0}, {'t', 'l', 's'});
  handshake_seed(out, "exchange", {3, 0, 5, 1, 15}, {});
  handshake_seed(out, "exchange", {3, 1, 48, 0x80, 2}, {1, 2});
  handshake_seed(out, "exchange", {3, 2, 32, 0xff, 15}, {});
}

} // namespace
} // namespace actorpool::fuzz

int main(int argc, char** argv) {
  using namespace actorpool::fuzz;
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s <frame corpus dir> <codec corpus dir> "
                 "<handshake corpus dir>\n",
                 argv[0]);
    return 2;
  }
  corpus_writer frames{argv[1]};
  write_frames(frames);
  corpus_writer values{argv[2]};
  write_values(values);
  corpus_writer links{argv[3]};
  write_preambles(links);
  write_handshakes(links);
  std::printf("%zu frame seeds in %s, %zu codec seeds in %s, %zu handshake "
              "seeds in %s\n",
              frames.count(), argv[1], values.count(), argv[2], links.count(),
              argv[3]);
  return 0;
}
