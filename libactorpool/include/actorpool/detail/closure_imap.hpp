#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/call_options.hpp"
#include "actorpool/detail/closure.hpp"
#include "actorpool/detail/closure_stream.hpp"
#include "actorpool/detail/pool_channel.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/detail/range_reader.hpp"
#include "actorpool/detail/stream_input.hpp"
#include "actorpool/detail/stream_state.hpp"
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

} // namespace actorpool::detail
