#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

namespace actorpool::detail {

/// The shortest key a link accepts, in bytes.
constexpr size_t min_authkey_size = 16;

/// The longest key file read, in bytes (a key is a secret, not a document).
constexpr size_t max_authkey_file_size = 4096;

/// Where a key came from.
enum class authkey_origin {
  /// Given by the program (`pool_options`, a command line argument).
  explicit_bytes,
  /// The environment variable `ACTORPOOL_AUTHKEY`.
  environment,
  /// The file named by `ACTORPOOL_AUTHKEY_FILE`.
  file,
};

/// The shared secret of a link's handshake, and where it came from.
struct authkey {
  std::string bytes;
  authkey_origin origin = authkey_origin::explicit_bytes;
};

/// Looks up an environment variable; returns null when it is unset.
using env_lookup = std::function<const char*(const char* name)>;

/// The process environment (`std::getenv`).
const char* process_env(const char* name);

/// Finds the key, first match wins: `explicit_key` when given, else
/// `ACTORPOOL_AUTHKEY` (its bytes as they are), else the file named by
/// `ACTORPOOL_AUTHKEY_FILE` (see `read_authkey_file`). An empty variable
/// counts as unset. Returns `nullopt` when none is set, an
/// `errc::invalid_argument` error when the key found is shorter than
/// `min_authkey_size`, and the errors of `read_authkey_file`. Costs one file
/// read at most.
caf::expected<std::optional<authkey>>
load_authkey(const std::optional<std::string>& explicit_key,
             const env_lookup& env = process_env);

/// Reads a key file: its bytes, without one trailing newline ("\n" or
/// "\r\n"), so that `openssl rand -hex 32 > key` works. Refuses, as
/// `errc::invalid_argument` naming the path, anything but a regular file
/// (directories, FIFOs, devices; symbolic links are followed), a file that
/// its group or others may read or write (the message says to run
/// `chmod 600 <path>`), and a file longer than `max_authkey_file_size`.
/// A file that cannot be opened or read is an `errc::system_error` naming
/// the path and the cause. Does not check the key's length.
caf::expected<std::string> read_authkey_file(const std::string& path);

/// Checks a key's length: an `errc::invalid_argument` error naming `origin`
/// when it is shorter than `min_authkey_size`, else none.
caf::error check_authkey_size(std::string_view key, authkey_origin origin);

/// Names a key's origin for messages, e.g. "ACTORPOOL_AUTHKEY".
const char* to_string(authkey_origin x) noexcept;

} // namespace actorpool::detail
