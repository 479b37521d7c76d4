#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/job.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/find_result.hpp"

namespace actorpool::detail {

/// Tells the coordinator to stop a stream: every chunk (`nullopt`) or the
/// chunks after `keep_through`.
using stream_stopper = std::function<void(std::optional<size_t> keep_through)>;

/// The untyped part of a `find_first`: a stream job that hands what the
/// coordinator reports to the pool's callback thread, where the results
/// are decoded and tested (so the predicate never runs in the coordinator),
/// decides the winner by the policy, stops the stream, and finishes the
/// caller's result once the coordinator has settled the stream.
class find_core : public stream_job {
public:
  find_core(executor_ptr exec, const find_options& opts,
            std::optional<uint64_t> total);

  ~find_core() override;

  void set_stopper(stream_stopper fn);

  /// Sets where the credit for evaluated chunks goes (the coordinator reads
  /// more input as the search consumes it).
  void set_credit_sink(std::function<void(size_t)> fn);

  /// Where the progress of the search goes (null without an observer); the
  /// reader of the input counts what it reads there.
  const progress_reporter_ptr& reporter() const noexcept {
    return progress_;
  }

  // -- stream_job (coordinator thread) ----------------------------------------

  void deliver(size_t index, uint32_t count, std::string&& payload) override;

  void fail(size_t index, const caf::error& err) override;

  void end(size_t total) override;

  void input_failed(size_t index, std::exception_ptr ep) override;

  void abort(const caf::error& err) override;

  void settled(const stream_counts& counts) override;

protected:
  /// Tests the `count` results of chunk `chunk`, the first of them being
  /// input `first`; calls `matched(first + j)` for the first match, which
  /// returns whether that match is the best so far (then keep its value).
  virtual void scan(const std::string& payload, uint32_t count, size_t first,
                    const std::function<bool(size_t)>& matched)
    = 0;

  /// Finishes the caller's result with the best match (if any) and counts.
  virtual void finish(const stream_counts& counts, bool found, size_t index,
                      std::chrono::nanoseconds stop_latency)
    = 0;

  /// Finishes the caller's result with `err`, the failure of chunk `chunk`
  /// (`SIZE_MAX` when the pool dropped the stream).
  virtual void finish(const caf::error& err, size_t chunk) = 0;

  /// The caller's result: cancelling it stops the search.
  void set_caller(std::shared_ptr<result_state> st) {
    caller_ = std::move(st);
  }

private:
  struct event {
    enum class kind { values, failure, settled } what = kind::values;
    size_t chunk = 0;
    uint32_t count = 0;
    std::string payload;
    caf::error err;
    stream_counts counts;
    std::chrono::steady_clock::time_point at;
  };

  void post(event&& ev);

  void drain();

  void on_values(event& ev);

  void on_failure(const event& ev);

  bool better(size_t index) const;

  /// Input `index` of chunk `chunk` decides the search (a match, or an error
  /// with `err`), if it beats what decided it so far.
  bool decide(size_t index, size_t chunk, caf::error err,
              std::chrono::steady_clock::time_point at);

  void on_settled(const event& ev);

  executor_ptr exec_;
  find_policy policy_;
  uint32_t chunksize_;
  progress_reporter_ptr progress_;
  stream_stopper stop_;
  std::function<void(size_t)> credit_;
  std::shared_ptr<result_state> caller_;
  // Shared with the coordinator thread.
  std::mutex mtx_;
  std::deque<event> events_;
  bool draining_ = false;
  // Callback thread only.
  bool decided_ = false;
  size_t best_ = 0;
  size_t best_chunk_ = 0;
  caf::error best_err_;
  std::chrono::steady_clock::time_point decided_at_;
  bool done_ = false;
};

/// `find_core` for tasks returning `R`, testing results with `Pred`.
template <class R, class Pred>
class find_state final : public find_core {
public:
  using result_type = find_result<R>;

  find_state(executor_ptr exec, const find_options& opts,
             std::optional<uint64_t> total, Pred pred)
    : find_core(exec, opts, total), pred_(std::move(pred)),
      out_(std::make_shared<typed_state<result_type>>(std::vector<uint32_t>{1},
                                                      std::move(exec),
                                                      nullptr)) {
    out_->finished_by_executor();
    out_->set_progress(reporter()); // a cancel reports before it is ready
    set_caller(out_);
  }

  /// The caller's side.
  const std::shared_ptr<typed_state<result_type>>& out() const noexcept {
    return out_;
  }

protected:
  void scan(const std::string& payload, uint32_t count, size_t first,
            const std::function<bool(size_t)>& matched) override {
    decoder src{payload};
    for (uint32_t j = 0; j < count; ++j) {
      R x{};
      src.read(x);
      if (pred_(static_cast<const R&>(x))) {
        if (matched(first + j))
          best_.emplace(std::move(x));
        return;
      }
    }
    src.expect_end();
  }

  void finish(const stream_counts& counts, bool found, size_t index,
              std::chrono::nanoseconds stop_latency) override {
    result_type r;
    if (found && best_)
      r.set_match(std::move(*best_), index);
    r.set_counts(counts.completed, counts.cancelled, counts.never_started);
    r.set_stop_latency(stop_latency);
    out_->set_value(std::move(r));
  }

  void finish(const caf::error& err, size_t) override {
    out_->fail(0, err);
  }

private:
  Pred pred_;
  std::optional<R> best_;
  std::shared_ptr<typed_state<result_type>> out_;
};

} // namespace actorpool::detail
