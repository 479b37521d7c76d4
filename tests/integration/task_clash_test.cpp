// Two functions registered under one name, end to end: the program reports
// the clash on stderr once as it starts (its workers, which run the same
// registrations, stay quiet), and calls of either function fail naming both
// places. A task made inside main is missing in the workers, and a call
// says so. Runs tests/helpers/task_clash.cpp.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {

/// What the helper printed and how it ended.
struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the helper with stdout and stderr in files of a scratch directory.
run_result run_helper() {
  char dir[] = "/tmp/actorpool-task-clash-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  std::string out_path = std::string{dir} + "/out";
  std::string err_path = std::string{dir} + "/err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char* argv[] = {const_cast<char*>(ACTORPOOL_TASK_CLASH), nullptr};
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, ACTORPOOL_TASK_CLASH, &fa, nullptr, argv,
                        environ),
            0);
  posix_spawn_file_actions_destroy(&fa);
  run_result r;
  EXPECT_EQ(waitpid(pid, &r.status, 0), pid);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  rmdir(dir);
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);)
    result.push_back(line);
  return result;
}

/// The line of `text` that starts with `prefix`, or "".
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (auto& line : lines_of(text))
    if (line.rfind(prefix, 0) == 0)
      return line;
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class task_clash : public testing::Test {
protected:
  static void SetUpTestSuite() {
    result_ = new run_result(run_helper());
  }

  static void TearDownTestSuite() {
    delete result_;
  }

  static const run_result& result() {
    return *result_;
  }

private:
  static run_result* result_;
};

run_result* task_clash::result_ = nullptr;

} // namespace

TEST_F(task_clash, program_runs_to_the_end) {
  ASSERT_TRUE(WIFEXITED(result().status)) << result().err;
  EXPECT_EQ(WEXITSTATUS(result().status), 0) << result().out << result().err;
}

TEST_F(task_clash, main_program_reports_each_clash_once_at_start) {
  // One line per clashing name, from the main program only: two workers
  // ran the same registrations.
  int reports = 0;
  for (auto& line : lines_of(result().err))
    if (line.rfind("actorpool: task name ", 0) == 0)
      ++reports;
  EXPECT_EQ(reports, 2) << result().err;
  auto fn = line_starting(result().err, "actorpool: task name \"clash.fn\"");
  EXPECT_TRUE(has(fn, "ACTORPOOL_TASK_AS(\"clash.fn\", first) at ")) << fn;
  EXPECT_TRUE(has(fn, "ACTORPOOL_TASK_AS(\"clash.fn\", second) at ")) << fn;
  EXPECT_TRUE(has(fn, "task_clash.cpp:")) << fn;
  auto lambda = line_starting(result().err,
                              "actorpool: task name \"clash.lambda\"");
  EXPECT_TRUE(has(lambda, "make_task at ")) << lambda;
}

TEST_F(task_clash, call_of_a_clashing_function_names_both) {
  auto line = line_starting(result().out, "function: ");
  EXPECT_TRUE(has(line, "\"clash.fn\"")) << line;
  EXPECT_TRUE(has(line, "first) at ")) << line;
  EXPECT_TRUE(has(line, "second) at ")) << line;
}

TEST_F(task_clash, call_of_a_clashing_task_object_names_both) {
  // Reported by the worker, which has the same registrations.
  auto line = line_starting(result().out, "lambda: ");
  EXPECT_TRUE(has(line, "\"clash.lambda\"")) << line;
  EXPECT_TRUE(has(line, "make_task at ")) << line;
  EXPECT_TRUE(has(line, " and make_task at ")) << line;
}

TEST_F(task_clash, task_made_in_main_is_missing_in_the_workers) {
  auto line = line_starting(result().out, "local: ");
  EXPECT_TRUE(has(line, "no task named 'clash.local' in the worker")) << line;
  EXPECT_TRUE(has(line, "namespace scope")) << line;
}
