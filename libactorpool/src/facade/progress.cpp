#include "actorpool/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace actorpool {

namespace {

constexpr int bar_width = 20;

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

std::string bar_of(double fraction) {
  auto full = static_cast<int>(std::lround(fraction * bar_width));
  full = std::clamp(full, 0, bar_width);
  return "[" + std::string(static_cast<size_t>(full), '#')
         + std::string(static_cast<size_t>(bar_width - full), '.') + "]";
}

} // namespace

progress_bar::progress_bar(std::string label, std::FILE* out)
  : label_(std::move(label)), out_(out),
    enabled_(out != nullptr && isatty(fileno(out)) == 1) {
  // nop
}

std::string progress_bar::render(const progress& p) const {
  std::string line = label_.empty() ? "" : label_ + " ";
  if (p.total && *p.total > 0) {
    auto f = static_cast<double>(p.completed) / static_cast<double>(*p.total);
    line += bar_of(f) + " " + fixed(100 * f, 0) + "% "
            + std::to_string(p.completed) + "/" + std::to_string(*p.total);
  } else {
    line += std::to_string(p.completed);
  }
  line += " " + fixed(p.rate, 0) + "/s";
  if (p.finished)
    line += " in " + fixed(p.elapsed.count(), 1) + "s";
  else if (p.eta)
    line += " ETA " + fixed(p.eta->count(), 1) + "s";
  return line;
}

void progress_bar::operator()(const progress& p) const {
  if (!enabled_)
    return;
  // Carriage return, the line, then erase what a longer line left behind.
  std::fprintf(out_, "\r%s\033[K%s", render(p).c_str(), p.finished ? "\n" : "");
  std::fflush(out_);
}

} // namespace actorpool
