#include "actorpool/detail/closure.hpp"

#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "actorpool/detail/task_registry.hpp"

namespace actorpool::detail {

namespace {

/// Closures waiting for a worker thread, by key.
class closure_table {
public:
  uint64_t put(std::unique_ptr<closure> c) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto key = ++last_;
    closures_.emplace(key, std::move(c));
    return key;
  }

  std::unique_ptr<closure> take(uint64_t key) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = closures_.find(key);
    if (i == closures_.end())
      return nullptr;
    auto c = std::move(i->second);
    closures_.erase(i);
    return c;
  }

  size_t size() {
    std::lock_guard<std::mutex> guard{mtx_};
    return closures_.size();
  }

private:
  std::mutex mtx_;
  uint64_t last_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<closure>> closures_;
};

closure_table& table() {
  static closure_table instance;
  return instance;
}

/// Why a closure's chunk failed: its exception waits in the caller's state.
struct closure_failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Runs the closure whose key a chunk carries; its result goes straight to
/// the caller's state, so the chunk's own payload stays empty.
class closure_invoker final : public task_invoker {
public:
  void invoke(const char* data, size_t size, uint32_t,
              std::string&) const override {
    uint64_t key = 0;
    if (size != sizeof(key))
      throw std::logic_error("a closure chunk without its key");
    std::memcpy(&key, data, sizeof(key));
    auto c = table().take(key);
    if (c == nullptr)
      throw std::logic_error("closure gone: a thread pool's closures run "
                             "only on its own threads");
    if (!c->run())
      throw closure_failed("the task threw");
  }
};

const bool registered = [] {
  static const char key = 0;
  register_task(closure_task_name(), &key, std::make_unique<closure_invoker>(),
                task_site{"thread_pool", __FILE__, __LINE__});
  return true;
}();

} // namespace

closure::~closure() {
  // nop
}

const std::string& closure_task_name() {
  static const std::string name = "actorpool.thread_pool.closure";
  return name;
}

uint64_t store_closure(std::unique_ptr<closure> c) {
  (void)registered;
  return table().put(std::move(c));
}

void drop_closure(uint64_t key) {
  table().take(key);
}

size_t stored_closures() {
  return table().size();
}

encoded_chunk closure_chunk(uint64_t key) {
  encoded_chunk c;
  c.payload.assign(reinterpret_cast<const char*>(&key), sizeof(key));
  c.count = 1;
  return c;
}

} // namespace actorpool::detail
