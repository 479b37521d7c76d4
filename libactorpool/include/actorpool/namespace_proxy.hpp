#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/dict.hpp"

namespace actorpool {

/// Named attributes of any serializable type, shared by processes (Python:
/// `Manager().Namespace()`; `namespace` is a C++ keyword, hence the name and
/// `manager::namespace_`). Backed by a dict service keyed by name; each
/// attribute keeps the type it was set with, and `get<T>` of another type
/// fails with `encoding_error` (or decodes garbage of a compatible layout).
/// A missing attribute throws `std::out_of_range` (Python: `AttributeError`).
/// Same lifetime, death handling and costs as `dict`.
class namespace_proxy {
public:
  /// A new, empty namespace of its own (created on first use, in the parent).
  namespace_proxy() : svc_(detail::make_dict_service()) {
    // nop
  }

  /// Sets attribute `name` to `x`.
  template <class T>
  void set(const std::string& name, const T& x) const {
    detail::dict_store(svc_, detail::encode_item(name), detail::encode_item(x));
  }

  /// Returns attribute `name` as a `T`.
  template <class T>
  T get(const std::string& name) const {
    auto x = detail::dict_get_encoded(svc_, detail::encode_item(name));
    if (!x)
      throw_missing(name);
    return detail::decode_item<T>(*x);
  }

  bool contains(const std::string& name) const {
    return detail::dict_contains(svc_, detail::encode_item(name));
  }

  /// Removes attribute `name`; returns whether it was there.
  bool erase(const std::string& name) const {
    return detail::dict_erase(svc_, detail::encode_item(name));
  }

  /// The attribute names in the order they were first set.
  std::vector<std::string> names() const {
    return detail::decode_items<std::string>(detail::dict_keys_encoded(svc_));
  }

  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, namespace_proxy& x) {
    return f(caf::meta::type_name("actorpool::namespace_proxy"), x.svc_);
  }

private:
  [[noreturn]] static void throw_missing(const std::string& name) {
    throw std::out_of_range("the managed namespace has no attribute '" + name
                            + "'");
  }

  detail::lazy_service svc_;
};

} // namespace actorpool
