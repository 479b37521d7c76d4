// The frame size limit (`pool_options::max_frame_size`) is enforced by both
// ends of a worker's socket, for every kind of frame: arguments, results
// (alone and batched), the initializer's arguments, and service calls and
// replies (queue items, pipe messages). Whatever does not fit fails its own
// call with `encoding_error`; no worker dies for it.
//
// A limit lowered below the default with values between the two takes the
// same path through both ends as a raised one with values above the
// default, at a fraction of the memory.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "actorpool/pipe.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/queue.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

constexpr size_t one_mib = size_t{1} << 20;

std::string blob(uint64_t n) {
  return std::string(n, 'b');
}

void keep_args(std::string) {
  // an initializer
}

// The outcome of a service call made in a worker, as text: "ok <size>" or
// "encoding_error: <what>".
template <class F>
std::string outcome_of(F f) {
  try {
    return "ok " + std::to_string(f());
  } catch (const encoding_error& e) {
    return std::string{"encoding_error: "} + e.what();
  }
}

std::string put_blob(queue<std::string> q, uint64_t n) {
  return outcome_of([&] {
    q.put(std::string(n, 'q'));
    return n;
  });
}

std::string get_blob(queue<std::string> q) {
  return outcome_of([&] { return q.get().size(); });
}

std::string send_blob(connection<std::string> c, uint64_t n) {
  return outcome_of([&] {
    c.send(std::string(n, 's'));
    return n;
  });
}

std::string recv_blob(connection<std::string> c) {
  return outcome_of([&] { return c.recv().size(); });
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

class frame_limit_test : public process_test_p {
protected:
  pool_options limited(size_t max_frame_size) const {
    return pool_options{}.processes(workers()).max_frame_size(max_frame_size);
  }

  /// Fails the test if a worker of `p` died, was killed or replaced.
  void expect_same_workers(const pool& p, const std::set<int32_t>& before) {
    auto st = p.stats();
    EXPECT_EQ(std::set<int32_t>(st.pids.begin(), st.pids.end()), before);
    EXPECT_EQ(st.workers_started, static_cast<uint64_t>(workers()));
    EXPECT_EQ(st.workers_died, 0u);
    EXPECT_EQ(st.workers_killed, 0u);
  }

  static std::set<int32_t> pid_set(const pool& p) {
    auto pids = p.stats().pids;
    return {pids.begin(), pids.end()};
  }
};

} // namespace

ACTORPOOL_TASK(blob)
ACTORPOOL_TASK(keep_args)
ACTORPOOL_TASK(put_blob)
ACTORPOOL_TASK(get_blob)
ACTORPOOL_TASK(send_blob)
ACTORPOOL_TASK(recv_blob)

// -- results ------------------------------------------------------------------

TEST_P(frame_limit_test,
       oversize_result_is_an_encoding_error_and_costs_no_worker) {
  pool p{limited(one_mib)};
  auto before = pid_set(p);
  for (int i = 0; i < 2 * workers(); ++i) {
    try {
      p.apply(blob, 2 * one_mib);
      ADD_FAILURE() << "a 2 MiB result passed a 1 MiB limit";
    } catch (const encoding_error& e) {
      EXPECT_NE(std::string{e.what()}.find("frame size limit of 1048576"),
                std::string::npos)
        << e.what();
    }
  }
  // The workers that refused the results serve the next tasks.
  std::vector<double> waits(static_cast<size_t>(workers()) * 4, 0.01);
  for (auto pid : p.map(worker_pid_wait, waits, 1))
    EXPECT_EQ(before.count(pid), 1u);
  expect_same_workers(p, before);
}

TEST_P(frame_limit_test, the_limit_is_the_pools_in_the_worker) {
  // Just under the pool's limit passes both ends; just over it is refused
  // by the worker, which knows the pool's limit, not its own default.
  pool p{limited(one_mib)};
  auto before = pid_set(p);
  EXPECT_EQ(p.apply(blob, one_mib - 1024).size(), one_mib - 1024);
  EXPECT_THROW(p.apply(blob, one_mib + 1024), encoding_error);
  EXPECT_THROW(p.apply(payload_size, std::string(one_mib + 1024, 'a')),
               encoding_error);
  EXPECT_EQ(p.apply(payload_size, std::string(one_mib - 1024, 'a')),
            one_mib - 1024);
  expect_same_workers(p, before);
}

