# Tests of `rubric report` (src/cli/report.cpp): exact CSV on a hand-worked cohort, the
# round trip of --previous through the report's own JSON, every format on the bundled 广汉
# cohort, failures that write nothing, and the HTML rendered in headless Chromium.
set(_cli $<TARGET_FILE:rubric_cli>)
set(_run ${CMAKE_COMMAND})
set(_script -P ${CMAKE_CURRENT_SOURCE_DIR}/support/run_cli.cmake)
set(_root ${PROJECT_SOURCE_DIR})
set(_rd tests/report)
set(_out ${CMAKE_CURRENT_BINARY_DIR}/report)
file(MAKE_DIRECTORY ${_out})

# The hand-worked cohort (tests/report/README.md): ranks with ties, groups, gaps, section
# ranks, changes since the previous quarter and warnings, as exact CSV.
add_test(NAME report-csv-hand-worked
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--group\;类别\;--previous\;${_rd}/small-q1-results.csv\;--warn-below\;5\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/small-q2.expected.csv -DWORKDIR=${_root} ${_script})

# --previous read back from the report's own JSON gives the same CSV.
add_test(NAME report-previous-json-setup
  COMMAND rubric_cli report ${_rd}/small.rubric --facts ${_rd}/small-q1.csv --group 类别 --format json --out ${_out}/small-q1.json
  WORKING_DIRECTORY ${_root})
set_tests_properties(report-previous-json-setup PROPERTIES FIXTURES_SETUP report_small_q1)
add_test(NAME report-previous-json
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--group\;类别\;--previous\;${_out}/small-q1.json\;--warn-below\;5\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/small-q2.expected.csv -DWORKDIR=${_root} ${_script})
set_tests_properties(report-previous-json PROPERTIES FIXTURES_REQUIRED report_small_q1)
# … and from its own CSV.
add_test(NAME report-previous-csv-setup
  COMMAND rubric_cli report ${_rd}/small.rubric --facts ${_rd}/small-q1.csv --group 类别 --format csv --out ${_out}/small-q1.csv
  WORKING_DIRECTORY ${_root})
set_tests_properties(report-previous-csv-setup PROPERTIES FIXTURES_SETUP report_small_q1_csv)
add_test(NAME report-previous-csv
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--group\;类别\;--previous\;${_out}/small-q1.csv\;--warn-below\;5\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/small-q2.expected.csv -DWORKDIR=${_root} ${_script})
set_tests_properties(report-previous-csv PROPERTIES FIXTURES_REQUIRED report_small_q1_csv)

# The bundled 广汉 cohort (the README's command): every format, with the markers each must carry.
set(_gh "rubrics/guanghan-2023.rubric;--facts;rubrics/samples/guanghan-2023-cohort-q2.csv;--group;类别;--previous;rubrics/samples/guanghan-2023-cohort-q1.results.csv;--warn-below;60")
foreach(_case "md|## 排名：市直部门" "md|## 失分点分析" "md|⚠ 总分低于60分" "md|新增" "html|<svg class=\"chart\"" "html|id=\"ranking-2\""
              "json|\"trend_zh\": \"进步\"" "json|\"lost_points\": [" "csv|group,rank,entity,name,total")
  string(REPLACE "|" ";" _pair "${_case}")
  list(GET _pair 0 _fmt)
  list(GET _pair 1 _marker)
  string(MD5 _h "${_marker}")
  string(SUBSTRING ${_h} 0 6 _h)
  add_test(NAME report-guanghan-${_fmt}-${_h}
    COMMAND ${_run} "-DCMD=${_cli};report;${_gh};--format;${_fmt}" -DEXPECT_EXIT=0 "-DSTDOUT_CONTAINS=${_marker}"
            -DWORKDIR=${_root} ${_script})
