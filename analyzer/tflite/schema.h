#pragma once

// flatc's generated code is not ours to keep warning-free under every flag we build with;
// include it through this header so a new compiler warning cannot break -Werror builds.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#include "analyzer/tflite/schema_generated.h"
#include "analyzer/tflite/conversion_metadata_generated.h"
#pragma GCC diagnostic pop
