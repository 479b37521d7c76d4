#include "support/test_tasks.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "actorpool/task.hpp"

namespace actorpool::test {

namespace {

// Written by an initializer in every thread of a thread pool at once, hence
// atomic; each worker process has its own.
std::atomic<int> marker{0};

// Lets tests make worker processes fail to start: a worker process started
// with ACTORPOOL_TEST_WORKER_EXIT=<code> exits with that code while static
// initializers run; with ACTORPOOL_TEST_WORKER_HANG set it never gets going.
const bool worker_start_hooks = [] {
  if (std::getenv("ACTORPOOL_WORKER") == nullptr)
    return false;
  if (auto code = std::getenv("ACTORPOOL_TEST_WORKER_EXIT"))
    _exit(std::atoi(code));
  if (std::getenv("ACTORPOOL_TEST_WORKER_HANG") != nullptr)
    for (;;)
      pause();
  return true;
}();

void pause_for(double s) {
  std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

} // namespace

int sqr(int x) {
  return x * x;
}

int sqr_wait(int x, double wait_s) {
  pause_for(wait_s);
  return x * x;
}

int mul(int x, int y) {
  return x * y;
}

int identity(int x) {
  return x;
}

void sleep_seconds(double s) {
  pause_for(s);
}

void raise_large_value_error(double wait_s) {
  pause_for(wait_s);
  throw value_error(std::string(size_t{1} << 20, 'x'));
}

int raising() {
  throw key_error("key");
}

unsendable unsendable_result() {
  return unsendable{42};
}

int accepts_unsendable(unsendable x) {
  return x.value;
}

int worker_pid() {
  return static_cast<int>(getpid());
}

int worker_pid_wait(double wait_s) {
  pause_for(wait_s);
  return static_cast<int>(getpid());
}

void set_marker(int value) {
  marker = value;
}

int read_marker() {
  return marker;
}

int read_marker_of(int) {
  return marker;
}

void failing_initializer() {
  throw std::runtime_error("initializer refuses");
}

point scale_point(point p, int k) {
  return point{p.x * k, p.y * k, p.label + "*" + std::to_string(k)};
}

std::string repeat(std::string s, int n) {
  std::string result;
  for (int i = 0; i < n; ++i)
    result += s;
  return result;
}

size_t payload_size(std::string s) {
  return s.size();
}

int parse_int(std::string s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    throw value_error("invalid literal for int(): '" + s + "'");
  return std::stoi(s);
}

void raise_runtime_error(std::string what) {
  throw std::runtime_error(what);
}

throwing_range::iterator::iterator(int pos, int total, int when)
  : pos_(pos), total_(total), when_(when) {
  if (pos_ < total_)
    check();
}

void throwing_range::iterator::check() const {
  if (pos_ == when_)
    throw say_when_error("Somebody said when");
}

throwing_range::iterator& throwing_range::iterator::operator++() {
  ++pos_;
  if (pos_ < total_)
    check();
  return *this;
}

throwing_range::iterator throwing_range::begin() const {
  if (when_ == -1)
    throw say_when_error("Somebody said when");
  return iterator{0, total_, when_};
}

throwing_range::iterator throwing_range::end() const {
  return iterator{total_, total_, when_};
}

const int& special_iterable::iterator::operator*() const {
  throw say_when_error("Somebody said when");
}

} // namespace actorpool::test

ACTORPOOL_EXCEPTION(actorpool::test::value_error)
ACTORPOOL_EXCEPTION(actorpool::test::key_error)
ACTORPOOL_EXCEPTION(actorpool::test::say_when_error)

ACTORPOOL_TASK(actorpool::test::sqr)
ACTORPOOL_TASK(actorpool::test::sqr_wait)
ACTORPOOL_TASK(actorpool::test::mul)
ACTORPOOL_TASK(actorpool::test::identity)
ACTORPOOL_TASK(actorpool::test::sleep_seconds)
ACTORPOOL_TASK(actorpool::test::raise_large_value_error)
ACTORPOOL_TASK(actorpool::test::raising)
ACTORPOOL_TASK(actorpool::test::unsendable_result)
ACTORPOOL_TASK(actorpool::test::accepts_unsendable)
ACTORPOOL_TASK(actorpool::test::worker_pid)
ACTORPOOL_TASK(actorpool::test::worker_pid_wait)
ACTORPOOL_TASK(actorpool::test::set_marker)
ACTORPOOL_TASK(actorpool::test::read_marker)
ACTORPOOL_TASK(actorpool::test::read_marker_of)
ACTORPOOL_TASK(actorpool::test::failing_initializer)
ACTORPOOL_TASK(actorpool::test::scale_point)
ACTORPOOL_TASK(actorpool::test::repeat)
ACTORPOOL_TASK(actorpool::test::payload_size)
ACTORPOOL_TASK(actorpool::test::parse_int)
ACTORPOOL_TASK(actorpool::test::raise_runtime_error)