endforeach()
# Parts that apply to some units (rubrics/examples/cases.rubric, tests/report/cases.csv): an item
# loses points only where it applies. A (水利局): 1.1 36 of 40 (−4), 2.2 10 of 30 (−20); B (公路局):
# 1.1 32 (−8), 2.3 60 of 60; C (交通局): 1.1 40, 2.3 30 of 60 (−30). So 2.3: 1 unit, 30; 2.2: 1
# unit, 20; 1.1: 2 units, 12; 2.1 nobody (30 of 30 for A; B and C do not have it).
foreach(_marker "{\"code\": \"2.3\", \"name\": \"交通运输信用评价\", \"points\": \"60\", \"units_losing\": 1, \"points_lost\": \"30\""
                "{\"code\": \"2.2\", \"name\": \"水利行业黑名单公示\", \"points\": \"30\", \"units_losing\": 1, \"points_lost\": \"20\""
                "{\"code\": \"1.1\", \"name\": \"信用信息按时报送\", \"points\": \"40\", \"units_losing\": 2, \"points_lost\": \"12\"")
  string(MD5 _h "${_marker}")
  string(SUBSTRING ${_h} 0 6 _h)
  add_test(NAME report-cases-lost-${_h}
    COMMAND ${_run} "-DCMD=${_cli};report;rubrics/examples/cases.rubric;--facts;${_rd}/cases.csv;--format;json" -DEXPECT_EXIT=0
            "-DSTDOUT_CONTAINS=${_marker}" -DWORKDIR=${_root} ${_script})
endforeach()
# --format all writes the four files.
add_test(NAME report-format-all
  COMMAND ${CMAKE_COMMAND} -DCLI=${_cli} -DROOT=${_root} -DOUT=${_out}/all -P ${CMAKE_CURRENT_SOURCE_DIR}/report/format_all.cmake)

# Failures write nothing: bad facts, a bad previous file; usage errors exit 2.
add_test(NAME report-bad-facts-writes-nothing
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/bad-facts.csv\;--group\;类别\;--format\;html\;--out\;${_out}/bad.html
          -DEXPECT_EXIT=1 -DMUST_NOT_EXIST=${_out}/bad.html -DWORKDIR=${_root} ${_script})
add_test(NAME report-bad-previous-writes-nothing
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--group\;类别\;--previous\;${_rd}/small.rubric\;--format\;csv\;--out\;${_out}/bad.csv
          -DEXPECT_EXIT=1 -DMUST_NOT_EXIST=${_out}/bad.csv -DWORKDIR=${_root} ${_script})
add_test(NAME report-missing-group-column
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--group\;分组\;--format\;csv\;--out\;${_out}/nogroup.csv
          -DEXPECT_EXIT=1 -DMUST_NOT_EXIST=${_out}/nogroup.csv -DWORKDIR=${_root} ${_script})
add_test(NAME report-usage-format COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--format\;docx -DEXPECT_EXIT=2 ${_script})
add_test(NAME report-usage-warn COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--warn-below\;六十 -DEXPECT_EXIT=2 ${_script})

# Streaming `rubric eval` (CSV and JSON lines in, CSV out) gives what the whole-file path gives,
# keeps the file's line numbers in errors, and writes nothing on a bad entity.
add_test(NAME eval-stream-csv-lines
  COMMAND ${CMAKE_COMMAND} -DCLI=${_cli} -DROOT=${_root} -DOUT=${_out}/bad-eval.csv -P ${CMAKE_CURRENT_SOURCE_DIR}/report/stream_lines.cmake)
add_test(NAME eval-stream-jsonl
  COMMAND ${_run} -DCMD=${_cli}\;eval\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.jsonl\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/small-q2.eval.csv -DWORKDIR=${_root} ${_script})
add_test(NAME eval-stream-csv
  COMMAND ${_run} -DCMD=${_cli}\;eval\;${_rd}/small.rubric\;--facts\;${_rd}/small-q2.csv\;--allow-unknown\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/small-q2.eval.csv -DWORKDIR=${_root} ${_script})
add_test(NAME eval-stream-skip-bad
  COMMAND ${_run} -DCMD=${_cli}\;eval\;${_rd}/small.rubric\;--facts\;${_rd}/bad-facts.csv\;--allow-unknown\;--skip-bad\;--format\;csv
          -DEXPECT_EXIT=1 -DSTDOUT_CONTAINS=A1,甲一,10,0 -DWORKDIR=${_root} ${_script})

get_property(_report_tests DIRECTORY PROPERTY TESTS)
list(FILTER _report_tests INCLUDE REGEX "^(report-|eval-stream-)")
set_tests_properties(${_report_tests} PROPERTIES LABELS report)

