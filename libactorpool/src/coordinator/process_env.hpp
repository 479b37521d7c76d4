#pragma once

#include <memory>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "coordinator/coordinator_env.hpp"

namespace actorpool::detail {

class call_gate;

/// The coordinator's environment for real worker processes: each worker is a
/// child process with a parent broker; timers are delayed messages to the
/// coordinator itself. `client_gone` closes the worker's call gate, then
/// tells every service.
class process_env : public coordinator_env {
public:
  process_env(caf::event_based_actor* self, size_t max_frame_size);

  /// Kills the brokers that are still connected.
  ~process_env() override;

  caf::expected<int> start_worker(uint64_t wid) override;

  void send_tasks(uint64_t wid, std::vector<task_msg> batch) override;

  void send_init(uint64_t wid, const task_msg& init) override;

  void send_shutdown(uint64_t wid) override;

  void send_cancel(uint64_t wid, uint64_t task) override;

  void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) override;

  void disconnect(uint64_t wid) override;

  void signal(int pid, int sig) override;

  std::optional<exit_status> reap(int pid) override;

  void schedule(std::chrono::milliseconds delay, timer_kind kind,
                uint64_t wid) override;

  void pull_input(const caf::actor& feeder, uint64_t sid, size_t n) override;

  void stop_feeder(const caf::actor& feeder) override;

  void client_gone(int pid) override;

  std::optional<size_t> resident_bytes(int pid) override;

  /// Drops the broker of a worker whose connection ended.
  void forget(uint64_t wid);

private:
  const caf::actor* broker(uint64_t wid) const;

  caf::event_based_actor* self_;
  size_t max_frame_size_;
  std::unordered_map<uint64_t, caf::actor> brokers_;
  /// The call gates of the workers the services have not been told about,
  /// by pid.
  std::unordered_map<int, std::shared_ptr<call_gate>> gates_;
};

} // namespace actorpool::detail
