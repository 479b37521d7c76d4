#include "actorpool/detail/shared_cell.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>

#include "actorpool/detail/task_registry.hpp"
#include "actorpool/exceptions.hpp"
#include "services/shared/shared_cell_service.hpp"

namespace actorpool::detail {

// -- cell_state: the service --------------------------------------------------

service_result cell_state::on_call(client_id, uint8_t op,
                                   const std::string& payload) {
  decoder src{payload};
  switch (static_cast<cell_op>(op)) {
    case cell_op::get:
      return get(std::get<0>(take<uint64_t>(src)));
    case cell_op::set: {
      auto [i, x] = take<uint64_t, std::string>(src);
      return set(i, x);
    }
    case cell_op::size:
      return encode(static_cast<uint64_t>(elements_.size()));
    case cell_op::get_range: {
      auto [first, last] = take<uint64_t, uint64_t>(src);
      return get_range(first, last);
    }
    case cell_op::set_range: {
      auto [first, xs] = take<uint64_t, std::vector<std::string>>(src);
      return set_range(first, xs);
    }
    case cell_op::fetch_add:
    case cell_op::update:
      return read_modify_write(static_cast<cell_op>(op), src);
  }
  return fail(errc::invalid_argument, "unknown op");
}

service_result cell_state::read_modify_write(cell_op op, decoder& src) {
  auto [i, x] = take<uint64_t, std::string>(src);
  if (op == cell_op::fetch_add)
    return fetch_add(i, x);
  return update(i, x);
}

service_result cell_state::get(uint64_t i) const {
  if (auto err = check(i))
    return err;
  return elements_[i];
}

service_result cell_state::set(uint64_t i, std::string& x) {
  if (auto err = check(i))
    return err;
  elements_[i] = std::move(x);
  return encode();
}

caf::error cell_state::check(uint64_t i) const {
  if (i < elements_.size())
    return caf::none;
  return make_error(errc::invalid_argument,
                    "index " + std::to_string(i) + " out of range (size "
                      + std::to_string(elements_.size()) + ")");
}

service_result cell_state::get_range(uint64_t first, uint64_t last) const {
  auto n = static_cast<uint64_t>(elements_.size());
  last = std::min(last, n);
  first = std::min(first, last);
  std::vector<std::string> xs{elements_.begin() + static_cast<long>(first),
                              elements_.begin() + static_cast<long>(last)};
  return encode(xs);
}

service_result cell_state::set_range(uint64_t first,
                                     std::vector<std::string>& xs) {
  auto n = static_cast<uint64_t>(elements_.size());
  if (first > n || xs.size() > n - first)
    return make_error(errc::invalid_argument,
                      "cannot assign " + std::to_string(xs.size())
                        + " elements at index " + std::to_string(first)
                        + " of an array of size " + std::to_string(n));
  for (size_t k = 0; k < xs.size(); ++k)
    elements_[first + k] = std::move(xs[k]);
  return encode();
}

service_result cell_state::fetch_add(uint64_t i, const std::string& delta) {
  if (auto err = check(i))
    return err;
  if (ops_ == nullptr || ops_->add == nullptr)
    return fail(errc::invalid_argument, "fetch_add: the element type has no +");
  auto old = elements_[i];
  elements_[i] = ops_->add(old, delta);
  return old;
}

service_result cell_state::update(uint64_t i, const std::string& task) {
  if (auto err = check(i))
    return err;
  auto entry = find_task(task);
  if (entry == nullptr || entry->invoker == nullptr)
    return make_error(errc::unknown_task, "no task is registered as " + task);
  try {
    std::string out;
    auto& x = elements_[i];
    entry->invoker->invoke(x.data(), x.size(), 1, out);
    x = out;
    return out;
  } catch (...) {
    return error_from_exception(std::current_exception());
  }
}

caf::actor spawn_shared_cell(caf::actor_system& sys,
                             std::vector<std::string> elements,
                             const cell_ops* ops) {
  return spawn_service<cell_state>(sys, std::move(elements), ops);
}

// -- cell_ref: the handles' side ----------------------------------------------

cell_ref::cell_ref(std::vector<std::string> elements, const cell_ops* ops)
  : svc_([elements = std::move(elements), ops](caf::actor_system& sys) {
      return spawn_shared_cell(sys, elements, ops);
    }) {
  // nop
}

std::string cell_ref::get(uint64_t i) const {
  return call_op(svc_, cell_op::get, encode(i));
}

void cell_ref::set(uint64_t i, std::string x) const {
  call_op(svc_, cell_op::set, encode(i, x));
}

uint64_t cell_ref::size() const {
  return call_op_as<uint64_t>(svc_, cell_op::size);
}

std::vector<std::string> cell_ref::get_range(uint64_t first,
                                             uint64_t last) const {
  return call_op_as<std::vector<std::string>>(svc_, cell_op::get_range, first,
                                              last);
}

void cell_ref::set_range(uint64_t first, std::vector<std::string> xs) const {
  call_op(svc_, cell_op::set_range, encode(first, xs));
}

std::string cell_ref::fetch_add(uint64_t i, std::string delta) const {
  return call_op(svc_, cell_op::fetch_add, encode(i, delta));
}

std::string cell_ref::update(uint64_t i, const std::string& task) const {
  return call_op(svc_, cell_op::update, encode(i, task));
}

} // namespace actorpool::detail
