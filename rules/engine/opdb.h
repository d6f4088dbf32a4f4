#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "analyzer/ir/dtype.h"

// The op database: what TFLite (and its delegates) can run, as plain constant tables.
// The data lives in rules/opdb/*.toml; rules/opdb/gen_opdb.py turns it into
// opdb_tables.cc at build time, so lookups cost a binary search and no start-up parsing.
// Every string_view and span points into static storage.

namespace litelint::rules {

/// What TFLiteConverter does with a TF op type (the `status` key of tf_ops.toml).
enum class TfOpStatus : std::uint8_t {
  Builtin,        ///< a direct pattern produces TFLite builtin(s), when dtypes/conditions hold
  Lowered,        ///< rewritten into other TF ops that become builtins
  Removed,        ///< dropped or folded (Identity, NoOp, Assert, inlined calls)
  Io,             ///< becomes a subgraph tensor: input, output or constant
  ControlFlow,    ///< TF2 If/While/Case
  ControlFlowV1,  ///< TF1 Switch/Merge/Enter/...: functionalized at import or an error
  Variable,       ///< resource variable ops
  HashTable,      ///< static hash-table ops
  TensorList,     ///< TF2 TensorList ops lowered to plain tensors
  Training,       ///< training/checkpoint/summary op, pruned unless reachable
  FlexOnly,       ///< no builtin; allowlisted, so it runs only as a Select TF op
  Unsupported,    ///< no builtin and not allowlisted: custom op or conversion error
  Unregistered,   ///< not a registered TensorFlow op: import error
  Internal,       ///< grappler/TF.js fused name that litelint unfuses before linting
};

/// What happens when an op's dtype or `when` condition does not hold.
enum class Fallback : std::uint8_t {
  None,                 ///< nothing recorded (the op has no conditions)
  StaysTf,              ///< the TF op stays: Flex if allowlisted, else custom op or error
  TransposeInserted,    ///< converts anyway, with TRANSPOSE ops around it
  BroadcastToInserted,  ///< converts anyway, with BROADCAST_TO in front
  ConvertError,         ///< the conversion fails
};

/// Which Select TF ops list an op is on.
enum class FlexList : std::uint8_t {
  None,           ///< not allowlisted
  Main,           ///< always allowed with SELECT_TF_OPS
  TfText,         ///< allowed only when tensorflow_text ops are loaded at conversion
  SentencePiece,  ///< allowed only when sentencepiece ops are loaded at conversion
};

/// How sure the database is about an entry.
enum class Confidence : std::uint8_t {
  Reference,   ///< stated in ../shared/reference
  Derived,     ///< allowlisted, no pattern known: assumed flex-only
  Unverified,  ///< the reference or the data file is unsure
  Measured,    ///< confirmed by the TensorFlow oracle
};

/// The condition kinds a `when` table may hold.
enum class ConditionKey : std::uint8_t {
  DataFormat,
  Strides,
  Dilations,
  Ksize,
  Padding,
  ConstOperands,     ///< comma-separated operand names that must be constant
  MaxRank,           ///< number
  MinRank,           ///< number
  MaxEffectiveRank,  ///< number; dims of size 1 do not count
  BroadcastMaxRank,  ///< number
  StaticShape,
  Attr,
  Lowering,  ///< the named lowering's own legality check (rules/engine/lowerings.h) must pass
};

/// Element types as the TFLite converter distinguishes them (q* are quantized TFLite types).
enum class ElemType : std::uint8_t {
  F16, BF16, F32, F64, I2, I4, I8, I16, I32, I64, U4, U8, U16, U32, U64, Bool, String,
  Complex64, Complex128, Resource, Variant, QI2, QI4, QI8, QI16, QI32, QUI4, QUI8, QUI16,
  QUI32, TfQuint8, F8E4M3FN, F8E5M2,
};
/// Number of ElemType values.
inline constexpr int kElemTypeCount = 33;

/// A set of element types; "any" is the full set.
struct ElemTypeSet {
  std::uint64_t bits = 0;

