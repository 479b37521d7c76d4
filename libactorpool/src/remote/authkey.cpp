#include "remote/authkey.hpp"

#include <cstdlib>

#include "actorpool/errc.hpp"

namespace actorpool::detail {

namespace {

/// The value of `name`, or null when it is unset or empty.
const char* non_empty(const env_lookup& env, const char* name) {
  auto value = env(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

caf::expected<std::optional<authkey>> checked(std::string bytes,
                                              authkey_origin origin) {
  if (auto err = check_authkey_size(bytes, origin))
    return err;
  return std::optional<authkey>{authkey{std::move(bytes), origin}};
}

} // namespace

const char* process_env(const char* name) {
  return std::getenv(name);
}

const char* to_string(authkey_origin x) noexcept {
  switch (x) {
    case authkey_origin::explicit_bytes:
      return "the key given by the program";
    case authkey_origin::environment:
      return "ACTORPOOL_AUTHKEY";
    case authkey_origin::file:
      return "ACTORPOOL_AUTHKEY_FILE";
  }
  return "<unknown origin>";
}

caf::error check_authkey_size(std::string_view key, authkey_origin origin) {
  if (key.size() >= min_authkey_size)
    return caf::error{};
  return make_error(errc::invalid_argument,
                    std::string{to_string(origin)} + " holds "
                      + std::to_string(key.size()) + " bytes; an authkey needs"
                      + " at least " + std::to_string(min_authkey_size));
}

caf::expected<std::optional<authkey>>
load_authkey(const std::optional<std::string>& explicit_key,
             const env_lookup& env) {
  if (explicit_key)
    return checked(*explicit_key, authkey_origin::explicit_bytes);
  if (auto value = non_empty(env, "ACTORPOOL_AUTHKEY"))
    return checked(value, authkey_origin::environment);
  auto path = non_empty(env, "ACTORPOOL_AUTHKEY_FILE");
  if (path == nullptr)
    return std::optional<authkey>{};
  auto bytes = read_authkey_file(path);
  if (!bytes)
    return std::move(bytes.error());
  return checked(std::move(*bytes), authkey_origin::file);
}

} // namespace actorpool::detail
