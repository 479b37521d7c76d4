// Queues across processes: a port of CPython's _TestQueue
// (Lib/test/_test_multiprocessing.py), over 1, 2 and 4 pool workers.
//
// Ported: test_put, test_get, test_fork, test_qsize, test_task_done,
// test_timeout, test_closed_queue_put_get_exceptions (with our semantics:
// a closed queue still hands out what is left, then raises EOF), and
// TestSimpleQueue's test_empty and test_close.
// test_queue_feeder_donot_stop_onexc: there is no feeder thread, so an
// unserializable item fails the `put` itself with `encoding_error`, before
// anything is sent; it takes no room, and the queue goes on serving the
// parent and the workers.
// Skipped: test_no_import_lock_contention (Python's import lock) and
// test_queue_feeder_on_queue_feeder_error (a hook of the feeder thread).
// Python's Events that order parent and child are replaced by the task's own
// blocking calls and results. Added: many producers and consumers, bounded
// queues with blocked puts across processes, a consumer killed while it
// waits in `get`, and what a worker's handle does without round trips:
// puts within a credit (order, a producer killed after its puts, a close
// seen within the credit) and items sent ahead (given back by a task that
// took fewer, and by a killed consumer). Speed figures are in actorpool-bench
// (queue_put_get).

#include "actorpool/queue.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// An item of a producer: who made it, and its number in that producer's
/// sequence (-1 for the end-of-work sentinel).
struct tagged {
  int producer = 0;
  int seq = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tagged& x) {
  return f(caf::meta::type_name("tagged"), x.producer, x.seq);
}

/// An item that may refuse to be serialized (Python: NotSerializable, whose
/// __reduce__ raises): its inspect fails with an error, or throws.
struct maybe_sendable {
  enum refusal : uint8_t { none, fails, throws };
  bool value = false;
  refusal refuse = none;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, maybe_sendable& x) {
  if constexpr (Inspector::reads_state) {
    if (x.refuse == maybe_sendable::fails)
      return caf::make_error(caf::sec::state_not_serializable,
                             "this item refuses to be serialized");
    if (x.refuse == maybe_sendable::throws)
      throw std::runtime_error("this item throws when serialized");
  }
  return f(caf::meta::type_name("maybe_sendable"), x.value);
}

/// Python's test_queue_feeder_donot_stop_onexc, steps of one process: the
/// unserializable puts fail with `encoding_error` and take no room (`q`
/// holds one item at most), the next put goes in at once. Returns how many
/// puts failed with `encoding_error`.
int q_put_unsendable(queue<maybe_sendable> q) {
  int failed = 0;
  for (auto refuse : {maybe_sendable::fails, maybe_sendable::throws}) {
    try {
      q.put(maybe_sendable{false, refuse});
    } catch (const encoding_error&) {
      ++failed;
    }
  }
  q.put(maybe_sendable{true}, false);
  return failed;
}

bool q_get_one(queue<maybe_sendable> q) {
  return q.get(true, patience).value;
}

std::vector<int> q_take(queue<int> q, int n) {
  std::vector<int> result;
  for (int i = 0; i < n; ++i)
    result.push_back(q.get());
  return result;
}

int q_put_range(queue<int> q, int first, int last) {
  for (int i = first; i < last; ++i)
    q.put(i);
  return last - first;
}

// Python's _test_task_done: get until the sentinel, marking each item done.
int q_drain_done(joinable_queue<int> q) {
  int n = 0;
  for (int x = q.get(); x >= 0; x = q.get()) {
    q.task_done();
    ++n;
  }
  return n;
}

template <class Queue>
std::string q_use_closed(Queue q) {
  std::string result;
  try {
    q.put(1);
  } catch (const eof_error&) {
    result += "put:eof ";
  }
  try {
    q.get();
  } catch (const eof_error&) {
    result += "get:eof";
  }
  return result;
}

// Python's TestSimpleQueue._test_empty: the child reports `empty()` twice.
void sq_report_empty(simple_queue<bool> q, event child_can_start,
                     event parent_can_continue) {
  child_can_start.wait();
  q.put(q.empty());
  q.put(q.empty());
  parent_can_continue.set();
}

