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
  switch (op) {
    case dict_ops::set:
    case dict_ops::setdefault:
      return store_pair(op, payload);
    case dict_ops::get:
      return encode_found(find(payload));
    case dict_ops::pop:
      return pop(c, payload);
    case dict_ops::erase:
      return encode(erase(payload));
    case dict_ops::contains:
      return encode(find(payload) != nullptr);
    case dict_ops::size:
      return encode(static_cast<uint64_t>(items_.size()));
    case dict_ops::keys:
    case dict_ops::values:
    case dict_ops::items:
      return encode(dump(op));
    case dict_ops::update:
      update(payload);
      return encode();
    case dict_ops::clear:
      items_.clear();
      index_.clear();
      return encode();
    default:
      return fail(errc::protocol_error, "unknown operation");
  }
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

std::string dict_state::store_pair(uint8_t op, const std::string& payload) {
  decoder src{payload};
  auto [key, value] = take<std::string, std::string>(src);
  src.expect_end();
  auto overwrite = op == dict_ops::set;
  auto& stored = store(std::move(key), std::move(value), overwrite);
  return overwrite ? std::string{} : stored;
}

void dict_state::update(const std::string& payload) {
  auto kvs = decode_one<std::vector<std::string>>(payload);
  for (size_t i = 0; i + 1 < kvs.size(); i += 2)
    store(std::move(kvs[i]), std::move(kvs[i + 1]), true);
}

std::vector<std::string> dict_state::dump(uint8_t op) const {
  std::vector<std::string> out;
  for (auto& kv : items_) {
    if (op != dict_ops::values)
      out.push_back(kv.first);
    if (op != dict_ops::keys)
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
  svc.call_as<void>(dict_ops::set, key, value);
}

std::optional<std::string> dict_lookup(const lazy_service& svc, service_op op,
                                       std::string key) {
  return decode_found(svc.call(op, std::move(key)));
}

bool dict_test(const lazy_service& svc, service_op op, std::string key) {
  return decode_one<bool>(svc.call(op, std::move(key)));
}

std::vector<std::string> dict_dump(const lazy_service& svc, service_op op) {
  return svc.call_as<std::vector<std::string>>(op);
}

void dict_store_all(const lazy_service& svc,
                    const std::vector<std::string>& kvs) {
  svc.call_as<void>(dict_ops::update, kvs);
}

std::string dict_setdefault_encoded(const lazy_service& svc,
                                    const std::string& key,
                                    const std::string& value) {
  return svc.call(dict_ops::setdefault, encode(key, value));
}

void throw_missing_key() {
  throw std::out_of_range("key not found in the managed dict");
}

} // namespace actorpool::detail
