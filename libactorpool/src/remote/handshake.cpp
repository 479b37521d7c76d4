#include "remote/handshake.hpp"

#include <algorithm>
#include <climits>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "remote/authkey.hpp"

namespace actorpool::detail {

namespace {

constexpr std::string_view agent_label = "actorpool/1 agent";
constexpr std::string_view pool_label = "actorpool/1 pool";

void append(handshake_bytes& out, const uint8_t* data, size_t size) {
  out.insert(out.end(), data, data + size);
}

handshake_nonce nonce_at(const uint8_t* data) {
  handshake_nonce result;
  std::copy(data, data + handshake_nonce_size, result.begin());
  return result;
}

} // namespace

bool openssl_random(uint8_t* out, size_t size) {
  return size <= INT_MAX && RAND_bytes(out, static_cast<int>(size)) == 1;
}

std::string_view handshake_label(handshake_role role) noexcept {
  return role == handshake_role::agent ? agent_label : pool_label;
}

std::optional<handshake_digest>
handshake_mac(std::string_view key, handshake_role role,
              const handshake_nonce& first, const handshake_nonce& second,
              const handshake_bytes& binding) {
  if (key.size() > INT_MAX)
    return std::nullopt;
  auto label = handshake_label(role);
  handshake_bytes input;
  input.reserve(label.size() + 2 * handshake_nonce_size + binding.size());
  append(input, reinterpret_cast<const uint8_t*>(label.data()), label.size());
  append(input, first.data(), first.size());
  append(input, second.data(), second.size());
  append(input, binding.data(), binding.size());
  handshake_digest result;
  unsigned len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), input.data(),
           input.size(), result.data(), &len)
        == nullptr
      || len != result.size())
    return std::nullopt;
  return result;
}

// -- handshake_machine --------------------------------------------------------

handshake_machine::handshake_machine(std::string_view key,
                                     handshake_bytes binding,
                                     random_source random)
  : key_(key), binding_(std::move(binding)), random_(std::move(random)) {
  // nop
}

handshake_machine::~handshake_machine() {
  OPENSSL_cleanse(key_.data(), key_.size());
}

handshake_step handshake_machine::consume(const uint8_t* data, size_t size) {
  if (verdict_ == handshake_step::rejected)
    return handshake_step{handshake_step::rejected, {}, reason_};
  if (size == 0)
    return handshake_step{verdict_, {}, {}};
  if (auto why = refusal(data, size); !why.empty())
    return reject(std::move(why));
  std::copy(data, data + size, buf_.begin() + got_);
  got_ += size;
  if (got_ < expected_size_)
    return handshake_step{handshake_step::proceed, {}, {}};
  got_ = 0;
  expected_size_ = 0;
  return on_message(buf_.data());
}

std::string handshake_machine::refusal(const uint8_t* data, size_t size) const {
  if (verdict_ == handshake_step::authenticated)
    return "the peer sent bytes after the handshake ended";
  if (key_too_short())
    return short_key_reason();
  if (expected_size_ == 0)
    return "the peer sent bytes before the challenge";
  auto name = std::string{name_of(expected_kind_)};
  if (got_ == 0 && data[0] != static_cast<uint8_t>(expected_kind_))
    return "expected the " + name + " message, the peer sent something else";
  if (size > expected_size_ - got_)
    return "the peer sent more than the " + name + " message ("
           + std::to_string(got_ + size) + " bytes, expected "
           + std::to_string(expected_size_) + ")";
  return {};
}

bool handshake_machine::key_too_short() const noexcept {
  return key_.size() < min_authkey_size;
}

std::string handshake_machine::short_key_reason() {
  return "the key is shorter than " + std::to_string(min_authkey_size)
         + " bytes";
}

void handshake_machine::expect(handshake_kind kind, size_t size) noexcept {
  expected_kind_ = kind;
  expected_size_ = size;
  got_ = 0;
}

handshake_step handshake_machine::reject(std::string reason) {
  verdict_ = handshake_step::rejected;
  reason_ = std::move(reason);
  expected_size_ = 0;
  return handshake_step{handshake_step::rejected, {}, reason_};
}

handshake_step handshake_machine::step(handshake_step::verdict_t verdict,
                                       handshake_bytes out) {
  verdict_ = verdict;
  return handshake_step{verdict, std::move(out), {}};
}

