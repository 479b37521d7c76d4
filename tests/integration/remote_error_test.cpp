// The library's own exceptions, thrown inside a task, reach `get()` as
// themselves (like the types of <stdexcept>), with the worker's pid, the
// original text and the original code: whether a call on a shared object
// threw them in the worker, or the task threw them itself.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "actorpool/barrier.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/queue.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

void get_from_empty(queue<int> q) {
  q.get(false);
}

void put_to_closed(queue<int> q) {
  q.close();
  q.put(1);
}

void wait_on_aborted(barrier b) {
  b.abort();
  b.wait();
}

void release_unheld(lock l) {
  l.release();
}

/// Throws the library exception number `which` with a text of its own.
void throw_own(int which) {
  auto what = "thrown by the task: " + std::to_string(which);
  switch (which) {
    case 0:
      throw timeout_error(errc::timeout, what);
    case 1:
      throw pool_not_running(errc::pool_not_running, what);
    case 2:
      throw bad_argument(errc::invalid_argument, what);
    case 3:
      throw encoding_error(errc::decoding_failed, what);
    case 4:
      throw unknown_task_error(errc::unknown_task, what);
    case 5:
      throw worker_died_error(errc::worker_died, what);
    case 6:
      throw start_error(errc::initializer_failed, what);
    case 7:
      throw cancelled_error(errc::terminated, what);
    case 8:
      throw input_error(errc::input_failed, what);
    case 9:
      throw queue_empty(errc::empty, what);
    case 10:
      throw queue_full(errc::full, what);
    case 11:
      throw state_error(errc::invalid_state, what);
    case 12:
      throw broken_barrier_error(errc::broken_barrier, what);
    case 13:
      throw eof_error(errc::end_of_file, what);
    default:
      throw system_error(errc::system_error, what);
  }
}

class remote_error_test : public process_test_p {
protected:
  /// Runs `f(xs...)` in `p` and checks that it fails with a `T` of code
  /// `code` that carries the pid of a worker of `p`, the type name and the
  /// text that starts with `what`.
  template <class T, class F, class... Ts>
  void
  expect_thrown(pool& p, errc code, const std::string& what, F f, Ts... xs) {
    auto pids = p.stats().pids;
    std::set<int32_t> workers(pids.begin(), pids.end());
    auto type = detail::demangle(typeid(T).name());
    try {
      p.apply(f, xs...);
      ADD_FAILURE() << "no exception, expected " << type;
    } catch (const T& e) {
      EXPECT_EQ(e.code(), code) << type;
      EXPECT_EQ(std::string{e.what()}.rfind(what, 0), 0u)
        << type << ": " << e.what();
      auto rf = dynamic_cast<const remote_failure*>(&e);
      ASSERT_NE(rf, nullptr) << type;
      EXPECT_EQ(rf->type_name(), type);
      EXPECT_EQ(rf->message(), e.what());
      EXPECT_EQ(workers.count(rf->pid()), 1u) << type;
    } catch (const std::exception& e) {
      ADD_FAILURE() << type << " arrived as "
                    << detail::demangle(typeid(e).name()) << ": " << e.what();
    }
  }
};

} // namespace

ACTORPOOL_TASK(get_from_empty)
ACTORPOOL_TASK(put_to_closed)
ACTORPOOL_TASK(wait_on_aborted)
ACTORPOOL_TASK(release_unheld)
ACTORPOOL_TASK(throw_own)

TEST_P(remote_error_test,
       errors_of_shared_objects_in_a_task_arrive_as_themselves) {
  pool p{workers()};
  expect_thrown<queue_empty>(p, errc::empty,
                             "actorpool::empty: ", get_from_empty,
                             queue<int>{});
  expect_thrown<eof_error>(p, errc::end_of_file,
                           "actorpool::end_of_file: ", put_to_closed,
                           queue<int>{});
  expect_thrown<broken_barrier_error>(p, errc::broken_barrier,
                                      "actorpool::broken_barrier: ",
                                      wait_on_aborted, barrier{2});
  expect_thrown<state_error>(p, errc::invalid_state,
                             "actorpool::invalid_state: ", release_unheld,
                             lock{});
}

TEST_P(remote_error_test, every_library_exception_thrown_by_a_task) {
  pool p{workers()};
  auto text = [](int i) {
    return "thrown by the task: " + std::to_string(i);
  };
  expect_thrown<timeout_error>(p, errc::timeout, text(0), throw_own, 0);
  expect_thrown<pool_not_running>(p, errc::pool_not_running, text(1), throw_own,
                                  1);
  expect_thrown<bad_argument>(p, errc::invalid_argument, text(2), throw_own, 2);
  expect_thrown<encoding_error>(p, errc::encoding_failed, text(3), throw_own,
                                3);
  expect_thrown<unknown_task_error>(p, errc::unknown_task, text(4), throw_own,
                                    4);
  expect_thrown<worker_died_error>(p, errc::worker_died, text(5), throw_own, 5);
  expect_thrown<start_error>(p, errc::worker_start_failed, text(6), throw_own,
                             6);
  expect_thrown<cancelled_error>(p, errc::cancelled, text(7), throw_own, 7);
  expect_thrown<input_error>(p, errc::input_failed, text(8), throw_own, 8);
  expect_thrown<queue_empty>(p, errc::empty, text(9), throw_own, 9);
  expect_thrown<queue_full>(p, errc::full, text(10), throw_own, 10);
  expect_thrown<state_error>(p, errc::invalid_state, text(11), throw_own, 11);
  expect_thrown<broken_barrier_error>(p, errc::broken_barrier, text(12),
                                      throw_own, 12);
  expect_thrown<eof_error>(p, errc::end_of_file, text(13), throw_own, 13);
  expect_thrown<system_error>(p, errc::system_error, text(14), throw_own, 14);
}

TEST_P(remote_error_test, the_pool_serves_on_after_library_exceptions) {
  pool p{workers()};
  auto pids = p.stats().pids;
  for (int i = 0; i < 15; ++i)
    EXPECT_THROW(p.apply(throw_own, i), error);
  EXPECT_EQ(p.stats().pids, pids);
  EXPECT_EQ(p.stats().workers_died, 0u);
}

INSTANTIATE_TEST_SUITE_P(errors, remote_error_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
