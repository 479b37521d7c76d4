#include "actorpool/exceptions.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <type_traits>

#include <caf/sec.hpp>

#include "actorpool/detail/codec.hpp"
#include "support/test_tasks.hpp"

using actorpool::errc;

namespace {

caf::error task_failure(const std::string& type, const std::string& msg,
                        int32_t pid) {
  return actorpool::make_error(errc::task_failed, type, msg, pid);
}

caf::error with_text(errc code) {
  return actorpool::make_error(code, std::string{"some text"});
}

// Throws `err` and returns the code of the `actorpool::error` it became.
template <class Expected>
errc thrown_code(const caf::error& err) {
  try {
    actorpool::throw_error(err);
  } catch (const Expected& e) {
    return e.code();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception: " << e.what();
  }
  return errc{};
}

struct unregistered_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct user_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace

ACTORPOOL_EXCEPTION(user_error)

TEST(exceptions, error_carries_code_and_text) {
  actorpool::timeout_error e{errc::timeout, "late"};
  EXPECT_EQ(e.code(), errc::timeout);
  EXPECT_STREQ(e.what(), "late");
  const actorpool::error& base = e;
  EXPECT_EQ(base.code(), errc::timeout);
}

TEST(exceptions, throw_error_maps_timeout) {
  auto err = with_text(errc::timeout);
  EXPECT_EQ(thrown_code<actorpool::timeout_error>(err), errc::timeout);
}

TEST(exceptions, throw_error_maps_pool_not_running) {
  auto err = with_text(errc::pool_not_running);
  EXPECT_EQ(thrown_code<actorpool::pool_not_running>(err),
            errc::pool_not_running);
}

TEST(exceptions, throw_error_maps_invalid_argument) {
  auto err = with_text(errc::invalid_argument);
  EXPECT_EQ(thrown_code<actorpool::bad_argument>(err), errc::invalid_argument);
}

TEST(exceptions, throw_error_maps_codec_errors) {
  auto enc = with_text(errc::encoding_failed);
  auto dec = with_text(errc::decoding_failed);
  EXPECT_EQ(thrown_code<actorpool::encoding_error>(enc), errc::encoding_failed);
  EXPECT_EQ(thrown_code<actorpool::encoding_error>(dec), errc::decoding_failed);
}

TEST(exceptions, throw_error_maps_unknown_task) {
  auto err = with_text(errc::unknown_task);
  EXPECT_EQ(thrown_code<actorpool::unknown_task_error>(err),
            errc::unknown_task);
}

TEST(exceptions, throw_error_maps_worker_died) {
  auto err = with_text(errc::worker_died);
  EXPECT_EQ(thrown_code<actorpool::worker_died_error>(err), errc::worker_died);
}

TEST(exceptions, throw_error_maps_start_errors) {
  auto start = with_text(errc::worker_start_failed);
  auto init = with_text(errc::initializer_failed);
  EXPECT_EQ(thrown_code<actorpool::start_error>(start),
            errc::worker_start_failed);
  EXPECT_EQ(thrown_code<actorpool::start_error>(init),
            errc::initializer_failed);
}

TEST(exceptions, throw_error_maps_cancellation) {
  auto cancelled = with_text(errc::cancelled);
  auto terminated = with_text(errc::terminated);
  EXPECT_EQ(thrown_code<actorpool::cancelled_error>(cancelled),
            errc::cancelled);
  EXPECT_EQ(thrown_code<actorpool::cancelled_error>(terminated),
            errc::terminated);
}

TEST(exceptions, throw_error_maps_input_failed) {
  auto err = with_text(errc::input_failed);
  EXPECT_EQ(thrown_code<actorpool::input_error>(err), errc::input_failed);
}

TEST(exceptions, throw_error_maps_primitive_errors) {
  EXPECT_EQ(thrown_code<actorpool::queue_empty>(with_text(errc::empty)),
            errc::empty);
  EXPECT_EQ(thrown_code<actorpool::queue_full>(with_text(errc::full)),
            errc::full);
  EXPECT_EQ(thrown_code<actorpool::state_error>(with_text(errc::invalid_state)),
            errc::invalid_state);
  EXPECT_EQ(thrown_code<actorpool::broken_barrier_error>(
              with_text(errc::broken_barrier)),
            errc::broken_barrier);
  EXPECT_EQ(thrown_code<actorpool::eof_error>(with_text(errc::end_of_file)),
            errc::end_of_file);
}

TEST(exceptions, throw_error_maps_the_rest_to_system_error) {
  auto proto = with_text(errc::protocol_error);
  auto sys = with_text(errc::system_error);
  EXPECT_EQ(thrown_code<actorpool::system_error>(proto), errc::protocol_error);
  EXPECT_EQ(thrown_code<actorpool::system_error>(sys), errc::system_error);
}

TEST(exceptions, throw_error_text_is_rendered_error) {
  auto err = actorpool::make_error(errc::timeout, std::string{"too slow"});
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const actorpool::timeout_error& e) {
    EXPECT_STREQ(e.what(), "actorpool::timeout: too slow");
  }
}

