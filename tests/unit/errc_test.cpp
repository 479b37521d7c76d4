#include "actorpool/errc.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <caf/sec.hpp>

using actorpool::errc;

TEST(errc, every_enumerator_has_a_name) {
  std::set<std::string> names;
  for (uint8_t i = 1; i <= actorpool::errc_count; ++i) {
    std::string name = to_string(static_cast<errc>(i));
    EXPECT_NE(name, "<unknown errc>") << "errc value " << int{i};
    EXPECT_FALSE(name.empty());
    names.insert(name);
  }
  EXPECT_EQ(names.size(), actorpool::errc_count);
}

namespace {

// The enumerators as declared in errc.hpp, in order.
std::vector<std::string> declared_enumerators() {
  std::ifstream in{ACTORPOOL_ERRC_HEADER};
  std::stringstream text;
  text << in.rdbuf();
  auto src = text.str();
  auto begin = src.find("enum class errc");
  auto end = src.find("};", begin);
  if (begin == std::string::npos || end == std::string::npos)
    return {};
  auto body = src.substr(src.find('{', begin) + 1, end);
  body = std::regex_replace(body, std::regex{"//[^\\n]*"}, "");
  std::regex name{"([a-z_]+)\\s*(=\\s*[0-9]+\\s*)?,"};
  std::vector<std::string> result;
  for (std::sregex_iterator i{body.begin(), body.end(), name}, e; i != e; ++i)
    result.push_back((*i)[1]);
  return result;
}

} // namespace

// Fails when a code is added to the enum without a name in to_string, or
// without errc_count following it.
TEST(errc, every_declared_code_is_named_and_counted) {
  auto declared = declared_enumerators();
  ASSERT_FALSE(declared.empty()) << "cannot read " << ACTORPOOL_ERRC_HEADER;
  EXPECT_EQ(declared.size(), size_t{actorpool::errc_count});
  for (size_t i = 0; i < declared.size(); ++i)
    EXPECT_EQ(to_string(static_cast<errc>(i + 1)), declared[i])
      << "errc value " << i + 1;
}

TEST(errc, names_match_enumerators) {
  EXPECT_STREQ(to_string(errc::task_failed), "task_failed");
  EXPECT_STREQ(to_string(errc::timeout), "timeout");
  EXPECT_STREQ(to_string(errc::input_failed), "input_failed");
  EXPECT_STREQ(to_string(errc::end_of_file), "end_of_file");
}

TEST(errc, out_of_range_values_are_unknown) {
  EXPECT_STREQ(to_string(static_cast<errc>(0)), "<unknown errc>");
  auto past_end = static_cast<errc>(actorpool::errc_count + 1);
  EXPECT_STREQ(to_string(past_end), "<unknown errc>");
}

TEST(errc, make_error_without_context) {
  auto err = actorpool::make_error(errc::terminated);
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::terminated));
  EXPECT_EQ(err.category(), actorpool::errc_category);
  EXPECT_TRUE(err.context().empty());
}

TEST(errc, make_error_with_context) {
  auto err = actorpool::make_error(errc::task_failed, std::string{"T"},
                                   std::string{"boom"}, int32_t{42});
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::task_failed));
  EXPECT_EQ(err.category(), actorpool::errc_category);
  auto& ctx = err.context();
  ASSERT_TRUE((ctx.match_elements<std::string, std::string, int32_t>()));
  EXPECT_EQ(ctx.get_as<std::string>(0), "T");
  EXPECT_EQ(ctx.get_as<std::string>(1), "boom");
  EXPECT_EQ(ctx.get_as<int32_t>(2), 42);
}

TEST(errc, is_actorpool_error) {
  EXPECT_TRUE(
    actorpool::is_actorpool_error(actorpool::make_error(errc::timeout)));
  EXPECT_FALSE(actorpool::is_actorpool_error(caf::error{}));
  EXPECT_FALSE(
    actorpool::is_actorpool_error(caf::make_error(caf::sec::request_timeout)));
}

TEST(errc, render_without_context) {
  EXPECT_EQ(actorpool::render(actorpool::make_error(errc::cancelled)),
            "actorpool::cancelled");
}

TEST(errc, render_with_message) {
  auto err = actorpool::make_error(errc::timeout,
                                   std::string{"get() timed out after 50 ms"});
  EXPECT_EQ(actorpool::render(err),
            "actorpool::timeout: get() timed out after 50 ms");
}

TEST(errc, render_task_failure) {
  auto err = actorpool::make_error(errc::task_failed,
                                   std::string{"std::out_of_range"},
                                   std::string{"idx"}, int32_t{7});
  EXPECT_EQ(actorpool::render(err),
            "actorpool::task_failed: std::out_of_range: idx [worker 7]");
}

TEST(errc, render_other_context) {
  auto err = actorpool::make_error(errc::system_error, int32_t{5});
  auto text = actorpool::render(err);
  EXPECT_EQ(text.rfind("actorpool::system_error: ", 0), 0u) << text;
  EXPECT_NE(text.find('5'), std::string::npos) << text;
}

TEST(errc, render_no_error) {
  EXPECT_EQ(actorpool::render(caf::error{}), "no error");
}

TEST(errc, render_foreign_error) {
  auto err = caf::make_error(caf::sec::request_timeout);
  EXPECT_EQ(actorpool::render(err), caf::to_string(err));
}
