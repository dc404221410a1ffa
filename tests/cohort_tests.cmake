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

# `rubric explain` of one unit of the cohort: its place in each ranking and the group's
# mean (clean.csv is units.csv without the two refused rows; README.md works out D2 and T1).
add_test(NAME explain-cohort-en
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/clean.csv\;--group\;类别\;--entity\;D2
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-D2.expected.txt -DWORKDIR=${_root} ${_script})
add_test(NAME explain-cohort-zh
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/clean.csv\;--group\;类别\;--entity\;T1\;--lang\;zh
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-T1.zh.expected.txt -DWORKDIR=${_root} ${_script})
# One unit's score needs every unit: a duplicate id or a bad row anywhere refuses it.
add_test(NAME explain-cohort-bad-facts
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/cohort.rubric\;--facts\;tests/cohort/units.csv\;--group\;类别\;--entity\;D1
          -DEXPECT_EXIT=1 -DEXPECT_STDERR=${_cd}/explain-bad.stderr -DWORKDIR=${_root} ${_script})
# Without a cohort, the unit asked for given twice: which one to explain is not guessed.
add_test(NAME explain-duplicate-entity
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/report/small.rubric\;--facts\;tests/cohort/dup-plain.csv\;--entity\;A1
          -DEXPECT_EXIT=1 -DEXPECT_STDERR=${_cd}/explain-duplicate.stderr -DWORKDIR=${_root} ${_script})
# A report ranks its units: an id given twice refuses the report, and nothing is written.
add_test(NAME report-duplicate-entity-writes-nothing
  COMMAND ${_run} -DCMD=${_cli}\;report\;tests/report/small.rubric\;--facts\;tests/cohort/dup-plain.csv\;--format\;csv\;--out\;${_cout}/dup-report.csv
          -DEXPECT_EXIT=1 -DMUST_NOT_EXIST=${_cout}/dup-report.csv -DWORKDIR=${_root} ${_script})
set_tests_properties(explain-cohort-en explain-cohort-zh explain-cohort-bad-facts explain-duplicate-entity
                     report-duplicate-entity-writes-nothing PROPERTIES LABELS cli)

# Stages: item 2 ranks the score of item 1, which drops below the group's mean (the file is read
# three times: measure the mean, measure item 1's score and rank it, score). README.md, "Stages".
add_test(NAME eval-cohort-staged
  COMMAND ${_run} -DCMD=${_cli}\;eval\;tests/cohort/staged.rubric\;--facts\;tests/cohort/staged.csv\;--group\;类别\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/staged.expected.csv -DWORKDIR=${_root} ${_script})
add_test(NAME explain-cohort-staged-en
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/staged.rubric\;--facts\;tests/cohort/staged.csv\;--group\;类别\;--entity\;B
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-staged-B.expected.txt -DWORKDIR=${_root} ${_script})
add_test(NAME explain-cohort-staged-zh
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/staged.rubric\;--facts\;tests/cohort/staged.csv\;--group\;类别\;--entity\;D\;--lang\;zh
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-staged-D.zh.expected.txt -DWORKDIR=${_root} ${_script})
set_tests_properties(eval-cohort-staged explain-cohort-staged-en explain-cohort-staged-zh PROPERTIES LABELS cli)

# A tier band above the group's mean (tier.rubric): README.md, "A tier threshold from the cohort".
add_test(NAME eval-cohort-tier
  COMMAND ${_run} -DCMD=${_cli}\;eval\;tests/cohort/tier.rubric\;--facts\;tests/cohort/tier.csv\;--group\;类别\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/tier.expected.csv -DWORKDIR=${_root} ${_script})
add_test(NAME explain-cohort-tier-en
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/tier.rubric\;--facts\;tests/cohort/tier.csv\;--group\;类别\;--entity\;B
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-tier-B.expected.txt -DWORKDIR=${_root} ${_script})
add_test(NAME explain-cohort-tier-zh
  COMMAND ${_run} -DCMD=${_cli}\;explain\;tests/cohort/tier.rubric\;--facts\;tests/cohort/tier.csv\;--group\;类别\;--entity\;F\;--lang\;zh
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${_cd}/explain-tier-F.zh.expected.txt -DWORKDIR=${_root} ${_script})
set_tests_properties(eval-cohort-tier explain-cohort-tier-en explain-cohort-tier-zh PROPERTIES LABELS cli)
