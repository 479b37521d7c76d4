#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/array.hpp"
#include "actorpool/barrier.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/dict.hpp"
#include "actorpool/event.hpp"
#include "actorpool/list.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/namespace_proxy.hpp"
#include "actorpool/queue.hpp"
#include "actorpool/rlock.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"

namespace actorpool {

namespace detail {

/// Whether handle `T` has a lock of its own besides its service (`value`,
/// `array`).
template <class T, class = void>
struct has_lock : std::false_type {};

template <class T>
struct has_lock<T, std::void_t<decltype(std::declval<const T&>().get_lock())>>
  : std::true_type {};

} // namespace detail

/// Python's `multiprocessing.Manager()` (a `SyncManager`): makes shared
/// objects whose handles work in any process, like Python's proxies.
///
/// In Python a manager is a server process that owns the objects. Here
/// every shared object is already a service actor in the parent process
/// (queues, pipes, dicts, lists, namespaces, and the synchronisation
/// primitives alike), so the factories are thin: `m.dict<K, V>()` is a
/// `dict<K, V>` whose service the manager also owns. What the manager adds
/// is a group: its objects live as long as the manager or any parent-side
/// handle to them (so a handle stored inside another managed object, a
/// nested proxy, stays valid while the manager lives), and `shutdown()`
/// stops them all at once. After `shutdown()`, calls on its objects fail
/// with `bad_argument` ("the service was destroyed"), calls still waiting
/// (a `get` on a managed queue) fail with `eof_error`, and the factories
/// throw `state_error`. A condition made on a lock of your own
/// (`condition(l)`) does not stop that lock. Destroying the manager does not
/// stop objects that handles still use (unlike Python, where proxies break
/// with the manager).
///
/// Use it in the parent process (a manager made in a worker fails at its
/// first factory call). Copies share the group. Each factory call spawns one
/// actor (a few µs; `value` and `array` two: the cell and its lock); calls
/// on the objects cost what their classes say.
class manager {
public:
  /// A running manager with no objects yet.
  manager();

  /// A new dict (Python: `m.dict()`), optionally filled with `init`.
  template <class K, class V>
  actorpool::dict<K, V> dict(const std::vector<std::pair<K, V>>& init = {}) {
    auto result = adopt(actorpool::dict<K, V>{});
    if (!init.empty())
      result.update(init);
    return result;
  }

  /// A new list (Python: `m.list()`), optionally filled with `init`.
  template <class T>
  actorpool::list<T> list(const std::vector<T>& init = {}) {
    auto result = adopt(actorpool::list<T>{});
    if (!init.empty())
      result.extend(init);
    return result;
  }

  /// A new namespace (Python: `m.Namespace()`).
  namespace_proxy namespace_() {
    return adopt(namespace_proxy{});
  }

  /// A new queue (Python: `m.Queue(maxsize)`).
  template <class T>
  actorpool::queue<T> queue(size_t maxsize = 0) {
    return adopt(actorpool::queue<T>{maxsize});
  }

  /// A new joinable queue (Python: `m.JoinableQueue(maxsize)`).
  template <class T>
  actorpool::joinable_queue<T> joinable_queue(size_t maxsize = 0) {
    return adopt(actorpool::joinable_queue<T>{maxsize});
  }

  /// A new lock (Python: `m.Lock()`).
  actorpool::lock lock() {
    return adopt(actorpool::lock{});
  }

  /// A new recursive lock (Python: `m.RLock()`).
  actorpool::rlock rlock() {
    return adopt(actorpool::rlock{});
  }

  /// A new semaphore (Python: `m.Semaphore(value)`).
  actorpool::semaphore semaphore(int64_t value = 1) {
    return adopt(actorpool::semaphore{value});
  }

  /// A new bounded semaphore (Python: `m.BoundedSemaphore(value)`).
  actorpool::bounded_semaphore bounded_semaphore(int64_t value = 1) {
    return adopt(actorpool::bounded_semaphore{value});
  }

  /// A new event (Python: `m.Event()`).
  actorpool::event event() {
    return adopt(actorpool::event{});
  }

  /// A new condition with its own lock (Python: `m.Condition()`).
  actorpool::condition condition() {
    return adopt(actorpool::condition{});
  }

  /// A new condition using `l` (Python: `m.Condition(lock)`).
  template <class Lock>
  actorpool::condition condition(const Lock& l) {
    return adopt(actorpool::condition{l}, false);
  }

  /// A new barrier for `parties` (Python: `m.Barrier(parties)`).
  actorpool::barrier barrier(int parties) {
    return adopt(actorpool::barrier{parties});
  }

  /// A new shared value (Python: `m.Value(typecode, value)`).
  template <class T>
  actorpool::value<T> value(T x = T{}) {
    return adopt(actorpool::value<T>{std::move(x)});
  }

  /// A new shared array of `n` default values (Python: `m.Array(typecode,
  /// n)`).
  template <class T>
  actorpool::array<T> array(size_t n) {
    return adopt(actorpool::array<T>{n});
  }

  /// A new shared array holding `xs` (Python: `m.Array(typecode, xs)`).
  template <class T>
  actorpool::array<T> array(const std::vector<T>& xs) {
    return adopt(actorpool::array<T>{xs});
  }

  /// Stops every object made by this manager (see the class comment);
  /// idempotent.
  void shutdown();

  /// Whether `shutdown()` has not been called yet.
  bool running() const;

  /// Number of objects made by this manager.
  size_t size() const;

private:
  /// Creates the services of `h` now and adds the object to the group;
  /// `shutdown()` stops them if `owned`.
  template <class Handle>
  Handle adopt(Handle h, bool owned = true) {
    std::vector<detail::lazy_service> services;
    if (owned)
      services.push_back(h.service());
    if constexpr (detail::has_lock<Handle>::value)
      services.push_back(h.get_lock().service());
    add(std::move(services));
    return h;
  }

  void add(std::vector<detail::lazy_service> services);

  struct group;

  std::shared_ptr<group> group_;
};

} // namespace actorpool
