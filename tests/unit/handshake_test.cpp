#include "remote/handshake.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

using actorpool::detail::agent_handshake;
using actorpool::detail::answer_size;
using actorpool::detail::challenge_size;
using actorpool::detail::handshake_bytes;
using actorpool::detail::handshake_kind;
using actorpool::detail::handshake_mac;
using actorpool::detail::handshake_machine;
using actorpool::detail::handshake_nonce;
using actorpool::detail::handshake_role;
using actorpool::detail::handshake_step;
using actorpool::detail::pool_handshake;
using actorpool::detail::proof_size;
using actorpool::detail::random_source;

namespace {

const std::string key = "a shared secret of 32 bytes long";
const std::string other_key = "another secret, also 32 bytes!!!";

/// A random source that hands out the given nonces, in order.
random_source fixed_nonces(std::deque<handshake_nonce> nonces) {
  return [nonces = std::move(nonces)](uint8_t* out, size_t size) mutable {
    if (nonces.empty() || size != nonces.front().size())
      return false;
    std::copy(nonces.front().begin(), nonces.front().end(), out);
    nonces.pop_front();
    return true;
  };
}

handshake_nonce nonce_of(uint8_t fill) {
  handshake_nonce n;
  n.fill(fill);
  return n;
}

/// Feeds `bytes` in pieces of `piece` bytes; returns the last step.
handshake_step feed(handshake_machine& m, const handshake_bytes& bytes,
                    size_t piece = SIZE_MAX) {
  handshake_step last;
  for (size_t pos = 0; pos < bytes.size(); pos += piece) {
    auto n = std::min(piece, bytes.size() - pos);
    last = m.consume(bytes.data() + pos, n);
  }
  return last;
}

/// The messages of one exchange, and how each side ended.
struct exchange {
  handshake_bytes challenge, answer, proof;
  handshake_step::verdict_t pool = handshake_step::proceed;
  handshake_step::verdict_t agent = handshake_step::proceed;
};

/// Runs a whole exchange between `pool` and `agent`.
exchange run(pool_handshake& pool, agent_handshake& agent,
             size_t piece = SIZE_MAX) {
  exchange ex;
  ex.challenge = pool.start().output;
  auto a = feed(agent, ex.challenge, piece);
  ex.answer = a.output;
  if (a.verdict == handshake_step::proceed) {
    auto p = feed(pool, ex.answer, piece);
    ex.proof = p.output;
    if (p.verdict == handshake_step::authenticated)
      feed(agent, ex.proof, piece);
  }
  ex.pool = pool.verdict();
  ex.agent = agent.verdict();
  return ex;
}

} // namespace

TEST(handshake, full_exchange_authenticates_both_sides) {
  for (size_t piece : {size_t{1}, size_t{7}, SIZE_MAX}) {
    pool_handshake pool{key};
    agent_handshake agent{key};
    auto ex = run(pool, agent, piece);
    EXPECT_EQ(ex.pool, handshake_step::authenticated) << pool.reason();
    EXPECT_EQ(ex.agent, handshake_step::authenticated) << agent.reason();
    EXPECT_EQ(ex.challenge.size(), challenge_size);
    EXPECT_EQ(ex.answer.size(), answer_size);
    EXPECT_EQ(ex.proof.size(), proof_size);
  }
}

TEST(handshake, messages_have_the_documented_layout) {
  auto np = nonce_of(0x11), na = nonce_of(0x22);
  pool_handshake pool{key, {}, fixed_nonces({np})};
  agent_handshake agent{key, {}, fixed_nonces({na})};
  auto ex = run(pool, agent);
  ASSERT_EQ(ex.pool, handshake_step::authenticated);
  EXPECT_EQ(ex.challenge[0], 1);
  EXPECT_EQ(ex.challenge[1], 1); // HMAC-SHA256
  EXPECT_TRUE(std::equal(np.begin(), np.end(), ex.challenge.begin() + 2));
  EXPECT_EQ(ex.answer[0], 2);
  EXPECT_TRUE(std::equal(na.begin(), na.end(), ex.answer.begin() + 1));
  auto mac_a = handshake_mac(key, handshake_role::agent, np, na, {});
  ASSERT_TRUE(mac_a);
  EXPECT_TRUE(std::equal(mac_a->begin(), mac_a->end(), ex.answer.begin() + 33));
  EXPECT_EQ(ex.proof[0], 3);
  auto mac_p = handshake_mac(key, handshake_role::pool, na, np, {});
  ASSERT_TRUE(mac_p);
  EXPECT_TRUE(std::equal(mac_p->begin(), mac_p->end(), ex.proof.begin() + 1));
}