TEST(exceptions, throw_error_without_error_is_system_error) {
  EXPECT_EQ(thrown_code<actorpool::system_error>(caf::error{}),
            errc::system_error);
}

TEST(exceptions, request_timeout_becomes_timeout_error) {
  auto err = caf::make_error(caf::sec::request_timeout);
  EXPECT_EQ(thrown_code<actorpool::timeout_error>(err), errc::timeout);
}

TEST(exceptions, other_caf_errors_become_system_error) {
  auto err = caf::make_error(caf::sec::invalid_argument);
  EXPECT_EQ(thrown_code<actorpool::system_error>(err), errc::system_error);
}

TEST(exceptions, registered_std_type_is_rethrown_as_itself) {
  auto err = task_failure("std::out_of_range", "index 9", 1234);
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "index 9");
    auto rf = dynamic_cast<const actorpool::remote_failure*>(&e);
    ASSERT_NE(rf, nullptr);
    EXPECT_EQ(rf->type_name(), "std::out_of_range");
    EXPECT_EQ(rf->message(), "index 9");
    EXPECT_EQ(rf->pid(), 1234);
  }
}

TEST(exceptions, registered_std_type_is_a_remote_failure) {
  auto err = task_failure("std::invalid_argument", "bad", 77);
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const actorpool::remote_failure& e) {
    EXPECT_EQ(e.type_name(), "std::invalid_argument");
    EXPECT_EQ(e.message(), "bad");
    EXPECT_EQ(e.pid(), 77);
    EXPECT_NE(dynamic_cast<const std::invalid_argument*>(&e), nullptr);
  }
}

TEST(exceptions, every_stdexcept_type_is_registered) {
  auto check = [](const char* type, auto tag) {
    using type_tag = decltype(tag);
    try {
      actorpool::throw_error(task_failure(type, "m", 1));
    } catch (const typename type_tag::type& e) {
      EXPECT_EQ(dynamic_cast<const actorpool::remote_failure&>(e).type_name(),
                type);
      return;
    } catch (...) {
    }
    ADD_FAILURE() << type << " was not rethrown as itself";
  };
  check("std::logic_error", std::common_type<std::logic_error>{});
  check("std::domain_error", std::common_type<std::domain_error>{});
  check("std::length_error", std::common_type<std::length_error>{});
  check("std::runtime_error", std::common_type<std::runtime_error>{});
  check("std::range_error", std::common_type<std::range_error>{});
  check("std::overflow_error", std::common_type<std::overflow_error>{});
  check("std::underflow_error", std::common_type<std::underflow_error>{});
}

namespace {

// Throws a task failure of `type` (the demangled name of `T`) with the text
// `what` and checks that it arrives as `T` with the code `code`, the text,
// the type name and the pid.
template <class T>
void expect_own_type(const char* type, const std::string& what, errc code) {
  EXPECT_EQ(actorpool::detail::demangle(typeid(T).name()), type);
  try {
    actorpool::throw_error(task_failure(type, what, 4321));
  } catch (const T& e) {
    EXPECT_EQ(e.code(), code) << type;
    EXPECT_EQ(e.what(), what) << type;
    auto rf = dynamic_cast<const actorpool::remote_failure*>(&e);
    ASSERT_NE(rf, nullptr) << type;
    EXPECT_EQ(rf->type_name(), type);
    EXPECT_EQ(rf->message(), what);
    EXPECT_EQ(rf->pid(), 4321);
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << type << " arrived as " << e.what();
    return;
  }
}

} // namespace

