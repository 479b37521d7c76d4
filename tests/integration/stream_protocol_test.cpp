// The stream protocol of pool_actor: a producer actor paced by demand and a
// consumer actor that acknowledges results, in an actor system of the
// caller's.

#include "actorpool/stream_protocol.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/pool_actor.hpp"
#include "support/leak_check.hpp"
#include "support/test_tasks.hpp"
#include "support/user_system.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

using result_atom = caf::atom_constant<caf::atom("testres")>;

/// Sends the inputs 0..total-1 of `sqr`, only as many as demanded; checks
/// that demand is never exceeded.
caf::behavior producer(caf::event_based_actor* self, pool_actor pool,
                       int total) {
  auto next = std::make_shared<int>(0);
  return {
    [=](stream_demand_atom, uint64_t sid, uint32_t n) {
      for (uint32_t i = 0; i < n && *next < total; ++i)
        self->send(pool, stream_input_atom::value, sid,
                   make_input(sqr, (*next)++));
      if (*next == total)
        self->send(pool, stream_close_atom::value, sid);
    },
    [=](stream_done_atom, uint64_t, const stream_summary&) { self->quit(); },
  };
}

/// Sums the results, acknowledges every one, and reports the sum and the
/// summary to `report` at the end.
caf::behavior consumer(caf::event_based_actor* self, pool_actor pool,
                       caf::actor report, size_t window) {
  struct state {
    long sum = 0;
    size_t unacked = 0;
    size_t max_unacked = 0;
  };
  auto st = std::make_shared<state>();
  return {
    [=](stream_result_atom, uint64_t sid, uint64_t, const task_reply& r) {
      st->sum += r.as<int>();
      st->max_unacked = std::max(st->max_unacked, ++st->unacked);
      if (st->unacked >= window / 2) {
        self->send(pool, stream_ack_atom::value, sid,
                   static_cast<uint32_t>(st->unacked));
        st->unacked = 0;
      }
    },
    [=](stream_result_atom, uint64_t, uint64_t, const caf::error& err) {
      ADD_FAILURE() << render(err);
    },
    [=](stream_done_atom, uint64_t, const stream_summary& s) {
      self->send(report, result_atom::value, st->sum, s.completed,
                 st->max_unacked);
      self->quit();
    },
  };
}

class stream_protocol_test : public user_system_test {};

} // namespace