int q_produce(queue<tagged> q, int producer, int count) {
  for (int i = 0; i < count; ++i)
    q.put(tagged{producer, i});
  return count;
}

std::vector<tagged> q_consume(queue<tagged> q) {
  std::vector<tagged> result;
  for (auto x = q.get(); x.seq >= 0; x = q.get())
    result.push_back(x);
  return result;
}

int q_get_after_ready(queue<int> ready, queue<int> q) {
  ready.put(static_cast<int>(getpid()));
  return q.get();
}

// A process: sums `n` items of `in` and puts the sum on `out`.
void q_sum_into(queue<int> in, queue<int> out, int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i)
    sum += in.get();
  out.put(sum);
}

// Puts 0, 1, ..., n - 1, then dies by SIGKILL: the puts returned, nothing
// else of the worker runs.
int q_put_then_die(queue<int> q, int n) {
  for (int i = 0; i < n; ++i)
    q.put(i);
  ::raise(SIGKILL);
  return n;
}

// Puts 0 (the round trip that fetches the credit) and waits until `closed`
// is set, then puts until a put fails with `eof_error`; returns how many
// puts after the close returned normally.
int q_put_until_closed(queue<int> q, event closed) {
  q.put(0);
  closed.wait();
  for (int i = 1;; ++i) {
    try {
      q.put(i);
    } catch (const eof_error&) {
      return i - 1;
    }
  }
}

// Takes `n` items, reports its pid and them on `taken`, then waits until
// killed.
void q_take_then_wait(queue<int> q, queue<std::vector<int>> taken, int n,
                      event never) {
  std::vector<int> xs{static_cast<int>(getpid())};
  for (int i = 0; i < n; ++i)
    xs.push_back(q.get());
  taken.put(xs);
  never.wait();
}

/// Every item left in `q`, in the order they come out.
std::vector<int> drain(queue<int>& q) {
  std::vector<int> result;
  while (!q.empty())
    result.push_back(q.get_nowait());
  return result;
}

std::vector<int> range_vec(int first, int last) {
  std::vector<int> result;
  for (int i = first; i < last; ++i)
    result.push_back(i);
  return result;
}

class queue_test : public spread_test_p {};

} // namespace

ACTORPOOL_TASK(q_put_unsendable)
ACTORPOOL_TASK(q_get_one)
ACTORPOOL_TASK(q_take)
ACTORPOOL_TASK(q_put_range)
ACTORPOOL_TASK(q_drain_done)
ACTORPOOL_TASK_AS("q_use_closed", q_use_closed<queue<int>>)
ACTORPOOL_TASK_AS("sq_use_closed", q_use_closed<simple_queue<int>>)
ACTORPOOL_TASK(sq_report_empty)
ACTORPOOL_TASK(q_produce)
ACTORPOOL_TASK(q_consume)
ACTORPOOL_TASK(q_get_after_ready)
ACTORPOOL_TASK(q_sum_into)
ACTORPOOL_TASK(q_put_then_die)
ACTORPOOL_TASK(q_put_until_closed)
ACTORPOOL_TASK(q_take_then_wait)

TEST_P(queue_test, put) {
  queue<int> q{6};
  pool p{opts()};
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.full());
  q.put(1);
  q.put(2, true);
  q.put(3, true, std::nullopt);
  q.put(4, false);
  q.put(5, false, std::nullopt);
  q.put_nowait(6);
  EXPECT_FALSE(q.empty());
  EXPECT_TRUE(q.full());
  EXPECT_LT(elapsed([&] { EXPECT_THROW(q.put(7, false), queue_full); }), 50ms);
  EXPECT_THROW(q.put_nowait(7), queue_full);
  EXPECT_THROW(q.put(7, false, timeout1), queue_full);
  auto waited = elapsed(
    [&] { EXPECT_THROW(q.put(7, true, timeout1), queue_full); });
  EXPECT_GE(waited, 90ms);
  EXPECT_LT(waited, 5s);
  EXPECT_EQ(p.apply(q_take, q, 6), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.full());
}

