#include <gtest/gtest.h>

TEST(errc, placeholder) {
  SUCCEED();
}
