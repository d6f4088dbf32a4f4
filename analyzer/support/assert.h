#pragma once

#include <cstdio>
#include <cstdlib>

/// Checks an invariant of litelint's own code (never of input); aborts with file:line in
/// every build type, since a broken invariant means a wrong verdict otherwise.
#define LITELINT_ASSERT(cond)                                                           \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "litelint: internal error: %s:%d: assertion '%s' failed\n", \
                   __FILE__, __LINE__, #cond);                                          \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
