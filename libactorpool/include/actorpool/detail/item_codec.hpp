#pragma once

#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool::detail {

/// Runs `fn`, turning codec failures into the facade's `encoding_error`
/// (same code, same message).
template <class F>
decltype(auto) translate_codec_errors(F&& fn) {
  try {
    return std::forward<F>(fn)();
  } catch (const codec_failure& e) {
    throw encoding_error(e.code(), e.what());
  }
}

/// The encoding of a value handed to a shared object (an item put on a
/// queue, sent down a pipe, stored in a dict, ...), made in the caller's
/// thread before anything is sent: a value that cannot be serialized throws
/// `encoding_error` (`errc::encoding_failed`) and the object never hears of
/// it.
template <class T>
std::string encode_item(const T& x) {
  return translate_codec_errors([&] { return encode(x); });
}

/// A value a shared object handed back; bytes that do not decode as a `T`
/// throw `encoding_error` (`errc::decoding_failed`).
template <class T>
T decode_item(const std::string& buf) {
  return translate_codec_errors([&] { return decode_one<T>(buf); });
}

/// `decode_item` of each of `bufs`.
template <class T>
std::vector<T> decode_items(const std::vector<std::string>& bufs) {
  return translate_codec_errors([&] { return decode_each<T>(bufs); });
}

} // namespace actorpool::detail
