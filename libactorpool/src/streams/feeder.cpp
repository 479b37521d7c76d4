#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "base/atoms.hpp"
#include "coordinator/message_types.hpp"
#include "streams/feeder.hpp"

namespace actorpool::detail {

namespace {

caf::behavior feeder(caf::event_based_actor* self, caf::actor coordinator,
                     chunk_source src) {
  return {
    [=](pull_atom, uint64_t sid, size_t n) {
      std::vector<encoded_chunk> chunks;
      bool end = false;
      try {
        for (size_t i = 0; i < n && !end; ++i) {
          encoded_chunk c;
          if (src(c))
            chunks.emplace_back(std::move(c));
          else
            end = true;
        }
      } catch (...) {
        // Chunks read before the failure still count; the partial chunk in
        // progress is dropped (as Python drops the failing task batch).
        if (!chunks.empty())
          self->send(coordinator, input_atom::value, sid, std::move(chunks),
                     false);
        self->send(coordinator, input_atom::value, sid,
                   std::current_exception());
        self->quit();
        return;
      }
      self->send(coordinator, input_atom::value, sid, std::move(chunks), end);
      if (end)
        self->quit();
    },
  };
}

} // namespace

caf::actor spawn_feeder(caf::actor_system& sys, caf::actor coordinator,
                        chunk_source src) {
  return sys.spawn<caf::detached>(feeder, std::move(coordinator),
                                  std::move(src));
}

} // namespace actorpool::detail
