# Fault injection (issue 18): allocations that fail one after another (tests/fault/). Label
# `fault`. Under the asan tree (RUBRIC_SANITIZE) ASan's leak checker runs over them as well.
if(NOT TARGET rubric_c_objects)
  return()
endif()

# The C interface, linked in statically, with a counting operator new that fails the Nth
# allocation (alloc_fault.hpp): every allocation of a compile, a scoring and a batch.
add_executable(alloc_fault_capi_test fault/alloc_fault_capi_test.cpp $<TARGET_OBJECTS:rubric_c_objects>)
target_include_directories(alloc_fault_capi_test PRIVATE ${PROJECT_SOURCE_DIR}/bindings/c/include)
target_compile_features(alloc_fault_capi_test PRIVATE cxx_std_17)
target_link_libraries(alloc_fault_capi_test PRIVATE rubric::rubric)
add_test(NAME fault_alloc_capi COMMAND alloc_fault_capi_test)
set_tests_properties(fault_alloc_capi PROPERTIES LABELS "fault" PASS_REGULAR_EXPRESSION " passed, 0 failed")

# The CLI with its Nth allocation failing (LD_PRELOAD): exit 3, "out of memory", nothing
# written. Not in the sanitizer tree (ASan's runtime must come first in the preload order).
if(TARGET rubric_cli AND NOT RUBRIC_SANITIZE AND UNIX AND NOT APPLE)
  add_library(fail_new_preload SHARED fault/fail_new_preload.cpp)
  target_compile_features(fail_new_preload PRIVATE cxx_std_17)
  find_program(_rubric_fault_bash bash)
  add_test(NAME fault_alloc_cli
    COMMAND ${_rubric_fault_bash} ${CMAKE_CURRENT_SOURCE_DIR}/fault/cli_alloc_fault.sh $<TARGET_FILE:rubric_cli>
            $<TARGET_FILE:fail_new_preload> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fault_alloc_cli PROPERTIES LABELS "fault;cli" PASS_REGULAR_EXPRESSION "; 0 failed")

  # The CLI with its Nth I/O call failing (read, write, fsync, rename …; EIO and ENOSPC):
  # exit 1 with "rubric: cannot read|write FILE", the old outputs untouched, no temporary left.
  add_library(fail_io_preload SHARED fault/fail_io_preload.cpp)
  target_compile_features(fail_io_preload PRIVATE cxx_std_17)
  target_link_libraries(fail_io_preload PRIVATE ${CMAKE_DL_LIBS})
  add_test(NAME fault_io_cli
    COMMAND ${_rubric_fault_bash} ${CMAKE_CURRENT_SOURCE_DIR}/fault/cli_io_fault.sh $<TARGET_FILE:rubric_cli>
            $<TARGET_FILE:fail_io_preload> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fault_io_cli PROPERTIES LABELS "fault;cli" PASS_REGULAR_EXPRESSION "; 0 failed")
endif()
