#include "links/output_reader.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/errc.hpp"
#include "base/atoms.hpp"
#include "os/spawn.hpp"

namespace actorpool::detail {

/// An eventfd that stays readable once signalled; closed with its last
/// owner (the link's handle or the reader).
class output_reader::wake_fd {
public:
  explicit wake_fd(int fd) : fd_(fd) {
    // nop
  }

  ~wake_fd() {
    close_fd(fd_);
  }

  int fd() const noexcept {
    return fd_;
  }

  void signal() {
    uint64_t one = 1;
    while (write(fd_, &one, sizeof(one)) < 0 && errno == EINTR)
      ; // nop
  }

private:
  int fd_;
};

namespace {

// One stream of a worker: the pipe it is read from, where its lines go,
// and the start of a line that has not ended yet.
struct stream_buf {
  int fd = -1;
  int target = -1;
  std::string pending;
};

struct reader_state {
  stream_buf streams[2];
  std::string prefix;
  std::shared_ptr<output_reader::wake_fd> wake;
  caf::actor owner;
  uint64_t wid = 0;
  bool sigpipe_blocked = false;
  const char* name = "actorpool.output_reader";
};

using reader_actor = caf::stateful_actor<reader_state>;

// The reader's thread writes to the program's stdout and stderr: when one is
// a pipe whose reader is gone, the write fails with EPIPE instead of killing
// the program (the signal stays pending on this thread, which ends with the
// reader).
void block_sigpipe() {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
}

// Writes all of `line`; gives up (drops the line) when the program's output
// is gone.
void write_all(int fd, const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    auto n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<size_t>(n);
  }
}

void emit(const std::string& prefix, int target, const char* text, size_t n) {
  std::string line;
  line.reserve(prefix.size() + n + 1);
  line.append(prefix).append(text, n).push_back('\n');
  write_all(target, line);
}

// Prints the complete lines in `s.pending` and keeps the rest.
void print_lines(const std::string& prefix, stream_buf& s) {
  size_t pos = 0;
  for (;;) {
    auto nl = s.pending.find('\n', pos);
    if (nl == std::string::npos)
      break;
    emit(prefix, s.target, s.pending.data() + pos, nl - pos);
    pos = nl + 1;
  }
  while (s.pending.size() - pos >= output_reader::max_line) {
    emit(prefix, s.target, s.pending.data() + pos, output_reader::max_line);
    pos += output_reader::max_line;
  }
  s.pending.erase(0, pos);
}

void end_stream(const std::string& prefix, stream_buf& s) {
  if (!s.pending.empty())
    emit(prefix, s.target, s.pending.data(), s.pending.size());
  s.pending.clear();
  close_fd(s.fd);
  s.fd = -1;
}

enum class read_outcome { data, empty, eof };

// One read from `s`'s pipe: its lines are printed, and the stream ends at
// EOF or on an error.
read_outcome read_chunk(const std::string& prefix, stream_buf& s) {
  char buf[16 * 1024];
  ssize_t n;
  do {
    n = read(s.fd, buf, sizeof(buf));
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return read_outcome::empty;
  if (n <= 0) {
    end_stream(prefix, s);
    return read_outcome::eof;
  }
  s.pending.append(buf, static_cast<size_t>(n));
  print_lines(prefix, s);
  return read_outcome::data;
}

// Reads what the pipe holds now (at most 1 MiB, so that a writer that never
// stops cannot keep the reader here), then ends the stream.
void drain(const std::string& prefix, stream_buf& s) {
  if (s.fd < 0)
    return;
  fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
  for (int i = 0; i < 64; ++i)
    if (read_chunk(prefix, s) != read_outcome::data)
      break;
  if (s.fd >= 0)
    end_stream(prefix, s);
}

void finish_reader(reader_actor* self) {
  auto& st = self->state;
  for (auto& s : st.streams)
    drain(st.prefix, s);
  caf::anon_send(st.owner, output_done_atom::value, st.wid);
  self->quit();
}

// One blocking poll per message, then a message to itself for the next:
// the loop stays an actor, on its own thread (the reader is detached).
void read_once(reader_actor* self) {
  auto& st = self->state;
  if (!st.sigpipe_blocked) {
    block_sigpipe(); // on the reader's own thread
    st.sigpipe_blocked = true;
  }
  pollfd fds[3] = {{st.streams[0].fd, POLLIN, 0},
                   {st.streams[1].fd, POLLIN, 0},
                   {st.wake->fd(), POLLIN, 0}};
  if (poll(fds, 3, -1) < 0 && errno != EINTR) {
    finish_reader(self);
    return;
  }
  for (int i = 0; i < 2; ++i)
    if (fds[i].revents != 0)
      read_chunk(st.prefix, st.streams[i]);
  if (fds[2].revents != 0 || (st.streams[0].fd < 0 && st.streams[1].fd < 0))
    finish_reader(self);
  else
    self->send(self, read_atom::value);
}

caf::behavior reader(reader_actor* self, output_pipes pipes, std::string prefix,
                     std::shared_ptr<output_reader::wake_fd> wake,
                     caf::actor owner, uint64_t wid) {
  auto& st = self->state;
  st.streams[0] = stream_buf{pipes.out, STDOUT_FILENO, {}};
  st.streams[1] = stream_buf{pipes.err, STDERR_FILENO, {}};
  st.prefix = std::move(prefix);
  st.wake = std::move(wake);
  st.owner = std::move(owner);
  st.wid = wid;
  self->send(self, read_atom::value);
  return {
    [=](read_atom) { read_once(self); },
  };
}

} // namespace

caf::expected<output_reader> output_reader::prepare() {
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    return make_error(errc::worker_start_failed,
                      std::string{"cannot start a worker: eventfd: "}
                        + strerror(errno));
  output_reader result;
  result.wake_ = std::make_shared<wake_fd>(fd);
  return result;
}

void output_reader::start(caf::actor_system& sys, output_pipes pipes,
                          std::string prefix, caf::actor owner, uint64_t wid) {
  sys.spawn<caf::detached>(reader, pipes, std::move(prefix), wake_,
                           std::move(owner), wid);
}

void output_reader::finish() {
  if (wake_)
    wake_->signal();
  wake_ = nullptr;
}

} // namespace actorpool::detail