bool handshake_machine::fresh_nonce(handshake_nonce& out) {
  return random_ && random_(out.data(), out.size());
}

bool handshake_machine::mac_matches(handshake_role role,
                                    const handshake_nonce& first,
                                    const handshake_nonce& second,
                                    const uint8_t* received) {
  auto mac = handshake_mac(key_, role, first, second, binding_);
  return mac && CRYPTO_memcmp(mac->data(), received, mac->size()) == 0;
}

bool handshake_machine::append_mac(handshake_bytes& out, handshake_role role,
                                   const handshake_nonce& first,
                                   const handshake_nonce& second) {
  auto mac = handshake_mac(key_, role, first, second, binding_);
  if (!mac)
    return false;
  append(out, mac->data(), mac->size());
  return true;
}

const char* handshake_machine::name_of(handshake_kind kind) noexcept {
  switch (kind) {
    case handshake_kind::challenge:
      return "challenge";
    case handshake_kind::answer:
      return "answer";
    case handshake_kind::proof:
      return "proof";
  }
  return "<unknown>";
}

// -- pool_handshake -----------------------------------------------------------

pool_handshake::pool_handshake(std::string_view key, handshake_bytes binding,
                               random_source random)
  : handshake_machine(key, std::move(binding), std::move(random)) {
  // nop
}

handshake_step pool_handshake::start() {
  if (started_ || verdict() != handshake_step::proceed)
    return reject("the handshake was started twice");
  started_ = true;
  if (key_too_short())
    return reject(short_key_reason());
  if (!fresh_nonce(nonce_p_))
    return reject("no random bytes for the challenge (RAND_bytes failed)");
  handshake_bytes out{static_cast<uint8_t>(handshake_kind::challenge),
                      handshake_digest_sha256};
  append(out, nonce_p_.data(), nonce_p_.size());
  expect(handshake_kind::answer, answer_size);
  return step(handshake_step::proceed, std::move(out));
}

handshake_step pool_handshake::on_message(const uint8_t* msg) {
  auto nonce_a = nonce_at(msg + 1);
  if (!mac_matches(handshake_role::agent, nonce_p_, nonce_a,
                   msg + 1 + handshake_nonce_size))
    return reject("the agent's answer does not prove the key (a wrong key "
                  "or binding, or a replayed or reflected message)");
  handshake_bytes out{static_cast<uint8_t>(handshake_kind::proof)};
  if (!append_mac(out, handshake_role::pool, nonce_a, nonce_p_))
    return reject("HMAC-SHA256 failed");
  return step(handshake_step::authenticated, std::move(out));
}

// -- agent_handshake ----------------------------------------------------------

agent_handshake::agent_handshake(std::string_view key, handshake_bytes binding,
                                 random_source random)
  : handshake_machine(key, std::move(binding), std::move(random)) {
  expect(handshake_kind::challenge, challenge_size);
}

handshake_step agent_handshake::on_message(const uint8_t* msg) {
  return msg[0] == static_cast<uint8_t>(handshake_kind::challenge)
           ? on_challenge(msg)
           : on_proof(msg);
}

handshake_step agent_handshake::on_challenge(const uint8_t* msg) {
  if (msg[1] != handshake_digest_sha256)
    return reject("the pool asks for digest " + std::to_string(msg[1])
                  + "; this build knows only HMAC-SHA256 ("
                  + std::to_string(handshake_digest_sha256) + ")");
  nonce_p_ = nonce_at(msg + 2);
  if (!fresh_nonce(nonce_a_))
    return reject("no random bytes for the answer (RAND_bytes failed)");
  handshake_bytes out{static_cast<uint8_t>(handshake_kind::answer)};
  append(out, nonce_a_.data(), nonce_a_.size());
  if (!append_mac(out, handshake_role::agent, nonce_p_, nonce_a_))
    return reject("HMAC-SHA256 failed");
  expect(handshake_kind::proof, proof_size);
  return step(handshake_step::proceed, std::move(out));
}

handshake_step agent_handshake::on_proof(const uint8_t* msg) {
  if (!mac_matches(handshake_role::pool, nonce_a_, nonce_p_, msg + 1))
    return reject("the pool's proof does not prove the key (a wrong key or "
                  "binding, or a replayed or reflected message)");
  return step(handshake_step::authenticated, {});
}

} // namespace actorpool::detail
