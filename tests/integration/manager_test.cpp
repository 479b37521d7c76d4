// The manager's containers across processes: a port of CPython's
// _TestContainers (Lib/test/_test_multiprocessing.py), over 1, 2 and 4
// pool workers.
//
// Ported: test_list, test_list_proxy_in_list, test_dict, test_dict_proxy_
// nested, test_nested_queue, test_namespace (with typed attributes).
// Skipped: test_list_iter and test_dict_iter (no lazy iterators over a
// proxy: `to_vector()`, `keys()` and `items()` return snapshots, so there is
// no "changed size during iteration" error); list slicing, `+` and `*=`
// (written with `to_vector()` and `extend`); the self-referencing list
// (`b.append(b)`: a proxy stored in its own list is just an id here, and
// needs no garbage collection). Lists and dicts hold one type of item
// (`list<T>`, `dict<K, V>`), unlike Python's heterogeneous ones.
// Added: ten processes writing a dict (the seed program), workers writing a
// list and a namespace, and the manager's shutdown, which stops every object
// it made (containers, queues and primitives alike).

#include "actorpool/manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/value.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

using int_list = actorpool::list<int>;
using counts = actorpool::dict<std::string, int>;

std::vector<int> range(int n) {
  std::vector<int> result;
  for (int i = 0; i < n; ++i)
    result.push_back(i);
  return result;
}

int m_set_key(actorpool::dict<int, std::string> d, int key) {
  d.set(key, std::string(1, static_cast<char>(key)));
  return key;
}

int m_append_pid(int_list l) {
  l.append(static_cast<int>(getpid()));
  return static_cast<int>(l.size());
}

std::string m_use_namespace(namespace_proxy ns) {
  ns.set("from_worker", std::string{"hello"});
  ns.set("x", ns.get<int>("x") + 1);
  return ns.get<std::string>("name");
}

int m_nested_write(actorpool::dict<std::string, counts> d) {
  d.get("supplies").set("blankets", 5);
  return d.get("supplies").get("blankets");
}

std::string m_missing_key(counts d) {
  try {
    d.get("nope");
  } catch (const std::out_of_range&) {
    return "out_of_range";
  }
  return "found";
}

// Uses primitives made by a manager from a worker.
int m_use_primitives(actorpool::lock l, actorpool::event e,
                     actorpool::value<int> v, actorpool::semaphore s) {
  l.acquire();
  v.set(v.get() + 1);
  l.release();
  s.acquire();
  s.release();
  e.set();
  return v.get();
}

// The seed program's child: writes its own key.
void m_write_own_key(actorpool::dict<int, int> d, int i) {
  d.set(i, i * i);
}

class manager_test : public spread_test_p {};

} // namespace

ACTORPOOL_TASK(m_set_key)
ACTORPOOL_TASK(m_append_pid)
ACTORPOOL_TASK(m_use_namespace)
ACTORPOOL_TASK(m_nested_write)
ACTORPOOL_TASK(m_missing_key)
ACTORPOOL_TASK(m_write_own_key)
ACTORPOOL_TASK(m_use_primitives)

TEST_P(manager_test, list) {
  manager m;
  auto a = m.list<int>(range(10));
  EXPECT_EQ(a.to_vector(), range(10));
  auto b = m.list<int>();
  EXPECT_TRUE(b.to_vector().empty());
  b.extend(range(5));
  EXPECT_EQ(b.to_vector(), range(5));
  EXPECT_EQ(b.get(2), 2);
  b.extend(b.to_vector()); // b *= 2
  EXPECT_EQ(b.to_vector(), (std::vector<int>{0, 1, 2, 3, 4, 0, 1, 2, 3, 4}));
  EXPECT_EQ(a.to_vector(), range(10));
  auto e = m.list<int_list>({a, b});
  std::vector<std::vector<int>> contents;
  for (auto& x : e.to_vector())
    contents.push_back(x.to_vector());
  EXPECT_EQ(contents[0], range(10));
  EXPECT_EQ(contents[1].size(), 10u);
  auto f = m.list<int_list>({a});
  a.append(10);
  EXPECT_EQ(f.get(0).to_vector(), range(11));
  EXPECT_THROW(a.get(11), std::out_of_range);
  EXPECT_THROW(a.set(-12, 1), std::out_of_range);
}

