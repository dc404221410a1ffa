# `rubric eval --compare`: the self-assessment (自评) beside the review (审核), hand-worked.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME self-review
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/self_review/self_review_test.py $<TARGET_FILE:rubric_cli>
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/self_review)
  set_tests_properties(self-review PROPERTIES LABELS "cli;self_review" TIMEOUT 300)
endif()
