#include "workloads_raw.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "runs.hpp"

namespace bench {

namespace {

constexpr size_t message_bytes = 64;
constexpr size_t roundtrips = 2'000;

/// Reads exactly `n` bytes; false on EOF or error.
bool read_all(int fd, char* buf, size_t n) {
  while (n > 0) {
    auto got = read(fd, buf, n);
    if (got <= 0)
      return false;
    buf += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

/// Writes exactly `n` bytes; false on error.
bool write_all(int fd, const char* buf, size_t n) {
  while (n > 0) {
    auto put = write(fd, buf, n);
    if (put <= 0)
      return false;
    buf += put;
    n -= static_cast<size_t>(put);
  }
  return true;
}

/// A forked child on the other end of a socketpair that, for every `in`
/// bytes it reads, answers with `out` bytes, until EOF. The child calls
/// only async-signal-safe functions (the bench has threads), with a buffer
/// allocated before the fork.
class echo_child {
public:
  echo_child(size_t in, size_t out) : buf_(std::max(in, out), 'x') {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw std::runtime_error("raw limits: socketpair failed");
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[0]);
      while (read_all(fds[1], buf_.data(), in)
             && write_all(fds[1], buf_.data(), out))
        ; // nop
      _exit(0);
    }
    close(fds[1]);
    fd_ = fds[0];
    if (pid_ < 0)
      throw std::runtime_error("raw limits: fork failed");
  }

  ~echo_child() {
    close(fd_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

  int fd() const noexcept {
    return fd_;
  }

private:
  std::string buf_;
  int fd_ = -1;
  pid_t pid_ = -1;
};

/// Seconds for `n` exchanges of `in` bytes there and `out` bytes back.
double exchange(size_t n, size_t in, size_t out) {
  echo_child child{in, out};
  std::string there(in, 'y');
  std::string back(out, 'z');
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i)
    if (!write_all(child.fd(), there.data(), in)
        || !read_all(child.fd(), back.data(), out))
      throw verification_error("raw limits: the child went away");
  std::chrono::duration<double> dt = std::chrono::steady_clock::now() - start;
  return dt.count();
}

figure run_raw_roundtrip(const run_config& cfg) {
  auto n = std::min(roundtrips, cfg.size.apply_calls * 10);
  auto secs = median_of_runs(cfg, "raw_roundtrip", [&] {
    return exchange(n, message_bytes, message_bytes);
  });
  return make_figure("raw_roundtrip", "raw", 1, n, secs,
                     secs * 1e6 / static_cast<double>(n));
}

figure run_raw_1mib(const run_config& cfg) {
  auto n = cfg.size.payload_calls;
  auto secs = median_of_runs(cfg, "raw_1mib", [&] {
    return exchange(n, cfg.size.payload_bytes, 8);
  });
  return make_figure("raw_1mib", "raw", 1, n, secs);
}

const figure* find(const std::vector<figure>& xs, const std::string& name) {
  for (auto& x : xs)
    if (x.workload == name)
      return &x;
  return nullptr;
}

std::string fixed(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f", x);
  return buf;
}

} // namespace

const std::vector<workload>& raw_workloads() {
  static const std::vector<workload> result{
    {"raw_roundtrip", run_raw_roundtrip},
    {"raw_1mib", run_raw_1mib},
  };
  return result;
}

std::vector<std::string> raw_ratio_lines(const std::vector<figure>& figures) {
  std::vector<std::string> lines;
  auto rtt = find(figures, "raw_roundtrip");
  auto mib = find(figures, "raw_1mib");
  for (auto& x : figures) {
    if (x.impl == "raw")
      continue;
    if (rtt && rtt->latency_us && *rtt->latency_us > 0 && x.latency_us)
      lines.push_back("workload=" + x.workload + " ratio_to_raw_roundtrip="
                      + fixed(*x.latency_us / *rtt->latency_us));
    if (mib && mib->tasks_per_s > 0 && x.workload == "payload_1mib")
      lines.push_back("workload=" + x.workload + " ratio_to_raw_1mib="
                      + fixed(x.tasks_per_s / mib->tasks_per_s));
  }
  return lines;
}

} // namespace bench
