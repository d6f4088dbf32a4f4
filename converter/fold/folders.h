#pragma once

#include <span>

#include "converter/fold/fold.h"

// Internal to converter/fold: each file holds the folders of one op family and exposes them
// as a span; registry.cc concatenates them into the table `fold()` searches.
namespace litelint::converter::folders {

std::span<const Folder> shape_folders();

}  // namespace litelint::converter::folders
