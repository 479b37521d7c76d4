// libFuzzer target for what a link reads before it trusts its peer: the
// listener's preamble parser and both roles of the handshake. The first
// byte of an input picks the part:
//
//   0  preamble: byte 1 picks the listener's mode (bit 0), the rest is the
//      peer's stream, read in one piece and byte by byte;
//   1  pool: the pool sends its challenge, the rest is the "agent's" stream,
//      fed in pieces of 1 + byte 1 % 16 bytes;
//   2  agent: the rest is the "pool's" stream, fed likewise;
//   3  exchange: a real pool and agent, with the binding taken from the
//      input after 4 bytes saying which message to tamper with (byte 1 % 4:
//      challenge, answer, proof, none), where (bytes 2) and how (byte 3,
//      xor); the pieces are of 1 + byte 4 % 16 bytes.
//
// The exchange's nonces come from a fixed sequence, so that its findings
// reproduce; the single roles use RAND_bytes, so that no input can hold
// the MAC a fixed nonce would call for.
// Findings: a sanitizer report, an exception, the two preamble readings
// disagreeing, a preamble accepted that is not the listener's own, a
// verdict that changes after a rejection, output after a rejection, a pool
// or agent authenticating a stream made up by the fuzzer, an untouched
// exchange that does not authenticate, or a tampered one that does.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "remote/handshake.hpp"
#include "remote/link_preamble.hpp"

namespace actorpool::fuzz {
namespace {

using namespace actorpool::detail;

const std::string key = "the fuzzer's key, 32 bytes long.";

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "handshake_fuzzer: %s\n", what);
  std::abort();
}

/// Nonces `first`, `first + 1`, ... (each byte of a nonce is its number).
random_source counting_nonces(uint8_t first) {
  return [n = first](uint8_t* out, size_t size) mutable {
    std::fill(out, out + size, n++);
    return true;
  };
}

void check_preamble(const uint8_t* data, size_t size) {
  if (size < 1)
    return;
  auto mode = static_cast<link_mode>(data[0] & 1);
  ++data, --size;
  preamble_parser whole{mode};
  auto a = whole.feed(data, size);
  preamble_parser bytewise{mode};
  preamble_parser::result b;
  size_t consumed = 0;
  for (size_t i = 0; i < size; ++i) {
    b = bytewise.feed(data + i, 1);
    consumed += b.consumed;
  }
  if (size > 0
      && (a.verdict != b.verdict || a.consumed != consumed
          || a.reason != b.reason))
    fail("the preamble's verdict depends on how its bytes arrive");
  if (a.consumed > preamble_size)
    fail("the preamble parser took more than the preamble");
  auto own = make_preamble(mode);
  if (a.verdict == preamble_parser::status::ok
      && (size < preamble_size || !std::equal(own.begin(), own.end(), data)))
    fail("a preamble other than the listener's own was accepted");
  if (a.verdict == preamble_parser::status::need_more)
    return;
  auto again = whole.feed(data, size);
  if (again.verdict != a.verdict || again.consumed != 0
      || again.reason != a.reason)
    fail("the preamble parser changed its verdict");
}

/// Feeds `data` to `m` in pieces of `piece` bytes; checks that nothing
/// authenticates and that a rejection is final and silent.
void feed_untrusted(handshake_machine& m, const uint8_t* data, size_t size,
                    size_t piece) {
  bool rejected = false;
  for (size_t pos = 0; pos < size; pos += piece) {
    auto step = m.consume(data + pos, std::min(piece, size - pos));
    if (step.verdict == handshake_step::authenticated)
      fail("a made-up stream authenticated");
    if (rejected
        && (step.verdict != handshake_step::rejected || !step.output.empty()))
      fail("a rejected handshake went on");
    rejected = step.verdict == handshake_step::rejected;
    if (rejected && step.reason.empty())
      fail("a rejection without a reason");
  }
}

void check_role(const uint8_t* data, size_t size) {
  if (size < 2)
    return;
  size_t piece = 1 + data[1] % 16;
  if (data[0] % 4 == 1) {
    pool_handshake pool{key};
    if (pool.start().output.size() != challenge_size)
      fail("the challenge has the wrong size");
    feed_untrusted(pool, data + 2, size - 2, piece);
  } else {
    agent_handshake agent{key};
    feed_untrusted(agent, data + 2, size - 2, piece);
  }
}

/// Feeds `msg` to `m` in pieces; returns the last step.
handshake_step deliver(handshake_machine& m, const handshake_bytes& msg,
                       size_t piece) {
  handshake_step last{handshake_step::rejected, {}, "nothing to deliver"};
  for (size_t pos = 0; pos < msg.size(); pos += piece)
    last = m.consume(msg.data() + pos, std::min(piece, msg.size() - pos));
  return last;
}

void tamper(handshake_bytes& msg, size_t which, size_t target, size_t at,
            uint8_t mask) {
  if (which == target && !msg.empty())
    msg[at % msg.size()] ^= mask;
}

void check_exchange(const uint8_t* data, size_t size) {
  if (size < 5)
    return;
  size_t target = data[1] % 4, at = data[2], piece = 1 + data[4] % 16;
  auto mask = data[3];
  handshake_bytes binding(data + 5, data + std::min<size_t>(size, 5 + 64));
  pool_handshake pool{key, binding, counting_nonces(1)};
  agent_handshake agent{key, binding, counting_nonces(0x81)};
  auto msg = pool.start().output;
  tamper(msg, 0, target, at, mask);
  msg = deliver(agent, msg, piece).output;
  tamper(msg, 1, target, at, mask);
  msg = deliver(pool, msg, piece).output;
  tamper(msg, 2, target, at, mask);
  deliver(agent, msg, piece);
  bool intact = target == 3 || mask == 0;
  bool pool_ok = pool.verdict() == handshake_step::authenticated;
  bool agent_ok = agent.verdict() == handshake_step::authenticated;
  if (intact && !(pool_ok && agent_ok))
    fail("an untouched exchange did not authenticate");
  if (!intact && agent_ok)
    fail("the agent authenticated a tampered exchange");
  if (!intact && pool_ok && target != 2)
    fail("the pool authenticated a tampered exchange");
}

} // namespace
} // namespace actorpool::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actorpool::fuzz;
  if (size == 0)
    return 0;
  switch (data[0] % 4) {
    case 0:
      check_preamble(data + 1, size - 1);
      break;
    case 1:
    case 2:
      check_role(data, size);
      break;
    default:
      check_exchange(data, size);
  }
  return 0;
}
