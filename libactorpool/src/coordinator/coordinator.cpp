#include "coordinator/coordinator.hpp"

#include <chrono>
#include <memory>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message_handler.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/pool_actor.hpp"
#include "base/atoms.hpp"
#include "coordinator/actor_env.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/message_types.hpp"

namespace actorpool::detail {

namespace {

/// Completes a `task_call` from another actor through its response promise.
class promise_job : public job {
public:
  promise_job(caf::response_promise rp, const task_call& call)
    : rp_(std::move(rp)), remaining_(call.chunks.size()) {
    reply_.payloads.resize(call.chunks.size());
    for (auto& c : call.chunks)
      reply_.counts.push_back(c.count);
    reply_.single = call.chunks.size() == 1 && call.chunks[0].count == 1;
  }

  void deliver(size_t index, uint32_t, std::string&& payload) override {
    if (done_)
      return;
    reply_.payloads[index] = std::move(payload);
    if (--remaining_ == 0) {
      done_ = true;
      rp_.deliver(std::move(reply_));
    }
  }

  void fail(size_t, const caf::error& err) override {
    if (done_)
      return;
    done_ = true;
    rp_.deliver(err);
  }

private:
  caf::response_promise rp_;
  task_reply reply_;
  size_t remaining_;
  bool done_ = false;
};

caf::result<task_reply> on_call(coordinator_actor* self, task_call& call) {
  auto rp = self->make_response_promise();
  if (call.chunks.empty()) {
    task_reply empty;
    empty.single = false;
    rp.deliver(std::move(empty));
    return rp;
  }
  auto job = std::make_shared<promise_job>(rp, call);
  if (auto err = self->state.core->submit(call.task, std::move(call.chunks),
                                          job))
    job->fail(0, err);
  return rp;
}

/// The core's figures and the link's abandoned threads.
pool_stats stats_of(coordinator_actor* self) {
  auto result = self->state.core->stats();
  if (auto threads = self->state.threads)
    result.stuck_threads = threads->stuck();
  return result;
}

caf::result<pool_stats> on_join(coordinator_actor* self) {
  auto rp = self->make_response_promise();
  auto err = self->state.core->join(
    [self, rp]() mutable { rp.deliver(stats_of(self)); });
  if (err)
    rp.deliver(err);
  return rp;
}

caf::result<bool> on_ready(coordinator_actor* self) {
  auto rp = self->make_response_promise();
  self->state.core->when_ready([rp](const caf::error& err) mutable {
    if (err)
      rp.deliver(err);
    else
      rp.deliver(true);
  });
  return rp;
}

caf::message_handler worker_handlers(coordinator_actor* self) {
  auto core = [self] {
    return self->state.core.get();
  };
  return {
    [=](hello_atom, uint64_t wid, const hello_msg& msg) {
      core()->on_hello(wid, msg);
    },
    [=](results_atom, uint64_t wid, std::vector<result_msg>& rs) {
      core()->on_results(wid, rs);
    },
    [=](down_atom, uint64_t wid, const std::string& reason) {
      if (auto procs = self->state.processes)
        procs->forget(wid);
      core()->on_down(wid, reason);
    },
    [=](timer_atom, uint8_t kind, uint64_t wid) {
      core()->on_timer(static_cast<timer_kind>(kind), wid);
    },
    [=](child_timer_atom, uint8_t kind, uint64_t wid) {
      if (auto procs = self->state.processes)
        procs->on_timer(wid, static_cast<child_timer>(kind));
    },
    [=](output_done_atom, uint64_t wid) {
      if (auto procs = self->state.processes)
        procs->on_output_done(wid);
    },
  };
}

caf::message_handler stream_handlers(coordinator_actor* self) {
  auto core = [self] {
    return self->state.core.get();
  };
  return {
    [=](stream_atom, uint64_t sid, const std::string& name, caf::actor feeder,
        stream_job_ptr& job, size_t budget, caf::timespan timeout) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
      if (auto err = core()->open_stream(sid, name, feeder, job, budget, ms)) {
        if (feeder)
          self->send_exit(feeder, caf::exit_reason::user_shutdown);
        job->abort(err);
        job->settled(stream_counts{});
      }
    },
    [=](stop_atom, uint64_t sid) { core()->stop_stream(sid, std::nullopt); },
    [=](stop_atom, uint64_t sid, uint64_t keep_through) {
      core()->stop_stream(sid, static_cast<size_t>(keep_through));
    },
    [=](input_atom, uint64_t sid, std::vector<encoded_chunk>& chunks,
        bool end) { core()->on_input(sid, std::move(chunks), end); },
    [=](input_atom, uint64_t sid, std::exception_ptr& ep) {
      core()->on_input_error(sid, ep);
    },
    [=](credit_atom, uint64_t sid, size_t n) { core()->on_credit(sid, n); },
  };
}

caf::message_handler facade_handlers(coordinator_actor* self) {
  auto core = [self] {
    return self->state.core.get();
  };
  return {
    [=](submit_atom, const std::string& name,
        std::vector<encoded_chunk>& chunks, job_ptr& job,
        caf::timespan timeout) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
      if (auto err = core()->submit(name, std::move(chunks), job, ms))
        job->fail(0, err);
    },
    [=](cancel_atom, const job_ptr& job) { core()->cancel(job); },
    [=](task_call& call) { return on_call(self, call); },
    [=](close_atom) { core()->close(); },
    [=](terminate_atom) { core()->terminate(); },
    [=](join_atom) { return on_join(self); },
    [=](stats_atom) { return stats_of(self); },
    [=](ready_atom) { return on_ready(self); },
  };
}

void make_link(coordinator_actor* self, const pool_config& cfg,
               worker_kind kind) {
  auto& st = self->state;
  if (kind == worker_kind::threads) {
    auto link = std::make_unique<thread_link>(self);
    st.threads = link.get();
    st.link = std::move(link);
  } else {
    auto prefix = output_prefix::parse(cfg.output_prefix); // checked already
    auto link = std::make_unique<process_link>(self, cfg.max_frame_size,
                                               cfg.kill_grace,
                                               prefix ? std::move(*prefix)
                                                      : output_prefix{});
    st.processes = link.get();
    st.link = std::move(link);
  }
}

caf::behavior coordinator(coordinator_actor* self, pool_config cfg,
                          worker_kind kind) {
  self->state.env = std::make_unique<actor_env>(self);
  make_link(self, cfg, kind);
  self->state.core = std::make_unique<coordinator_core>(std::move(cfg),
                                                        *self->state.env,
                                                        *self->state.link);
  self->state.core->start();
  self->set_down_handler(
    [self](const caf::down_msg& dm) { on_stream_peer_down(self, dm); });
  return caf::behavior{
    facade_handlers(self).or_else(stream_handlers(self).or_else(
      actor_stream_handlers(self).or_else(worker_handlers(self))))};
}

} // namespace

caf::actor spawn_coordinator(caf::actor_system& sys, pool_config cfg,
                             worker_kind kind) {
  return sys.spawn(coordinator, std::move(cfg), kind);
}

} // namespace actorpool::detail
