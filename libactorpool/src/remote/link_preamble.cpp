#include "remote/link_preamble.hpp"

namespace actorpool::detail {

namespace {

constexpr uint8_t magic[] = {'A', 'P', 'O', 'O', 'L', 0x00};
constexpr size_t magic_size = sizeof(magic);

} // namespace

std::array<uint8_t, preamble_size> make_preamble(link_mode mode) {
  return {magic[0], magic[1], magic[2],     magic[3],
          magic[4], magic[5], link_version, static_cast<uint8_t>(mode)};
}

preamble_parser::preamble_parser(link_mode expected) noexcept
  : expected_(expected) {
  // nop
}

preamble_parser::result preamble_parser::feed(const uint8_t* data,
                                              size_t size) {
  size_t used = 0;
  while (status_ == status::need_more && used < size)
    take(data[used++]);
  auto res = verdict();
  res.consumed = used;
  return res;
}

preamble_parser::result preamble_parser::verdict() const {
  result res;
  res.verdict = status_;
  res.reason = reason_;
  if (status_ == status::ok) {
    res.version = buf_[6];
    res.mode = static_cast<link_mode>(buf_[7]);
  }
  return res;
}

void preamble_parser::take(uint8_t byte) {
  auto pos = got_;
  buf_[got_++] = byte;
  if (pos == 0 && byte == tls_handshake_record) {
    reject(expected_ == link_mode::plain
             ? "the peer speaks TLS, this listener is plain"
             : "the peer started TLS without the actorpool preamble");
  } else if (pos < magic_size && byte != magic[pos]) {
    reject("the peer does not speak the actorpool link protocol");
  } else if (pos == 6 && (byte < min_link_version || byte > link_version)) {
    reject("the peer speaks link version " + std::to_string(byte)
           + ", this listener speaks " + std::to_string(min_link_version)
           + " to " + std::to_string(link_version));
  } else if (pos == 7) {
    finish();
  }
}

void preamble_parser::finish() {
  auto mode = buf_[7];
  if (mode > static_cast<uint8_t>(link_mode::tls)) {
    reject("the peer asks for an unknown link mode " + std::to_string(mode));
  } else if (static_cast<link_mode>(mode) != expected_) {
    reject(expected_ == link_mode::plain
             ? "the peer speaks TLS, this listener is plain"
             : "the peer speaks plain, this listener requires TLS");
  } else {
    status_ = status::ok;
  }
}

void preamble_parser::reject(std::string reason) {
  status_ = status::rejected;
  reason_ = std::move(reason);
}

} // namespace actorpool::detail