# The HTML in headless Chromium: the ranking is in the DOM in order, and a screenshot is not blank.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME report-chromium
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/chromium_test.py ${_cli} ${_root} ${_out}/chromium)
  set_tests_properties(report-chromium PROPERTIES LABELS "report;chromium" SKIP_RETURN_CODE 77 TIMEOUT 300)
  # The PDF (A4, heading, issuer, date and page number on every page) and the HTML it prints
  # at 1366 px and 390 px (names on one line, chart labels legible).
  add_test(NAME report-print
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/report_print_test.py ${_cli} ${_root} ${_out}/print)
  set_tests_properties(report-print PROPERTIES LABELS "report;chromium" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

# A cohort of 6,000 units: the report written as it is made, lost points tallied as units are
# scored, rankings and lost points equal to the ones worked out from the rules in the test,
# charts limited to the first 200 units by rank.
add_test(NAME report-large-cohort
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/large_cohort_test.py ${_cli} ${_root} ${_out}/large)
set_tests_properties(report-large-cohort PROPERTIES LABELS "report" TIMEOUT 300)

# Ranked by the grand total when the rubric has adjustments; the grade and the vetoes in every
# format (tests/report/README.md, "Ranked by the grand total").
add_test(NAME report-grand-total-csv
  COMMAND ${_run} -DCMD=${_cli}\;report\;${_rd}/adjusted.rubric\;--facts\;${_rd}/adjusted.csv\;--previous\;${_rd}/adjusted-q1.csv\;--format\;csv
          -DEXPECT_EXIT=0 -DEXPECT_STDOUT=${CMAKE_CURRENT_SOURCE_DIR}/report/adjusted.expected.csv -DWORKDIR=${_root} ${_script})
foreach(_case "md@@- 排名规则：按精确总得分（总分 + 附加分 + 奖扣分）从高到低"
              "md@@| 名次 | 单位 | 总分 | 附加分 | 奖扣分 | 总得分 | 等级 | 与第一名差距 |"
              "md@@| 1 | 二 | 8.00 | 2.00 | 3.00 | 13.00 | 优秀 | 0.00 |"
              "md@@| 3 | 三 | 10.00 | 0.00 | -2.00 | 8.00 | 合格（否决：被通报批评的，不得评为优秀） | 5.00 |"
              "html@@<th class=\"n\">总得分</th><th>等级</th><th class=\"n\">与第一名差距</th>"
              "html@@data-entity=\"U2\" data-total=\"8\" data-grand-total=\"13\" data-grade=\"优秀\""
              "html@@<td class=\"n\">-5.00</td><td class=\"n\">2.00</td><td class=\"grade\">不合格（否决：被通报批评的，不得评为优秀）</td><td class=\"n\">11.00</td>"
              "json@@\"adjustments\": \"-1\", \"grand_total\": \"8\", \"grand_total_shown\": \"8.00\""
              "json@@\"grade\": \"合格\", \"vetoes\": [\"被通报批评的，不得评为优秀\"]"
              "json@@\"ranking\": \"competition: highest exact grand total first")
  string(REPLACE "@@" ";" _pair "${_case}")  # the markers hold `|`
  list(GET _pair 0 _fmt)
  list(GET _pair 1 _marker)
  string(MD5 _h "${_marker}")
  string(SUBSTRING ${_h} 0 6 _h)
  add_test(NAME report-grand-total-${_fmt}-${_h}
    COMMAND ${_run} "-DCMD=${_cli};report;${_rd}/adjusted.rubric;--facts;${_rd}/adjusted.csv;--format;${_fmt}" -DEXPECT_EXIT=0
            "-DSTDOUT_CONTAINS=${_marker}" -DWORKDIR=${_root} ${_script})
endforeach()
# With --previous, the page says what the bracket beside each rank change is: the change of the
# grand total, since that is what the units are ranked by (the rubric has adjustments).
add_test(NAME report-grand-total-previous-md
  COMMAND ${_run} "-DCMD=${_cli};report;${_rd}/adjusted.rubric;--facts;${_rd}/adjusted.csv;--previous;${_rd}/adjusted-q1.csv;--format;md"
          -DEXPECT_EXIT=0 "-DSTDOUT_CONTAINS=- 较上期：按组内名次比较（进步 / 退步 / 持平），括号内为总得分变化" -DWORKDIR=${_root} ${_script})
