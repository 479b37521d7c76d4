// The lifetime of a shared object's service: the parent's copies of a
// handle own it. When the last of them goes while a task or a process still
// holds a copy, that task's calls fail with a library error (the queued ones
// with `bad_argument`, the waiting ones with the error the object gives its
// waiters when it stops), and nothing hangs. The same when the program ends
// while a process waits on an object: see shutdown_test.cpp.

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/barrier.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/dict.hpp"
#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/list.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/manager.hpp"
#include "actorpool/pipe.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/queue.hpp"
#include "actorpool/rlock.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// What `f()` threw: the kind of library error, or "no error".
template <class F>
std::string outcome(F f) {
  try {
    f();
    return "no error";
  } catch (const bad_argument&) {
    return "bad_argument";
  } catch (const eof_error&) {
    return "eof_error";
  } catch (const broken_barrier_error&) {
    return "broken_barrier_error";
  } catch (const actorpool::error& e) {
    return std::string{"other error: "} + e.what();
  }
}

// Each task says it started (`ready`), waits for `go`, then calls its object
// once; it returns what the call threw.

std::string lt_lock(event ready, event go, lock l) {
  ready.set();
  go.wait();
  return outcome([&] { l.acquire(); });
}

std::string lt_rlock(event ready, event go, rlock l) {
  ready.set();
  go.wait();
  return outcome([&] { l.acquire(); });
}

std::string lt_semaphore(event ready, event go, semaphore s) {
  ready.set();
  go.wait();
  return outcome([&] { s.acquire(); });
}

std::string lt_event(event ready, event go, event e) {
  ready.set();
  go.wait();
  return outcome([&] { e.wait(); });
}

std::string lt_condition(event ready, event go, condition c) {
  ready.set();
  go.wait();
  return outcome([&] {
    c.acquire();
    c.wait();
  });
}

std::string lt_barrier(event ready, event go, barrier b) {
  ready.set();
  go.wait();
  return outcome([&] { b.wait(); });
}

std::string lt_queue(event ready, event go, queue<int> q) {
  ready.set();
  go.wait();
  return outcome([&] { q.get(); });
}

std::string lt_joinable_queue(event ready, event go, joinable_queue<int> q) {
  ready.set();
  go.wait();
  return outcome([&] { q.join(); });
}

std::string lt_pipe(event ready, event go, connection<int> c) {
  ready.set();
  go.wait();
  return outcome([&] { c.recv(); });
}

std::string lt_value(event ready, event go, value<int> v) {
  ready.set();
  go.wait();
  return outcome([&] { v.get(); });
}

std::string lt_array(event ready, event go, array<int> a) {
  ready.set();
  go.wait();
  return outcome([&] { a.get(0); });
}

std::string lt_dict(event ready, event go, dict<std::string, int> d) {
  ready.set();
  go.wait();
  return outcome([&] { d.size(); });
}

std::string lt_list(event ready, event go, list<int> l) {
  ready.set();
  go.wait();
  return outcome([&] { l.size(); });
}

/// A process's exit code for an outcome: 0 for a library error of the
/// expected kinds, 3 for no error, 4 for another error.
int exit_code_of(const std::string& what) {
  if (what == "no error")
    return 3;
  return what.rfind("other error", 0) == 0 ? 4 : 0;
}

void lt_queue_process(event ready, event go, queue<int> q) {
  std::exit(exit_code_of(lt_queue(ready, go, q)));
}

void lt_lock_process(event ready, event go, lock l) {
  std::exit(exit_code_of(lt_lock(ready, go, l)));
}

/// A submitted task and the parent's last copy of its object.
struct submitted {
  async_result<std::string> result;
  std::shared_ptr<void> object;
};

/// One kind of object: a task that calls a new one.
struct lifetime_case {
  const char* name;
  /// Submits the task to `p` with a new object. With `blocked`, the object
  /// is set up so that the task's call waits.
  std::function<submitted(pool& p, event ready, event go, bool blocked)> submit;
  /// Whether the call waits when `blocked` (else it returns at once).
  bool can_block;
};

template <class F, class Handle>
submitted submit_with(pool& p, F f, event ready, event go, Handle h) {
  auto r = p.apply_async(f, ready, go, h);
  return {std::move(r), std::make_shared<Handle>(std::move(h))};
}

