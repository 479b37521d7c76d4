#include <gtest/gtest.h>

TEST(frame, placeholder) {
  SUCCEED();
}
