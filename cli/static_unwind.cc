// Linked only into the fully static litelint (static_link, cli/meson.build), together with
// -Wl,--eh-frame-hdr and -Wl,--wrap for the two functions below.
//
// Why: for -static links GCC uses crtbeginT.o, whose start-up code registers the whole
// .eh_frame with libgcc's unwinder (__register_frame_info). The first exception thrown then
// makes libgcc sort every FDE of the binary (~30k here): 2.5 ms, more than a whole small
// `litelint check`, and CLI11 throws for --version, --help and every usage error. With the
// registration turned into a no-op, the unwinder finds FDEs as in a dynamic executable:
// through dl_iterate_phdr and the binary-search table of PT_GNU_EH_FRAME, which
// --eh-frame-hdr makes the linker write (gcc leaves it out of -static links).
//
// crtbeginT.o is the only caller (weak references); its exit-time __deregister_frame_info
// is wrapped too, since deregistering a never-registered object would abort.

extern "C" {

/// No-op replacement (via -Wl,--wrap) for crtbeginT.o's .eh_frame registration.
void __wrap___register_frame_info(const void* /*begin*/, void* /*object*/) {}

/// No-op replacement (via -Wl,--wrap) for crtbeginT.o's exit-time deregistration.
void* __wrap___deregister_frame_info(const void* /*begin*/) { return nullptr; }

}  // extern "C"
