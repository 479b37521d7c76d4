// The manager (a group of services) and the services behind its containers:
// dict (also behind namespace_proxy) and list.
//
// Dict payloads: `set`, `setdefault` = (key, value) as two encoded strings;
// `get`, `pop`, `erase`, `contains` = the raw key; `update` = a vector of
// keys and values alternating. Replies of `get`, `pop`: a bool (found)
// followed by the raw value; of `setdefault`: the raw value.
// List payloads: `append` = the raw item; `extend` = a vector of items;
// `get`, `pop` = an i64 index, answered by a bool (index valid) followed by
// the raw item; `set` = an i64 index followed by the raw item, answered by a
// bool.

#include "actorpool/manager.hpp"

#include <list>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "internal/atoms.hpp"
#include "internal/container_services.hpp"
#include "internal/service_registry.hpp"

namespace actorpool {

namespace detail {

namespace {

template <class T>
std::string encoded(T x) {
  std::string out;
  encode_into(out, x);
  return out;
}

// A bool flag, then (when set) raw bytes.
std::string maybe(const std::string* x) {
  auto out = encoded(x != nullptr);
  if (x)
    out += *x;
  return out;
}

std::optional<std::string> read_maybe(const std::string& reply) {
  decoder src{reply};
  bool found = false;
  src.read(found);
  if (!found)
    return std::nullopt;
  return reply.substr(reply.size() - src.remaining());
}

std::string rest(const std::string& payload, const decoder& src) {
  return payload.substr(payload.size() - src.remaining());
}

service_handle make_service(caf::actor (*spawn)(caf::actor_system&)) {
  auto& sys = default_system();
  auto hdl = spawn(sys);
  track_actor(sys, hdl);
  return service_handle{std::move(hdl)};
}

// -- dict service -----------------------------------------------------------

struct dict_state {
  using entries = std::list<std::pair<std::string, std::string>>;
  entries items;
  std::unordered_map<std::string, entries::iterator> index;
  static inline const char* name = "actorpool.dict";

  const std::string* find(const std::string& key) const {
    auto i = index.find(key);
    return i == index.end() ? nullptr : &i->second->second;
  }

  // Returns the stored value (the old one when `overwrite` is false).
  const std::string& store(std::string key, std::string value,
                           bool overwrite = true) {
    auto i = index.find(key);
    if (i != index.end()) {
      if (overwrite)
        i->second->second = std::move(value);
      return i->second->second;
    }
    items.emplace_back(key, std::move(value));
    auto pos = std::prev(items.end());
    index.emplace(std::move(key), pos);
    return pos->second;
  }

  bool erase(const std::string& key) {
    auto i = index.find(key);
    if (i == index.end())
      return false;
    items.erase(i->second);
    index.erase(i);
    return true;
  }

  std::vector<std::string> dump(uint8_t op) const {
    std::vector<std::string> out;
    for (auto& kv : items) {
      if (op != dict_ops::values)
        out.push_back(kv.first);
      if (op != dict_ops::keys)
        out.push_back(kv.second);
    }
    return out;
  }
};

std::string on_pop(dict_state& st, const std::string& key) {
  auto x = st.find(key);
  if (!x)
    return maybe(nullptr);
  auto out = maybe(x);
  st.erase(key);
  return out;
}

std::string on_store(dict_state& st, uint8_t op, const std::string& p) {
  std::string key;
  std::string value;
  decoder src{p};
  src.read(key, value);
  src.expect_end();
  auto& stored = st.store(std::move(key), std::move(value),
                          op == dict_ops::set);
  return op == dict_ops::set ? std::string{} : stored;
}

void on_update(dict_state& st, const std::string& p) {
  auto kvs = decode_one<std::vector<std::string>>(p);
  for (size_t i = 0; i + 1 < kvs.size(); i += 2)
    st.store(std::move(kvs[i]), std::move(kvs[i + 1]));
}

std::string on_dict_call(dict_state& st, uint8_t op, const std::string& p) {
  switch (op) {
    case dict_ops::set:
    case dict_ops::setdefault:
      return on_store(st, op, p);
    case dict_ops::get:
      return maybe(st.find(p));
    case dict_ops::pop:
      return on_pop(st, p);
    case dict_ops::erase:
      return encoded(st.erase(p));
    case dict_ops::contains:
      return encoded(st.find(p) != nullptr);
    case dict_ops::size:
      return encoded(static_cast<uint64_t>(st.items.size()));
    case dict_ops::update:
      on_update(st, p);
      return {};
    case dict_ops::clear:
      st.items.clear();
      st.index.clear();
      return {};
    default:
      return encoded(st.dump(op));
  }
}

// -- list service -----------------------------------------------------------

struct list_state {
  std::vector<std::string> items;
  static inline const char* name = "actorpool.list";

