// The rlock service (internal/lock_service.hpp, reentrant) on CAF's
// deterministic scheduler.

#include "actorpool/rlock.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "services/sync/lock_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class rlock_service_test : public ::testing::Test {
protected:
  rlock_service_test() {
    h.serve(spawn_rlock_service(h.sys()));
  }

  void acquire(client_id x, const std::string& t = forever) {
    h.call(x, mutex_op::acquire, t);
  }

  void release(client_id x) {
    h.call(x, mutex_op::release);
  }

  uint32_t count() {
    h.call(d, mutex_op::describe);
    auto r = h.reply(d);
    int32_t pid = 0;
    uint64_t thread = 0;
    uint32_t n = 0;
    decoder src{**r};
    src.read(pid, thread, n);
    return n;
  }

  harness h;
};

} // namespace

// Python: three acquires and three releases, then a release is an error.
TEST_F(rlock_service_test, reentrant_like_python) {
  for (int i = 0; i < 3; ++i) {
    acquire(a);
    EXPECT_EQ(h.status(a), acquired);
  }
  EXPECT_EQ(count(), 3u);
  for (int i = 0; i < 3; ++i) {
    release(a);
    EXPECT_TRUE(h.reply(a).has_value());
  }
  EXPECT_EQ(count(), 0u);
  release(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_F(rlock_service_test, only_the_owner_may_release) {
  acquire(a);
  h.reply(a);
  release(b);
  EXPECT_EQ(h.error_of(b), errc::invalid_state);
  release(client_id{a.pid, a.thread + 1}); // same process, other thread
  EXPECT_EQ(h.error_of(client_id{a.pid, a.thread + 1}), errc::invalid_state);
  release(a);
  EXPECT_TRUE(h.reply(a).has_value());
}

TEST_F(rlock_service_test, another_thread_of_the_owner_process_waits) {
  client_id a2{a.pid, a.thread + 1};
  acquire(a);
  h.reply(a);
  acquire(a2, no_wait);
  EXPECT_EQ(h.status(a2), not_acquired);
  acquire(a2);
  EXPECT_EQ(h.status(a2), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(a2), acquired);
}

TEST_F(rlock_service_test, freed_only_by_the_last_release_then_fifo) {
  acquire(a);
  acquire(a);
  h.reply(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), acquired);
  acquire(b); // reentrant while c waits
  EXPECT_EQ(h.status(b), acquired);
  release(b);
  release(b);
  h.reply(b);
  h.reply(b);
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(rlock_service_test, timed_acquire_times_out) {
  acquire(a);
  h.reply(a);
  acquire(b, timeout(5ms));
  h.advance(5ms);
  EXPECT_EQ(h.status(b), not_acquired);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), -1);
}

TEST_F(rlock_service_test, owner_death_frees_whatever_the_count) {
  for (int i = 0; i < 3; ++i)
    acquire(a);
  acquire(b);
  h.down(a.pid);
  while (h.reply(a)) {
  }
  EXPECT_EQ(h.status(b), acquired_owner_died);
  EXPECT_EQ(count(), 1u);
  acquire(b); // reentrant: no owner died
  EXPECT_EQ(h.status(b), acquired);
}

TEST_F(rlock_service_test, a_dead_process_cannot_be_granted) {
  acquire(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  h.down(b.pid);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(c), acquired);
}

TEST(rlock_handle, copies_are_equal_without_creating_a_service) {
  rlock x;
  rlock y = x;
  rlock z;
  EXPECT_TRUE(x == y);
  EXPECT_FALSE(x.owner_died());
  y = z;
  EXPECT_TRUE(y == z);
}
