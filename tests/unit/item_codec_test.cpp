#include "actorpool/detail/item_codec.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "support/test_tasks.hpp"

using actorpool::encoding_error;
using actorpool::errc;
using actorpool::detail::decode_item;
using actorpool::detail::encode_item;

TEST(item_codec, round_trip) {
  EXPECT_EQ(decode_item<std::string>(encode_item(std::string{"hi"})), "hi");
}

TEST(item_codec, an_unserializable_item_is_an_encoding_error) {
  try {
    encode_item(actorpool::test::unsendable{1});
    FAIL() << "expected encoding_error";
  } catch (const encoding_error& e) {
    EXPECT_EQ(e.code(), errc::encoding_failed);
  }
}

TEST(item_codec, an_undecodable_item_is_an_encoding_error) {
  auto buf = encode_item(std::string{"hello"});
  buf.pop_back();
  try {
    decode_item<std::string>(buf);
    FAIL() << "expected encoding_error";
  } catch (const encoding_error& e) {
    EXPECT_EQ(e.code(), errc::decoding_failed);
  }
  EXPECT_THROW(decode_item<int32_t>(encode_item(int64_t{1})), encoding_error);
}
