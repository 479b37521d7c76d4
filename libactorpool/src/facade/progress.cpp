#include "actorpool/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace actorpool {

namespace {

constexpr int default_bar = 20;
constexpr int widest_bar = 40;
constexpr int narrowest_bar = 5;

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

std::string bar_of(double fraction, int width) {
  auto full = static_cast<int>(std::lround(fraction * width));
  full = std::clamp(full, 0, width);
  return "[" + std::string(static_cast<size_t>(full), '#')
         + std::string(static_cast<size_t>(width - full), '.') + "] ";
}

/// Everything after the bar: percentage, counts, rate, time.
std::string figures_of(const progress& p) {
  std::string line;
  if (p.total && *p.total > 0) {
    auto f = static_cast<double>(p.completed) / static_cast<double>(*p.total);
    line += fixed(100 * f, 0) + "% "
            + progress_bar::short_number(static_cast<double>(p.completed)) + "/"
            + progress_bar::short_number(static_cast<double>(*p.total));
  } else {
    auto read = std::max(p.read, p.completed);
    line += progress_bar::short_number(static_cast<double>(p.completed)) + "/"
            + progress_bar::short_number(static_cast<double>(read)) + "+";
  }
  line += " " + progress_bar::short_number(p.rate) + "/s";
  if (p.finished)
    line += " in " + fixed(p.elapsed.count(), 1) + "s";
  else if (p.eta)
    line += " ETA " + fixed(p.eta->count(), 1) + "s";
  return line;
}

/// The width of the bar that fits `room` characters, or 0 for none.
int bar_width(size_t room, size_t columns) {
  if (columns == 0)
    return default_bar;
  auto fits = static_cast<int>(std::min<size_t>(room, widest_bar + 3)) - 3;
  return fits >= narrowest_bar ? fits : 0;
}

/// Columns of the terminal behind `out`, or 0 if unknown.
size_t columns_of(std::FILE* out) {
  winsize ws{};
  if (out != nullptr && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0)
    return ws.ws_col;
  return 0;
}

} // namespace

progress_bar::progress_bar(std::string label, std::FILE* out)
  : label_(std::move(label)), out_(out),
    enabled_(out != nullptr && isatty(fileno(out)) == 1) {
  // nop
}

std::string progress_bar::short_number(double x) {
  if (!(x >= 10000)) // also NaN
    return fixed(x, 0);
  const char* units = "kMGTP";
  int unit = -1;
  while (x >= 999.5 && unit < 4) {
    x /= 1000;
    ++unit;
  }
  return fixed(x, x < 9.995 ? 2 : (x < 99.95 ? 1 : 0)) + units[unit];
}

std::string progress_bar::render(const progress& p, size_t columns) const {
  auto figures = figures_of(p);
  auto label = label_.empty() ? std::string{} : label_ + " ";
  auto limit = columns == 0 ? std::string::npos : columns - 1;
  auto room = limit == std::string::npos
                ? limit
                : limit - std::min(limit, label.size() + figures.size());
  auto width = p.total && *p.total > 0 ? bar_width(room, columns) : 0;
  std::string bar;
  if (width > 0) {
    auto f = static_cast<double>(p.completed) / static_cast<double>(*p.total);
    bar = bar_of(f, width);
  }
  auto line = label + bar + figures;
  return line.size() <= limit ? line : line.substr(line.size() - limit);
}

void progress_bar::operator()(const progress& p) const {
  if (!enabled_)
    return;
  // Carriage return, the line, then erase what a longer line left behind.
  auto columns = columns_of(out_);
  std::fprintf(out_, "\r%s\033[K%s", render(p, columns ? columns : 80).c_str(),
               p.finished ? "\n" : "");
  std::fflush(out_);
}

} // namespace actorpool
