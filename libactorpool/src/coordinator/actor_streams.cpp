#include <atomic>
#include <functional>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actorpool/pool_actor.hpp"
#include "actorpool/stream_protocol.hpp"
#include "coordinator/coordinator_actor.hpp"

namespace actorpool::detail {

namespace {

/// Inputs in flight or unacknowledged per worker when `stream_open` asks
/// for the default window.
constexpr uint32_t default_window_per_worker = 64;

/// Reports a stream's results to its consumer actor, and its end to both.
class actor_stream_job : public stream_job {
public:
  /// `forget` runs in the coordinator when the stream is over.
  actor_stream_job(uint64_t sid, stream_peers peers,
                   std::function<void()> forget)
    : sid_(sid), peers_(std::move(peers)), forget_(std::move(forget)) {
    // nop
  }

  void deliver(size_t index, uint32_t count, std::string&& payload) override {
    task_reply r;
    r.payloads.emplace_back(std::move(payload));
    r.counts.push_back(count);
    r.single = count == 1;
    caf::anon_send(peers_.consumer, stream_result_atom::value, sid_,
                   static_cast<uint64_t>(index), std::move(r));
  }

  void fail(size_t index, const caf::error& err) override {
    caf::anon_send(peers_.consumer, stream_result_atom::value, sid_,
                   static_cast<uint64_t>(index), err);
  }

  void end(size_t) override {
    // the summary follows once the last input is done
  }

  void input_failed(size_t, std::exception_ptr) override {
    // inputs come by message: they cannot throw
  }

  void abort(const caf::error& err) override {
    caf::anon_send(peers_.consumer, stream_result_atom::value, sid_,
                   uint64_t{UINT64_MAX}, err);
  }

  // The coordinator forgets the peers first: acks that come after the end
  // give the producer no more demand.
  void settled(const stream_counts& c) override {
    if (auto fn = std::move(forget_))
      fn();
    stream_summary s{c.completed, c.cancelled, c.never_started};
    caf::anon_send(peers_.consumer, stream_done_atom::value, sid_, s);
    if (peers_.producer != peers_.consumer)
      caf::anon_send(peers_.producer, stream_done_atom::value, sid_, s);
  }

private:
  uint64_t sid_;
  stream_peers peers_;
  std::function<void()> forget_;
};

caf::result<uint64_t> open(coordinator_actor* self, stream_open& req) {
  if (!req.producer || !req.consumer)
    return make_error(errc::invalid_argument,
                      std::string{
                        "stream_open needs a producer and a consumer"});
  auto sid = next_stream_id();
  auto window = req.window > 0 ? req.window
                               : default_window_per_worker
                                   * static_cast<uint32_t>(
                                     self->state.core->stats().pids.size());
  stream_peers peers{req.producer, req.consumer};
  auto forget = [self, sid] {
    self->state.actor_streams.erase(sid);
  };
  auto job = std::make_shared<actor_stream_job>(sid, peers, forget);
  self->state.actor_streams.emplace(sid, std::move(peers));
  if (auto err = self->state.core->open_stream(sid, req.task, caf::actor{}, job,
                                               0)) {
    forget();
    return err;
  }
  self->monitor(req.producer);
  self->monitor(req.consumer);
  self->send(req.producer, stream_demand_atom::value, sid,
             std::max<uint32_t>(window, 1));
  return sid;
}

} // namespace

uint64_t next_stream_id() {
  static std::atomic<uint64_t> next{1};
  return next++;
}

caf::message_handler actor_stream_handlers(coordinator_actor* self) {
  auto core = [self] {
    return self->state.core.get();
  };
  return {
    [=](stream_open& req) { return open(self, req); },
    [=](stream_input_atom, uint64_t sid, encoded_chunk& c) {
      std::vector<encoded_chunk> chunks;
      chunks.emplace_back(std::move(c));
      core()->on_input(sid, std::move(chunks), false);
    },
    [=](stream_close_atom, uint64_t sid) { core()->on_input(sid, {}, true); },
    [=](stream_ack_atom, uint64_t sid, uint32_t n) {
      auto i = self->state.actor_streams.find(sid);
      if (i != self->state.actor_streams.end())
        self->send(i->second.producer, stream_demand_atom::value, sid, n);
    },
    [=](stream_stop_atom, uint64_t sid) {
      core()->stop_stream(sid, std::nullopt);
    },
  };
}

// Stopping or closing a stream may settle it, which erases it from the map:
// the streams concerned are collected first.
void on_stream_peer_down(coordinator_actor* self, const caf::down_msg& dm) {
  std::vector<uint64_t> stopped;
  std::vector<uint64_t> closed;
  for (auto& kvp : self->state.actor_streams) {
    if (kvp.second.consumer.address() == dm.source)
      stopped.push_back(kvp.first);
    else if (kvp.second.producer.address() == dm.source)
      closed.push_back(kvp.first);
  }
  for (auto sid : stopped) {
    self->state.actor_streams.erase(sid);
    self->state.core->stop_stream(sid, std::nullopt);
  }
  for (auto sid : closed)
    self->state.core->on_input(sid, {}, true);
}

} // namespace actorpool::detail