TEST_P(manager_test, list_proxy_in_list) {
  manager m;
  auto a = m.list<int_list>();
  for (int i = 0; i < 3; ++i)
    a.append(m.list<int>(range(3)));
  a.get(0).set(-1, 55);
  EXPECT_EQ(a.get(0).to_vector(), (std::vector<int>{0, 1, 55}));
  for (int i = 1; i < 3; ++i)
    EXPECT_EQ(a.get(i).to_vector(), range(3));
  EXPECT_EQ(a.get(1).pop(), 2);
  EXPECT_EQ(a.get(1).size(), 2u);
  EXPECT_EQ(a.get(0).size(), 3u);
  EXPECT_EQ(a.get(2).size(), 3u);
}

TEST_P(manager_test, dict) {
  manager m;
  auto d = m.dict<int, std::string>();
  pool p{opts()};
  std::vector<int> indices{65, 66, 67, 68, 69};
  for (int i : indices)
    EXPECT_EQ(p.apply(m_set_key, d, i), i);
  std::map<int, std::string> expected;
  for (int i : indices)
    expected[i] = std::string(1, static_cast<char>(i));
  EXPECT_EQ(d.to_map(), expected);
  auto keys = d.keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, indices);
  auto values = d.values();
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<std::string>{"A", "B", "C", "D", "E"}));
  EXPECT_EQ(d.items().size(), 5u);
  EXPECT_EQ(d.get(65), "A");
  EXPECT_THROW(d.get(1), std::out_of_range);
  EXPECT_EQ(d.get(1, "none"), "none");
  EXPECT_EQ(d.pop(65), "A");
  EXPECT_FALSE(d.erase(65));
  EXPECT_EQ(d.setdefault(65, "a"), "a");
  d.clear();
  EXPECT_TRUE(d.empty());
}

TEST_P(manager_test, dict_proxy_nested) {
  manager m;
  auto pets = m.dict<std::string, int>({{"ferrets", 2}, {"hamsters", 4}});
  auto supplies = m.dict<std::string, int>({{"water", 10}, {"feed", 3}});
  auto d = m.dict<std::string, counts>(
    {{"pets", pets}, {"supplies", supplies}});
  EXPECT_EQ(supplies.get("water"), 10);
  EXPECT_EQ(d.get("supplies").get("water"), 10);
  pool p{opts()};
  EXPECT_EQ(p.apply(m_nested_write, d), 5);
  EXPECT_EQ(supplies.get("blankets"), 5);
  d.get("supplies").set("water", 7);
  EXPECT_EQ(supplies.get("water"), 7);
  pets = counts{};
  supplies = counts{};
  EXPECT_EQ(d.get("pets").get("ferrets"), 2); // the manager keeps it alive
  d.get("supplies").set("blankets", 11);
  EXPECT_EQ(d.get("supplies").get("blankets"), 11);
  pets = d.get("pets");
  supplies = d.get("supplies");
  d.clear();
  EXPECT_EQ(d.size(), 0u);
  EXPECT_EQ(supplies.get("water"), 7);
  EXPECT_EQ(pets.get("hamsters"), 4);
  auto l = m.list<counts>({pets, supplies});
  l.get(0).set("marmots", 1);
  EXPECT_EQ(pets.get("marmots"), 1);
  EXPECT_EQ(p.apply(m_missing_key, pets), "out_of_range");
}

TEST_P(manager_test, nested_queue) {
  manager m;
  auto a = m.list<actorpool::queue<int>>();
  a.append(m.queue<int>());
  a.get(0).put(123);
  EXPECT_EQ(a.get(0).get(), 123);
  auto b = m.dict<int, actorpool::queue<int>>();
  b.set(0, m.queue<int>());
  b.get(0).put(456);
  EXPECT_EQ(b.get(0).get(), 456);
}

TEST_P(manager_test, namespace) {
  manager m;
  auto ns = m.namespace_();
  ns.set("name", std::string{"Bob"});
  ns.set("x", 1);
  EXPECT_TRUE(ns.contains("x"));
  pool p{opts()};
  EXPECT_EQ(p.apply(m_use_namespace, ns), "Bob");
  EXPECT_EQ(ns.get<int>("x"), 2);
  EXPECT_EQ(ns.get<std::string>("from_worker"), "hello");
  EXPECT_EQ(ns.names(), (std::vector<std::string>{"name", "x", "from_worker"}));
  EXPECT_THROW(ns.get<int>("nope"), std::out_of_range);
  EXPECT_TRUE(ns.erase("x"));
  EXPECT_FALSE(ns.contains("x"));
}

