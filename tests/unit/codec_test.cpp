#include "actorpool/detail/codec.hpp"

#include <gtest/gtest.h>

TEST(codec, placeholder) {
  SUCCEED();
}
