#pragma once

#include <chrono>

namespace actorpool::this_task {

/// Whether the task running in this worker has been asked to stop: its
/// result was cancelled (`async_result::cancel()`), a `find_first` found its
/// match, or the pool is being stopped. Cancellation is cooperative: a task
/// that checks it (or sleeps with `sleep_for`) returns early; one that does
/// not is killed with its worker process when the pool's `cancel_grace`
/// runs out. Always false outside a worker process. Cost: one atomic load.
bool cancelled() noexcept;

/// Throws `cancelled_error` if `cancelled()`.
void check_cancelled();

/// Sleeps for `d`, or less when the task is cancelled meanwhile; returns
/// false if it was cancelled (true if it slept the whole time). Outside a
/// worker process it is `std::this_thread::sleep_for`.
bool sleep_for(std::chrono::nanoseconds d);

} // namespace actorpool::this_task
