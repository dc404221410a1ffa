// rubric: library version. CMake reads the version from this file.
#pragma once

#define RUBRIC_VERSION_MAJOR 0
#define RUBRIC_VERSION_MINOR 1
#define RUBRIC_VERSION_PATCH 0
#define RUBRIC_VERSION_STRING "0.1.0"
