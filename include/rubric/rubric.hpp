// rubric: the umbrella header. It only includes the public headers.
#pragma once

#include "rubric/config.hpp"
#include "rubric/version.hpp"
#include "rubric/source.hpp"
#include "rubric/messages.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/decimal.hpp"
#include "rubric/number_message.hpp"
#include "rubric/csv.hpp"
#include "rubric/facts_reader.hpp"
#include "rubric/ast.hpp"
#include "rubric/parse.hpp"
#include "rubric/check.hpp"
#include "rubric/compile.hpp"
#include "rubric/facts.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/limits.hpp"
#include "rubric/cohort_evaluation.hpp"
#include "rubric/explain.hpp"
#include "rubric/coverage.hpp"
#include "rubric/testing.hpp"
#include "rubric/format.hpp"
#include "rubric/table.hpp"
#include "rubric/cohort.hpp"
#include "rubric/escape.hpp"
#include "rubric/display.hpp"
#include "rubric/run.hpp"
#include "rubric/safe_output.hpp"

#if RUBRIC_HEADER_ONLY
#include "rubric/impl/all.inl"
#endif
