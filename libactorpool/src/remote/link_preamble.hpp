#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace actorpool::detail {

/// What follows a link's preamble on the wire.
enum class link_mode : uint8_t {
  /// The handshake and the link frames, in the clear.
  plain = 0,
  /// A TLS session, inside which the handshake and the link frames run.
  tls = 1,
};

/// The version of the link protocol this build speaks (the preamble's
/// seventh byte).
constexpr uint8_t link_version = 1;

/// The oldest link version this build accepts.
constexpr uint8_t min_link_version = 1;

/// Bytes of a preamble: `"APOOL" 0x00 <link_version> <mode>`.
constexpr size_t preamble_size = 8;

/// The first byte of a TLS record carrying a handshake (a ClientHello).
constexpr uint8_t tls_handshake_record = 0x16;

/// The preamble a connecting side sends first, before anything else (and
/// before TLS starts, with `mode == link_mode::tls`).
std::array<uint8_t, preamble_size> make_preamble(link_mode mode);

/// The accepting side's reading of a preamble, byte by byte. It consumes
/// exactly the preamble's bytes and leaves what follows to the next layer;
/// it rejects at the first byte that cannot start a valid preamble, so a
/// peer speaking another protocol is refused without waiting for 8 bytes.
/// Once it has a verdict it consumes nothing more and repeats the verdict.
class preamble_parser {
public:
  enum class status { need_more, ok, rejected };

  /// The outcome of one `feed`.
  struct result {
    status verdict = status::need_more;
    /// Bytes of this `feed` taken (at most `preamble_size` in total).
    size_t consumed = 0;
    /// The peer's link version and mode, with `status::ok`.
    uint8_t version = 0;
    link_mode mode = link_mode::plain;
    /// Why, with `status::rejected`; a sentence for logs and the peer.
    std::string reason;
  };

  /// A parser for a listener that serves links of `expected` mode.
  explicit preamble_parser(link_mode expected) noexcept;

  /// Takes the next bytes that arrived. O(1) per byte.
  result feed(const uint8_t* data, size_t size);

private:
  result verdict() const;
  void take(uint8_t byte);
  void reject(std::string reason);
  void finish();

  link_mode expected_;
  std::array<uint8_t, preamble_size> buf_{};
  size_t got_ = 0;
  status status_ = status::need_more;
  std::string reason_;
};

} // namespace actorpool::detail
