# Replays the fuzz findings in the normal test build (any compiler, no libFuzzer): each fuzz
# target is linked with replay.cpp and run over tests/fuzz/regressions/<target>/ and the
# hand-picked seeds tests/fuzz/seeds/<target>/. Included from tests/CMakeLists.txt; in the
# ASan/UBSan tree (RUBRIC_SANITIZE=ON) the replays run under the sanitizers too.
#
# Tests: fuzz_replay_<target>, and fuzz_dict_keywords (rubric.dict holds every keyword of the
# grammar), label "fuzz".

set(_rubric_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
set(_rubric_replay_targets parse check eval facts decimal paths structured run)
if(EXISTS ${PROJECT_SOURCE_DIR}/include/rubric/format.hpp)
  list(APPEND _rubric_replay_targets fmt)
endif()
if(TARGET rubric_c AND EXISTS ${_rubric_fuzz_dir}/fuzz_capi.cpp)
  list(APPEND _rubric_replay_targets capi)
endif()

# fuzz_fault replaces operator new, so the C interface is linked into it statically (as
# tests/fault's alloc_fault_capi_test): every allocation of the library is its own.
if(TARGET rubric_c_objects AND EXISTS ${_rubric_fuzz_dir}/fuzz_fault.cpp)
  add_executable(fuzz_replay_fault ${_rubric_fuzz_dir}/fuzz_fault.cpp ${_rubric_fuzz_dir}/replay.cpp
                 $<TARGET_OBJECTS:rubric_c_objects>)
  target_include_directories(fuzz_replay_fault PRIVATE ${PROJECT_SOURCE_DIR}/bindings/c/include)
  target_compile_features(fuzz_replay_fault PRIVATE cxx_std_17)
  target_link_libraries(fuzz_replay_fault PRIVATE rubric::rubric nlohmann_json::nlohmann_json)
  add_test(NAME fuzz_replay_fault
           COMMAND fuzz_replay_fault ${_rubric_fuzz_dir}/regressions/fault ${_rubric_fuzz_dir}/seeds/fault)
  set_tests_properties(fuzz_replay_fault PROPERTIES LABELS "fuzz;fault")
endif()

foreach(_t IN LISTS _rubric_replay_targets)
  add_executable(fuzz_replay_${_t} ${_rubric_fuzz_dir}/fuzz_${_t}.cpp ${_rubric_fuzz_dir}/replay.cpp)
  target_compile_features(fuzz_replay_${_t} PRIVATE cxx_std_17)
  if(_t STREQUAL "capi")
    target_link_libraries(fuzz_replay_${_t} PRIVATE rubric::c rubric::rubric nlohmann_json::nlohmann_json)
  else()
    target_link_libraries(fuzz_replay_${_t} PRIVATE rubric::rubric nlohmann_json::nlohmann_json)
  endif()
  add_test(NAME fuzz_replay_${_t}
           COMMAND fuzz_replay_${_t} ${_rubric_fuzz_dir}/regressions/${_t} ${_rubric_fuzz_dir}/seeds/${_t})
  set_tests_properties(fuzz_replay_${_t} PROPERTIES LABELS "fuzz")
endforeach()

find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_FOUND)
  add_test(NAME fuzz_dict_keywords
           COMMAND ${Python3_EXECUTABLE} ${_rubric_fuzz_dir}/check_dict.py
                   ${PROJECT_SOURCE_DIR}/grammar/rubric/grammar/rules.hpp ${_rubric_fuzz_dir}/rubric.dict)
  set_tests_properties(fuzz_dict_keywords PROPERTIES LABELS "fuzz")
endif()