TEST_P(queue_test, get) {
  queue<int> q;
  pool p{opts()};
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(p.apply(q_put_range, q, 2, 6), 4);
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.get(true, std::nullopt), 2);
  EXPECT_EQ(q.get(true), 3);
  EXPECT_EQ(q.get(true, 1s), 4);
  EXPECT_EQ(q.get_nowait(), 5);
  EXPECT_TRUE(q.empty());
  EXPECT_THROW(q.get(false), queue_empty);
  EXPECT_THROW(q.get_nowait(), queue_empty);
  EXPECT_THROW(q.get(false, timeout1), queue_empty);
  auto waited = elapsed(
    [&] { EXPECT_THROW(q.get(true, timeout1), queue_empty); });
  EXPECT_GE(waited, 90ms);
  EXPECT_LT(waited, 5s);
}

TEST_P(queue_test, fork) {
  queue<int> q;
  for (int i = 0; i < 10; ++i)
    q.put(i);
  pool p{opts()};
  p.apply(q_put_range, q, 10, 20);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(q.get(), i);
  EXPECT_THROW(q.get(false), queue_empty);
}

TEST_P(queue_test, qsize) {
  queue<int> q;
  EXPECT_EQ(q.qsize(), 0u);
  q.put(1);
  EXPECT_EQ(q.qsize(), 1u);
  q.put(5);
  EXPECT_EQ(q.qsize(), 2u);
  pool p{opts()};
  EXPECT_EQ(p.apply(q_take, q, 1), std::vector<int>{1});
  EXPECT_EQ(q.qsize(), 1u);
  q.get();
  EXPECT_EQ(q.qsize(), 0u);
}

TEST_P(queue_test, task_done) {
  joinable_queue<int> q;
  pool p{opts()};
  std::vector<async_result<int>> consumers;
  for (int i = 0; i < workers(); ++i)
    consumers.push_back(p.apply_async(q_drain_done, q));
  for (int i = 0; i < 10; ++i)
    q.put(i);
  q.join();
  for (int i = 0; i < workers(); ++i)
    q.put(-1);
  int total = 0;
  for (auto& r : consumers)
    total += r.get();
  EXPECT_EQ(total, 10);
  // The sentinels count as items too (as in Python): mark them, then one
  // more is too many.
  for (int i = 0; i < workers(); ++i)
    q.task_done();
  q.join();
  EXPECT_THROW(q.task_done(), state_error);
}

TEST_P(queue_test, timeout) {
  queue<int> q;
  auto waited = elapsed([&] { EXPECT_THROW(q.get(true, 200ms), queue_empty); });
  EXPECT_GE(waited, 100ms);
}

// Python's test_queue_feeder_donot_stop_onexc: an unbounded queue, then a
// queue of one (Python's bpo-33078: the failed put must not take a slot),
// in this process and in a worker.
TEST_P(queue_test, queue_feeder_donot_stop_onexc) {
  pool p{opts()};
  {
    queue<maybe_sendable> q;
    EXPECT_EQ(q_put_unsendable(q), 2);
    EXPECT_TRUE(q.get(true, patience).value);
    EXPECT_EQ(p.apply(q_put_unsendable, q), 2);
    EXPECT_TRUE(q.get(true, patience).value);
    q.close();
  }
  queue<maybe_sendable> q{1};
  EXPECT_EQ(q_put_unsendable(q), 2);
  EXPECT_EQ(q.qsize(), 1u);
  EXPECT_TRUE(p.apply(q_get_one, q));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(p.apply(q_put_unsendable, q), 2);
  EXPECT_EQ(q.qsize(), 1u);
  EXPECT_TRUE(q.get(true, patience).value);
  EXPECT_TRUE(q.empty());
  q.close();
}

TEST_P(queue_test, closed_queue_put_get_exceptions) {
  queue<int> q;
  joinable_queue<int> jq;
  pool p{opts()};
  for (queue<int>* x : {&q, static_cast<queue<int>*>(&jq)}) {
    x->close();
    EXPECT_THROW(x->put(1), eof_error);
    EXPECT_THROW(x->get(), eof_error);
    EXPECT_EQ(p.apply(q_use_closed<queue<int>>, *x), "put:eof get:eof");
  }
}

