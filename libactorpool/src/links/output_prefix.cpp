#include "links/output_prefix.hpp"

#include "actorpool/errc.hpp"

namespace actorpool::detail {

namespace {

caf::error bad_pattern(const std::string& pattern, const std::string& what) {
  return make_error(errc::invalid_argument,
                    "output_prefix \"" + pattern + "\": " + what
                      + " (known placeholders: {pid}, {place}; "
                        "{{ and }} for braces)");
}

} // namespace

caf::expected<output_prefix> output_prefix::parse(const std::string& pattern) {
  output_prefix result;
  auto text = [&result]() -> std::string& {
    auto& ps = result.pieces_;
    if (ps.empty() || ps.back().what != kind::text)
      ps.push_back(piece{kind::text, {}});
    return ps.back().text;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    auto c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size()
        && pattern[i + 1] == c) {
      text() += c;
      ++i;
    } else if (c == '}') {
      return bad_pattern(pattern, "unmatched '}'");
    } else if (c != '{') {
      text() += c;
    } else {
      auto end = pattern.find('}', i);
      if (end == std::string::npos)
        return bad_pattern(pattern, "unmatched '{'");
      auto name = pattern.substr(i + 1, end - i - 1);
      if (name == "pid")
        result.pieces_.push_back(piece{kind::pid, {}});
      else if (name == "place")
        result.pieces_.push_back(piece{kind::place, {}});
      else
        return bad_pattern(pattern, "unknown placeholder {" + name + "}");
      i = end;
    }
  }
  return result;
}

std::string output_prefix::expand(int pid, uint32_t place) const {
  std::string result;
  for (auto& p : pieces_) {
    if (p.what == kind::pid)
      result += std::to_string(pid);
    else if (p.what == kind::place)
      result += std::to_string(place);
    else
      result += p.text;
  }
  return result;
}

} // namespace actorpool::detail
