#include "actorpool/exceptions.hpp"

#include <cxxabi.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>

#include <caf/message.hpp>
#include <caf/sec.hpp>

#include "actorpool/detail/codec.hpp"

namespace actorpool {

error::error(errc code, const std::string& what)
  : std::runtime_error(what), code_(code) {
  // nop
}

remote_failure::remote_failure(std::string type_name, std::string message,
                               int pid)
  : type_name_(std::move(type_name)), message_(std::move(message)), pid_(pid) {
  // nop
}

remote_failure::~remote_failure() {
  // nop
}

task_error::task_error(std::string type_name, std::string message, int pid)
  : error(errc::task_failed,
          type_name + ": " + message + " [worker " + std::to_string(pid) + "]"),
    remote_failure(std::move(type_name), std::move(message), pid) {
  // nop
}

namespace detail {

namespace {

struct exception_table {
  std::mutex mtx;
  std::unordered_map<std::string, exception_thrower> entries;
};

exception_table& exceptions() {
  static exception_table table;
  return table;
}

exception_thrower find_thrower(const std::string& type_name) {
  auto& tbl = exceptions();
  std::lock_guard<std::mutex> guard{tbl.mtx};
  auto i = tbl.entries.find(type_name);
  return i == tbl.entries.end() ? nullptr : i->second;
}

} // namespace

void register_exception(const char* type_name, exception_thrower fn) {
  auto& tbl = exceptions();
  std::lock_guard<std::mutex> guard{tbl.mtx};
  tbl.entries.emplace(type_name, fn);
}

std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)>
    res{abi::__cxa_demangle(mangled, nullptr, nullptr, &status), &std::free};
  return status == 0 && res ? std::string{res.get()} : std::string{mangled};
}

std::string current_exception_type_name() {
  auto* ti = abi::__cxa_current_exception_type();
  return ti ? demangle(ti->name()) : std::string{"<unknown>"};
}

errc code_in_text(const std::string& what, errc fallback) noexcept {
  constexpr const char prefix[] = "actorpool::";
  constexpr size_t prefix_size = sizeof(prefix) - 1;
  if (what.compare(0, prefix_size, prefix) != 0)
    return fallback;
  auto colon = what.find(": ", prefix_size);
  if (colon == std::string::npos)
    return fallback;
  auto name = what.substr(prefix_size, colon - prefix_size);
  for (uint8_t i = 1; i <= errc_count; ++i)
    if (name == to_string(static_cast<errc>(i)))
      return static_cast<errc>(i);
  return fallback;
}

} // namespace detail

// The standard exception types with a string constructor travel as
// themselves: a task throwing std::out_of_range fails get() with an exception
// that `catch (const std::out_of_range&)` catches.
ACTORPOOL_EXCEPTION(std::logic_error)
ACTORPOOL_EXCEPTION(std::invalid_argument)
ACTORPOOL_EXCEPTION(std::domain_error)
ACTORPOOL_EXCEPTION(std::length_error)
ACTORPOOL_EXCEPTION(std::out_of_range)
ACTORPOOL_EXCEPTION(std::runtime_error)
ACTORPOOL_EXCEPTION(std::range_error)
ACTORPOOL_EXCEPTION(std::overflow_error)
ACTORPOOL_EXCEPTION(std::underflow_error)

// So do the library's own: a task whose `q.get(false)` threw `queue_empty`
// fails get() with a `queue_empty` whose code is the original's.
#define ACTORPOOL_OWN_EXCEPTION(T, code)                  \
  static const detail::exception_registrar<T, errc::code> \
    ACTORPOOL_PP_CAT(actorpool_own_exception_, __COUNTER__);

