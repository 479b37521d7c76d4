#pragma once

#include <memory>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/push_gate.hpp"

namespace actorpool::detail {

/// The job of a push stream (`pool::stream`, `pool::search`) as the
/// coordinator holds it: forwards everything to the consumer's job, and
/// stops the producers' gate once the pool drops or forgets the stream
/// (`abort`, `settled`: the stream ended, was stopped, the pool terminated
/// or broke, or the coordinator went away). From then on every `put`,
/// waiting or not, returns false at once: nothing put later could run.
class gated_stream_job : public stream_job {
public:
  gated_stream_job(stream_job_ptr inner, std::weak_ptr<push_gate> gate);

  ~gated_stream_job() override;

  void deliver(size_t index, uint32_t count, std::string&& payload) override;

  void fail(size_t index, const caf::error& err) override;

  bool abandoned() const noexcept override;

  void end(size_t total) override;

  void input_failed(size_t index, std::exception_ptr ep) override;

  void abort(const caf::error& err) override;

  void settled(const stream_counts& counts) override;

private:
  void stop_gate();

  stream_job_ptr inner_;
  std::weak_ptr<push_gate> gate_;
};

} // namespace actorpool::detail
