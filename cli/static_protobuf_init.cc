// Linked only into the fully static litelint (static_link, cli/meson.build), together with
// -Wl,--wrap for protobuf's AddDescriptorsRunner constructor.
//
// Why: libprotobuf.a's own generated files (descriptor.proto, any, type, wrappers,
// source_context) register their serialized descriptors with the generated pool from static
// initializers, each parsed into a FileDescriptorProto to index its symbols: ~5% of a small
// `litelint check` process, spent even by runs that never use a descriptor. litelint's own
// .proto files already register on first use (analyzer/proto/lazy_descriptors.py); this
// defers libprotobuf's files to the same moment. register_descriptors() calls
// register_deferred_runtime_descriptors() first, so the pool sees the same files in the same
// order as with eager registration. A file whose reflection is used before that registers
// itself: protobuf's AssignDescriptors adds a file on demand.
#include <array>
#include <cstddef>

namespace google::protobuf::internal {
struct DescriptorTable;
}  // namespace google::protobuf::internal

namespace {

using Table = google::protobuf::internal::DescriptorTable;

// Zero-initialized (no constructor), so valid before any static initializer runs.
constinit std::array<const Table*, 32> deferred{};
constinit std::size_t deferred_count = 0;
constinit bool flushed = false;

}  // namespace

extern "C" {

// The real AddDescriptorsRunner::AddDescriptorsRunner(const DescriptorTable*) (complete-object
// constructor: `this`, then the table, per the Itanium C++ ABI).
void __real__ZN6google8protobuf8internal20AddDescriptorsRunnerC1EPKNS1_15DescriptorTableE(
    void* self, const Table* table);

/// Records a static initializer's registration instead of doing it (until the flush below).
void __wrap__ZN6google8protobuf8internal20AddDescriptorsRunnerC1EPKNS1_15DescriptorTableE(
    void* self, const Table* table) {
  if (flushed || deferred_count == deferred.size()) {
    __real__ZN6google8protobuf8internal20AddDescriptorsRunnerC1EPKNS1_15DescriptorTableE(self,
                                                                                         table);
    return;
  }
  deferred[deferred_count++] = table;
}

}  // extern "C"

namespace litelint::proto {

/// Registers the files whose start-up registration was deferred; called once, under
/// register_descriptors()'s call_once, before litelint's own files.
void register_deferred_runtime_descriptors() {
  flushed = true;
  char runner;  // AddDescriptorsRunner is an empty struct; its constructor ignores `this`.
  for (std::size_t i = 0; i < deferred_count; ++i)
    __real__ZN6google8protobuf8internal20AddDescriptorsRunnerC1EPKNS1_15DescriptorTableE(
        &runner, deferred[i]);
}

}  // namespace litelint::proto
