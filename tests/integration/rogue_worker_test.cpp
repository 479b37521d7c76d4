// A worker that breaks the wire protocol: task code writes raw bytes to
// the worker's socket (fd 3), as a corrupted or hostile worker would. The
// pool must drop that worker, start another, fail (or retry) only the
// tasks it held, say why, and keep serving everyone else.

#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "actorpool/this_task.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Writes `bytes` on the worker's own socket, then returns normally (its
/// result frame then follows the bytes).
int rogue(std::string bytes) {
  auto p = bytes.data();
  auto left = bytes.size();
  while (left > 0) {
    auto n = write(3, p, left);
    if (n <= 0)
      break;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}
ACTORPOOL_TASK(rogue)

/// Writes the start of a frame, then hangs inside the "write" of the rest.
int rogue_then_silence(std::string bytes) {
  rogue(std::move(bytes));
  for (;;)
    pause(); // killed by the pool
}
ACTORPOOL_TASK(rogue_then_silence)

std::string header(uint32_t length, uint8_t kind) {
  std::string h(5, '\0');
  h[0] = static_cast<char>(length >> 24);
  h[1] = static_cast<char>(length >> 16);
  h[2] = static_cast<char>(length >> 8);
  h[3] = static_cast<char>(length);
  h[4] = static_cast<char>(kind);
  return h;
}

/// What a rogue worker may send.
std::vector<std::pair<const char*, std::string>> attacks() {
  return {
    {"garbage", std::string("\x13\x37 this is no frame at all \xff\xfe", 30)},
    {"oversize length", header(0xfffffff0u, 3)},
    {"zero length", std::string(4, '\0')},
    {"unknown kind", header(1, 200)},
    {"truncated body", header(64, 3) + "short"},
    {"undecodable results",
     header(9, 3) + std::string("\xff\xff\xff\xff", 4) + "abcd"},
    {"second hello, wrong version", header(9, 1) + std::string(8, '\x7f')},
    {"frame kind of the parent", header(1, 5)},
  };
}

class rogue_worker_test : public process_test_p {};

} // namespace

TEST_P(rogue_worker_test, the_rogue_is_dropped_and_the_pool_goes_on) {
  pool p{pool_options{}.processes(workers()).max_retries(0)};
  for (auto& [what, bytes] : attacks()) {
    SCOPED_TRACE(what);
    auto died_before = p.stats().workers_died;
    auto others = p.map_async(sqr, std::vector<int>(200, 3), 10);
    try {
      p.apply(rogue, bytes);
      // A frame cut short is only noticed with the bytes after it: the
      // result frame may complete it; then the worker is dropped a moment
      // later, after its result arrived.
    } catch (const worker_died_error& e) {
      EXPECT_NE(std::string{e.what()}.find("protocol violation"),
                std::string::npos)
        << e.what();
    }
    EXPECT_EQ(others.get(), std::vector<int>(200, 9));
    EXPECT_EQ(p.apply(sqr, 7), 49);
    // The rogue was replaced: the pool is back to full strength.
    auto t0 = std::chrono::steady_clock::now();
    while (p.stats().pids.size() < static_cast<size_t>(workers()))
      ASSERT_LT(std::chrono::steady_clock::now() - t0, 10s);
    (void)died_before;
  }
  EXPECT_GE(p.stats().workers_died, 1u);
}

TEST_P(rogue_worker_test, a_rogue_with_retries_fails_after_its_budget) {
  pool p{pool_options{}.processes(workers()).max_retries(2)};
  try {
    p.apply(rogue, std::string("\x13\x37garbage", 9));
    FAIL() << "the rogue call should fail";
  } catch (const worker_died_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("3 attempts"), std::string::npos) << what;
    EXPECT_NE(what.find("protocol violation"), std::string::npos) << what;
  }
  EXPECT_EQ(p.stats().workers_died, 3u);
  EXPECT_EQ(p.apply(sqr, 5), 25);
}

TEST_P(rogue_worker_test, a_frame_cut_short_then_silence_drops_the_worker) {
  pool p{pool_options{}.processes(workers()).max_retries(0)};
  try {
    p.apply(rogue_then_silence, header(64, 3) + "short");
    FAIL() << "the call should fail";
  } catch (const worker_died_error& e) {
    EXPECT_NE(std::string{e.what()}.find("a frame cut short"),
              std::string::npos)
      << e.what();
  }
  EXPECT_EQ(p.apply(sqr, 7), 49);
}

INSTANTIATE_TEST_SUITE_P(rogue, rogue_worker_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
