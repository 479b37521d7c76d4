#include "actorpool/detail/stream_state.hpp"

namespace actorpool::detail {

stream_state::stream_state(bool ordered) : ordered_(ordered) {
  // nop
}

stream_state::~stream_state() {
  // nop
}

void stream_state::deliver(size_t index, uint32_t count,
                           std::string&& payload) {
  stream_chunk c;
  c.what = stream_chunk::kind::values;
  c.index = index;
  c.payload = std::move(payload);
  c.count = count;
  if (progress_)
    progress_->add_completed(count);
  std::lock_guard<std::mutex> guard{mtx_};
  if (ordered_)
    by_index_.emplace(index, std::move(c));
  else
    arrived_.emplace_back(std::move(c));
  cv_.notify_all();
}

void stream_state::fail(size_t index, const caf::error& err) {
  stream_chunk c;
  c.what = stream_chunk::kind::task_error;
  c.index = index;
  c.err = err;
  if (progress_)
    progress_->add_completed(1);
  std::lock_guard<std::mutex> guard{mtx_};
  if (ordered_)
    by_index_.emplace(index, std::move(c));
  else
    arrived_.emplace_back(std::move(c));
  cv_.notify_all();
}

bool stream_state::abandoned() const noexcept {
  return abandoned_;
}

void stream_state::end(size_t total) {
  std::lock_guard<std::mutex> guard{mtx_};
  total_ = total;
  cv_.notify_all();
}

void stream_state::input_failed(size_t index, std::exception_ptr ep) {
  std::lock_guard<std::mutex> guard{mtx_};
  total_ = index;
  error_index_ = index;
  terminal_.what = stream_chunk::kind::input_error;
  terminal_.input_error = ep;
  cv_.notify_all();
}

void stream_state::abort(const caf::error& err) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (error_index_)
    return; // the input error stays the reason
  error_index_ = ordered_ ? next_index_ + by_index_.size() : handed_out_;
  terminal_.what = stream_chunk::kind::end;
  terminal_.err = err;
  cv_.notify_all();
}

void stream_state::settled(const stream_counts&) {
  if (progress_)
    progress_->finish();
  std::lock_guard<std::mutex> guard{mtx_};
  settled_ = true;
  cv_.notify_all();
}

void stream_state::set_credit_sink(std::function<void(size_t)> fn,
                                   size_t batch) {
  std::lock_guard<std::mutex> guard{mtx_};
  credit_ = std::move(fn);
  credit_batch_ = std::max<size_t>(batch, 1);
}

// The end of the stream (normal, input error or abort) comes after every
// chunk before it; with an abort, chunks still missing are not waited for.
bool stream_state::take(stream_chunk& out) {
  if (ordered_ ? take_ordered(out) : take_unordered(out)) {
    ++handed_out_;
    ++unsent_credit_;
    return true;
  }
  bool aborted = error_index_ && terminal_.what == stream_chunk::kind::end;
  auto reached = ordered_ ? next_index_ : handed_out_;
  if (settled_ && ordered_ && !by_index_.empty() && !aborted) {
    // A stopped stream: skip the chunks the stop left out.
    next_index_ = by_index_.begin()->first;
    return take(out);
  }
  if ((error_index_ && (reached >= *error_index_ || aborted))
      || (total_ && reached >= *total_) || settled_) {
    out = error_index_ ? terminal_ : stream_chunk{};
    out.what = error_index_ ? terminal_.what : stream_chunk::kind::end;
    return true;
  }
  return false;
}

bool stream_state::take_ordered(stream_chunk& out) {
  auto i = by_index_.find(next_index_);
  if (i == by_index_.end())
    return false;
  out = std::move(i->second);
  by_index_.erase(i);
  ++next_index_;
  return true;
}

bool stream_state::take_unordered(stream_chunk& out) {
  if (arrived_.empty())
    return false;
  out = std::move(arrived_.front());
  arrived_.pop_front();
  return true;
}

void stream_state::flush_credit(std::unique_lock<std::mutex>& guard) {
  if (unsent_credit_ == 0 || !credit_)
    return;
  auto n = unsent_credit_;
  auto fn = credit_;
  unsent_credit_ = 0;
  guard.unlock();
  fn(n);
  guard.lock();
}

bool stream_state::next(stream_chunk& out,
                        std::optional<std::chrono::nanoseconds> timeout) {
  std::unique_lock<std::mutex> guard{mtx_};
  auto deadline = std::chrono::steady_clock::now()
                  + timeout.value_or(std::chrono::nanoseconds{0});
  while (!take(out)) {
    if (unsent_credit_ > 0 && credit_) {
      // Never block while holding back credit. Sending it releases the lock,
      // so a chunk may have arrived meanwhile: look again before waiting.
      flush_credit(guard);
      continue;
    }
    if (!timeout) {
      cv_.wait(guard);
    } else if (cv_.wait_until(guard, deadline) == std::cv_status::timeout) {
      if (!take(out))
        return false;
      break;
    }
  }
  if (unsent_credit_ >= credit_batch_)
    flush_credit(guard);
  auto last = out.what == stream_chunk::kind::end
              || out.what == stream_chunk::kind::input_error;
  guard.unlock();
  if (last && progress_)
    progress_->finish_and_wait(); // the consumer sees the end after it
  return true;
}

void stream_state::abandon() {
  std::unique_lock<std::mutex> guard{mtx_};
  abandoned_ = true;
  auto fn = credit_;
  auto n = unsent_credit_;
  unsent_credit_ = 0;
  guard.unlock();
  if (fn)
    fn(n); // lets the pool notice and drop the rest of the stream
  if (progress_)
    progress_->finish_and_wait(); // nothing is reported after this
}

} // namespace actorpool::detail
