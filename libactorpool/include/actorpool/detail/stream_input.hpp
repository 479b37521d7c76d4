#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/detail/push_gate.hpp"
#include "actorpool/detail/range_reader.hpp"

namespace actorpool::detail {

/// Produces the next chunk of a lazily read input: returns false once the
/// input is exhausted (and `out` is empty), throws what the input throws.
/// Runs in the stream's feeder actor, never in the consumer's thread.
using chunk_source = std::function<bool(encoded_chunk& out)>;

/// A source reading `xs` lazily, `chunksize` items a chunk, as arguments of
/// a task taking `ArgsTuple`: nothing is read before the feeder asks, and
/// only one chunk is encoded at a time. Holds `xs` itself when given an
/// rvalue and a reference to it otherwise (see `range_reader`).
template <class ArgsTuple, class Range>
chunk_source lazy_source(Range&& xs, size_t chunksize) {
  using reader = range_reader<Range, ArgsTuple, false>;
  auto rd = std::make_shared<reader>(std::forward<Range>(xs), chunksize);
  return [rd](encoded_chunk& out) {
    return rd->next(out);
  };
}

/// `src`, counting the items it reads and the end of its input on `rep`
/// (`src` itself without a reporter).
inline chunk_source counted_source(chunk_source src,
                                   progress_reporter_ptr rep) {
  if (!rep)
    return src;
  return [src = std::move(src), rep](encoded_chunk& out) {
    if (!src(out)) {
      rep->end_of_input();
      return false;
    }
    rep->add_read(out.count);
    return true;
  };
}

/// Where the inputs of a stream come from: pulled from `source` by a feeder
/// actor as the consumer returns credit, or, when `gate` is set, pushed by
/// the `put` calls of producer threads through that gate.
struct stream_input {
  chunk_source source;
  std::shared_ptr<push_gate> gate;
};

} // namespace actorpool::detail