TEST(exceptions, library_types_are_rethrown_as_themselves) {
  using namespace actorpool;
  expect_own_type<timeout_error>("actorpool::timeout_error",
                                 "actorpool::timeout: get() timed out",
                                 errc::timeout);
  expect_own_type<pool_not_running>("actorpool::pool_not_running",
                                    "actorpool::pool_not_running: closed",
                                    errc::pool_not_running);
  expect_own_type<bad_argument>("actorpool::bad_argument",
                                "actorpool::invalid_argument: n < 1",
                                errc::invalid_argument);
  expect_own_type<encoding_error>("actorpool::encoding_error",
                                  "actorpool::decoding_failed: short",
                                  errc::decoding_failed);
  expect_own_type<unknown_task_error>("actorpool::unknown_task_error",
                                      "actorpool::unknown_task: f",
                                      errc::unknown_task);
  expect_own_type<worker_died_error>("actorpool::worker_died_error",
                                     "actorpool::worker_died: signal 9",
                                     errc::worker_died);
  expect_own_type<start_error>("actorpool::start_error",
                               "actorpool::initializer_failed: init",
                               errc::initializer_failed);
  expect_own_type<cancelled_error>("actorpool::cancelled_error",
                                   "actorpool::terminated: dropped",
                                   errc::terminated);
  expect_own_type<input_error>("actorpool::input_error",
                               "actorpool::input_failed: bad input",
                               errc::input_failed);
  expect_own_type<queue_empty>("actorpool::queue_empty",
                               "actorpool::empty: the queue is empty",
                               errc::empty);
  expect_own_type<queue_full>("actorpool::queue_full",
                              "actorpool::full: the queue is full", errc::full);
  expect_own_type<state_error>("actorpool::state_error",
                               "actorpool::invalid_state: not held",
                               errc::invalid_state);
  expect_own_type<broken_barrier_error>("actorpool::broken_barrier_error",
                                        "actorpool::broken_barrier: reset",
                                        errc::broken_barrier);
  expect_own_type<eof_error>("actorpool::eof_error",
                             "actorpool::end_of_file: closed",
                             errc::end_of_file);
  expect_own_type<system_error>("actorpool::system_error",
                                "actorpool::system_error: socketpair",
                                errc::system_error);
  expect_own_type<error>("actorpool::error", "actorpool::full: base class",
                         errc::full);
}

TEST(exceptions, library_type_with_text_of_its_own_gets_its_usual_code) {
  using namespace actorpool;
  expect_own_type<queue_empty>("actorpool::queue_empty", "nothing there",
                               errc::empty);
  expect_own_type<start_error>("actorpool::start_error",
                               "actorpool::no_such_code: x",
                               errc::worker_start_failed);
  expect_own_type<broken_barrier_error>("actorpool::broken_barrier_error",
                                        "actorpool::", errc::broken_barrier);
}

TEST(exceptions, code_in_text) {
  using actorpool::detail::code_in_text;
  EXPECT_EQ(code_in_text("actorpool::empty: x", errc::full), errc::empty);
  EXPECT_EQ(code_in_text("actorpool::end_of_file: ", errc::full),
            errc::end_of_file);
  EXPECT_EQ(code_in_text("actorpool::empty", errc::full), errc::full);
  EXPECT_EQ(code_in_text("actorpool::bogus: x", errc::full), errc::full);
  EXPECT_EQ(code_in_text("empty: x", errc::full), errc::full);
  EXPECT_EQ(code_in_text("", errc::timeout), errc::timeout);
}

TEST(exceptions, unregistered_type_becomes_task_error) {
  auto err = task_failure("some::custom_error", "nope", 42);
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const actorpool::task_error& e) {
    EXPECT_EQ(e.code(), errc::task_failed);
    EXPECT_EQ(e.type_name(), "some::custom_error");
    EXPECT_EQ(e.message(), "nope");
    EXPECT_EQ(e.pid(), 42);
    EXPECT_STREQ(e.what(), "some::custom_error: nope [worker 42]");
  }
}

TEST(exceptions, task_failure_without_full_context_is_task_error) {
  auto err = actorpool::make_error(errc::task_failed, std::string{"what"});
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const actorpool::task_error& e) {
    EXPECT_EQ(e.type_name(), "<unknown>");
    EXPECT_EQ(e.message(), "what");
    EXPECT_EQ(e.pid(), 0);
  }
}

TEST(exceptions, user_type_registered_with_macro) {
  auto name = actorpool::detail::demangle(typeid(user_error).name());
  try {
    actorpool::throw_error(task_failure(name, "mine", 5));
    FAIL() << "throw_error returned";
  } catch (const user_error& e) {
    EXPECT_STREQ(e.what(), "mine");
    auto& rf = dynamic_cast<const actorpool::remote_failure&>(e);
    EXPECT_EQ(rf.type_name(), name);
    EXPECT_EQ(rf.pid(), 5);
  }
}

