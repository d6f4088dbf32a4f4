#pragma once

#include <tl/expected.hpp>

#include "analyzer/support/error.h"

namespace litelint {

/// Result of anything that can fail on input. GCC 12 has no std::expected in C++20 mode;
/// the alias lets us switch later.
template <typename T>
using Expected = tl::expected<T, Error>;

using tl::unexpected;

/// Shorthand for returning a BadInput error.
inline tl::unexpected<Error> bad_input(std::string reason) {
  return tl::unexpected<Error>(Error(ErrorCode::BadInput, std::move(reason)));
}

/// Shorthand for returning an error with an explicit code.
inline tl::unexpected<Error> fail(ErrorCode code, std::string reason) {
  return tl::unexpected<Error>(Error(code, std::move(reason)));
}

}  // namespace litelint
