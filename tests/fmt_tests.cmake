# `rubric fmt` (src/cli/fmt.cpp): every rubric under rubrics/ is formatted, and the
# command's modes behave as documented. The layout itself is tested in tests/unit/format_test.cpp.
add_test(NAME fmt-check-rubrics COMMAND rubric_cli fmt --check rubrics WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fmt-check-rubrics PROPERTIES LABELS cli)

add_test(NAME fmt-cli
  COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:rubric_cli> -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/golden/fmt
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/fmt-cli -P ${CMAKE_CURRENT_SOURCE_DIR}/support/fmt_cli.cmake)
set_tests_properties(fmt-cli PROPERTIES LABELS cli)