TEST(handshake, wrong_key_is_rejected_by_the_pool) {
  pool_handshake pool{key};
  agent_handshake agent{other_key};
  auto ex = run(pool, agent);
  EXPECT_EQ(ex.pool, handshake_step::rejected);
  EXPECT_TRUE(ex.proof.empty()); // nothing sent to an unproven agent
  EXPECT_NE(agent.verdict(), handshake_step::authenticated);
}

TEST(handshake, wrong_key_is_rejected_by_the_agent) {
  // A pool that does not know the key cannot produce the proof: here an
  // impostor answers with the proof of a pool holding another key.
  auto np = nonce_of(1), na = nonce_of(2);
  agent_handshake agent{key, {}, fixed_nonces({na})};
  pool_handshake impostor{other_key, {}, fixed_nonces({np})};
  auto challenge = impostor.start().output;
  auto answer = feed(agent, challenge).output;
  ASSERT_EQ(agent.verdict(), handshake_step::proceed);
  auto mac = handshake_mac(other_key, handshake_role::pool, na, np, {});
  handshake_bytes proof{3};
  proof.insert(proof.end(), mac->begin(), mac->end());
  auto r = feed(agent, proof);
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_NE(r.reason.find("does not prove the key"), std::string::npos);
  EXPECT_EQ(feed(impostor, answer).verdict, handshake_step::rejected);
}

TEST(handshake, replayed_agent_answer_is_rejected) {
  pool_handshake first_pool{key};
  agent_handshake agent{key};
  auto recorded = run(first_pool, agent);
  ASSERT_EQ(recorded.pool, handshake_step::authenticated);
  pool_handshake pool{key}; // a new session: a fresh nonce_p
  auto challenge = pool.start().output;
  EXPECT_NE(challenge, recorded.challenge);
  auto r = feed(pool, recorded.answer);
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_TRUE(r.output.empty());
}

TEST(handshake, replayed_pool_proof_is_rejected) {
  pool_handshake first_pool{key};
  agent_handshake first_agent{key};
  auto recorded = run(first_pool, first_agent);
  ASSERT_EQ(recorded.agent, handshake_step::authenticated);
  agent_handshake agent{key}; // a fresh nonce_a
  feed(agent, recorded.challenge);
  EXPECT_EQ(feed(agent, recorded.proof).verdict, handshake_step::rejected);
}

TEST(handshake, pool_mac_reflected_to_a_pool_is_rejected) {
  // The proof of a session with nonce_p = P, nonce_a = A is, without role
  // labels, the MAC over A || P: exactly what a pool whose nonce_p is A
  // expects from an agent choosing nonce_a = P. The labels tell them apart.
  auto p = nonce_of(0xA1), a = nonce_of(0xB2);
  pool_handshake pool1{key, {}, fixed_nonces({p})};
  agent_handshake agent{key, {}, fixed_nonces({a})};
  auto ex = run(pool1, agent);
  ASSERT_EQ(ex.pool, handshake_step::authenticated);
  pool_handshake pool2{key, {}, fixed_nonces({a})};
  pool2.start();
  handshake_bytes reflected{2};
  reflected.insert(reflected.end(), p.begin(), p.end());
  reflected.insert(reflected.end(), ex.proof.begin() + 1, ex.proof.end());
  auto r = feed(pool2, reflected);
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_TRUE(r.output.empty());
}

TEST(handshake, agent_mac_reflected_to_the_agent_is_rejected) {
  // A peer posing as the pool sends the agent's own MAC back as the proof.
  pool_handshake pool{key};
  agent_handshake agent{key};
  auto challenge = pool.start().output;
  auto answer = feed(agent, challenge).output;
  handshake_bytes reflected{3};
  reflected.insert(reflected.end(), answer.begin() + 33, answer.end());
  EXPECT_EQ(feed(agent, reflected).verdict, handshake_step::rejected);
}

TEST(handshake, binding_is_covered_by_both_macs) {
  handshake_bytes b1{1, 2, 3}, b2{1, 2, 4};
  {
    pool_handshake pool{key, b1};
    agent_handshake agent{key, b1};
    auto ex = run(pool, agent);
    EXPECT_EQ(ex.pool, handshake_step::authenticated);
    EXPECT_EQ(ex.agent, handshake_step::authenticated);
  }
  pool_handshake pool{key, b1};
  agent_handshake agent{key, b2};
  EXPECT_EQ(run(pool, agent).pool, handshake_step::rejected);
  pool_handshake pool_b{key, {}};
  agent_handshake agent_b{key, b1};
  EXPECT_EQ(run(pool_b, agent_b).pool, handshake_step::rejected);
}

