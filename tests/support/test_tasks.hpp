#pragma once

// Task functions shared by the test suites, mirroring the helpers of
// CPython's _test_multiprocessing.py (sqr, mul, raising, ...).

#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/sec.hpp>

namespace actorpool::test {

/// Python's ValueError, KeyError and the test suite's SayWhenError.
struct value_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct key_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct say_when_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A user type with an inspect overload.
struct point {
  int x = 0;
  int y = 0;
  std::string label;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, point& p) {
  return f(caf::meta::type_name("point"), p.x, p.y, p.label);
}

/// A type that refuses to be serialized (Python: an object whose
/// __reduce__ raises), but can be deserialized.
struct unsendable {
  int value = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unsendable& x) {
  if constexpr (Inspector::reads_state)
    return caf::make_error(caf::sec::state_not_serializable,
                           "unsendable refuses to be serialized");
  else
    return f(x.value);
}

int sqr(int x);
int sqr_wait(int x, double wait_s);
int mul(int x, int y);
int identity(int x);
void sleep_seconds(double s);
void raise_large_value_error(double wait_s);
int raising();
unsendable unsendable_result();
int accepts_unsendable(unsendable x);
int worker_pid();
int worker_pid_wait(double wait_s);
void set_marker(int value);
int read_marker();
int read_marker_of(int ignored);
void failing_initializer();
point scale_point(point p, int k);
std::string repeat(std::string s, int n);
size_t payload_size(std::string s);
int parse_int(std::string s);
void raise_runtime_error(std::string what);

/// An input range whose iteration throws `say_when_error` when it reaches
/// item `when` (at once for `when == -1`), like Python's
/// exception_throwing_generator.
class throwing_range {
public:
  throwing_range(int total, int when) : total_(total), when_(when) {
    // nop
  }

  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = int;
    using difference_type = std::ptrdiff_t;
    using pointer = const int*;
    using reference = const int&;

    iterator(int pos, int total, int when);

    const int& operator*() const {
      return pos_;
    }

    iterator& operator++();

    bool operator==(const iterator& other) const {
      return pos_ == other.pos_;
    }

    bool operator!=(const iterator& other) const {
      return pos_ != other.pos_;
    }

  private:
    void check() const;

    int pos_;
    int total_;
    int when_;
  };

  iterator begin() const;

  iterator end() const;

private:
  int total_;
  int when_;
};

/// Python's SpecialIterable (in test_map_handle_iterable_exception): a
/// sized forward range whose length says 1 and whose first read throws
/// `say_when_error`.
class special_iterable {
public:
  class iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = int;
    using difference_type = std::ptrdiff_t;
    using pointer = const int*;
    using reference = const int&;

    iterator() = default;

    explicit iterator(int pos) : pos_(pos) {
      // nop
    }

    const int& operator*() const;

    iterator& operator++() {
      ++pos_;
      return *this;
    }

    iterator operator++(int) {
      auto old = *this;
      ++pos_;
      return old;
    }

    bool operator==(const iterator& other) const {
      return pos_ == other.pos_;
    }

    bool operator!=(const iterator& other) const {
      return pos_ != other.pos_;
    }

  private:
    int pos_ = 0;
  };

  iterator begin() const {
    return iterator{0};
  }

  iterator end() const {
    return iterator{1};
  }

  size_t size() const {
    return 1;
  }
};

/// 0, 1, ..., n - 1.
inline std::vector<int> iota_vec(int n) {
  std::vector<int> xs(static_cast<size_t>(n));
  std::iota(xs.begin(), xs.end(), 0);
  return xs;
}

/// 0, 1, 4, ..., (n - 1)^2.
inline std::vector<int> squares(int n) {
  auto xs = iota_vec(n);
  for (auto& x : xs)
    x = x * x;
  return xs;
}

} // namespace actorpool::test
