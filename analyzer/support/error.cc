#include "analyzer/support/error.h"

namespace litelint {

std::string Error::message() const {
  std::string out;
  if (!file_.empty()) out = file_ + ": ";
  out += reason_;
  if (offset_) out += " (at byte " + std::to_string(*offset_) + ")";
  return out;
}

}  // namespace litelint
