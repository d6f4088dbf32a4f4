// A string preprocessing op at the model's front (lower-casing, regex replacement, splitting,
// substrings, hashing: LL101, Flex only) cut out: its result becomes a model input that the app
// computes with its own string library on the original inputs. See cut_front.h. Where the
// string op feeds the outputs directly (the whole model is preprocessing), nothing would be left
// to convert and the fix says so.
#include <memory>
#include <string_view>

#include "rules/checks/cut_front.h"

namespace litelint::rules {
namespace {

bool is_string_preprocessing(std::string_view op) {
  return op == "StringLower" || op == "StringUpper" || op == "StaticRegexReplace" || op == "RegexReplace" ||
         op == "StringSplitV2" || op == "StringSplit" || op == "Substr" || op == "StringStrip" ||
         op == "StringToHashBucketFast" || op == "StringToHashBucketStrong" || op == "StringToHashBucket" ||
         op == "StringToNumber" || op == "UnicodeDecode" || op == "UnicodeDecodeWithOffsets";
}

}  // namespace

std::unique_ptr<Fix> make_cut_string_front_fix() {
  return std::make_unique<cut_front::CutFront>(
      FixInfo{.id = "cut-string-front", .code = "LL101", .safety = Applicability::Unsafe,
              .title = "cut the string preprocessing out: its result becomes a model input",
              .change = "interface: the model gets a new input, the preprocessed tensor, which the app "
                        "computes and feeds; the model no longer reads the raw strings"},
      is_string_preprocessing);
}

}  // namespace litelint::rules
