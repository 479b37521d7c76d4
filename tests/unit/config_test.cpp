// actorpool::config: the pool's options as CAF options (command line and
// caf-application.ini), the error category, read_pool_options.

#include "actorpool/config.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <gtest/gtest.h>

#include "actorpool/errc.hpp"
#include "actorpool/exceptions.hpp"

using namespace actorpool;
using namespace std::chrono_literals;

namespace {

// Parses `args` and `ini` into `cfg`; the parser's error as a string, or "".
std::string parse(config& cfg, std::vector<std::string> args,
                  const std::string& ini = "") {
  std::istringstream in{ini};
  auto err = cfg.parse(std::move(args), in);
  return err ? caf::to_string(err) : std::string{};
}

} // namespace

TEST(config, command_line_sets_pool_options) {
  config cfg;
  ASSERT_EQ(parse(cfg,
                  {"--actorpool.processes=3", "--actorpool.task-timeout=250ms",
                   "--actorpool.max-tasks-per-child=7"}),
            "");
  auto opts = read_pool_options(cfg);
  EXPECT_EQ(opts.processes(), 3);
  EXPECT_EQ(opts.task_timeout(), 250ms);
  EXPECT_EQ(opts.max_tasks_per_child(), 7);
}

TEST(config, ini_section_sets_pool_options) {
  config cfg;
  ASSERT_EQ(parse(cfg, {},
                  "[actorpool]\nprocesses=5\nmax-frame-size=1048576\n"
                  "start-timeout=3s\nwindow=4\n"),
            "");
  auto opts = read_pool_options(cfg);
  EXPECT_EQ(opts.processes(), 5);
  EXPECT_EQ(opts.max_frame_size(), size_t{1} << 20);
  EXPECT_EQ(opts.start_timeout(), 3000ms);
  EXPECT_EQ(opts.window(), 4u);
}

TEST(config, spare_workers_from_command_line_and_ini) {
  config cli;
  ASSERT_EQ(parse(cli, {"--actorpool.spare-workers=2"}), "");
  EXPECT_EQ(read_pool_options(cli).spare_workers(), 2);
  config ini;
  ASSERT_EQ(parse(ini, {}, "[actorpool]\nspare-workers=1\n"), "");
  EXPECT_EQ(read_pool_options(ini).spare_workers(), 1);
  config none;
  ASSERT_EQ(parse(none, {}), "");
  EXPECT_EQ(read_pool_options(none).spare_workers(), 0);
}

TEST(config, command_line_overrides_ini) {
  config cfg;
  ASSERT_EQ(parse(cfg, {"--actorpool.processes=2"},
                  "[actorpool]\nprocesses=6\n"),
            "");
  EXPECT_EQ(read_pool_options(cfg).processes(), 2);
}

TEST(config, unset_options_keep_the_defaults) {
  config cfg;
  ASSERT_EQ(parse(cfg, {}), "");
  auto defaults = pool_options{}.processes(9).max_retries(4);
  auto opts = read_pool_options(cfg, defaults);
  EXPECT_EQ(opts.processes(), 9);
  EXPECT_EQ(opts.max_retries(), 4u);
  EXPECT_EQ(opts.max_frame_size(), pool_options{}.max_frame_size());
}

TEST(config, a_value_of_the_wrong_type_is_a_parse_error) {
  config cfg;
  EXPECT_NE(parse(cfg, {"--actorpool.processes=many"}), "");
}

TEST(config, a_negative_size_is_a_bad_argument) {
  config cfg;
  ASSERT_EQ(parse(cfg, {"--actorpool.window=-1"}), "");
  try {
    read_pool_options(cfg);
    FAIL() << "no exception";
  } catch (const bad_argument& e) {
    EXPECT_NE(std::string{e.what()}.find("actorpool.window"), std::string::npos)
      << e.what();
  }
}

TEST(config, errors_render_with_their_names) {
  config cfg;
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  auto text = sys.render(make_error(errc::timeout, std::string{"too slow"}));
  EXPECT_NE(text.find("timeout"), std::string::npos) << text;
  EXPECT_NE(text.find("too slow"), std::string::npos) << text;
}
