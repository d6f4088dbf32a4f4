// A Python callback (tf.py_function / tf.numpy_function: EagerPyFunc, PyFunc; LL102, nothing
// in TFLite can run it) cut out of the model's front: its result becomes a model input that the
// app computes by running the callback (or its port) on the original inputs. See cut_front.h.
#include <memory>
#include <string_view>

#include "rules/checks/cut_front.h"

namespace litelint::rules {
namespace {

bool is_python_callback(std::string_view op) {
  return op == "EagerPyFunc" || op == "PyFunc" || op == "PyFuncStateless";
}

}  // namespace

std::unique_ptr<Fix> make_cut_python_front_fix() {
  return std::make_unique<cut_front::CutFront>(
      FixInfo{.id = "cut-python-front", .code = "LL102", .safety = Applicability::Unsafe,
              .title = "cut the Python callback out: its result becomes a model input",
              .change = "interface: the model gets a new input, the callback's result, which the app "
                        "computes and feeds; the model no longer runs the callback"},
      is_python_callback);
}

}  // namespace litelint::rules
