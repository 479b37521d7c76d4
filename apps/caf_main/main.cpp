// actorpool-caf-main: a CAF application (CAF_MAIN) that takes the pool's
// options the CAF way, from the command line (--actorpool.processes=4) or
// the [actorpool] section of caf-application.ini, and uses the pool both
// ways: the blocking facade, and the pool as a typed actor of the program's
// actor system asked by an event-based actor. --help lists every option,
// the actorpool group included.

#include <chrono>
#include <cstdio>
#include <numeric>
#include <vector>

#include <actorpool/all.hpp>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

namespace {

long cube(long x) {
  return x * x * x;
}

} // namespace

ACTORPOOL_TASK(cube)

namespace {

using namespace std::chrono_literals;

// The blocking facade in the program's own actor system.
void use_facade(caf::actor_system& sys, const actorpool::pool_options& opts) {
  actorpool::pool p{sys, opts};
  std::vector<long> xs(10);
  std::iota(xs.begin(), xs.end(), 1L);
  long sum = 0;
  for (long y : p.map(cube, xs))
    sum += y;
  std::printf("facade: sum of cubes 1..10 = %ld on %zu workers\n", sum,
              p.size());
}

// The pool as an actor: an event-based actor asks it, then stops it.
void use_actor(caf::actor_system& sys, const actorpool::pool_options& opts) {
  auto pool = actorpool::spawn_pool(sys, opts);
  sys.spawn([pool](caf::event_based_actor* self) {
    self->request(pool, 10s, actorpool::make_call(cube, 12L))
      .then(
        [=](const actorpool::task_reply& r) {
          std::printf("actor: cube(12) = %ld\n", r.as<long>());
          self->send_exit(pool, caf::exit_reason::user_shutdown);
        },
        [=](caf::error& err) {
          std::printf("actor: failed: %s\n",
                      self->system().render(err).c_str());
          self->send_exit(pool, caf::exit_reason::user_shutdown);
        });
  });
}

} // namespace

void caf_main(caf::actor_system& sys, const actorpool::config& cfg) {
  auto opts = actorpool::read_pool_options(cfg,
                                           actorpool::pool_options{}.processes(
                                             2));
  use_facade(sys, opts);
  use_actor(sys, opts);
}

CAF_MAIN()
