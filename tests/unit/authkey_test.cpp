#include "remote/authkey.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "actorpool/errc.hpp"

using actorpool::errc;
using actorpool::render;
using actorpool::detail::authkey_origin;
using actorpool::detail::env_lookup;
using actorpool::detail::load_authkey;
using actorpool::detail::read_authkey_file;

namespace {

const std::string key16 = "0123456789abcdef";
const std::string key32 = "0123456789abcdef0123456789abcdef";

/// A scratch directory, removed with what it holds.
class scratch_dir {
public:
  scratch_dir() {
    std::string tmpl = ::testing::TempDir() + "authkey-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
    EXPECT_FALSE(path_.empty());
  }

  ~scratch_dir() {
    std::string cmd = "rm -rf '" + path_ + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }

  /// Writes `bytes` to a new file with permission bits `mode`.
  std::string file(const std::string& name, const std::string& bytes,
                   mode_t mode) {
    auto path = path_ + "/" + name;
    std::ofstream{path, std::ios::binary} << bytes;
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }

  const std::string& path() const {
    return path_;
  }

private:
  std::string path_;
};

/// An environment made of `vars` only.
env_lookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto i = vars.find(name);
    return i == vars.end() ? nullptr : i->second.c_str();
  };
}

errc code_of(const caf::error& err) {
  EXPECT_TRUE(actorpool::is_actorpool_error(err));
  return static_cast<errc>(err.code());
}

} // namespace

TEST(authkey, explicit_key_wins_over_environment_and_file) {
  auto key = load_authkey(key32, fake_env({{"ACTORPOOL_AUTHKEY", key16 + "e"},
                                           {"ACTORPOOL_AUTHKEY_FILE", "/x"}}));
  ASSERT_TRUE(key) << render(key.error());
  ASSERT_TRUE(*key);
  EXPECT_EQ((*key)->bytes, key32);
  EXPECT_EQ((*key)->origin, authkey_origin::explicit_bytes);
}

TEST(authkey, environment_wins_over_file) {
  auto key = load_authkey(std::nullopt,
                          fake_env({{"ACTORPOOL_AUTHKEY", key32},
                                    {"ACTORPOOL_AUTHKEY_FILE", "/no/such"}}));
  ASSERT_TRUE(key) << render(key.error());
  ASSERT_TRUE(*key);
  EXPECT_EQ((*key)->bytes, key32);
  EXPECT_EQ((*key)->origin, authkey_origin::environment);
}

TEST(authkey, file_is_read_when_nothing_else_is_set) {
  scratch_dir dir;
  auto path = dir.file("key", key32 + "\n", 0600);
  auto key = load_authkey(std::nullopt,
                          fake_env({{"ACTORPOOL_AUTHKEY", ""},
                                    {"ACTORPOOL_AUTHKEY_FILE", path}}));
  ASSERT_TRUE(key) << render(key.error());
  ASSERT_TRUE(*key);
  EXPECT_EQ((*key)->bytes, key32); // without the trailing newline
  EXPECT_EQ((*key)->origin, authkey_origin::file);
}

TEST(authkey, nothing_set_is_no_key) {
  auto key = load_authkey(std::nullopt, fake_env({}));
  ASSERT_TRUE(key) << render(key.error());
  EXPECT_FALSE(*key);
}

TEST(authkey, short_keys_are_refused_wherever_they_come_from) {
  auto k1 = load_authkey(key16.substr(1), fake_env({}));
  ASSERT_FALSE(k1);
  EXPECT_EQ(code_of(k1.error()), errc::invalid_argument);
  auto k2 = load_authkey(std::nullopt,
                         fake_env({{"ACTORPOOL_AUTHKEY", "short"}}));
  ASSERT_FALSE(k2);
  EXPECT_NE(render(k2.error()).find("ACTORPOOL_AUTHKEY holds 5 bytes"),
            std::string::npos)
    << render(k2.error());
  EXPECT_TRUE(load_authkey(key16, fake_env({})));
}

TEST(authkey, group_or_world_readable_file_is_refused_with_the_fix) {
  scratch_dir dir;
  auto path = dir.file("key", key32, 0644);
  auto key = read_authkey_file(path);
  ASSERT_FALSE(key);
  EXPECT_EQ(code_of(key.error()), errc::invalid_argument);
  auto text = render(key.error());
  EXPECT_NE(text.find(path), std::string::npos) << text;
  EXPECT_NE(text.find("0644"), std::string::npos) << text;
  EXPECT_NE(text.find("chmod 600 " + path), std::string::npos) << text;
  for (mode_t mode : {0640, 0604, 0620, 0602, 0610})
    EXPECT_FALSE(read_authkey_file(dir.file("k", key32, mode))) << mode;
}

TEST(authkey, private_file_is_accepted) {
  scratch_dir dir;
  auto k600 = read_authkey_file(dir.file("a", key32, 0600));
  ASSERT_TRUE(k600) << render(k600.error());
  EXPECT_EQ(*k600, key32);
  auto k400 = read_authkey_file(dir.file("b", key32 + "\r\n", 0400));
  ASSERT_TRUE(k400) << render(k400.error());
  EXPECT_EQ(*k400, key32);
  auto k_bin = read_authkey_file(dir.file("c", key16 + "\n\n", 0600));
  ASSERT_TRUE(k_bin) << render(k_bin.error());
  EXPECT_EQ(*k_bin, key16 + "\n"); // one newline only is stripped
}

TEST(authkey, only_regular_files_are_read) {
  scratch_dir dir;
  auto not_regular = read_authkey_file(dir.path());
  ASSERT_FALSE(not_regular);
  EXPECT_EQ(code_of(not_regular.error()), errc::invalid_argument);
  EXPECT_NE(render(not_regular.error()).find("not a regular file"),
            std::string::npos);
  auto fifo = dir.path() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(read_authkey_file(fifo)); // and does not wait for a writer
  auto missing = read_authkey_file(dir.path() + "/missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(code_of(missing.error()), errc::system_error);
  EXPECT_NE(render(missing.error()).find("/missing"), std::string::npos);
}

TEST(authkey, oversized_file_is_refused) {
  scratch_dir dir;
  std::string big(actorpool::detail::max_authkey_file_size + 1, 'k');
  EXPECT_FALSE(read_authkey_file(dir.file("big", big, 0600)));
  big.pop_back();
  EXPECT_TRUE(read_authkey_file(dir.file("max", big, 0600)));
}

TEST(authkey, refused_file_fails_the_load) {
  scratch_dir dir;
  auto path = dir.file("key", key32, 0644);
  auto key = load_authkey(std::nullopt,
                          fake_env({{"ACTORPOOL_AUTHKEY_FILE", path}}));
  ASSERT_FALSE(key);
  EXPECT_EQ(code_of(key.error()), errc::invalid_argument);
}