TEST_F(stream_protocol_test, demand_paces_the_producer) {
  auto p = spawn_pool(sys, pool_options{}.processes(2));
  caf::scoped_actor self{sys};
  const int total = 2000;
  const uint32_t window = 16;
  auto prod = sys.spawn(producer, p, total);
  auto cons = sys.spawn(consumer, p, caf::actor{self}, window);
  uint64_t sid = 0;
  self->request(p, 30s, make_stream_open(sqr, prod, cons, window))
    .receive([&](uint64_t x) { sid = x; },
             [&](caf::error& err) { FAIL() << render(err); });
  EXPECT_NE(sid, 0u);
  long expected = 0;
  for (long x = 0; x < total; ++x)
    expected += x * x;
  self->receive(
    [&](result_atom, long sum, uint64_t completed, size_t max_unacked) {
      EXPECT_EQ(sum, expected);
      EXPECT_EQ(completed, static_cast<uint64_t>(total));
      EXPECT_LE(max_unacked, window);
    },
    caf::after(60s) >> [] { FAIL() << "no summary"; });
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

TEST_F(stream_protocol_test, a_stream_of_an_unknown_task_reports_errors) {
  auto p = spawn_pool(sys, pool_options{}.processes(1));
  caf::scoped_actor self{sys};
  stream_open bad{"no_such_task", 4, caf::actor{self}, caf::actor{self}};
  uint64_t sid = 0;
  self->request(p, 30s, bad)
    .receive([&](uint64_t x) { sid = x; },
             [&](caf::error& err) { FAIL() << render(err); });
  self->receive(
    [&](stream_demand_atom, uint64_t, uint32_t n) { EXPECT_EQ(n, 4u); });
  self->send(p, stream_input_atom::value, sid, make_input(sqr, 3));
  self->send(p, stream_close_atom::value, sid);
  self->receive(
    [&](stream_result_atom, uint64_t, uint64_t index, const caf::error& err) {
      EXPECT_EQ(index, 0u);
      EXPECT_EQ(static_cast<errc>(err.code()), errc::unknown_task);
    });
  self->receive([&](stream_done_atom, uint64_t, const stream_summary& s) {
    EXPECT_EQ(s.completed, 1u);
  });
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

TEST_F(stream_protocol_test, stop_ends_the_stream) {
  auto p = spawn_pool(sys, pool_options{}.processes(1));
  caf::scoped_actor self{sys};
  uint64_t sid = 0;
  self
    ->request(p, 30s,
              make_stream_open(sqr_wait, caf::actor{self}, caf::actor{self}, 8))
    .receive([&](uint64_t x) { sid = x; },
             [&](caf::error& err) { FAIL() << render(err); });
  self->receive([](stream_demand_atom, uint64_t, uint32_t) {});
  for (int i = 0; i < 8; ++i)
    self->send(p, stream_input_atom::value, sid, make_input(sqr_wait, i, 30.0));
  self->send(p, stream_stop_atom::value, sid);
  self->receive(
    [&](stream_done_atom, uint64_t, const stream_summary& s) {
      EXPECT_EQ(s.completed, 0u);
      EXPECT_EQ(s.cancelled + s.never_started, 8u);
    },
    caf::after(30s) >> [] { FAIL() << "no summary"; });
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

// A producer that has used up its demand, and a consumer that has not acked
// yet: the terminate ends the stream for both, and acks after the end give
// the producer no more demand.
TEST_F(stream_protocol_test, terminate_ends_the_stream_for_both_peers) {
  auto p = spawn_pool(sys, pool_options{}.processes(1));
  caf::scoped_actor prod{sys};
  caf::scoped_actor cons{sys};
  uint64_t sid = 0;
  prod
    ->request(p, 30s,
              make_stream_open(sqr, caf::actor{prod}, caf::actor{cons}, 2))
    .receive([&](uint64_t x) { sid = x; },
             [&](caf::error& err) { FAIL() << render(err); });
  prod->receive(
    [](stream_demand_atom, uint64_t, uint32_t n) { EXPECT_EQ(n, 2u); });
  for (int i = 0; i < 2; ++i)
    prod->send(p, stream_input_atom::value, sid, make_input(sqr, i));
  for (int i = 0; i < 2; ++i) // the window is full: no more demand
    cons->receive([](stream_result_atom, uint64_t, uint64_t,
                     const task_reply&) {},
                  caf::after(30s) >> [] { ADD_FAILURE() << "no result"; });
  prod->send(p, terminate_atom::value);
  prod->receive([](stream_done_atom, uint64_t, const stream_summary&) {},
                caf::after(30s) >> [] { ADD_FAILURE() << "no end"; });
  bool done = false;
  while (!done)
    cons->receive(
      [&](stream_result_atom, uint64_t, uint64_t index, const caf::error& err) {
        EXPECT_EQ(index, UINT64_MAX);
        EXPECT_EQ(static_cast<errc>(err.code()), errc::terminated);
      },
      [&](stream_done_atom, uint64_t, const stream_summary&) { done = true; },
      caf::after(30s) >>
        [&] {
          ADD_FAILURE() << "no end for the consumer";
          done = true;
        });
  // The pool handles the ack before the request below and answers the
  // producer in order: demand for the ack would be in its mailbox by then.
  cons->send(p, stream_ack_atom::value, sid, uint32_t{2});
  prod->request(p, 30s, stats_atom::value)
    .receive([](const pool_stats&) {},
             [](caf::error& err) { ADD_FAILURE() << render(err); });
  bool more_demand = false;
  prod->receive([&](stream_demand_atom, uint64_t,
                    uint32_t) { more_demand = true; },
                caf::after(std::chrono::seconds{0}) >> [] {});
  EXPECT_FALSE(more_demand);
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}
