#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actorpool/detail/closure.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool::detail {

/// What the chunks of a lazy map of closures (a `thread_pool`'s `imap`)
/// leave for its consumer, by chunk index: the closures not run yet (their
/// keys in the closure table), and the exception of each chunk that threw.
/// Worker threads, the input reader and the consumer share it; every member
/// function is thread-safe and costs one lock.
class closure_stream_base {
public:
  virtual ~closure_stream_base();

  /// Stores `c`, the closure of chunk `index`, in the closure table and
  /// returns its key; returns 0 and drops `c` once the stream is closed.
  uint64_t keep(size_t index, std::unique_ptr<closure> c);

  /// Chunk `index` ran on a worker thread; `ep` is what it threw, if any.
  void ran(size_t index, std::exception_ptr ep);

  /// The consumer reached failed chunk `index`: forgets its closure if it
  /// never ran, and returns the exception it threw, if it did (null else).
  std::exception_ptr take_thrown(size_t index);

  /// `take_thrown`, rethrowing the exception if there is one.
  void rethrow(size_t index);

  /// The consumer is gone: drops the closures that have not run, and keeps
  /// none from now on.
  void close();

protected:
  std::mutex mtx_;

private:
  std::unordered_map<size_t, uint64_t> keys_;
  std::unordered_map<size_t, std::exception_ptr> thrown_;
  bool closed_ = false;
};

/// A `closure_stream_base` that also holds the results of the chunks that
/// ran to the end, moved in by the worker threads and out by the consumer.
template <class R>
class closure_stream final : public closure_stream_base {
public:
  /// Chunk `index` returned `ys`.
  void put(size_t index, std::vector<R> ys) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      values_.emplace(index, std::move(ys));
    }
    ran(index, nullptr);
  }

  /// Moves out the results of chunk `index`, which was delivered.
  std::vector<R> take(size_t index) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = values_.find(index);
    if (i == values_.end())
      throw state_error(errc::invalid_state,
                        "a thread pool's chunk delivered without results");
    auto ys = std::move(i->second);
    values_.erase(i);
    return ys;
  }

private:
  std::unordered_map<size_t, std::vector<R>> values_;
};

/// One chunk of a lazy map of any callable: a copy of `f` and the items
/// (`Star`: unpacked into the arguments), its results moved to `out`.
template <class R, bool Star, class F, class Item>
class stream_closure final : public closure {
public:
  stream_closure(std::shared_ptr<closure_stream<R>> out, size_t index, F f,
                 std::vector<Item> items)
    : out_(std::move(out)), index_(index), f_(std::move(f)),
      items_(std::move(items)) {
    // nop
  }

  bool run() noexcept override {
    try {
      std::vector<R> ys;
      ys.reserve(items_.size());
      for (auto& x : items_)
        ys.emplace_back(call_item<Star>(f_, std::move(x)));
      out_->put(index_, std::move(ys));
      return true;
    } catch (...) {
      out_->ran(index_, std::current_exception());
      return false;
    }
  }

private:
  std::shared_ptr<closure_stream<R>> out_;
  size_t index_;
  F f_;
  std::vector<Item> items_;
};

} // namespace actorpool::detail
