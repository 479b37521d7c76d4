#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/call_options.hpp"
#include "actorpool/detail/closure.hpp"
#include "actorpool/detail/closure_stream.hpp"
#include "actorpool/detail/find_state.hpp"
#include "actorpool/detail/pool_channel.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/detail/range_reader.hpp"
#include "actorpool/detail/stream_input.hpp"
#include "actorpool/detail/stream_openers.hpp"
#include "actorpool/detail/stream_state.hpp"
#include "actorpool/find_result.hpp"
#include "actorpool/imap_result.hpp"

namespace actorpool::detail {

/// The items of a lazily read `Range`, as its reader sees them, decayed.
template <class Range>
using lazy_item_of = std::decay_t<decltype(*std::begin(
  std::declval<std::remove_reference_t<Range>&>()))>;

/// Reads `Range` lazily for a stream of closures: every chunk of up to
/// `chunksize` items becomes a closure calling a copy of `f` on them, kept
/// in the stream's `closure_stream` (and the closure table) until a worker
/// thread runs it; the chunk itself carries only the closure's key. Items
/// are moved out of a range the reader holds (an rvalue), else copied.
template <class R, bool Star, class F, class Range>
class closure_feed {
public:
  using item = lazy_item_of<Range>;

  closure_feed(const F& f, Range&& xs, size_t chunksize,
               std::shared_ptr<closure_stream<R>> out)
    : f_(f), cursor_(std::forward<Range>(xs)),
      chunksize_(
        static_cast<uint32_t>(std::clamp<size_t>(chunksize, 1, UINT32_MAX))),
      out_(std::move(out)) {
    // nop
  }

  /// Makes the closure of the next chunk; false at the end of the input
  /// (or once the consumer is gone).
  bool next(encoded_chunk& chunk) {
    std::vector<item> items;
    auto n = cursor_.read(chunksize_, [&items](auto&& x) {
      if constexpr (std::is_lvalue_reference_v<Range>)
        items.emplace_back(x);
      else
        items.emplace_back(std::move(x));
    });
    if (n == 0)
      return false;
    using closure_type = stream_closure<R, Star, F, item>;
    auto key = out_->keep(index_,
                          std::make_unique<closure_type>(out_, index_, f_,
                                                         std::move(items)));
    if (key == 0)
      return false;
    ++index_;
    chunk = closure_chunk(key);
    chunk.count = n;
    return true;
  }

private:
  F f_;
  range_cursor<Range> cursor_;
  uint32_t chunksize_;
  std::shared_ptr<closure_stream<R>> out_;
  size_t index_ = 0;
};

/// An `imap` (`ordered`) or `imap_unordered` of any callable `f` over `xs`
/// on a thread pool, read lazily in chunks of `chunksize` items through the
/// same stream machinery as a task's: only the chunks' closures differ.
/// Costs one message to the coordinator; reads no input itself.
template <class R, bool Star, class F, class Range>
imap_result<R> open_closure_imap(pool_channel& ch, const F& f, Range&& xs,
                                 size_t chunksize, bool ordered,
                                 const call_options& opts) {
  auto rep = progress_reporter::make(opts.progress_fn(),
                                     opts.progress_interval(), size_of(xs),
                                     ch.executor());
  auto out = std::make_shared<closure_stream<R>>();
  auto feed = std::make_shared<
    closure_feed<R, Star, F, Range>>(f, std::forward<Range>(xs), chunksize,
                                     out);
  chunk_source src = [feed](encoded_chunk& c) {
    return feed->next(c);
  };
  auto st = std::make_shared<stream_state>(ordered);
  st->set_progress(rep);
  ch.open_stream(closure_task_name(),
                 {counted_source(std::move(src), rep), nullptr}, st,
                 opts.timeout());
  return imap_result<R>{std::move(st), std::move(out)};
}

/// `find_core` for a search of closures returning `R` (a `thread_pool`'s
/// `find_first`): results are moved out of the chunks' `closure_stream`
/// instead of decoded, and the search's failure is the exception its task
/// threw, if one did. The closures not run yet are dropped once the search
/// is over.
template <class R, class Pred>
class closure_find_state final : public find_core {
public:
  using result_type = find_result<R>;

  closure_find_state(executor_ptr exec, const find_options& opts,
                     std::optional<uint64_t> total, Pred pred,
                     std::shared_ptr<closure_stream<R>> results)
    : find_core(exec, opts, total), pred_(std::move(pred)),
      chunksize_(std::max<size_t>(opts.chunksize(), 1)),
      results_(std::move(results)),
      out_(std::make_shared<typed_state<result_type>>(std::vector<uint32_t>{1},
                                                      std::move(exec),
                                                      nullptr)) {
    out_->finished_by_executor();
    out_->set_progress(reporter());
    set_caller(out_);
  }

  /// The caller's side.
  const std::shared_ptr<typed_state<result_type>>& out() const noexcept {
    return out_;
  }

protected:
  void scan(const std::string&, uint32_t, size_t first,
            const std::function<bool(size_t)>& matched) override {
    auto ys = results_->take(first / chunksize_);
    for (size_t j = 0; j < ys.size(); ++j) {
      if (pred_(static_cast<const R&>(ys[j]))) {
        if (matched(first + j))
          best_.emplace(std::move(ys[j]));
        return;
      }
    }
  }

  void finish(const stream_counts& counts, bool found, size_t index,
              std::chrono::nanoseconds stop_latency) override {
    results_->close();
    result_type r;
    if (found && best_)
      r.set_match(std::move(*best_), index);
    r.set_counts(counts.completed, counts.cancelled, counts.never_started);
    r.set_stop_latency(stop_latency);
    out_->set_value(std::move(r));
  }

  void finish(const caf::error& err, size_t chunk) override {
    results_->close();
    if (chunk != SIZE_MAX)
      if (auto ep = results_->take_thrown(chunk))
        out_->set_thrown(std::move(ep));
    out_->fail(0, err);
  }

private:
  Pred pred_;
  size_t chunksize_;
  std::shared_ptr<closure_stream<R>> results_;
  std::optional<R> best_;
  std::shared_ptr<typed_state<result_type>> out_;
};

/// A `find_first` of any callable `f` over `xs` on a thread pool, read
/// lazily in chunks of `opts.chunksize()` items through the same search
/// machinery as a task's.
template <class R, class F, class Range, class Pred>
async_result<find_result<R>> open_closure_find(pool_channel& ch, const F& f,
                                               Range&& xs, Pred pred,
                                               const find_options& opts) {
  auto total = size_of(xs);
  auto results = std::make_shared<closure_stream<R>>();
  auto feed = std::make_shared<
    closure_feed<R, false, F, Range>>(f, std::forward<Range>(xs),
                                      opts.chunksize(), results);
  chunk_source src = [feed](encoded_chunk& c) {
    return feed->next(c);
  };
  auto st = std::make_shared<closure_find_state<R, Pred>>(ch.executor(), opts,
                                                          total,
                                                          std::move(pred),
                                                          std::move(results));
  async_result<find_result<R>> out{st->out()};
  start_search(ch, closure_task_name(), std::move(st),
               {std::move(src), nullptr}, opts);
  return out;
}

} // namespace actorpool::detail
