#include "actorpool/this_task.hpp"

#include <thread>

#include "actorpool/exceptions.hpp"
#include "base/this_process.hpp"
#include "worker/task_board.hpp"

namespace actorpool::this_task {

bool cancelled() noexcept {
  auto board = detail::worker_board();
  return board != nullptr && board->cancelled();
}

void check_cancelled() {
  if (cancelled())
    throw cancelled_error(errc::cancelled, "task cancelled");
}

bool sleep_for(std::chrono::nanoseconds d) {
  auto deadline = std::chrono::steady_clock::now() + d;
  if (auto board = detail::worker_board())
    return board->sleep_until(deadline);
  std::this_thread::sleep_until(deadline);
  return true;
}

} // namespace actorpool::this_task
