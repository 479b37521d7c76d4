#include "actorpool/detail/closure_stream.hpp"

namespace actorpool::detail {

closure_stream_base::~closure_stream_base() {
  // nop
}

uint64_t closure_stream_base::keep(size_t index, std::unique_ptr<closure> c) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (closed_)
    return 0;
  auto key = store_closure(std::move(c));
  keys_.emplace(index, key);
  return key;
}

void closure_stream_base::ran(size_t index, std::exception_ptr ep) {
  std::lock_guard<std::mutex> guard{mtx_};
  keys_.erase(index);
  if (ep)
    thrown_.emplace(index, std::move(ep));
}

std::exception_ptr closure_stream_base::take_thrown(size_t index) {
  std::unique_lock<std::mutex> guard{mtx_};
  uint64_t key = 0;
  if (auto i = keys_.find(index); i != keys_.end()) {
    key = i->second;
    keys_.erase(i);
  }
  std::exception_ptr ep;
  if (auto i = thrown_.find(index); i != thrown_.end()) {
    ep = std::move(i->second);
    thrown_.erase(i);
  }
  guard.unlock();
  if (key != 0)
    drop_closure(key);
  return ep;
}

void closure_stream_base::rethrow(size_t index) {
  if (auto ep = take_thrown(index))
    std::rethrow_exception(ep);
}

void closure_stream_base::close() {
  std::unordered_map<size_t, uint64_t> keys;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    closed_ = true;
    keys.swap(keys_);
  }
  for (auto& kvp : keys)
    drop_closure(kvp.second);
}

} // namespace actorpool::detail
