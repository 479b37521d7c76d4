#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace actorpool::detail {

/// A parsed `pool_options::output_prefix` pattern: literal text with the
/// placeholders `{pid}` (the worker's process id) and `{place}` (its place
/// in the pool, as in `pool_stats::workers`); `{{` and `}}` stand for `{`
/// and `}`.
class output_prefix {
public:
  /// Parses `pattern`; fails with `errc::invalid_argument` naming an unknown
  /// placeholder or an unmatched brace. Costs one pass over the pattern.
  static caf::expected<output_prefix> parse(const std::string& pattern);

  /// True for the empty pattern: workers keep the program's stdout and
  /// stderr.
  bool empty() const noexcept {
    return pieces_.empty();
  }

  /// The prefix of one worker's lines.
  std::string expand(int pid, uint32_t place) const;

private:
  enum class kind { text, pid, place };

  struct piece {
    kind what;
    std::string text;
  };

  std::vector<piece> pieces_;
};

} // namespace actorpool::detail
