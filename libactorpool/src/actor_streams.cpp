#include <atomic>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actorpool/pool_actor.hpp"
#include "actorpool/stream_protocol.hpp"
#include "internal/coordinator_actor.hpp"

namespace actorpool::detail {

namespace {

/// Inputs in flight or unacknowledged per worker when `stream_open` asks
/// for the default window.
constexpr uint32_t default_window_per_worker = 64;

/// Reports a stream's results to its consumer actor, and its end to both.
class actor_stream_job : public stream_job {
public:
  actor_stream_job(uint64_t sid, stream_peers peers)
    : sid_(sid), peers_(std::move(peers)) {
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

  void settled(const stream_counts& c) override {
    stream_summary s{c.completed, c.cancelled, c.never_started};
    caf::anon_send(peers_.consumer, stream_done_atom::value, sid_, s);
    if (peers_.producer != peers_.consumer)
      caf::anon_send(peers_.producer, stream_done_atom::value, sid_, s);
  }

private:
  uint64_t sid_;
  stream_peers peers_;
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
  auto job = std::make_shared<actor_stream_job>(sid, peers);
  if (auto err = self->state.core->open_stream(sid, req.task, caf::actor{}, job,
                                               0))
    return err;
  self->monitor(req.producer);
  self->monitor(req.consumer);
  self->state.actor_streams.emplace(sid, std::move(peers));
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

void on_stream_peer_down(coordinator_actor* self, const caf::down_msg& dm) {
  auto& streams = self->state.actor_streams;
  for (auto i = streams.begin(); i != streams.end();) {
    auto& peers = i->second;
    if (peers.consumer.address() == dm.source) {
      self->state.core->stop_stream(i->first, std::nullopt);
      i = streams.erase(i);
    } else if (peers.producer.address() == dm.source) {
      self->state.core->on_input(i->first, {}, true);
      ++i;
    } else {
      ++i;
    }
  }
}

} // namespace actorpool::detail
