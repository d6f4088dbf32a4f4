#pragma once

#include <span>

#include "converter/fold/fold.h"

// Internal to converter/fold: each file holds the folders of one op family and exposes them
// as a span; registry.cc concatenates them into the table `fold()` searches.
namespace litelint::converter::folders {

std::span<const Folder> arithmetic_folders();  // arithmetic.cc
std::span<const Folder> cast_folders();        // cast.cc
std::span<const Folder> generator_folders();   // generators.cc
std::span<const Folder> joining_folders();     // joining.cc
std::span<const Folder> logic_folders();       // logic.cc
std::span<const Folder> reduction_folders();   // reductions.cc
std::span<const Folder> reshaping_folders();   // reshaping.cc
std::span<const Folder> shape_folders();       // shape_ops.cc
std::span<const Folder> slicing_folders();     // slicing.cc

}  // namespace litelint::converter::folders
