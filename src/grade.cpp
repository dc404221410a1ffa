// Compiled mode: grades and vetoes.
#include "rubric/config.hpp"
#include "rubric/grade.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/grade.inl"
#endif
