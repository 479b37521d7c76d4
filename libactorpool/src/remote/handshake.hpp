#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actorpool::detail {

/// Bytes of a handshake nonce (from the CSPRNG, fresh per handshake).
constexpr size_t handshake_nonce_size = 32;

/// Bytes of an HMAC-SHA256.
constexpr size_t handshake_mac_size = 32;

/// The digest id of HMAC-SHA256, the only one this build knows.
constexpr uint8_t handshake_digest_sha256 = 1;

/// No handshake message is longer (the protocol's size cap).
constexpr size_t handshake_message_cap = 128;

/// The first byte of each handshake message.
enum class handshake_kind : uint8_t { challenge = 1, answer = 2, proof = 3 };

/// pool -> agent: kind, digest id, nonce_p.
constexpr size_t challenge_size = 2 + handshake_nonce_size;

/// agent -> pool: kind, nonce_a, HMAC(k, agent label, nonce_p, nonce_a, b).
constexpr size_t answer_size = 1 + handshake_nonce_size + handshake_mac_size;

/// pool -> agent: kind, HMAC(k, pool label, nonce_a, nonce_p, b).
constexpr size_t proof_size = 1 + handshake_mac_size;

static_assert(answer_size <= handshake_message_cap);

/// Which end of a link: the pool listens, the agent connects.
enum class handshake_role : uint8_t { pool, agent };

using handshake_bytes = std::vector<uint8_t>;
using handshake_nonce = std::array<uint8_t, handshake_nonce_size>;
using handshake_digest = std::array<uint8_t, handshake_mac_size>;

/// Fills `out` with `size` unpredictable bytes; returns false on failure.
using random_source = std::function<bool(uint8_t* out, size_t size)>;

/// OpenSSL's CSPRNG (`RAND_bytes`).
bool openssl_random(uint8_t* out, size_t size);

/// The label that opens every MAC input of `role`: "actorpool/1 agent" or
/// "actorpool/1 pool" (no terminating zero).
std::string_view handshake_label(handshake_role role) noexcept;

/// HMAC-SHA256(key, label(role) || first || second || binding), or nullopt
/// when OpenSSL fails. The agent's MAC has `first = nonce_p`, `second =
/// nonce_a`; the pool's has them the other way round.
std::optional<handshake_digest>
handshake_mac(std::string_view key, handshake_role role,
              const handshake_nonce& first, const handshake_nonce& second,
              const handshake_bytes& binding);

/// What a handshake machine says after each step.
struct handshake_step {
  enum verdict_t {
    /// Send `output` (if any) and feed the peer's next bytes.
    proceed,
    /// Send `output` (if any); the peer knows the key. The machine takes no
    /// more bytes: what follows belongs to the link.
    authenticated,
    /// Close the link; `reason` says why. Nothing more is accepted.
    rejected,
  };
  verdict_t verdict = proceed;
  handshake_bytes output;
  std::string reason;
};

/// What both roles share: collecting one fixed-size message at a time,
/// and the rule that a rejection is final.
class handshake_machine {
public:
  handshake_machine(const handshake_machine&) = delete;
  handshake_machine& operator=(const handshake_machine&) = delete;

  /// Wipes the key.
  virtual ~handshake_machine();

  /// The last verdict.
  handshake_step::verdict_t verdict() const noexcept {
    return verdict_;
  }

  /// Why the machine rejected, or empty.
  const std::string& reason() const noexcept {
    return reason_;
  }

  /// Takes the peer's next bytes, in any split. A message is handled once
  /// its last byte arrived; a byte past the message the machine waits for
  /// (the peer may send nothing more before it heard back), a wrong kind,
  /// digest or MAC is a rejection. O(size), plus one HMAC per message.
  handshake_step consume(const uint8_t* data, size_t size);

protected:
  handshake_machine(std::string_view key, handshake_bytes binding,
                    random_source random);

  /// Handles the complete message `msg` of `expected_size_` bytes.
  virtual handshake_step on_message(const uint8_t* msg) = 0;

  /// Whether the key is shorter than `min_authkey_size`.
  bool key_too_short() const noexcept;

  /// Why a key that is too short is refused.
  static std::string short_key_reason();

  /// Waits for a message of `kind`, which has `size` bytes.
  void expect(handshake_kind kind, size_t size) noexcept;

  /// A rejection; it also ends the machine.
  handshake_step reject(std::string reason);

  /// A verdict other than rejection, with the bytes to send.
  handshake_step step(handshake_step::verdict_t verdict, handshake_bytes out);

  /// A fresh nonce into `out`; false if the random source failed.
  bool fresh_nonce(handshake_nonce& out);

  /// The MAC of `role` over the nonces, compared in constant time with the
  /// one at `received`.
  bool mac_matches(handshake_role role, const handshake_nonce& first,
                   const handshake_nonce& second, const uint8_t* received);

  /// The MAC of `role` over the nonces, appended to `out`.
  bool append_mac(handshake_bytes& out, handshake_role role,
                  const handshake_nonce& first, const handshake_nonce& second);

  /// Names the message kind for reasons.
  static const char* name_of(handshake_kind kind) noexcept;

private:
  /// Why `consume` must refuse these bytes, or empty.
  std::string refusal(const uint8_t* data, size_t size) const;

  std::string key_;
  handshake_bytes binding_;
  random_source random_;
  handshake_kind expected_kind_ = handshake_kind::challenge;
  size_t expected_size_ = 0;
  std::array<uint8_t, handshake_message_cap> buf_{};
  size_t got_ = 0;
  handshake_step::verdict_t verdict_ = handshake_step::proceed;
  std::string reason_;
};

/// The pool's side: `start` sends the challenge, then the agent's answer is
/// checked and, if it proves the key, answered with the pool's proof.
class pool_handshake final : public handshake_machine {
public:
  /// `key` is the shared secret (at least `min_authkey_size` bytes, else
  /// every step is a rejection); `binding` is bound into both MACs (empty
  /// on plain links, TLS exporter material on TLS links).
  pool_handshake(std::string_view key, handshake_bytes binding = {},
                 random_source random = openssl_random);

  /// The challenge to send first. Call once, before `consume`.
  handshake_step start();

private:
  handshake_step on_message(const uint8_t* msg) override;

  handshake_nonce nonce_p_{};
  bool started_ = false;
};

/// The agent's side: answers the pool's challenge, then checks its proof.
class agent_handshake final : public handshake_machine {
public:
  /// See `pool_handshake`; both ends must use the same key and binding.
  agent_handshake(std::string_view key, handshake_bytes binding = {},
                  random_source random = openssl_random);

private:
  handshake_step on_message(const uint8_t* msg) override;
  handshake_step on_challenge(const uint8_t* msg);
  handshake_step on_proof(const uint8_t* msg);

  handshake_nonce nonce_p_{};
  handshake_nonce nonce_a_{};
};

} // namespace actorpool::detail