// Python's TestSimpleQueue.test_empty, with a pool worker as the child.
TEST_P(queue_test, simple_queue_empty) {
  simple_queue<bool> q;
  event child_can_start;
  event parent_can_continue;
  pool p{opts()};
  auto r = p.apply_async(sq_report_empty, q, child_can_start,
                         parent_can_continue);
  EXPECT_TRUE(q.empty());
  child_can_start.set();
  EXPECT_TRUE(parent_can_continue.wait(patience));
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.get(), true);
  EXPECT_EQ(q.get(), false);
  EXPECT_TRUE(q.empty());
  r.get();
}

// Python's TestSimpleQueue.test_close (closing twice is fine), with our
// semantics: what is left is still handed out, then EOF, in every process.
TEST_P(queue_test, simple_queue_close) {
  simple_queue<int> q;
  pool p{opts()};
  q.put(1);
  q.close();
  q.close();
  EXPECT_THROW(q.put(2), eof_error);
  EXPECT_EQ(q.get(), 1);
  EXPECT_THROW(q.get(), eof_error);
  EXPECT_EQ(p.apply(q_use_closed<simple_queue<int>>, q), "put:eof get:eof");
}

TEST_P(queue_test, a_closed_queue_still_hands_out_what_is_left) {
  queue<int> q;
  q.put(1);
  q.close();
  EXPECT_EQ(q.get(), 1);
  EXPECT_THROW(q.get(), eof_error);
}

TEST_P(queue_test, many_producers_and_consumers_across_processes) {
  queue<tagged> q;
  pool p{opts()};
  const int producers = workers() + 1;
  const int per_producer = 40;
  std::vector<async_result<int>> made;
  for (int i = 0; i < producers; ++i)
    made.push_back(p.apply_async(q_produce, q, i, per_producer));
  // Queued behind every producer, so no consumer waits for a producer that
  // cannot run.
  std::vector<async_result<std::vector<tagged>>> taken;
  for (int i = 0; i < workers(); ++i)
    taken.push_back(p.apply_async(q_consume, q));
  for (auto& r : made)
    EXPECT_EQ(r.get(), per_producer);
  for (int i = 0; i < workers(); ++i)
    q.put(tagged{-1, -1});
  std::map<int, std::vector<int>> seen;
  for (auto& r : taken) {
    std::map<int, int> last;
    for (auto& x : r.get()) {
      auto i = last.find(x.producer);
      if (i != last.end()) {
        EXPECT_LT(i->second, x.seq) << "FIFO per producer";
      }
      last[x.producer] = x.seq;
      seen[x.producer].push_back(x.seq);
    }
  }
  ASSERT_EQ(seen.size(), static_cast<size_t>(producers));
  for (auto& [producer, seqs] : seen) {
    std::sort(seqs.begin(), seqs.end());
    ASSERT_EQ(seqs.size(), static_cast<size_t>(per_producer)) << producer;
    for (int i = 0; i < per_producer; ++i)
      EXPECT_EQ(seqs[static_cast<size_t>(i)], i);
  }
}

TEST_P(queue_test, a_bounded_queue_blocks_producers_across_processes) {
  queue<tagged> q{3};
  pool p{opts()};
  const int per_producer = 30;
  std::vector<async_result<int>> made;
  for (int i = 0; i < workers(); ++i)
    made.push_back(p.apply_async(q_produce, q, i, per_producer));
  std::vector<std::vector<tagged>> taken(2);
  std::vector<std::thread> consumers;
  for (auto& out : taken)
    consumers.emplace_back([&q, &out] { out = q_consume(q); });
  for (auto& r : made)
    EXPECT_EQ(r.get(), per_producer);
  for (size_t i = 0; i < consumers.size(); ++i)
    q.put(tagged{-1, -1});
  for (auto& t : consumers)
    t.join();
  EXPECT_EQ(taken[0].size() + taken[1].size(),
            static_cast<size_t>(workers() * per_producer));
  EXPECT_TRUE(q.empty());
}

TEST_P(queue_test, a_killed_consumer_loses_no_item) {
  queue<int> ready;
  queue<int> q;
  pool p{opts().max_retries(0)};
  auto r = p.apply_async(q_get_after_ready, ready, q);
  auto pid = ready.get();
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  EXPECT_THROW(r.get(), worker_died_error);
  // The queue forgot the dead get before the error above was reported.
  q.put(5);
  EXPECT_EQ(q.get(false), 5);
  // The queue keeps serving the new workers.
  EXPECT_EQ(p.apply(q_put_range, q, 0, 3), 3);
  EXPECT_EQ(q.qsize(), 3u);
}