TEST_P(manager_test, workers_append_to_a_list) {
  manager m;
  auto l = m.list<int>();
  pool p{opts()};
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 20; ++i)
    rs.push_back(p.apply_async(m_append_pid, l));
  for (auto& r : rs)
    r.get();
  auto pids = l.to_vector();
  ASSERT_EQ(pids.size(), 20u);
  auto workers_pids = p.stats().pids;
  for (int pid : pids)
    EXPECT_NE(std::find(workers_pids.begin(), workers_pids.end(), pid),
              workers_pids.end());
}

TEST_P(manager_test, ten_processes_write_a_dict) {
  manager m;
  auto d = m.dict<int, int>();
  std::vector<process> children;
  for (int i = 0; i < 10; ++i)
    children.emplace_back(m_write_own_key, d, i);
  for (auto& c : children)
    c.start();
  for (auto& c : children) {
    c.join();
    EXPECT_EQ(c.exitcode(), 0);
  }
  auto items = d.to_map();
  ASSERT_EQ(items.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(items[i], i * i);
}

TEST_P(manager_test, shutdown_stops_every_object) {
  manager m;
  auto d = m.dict<std::string, int>();
  auto q = m.queue<int>();
  d.set("a", 1);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_TRUE(m.running());
  m.shutdown();
  m.shutdown(); // idempotent
  EXPECT_FALSE(m.running());
  EXPECT_THROW(d.get("a"), bad_argument);
  EXPECT_THROW(q.put(1), bad_argument);
  EXPECT_THROW((m.dict<int, int>()), state_error);
}

TEST_P(manager_test, primitives_from_the_manager) {
  manager m;
  auto l = m.lock();
  auto e = m.event();
  auto v = m.value<int>(41);
  auto s = m.semaphore(2);
  auto r = m.rlock();
  auto b = m.barrier(1);
  auto c = m.condition(r);
  auto bs = m.bounded_semaphore(1);
  auto a = m.array<int>({1, 2, 3});
  auto zeros = m.array<int>(size_t{2});
  EXPECT_EQ(m.size(), 10u);
  pool p{opts()};
  EXPECT_EQ(p.apply(m_use_primitives, l, e, v, s), 42);
  EXPECT_TRUE(e.is_set());
  EXPECT_EQ(b.wait(), 0);
  EXPECT_TRUE(bs.acquire(false));
  EXPECT_FALSE(bs.acquire(false));
  EXPECT_EQ(a.to_vector(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(zeros.to_vector(), (std::vector<int>{0, 0}));
  m.shutdown();
  EXPECT_ANY_THROW(l.acquire()); // stopped: its service is gone
  EXPECT_THROW(e.is_set(), bad_argument);
  EXPECT_THROW(v.get(), bad_argument);
  EXPECT_THROW(v.get_lock().acquire(), bad_argument);
  EXPECT_THROW(s.get_value(), bad_argument);
  EXPECT_THROW(c.acquire(), bad_argument);
  EXPECT_THROW(b.n_waiting(), bad_argument);
  EXPECT_THROW(a.size(), bad_argument);
  EXPECT_THROW(m.lock(), state_error);
}

TEST_P(manager_test, objects_outlive_the_manager_object) {
  actorpool::list<int> l;
  {
    manager m;
    l = m.list<int>({1, 2});
  }
  l.append(3);
  EXPECT_EQ(l.to_vector(), (std::vector<int>{1, 2, 3}));
}

// A value CAF cannot encode is refused in the caller's thread with
// encoding_error, like a queue item, and the shared object never hears of
// it.
TEST_P(manager_test, unencodable_values_are_encoding_errors) {
  manager m;
  auto d = m.dict<int, actorpool::test::unsendable>();
  EXPECT_THROW(d.set(1, actorpool::test::unsendable{}), encoding_error);
  EXPECT_EQ(d.size(), 0u);
  auto l = m.list<actorpool::test::unsendable>();
  EXPECT_THROW(l.append(actorpool::test::unsendable{}), encoding_error);
  EXPECT_EQ(l.size(), 0u);
  auto ns = m.namespace_();
  EXPECT_THROW(ns.set("x", actorpool::test::unsendable{}), encoding_error);
  EXPECT_FALSE(ns.contains("x"));
  EXPECT_THROW(actorpool::value<
                 actorpool::test::unsendable>{actorpool::test::unsendable{}},
               encoding_error);
}

INSTANTIATE_TEST_SUITE_P(containers, manager_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