  /// The set holding every type (no restriction).
  static constexpr ElemTypeSet any() { return {(std::uint64_t{1} << kElemTypeCount) - 1}; }
  constexpr bool contains(ElemType t) const {
    return (bits >> static_cast<unsigned>(t)) & 1U;
  }
  constexpr bool is_any() const { return bits == any().bits; }
  constexpr bool empty() const { return bits == 0; }
};

/// The element types one operand of an op may have for its builtin path to apply.
struct OperandTypes {
  /// An OpDef input argument name ("updates"), "output" (the op's first result),
  /// "output:<name>" (an OpDef output argument, "output:indices"), or an input index ("0")
  /// for ops that are not in TensorFlow's op registry.
  std::string_view operand;
  ElemTypeSet types;
};

/// One entry of a `when` table: the condition under which the builtin path applies.
struct Condition {
  ConditionKey key;
  std::string_view value;  ///< as written in tf_ops.toml ("NHWC", "[1,h,w,1]", "axis", "5")
  int number;              ///< value for the rank keys, -1 otherwise
  Fallback otherwise;      ///< what happens when it does not hold
};

/// Everything the database knows about one TensorFlow op type.
/// An attribute whose values TensorFlow's OpDef restricts (tf_attr_values.toml): a node with
/// any other value fails at graph import.
struct AllowedAttrValues {
  std::string_view attr;                      ///< e.g. "data_format", "T"
  std::span<const std::string_view> values;   ///< strings as written; types as "DT_FLOAT"
};

struct TfOpInfo {
  std::string_view name;                    ///< upstream spelling, e.g. "Conv2D"
  TfOpStatus status;
  std::span<const std::string_view> builtins;  ///< TFLite builtins produced, main one first
  ElemTypeSet dtypes;                       ///< accepted types of the main data operand
  /// Every operand's accepted types, main operand first (rules/engine/opdb_operands.h checks
  /// a node against them). Empty: any types.
  std::span<const OperandTypes> operand_types;
  /// Types outside `operand_types` for which the conversion fails in every mode instead of
  /// keeping a Select TF op (a lowering emits a TF op that rejects them). Measured.
  std::span<const OperandTypes> fails_types;
  std::span<const Condition> when;          ///< conditions for the builtin path
  Fallback otherwise;                       ///< default outcome when dtypes/when fail
  FlexList flex;
  Confidence confidence;
  std::string_view reason;    ///< why it is not (always) a builtin; quoted by reports
  std::string_view hint;      ///< what to change in the TensorFlow model
  std::string_view note;      ///< the reference's conditions text
  std::string_view evidence;  ///< where the fact comes from
  /// A pattern TFLite's optimizer fuses into `builtins` (rules/engine/fusions.h), with this op
  /// at its core, e.g. "gelu-erfc": 0.5*x*erfc(-x*sqrt(1/2)) becomes GELU. Empty: none.
  std::string_view fusion;
  /// The OpDef's restricted attributes, from TensorFlow's op registry.
  std::span<const AllowedAttrValues> allowed_attrs;

  /// True when the op can become TFLite builtins (directly or via a lowering).
  constexpr bool converts_to_builtins() const {
    return status == TfOpStatus::Builtin || status == TfOpStatus::Lowered;
  }
  /// The condition of that kind, or nullptr.
  const Condition* condition(ConditionKey key) const;
  /// False when TensorFlow's OpDef restricts `attr` and `value` (a string, or a type as
  /// "DT_FLOAT") is not among its values; true otherwise.
  bool allows(std::string_view attr, std::string_view value) const;
  /// True when the builtin path accepts the element type of the main operand.
  constexpr bool accepts(ElemType t) const { return dtypes.contains(t); }
};

/// The first TFLite runtime release that knows one version of a builtin.
struct BuiltinVersion {
  int version;
  std::string_view min_runtime;  ///< "2.3.0"
};

/// One operand or result of a builtin as the converter's runtime verification sees it.
struct OperandInfo {
  std::string_view name;
  ElemTypeSet types;        ///< TF 2.20-era converter (nearest to the TF 2.21 judge)
  ElemTypeSet newer_types;  ///< added in LiteRT HEAD only
  bool optional;
  bool variadic;
  bool stateful;
  int rank;  ///< required rank, -1 if none
};

/// Everything the database knows about one TFLite builtin operator.
struct TfliteBuiltinInfo {
  std::string_view name;  ///< "CONV_2D"
  int code;               ///< BuiltinOperator value
  int max_version;        ///< 0 when the op is not versioned
  std::string_view options;  ///< builtin options table
  std::string_view dialect;  ///< converter dialect op, "tfl.conv_2d"
  std::span<const BuiltinVersion> versions;
  std::span<const OperandInfo> operands;
  std::span<const OperandInfo> results;
  std::string_view rules;        ///< rank/shape/attribute rules (TF 2.20-era text)
  std::string_view newer_rules;  ///< LiteRT HEAD text where it differs
  std::string_view checks;       ///< extra verifier checks
  int max_rank;                  ///< main input rank limits, -1 if none
  int min_rank;
  int max_effective_rank;
  int broadcast_max_rank;
  bool constraints_known;  ///< false: no operand table in the reference

