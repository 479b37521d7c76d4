#include "transport/call_gate.hpp"

namespace actorpool::detail {

void call_gate::close() {
  std::lock_guard<std::mutex> guard{mtx_};
  closed_ = true;
}

bool call_gate::closed() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return closed_;
}

} // namespace actorpool::detail