TEST(handshake, truncated_message_never_authenticates) {
  pool_handshake pool{key};
  agent_handshake agent{key};
  auto challenge = pool.start().output;
  auto answer = feed(agent, challenge).output;
  answer.pop_back();
  auto r = feed(pool, answer);
  EXPECT_EQ(r.verdict, handshake_step::proceed); // waits for the last byte
  EXPECT_TRUE(r.output.empty());
  EXPECT_EQ(pool.verdict(), handshake_step::proceed);
}

TEST(handshake, oversized_message_is_rejected) {
  pool_handshake pool{key};
  agent_handshake agent{key};
  auto challenge = pool.start().output;
  auto answer = feed(agent, challenge).output;
  answer.push_back(0);
  auto r = feed(pool, answer);
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_NE(r.reason.find("more than the answer"), std::string::npos)
    << r.reason;
  EXPECT_TRUE(r.output.empty());
  agent_handshake agent2{key};
  challenge.push_back(0);
  EXPECT_EQ(feed(agent2, challenge).verdict, handshake_step::rejected);
  handshake_bytes huge(4096, 2);
  pool_handshake pool2{key};
  pool2.start();
  EXPECT_EQ(feed(pool2, huge).verdict, handshake_step::rejected);
}

TEST(handshake, garbage_is_rejected) {
  handshake_bytes garbage(answer_size, 0x5a);
  pool_handshake pool{key};
  pool.start();
  EXPECT_EQ(feed(pool, garbage).verdict, handshake_step::rejected);
  garbage[0] = 2; // right kind, wrong MAC
  pool_handshake pool2{key};
  pool2.start();
  EXPECT_EQ(feed(pool2, garbage).verdict, handshake_step::rejected);
  agent_handshake agent{key};
  handshake_bytes challenge(challenge_size, 0);
  challenge[0] = 1;
  challenge[1] = 2; // an unknown digest
  auto r = feed(agent, challenge);
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_NE(r.reason.find("digest 2"), std::string::npos) << r.reason;
}

TEST(handshake, nothing_is_accepted_after_a_rejection) {
  pool_handshake pool{key};
  agent_handshake agent{key};
  auto challenge = pool.start().output;
  auto answer = feed(agent, challenge).output;
  uint8_t junk = 0;
  ASSERT_EQ(pool.consume(&junk, 1).verdict, handshake_step::rejected);
  auto r = feed(pool, answer); // the genuine answer, too late
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_TRUE(r.output.empty());
  EXPECT_EQ(pool.start().verdict, handshake_step::rejected);
}

TEST(handshake, bytes_before_the_challenge_or_after_the_end_are_rejected) {
  uint8_t byte = 2;
  pool_handshake early{key};
  EXPECT_EQ(early.consume(&byte, 1).verdict, handshake_step::rejected);
  pool_handshake pool{key};
  agent_handshake agent{key};
  run(pool, agent);
  ASSERT_EQ(pool.verdict(), handshake_step::authenticated);
  EXPECT_EQ(pool.consume(&byte, 1).verdict, handshake_step::rejected);
}

TEST(handshake, short_key_or_failing_random_source_is_rejected) {
  pool_handshake short_key{"only 15 bytes.."};
  EXPECT_EQ(short_key.start().verdict, handshake_step::rejected);
  pool_handshake no_random{key, {}, fixed_nonces({})};
  auto r = no_random.start();
  EXPECT_EQ(r.verdict, handshake_step::rejected);
  EXPECT_TRUE(r.output.empty());
}

TEST(handshake, mac_depends_on_role_order_key_and_binding) {
  auto x = nonce_of(1), y = nonce_of(2);
  auto base = handshake_mac(key, handshake_role::agent, x, y, {});
  ASSERT_TRUE(base);
  EXPECT_NE(base, handshake_mac(key, handshake_role::pool, x, y, {}));
  EXPECT_NE(base, handshake_mac(key, handshake_role::agent, y, x, {}));
  EXPECT_NE(base, handshake_mac(other_key, handshake_role::agent, x, y, {}));
  EXPECT_NE(base, handshake_mac(key, handshake_role::agent, x, y, {0}));
  EXPECT_EQ(base, handshake_mac(key, handshake_role::agent, x, y, {}));
}
