#pragma once

#include <atomic>

namespace actorpool::detail {

/// The flag behind a handle object's `owner_died()`: atomic, and copied by
/// value with the handle.
class died_flag {
public:
  died_flag() = default;

  died_flag(const died_flag& other) noexcept : flag_(other.get()) {
    // nop
  }

  died_flag& operator=(const died_flag& other) noexcept {
    flag_.store(other.get());
    return *this;
  }

  bool get() const noexcept {
    return flag_.load();
  }

  void set(bool x) noexcept {
    flag_.store(x);
  }

private:
  std::atomic<bool> flag_{false};
};

} // namespace actorpool::detail