  /// The first runtime release with that op version, or "" when unknown.
  std::string_view min_runtime(int version) const;
};

/// A delegate litelint has a profile for.
enum class Delegate : std::uint8_t { Gpu, Xnnpack, Nnapi, EdgeTpu };

/// What one delegate says about one builtin (or custom op).
struct DelegateOpInfo {
  std::string_view op;  ///< builtin name, or custom op name when `custom`
  bool custom;
  bool supported;  ///< false: listed only to say why it is rejected
  int max_version;              ///< highest accepted op version, 0 = not checked
  std::string_view min_api;     ///< NNAPI: lowest Android API / feature level
  std::string_view since;       ///< Edge TPU: "orig" or "later"
  std::string_view types;       ///< XNNPACK: in -> out types
  std::string_view constraints;
  std::string_view version_note;
  Confidence confidence;
};

/// One delegate profile.
struct DelegateInfo {
  Delegate id;
  std::string_view name;  ///< "gpu"
  std::span<const std::string_view> rules;  ///< general rules for every op
  std::span<const DelegateOpInfo> ops;      ///< builtins, sorted by name
  std::span<const DelegateOpInfo> custom_ops;
};

/// The TF op entry, or nullptr when the database does not know the op.
const TfOpInfo* find_tf_op(std::string_view name);
/// The builtin by name ("CONV_2D"), or nullptr.
const TfliteBuiltinInfo* find_builtin(std::string_view name);
/// The builtin by BuiltinOperator code, or nullptr.
const TfliteBuiltinInfo* find_builtin(int code);
/// True when the op is on the main Select TF ops allowlist.
bool on_flex_allowlist(std::string_view tf_op);
/// Which allowlist the op is on (FlexList::None if none).
FlexList flex_list_of(std::string_view tf_op);
/// True when the op can become builtins and its builtin path accepts the dtype.
bool builtin_accepts(std::string_view tf_op, ir::DType dtype);

/// Every TF op entry, sorted by name.
std::span<const TfOpInfo> all_tf_ops();
/// Every builtin, sorted by name.
std::span<const TfliteBuiltinInfo> all_builtins();
/// One allowlist section, sorted.
std::span<const std::string_view> flex_allowlist(FlexList list);

/// Every delegate profile.
std::span<const DelegateInfo> all_delegates();
/// The profile of one delegate.
const DelegateInfo& delegate_info(Delegate d);
/// Parses "gpu", "xnnpack", "nnapi", "edgetpu".
std::optional<Delegate> parse_delegate(std::string_view name);
/// The delegate's entry for a builtin, or nullptr when it does not list the op.
const DelegateOpInfo* find_delegate_op(Delegate d, std::string_view builtin);
/// True when the delegate accepts the builtin at that op version (version 0: any).
/// Per-op constraints (shapes, constness) are text in DelegateOpInfo and not checked here.
bool delegate_supports(Delegate d, std::string_view builtin, int version = 0);

/// The TFLite element type for a TensorFlow dtype; nullopt for types TFLite has no name for.
std::optional<ElemType> elem_type_of(ir::DType dtype);

/// Spellings used in the data files ("flex-only", "stays-tf", "f32", "max_rank", ...).
std::string_view to_string(TfOpStatus s);
std::string_view to_string(Fallback f);
std::string_view to_string(FlexList f);
std::string_view to_string(Confidence c);
std::string_view to_string(ConditionKey k);
std::string_view to_string(ElemType t);
std::string_view to_string(Delegate d);

namespace detail {
// Defined in the generated opdb_tables.cc.
std::span<const TfOpInfo> tf_op_table();
std::span<const TfliteBuiltinInfo> builtin_table();
std::span<const std::string_view> flex_table(FlexList list);
std::span<const DelegateInfo> delegate_table();
}  // namespace detail

}  // namespace litelint::rules
