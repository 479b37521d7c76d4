#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/lazy_service.hpp"

namespace actorpool {

namespace detail {

/// A handle whose list service (a vector of encoded items) is created on
/// first use.
lazy_service make_list_service();

// The calls of a list with encoded items (defined with the service, which
// owns the protocol). Negative indexes count from the end (Python).

void list_append_encoded(const lazy_service& svc, std::string item);

void list_extend_encoded(const lazy_service& svc,
                         const std::vector<std::string>& items);

/// The encoded item at `index`; throws `std::out_of_range` for a bad index.
std::string list_get_encoded(const lazy_service& svc, int64_t index);

/// Removes and returns the encoded item at `index`; throws
/// `std::out_of_range` for a bad index.
std::string list_pop_encoded(const lazy_service& svc, int64_t index);

/// Throws `std::out_of_range` for a bad index.
void list_set_encoded(const lazy_service& svc, int64_t index,
                      const std::string& item);

std::vector<std::string> list_items_encoded(const lazy_service& svc);

uint64_t list_size(const lazy_service& svc);

void list_clear(const lazy_service& svc);

} // namespace detail

/// A list shared by processes (Python: the proxy of `Manager().list()`),
/// usually made by `manager::list`. Items are any serializable type,
/// including other handles (nested proxies). Indexes may be negative and
/// count from the end, as in Python; a bad index throws `std::out_of_range`
/// (Python: `IndexError`).
///
/// The list is a service actor in the parent process; a handle is cheap to
/// copy and can be an argument of a task. Every member function is one
/// atomic operation on the service, one round trip to the parent (about
/// 25 µs from a worker). A process that dies leaves the list as its last
/// completed call left it.
template <class T>
class list {
public:
  using value_type = T;

  /// A new, empty list of its own (created on first use, in the parent).
  list() : svc_(detail::make_list_service()) {
    // nop
  }

  void append(const T& x) const {
    detail::list_append_encoded(svc_, detail::encode_item(x));
  }

  /// Appends every element of `xs` in one call.
  template <class Range>
  void extend(const Range& xs) const {
    detail::list_extend_encoded(svc_, detail::encode_each(xs));
  }

  /// Returns `l[index]`.
  T get(int64_t index) const {
    return detail::decode_item<T>(detail::list_get_encoded(svc_, index));
  }

  /// Sets `l[index] = x`.
  void set(int64_t index, const T& x) const {
    detail::list_set_encoded(svc_, index, detail::encode_item(x));
  }

  /// Removes and returns `l[index]` (default: the last item).
  T pop(int64_t index = -1) const {
    return detail::decode_item<T>(detail::list_pop_encoded(svc_, index));
  }

  size_t size() const {
    return static_cast<size_t>(detail::list_size(svc_));
  }

  bool empty() const {
    return size() == 0;
  }

  /// A copy of the items (Python: `l[:]`).
  std::vector<T> to_vector() const {
    return detail::decode_items<T>(detail::list_items_encoded(svc_));
  }

  void clear() const {
    detail::list_clear(svc_);
  }

  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, list& x) {
    return f(caf::meta::type_name("actorpool::list"), x.svc_);
  }

private:
  detail::lazy_service svc_;
};

} // namespace actorpool
