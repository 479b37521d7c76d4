#include "actorpool/wait.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace actorpool::detail {

namespace {

/// Whether the states satisfy `when` now.
bool satisfied(const state_list& sts, return_when when) {
  bool all = true;
  for (auto& st : sts) {
    if (!st->ready()) {
      all = false;
      continue;
    }
    if (when == return_when::first_completed)
      return true;
    if (when == return_when::first_exception && !st->successful())
      return true;
  }
  return all;
}

} // namespace

struct completion_queue::shared {
  std::mutex mtx;
  std::condition_variable cv;
  std::deque<size_t> ready;
};

completion_queue::completion_queue(const state_list& sts)
  : sh_(std::make_shared<shared>()), left_(sts.size()) {
  for (auto& st : sts)
    st->check_waitable();
  for (size_t i = 0; i < sts.size(); ++i) {
    // The listener holds the queue, not the other way round: a queue given
    // up early leaves only these small records behind.
    sts[i]->on_ready([sh = sh_, i] {
      std::lock_guard<std::mutex> guard{sh->mtx};
      sh->ready.push_back(i);
      sh->cv.notify_all();
    });
  }
}

std::optional<size_t> completion_queue::next(
  std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (left_ == 0)
    return std::nullopt;
  std::unique_lock<std::mutex> guard{sh_->mtx};
  auto has_one = [this] {
    return !sh_->ready.empty();
  };
  if (!deadline)
    sh_->cv.wait(guard, has_one);
  else if (!sh_->cv.wait_until(guard, *deadline, has_one))
    throw timeout_error(errc::timeout, "as_completed timed out");
  auto i = sh_->ready.front();
  sh_->ready.pop_front();
  --left_;
  return i;
}

wait_outcome wait_states(const state_list& sts, return_when when,
                         std::optional<std::chrono::nanoseconds> timeout) {
  auto deadline = std::chrono::steady_clock::now()
                  + timeout.value_or(std::chrono::nanoseconds{0});
  completion_queue q{sts};
  while (!satisfied(sts, when)) {
    try {
      if (!q.next(timeout ? std::optional{deadline} : std::nullopt))
        break;
    } catch (const timeout_error&) {
      break; // `wait` reports what is done by then
    }
  }
  wait_outcome result;
  for (size_t i = 0; i < sts.size(); ++i)
    (sts[i]->ready() ? result.done : result.not_done).push_back(i);
  return result;
}

} // namespace actorpool::detail