TEST_P(frame_limit_test, batched_results_stay_within_a_lowered_limit) {
  // 64 tiny tasks in flight per worker: their 4 KB results would make
  // frames of 256 KB; each frame stays within 64 KiB.
  pool p{limited(64 * 1024).window(64)};
  auto before = pid_set(p);
  std::vector<uint64_t> sizes(static_cast<size_t>(workers()) * 200, 4000);
  auto results = p.map(blob, sizes, 1);
  ASSERT_EQ(results.size(), sizes.size());
  for (auto& r : results)
    EXPECT_EQ(r.size(), 4000u);
  expect_same_workers(p, before);
}

// -- arguments, the initializer -----------------------------------------------

TEST_P(frame_limit_test, initializer_arguments_over_the_limit) {
  EXPECT_THROW(pool{limited(4096).initializer(keep_args,
                                              std::string(8192, 'i'))},
               encoding_error);
  pool p{limited(4096).initializer(keep_args, std::string(1000, 'i'))};
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

TEST_P(frame_limit_test, limit_outside_its_bounds_is_a_bad_argument) {
  EXPECT_THROW(pool{limited(pool_options::min_frame_size_limit - 1)},
               bad_argument);
  EXPECT_THROW(pool{limited(pool_options::max_frame_size_limit + 1)},
               bad_argument);
  pool p{limited(pool_options::max_frame_size_limit)};
  EXPECT_EQ(p.apply(sqr, 4), 16);
}

// -- service calls and replies ------------------------------------------------

TEST_P(frame_limit_test,
       queue_item_over_the_limit_fails_the_put_in_the_worker) {
  pool p{limited(one_mib)};
  auto before = pid_set(p);
  queue<std::string> q;
  auto r = p.apply(put_blob, q, 2 * one_mib);
  EXPECT_TRUE(starts_with(r, "encoding_error: ")) << r;
  EXPECT_EQ(q.qsize(), 0u);
  EXPECT_EQ(p.apply(put_blob, q, uint64_t{1000}), "ok 1000");
  EXPECT_EQ(q.get().size(), 1000u);
  expect_same_workers(p, before);
}

TEST_P(frame_limit_test, queue_item_over_the_limit_fails_the_get_and_stays) {
  pool p{limited(one_mib)};
  auto before = pid_set(p);
  queue<std::string> q;
  q.put(std::string(2 * one_mib, 'x'));
  q.put("small");
  auto r = p.apply(get_blob, q);
  EXPECT_TRUE(starts_with(r, "encoding_error: ")) << r;
  ASSERT_EQ(q.qsize(), 2u); // else the gets below would wait forever
  EXPECT_EQ(q.get(), std::string(2 * one_mib, 'x'));
  EXPECT_EQ(p.apply(get_blob, q), "ok 5");
  expect_same_workers(p, before);
}

TEST_P(frame_limit_test, pipe_message_over_the_limit_fails_send_and_recv) {
  pool p{limited(one_mib)};
  auto before = pid_set(p);
  auto [mine, theirs] = pipe<std::string>();
  auto sent = p.apply(send_blob, theirs, 2 * one_mib);
  EXPECT_TRUE(starts_with(sent, "encoding_error: ")) << sent;
  EXPECT_FALSE(mine.poll());
  mine.send(std::string(2 * one_mib, 'm'));
  auto received = p.apply(recv_blob, theirs);
  EXPECT_TRUE(starts_with(received, "encoding_error: ")) << received;
  ASSERT_TRUE(theirs.poll()); // else the recv below would wait forever
  EXPECT_EQ(theirs.recv(), std::string(2 * one_mib, 'm'));
  mine.send("tiny");
  EXPECT_EQ(p.apply(recv_blob, theirs), "ok 4");
  expect_same_workers(p, before);
}

INSTANTIATE_TEST_SUITE_P(limits, frame_limit_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
