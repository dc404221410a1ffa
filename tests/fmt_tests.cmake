# `rubric fmt` (src/cli/fmt.cpp): the rubrics under rubrics/ are formatted, and the
# command's modes behave as documented. The layout itself is tested in tests/unit/format_test.cpp,
# which also formats every rubric (rubrics/examples/zh included) and checks idempotence and meaning.
#
# rubrics/examples/zh/ is left out of the check on purpose: those twins are written with
# full-width punctuation (：≥％÷，) to show that the language accepts it, and fmt's canonical
# form is ASCII (GRAMMAR.md, "Formatting"); formatting them would defeat their purpose.
file(GLOB_RECURSE _fmt_rubrics CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/rubrics/*.rubric)
list(FILTER _fmt_rubrics EXCLUDE REGEX "^rubrics/examples/zh/")
add_test(NAME fmt-check-rubrics COMMAND rubric_cli fmt --check ${_fmt_rubrics} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fmt-check-rubrics PROPERTIES LABELS cli)

add_test(NAME fmt-cli
  COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:rubric_cli> -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/golden/fmt
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/fmt-cli -P ${CMAKE_CURRENT_SOURCE_DIR}/support/fmt_cli.cmake)
set_tests_properties(fmt-cli PROPERTIES LABELS cli)