TEST(exceptions, test_support_types_are_registered) {
  auto name = actorpool::detail::demangle(
    typeid(actorpool::test::value_error).name());
  EXPECT_EQ(name, "actorpool::test::value_error");
  EXPECT_THROW(actorpool::throw_error(task_failure(name, "v", 1)),
               actorpool::test::value_error);
}

TEST(exceptions, error_from_std_exception) {
  auto err = actorpool::error_from_exception(
    std::make_exception_ptr(std::out_of_range{"oops"}));
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::task_failed));
  auto& ctx = err.context();
  ASSERT_TRUE((ctx.match_elements<std::string, std::string, int32_t>()));
  EXPECT_EQ(ctx.get_as<std::string>(0), "std::out_of_range");
  EXPECT_EQ(ctx.get_as<std::string>(1), "oops");
  EXPECT_EQ(ctx.get_as<int32_t>(2), static_cast<int32_t>(getpid()));
}

TEST(exceptions, error_from_std_exception_round_trips) {
  auto err = actorpool::error_from_exception(
    std::make_exception_ptr(std::out_of_range{"oops"}));
  try {
    actorpool::throw_error(err);
    FAIL() << "throw_error returned";
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "oops");
  }
}

TEST(exceptions, error_from_remote_failure_round_trips) {
  auto original = task_failure("std::range_error", "r", 99);
  std::exception_ptr ep;
  try {
    actorpool::throw_error(original);
  } catch (...) {
    ep = std::current_exception();
  }
  EXPECT_EQ(actorpool::error_from_exception(ep), original);
}

TEST(exceptions, error_from_task_error_round_trips) {
  auto original = task_failure("x::y", "z", 3);
  std::exception_ptr ep;
  try {
    actorpool::throw_error(original);
  } catch (...) {
    ep = std::current_exception();
  }
  EXPECT_EQ(actorpool::error_from_exception(ep), original);
}

TEST(exceptions, error_from_actorpool_error_keeps_code) {
  auto ep = std::make_exception_ptr(
    actorpool::worker_died_error{errc::worker_died, "gone"});
  auto err = actorpool::error_from_exception(ep);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::worker_died));
  EXPECT_EQ(actorpool::render(err), "actorpool::worker_died: gone");
  EXPECT_THROW(actorpool::throw_error(err), actorpool::worker_died_error);
}

TEST(exceptions, error_from_thrown_error_round_trips_kind) {
  std::exception_ptr ep;
  try {
    actorpool::throw_error(with_text(errc::timeout));
  } catch (...) {
    ep = std::current_exception();
  }
  auto err = actorpool::error_from_exception(ep);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::timeout));
  EXPECT_THROW(actorpool::throw_error(err), actorpool::timeout_error);
}

TEST(exceptions, error_from_codec_failure_keeps_code) {
  auto ep = std::make_exception_ptr(
    actorpool::detail::codec_failure{errc::decoding_failed, "short"});
  auto err = actorpool::error_from_exception(ep);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::decoding_failed));
  EXPECT_THROW(actorpool::throw_error(err), actorpool::encoding_error);
}

TEST(exceptions, error_from_non_standard_exception) {
  auto err = actorpool::error_from_exception(std::make_exception_ptr(42));
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::task_failed));
  auto& ctx = err.context();
  ASSERT_TRUE((ctx.match_elements<std::string, std::string, int32_t>()));
  EXPECT_EQ(ctx.get_as<std::string>(0), "int");
  EXPECT_EQ(ctx.get_as<std::string>(1), "non-standard exception");
}

TEST(exceptions, demangle) {
  EXPECT_EQ(actorpool::detail::demangle(typeid(std::out_of_range).name()),
            "std::out_of_range");
  EXPECT_EQ(actorpool::detail::demangle(typeid(int).name()), "int");
  EXPECT_EQ(actorpool::detail::demangle("not a mangled name!"),
            "not a mangled name!");
}

TEST(exceptions, current_exception_type_name) {
  try {
    throw actorpool::test::key_error{"k"};
  } catch (...) {
    EXPECT_EQ(actorpool::detail::current_exception_type_name(),
              "actorpool::test::key_error");
  }
}
