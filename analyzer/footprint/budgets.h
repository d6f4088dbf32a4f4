#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "analyzer/support/expected.h"

namespace litelint::footprint {

/// Limits a team sets for its models (config `max-weight-bytes`, `max-macs`,
/// `max-activation-bytes`, or the same flags); unset means no limit. The LL5xx rules report
/// a model over any of them.
struct Budgets {
  std::optional<std::uint64_t> max_weight_bytes;
  std::optional<std::uint64_t> max_macs;
  std::optional<std::uint64_t> max_activation_bytes;

  bool any() const { return max_weight_bytes || max_macs || max_activation_bytes; }
};

/// Parses a budget: a whole number with an optional unit, SI ("300M", "1.5G", "20MB") or
/// binary ("20MiB", "512KiB"); "B" alone means bytes. Usage error naming `key` otherwise.
Expected<std::uint64_t> parse_budget(std::string_view text, std::string_view key);

}  // namespace litelint::footprint
