#include "support/process_helpers.hpp"

#include <stdexcept>

namespace actorpool::test {

void check(bool ok, const char* what) {
  if (!ok)
    throw std::logic_error(what);
}

std::string worker_name(const ::testing::TestParamInfo<int>& info) {
  return "workers_" + std::to_string(info.param);
}

int join_all(std::vector<process>& ps) {
  int failed = 0;
  for (auto& p : ps) {
    p.join();
    failed += p.exitcode() != 0;
  }
  return failed;
}

int run_all(std::vector<process>& ps) {
  for (auto& p : ps)
    p.start();
  return join_all(ps);
}

} // namespace actorpool::test
