#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"

// Keras 2's LSTM layer runs its recurrence in a library function marked as a composite:
// attr `api_implements` = "lstm_<uuid>" (plus `time_major` and `go_backwards`), with the
// arguments (inputs, init_h, init_c, kernel, recurrent_kernel, bias) and the results
// (last_output, outputs, new_h, new_c, runtime). TensorFlow's converter
// (prepare_composite_functions_tf.cc, lstm_utils.cc ConvertKerasLSTMLayer) replaces such a
// function's body by one UNIDIRECTIONAL_SEQUENCE_LSTM before inlining; so does this step,
// with the internal op below standing for the fused operator until legalization lowers it.
namespace litelint::converter::import {

/// The internal op of a fused Keras LSTM: inputs (inputs, init_h, init_c, kernel,
/// recurrent_kernel, bias) as the composite function takes them (inputs already reversed in
/// time for go_backwards), attrs `time_major` (bool) and `T`; output 0 the sequence of
/// outputs, [batch, time, units] (time-major: [time, batch, units]).
inline constexpr std::string_view kKerasLstmOp = "_KerasLstm";
/// The internal op standing for a fused Keras LSTM's final cell state (result new_c), which
/// UNIDIRECTIONAL_SEQUENCE_LSTM does not output; it reads the fused op's output 0 so that
/// pruning drops it when nothing uses the state, and legalization rejects it otherwise.
inline constexpr std::string_view kKerasLstmCellStateOp = "_KerasLstmCellState";

/// A composite function that the step recognised by its attr but left as it was, and why.
struct CompositeDecline {
  std::string function;
  std::string reason;
};

/// True when some library function with a body carries `api_implements` = "lstm_*".
bool has_keras_lstm_composites(const ir::Graph& graph);

/// Replaces the body of every Keras LSTM composite function of `graph` by the fused op: a
/// ReverseV2 of the inputs for go_backwards, kKerasLstmOp, a StridedSlice for the last
/// output (also new_h), an ExpandDims of it where the function returns only the last step
/// (return_sequences=False), kKerasLstmCellStateOp for new_c and the function's own
/// `runtime` constant. Returns the functions it declined, with the reason.
std::vector<CompositeDecline> fuse_keras_lstm_composites(ir::Graph& graph);

}  // namespace litelint::converter::import
