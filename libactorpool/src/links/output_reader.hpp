#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

namespace actorpool::detail {

/// `(output_done_atom, uint64_t wid)`: the output reader of worker `wid`
/// has printed everything and closed its pipes.
using output_done_atom = caf::atom_constant<caf::atom("outputdone")>;

/// The parent's read ends of a worker's stdout and stderr pipes.
struct output_pipes {
  int out = -1;
  int err = -1;
};

/// The parent's side of one worker's output when the pool prefixes it: a
/// detached actor (one thread per worker) that reads the worker's stdout
/// and stderr pipes and writes every complete line, with the prefix in
/// front, to this program's stdout or stderr in one `write` (so lines of
/// different workers never mix, and each arrives as soon as it ends, also
/// when the program's output is a pipe or a file). A last line without its
/// newline gets one at the end of its stream; a line longer than
/// `max_line` bytes is cut into lines of that length. The reader ends once
/// both pipes reached EOF, or at `finish()`.
class output_reader {
public:
  static constexpr size_t max_line = 64 * 1024;

  /// Creates the descriptor that `finish()` signals (close-on-exec); fails
  /// with `errc::worker_start_failed` when no descriptor is left.
  static caf::expected<output_reader> prepare();

  /// Starts the reading actor, which takes `pipes` (closes them when done)
  /// and sends `(output_done_atom, wid)` to `owner` when it ends.
  void start(caf::actor_system& sys, output_pipes pipes, std::string prefix,
             caf::actor owner, uint64_t wid);

  /// The worker has ended: the reader prints what its pipes hold now
  /// without waiting for more (a process the worker started may keep them
  /// open), closes them and ends. Never blocks; later calls do nothing.
  void finish();

  /// The descriptor `finish()` signals, shared with the reading actor.
  class wake_fd;

private:
  std::shared_ptr<wake_fd> wake_;
};

} // namespace actorpool::detail