std::vector<lifetime_case> all_cases() {
  return {
    {"lock",
     [](pool& p, event r, event g, bool blocked) {
       lock l;
       if (blocked)
         l.acquire(); // held here: the task waits
       return submit_with(p, lt_lock, r, g, l);
     },
     true},
    {"rlock",
     [](pool& p, event r, event g, bool blocked) {
       rlock l;
       if (blocked)
         l.acquire();
       return submit_with(p, lt_rlock, r, g, l);
     },
     true},
    {"semaphore",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_semaphore, r, g, semaphore{0});
     },
     true},
    {"event",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_event, r, g, event{});
     },
     true},
    {"condition",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_condition, r, g, condition{});
     },
     true},
    {"barrier",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_barrier, r, g, barrier{2});
     },
     true},
    {"queue",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_queue, r, g, queue<int>{});
     },
     true},
    {"joinable_queue",
     [](pool& p, event r, event g, bool) {
       joinable_queue<int> q;
       q.put(1); // unfinished: join waits
       return submit_with(p, lt_joinable_queue, r, g, q);
     },
     true},
    {"pipe",
     [](pool& p, event r, event g, bool) {
       auto [a, b] = pipe<int>();
       return submit_with(p, lt_pipe, r, g, b);
     },
     true},
    {"value",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_value, r, g, value<int>{1});
     },
     false},
    {"array",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_array, r, g, array<int>{std::vector<int>{1}});
     },
     false},
    {"dict",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_dict, r, g, dict<std::string, int>{});
     },
     false},
    {"list",
     [](pool& p, event r, event g, bool) {
       return submit_with(p, lt_list, r, g, list<int>{});
     },
     false},
    {"manager queue",
     [](pool& p, event r, event g, bool) {
       auto m = std::make_shared<std::pair<manager, queue<int>>>();
       m->second = m->first.queue<int>();
       return submitted{p.apply_async(lt_queue, r, g, m->second), m};
     },
     true},
  };
}

class handle_lifetime_test : public process_test_p {};

} // namespace

ACTORPOOL_TASK(lt_lock)
ACTORPOOL_TASK(lt_rlock)
ACTORPOOL_TASK(lt_semaphore)
ACTORPOOL_TASK(lt_event)
ACTORPOOL_TASK(lt_condition)
ACTORPOOL_TASK(lt_barrier)
ACTORPOOL_TASK(lt_queue)
ACTORPOOL_TASK(lt_joinable_queue)
ACTORPOOL_TASK(lt_pipe)
ACTORPOOL_TASK(lt_value)
ACTORPOOL_TASK(lt_array)
ACTORPOOL_TASK(lt_dict)
ACTORPOOL_TASK(lt_list)
ACTORPOOL_TASK(lt_queue_process)
ACTORPOOL_TASK(lt_lock_process)

// The object goes while the task is queued (its arguments hold the
// object): its first call fails with bad_argument, and the pool goes on.
TEST_P(handle_lifetime_test, a_queued_task_fails_cleanly) {
  pool p{workers()};
  for (auto& c : all_cases()) {
    event ready;
    event go;
    auto s = c.submit(p, ready, go, false);
    s.object.reset(); // the last copy in this process
    go.set();
    ASSERT_TRUE(s.result.wait(patience)) << c.name << " hangs";
    EXPECT_EQ(s.result.get(), "bad_argument") << c.name;
  }
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

// The object goes while the task waits in a call on it (or is about to):
// the call fails with the error the object gives its waiters when it stops
// (or bad_argument if it had not arrived yet).
TEST_P(handle_lifetime_test, a_waiting_task_fails_cleanly) {
  pool p{workers()};
  for (auto& c : all_cases()) {
    if (!c.can_block)
      continue;
    event ready;
    event go;
    go.set();
    auto s = c.submit(p, ready, go, true);
    ASSERT_TRUE(ready.wait(patience)) << c.name;
    s.object.reset(); // the task is in its call, or about to be
    ASSERT_TRUE(s.result.wait(patience)) << c.name << " hangs";
    auto what = s.result.get();
    EXPECT_TRUE(what == "bad_argument" || what == "eof_error"
                || what == "broken_barrier_error")
      << c.name << ": " << what;
  }
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

// The same for a started process: its call fails, it ends, and is joined.
TEST_P(handle_lifetime_test, a_started_process_fails_cleanly) {
  for (bool queued : {true, false}) {
    event ready;
    event go;
    if (!queued)
      go.set();
    process waiting;
    process locking;
    {
      queue<int> q;
      lock l;
      waiting = process{lt_queue_process, ready, go, q};
      locking = process{lt_lock_process, ready, go, l};
      if (!queued)
        l.acquire();
      waiting.start();
      locking.start();
      ASSERT_TRUE(ready.wait(patience));
    } // the queue and the lock go
    go.set();
    ASSERT_TRUE(waiting.join(patience)) << "hangs";
    ASSERT_TRUE(locking.join(patience)) << "hangs";
    EXPECT_EQ(waiting.exitcode(), 0);
    EXPECT_EQ(locking.exitcode(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(handles, handle_lifetime_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
