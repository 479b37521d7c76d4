#include "actorpool/detail/result_state.hpp"

#include "actorpool/async_result.hpp"

#include <cstdio>

namespace actorpool::detail {

job::~job() {
  // nop
}

bool job::abandoned() const noexcept {
  return false;
}

void stream_job::settled(const stream_counts&) {
  // nop
}

callback_executor::~callback_executor() {
  // nop
}

bool callback_executor::runs_here() const noexcept {
  return false;
}

result_state::result_state(size_t chunks, executor_ptr exec)
  : remaining_(chunks), chunks_(chunks), delivered_(chunks, false),
    exec_(std::move(exec)) {
  if (chunks == 0) {
    finished_ = true;
    ready_ = true;
  }
}

result_state::~result_state() {
  // nop
}

void result_state::deliver(size_t index, uint32_t count,
                           std::string&& payload) {
  std::unique_lock<std::mutex> guard{mtx_};
  if (finished_ || index >= chunks_.size() || delivered_[index])
    return;
  if (progress_)
    progress_->add_completed(count);
  delivered_[index] = true;
  chunks_[index] = std::move(payload);
  if (--remaining_ == 0)
    finish(guard);
}

void result_state::fail(size_t, const caf::error& err) {
  std::unique_lock<std::mutex> guard{mtx_};
  if (finished_)
    return;
  err_ = err;
  finish(guard);
}

bool result_state::abandoned() const noexcept {
  return abandoned_;
}

void result_state::finish(std::unique_lock<std::mutex>& guard) {
  finished_ = true;
  auto fns = std::move(callbacks_);
  callbacks_.clear();
  if (progress_) // the final report comes first, and before `ready`
    fns.insert(fns.begin(), [rep = progress_] { rep->finish_here(); });
  auto early = std::move(finish_listeners_);
  finish_listeners_.clear();
  guard.unlock();
  cv_.notify_all(); // callbacks that wait for this state need no more
  for (auto& fn : early)
    fn();
  if (fns.empty()) {
    make_ready();
  } else if (!exec_) {
    for (auto& fn : fns)
      run_callback(fn);
    make_ready();
  } else {
    // One message per callback, so one that throws cannot hold back the
    // others; `ready` follows them, and the state lives until then.
    for (auto& fn : fns)
      exec_->post(std::move(fn));
    auto self = std::static_pointer_cast<result_state>(shared_from_this());
    exec_->post([self] { self->make_ready(); });
  }
}

void result_state::make_ready() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    ready_ = true;
    listeners.swap(ready_listeners_);
  }
  cv_.notify_all();
  for (auto& fn : listeners)
    fn();
}

void result_state::on_ready(std::function<void()> fn) {
  auto on_exec = on_executor();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!ready_here(on_exec)) {
      (on_exec ? finish_listeners_ : ready_listeners_)
        .emplace_back(std::move(fn));
      return;
    }
  }
  fn();
}

void result_state::set_progress(progress_reporter_ptr rep) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!finished_) {
      progress_ = std::move(rep);
      return;
    }
  }
  if (rep)
    rep->finish_and_wait();
}

void result_state::report_here(bool on_exec) const {
  if (!on_exec)
    return;
  std::unique_lock<std::mutex> guard{mtx_};
  auto rep = finished_ ? progress_ : nullptr;
  guard.unlock();
  if (rep)
    rep->finish_here();
}

void result_state::set_canceller(std::function<void()> fn) {
  std::lock_guard<std::mutex> guard{mtx_};
  canceller_ = std::move(fn);
}

bool result_state::cancel() {
  std::unique_lock<std::mutex> guard{mtx_};
  if (finished_)
    return false;
  err_ = make_error(errc::cancelled, std::string{"cancelled"});
  auto fn = canceller_;
  finish(guard);
  if (fn)
    fn();
  return true;
}

bool result_state::cancelled() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return finished_ && err_.category() == errc_category
         && (err_.code() == static_cast<uint8_t>(errc::cancelled)
             || err_.code() == static_cast<uint8_t>(errc::terminated));
}

bool result_state::on_executor() const noexcept {
  return exec_ && exec_->runs_here();
}

bool result_state::ready_here(bool on_exec) const noexcept {
  return ready_ || (on_exec && finished_);
}

void result_state::check_waitable(bool on_exec) const {
  if (on_exec && !finished_ && finished_by_executor_)
    throw state_error(errc::invalid_state,
                      "waiting inside a callback for a search of the same "
                      "pool: it is decided on this thread, after the callback");
}

void result_state::check_waitable() const {
  auto on_exec = on_executor();
  std::lock_guard<std::mutex> guard{mtx_};
  check_waitable(on_exec);
}

void result_state::wait() const {
  auto on_exec = on_executor();
  std::unique_lock<std::mutex> guard{mtx_};
  check_waitable(on_exec);
  cv_.wait(guard, [&] { return ready_here(on_exec); });
  guard.unlock();
  report_here(on_exec);
}

bool result_state::wait_for(std::chrono::nanoseconds timeout) const {
  auto on_exec = on_executor();
  std::unique_lock<std::mutex> guard{mtx_};
  check_waitable(on_exec);
  if (!cv_.wait_for(guard, timeout, [&] { return ready_here(on_exec); }))
    return false;
  guard.unlock();
  report_here(on_exec);
  return true;
}

bool result_state::ready() const {
  auto on_exec = on_executor();
  std::lock_guard<std::mutex> guard{mtx_};
  return ready_here(on_exec);
}

bool result_state::successful() const {
  auto on_exec = on_executor();
  std::lock_guard<std::mutex> guard{mtx_};
  return ready_here(on_exec) && !err_;
}

caf::error result_state::error() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return finished_ ? err_ : caf::error{};
}

void result_state::on_complete(std::function<void()> fn) {
  std::unique_lock<std::mutex> guard{mtx_};
  if (!finished_) {
    callbacks_.emplace_back(std::move(fn));
    return;
  }
  if (ready_) {
    guard.unlock();
    fn();
    return;
  }
  // Finished, callbacks still running: queue behind them.
  guard.unlock();
  exec_->post(std::move(fn));
}

void run_callback(const std::function<void()>& fn) noexcept {
  try {
    fn();
  } catch (const std::exception& e) {
    fprintf(stderr, "actorpool: a callback threw %s: %s\n",
            current_exception_type_name().c_str(), e.what());
  } catch (...) {
    fprintf(stderr, "actorpool: a callback threw %s\n",
            current_exception_type_name().c_str());
  }
}

void result_state::throw_failure(const caf::error& err) const {
  if (auto ep = thrown())
    std::rethrow_exception(ep);
  throw_error(err);
}

void call_with_exception(const caf::error& err,
                         const std::function<void(const std::exception&)>& fn,
                         std::exception_ptr thrown) {
  try {
    if (thrown)
      std::rethrow_exception(thrown);
    throw_error(err);
  } catch (const std::exception& e) {
    fn(e);
  } catch (...) {
    call_with_exception(err, fn, nullptr); // not a std::exception
  }
}

} // namespace actorpool::detail