  // The position of Python index `i`, or nothing when out of range.
  std::optional<size_t> position(int64_t i) const {
    auto n = static_cast<int64_t>(items.size());
    if (i < 0)
      i += n;
    if (i < 0 || i >= n)
      return std::nullopt;
    return static_cast<size_t>(i);
  }
};

std::string on_list_take(list_state& st, uint8_t op, const std::string& p) {
  auto pos = st.position(decode_one<int64_t>(p));
  if (!pos)
    return maybe(nullptr);
  auto out = maybe(&st.items[*pos]);
  if (op == list_ops::pop)
    st.items.erase(st.items.begin() + static_cast<ptrdiff_t>(*pos));
  return out;
}

std::string on_list_set(list_state& st, const std::string& p) {
  int64_t index = 0;
  decoder src{p};
  src.read(index);
  auto pos = st.position(index);
  if (pos)
    st.items[*pos] = rest(p, src);
  return encoded(pos.has_value());
}

std::string on_list_call(list_state& st, uint8_t op, const std::string& p) {
  switch (op) {
    case list_ops::append:
      st.items.push_back(p);
      return {};
    case list_ops::extend:
      for (auto& x : decode_one<std::vector<std::string>>(p))
        st.items.push_back(std::move(x));
      return {};
    case list_ops::get:
    case list_ops::pop:
      return on_list_take(st, op, p);
    case list_ops::set:
      return on_list_set(st, p);
    case list_ops::size:
      return encoded(static_cast<uint64_t>(st.items.size()));
    case list_ops::clear:
      st.items.clear();
      return {};
    default:
      return encoded(st.items);
  }
}

// Both containers answer every call at once; they hold no waiting calls, so
// a dead client needs no cleanup.
template <class State, class Fn>
caf::behavior
container(caf::stateful_actor<State>* self, uint8_t max_op, Fn fn) {
  return {
    [self, max_op, fn](service_atom, int32_t, uint64_t, uint8_t op,
                       const std::string& payload) -> caf::result<std::string> {
      if (op == 0 || op > max_op)
        return make_error(errc::protocol_error,
                          std::string{"unknown operation"});
      try {
        return fn(self->state, op, payload);
      } catch (const codec_failure& e) {
        return make_error(e.code(), std::string{e.what()});
      }
    },
    [](client_down_atom, int32_t) {
      // nop
    },
  };
}

// `max_op` is an argument (not a constant) because CAF 0.17 dereferences a
// null argument tuple when spawning a function without arguments (UBSan).
caf::behavior dict_service(caf::stateful_actor<dict_state>* self,
                           uint8_t max_op) {
  return container(self, max_op, on_dict_call);
}

caf::behavior list_service(caf::stateful_actor<list_state>* self,
                           uint8_t max_op) {
  return container(self, max_op, on_list_call);
}

} // namespace

caf::actor spawn_dict_service(caf::actor_system& sys) {
  return sys.spawn(dict_service, uint8_t{dict_ops::setdefault});
}

caf::actor spawn_list_service(caf::actor_system& sys) {
  return sys.spawn(list_service, uint8_t{list_ops::clear});
}

// -- dict handle helpers ----------------------------------------------------

service_handle make_dict_service(uint64_t) {
  return make_service(spawn_dict_service);
}

void dict_store(const lazy_service& svc, std::string key, std::string value) {
  svc.call_as<void>(dict_ops::set, std::move(key), std::move(value));
}

std::optional<std::string> dict_lookup(const lazy_service& svc, service_op op,
                                       std::string key) {
  return read_maybe(svc.call(op, std::move(key)));
}

bool dict_test(const lazy_service& svc, service_op op, std::string key) {
  return decode_one<bool>(svc.call(op, std::move(key)));
}

std::vector<std::string> dict_dump(const lazy_service& svc, service_op op) {
  return svc.call_as<std::vector<std::string>>(op);
}

void dict_store_all(const lazy_service& svc, std::vector<std::string> kvs) {
  svc.call_as<void>(dict_ops::update, std::move(kvs));
}

std::string dict_setdefault_encoded(const lazy_service& svc, std::string key,
                                    std::string value) {
  std::string payload;
  encode_into(payload, key, value);
  return svc.call(dict_ops::setdefault, std::move(payload));
}

void throw_missing_key() {
  throw std::out_of_range("key not found in the managed dict");
}

// -- list handle helpers ----------------------------------------------------

service_handle make_list_service(uint64_t) {
  return make_service(spawn_list_service);
}

void list_append_encoded(const lazy_service& svc, std::string item) {
  svc.call(list_ops::append, std::move(item));
}

void list_extend_encoded(const lazy_service& svc,
                         std::vector<std::string> items) {
  svc.call_as<void>(list_ops::extend, std::move(items));
}

std::string list_take(const lazy_service& svc, service_op op, int64_t index) {
  auto x = read_maybe(svc.call(op, encoded(index)));
  if (!x)
    throw std::out_of_range("managed list index out of range");
  return std::move(*x);
}

void list_set_encoded(const lazy_service& svc, int64_t index,
                      std::string item) {
  auto payload = encoded(index);
  payload += item;
  if (!decode_one<bool>(svc.call(list_ops::set, std::move(payload))))
    throw std::out_of_range("managed list assignment index out of range");
}

std::vector<std::string> list_items_encoded(const lazy_service& svc) {
  return svc.call_as<std::vector<std::string>>(list_ops::items);
}

} // namespace detail

// -- manager ----------------------------------------------------------------

struct manager::group {
  mutable std::mutex mtx;
  std::vector<detail::lazy_service> services;
  std::vector<std::shared_ptr<const void>> primitives;
  std::vector<uint64_t> primitive_ids;
  bool running = true;
};

manager::manager() : group_(std::make_shared<group>()) {
  // nop
}

namespace {

[[noreturn]] void throw_shut_down() {
  throw state_error(errc::invalid_state,
                    "actorpool::invalid_state: the manager is shut down");
}

} // namespace

void manager::check_running() const {
  if (!running())
    throw_shut_down();
}

void manager::adopt_service(const detail::lazy_service& svc) {
  check_running();
  svc.id(); // creates it now
  std::lock_guard<std::mutex> guard{group_->mtx};
  if (!group_->running)
    throw_shut_down();
  group_->services.push_back(svc);
}

void manager::keep(std::shared_ptr<const void> handle, uint64_t id) {
  std::lock_guard<std::mutex> guard{group_->mtx};
  if (!group_->running)
    throw_shut_down();
  group_->primitives.push_back(std::move(handle));
  if (id != 0)
    group_->primitive_ids.push_back(id);
}

void manager::shutdown() {
  std::vector<detail::lazy_service> services;
  std::vector<std::shared_ptr<const void>> primitives;
  std::vector<uint64_t> ids;
  {
    std::lock_guard<std::mutex> guard{group_->mtx};
    group_->running = false;
    services.swap(group_->services);
    primitives.swap(group_->primitives);
    ids.swap(group_->primitive_ids);
  }
  for (auto& svc : services)
    detail::unregister_service(svc.id());
  for (auto id : ids)
    detail::unregister_service(id);
}

bool manager::running() const {
  std::lock_guard<std::mutex> guard{group_->mtx};
  return group_->running;
}

size_t manager::size() const {
  std::lock_guard<std::mutex> guard{group_->mtx};
  return group_->services.size() + group_->primitives.size();
}

} // namespace actorpool
