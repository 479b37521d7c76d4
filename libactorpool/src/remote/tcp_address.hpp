#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

namespace actorpool::detail {

/// A link address `tcp://<host>:<port>`, taken apart.
struct tcp_address {
  /// A host name, an IPv4 address or an IPv6 address without its brackets;
  /// empty for "every interface" (`tcp://:7878`).
  std::string host;
  uint16_t port = 0;
};

/// Parses `tcp://host:port`, `tcp://[v6]:port` or `tcp://:port`. Anything
/// else (another scheme, no port, a port above 65535, an unclosed bracket)
/// is an `errc::invalid_argument` error quoting `address`.
caf::expected<tcp_address> parse_tcp_address(std::string_view address);

/// Returns whether `addr` names only this host: `localhost`, an IPv4
/// address in 127.0.0.0/8, `::1`, or an IPv4-mapped `::ffff:127.x.y.z`.
/// Every other name is not loopback (no name is resolved), nor are the
/// wildcard addresses (`0.0.0.0`, `::`, empty).
bool is_loopback(const tcp_address& addr);

/// `is_loopback` of a parsed `address`; false when it does not parse, so
/// that a malformed address is never taken for a safe one.
bool is_loopback_address(std::string_view address);

} // namespace actorpool::detail
