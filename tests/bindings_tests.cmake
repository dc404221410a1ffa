# Tests of the language bindings (bindings/): the C interface compiled as C, its exported
# symbols, valgrind, the thread-safety test, the Python and Java bindings, and the examples.
# Labels: bindings (all of them), and c, python, java, valgrind, threads, examples.
if(NOT TARGET rubric_c)
  return()
endif()
set(_root ${PROJECT_SOURCE_DIR})
set(_scratch ${CMAKE_CURRENT_BINARY_DIR}/bindings-scratch)
file(MAKE_DIRECTORY ${_scratch})

# --- the C interface ---------------------------------------------------------------
# Every function of rubric.h, compiled as strict C99 (no C++ compiler involved).
add_executable(c_api_test c_api/c_api_test.c)
set_target_properties(c_api_test PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(c_api_test PRIVATE -Wall -Wextra -pedantic -Werror)
endif()
target_link_libraries(c_api_test PRIVATE rubric::c)
add_test(NAME c_api COMMAND c_api_test ${_root} ${_scratch})
set_tests_properties(c_api PROPERTIES LABELS "bindings;c")

# librubric.so exports exactly the rubric_* functions that rubric.h declares.
if(CMAKE_NM AND UNIX AND NOT APPLE)
  add_test(NAME c_api_exports
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DLIB=$<TARGET_FILE:rubric_c>
            -DHEADER=${_root}/bindings/c/include/rubric/rubric.h -P ${CMAKE_CURRENT_SOURCE_DIR}/c_api/check_exports.cmake)
  set_tests_properties(c_api_exports PROPERTIES LABELS "bindings;c")
endif()

# Zero leaks and no invalid access under valgrind (when installed; not with the sanitizers,
# which valgrind cannot run beside). --quick leaves out parsing a 16 MiB rubric (a minute).
find_program(RUBRIC_VALGRIND valgrind)
if(RUBRIC_VALGRIND AND NOT RUBRIC_SANITIZE)
  add_test(NAME c_api_valgrind
    COMMAND ${RUBRIC_VALGRIND} --error-exitcode=99 --leak-check=full --show-leak-kinds=all
            --errors-for-leak-kinds=all -q $<TARGET_FILE:c_api_test> ${_root} ${_scratch} --quick)
  set_tests_properties(c_api_valgrind PROPERTIES LABELS "bindings;c;valgrind")
endif()

# One program, 16 threads × 10,000 evaluations, the same results as one thread.
# (.ci/bindings also builds and runs it under ThreadSanitizer: tests/c_api/tsan/.)
find_package(Threads REQUIRED)
add_executable(c_api_threads_test c_api/threads_test.c)
set_target_properties(c_api_threads_test PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_link_libraries(c_api_threads_test PRIVATE rubric::c Threads::Threads)
# Under ASan/UBSan (a Debug build, several times slower) 16 × 1,000 is enough to find memory
# errors; races are TSan's job, which runs the full count.
if(RUBRIC_SANITIZE)
  set(_evaluations 1000)
else()
  set(_evaluations 10000)
endif()
add_test(NAME c_api_threads COMMAND c_api_threads_test ${_root}/rubrics/guanghan-2023.rubric 16 ${_evaluations})
set_tests_properties(c_api_threads PROPERTIES LABELS "bindings;c;threads" PASS_REGULAR_EXPRESSION " passed, 0 failed")

# Cancelling calls: a progress handler that counts and cancels, rubric_interrupt before a
# call and from another thread during a long batch (200,000 units, cancelled after 1,001).
add_executable(c_api_cancel_test c_api/cancel_test.c)
set_target_properties(c_api_cancel_test PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(c_api_cancel_test PRIVATE -Wall -Wextra -pedantic -Werror)
endif()
target_link_libraries(c_api_cancel_test PRIVATE rubric::c Threads::Threads)
add_test(NAME c_api_cancel COMMAND c_api_cancel_test)
set_tests_properties(c_api_cancel PROPERTIES LABELS "bindings;c;threads" PASS_REGULAR_EXPRESSION " passed, 0 failed")

# The C example scores the bundled 广汉 sample units (all twelve rows are printed).
if(TARGET rubric_c_score_sample)
  add_test(NAME example_c COMMAND rubric_c_score_sample)
  set_tests_properties(example_c PROPERTIES LABELS "bindings;c;examples" PASS_REGULAR_EXPRESSION "\nGH12,市市场监管局,")
endif()

# --- Python (bindings/python: ctypes over librubric.so) ------------------------------
# Not under the sanitizers: an instrumented librubric.so cannot be loaded into python3.
if(RUBRIC_BUILD_PYTHON AND NOT RUBRIC_SANITIZE)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    set(_py_env "RUBRIC_LIBRARY=$<TARGET_FILE:rubric_c>" "PYTHONPATH=${_root}/bindings/python"
                "RUBRIC_SOURCE_DIR=${_root}" "PYTHONDONTWRITEBYTECODE=1")
    add_test(NAME python COMMAND ${Python3_EXECUTABLE} -m unittest discover -s ${CMAKE_CURRENT_SOURCE_DIR}/python -v)
    set_tests_properties(python PROPERTIES LABELS "bindings;python" ENVIRONMENT "${_py_env}")
    # The wheel, installed into a fresh venv and used with an empty environment (package:
    # it builds a wheel and a venv, some seconds).
    add_test(NAME python_wheel COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/python/wheel_test.sh
             ${_root} $<TARGET_FILE:rubric_c> ${_scratch}/python-wheel)
    set_tests_properties(python_wheel PROPERTIES LABELS "package;bindings;python")
    add_test(NAME example_python COMMAND ${Python3_EXECUTABLE} ${_root}/bindings/python/examples/score_sample.py)
    set_tests_properties(example_python PROPERTIES LABELS "bindings;python;examples" ENVIRONMENT "${_py_env}"
      PASS_REGULAR_EXPRESSION "GH09  小汉镇")
  endif()
endif()

# --- PostgreSQL (bindings/postgres) ------------------------------------------------------
# A real server in a temporary folder: the regression SQL, and the 广汉 units scored in one
# SELECT equal to `rubric eval` (tests/postgres/run_test.sh; a few seconds).
if(TARGET rubric_pg AND TARGET rubric_cli)
  add_test(NAME postgres COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/postgres/run_test.sh
           ${_root} ${PROJECT_BINARY_DIR}/bindings/postgres $<TARGET_FILE:rubric_cli>)
  set_tests_properties(postgres PROPERTIES LABELS "bindings;postgres" TIMEOUT 300)
endif()

# --- Java (bindings/java: JNI over rubric.h) ----------------------------------------------
if(TARGET rubric_java AND TARGET rubric_jni)
  find_package(Java 17 COMPONENTS Runtime Development)
  include(UseJava)
  set(CMAKE_JAVA_COMPILE_FLAGS --release 17 -encoding UTF-8 -Xlint:all -Werror)
  add_jar(rubric_java_tests SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/java/org/rubric/RubricTest.java
          INCLUDE_JARS rubric_java OUTPUT_NAME rubric-tests)
  # As an integrator runs it: the one jar with its native libraries (rubric_java_bundle),
  # no -D path and no library path.
  set(_jar ${RUBRIC_JAVA_BUNDLE})
  get_target_property(_test_jar rubric_java_tests JAR_FILE)
  set(_java ${Java_JAVA_EXECUTABLE})
  add_test(NAME java COMMAND ${_java} -cp ${_jar}:${_test_jar} org.rubric.RubricTest ${_root})
  set_tests_properties(java PROPERTIES LABELS "bindings;java" PASS_REGULAR_EXPRESSION " passed, 0 failed")
  if(TARGET rubric_java_example)
    get_target_property(_example_jar rubric_java_example JAR_FILE)
    add_test(NAME example_java COMMAND ${_java} -cp ${_jar}:${_example_jar} ScoreSample
             ${_root}/rubrics/guanghan-2023.rubric ${_root}/rubrics/samples/guanghan-2023-units.csv)
    set_tests_properties(example_java PROPERTIES LABELS "bindings;java;examples" PASS_REGULAR_EXPRESSION "\nGH12,市市场监管局,")
  endif()
endif()
