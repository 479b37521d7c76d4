#include "remote/tcp_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <strings.h>

#include "actorpool/errc.hpp"

namespace actorpool::detail {

namespace {

caf::error bad_address(std::string_view address, const char* why) {
  return make_error(errc::invalid_argument,
                    "link address \"" + std::string{address} + "\": " + why
                      + " (expected tcp://<host>:<port>)");
}

/// Parses a decimal port in 0..65535 (0: any free port).
bool parse_port(std::string_view digits, uint16_t& port) {
  if (digits.empty() || digits.size() > 5)
    return false;
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535)
    return false;
  port = static_cast<uint16_t>(value);
  return true;
}

bool is_loopback_v4(const char* host) {
  in_addr a;
  return ::inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

bool is_loopback_v6(const char* host) {
  in6_addr a;
  if (::inet_pton(AF_INET6, host, &a) != 1)
    return false;
  if (IN6_IS_ADDR_LOOPBACK(&a))
    return true;
  return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
}

} // namespace

caf::expected<tcp_address> parse_tcp_address(std::string_view address) {
  constexpr std::string_view scheme = "tcp://";
  if (address.substr(0, scheme.size()) != scheme)
    return bad_address(address, "not a tcp:// address");
  auto rest = address.substr(scheme.size());
  tcp_address result;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos)
      return bad_address(address, "unclosed '['");
    result.host = std::string{rest.substr(1, close - 1)};
    rest = rest.substr(close + 1);
    if (rest.empty() || rest.front() != ':')
      return bad_address(address, "no port after ']'");
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos)
      return bad_address(address, "no port");
    result.host = std::string{rest.substr(0, colon)};
    if (result.host.find(':') != std::string::npos)
      return bad_address(address, "an IPv6 host needs brackets");
    rest = rest.substr(colon);
  }
  if (!parse_port(rest.substr(1), result.port))
    return bad_address(address, "the port is not a number in 0..65535");
  return result;
}

bool is_loopback(const tcp_address& addr) {
  auto host = addr.host.c_str();
  return ::strcasecmp(host, "localhost") == 0 || is_loopback_v4(host)
         || is_loopback_v6(host);
}

bool is_loopback_address(std::string_view address) {
  auto addr = parse_tcp_address(address);
  return addr && is_loopback(*addr);
}

} // namespace actorpool::detail
