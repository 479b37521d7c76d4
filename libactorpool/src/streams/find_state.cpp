#include "actorpool/detail/find_state.hpp"

#include "actorpool/errc.hpp"

namespace actorpool::detail {

namespace {

using clock_type = std::chrono::steady_clock;

} // namespace

find_core::find_core(executor_ptr exec, const find_options& opts,
                     std::optional<uint64_t> total)
  : exec_(std::move(exec)), policy_(opts.policy()),
    chunksize_(static_cast<uint32_t>(std::max<size_t>(opts.chunksize(), 1))),
    progress_(progress_reporter::make(opts.progress_fn(),
                                      opts.progress_interval(), total, exec_)) {
  // nop
}

find_core::~find_core() {
  // nop
}

void find_core::set_stopper(stream_stopper fn) {
  stop_ = std::move(fn);
  if (caller_)
    caller_->set_canceller([stop = stop_] { stop(std::nullopt); });
}

void find_core::set_credit_sink(std::function<void(size_t)> fn) {
  credit_ = std::move(fn);
}

// -- coordinator thread: queue the event, wake the callback thread ------------

void find_core::deliver(size_t index, uint32_t count, std::string&& payload) {
  event ev;
  ev.chunk = index;
  ev.count = count;
  ev.payload = std::move(payload);
  post(std::move(ev));
}

void find_core::fail(size_t index, const caf::error& err) {
  event ev;
  ev.what = event::kind::failure;
  ev.chunk = index;
  ev.err = err;
  post(std::move(ev));
}

void find_core::end(size_t) {
  // the stream settles once its last chunk is done
}

void find_core::input_failed(size_t index, std::exception_ptr ep) {
  fail(index, make_error(errc::input_failed, render(error_from_exception(ep))));
}

void find_core::abort(const caf::error& err) {
  fail(SIZE_MAX, err);
}

void find_core::settled(const stream_counts& counts) {
  event ev;
  ev.what = event::kind::settled;
  ev.counts = counts;
  post(std::move(ev));
}

// One drain per burst of events: the coordinator never waits for the
// callback thread, and the callback thread handles events in arrival order.
void find_core::post(event&& ev) {
  ev.at = clock_type::now();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    events_.emplace_back(std::move(ev));
    if (draining_)
      return;
    draining_ = true;
  }
  auto self = std::static_pointer_cast<find_core>(shared_from_this());
  exec_->post([self] { self->drain(); });
}

void find_core::drain() {
  std::deque<event> evs;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    evs.swap(events_);
    draining_ = false;
  }
  size_t consumed = 0;
  for (auto& ev : evs) {
    if (done_)
      return;
    switch (ev.what) {
      case event::kind::values:
        ++consumed;
        on_values(ev);
        break;
      case event::kind::failure:
        ++consumed;
        on_failure(ev);
        break;
      case event::kind::settled:
        on_settled(ev);
        break;
    }
  }
  if (done_)
    return;
  if (consumed > 0 && credit_ && !decided_)
    credit_(consumed);
}

// -- callback thread: decide the winner ---------------------------------------

void find_core::on_values(event& ev) {
  if (progress_)
    progress_->add_completed(ev.count);
  if (decided_ && policy_ == find_policy::first_arrival)
    return;
  auto first = ev.chunk * chunksize_;
  try {
    scan(ev.payload, ev.count, first, [&](size_t index) {
      return decide(index, ev.chunk, caf::error{}, ev.at);
    });
  } catch (...) {
    // an undecodable result or a predicate that threw ends the search
    decide(first, ev.chunk, error_from_exception(std::current_exception()),
           ev.at);
  }
}

void find_core::on_failure(const event& ev) {
  if (ev.chunk == SIZE_MAX) { // the pool dropped the stream
    if (!decided_) {
      decided_ = true;
      best_chunk_ = SIZE_MAX;
      best_err_ = ev.err;
      decided_at_ = ev.at;
    }
    return;
  }
  if (progress_)
    progress_->add_completed(1);
  decide(ev.chunk * chunksize_, ev.chunk, ev.err, ev.at);
}

bool find_core::better(size_t index) const {
  if (!decided_)
    return true;
  return policy_ == find_policy::lowest_index && index < best_;
}

bool find_core::decide(size_t index, size_t chunk, caf::error err,
                       clock_type::time_point at) {
  if (!better(index))
    return false;
  decided_ = true;
  best_ = index;
  best_chunk_ = chunk;
  best_err_ = std::move(err);
  decided_at_ = at;
  if (stop_) {
    if (policy_ == find_policy::first_arrival)
      stop_(std::nullopt);
    else
      stop_(chunk);
  }
  return true;
}

void find_core::on_settled(const event& ev) {
  done_ = true;
  if (progress_) // on this thread, before the caller's result is set
    progress_->finish_here();
  if (decided_ && best_err_) {
    finish(best_err_, best_chunk_);
    return;
  }
  auto latency = decided_ ? ev.at - decided_at_ : clock_type::duration{0};
  finish(ev.counts, decided_, best_,
         std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
}

} // namespace actorpool::detail
