// The service behind every handle, created on first use: what needs no
// service yet (empty handles, identity, encoding).

#include "actorpool/detail/lazy_service.hpp"

#include <string>

#include <caf/actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/detail/codec.hpp"
#include "actorpool/exceptions.hpp"

using namespace actorpool;
using detail::lazy_service;

namespace {

lazy_service unmade() {
  return lazy_service{[](caf::actor_system&) {
    return caf::actor{};
  }};
}

} // namespace

TEST(lazy_service_test, an_empty_handle_is_a_state_error) {
  lazy_service empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_THROW(empty.id(), state_error);
  EXPECT_THROW(empty.call(1), state_error);
  EXPECT_THROW(lazy_service{detail::service_factory{}}.id(), state_error);
}

TEST(lazy_service_test, a_handle_travels_as_its_id) {
  auto h = lazy_service::from_id(42);
  auto back = detail::decode_one<lazy_service>(detail::encode(h));
  EXPECT_EQ(back.id(), 42u);
  EXPECT_TRUE(back.same(h));
  lazy_service empty;
  auto none = detail::encode(empty);
  EXPECT_EQ(detail::decode_one<uint64_t>(none), 0u);
  EXPECT_FALSE(detail::decode_one<lazy_service>(none).valid());
}

TEST(lazy_service_test, copies_are_the_same_before_anything_is_made) {
  auto x = unmade();
  auto y = x;
  EXPECT_TRUE(x.same(y));
  EXPECT_FALSE(x.same(unmade())); // neither exists: cannot be the same
  EXPECT_FALSE(x.same(lazy_service{}));
  EXPECT_TRUE(lazy_service{}.same(lazy_service{}));
  EXPECT_FALSE(lazy_service::from_id(1).same(lazy_service::from_id(2)));
}
