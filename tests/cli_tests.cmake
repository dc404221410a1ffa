# Tests that drive the `rubric` executable: the rubric tests under rubrics/,
# golden diagnostics for bad rubrics, golden scores for good ones, CLI behaviour.
set(_cli $<TARGET_FILE:rubric_cli>)
set(_run ${CMAKE_COMMAND})
set(_script -P ${CMAKE_CURRENT_SOURCE_DIR}/support/run_cli.cmake)
set(_root ${PROJECT_SOURCE_DIR})

# Every test block in every rubric under rubrics/ (the rubric authors' own unit tests).
add_test(NAME rubric_test_rubrics COMMAND rubric_cli test rubrics WORKING_DIRECTORY ${_root})
set_tests_properties(rubric_test_rubrics PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION " passed, 0 failed")

# Every rubric under rubrics/ checks without errors.
file(GLOB_RECURSE _rubrics CONFIGURE_DEPENDS ${_root}/rubrics/*.rubric)
foreach(_r IN LISTS _rubrics)
  file(RELATIVE_PATH _rel ${_root} ${_r})
  add_test(NAME "check:${_rel}" COMMAND rubric_cli check ${_rel} WORKING_DIRECTORY ${_root})
  set_tests_properties("check:${_rel}" PROPERTIES LABELS cli)
endforeach()

# Golden bad rubrics: NAME.rubric → NAME.stderr (exact diagnostics), exit code 1.
file(GLOB _bad CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad/*.rubric)
foreach(_b IN LISTS _bad)
  get_filename_component(_n ${_b} NAME_WE)
  file(RELATIVE_PATH _rel ${_root} ${_b})
  add_test(NAME "golden-bad:${_n}"
    COMMAND ${_run} -DCMD=${_cli}\;check\;--quiet\;${_rel} -DEXPECT_EXIT=1
            -DEXPECT_STDERR=${CMAKE_CURRENT_SOURCE_DIR}/golden/bad/${_n}.stderr -DWORKDIR=${_root} ${_script})
  set_tests_properties("golden-bad:${_n}" PROPERTIES LABELS golden)
endforeach()

# Golden good rubrics: NAME.rubric + NAME.facts.csv → NAME.expected.json (hand-worked scores).
file(GLOB _good CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/good/*.rubric)
foreach(_g IN LISTS _good)
  get_filename_component(_n ${_g} NAME_WE)
  set(_d ${CMAKE_CURRENT_SOURCE_DIR}/golden/good)
  add_test(NAME "golden-good:${_n}"
    COMMAND ${_run} -DCMD=${_cli}\;eval\;${_d}/${_n}.rubric\;--facts\;${_d}/${_n}.facts.csv\;--format\;json
            -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_d}/${_n}.expected.json -DWORKDIR=${_root} ${_script})
  set_tests_properties("golden-good:${_n}" PROPERTIES LABELS golden)
endforeach()

# Golden bad facts: NAME.rubric + NAME.csv|json → NAME.stderr, exit 1, and no output file written.
file(GLOB _badfacts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-facts/*.rubric)
foreach(_f IN LISTS _badfacts)
  get_filename_component(_n ${_f} NAME_WE)
  set(_d tests/golden/bad-facts)
  file(GLOB _facts ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-facts/${_n}.csv ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-facts/${_n}.json ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-facts/${_n}.jsonl)
  list(GET _facts 0 _fact)
  file(RELATIVE_PATH _fact ${_root} ${_fact})
  add_test(NAME "golden-bad-facts:${_n}"
    COMMAND ${_run} -DCMD=${_cli}\;eval\;${_d}/${_n}.rubric\;--facts\;${_fact}\;--format\;csv\;--out\;${CMAKE_CURRENT_BINARY_DIR}/${_n}.out.csv
            -DEXPECT_EXIT=1 -DEXPECT_STDERR=${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-facts/${_n}.stderr
            -DMUST_NOT_EXIST=${CMAKE_CURRENT_BINARY_DIR}/${_n}.out.csv -DWORKDIR=${_root} ${_script})
  set_tests_properties("golden-bad-facts:${_n}" PROPERTIES LABELS golden)
endforeach()

# Usage errors exit 2.
add_test(NAME cli-usage-no-command COMMAND ${_run} -DCMD=${_cli} -DEXPECT_EXIT=2 ${_script})
add_test(NAME cli-usage-unknown-option COMMAND ${_run} -DCMD=${_cli}\;eval\;x.rubric\;--nope -DEXPECT_EXIT=2 ${_script})
add_test(NAME cli-eval-missing-file COMMAND ${_run} -DCMD=${_cli}\;eval\;no-such.rubric\;--facts\;x.csv -DEXPECT_EXIT=1 ${_script})
add_test(NAME cli-test-missing-path COMMAND ${_run} -DCMD=${_cli}\;test\;no-such-dir -DEXPECT_EXIT=1 ${_script})
set_tests_properties(cli-usage-no-command cli-usage-unknown-option cli-eval-missing-file cli-test-missing-path PROPERTIES LABELS cli)
# A facts file that cannot be read says why, in each of the ways it is read (the season run's
# blocks for CSV and JSON lines, the whole-file reader for JSON, the workbook reader).
foreach(_ext csv jsonl json xlsx)
  add_test(NAME cli-eval-facts-not-there-${_ext}
    COMMAND ${_run} -DCMD=${_cli}\;eval\;rubrics/guanghan-2023.rubric\;--facts\;no-such-facts.${_ext} -DEXPECT_EXIT=1
            -DSTDERR_CONTAINS=rubric:\ cannot\ read\ no-such-facts.${_ext}:\ no\ such\ file -DWORKDIR=${_root} ${_script})
  set_tests_properties(cli-eval-facts-not-there-${_ext} PROPERTIES LABELS cli ENVIRONMENT "LC_ALL=C")
endforeach()
add_test(NAME cli-eval-facts-directory
  COMMAND ${_run} -DCMD=${_cli}\;eval\;rubrics/guanghan-2023.rubric\;--facts\;rubrics -DEXPECT_EXIT=1
          -DSTDERR_CONTAINS=rubric:\ cannot\ read\ rubrics:\ it\ is\ a\ directory -DWORKDIR=${_root} ${_script})
add_test(NAME cli-eval-facts-not-there-zh
  COMMAND ${_run} -DCMD=${_cli}\;eval\;--lang\;zh\;rubrics/guanghan-2023.rubric\;--facts\;no-such-facts.csv -DEXPECT_EXIT=1
          -DSTDERR_CONTAINS=无法读取\ no-such-facts.csv：文件不存在 -DWORKDIR=${_root} ${_script})
set_tests_properties(cli-eval-facts-directory cli-eval-facts-not-there-zh PROPERTIES LABELS cli ENVIRONMENT "LC_ALL=C")

# A failing rubric test makes `rubric test` fail, with the line "0 passed, 1 failed".
add_test(NAME cli-test-failure-detected
  COMMAND ${_run} -DCMD=${_cli}\;test\;tests/golden/failing-test.rubric -DEXPECT_EXIT=1 -DSTDOUT_CONTAINS=0\ passed,\ 1\ failed -DWORKDIR=${_root} ${_script})
set_tests_properties(cli-test-failure-detected PROPERTIES LABELS cli)

# The README's ten-line example is a real rubric whose test passes.
add_test(NAME readme-example
  COMMAND ${CMAKE_COMMAND} -DREADME=${_root}/README.md -DCLI=${_cli} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/readme.rubric
          -P ${CMAKE_CURRENT_SOURCE_DIR}/support/readme_example.cmake)
set_tests_properties(readme-example PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "1 passed, 0 failed")

# Golden warnings: NAME.rubric → NAME.stderr, exit 0 (warnings do not fail a check).
file(GLOB _warn CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/warn/*.rubric)
foreach(_w IN LISTS _warn)
  get_filename_component(_n ${_w} NAME_WE)
  file(RELATIVE_PATH _rel ${_root} ${_w})
  add_test(NAME "golden-warn:${_n}"
    COMMAND ${_run} -DCMD=${_cli}\;check\;--quiet\;${_rel} -DEXPECT_EXIT=0
            -DEXPECT_STDERR=${CMAKE_CURRENT_SOURCE_DIR}/golden/warn/${_n}.stderr -DWORKDIR=${_root} ${_script})
  set_tests_properties("golden-warn:${_n}" PROPERTIES LABELS golden)
endforeach()

# rubric as a CMake package: find_package after install, and add_subdirectory.
# (Slow: each builds a consumer project; labelled `package`.)
foreach(_mode find_package add_subdirectory)
  add_test(NAME package-${_mode}
    COMMAND ${CMAKE_COMMAND} -DMODE=${_mode} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DBINARY_DIR=${PROJECT_BINARY_DIR}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/package/run.cmake)
  set_tests_properties(package-${_mode} PROPERTIES LABELS package RUN_SERIAL TRUE TIMEOUT 900)
endforeach()

# Every ```rubric block of the language reference checks cleanly and passes its tests.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME grammar-examples
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/support/grammar_examples.py
            ${_cli} ${_root}/grammar/GRAMMAR.md ${CMAKE_CURRENT_BINARY_DIR}/grammar-examples)
  set_tests_properties(grammar-examples PROPERTIES LABELS cli)
endif()

# Every rubric's published tables regenerate (the 广汉 round trip is in table_test).
foreach(_r IN LISTS _rubrics)
  file(RELATIVE_PATH _rel ${_root} ${_r})
  if(_rel MATCHES "^rubrics/examples/")
    continue()
  endif()
  add_test(NAME "table:${_rel}" COMMAND rubric_cli table ${_rel} --format html WORKING_DIRECTORY ${_root})
  set_tests_properties("table:${_rel}" PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "</table>")
  add_test(NAME "table-by-owner:${_rel}" COMMAND rubric_cli table ${_rel} --by owner WORKING_DIRECTORY ${_root})
  set_tests_properties("table-by-owner:${_rel}" PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "\\| 牵头 \\||本表未指定责任部门")
endforeach()

# The example rubrics' tests exercise every branch (rubric test --coverage).
add_test(NAME rubric-coverage-examples COMMAND rubric_cli test --min-coverage 100 rubrics/examples WORKING_DIRECTORY ${_root})
set_tests_properties(rubric-coverage-examples PROPERTIES LABELS cli)  # exit 1 below 100%

# The coverage report names each uncovered branch in the reader's language (the goals of
# tests/golden/coverage/partial.rubric, worked out in its comments: 2 of 5 covered).
set(_cov tests/golden/coverage)
add_test(NAME rubric-coverage-report-en
  COMMAND ${_run} -DCMD=${_cli}\;test\;--lang\;en\;--coverage\;${_cov}/partial.rubric -DEXPECT_EXIT=0
          -DEXPECT_STDOUT=${_root}/${_cov}/partial.expected.txt -DWORKDIR=${_root} ${_script})
add_test(NAME rubric-coverage-report-zh
  COMMAND ${_run} -DCMD=${_cli}\;test\;--lang\;zh\;--min-coverage\;90\;${_cov}/partial.rubric -DEXPECT_EXIT=1
          -DEXPECT_STDOUT=${_root}/${_cov}/partial.expected-zh.txt -DEXPECT_STDERR=${_root}/${_cov}/partial.min-zh.stderr
          -DWORKDIR=${_root} ${_script})
set_tests_properties(rubric-coverage-report-en rubric-coverage-report-zh PROPERTIES LABELS cli)

# Chinese diagnostics: tests/golden/bad-zh/NAME.stderr is the `--lang zh` output for
# tests/golden/bad/NAME.rubric (written by hand from the English golden, line by line).
file(GLOB _bad_zh CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-zh/*.stderr)
foreach(_z IN LISTS _bad_zh)
  get_filename_component(_n ${_z} NAME_WE)
  add_test(NAME "golden-bad-zh:${_n}"
    COMMAND ${_run} -DCMD=${_cli}\;check\;--quiet\;--lang\;zh\;tests/golden/bad/${_n}.rubric -DEXPECT_EXIT=1
            -DEXPECT_STDERR=${_z} -DWORKDIR=${_root} ${_script})
  set_tests_properties("golden-bad-zh:${_n}" PROPERTIES LABELS golden)
endforeach()

# Without --lang the locale decides: LANG=zh_CN.UTF-8 gives the same Chinese text.
add_test(NAME cli-lang-from-locale
  COMMAND ${_run} -DCMD=${CMAKE_COMMAND}\;-E\;env\;--unset=LC_ALL\;--unset=LC_MESSAGES\;LANG=zh_CN.UTF-8\;${_cli}\;check\;--quiet\;tests/golden/bad/undeclared.rubric
          -DEXPECT_EXIT=1 -DEXPECT_STDERR=${CMAKE_CURRENT_SOURCE_DIR}/golden/bad-zh/undeclared.stderr -DWORKDIR=${_root} ${_script})
# --lang en wins over a Chinese locale; an unknown --lang is a usage error.
add_test(NAME cli-lang-option-wins
  COMMAND ${_run} -DCMD=${CMAKE_COMMAND}\;-E\;env\;LC_ALL=zh_CN.UTF-8\;${_cli}\;check\;--quiet\;--lang\;en\;tests/golden/bad/undeclared.rubric
          -DEXPECT_EXIT=1 -DEXPECT_STDERR=${CMAKE_CURRENT_SOURCE_DIR}/golden/bad/undeclared.stderr -DWORKDIR=${_root} ${_script})
add_test(NAME cli-lang-unknown COMMAND ${_run} -DCMD=${_cli}\;check\;--lang\;fr\;x.rubric -DEXPECT_EXIT=2 ${_script})
# `rubric test` in Chinese: the summary line.
add_test(NAME cli-test-zh
  COMMAND ${_run} -DCMD=${_cli}\;test\;--lang\;zh\;tests/golden/failing-test.rubric -DEXPECT_EXIT=1
          -DSTDOUT_CONTAINS=0\ 个通过，1\ 个未通过 -DWORKDIR=${_root} ${_script})
set_tests_properties(cli-lang-from-locale cli-lang-option-wins cli-lang-unknown cli-test-zh PROPERTIES LABELS cli)

# The English goldens do not depend on the locale of the machine running them.
foreach(_t rubric_test_rubrics readme-example cli-test-failure-detected)
  set_tests_properties(${_t} PROPERTIES ENVIRONMENT "LC_ALL=C")
endforeach()
foreach(_g IN LISTS _bad _warn)
  get_filename_component(_n ${_g} NAME_WE)
  if(_g IN_LIST _warn)
    set_tests_properties("golden-warn:${_n}" PROPERTIES ENVIRONMENT "LC_ALL=C")
  else()
    set_tests_properties("golden-bad:${_n}" PROPERTIES ENVIRONMENT "LC_ALL=C")
  endif()
endforeach()

# `--limit NAME=N`: every limit at the limit (exit 0) and one past it (exit 1, with its
# file:line:col), and bad settings (exit 2). Inputs are generated by the script.
foreach(_limit source-bytes nesting nodes exprs number-digits number-exponent facts-bytes json-depth fields eval-steps usage)
  add_test(NAME "cli-limit:${_limit}"
    COMMAND ${CMAKE_COMMAND} -DCLI=${_cli} -DDIR=${CMAKE_CURRENT_BINARY_DIR}/limits -DCASE=${_limit}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/support/limits_cli.cmake)
  set_tests_properties("cli-limit:${_limit}" PROPERTIES LABELS cli ENVIRONMENT "LC_ALL=C")
endforeach()

# `rubric check` on a folder without a rubric exits 1 (it checked nothing).
add_test(NAME check-empty-folder
  COMMAND ${CMAKE_COMMAND} -DCLI=${_cli} -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/check-empty-folder
          -P ${CMAKE_CURRENT_SOURCE_DIR}/support/check_empty_folder.cmake)
set_tests_properties(check-empty-folder PROPERTIES LABELS cli)

# A tier band whose threshold reads the cohort is a coverage goal named as written
# (tests/golden/coverage/cohort-tier.rubric works it out: 2 of 3 covered).
add_test(NAME rubric-coverage-cohort-tier-en
  COMMAND ${_run} -DCMD=${_cli}\;test\;--lang\;en\;--coverage\;${_cov}/cohort-tier.rubric -DEXPECT_EXIT=0
          -DEXPECT_STDOUT=${_root}/${_cov}/cohort-tier.expected.txt -DWORKDIR=${_root} ${_script})
add_test(NAME rubric-coverage-cohort-tier-zh
  COMMAND ${_run} -DCMD=${_cli}\;test\;--lang\;zh\;--coverage\;${_cov}/cohort-tier.rubric -DEXPECT_EXIT=0
          -DEXPECT_STDOUT=${_root}/${_cov}/cohort-tier.expected-zh.txt -DWORKDIR=${_root} ${_script})
set_tests_properties(rubric-coverage-cohort-tier-en rubric-coverage-cohort-tier-zh PROPERTIES LABELS cli)
