#include "coordinator/gated_stream_job.hpp"

namespace actorpool::detail {

gated_stream_job::gated_stream_job(stream_job_ptr inner,
                                   std::weak_ptr<push_gate> gate)
  : inner_(std::move(inner)), gate_(std::move(gate)) {
  // nop
}

gated_stream_job::~gated_stream_job() {
  // nop
}

void gated_stream_job::deliver(size_t index, uint32_t count,
                               std::string&& payload) {
  inner_->deliver(index, count, std::move(payload));
}

void gated_stream_job::fail(size_t index, const caf::error& err) {
  inner_->fail(index, err);
}

bool gated_stream_job::abandoned() const noexcept {
  return inner_->abandoned();
}

void gated_stream_job::end(size_t total) {
  inner_->end(total);
}

void gated_stream_job::input_failed(size_t index, std::exception_ptr ep) {
  inner_->input_failed(index, std::move(ep));
}

// The gate stops before the consumer hears of the end, so a producer that
// learns of it from the consumer finds its puts refused.
void gated_stream_job::abort(const caf::error& err) {
  stop_gate();
  inner_->abort(err);
}

void gated_stream_job::settled(const stream_counts& counts) {
  stop_gate();
  inner_->settled(counts);
}

void gated_stream_job::stop_gate() {
  if (auto g = gate_.lock())
    g->stop();
}

} // namespace actorpool::detail
