# `rubric eval` on a rubric with rank rules (tests/cohort/README.md works out every score).
# Such a file is read twice: once to measure and rank, once to score; the second reading
# must score exactly the units the first measured (a duplicate id or a bad row skipped
# with --skip-bad stays out of the ranking), in every facts format.
set(_cd ${CMAKE_CURRENT_SOURCE_DIR}/cohort)
set(_cout ${CMAKE_CURRENT_BINARY_DIR}/cohort-out)
file(MAKE_DIRECTORY ${_cout})

foreach(_facts units.csv units.jsonl units.json)
  add_test(NAME "eval-cohort-grouped:${_facts}"
    COMMAND ${_run} -DCMD=${_cli}\;eval\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/${_facts}\;--group\;类别\;--skip-bad\;--format\;csv
            -DEXPECT_EXIT=1 -DEXPECT_STDOUT=${_cd}/grouped.expected.csv -DEXPECT_STDERR=${_cd}/${_facts}.stderr
            -DWORKDIR=${_root} ${_script})
  set_tests_properties("eval-cohort-grouped:${_facts}" PROPERTIES LABELS cli)
endforeach()

# No groups: the six good units are one cohort.
add_test(NAME eval-cohort-whole
  COMMAND ${_run} -DCMD=${_cli}\;eval\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/units.csv\;--skip-bad\;--allow-unknown\;--format\;csv
          -DEXPECT_EXIT=1 -DEXPECT_STDOUT=${_cd}/whole.expected.csv -DWORKDIR=${_root} ${_script})

# Without --skip-bad the bad rows refuse the whole file: nothing is written.
add_test(NAME eval-cohort-bad-writes-nothing
  COMMAND ${_run} -DCMD=${_cli}\;eval\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/units.csv\;--group\;类别\;--format\;csv\;--out\;${_cout}/bad.csv
          -DEXPECT_EXIT=1 -DMUST_NOT_EXIST=${_cout}/bad.csv -DWORKDIR=${_root} ${_script})
set_tests_properties(eval-cohort-whole eval-cohort-bad-writes-nothing PROPERTIES LABELS cli)
