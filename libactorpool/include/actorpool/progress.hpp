#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace actorpool {

/// How far a long run (`map`, `imap`, `find_first`, a stream) has got.
struct progress {
  /// Items whose results (or failures) have arrived.
  uint64_t completed = 0;
  /// Items in the input, when known: from the start for sized inputs (a
  /// `map`, a range with `std::size`), and for other inputs (generators,
  /// input ranges, `put` calls) once their end has been read, when it
  /// becomes `read`.
  std::optional<uint64_t> total;
  /// Items taken from the input so far (never less than `completed`; all
  /// of them for a `map`, which reads its input before it starts).
  uint64_t read = 0;
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
/// once per reporting interval while results arrive, plus exactly once at
/// the end with `finished` set; keep it short. An observer that throws is
/// not called again.
using progress_observer = std::function<void(const progress&)>;

/// The progress setting an options type (`call_options`, `stream_options`,
/// `find_options`) carries; `Options` is that type, which each setter
/// returns. When reports come is described by each options type.
template <class Options>
class progress_option {
public:
  /// Calls `fn` with the run's progress on the pool's callback thread, at
  /// most every `interval` while results arrive, and exactly once more at
  /// the end with `finished` set.
  Options&
  on_progress(progress_observer fn,
              std::chrono::milliseconds interval = std::chrono::milliseconds{
                100}) {
    progress_ = std::move(fn);
    progress_interval_ = interval;
    return static_cast<Options&>(*this);
  }

  /// The observer (empty: none).
  const progress_observer& progress_fn() const noexcept {
    return progress_;
  }

  /// The shortest time between two reports.
  std::chrono::milliseconds progress_interval() const noexcept {
    return progress_interval_;
  }

private:
  progress_observer progress_;
  std::chrono::milliseconds progress_interval_{100};
};

/// A progress observer that draws one line on a terminal, redrawn in place:
/// `label [#######.............] 35% 17.5k/50.0k 8750/s ETA 3.7s`, or,
/// while the total is unknown, `label 17.5k/17.6k+ 8750/s` (completed, then
/// read so far, the `+` saying more may come; no bar, no ETA). Numbers
/// from 10,000 up are shortened (`13.8M/s`); the line fits the terminal's
/// width at each redraw (the bar narrows, then goes, then the label is cut),
/// so it never wraps. It draws
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

  /// The line `operator()` draws, without control characters (for tests),
  /// at most `columns - 1` characters long; 0: no width limit, a bar of 20.
  std::string render(const progress& p, size_t columns = 0) const;

  /// `x` in at most five characters from 10,000 up: `12.3k`, `13.8M`,
  /// `1.05G`; smaller numbers as integers.
  static std::string short_number(double x);

private:
  std::string label_;
  std::FILE* out_;
  bool enabled_;
};

} // namespace actorpool
