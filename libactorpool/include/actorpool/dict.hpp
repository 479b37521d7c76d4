#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/lazy_service.hpp"

namespace actorpool {

namespace detail {

/// Operations of the dict service, which maps encoded keys to encoded values
/// in insertion order. Payloads and replies: see internal/dict_service.hpp.
namespace dict_ops {
enum : service_op {
  set = 1,
  get,
  erase,
  contains,
  size,
  keys,
  values,
  items,
  update,
  clear,
  pop,
  setdefault,
};
} // namespace dict_ops

/// A handle whose dict service is created on first use.
lazy_service make_dict_service();

void dict_store(const lazy_service& svc, const std::string& key,
                const std::string& value);

/// `dict_get` or `dict_pop`: the encoded value, or nothing.
std::optional<std::string> dict_lookup(const lazy_service& svc, service_op op,
                                       std::string key);

/// `dict_erase` or `dict_contains`.
bool dict_test(const lazy_service& svc, service_op op, std::string key);

/// `dict_keys`, `dict_values` or `dict_items` (keys and values alternate).
std::vector<std::string> dict_dump(const lazy_service& svc, service_op op);

/// Stores keys and values given alternately.
void dict_store_all(const lazy_service& svc,
                    const std::vector<std::string>& kvs);

std::string dict_setdefault_encoded(const lazy_service& svc,
                                    const std::string& key,
                                    const std::string& value);

[[noreturn]] void throw_missing_key();

} // namespace detail

/// A dictionary shared by processes (Python: the proxy of `Manager().dict()`),
/// usually made by `manager::dict`. Keys and values are any serializable
/// types; keys are compared by their encoding (equal values of the usual key
/// types encode equally; floating-point keys compare bit for bit). Iteration
/// order (`keys`, `values`, `items`) is insertion order, as in Python.
///
/// The dict is a service actor in the parent process; a handle is cheap to
/// copy and can be an argument of a task or a value in another dict or list
/// (nested proxies). Every member function is one atomic operation on the
/// service, one round trip to the parent (about 25 µs from a worker); a
/// read-modify-write of several calls is not atomic. A process that dies
/// leaves the dict as its last completed call left it.
template <class K, class V>
class dict {
public:
  using key_type = K;
  using mapped_type = V;

  /// A new, empty dict of its own (created on first use, in the parent).
  dict() : svc_(detail::make_dict_service()) {
    // nop
  }

  /// Sets `d[key] = value`.
  void set(const K& key, const V& value) const {
    detail::dict_store(svc_, detail::encode(key), detail::encode(value));
  }

  /// Returns `d[key]`; throws `std::out_of_range` when the key is missing
  /// (Python: `KeyError`).
  V get(const K& key) const {
    if (auto x = find(key))
      return std::move(*x);
    detail::throw_missing_key();
  }

  /// Returns `d.get(key, fallback)`.
  V get(const K& key, V fallback) const {
    if (auto x = find(key))
      return std::move(*x);
    return fallback;
  }

  /// The value for `key`, if any.
  std::optional<V> find(const K& key) const {
    auto x = detail::dict_lookup(svc_, detail::dict_ops::get,
                                 detail::encode(key));
    if (!x)
      return std::nullopt;
    return detail::decode_one<V>(*x);
  }

  /// Removes `key`; returns whether it was there (Python: `del d[key]`).
  bool erase(const K& key) const {
    return detail::dict_test(svc_, detail::dict_ops::erase,
                             detail::encode(key));
  }

  /// Removes `key` and returns its value; throws `std::out_of_range` when
  /// the key is missing.
  V pop(const K& key) const {
    auto x = detail::dict_lookup(svc_, detail::dict_ops::pop,
                                 detail::encode(key));
    if (!x)
      detail::throw_missing_key();
    return detail::decode_one<V>(*x);
  }

  /// Returns `d[key]`, setting it to `value` first when missing.
  V setdefault(const K& key, const V& value) const {
    return detail::decode_one<V>(
      detail::dict_setdefault_encoded(svc_, detail::encode(key),
                                      detail::encode(value)));
  }

  bool contains(const K& key) const {
    return detail::dict_test(svc_, detail::dict_ops::contains,
                             detail::encode(key));
  }

  size_t size() const {
    return static_cast<size_t>(svc_.call_as<uint64_t>(detail::dict_ops::size));
  }

  bool empty() const {
    return size() == 0;
  }

  std::vector<K> keys() const {
    return detail::decode_each<K>(
      detail::dict_dump(svc_, detail::dict_ops::keys));
  }

  std::vector<V> values() const {
    return detail::decode_each<V>(
      detail::dict_dump(svc_, detail::dict_ops::values));
  }

  /// The pairs in insertion order (Python: `d.items()`, `d.copy()`).
  std::vector<std::pair<K, V>> items() const {
    auto kvs = detail::dict_dump(svc_, detail::dict_ops::items);
    std::vector<std::pair<K, V>> result;
    result.reserve(kvs.size() / 2);
    for (size_t i = 0; i + 1 < kvs.size(); i += 2)
      result.emplace_back(detail::decode_one<K>(kvs[i]),
                          detail::decode_one<V>(kvs[i + 1]));
    return result;
  }

  /// The contents as a `std::map` (needs `K < K`).
  std::map<K, V> to_map() const {
    auto xs = items();
    return std::map<K, V>(xs.begin(), xs.end());
  }

  /// Sets every pair of `kvs` in one call (Python: `d.update(...)`).
  template <class Range>
  void update(const Range& kvs) const {
    std::vector<std::string> encoded;
    for (auto& kv : kvs) {
      encoded.push_back(detail::encode(kv.first));
      encoded.push_back(detail::encode(kv.second));
    }
    detail::dict_store_all(svc_, encoded);
  }

  void clear() const {
    svc_.call_as<void>(detail::dict_ops::clear);
  }

  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, dict& x) {
    return f(caf::meta::type_name("actorpool::dict"), x.svc_);
  }

private:
  detail::lazy_service svc_;
};

} // namespace actorpool
