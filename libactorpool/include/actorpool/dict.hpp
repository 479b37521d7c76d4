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

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/lazy_service.hpp"

namespace actorpool {

namespace detail {

/// A handle whose dict service (encoded keys to encoded values, in
/// insertion order) is created on first use.
lazy_service make_dict_service();

// The calls of a dict with encoded keys and values (defined with the
// service, which owns the protocol).

void dict_store(const lazy_service& svc, const std::string& key,
                const std::string& value);

/// The encoded value of `key`, or nothing.
std::optional<std::string> dict_get_encoded(const lazy_service& svc,
                                            std::string key);

/// Removes `key` and returns its encoded value, or nothing.
std::optional<std::string> dict_pop_encoded(const lazy_service& svc,
                                            std::string key);

/// Removes `key`; returns whether it was there.
bool dict_erase(const lazy_service& svc, std::string key);

bool dict_contains(const lazy_service& svc, std::string key);

uint64_t dict_size(const lazy_service& svc);

std::vector<std::string> dict_keys_encoded(const lazy_service& svc);

std::vector<std::string> dict_values_encoded(const lazy_service& svc);

/// Keys and values alternately.
std::vector<std::string> dict_items_encoded(const lazy_service& svc);

void dict_clear(const lazy_service& svc);

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
    detail::dict_store(svc_, detail::encode_item(key), detail::encode_item(value));
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
    auto x = detail::dict_get_encoded(svc_, detail::encode_item(key));
    if (!x)
      return std::nullopt;
    return detail::decode_item<V>(*x);
  }

  /// Removes `key`; returns whether it was there (Python: `del d[key]`).
  bool erase(const K& key) const {
    return detail::dict_erase(svc_, detail::encode_item(key));
  }

  /// Removes `key` and returns its value; throws `std::out_of_range` when
  /// the key is missing.
  V pop(const K& key) const {
    auto x = detail::dict_pop_encoded(svc_, detail::encode_item(key));
    if (!x)
      detail::throw_missing_key();
    return detail::decode_item<V>(*x);
  }

  /// Returns `d[key]`, setting it to `value` first when missing.
  V setdefault(const K& key, const V& value) const {
    return detail::decode_item<V>(
      detail::dict_setdefault_encoded(svc_, detail::encode_item(key),
                                      detail::encode_item(value)));
  }

  bool contains(const K& key) const {
    return detail::dict_contains(svc_, detail::encode_item(key));
  }

  size_t size() const {
    return static_cast<size_t>(detail::dict_size(svc_));
  }

  bool empty() const {
    return size() == 0;
  }

  std::vector<K> keys() const {
    return detail::decode_items<K>(detail::dict_keys_encoded(svc_));
  }

  std::vector<V> values() const {
    return detail::decode_items<V>(detail::dict_values_encoded(svc_));
  }

  /// The pairs in insertion order (Python: `d.items()`, `d.copy()`).
  std::vector<std::pair<K, V>> items() const {
    auto kvs = detail::dict_items_encoded(svc_);
    std::vector<std::pair<K, V>> result;
    result.reserve(kvs.size() / 2);
    for (size_t i = 0; i + 1 < kvs.size(); i += 2)
      result.emplace_back(detail::decode_item<K>(kvs[i]),
                          detail::decode_item<V>(kvs[i + 1]));
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
      encoded.push_back(detail::encode_item(kv.first));
      encoded.push_back(detail::encode_item(kv.second));
    }
    detail::dict_store_all(svc_, encoded);
  }

  void clear() const {
    detail::dict_clear(svc_);
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