ACTORPOOL_OWN_EXCEPTION(error, task_failed)
ACTORPOOL_OWN_EXCEPTION(timeout_error, timeout)
ACTORPOOL_OWN_EXCEPTION(pool_not_running, pool_not_running)
ACTORPOOL_OWN_EXCEPTION(bad_argument, invalid_argument)
ACTORPOOL_OWN_EXCEPTION(encoding_error, encoding_failed)
ACTORPOOL_OWN_EXCEPTION(unknown_task_error, unknown_task)
ACTORPOOL_OWN_EXCEPTION(worker_died_error, worker_died)
ACTORPOOL_OWN_EXCEPTION(start_error, worker_start_failed)
ACTORPOOL_OWN_EXCEPTION(cancelled_error, cancelled)
ACTORPOOL_OWN_EXCEPTION(input_error, input_failed)
ACTORPOOL_OWN_EXCEPTION(queue_empty, empty)
ACTORPOOL_OWN_EXCEPTION(queue_full, full)
ACTORPOOL_OWN_EXCEPTION(state_error, invalid_state)
ACTORPOOL_OWN_EXCEPTION(broken_barrier_error, broken_barrier)
ACTORPOOL_OWN_EXCEPTION(eof_error, end_of_file)
ACTORPOOL_OWN_EXCEPTION(system_error, system_error)

#undef ACTORPOOL_OWN_EXCEPTION

namespace {

std::string context_text(const caf::error& err) {
  auto& ctx = err.context();
  if (ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return render(err);
}

[[noreturn]] void throw_task_failure(const caf::error& err) {
  auto& ctx = err.context();
  if (!ctx.match_elements<std::string, std::string, int32_t>())
    throw task_error("<unknown>", context_text(err), 0);
  auto& type_name = ctx.get_as<std::string>(0);
  auto& message = ctx.get_as<std::string>(1);
  auto pid = ctx.get_as<int32_t>(2);
  if (auto fn = detail::find_thrower(type_name))
    fn(type_name, message, pid);
  throw task_error(type_name, message, pid);
}

[[noreturn]] void throw_own_error(const caf::error& err) {
  auto code = static_cast<errc>(err.code());
  auto what = render(err);
  switch (code) {
    case errc::task_failed:
      throw_task_failure(err);
    case errc::timeout:
      throw timeout_error(code, what);
    case errc::pool_not_running:
      throw pool_not_running(code, what);
    case errc::invalid_argument:
      throw bad_argument(code, what);
    case errc::encoding_failed:
    case errc::decoding_failed:
      throw encoding_error(code, what);
    case errc::unknown_task:
      throw unknown_task_error(code, what);
    case errc::worker_died:
      throw worker_died_error(code, what);
    case errc::worker_start_failed:
    case errc::initializer_failed:
      throw start_error(code, what);
    case errc::cancelled:
    case errc::terminated:
      throw cancelled_error(code, what);
    case errc::input_failed:
      throw input_error(code, what);
    case errc::empty:
      throw queue_empty(code, what);
    case errc::full:
      throw queue_full(code, what);
    case errc::invalid_state:
      throw state_error(code, what);
    case errc::broken_barrier:
      throw broken_barrier_error(code, what);
    case errc::end_of_file:
      throw eof_error(code, what);
    default:
      throw system_error(code, what);
  }
}

// what() of our exceptions is render(err): "actorpool::<code>: <context>".
std::string strip_prefix(errc code, const std::string& what) {
  auto prefix = std::string{"actorpool::"} + to_string(code) + ": ";
  if (what.compare(0, prefix.size(), prefix) == 0)
    return what.substr(prefix.size());
  return what;
}

} // namespace

void throw_error(const caf::error& err) {
  if (!err)
    throw system_error(errc::system_error, "throw_error called without error");
  if (is_actorpool_error(err))
    throw_own_error(err);
  if (err == caf::sec::request_timeout)
    throw timeout_error(errc::timeout, render(err));
  throw system_error(errc::system_error, render(err));
}

caf::error error_from_exception(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const remote_failure& e) {
    return make_error(errc::task_failed, e.type_name(), e.message(),
                      static_cast<int32_t>(e.pid()));
  } catch (const error& e) {
    return make_error(e.code(), strip_prefix(e.code(), e.what()));
  } catch (const detail::codec_failure& e) {
    return make_error(e.code(), std::string{e.what()});
  } catch (const std::exception& e) {
    return make_error(errc::task_failed, detail::current_exception_type_name(),
                      std::string{e.what()}, static_cast<int32_t>(getpid()));
  } catch (...) {
    return make_error(errc::task_failed, detail::current_exception_type_name(),
                      std::string{"non-standard exception"},
                      static_cast<int32_t>(getpid()));
  }
}

} // namespace actorpool
