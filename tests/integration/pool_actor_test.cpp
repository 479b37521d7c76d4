// The pool as a typed CAF actor (pool_actor), used from other actors of an
// actor system of the caller's.

#include "actorpool/pool_actor.hpp"

#include <numeric>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actorpool/config.hpp"
#include "actorpool/pool.hpp"
#include "support/leak_check.hpp"
#include "support/test_tasks.hpp"
#include "support/user_system.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class pool_actor_test : public user_system_test {};

template <class T>
caf::expected<T>
request_value(caf::actor_system& sys, const pool_actor& p, task_call call) {
  caf::scoped_actor self{sys};
  caf::expected<T> result{caf::sec::request_timeout};
  self->request(p, 30s, std::move(call))
    .receive([&](const task_reply& r) { result = r.as<T>(); },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

pool_stats close_and_join(caf::actor_system& sys, const pool_actor& p) {
  caf::scoped_actor self{sys};
  self->send(p, close_atom::value);
  pool_stats stats;
  self->request(p, 30s, join_atom::value)
    .receive([&](pool_stats& s) { stats = std::move(s); },
             [&](caf::error& err) { FAIL() << render(err); });
  return stats;
}

} // namespace

TEST_F(pool_actor_test, call_and_map) {
  auto p = spawn_pool(sys, pool_options{}.processes(2));
  auto y = request_value<int>(sys, p, make_call(sqr, 9));
  ASSERT_TRUE(y) << render(y.error());
  EXPECT_EQ(*y, 81);
  std::vector<int> xs(50);
  std::iota(xs.begin(), xs.end(), 0);
  auto ys = request_value<std::vector<int>>(sys, p, make_map_call(sqr, xs, 7));
  ASSERT_TRUE(ys) << render(ys.error());
  ASSERT_EQ(ys->size(), 50u);
  EXPECT_EQ((*ys)[49], 49 * 49);
  auto stats = close_and_join(sys, p);
  EXPECT_EQ(stats.completed, 1u + 8u);
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

TEST_F(pool_actor_test, task_failure_is_an_error_response) {
  auto p = spawn_pool(sys, pool_options{}.processes(1));
  auto y = request_value<int>(sys, p, make_call(raising));
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().category(), errc_category);
  EXPECT_EQ(static_cast<errc>(y.error().code()), errc::task_failed);
  EXPECT_THROW(throw_error(y.error()), key_error);
  close_and_join(sys, p);
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

TEST_F(pool_actor_test, wrong_result_type_is_an_encoding_error) {
  auto p = spawn_pool(sys, pool_options{}.processes(1));
  caf::scoped_actor self{sys};
  self->request(p, 30s, make_call(repeat, std::string{"x"}, 3))
    .receive(
      [&](const task_reply& r) {
        EXPECT_EQ(r.as<std::string>(), "xxx");
        EXPECT_THROW(r.as<point>(), encoding_error);
      },
      [&](caf::error& err) { FAIL() << render(err); });
  close_and_join(sys, p);
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

TEST_F(pool_actor_test, killing_the_actor_stops_its_workers) {
  auto p = spawn_pool(sys, pool_options{}.processes(2));
  auto y = request_value<int>(sys, p, make_call(sqr, 3));
  ASSERT_TRUE(y);
  caf::scoped_actor self{sys};
  self->monitor(p);
  self->send_exit(p, caf::exit_reason::kill);
  self->receive([](const caf::down_msg&) {});
  EXPECT_TRUE(child_pids().empty());
}

TEST_F(pool_actor_test, blocking_pool_in_a_user_system) {
  pool p{sys, pool_options{}.processes(2)};
  EXPECT_EQ(&p.system(), &sys);
  EXPECT_EQ(p.apply(mul, 6, 7), 42);
}

namespace {

// A CAF node configured with actorpool::config, which registers the pool
// actor's messages and the error category.
struct node_config : config {
  node_config() {
    set("scheduler.max-threads", 2);
  }
};

// Publishes a pool of `server` on loopback, asks it from `client` over
// caf::io, then closes and joins it: the stats, or a failure.
void use_remotely(caf::actor_system& server, caf::actor_system& client) {
  auto p = spawn_pool(server, pool_options{}.processes(2));
  auto port = server.middleman().publish(p, 0, "127.0.0.1");
  ASSERT_TRUE(port) << server.render(port.error());
  auto remote = client.middleman().remote_actor<pool_actor>("127.0.0.1", *port);
  ASSERT_TRUE(remote) << client.render(remote.error());
  auto y = request_value<int>(client, *remote, make_call(sqr, 12));
  ASSERT_TRUE(y) << client.render(y.error());
  EXPECT_EQ(*y, 144);
  std::vector<int> xs(20);
  std::iota(xs.begin(), xs.end(), 0);
  auto ys = request_value<std::vector<int>>(client, *remote,
                                            make_map_call(sqr, xs, 3));
  ASSERT_TRUE(ys) << client.render(ys.error());
  EXPECT_EQ(ys->at(19), 361);
  auto failed = request_value<int>(client, *remote, make_call(raising));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().category(), errc_category);
  auto text = client.render(failed.error());
  EXPECT_NE(text.find("task_failed"), std::string::npos) << text;
  auto stats = close_and_join(client, *remote);
  EXPECT_EQ(stats.failed, 1u);
  server.middleman().unpublish(p, *port);
  // A node that has handed the actor to another keeps it known by id, so
  // the pool lives until it is stopped.
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
}

} // namespace

// The pool's typed actor published to another CAF node (caf::io::publish,
// remote_actor<pool_actor>): calls, maps, errors and join over loopback.
TEST_F(pool_actor_test, a_published_pool_serves_another_node) {
  node_config server_cfg;
  caf::actor_system server{server_cfg};
  {
    node_config client_cfg;
    caf::actor_system client{client_cfg};
    use_remotely(server, client);
  } // the client node first: its connection closes
}
