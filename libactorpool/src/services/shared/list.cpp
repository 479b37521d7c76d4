// The list service and the non-template parts of the `list` handle.

#include "actorpool/list.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>

#include "services/shared/list_service.hpp"

namespace actorpool::detail {

// -- list_state: the service --------------------------------------------------

service_result list_state::on_call(client_id c, uint8_t op,
                                   const std::string& payload) {
  auto typed = static_cast<list_op>(op);
  switch (typed) {
    case list_op::append:
      items_.push_back(payload);
      return encode();
    case list_op::extend:
      extend(payload);
      return encode();
    case list_op::get:
    case list_op::pop:
      return take_item(c, typed, payload);
    case list_op::set:
      return set_item(payload);
    case list_op::size:
      return encode(static_cast<uint64_t>(items_.size()));
    case list_op::items:
      return encode(items_);
    case list_op::clear:
      items_.clear();
      return encode();
  }
  return fail(errc::protocol_error, "unknown operation");
}

std::optional<size_t> list_state::position(int64_t i) const {
  auto n = static_cast<int64_t>(items_.size());
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    return std::nullopt;
  return static_cast<size_t>(i);
}

service_result list_state::take_item(client_id c, list_op op,
                                     const std::string& payload) {
  auto pos = position(decode_one<int64_t>(payload));
  if (!pos)
    return encode_found(nullptr);
  auto out = encode_found(&items_[*pos]);
  if (auto err = check_fits(c, out))
    return err;
  if (op == list_op::pop)
    items_.erase(items_.begin() + static_cast<ptrdiff_t>(*pos));
  return out;
}

std::string list_state::set_item(const std::string& payload) {
  decoder src{payload};
  auto [index] = take<int64_t>(src);
  auto pos = position(index);
  if (pos)
    items_[*pos] = rest_of(payload, src);
  return encode(pos.has_value());
}

void list_state::extend(const std::string& payload) {
  for (auto& x : decode_one<std::vector<std::string>>(payload))
    items_.push_back(std::move(x));
}

caf::actor spawn_list_service(caf::actor_system& sys) {
  return spawn_service<list_state>(sys);
}

// -- handle helpers -----------------------------------------------------------

lazy_service make_list_service() {
  return lazy_service{spawn_list_service};
}

void list_append_encoded(const lazy_service& svc, std::string item) {
  call_op(svc, list_op::append, std::move(item));
}

void list_extend_encoded(const lazy_service& svc,
                         const std::vector<std::string>& items) {
  call_op_as<void>(svc, list_op::extend, items);
}

namespace {

std::string list_take(const lazy_service& svc, list_op op, int64_t index) {
  auto x = decode_found(call_op(svc, op, encode(index)));
  if (!x)
    throw std::out_of_range("managed list index out of range");
  return std::move(*x);
}

} // namespace

std::string list_get_encoded(const lazy_service& svc, int64_t index) {
  return list_take(svc, list_op::get, index);
}

std::string list_pop_encoded(const lazy_service& svc, int64_t index) {
  return list_take(svc, list_op::pop, index);
}

void list_set_encoded(const lazy_service& svc, int64_t index,
                      const std::string& item) {
  if (!decode_one<bool>(call_op(svc, list_op::set, encode(index) + item)))
    throw std::out_of_range("managed list assignment index out of range");
}

std::vector<std::string> list_items_encoded(const lazy_service& svc) {
  return call_op_as<std::vector<std::string>>(svc, list_op::items);
}

uint64_t list_size(const lazy_service& svc) {
  return call_op_as<uint64_t>(svc, list_op::size);
}

void list_clear(const lazy_service& svc) {
  call_op(svc, list_op::clear);
}

} // namespace actorpool::detail