TEST_P(queue_test, processes_share_a_queue) {
  queue<int> in;
  queue<int> out;
  std::vector<process> children;
  for (int i = 0; i < workers(); ++i)
    children.emplace_back(q_sum_into, in, out, 3);
  for (auto& c : children)
    c.start();
  for (int i = 1; i <= 3 * workers(); ++i)
    in.put(i);
  int total = 0;
  for (int i = 0; i < workers(); ++i)
    total += out.get();
  for (auto& c : children) {
    c.join();
    EXPECT_EQ(c.exitcode(), 0);
  }
  int n = 3 * workers();
  EXPECT_EQ(total, n * (n + 1) / 2);
}

// Puts from a worker travel without a round trip within a credit of
// `put_credit`, and gets take items sent ahead: 1000 items cross several
// credits and batches, from one worker to another, in order.
TEST_P(queue_test, pipelined_puts_and_gets_keep_the_order_of_a_producer) {
  queue<int> q;
  pool p{opts()};
  auto made = p.apply_async(q_put_range, q, 0, 1000);
  auto taken = p.apply_async(q_take, q, 1000);
  EXPECT_EQ(made.get(), 1000);
  EXPECT_EQ(taken.get(), range_vec(0, 1000));
  EXPECT_TRUE(q.empty());
}

// A put that returned is in the queue, even when its producer is killed
// right after it: the parent reads the worker's socket to its end before
// the queue hears of the death.
TEST_P(queue_test, a_killed_producer_loses_no_item_whose_put_returned) {
  queue<int> q;
  pool p{opts().max_retries(0)};
  EXPECT_THROW(p.apply(q_put_then_die, q, 300), worker_died_error);
  EXPECT_EQ(q.qsize(), 300u);
  EXPECT_EQ(drain(q), range_vec(0, 300));
}

// A put sent without a round trip after `close()` is dropped; the producer
// learns of the close at the latest when its credit runs out.
TEST_P(queue_test, a_close_reaches_a_pipelining_producer_within_its_credit) {
  queue<int> q;
  event closed;
  pool p{opts()};
  auto r = p.apply_async(q_put_until_closed, q, closed);
  EXPECT_EQ(q.get(true, patience), 0);
  q.close();
  closed.set();
  EXPECT_LE(r.get(), 64);
  EXPECT_THROW(q.get(false), eof_error);
}

// The items sent ahead to a task that took fewer are back in the queue, in
// their order, before its result is reported.
TEST_P(queue_test, a_consumer_that_stops_gives_back_what_was_sent_ahead) {
  queue<int> q;
  for (int i = 0; i < 100; ++i)
    q.put(i);
  pool p{opts()};
  EXPECT_EQ(p.apply(q_take, q, 10), range_vec(0, 10));
  EXPECT_EQ(q.qsize(), 90u);
  EXPECT_EQ(drain(q), range_vec(10, 100));
}

// At least once: every item a killed consumer did not take is back in the
// queue, in order; items it took since its last batch may come back too.
TEST_P(queue_test, items_sent_ahead_to_a_killed_consumer_go_back) {
  queue<int> q;
  queue<std::vector<int>> taken;
  event never;
  for (int i = 0; i < 100; ++i)
    q.put(i);
  pool p{opts().max_retries(0)};
  auto r = p.apply_async(q_take_then_wait, q, taken, 10, never);
  auto report = taken.get(true, patience);
  ASSERT_EQ(report.size(), 11u);
  EXPECT_EQ(std::vector<int>(report.begin() + 1, report.end()),
            range_vec(0, 10));
  ASSERT_EQ(::kill(report.front(), SIGKILL), 0);
  EXPECT_THROW(r.get(), worker_died_error);
  auto left = drain(q);
  ASSERT_GE(left.size(), 90u);
  EXPECT_TRUE(std::is_sorted(left.begin(), left.end()));
  EXPECT_EQ(std::vector<int>(left.end() - 90, left.end()), range_vec(10, 100));
}

INSTANTIATE_TEST_SUITE_P(queues, queue_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
