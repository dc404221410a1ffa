# `rubric diff` (diff.hpp): two versions of the 广汉 table, the second made by hand; every
# expected change worked out from its edits; each bundled rubric against itself.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME diff-guanghan
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/diff/diff_test.py $<TARGET_FILE:rubric_cli> ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/diff)
  set_tests_properties(diff-guanghan PROPERTIES LABELS "cli;diff" TIMEOUT 300)
endif()
