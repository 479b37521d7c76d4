#include <gtest/gtest.h>

TEST(task, placeholder) {
  SUCCEED();
}
