// A worker that grows past pool_options::max_worker_memory is replaced
// between tasks (loky's leak guard); no task fails for it.

#include <unistd.h>

#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

/// Leaks `mib` MiB (touched, so it is resident); returns the worker's pid.
int hoard(int mib) {
  static std::vector<std::unique_ptr<char[]>> kept;
  auto n = static_cast<size_t>(mib) << 20;
  kept.emplace_back(new char[n]);
  std::memset(kept.back().get(), 1, n);
  return static_cast<int>(getpid());
}
ACTORPOOL_TASK(hoard)

class memory_limit_test : public process_test_p {};

} // namespace

TEST_P(memory_limit_test, a_leaking_worker_is_recycled) {
  pool p{
    pool_options{}.processes(workers()).max_worker_memory(size_t{64} << 20)};
  std::set<int> pids;
  for (int i = 0; i < 12 * workers(); ++i)
    pids.insert(p.apply(hoard, 16));
  auto st = p.stats();
  EXPECT_GE(st.workers_recycled, 1u);
  EXPECT_EQ(st.workers_died, 0u);
  EXPECT_EQ(st.failed, 0u);
  EXPECT_GT(pids.size(), static_cast<size_t>(workers()));
}

TEST_P(memory_limit_test, a_worker_within_the_limit_is_kept) {
  pool p{
    pool_options{}.processes(workers()).max_worker_memory(size_t{1} << 30)};
  std::set<int> pids;
  for (int i = 0; i < 4; ++i)
    pids.insert(p.apply(hoard, 1));
  EXPECT_EQ(p.stats().workers_recycled, 0u);
  EXPECT_LE(pids.size(), static_cast<size_t>(workers()));
}

INSTANTIATE_TEST_SUITE_P(memory, memory_limit_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
