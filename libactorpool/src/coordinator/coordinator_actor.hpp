#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/message_handler.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "coordinator/actor_env.hpp"
#include "coordinator/coordinator_core.hpp"
#include "links/process_link.hpp"
#include "links/thread_link.hpp"

namespace actorpool::detail {

/// The two actors of a stream opened through the actor interface.
struct stream_peers {
  caf::actor producer;
  caf::actor consumer;
};

struct coordinator_state {
  std::unique_ptr<actor_env> env;
  /// Declared before the core, which uses it until it is gone.
  std::unique_ptr<worker_link> link;
  /// The link when the workers are processes, else null.
  process_link* processes = nullptr;
  /// The link when the workers are threads, else null.
  thread_link* threads = nullptr;
  std::unique_ptr<coordinator_core> core;
  /// Streams of the actor interface, by id.
  std::unordered_map<uint64_t, stream_peers> actor_streams;
  const char* name = "actorpool.coordinator";

  ~coordinator_state() {
    // The actor is going away: no worker may outlive it.
    if (core)
      core->shutdown_now();
  }
};

using coordinator_actor = caf::stateful_actor<coordinator_state>;

/// A new stream id, unique in the process (facade and actor streams).
uint64_t next_stream_id();

/// The stream protocol of `pool_actor` (see `stream_protocol.hpp`).
caf::message_handler actor_stream_handlers(coordinator_actor* self);

/// A producer or consumer of an actor stream terminated.
void on_stream_peer_down(coordinator_actor* self, const caf::down_msg& dm);

} // namespace actorpool::detail
