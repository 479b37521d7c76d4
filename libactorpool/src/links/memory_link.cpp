#include "links/memory_link.hpp"

#include <signal.h>

#include <algorithm>
#include <exception>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"

namespace actorpool::detail {

memory_link::memory_link(task_fn fn) : fn_(std::move(fn)) {
  // nop
}

size_t memory_link::run() {
  size_t delivered = 0;
  for (bool progress = true; progress;) {
    progress = false;
    std::vector<uint64_t> wids;
    for (auto& kvp : workers_)
      wids.push_back(kvp.first);
    for (auto wid : wids)
      if (step(wid)) {
        progress = true;
        ++delivered;
      }
  }
  return delivered;
}

bool memory_link::step(uint64_t wid) {
  auto w = find(wid);
  if (w == nullptr)
    return false;
  if (w->hello_due && !w->code) {
    w->hello_due = false;
    events_->on_hello(wid, hello_msg{protocol_version, w->number});
    return true;
  }
  if (!w->code && !w->inbox.empty()) {
    work(wid, *w);
    return true;
  }
  if (w->down_due) {
    w->down_due = false;
    events_->on_down(wid, w->down_reason);
    return true;
  }
  if (w->code && w->watched) {
    auto how = worker_exit{*w->code, true, describe(*w)};
    workers_.erase(wid);
    events_->on_exit(wid, how);
    return true;
  }
  return false;
}

void memory_link::work(uint64_t wid, worker& w) {
  auto l = std::move(w.inbox.front());
  w.inbox.pop_front();
  if (l.shutdown) {
    end(w, 0, "connection closed");
    return;
  }
  std::vector<result_msg> results;
  for (auto& t : l.tasks) {
    result_msg r{t.id, result_msg::ok, 1, {}};
    try {
      r.payload = fn_(t);
    } catch (const crash&) {
      end(w, -SIGKILL, "connection closed");
      return; // its results die with it
    } catch (const std::exception& e) {
      failure_msg f{static_cast<uint8_t>(errc::task_failed), "std::exception",
                    e.what(), w.number};
      r.status = result_msg::failed;
      r.payload.clear();
      encode_into(r.payload, f);
    }
    results.push_back(std::move(r));
  }
  events_->on_results(wid, results);
}

void memory_link::drop(uint64_t wid, worker& w,
                       const std::function<bool(const task_msg&)>& pred) {
  std::vector<result_msg> dropped;
  for (auto& l : w.inbox) {
    std::vector<task_msg> kept;
    for (auto& t : l.tasks)
      if (pred(t))
        dropped.push_back(result_msg{t.id, result_msg::not_started, 0, {}});
      else
        kept.push_back(std::move(t));
    l.tasks = std::move(kept);
  }
  if (!dropped.empty())
    events_->on_results(wid, dropped);
}

void memory_link::end(worker& w, int code, const std::string& reason) {
  if (w.code)
    return;
  w.code = code;
  w.inbox.clear();
  w.down_due = true;
  w.down_reason = reason;
}

void memory_link::crash_worker(uint64_t wid) {
  if (auto w = find(wid))
    end(*w, -SIGKILL, "connection closed");
}

caf::expected<int> memory_link::start(uint64_t wid, uint32_t) {
  auto& w = workers_[wid];
  w.number = next_number_++;
  return w.number;
}

std::string memory_link::check_hello(uint64_t wid, const hello_msg& msg) {
  auto w = find(wid);
  if (w != nullptr && msg.version == protocol_version && msg.pid == w->number)
    return {};
  return "bad hello (protocol version " + std::to_string(msg.version) + ", pid "
         + std::to_string(msg.pid) + ")";
}

void memory_link::send_tasks(uint64_t wid, std::vector<task_msg> batch) {
  if (auto w = find(wid); w && !w->code)
    w->inbox.push_back(letter{std::move(batch), false});
}

void memory_link::send_init(uint64_t wid, const task_msg& init) {
  send_tasks(wid, std::vector<task_msg>{init});
}

void memory_link::send_shutdown(uint64_t wid) {
  if (auto w = find(wid); w && !w->code)
    w->inbox.push_back(letter{{}, true});
}

// Chunks are run a batch at a time, so a chunk is either queued (dropped
// here) or done (its result is on the way).
void memory_link::send_cancel(uint64_t wid, uint64_t task) {
  if (auto w = find(wid); w && !w->code)
    drop(wid, *w, [task](const task_msg& t) { return t.id == task; });
}

void memory_link::send_revoke(uint64_t wid, std::vector<uint64_t> tasks) {
  if (auto w = find(wid); w && !w->code)
    drop(wid, *w, [&tasks](const task_msg& t) {
      return std::find(tasks.begin(), tasks.end(), t.id) != tasks.end();
    });
}

void memory_link::disconnect(uint64_t wid) {
  if (auto w = find(wid))
    end(*w, 0, "disconnected by the pool");
}

void memory_link::stop(uint64_t wid) {
  if (auto w = find(wid))
    end(*w, -SIGTERM, "connection closed");
}

void memory_link::kill(uint64_t wid) {
  crash_worker(wid);
}

void memory_link::watch_exit(uint64_t wid) {
  if (auto w = find(wid))
    w->watched = true;
}

worker_exit memory_link::wait_exit(uint64_t wid) {
  auto w = find(wid);
  if (w == nullptr)
    return worker_exit{0, false, "worker gone"};
  end(*w, -SIGKILL, "connection closed");
  auto how = worker_exit{*w->code, true, describe(*w)};
  workers_.erase(wid);
  return how;
}

bool memory_link::alive(uint64_t wid) {
  auto w = find(wid);
  return w != nullptr && !w->code;
}

std::optional<size_t> memory_link::resident_bytes(uint64_t) {
  return std::nullopt;
}

void memory_link::client_gone(uint64_t wid) {
  gone_clients_.push_back(wid);
}

memory_link::worker* memory_link::find(uint64_t wid) {
  auto i = workers_.find(wid);
  return i == workers_.end() ? nullptr : &i->second;
}

std::string memory_link::describe(const worker& w) const {
  auto code = w.code.value_or(0);
  auto what = code >= 0 ? "exited with code " + std::to_string(code)
                        : "killed by signal " + std::to_string(-code);
  return "worker " + std::to_string(w.number) + " " + what;
}

} // namespace actorpool::detail
