#include "base/this_process.hpp"

#include <atomic>

namespace actorpool::detail {

namespace {

// Set before any thread of the worker starts and never changed after, so
// plain reads are safe; the board and the call table come and go with the
// serve loop, read by task code on other threads.
worker_identity identity;
bool is_worker = false;
std::atomic<task_board*> board{nullptr};
std::atomic<call_table*> calls{nullptr};
// The board of a pool's worker thread, while it runs a task.
thread_local task_board* thread_board = nullptr;

} // namespace

const worker_identity* this_worker() noexcept {
  return is_worker ? &identity : nullptr;
}

void become_worker(worker_identity id) {
  identity = std::move(id);
  is_worker = true;
}

task_board* worker_board() noexcept {
  return thread_board != nullptr ? thread_board : board.load();
}

void set_thread_board(task_board* b) noexcept {
  thread_board = b;
}

call_table* worker_calls() noexcept {
  return calls.load();
}

void set_worker_services(task_board* b, call_table* c) noexcept {
  board = b;
  calls = c;
}

} // namespace actorpool::detail
