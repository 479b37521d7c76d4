#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

namespace actorpool {

/// How far a long run (`find_first`, a `task_stream`) has got.
struct progress {
  /// Items whose results have been seen.
  uint64_t completed = 0;
  /// Items in the input, when known (sized ranges).
  std::optional<uint64_t> total;
  /// Time since the run started.
  std::chrono::duration<double> elapsed{0};
  /// Average items per second since the start.
  double rate = 0;
  /// Estimated time to go, when `total` is known and the rate is not zero.
  std::optional<std::chrono::duration<double>> eta;
  /// True for the last report of a run.
  bool finished = false;
};

/// Receives progress reports. Runs on the pool's callback thread, at most
/// once per reporting interval plus once at the end; keep it short.
using progress_observer = std::function<void(const progress&)>;

/// A progress observer that draws one line on a terminal, redrawn in place:
/// `label [#######.............] 35% 17500/50000 8750/s ETA 3.7s`. It draws
/// nothing when its stream is not a terminal (a pipe, a file, a CI log), so
/// apps can always attach it. Copies share the stream; not thread-safe (the
/// pool calls observers from one thread).
class progress_bar {
public:
  /// Draws on `out` (default: stderr) if it is a terminal.
  explicit progress_bar(std::string label = {}, std::FILE* out = stderr);

  /// Whether the bar draws anything at all.
  bool enabled() const noexcept {
    return enabled_;
  }

  /// Redraws the line; ends it with a newline on the last report.
  void operator()(const progress& p) const;

  /// The line `operator()` draws, without control characters (for tests).
  std::string render(const progress& p) const;

private:
  std::string label_;
  std::FILE* out_;
  bool enabled_;
};

} // namespace actorpool
