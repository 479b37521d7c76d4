#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "actorpool/errc.hpp"
#include "remote/authkey.hpp"

namespace actorpool::detail {

namespace {

caf::error os_failure(const std::string& path, const char* call, int code) {
  return make_error(errc::system_error, "authkey file " + path + ": " + call
                                          + ": " + std::strerror(code));
}

/// Refuses what is not a private regular file of bounded size.
caf::error check_file(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode))
    return make_error(errc::invalid_argument,
                      "authkey file " + path + " is not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o",
                  static_cast<unsigned>(st.st_mode & 07777));
    return make_error(errc::invalid_argument,
                      "authkey file " + path + " has mode " + mode
                        + ", so its group or others may read or change it;"
                          " run `chmod 600 "
                        + path + "`");
  }
  if (static_cast<unsigned long long>(st.st_size) > max_authkey_file_size)
    return make_error(errc::invalid_argument,
                      "authkey file " + path + " is longer than "
                        + std::to_string(max_authkey_file_size) + " bytes");
  return caf::error{};
}

/// Reads at most `max_authkey_file_size` bytes of `fd`.
caf::expected<std::string> read_all(const std::string& path, int fd) {
  std::string out(max_authkey_file_size + 1, '\0');
  size_t got = 0;
  while (got < out.size()) {
    auto n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return os_failure(path, "read", errno);
    if (n == 0)
      break;
    got += static_cast<size_t>(n);
  }
  if (got > max_authkey_file_size)
    return make_error(errc::invalid_argument,
                      "authkey file " + path + " grew while it was read");
  out.resize(got);
  return out;
}

std::string without_newline(std::string key) {
  if (!key.empty() && key.back() == '\n') {
    key.pop_back();
    if (!key.empty() && key.back() == '\r')
      key.pop_back();
  }
  return key;
}

/// Checks the open file, then reads it.
caf::expected<std::string> read_checked(const std::string& path, int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return os_failure(path, "fstat", errno);
  if (auto err = check_file(path, st))
    return err;
  auto bytes = read_all(path, fd);
  if (!bytes)
    return bytes;
  return without_newline(std::move(*bytes));
}

} // namespace

caf::expected<std::string> read_authkey_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the checks on the
  // open descriptor then refuse it (and cannot be raced by a rename).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return os_failure(path, "open", errno);
  auto result = read_checked(path, fd);
  ::close(fd);
  return result;
}

} // namespace actorpool::detail
