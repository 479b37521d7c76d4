#include "actorpool/detail/progress_reporter.hpp"

#include <algorithm>

namespace actorpool::detail {

// -- progress_meter -----------------------------------------------------------

progress_meter::progress_meter(std::optional<uint64_t> total,
                               clock_type::time_point start)
  : total_(total), start_(start) {
  // nop
}

progress progress_meter::snapshot(clock_type::time_point now,
                                  bool finished) const {
  progress p;
  p.completed = completed_;
  p.total = total_;
  // Items are read before their results arrive; counted from two threads,
  // the read count may lag for a moment.
  p.read = std::max(read_, completed_);
  p.elapsed = now - start_;
  p.finished = finished;
  if (p.elapsed.count() > 0)
    p.rate = static_cast<double>(completed_) / p.elapsed.count();
  if (total_ && p.rate > 0 && *total_ >= completed_)
    p.eta = std::chrono::duration<double>{
      static_cast<double>(*total_ - completed_) / p.rate};
  return p;
}

// -- progress_reporter --------------------------------------------------------

progress_reporter::progress_reporter(progress_observer fn,
                                     std::chrono::milliseconds interval,
                                     std::optional<uint64_t> total,
                                     executor_ptr exec)
  : meter_(total, clock_type::now()), interval_(interval),
    last_post_(clock_type::now()), exec_(std::move(exec)), fn_(std::move(fn)) {
  // nop
}

progress_reporter_ptr
progress_reporter::make(const progress_observer& fn,
                        std::chrono::milliseconds interval,
                        std::optional<uint64_t> total, executor_ptr exec) {
  if (!fn)
    return nullptr;
  return std::make_shared<progress_reporter>(fn, interval, total,
                                             std::move(exec));
}

void progress_reporter::add_read(uint64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  meter_.add_read(n);
}

void progress_reporter::end_of_input() {
  std::lock_guard<std::mutex> guard{mtx_};
  meter_.end_of_input();
}

void progress_reporter::add_completed(uint64_t n) {
  auto now = clock_type::now();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    meter_.add_completed(n);
    if (final_posted_ || now - last_post_ < interval_)
      return;
    last_post_ = now;
  }
  if (!exec_) {
    run(false);
    return;
  }
  auto self = shared_from_this();
  exec_->post([self] { self->run(false); });
}

void progress_reporter::finish() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (final_posted_)
      return;
    final_posted_ = true;
  }
  if (!exec_) {
    run(true);
    return;
  }
  auto self = shared_from_this();
  exec_->post([self] { self->run(true); });
}

void progress_reporter::finish_here() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    final_posted_ = true;
  }
  run(true);
}

void progress_reporter::finish_and_wait() {
  if (!exec_ || exec_->runs_here()) {
    finish_here();
    return;
  }
  finish();
  std::unique_lock<std::mutex> guard{mtx_};
  cv_.wait(guard, [this] { return done_; });
}

bool progress_reporter::finished() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return done_;
}

void progress_reporter::run(bool last) {
  progress p;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (done_)
      return;
    p = meter_.snapshot(clock_type::now(), last);
  }
  if (fn_) {
    try {
      fn_(p);
    } catch (...) {
      fn_ = nullptr; // an observer that throws is not called again
    }
  }
  if (!last)
    return;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    done_ = true;
  }
  cv_.notify_all();
}

} // namespace actorpool::detail
