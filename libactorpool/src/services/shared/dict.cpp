// The dict service (behind `dict` and `namespace_proxy`) and the
// non-template parts of their handles.

#include "actorpool/dict.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>

#include "services/shared/dict_service.hpp"

namespace actorpool::detail {

// -- dict_state: the service --------------------------------------------------

service_result dict_state::on_call(client_id c, uint8_t op,
                                   const std::string& payload) {
  auto typed = static_cast<dict_op>(op);
  switch (typed) {
    case dict_op::set:
    case dict_op::setdefault:
      return store_pair(typed, payload);
    case dict_op::get:
      return encode_found(find(payload));
    case dict_op::pop:
      return pop(c, payload);
    case dict_op::erase:
      return encode(erase(payload));
    case dict_op::contains:
      return encode(find(payload) != nullptr);
    case dict_op::size:
      return encode(static_cast<uint64_t>(items_.size()));
    case dict_op::keys:
    case dict_op::values:
    case dict_op::items:
      return encode(dump(typed));
    case dict_op::update:
      update(payload);
      return encode();
    case dict_op::clear:
      items_.clear();
      index_.clear();
      return encode();
  }
  return fail(errc::protocol_error, "unknown operation");
}

const std::string* dict_state::find(const std::string& key) const {
  auto i = index_.find(key);
  return i == index_.end() ? nullptr : &i->second->second;
}

const std::string& dict_state::store(std::string key, std::string value,
                                     bool overwrite) {
  auto i = index_.find(key);
  if (i != index_.end()) {
    if (overwrite)
      i->second->second = std::move(value);
    return i->second->second;
  }
  items_.emplace_back(key, std::move(value));
  auto pos = std::prev(items_.end());
  index_.emplace(std::move(key), pos);
  return pos->second;
}

bool dict_state::erase(const std::string& key) {
  auto i = index_.find(key);
  if (i == index_.end())
    return false;
  items_.erase(i->second);
  index_.erase(i);
  return true;
}

service_result dict_state::pop(client_id c, const std::string& key) {
  auto out = encode_found(find(key));
  if (auto err = check_fits(c, out))
    return err;
  erase(key);
  return out;
}

std::string dict_state::store_pair(dict_op op, const std::string& payload) {
  decoder src{payload};
  auto [key, value] = take<std::string, std::string>(src);
  src.expect_end();
  auto overwrite = op == dict_op::set;
  auto& stored = store(std::move(key), std::move(value), overwrite);
  return overwrite ? std::string{} : stored;
}

void dict_state::update(const std::string& payload) {
  auto kvs = decode_one<std::vector<std::string>>(payload);
  for (size_t i = 0; i + 1 < kvs.size(); i += 2)
    store(std::move(kvs[i]), std::move(kvs[i + 1]), true);
}

std::vector<std::string> dict_state::dump(dict_op op) const {
  std::vector<std::string> out;
  for (auto& kv : items_) {
    if (op != dict_op::values)
      out.push_back(kv.first);
    if (op != dict_op::keys)
      out.push_back(kv.second);
  }
  return out;
}

caf::actor spawn_dict_service(caf::actor_system& sys) {
  return spawn_service<dict_state>(sys);
}

// -- handle helpers -----------------------------------------------------------

lazy_service make_dict_service() {
  return lazy_service{spawn_dict_service};
}

void dict_store(const lazy_service& svc, const std::string& key,
                const std::string& value) {
  call_op_as<void>(svc, dict_op::set, key, value);
}

std::optional<std::string> dict_get_encoded(const lazy_service& svc,
                                            std::string key) {
  return decode_found(call_op(svc, dict_op::get, std::move(key)));
}

std::optional<std::string> dict_pop_encoded(const lazy_service& svc,
                                            std::string key) {
  return decode_found(call_op(svc, dict_op::pop, std::move(key)));
}

bool dict_erase(const lazy_service& svc, std::string key) {
  return decode_one<bool>(call_op(svc, dict_op::erase, std::move(key)));
}

bool dict_contains(const lazy_service& svc, std::string key) {
  return decode_one<bool>(call_op(svc, dict_op::contains, std::move(key)));
}

uint64_t dict_size(const lazy_service& svc) {
  return call_op_as<uint64_t>(svc, dict_op::size);
}

std::vector<std::string> dict_keys_encoded(const lazy_service& svc) {
  return call_op_as<std::vector<std::string>>(svc, dict_op::keys);
}

std::vector<std::string> dict_values_encoded(const lazy_service& svc) {
  return call_op_as<std::vector<std::string>>(svc, dict_op::values);
}

std::vector<std::string> dict_items_encoded(const lazy_service& svc) {
  return call_op_as<std::vector<std::string>>(svc, dict_op::items);
}

void dict_clear(const lazy_service& svc) {
  call_op(svc, dict_op::clear);
}

void dict_store_all(const lazy_service& svc,
                    const std::vector<std::string>& kvs) {
  call_op_as<void>(svc, dict_op::update, kvs);
}

std::string dict_setdefault_encoded(const lazy_service& svc,
                                    const std::string& key,
                                    const std::string& value) {
  return call_op(svc, dict_op::setdefault, encode(key, value));
}

void throw_missing_key() {
  throw std::out_of_range("key not found in the managed dict");
}

} // namespace actorpool::detail
