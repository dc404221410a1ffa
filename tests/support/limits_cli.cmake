# `rubric --limit NAME=N`: one limit per run of this script, at the limit (exit 0) and one
# past it (exit 1, the error with its file:line:col), plus bad settings (exit 2). The inputs
# are written here, small because the limits are set small; the expected positions are
# worked out by hand in the comments.
#   cmake -DCLI=path/to/rubric -DDIR=scratch -DCASE=nesting -P limits_cli.cmake
file(MAKE_DIRECTORY ${DIR}/${CASE})
set(WD ${DIR}/${CASE})

# run(EXIT code [ERR text]... [OUT text]... ARGS args...): runs the CLI in WD; checks the
# exit code, that stderr contains each ERR and stdout each OUT.
function(run)
  cmake_parse_arguments(R "" "EXIT" "ERR;OUT;ARGS" ${ARGN})
  execute_process(COMMAND ${CLI} ${R_ARGS} WORKING_DIRECTORY ${WD}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL R_EXIT)
    message(SEND_ERROR "rubric ${R_ARGS}: exit ${rc}, expected ${R_EXIT}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  foreach(e IN LISTS R_ERR)
    string(FIND "${err}" "${e}" at)
    if(at EQUAL -1)
      message(SEND_ERROR "rubric ${R_ARGS}: stderr does not contain '${e}'\nstderr:\n${err}")
    endif()
  endforeach()
  foreach(o IN LISTS R_OUT)
    string(FIND "${out}" "${o}" at)
    if(at EQUAL -1)
      message(SEND_ERROR "rubric ${R_ARGS}: stdout does not contain '${o}'\nstdout:\n${out}")
    endif()
  endforeach()
endfunction()

# An item scoring EXPR over a count input `a`. Its first 39 characters are
# `item 1 "x" 100 { input a: count  score `, so EXPR starts at column 40.
function(item_scoring var expr)
  set(${var} "item 1 \"x\" 100 { input a: count  score ${expr} }\n" PARENT_SCOPE)
endfunction()

function(repeat var piece n)
  set(s "")
  foreach(i RANGE 1 ${n})
    string(APPEND s "${piece}")
  endforeach()
  set(${var} "${s}" PARENT_SCOPE)
endfunction()

set(decimal_rubric "item 1 \"x\" 99999 { input d: decimal  score d }\n")
set(list_rubric "item 1 \"x\" 100 { input xs: list of percent  score count d in xs where d > 80% }\n")

if(CASE STREQUAL "source-bytes")
  item_scoring(text "a")
  file(WRITE ${WD}/r.rubric "${text}")
  string(LENGTH "${text}" n)  # ASCII: characters are bytes
  math(EXPR less "${n} - 1")
  run(EXIT 0 ARGS check r.rubric --limit source-bytes=${n})
  run(EXIT 1 ERR "rubric: r.rubric is ${n} bytes, more than the limit of ${less}" ARGS check r.rubric --limit source-bytes=${less})
  # also when scoring (the rubric is read by the same code for every command)
  file(WRITE ${WD}/f.csv "id,a\nu,1\n")
  run(EXIT 1 ERR "more than the limit of ${less}" ARGS eval r.rubric --facts f.csv --limit source-bytes=${less})

elseif(CASE STREQUAL "nesting")
  # 20 brackets in 20 levels; with 21, the content of the 21st bracket (column 40 + 21) is too deep.
  repeat(open "(" 20)
  repeat(close ")" 20)
  item_scoring(text "${open}a${close}")
  file(WRITE ${WD}/at.rubric "${text}")
  item_scoring(text "(${open}a${close})")
  file(WRITE ${WD}/past.rubric "${text}")
  run(EXIT 0 ARGS check at.rubric --limit nesting=20)
  run(EXIT 1 ERR "past.rubric:1:61: error: nested more than 20 levels deep" ARGS check past.rubric --limit nesting=20)
  # the default is 64
  repeat(open "(" 64)
  repeat(close ")" 64)
  item_scoring(text "${open}a${close}")
  file(WRITE ${WD}/at64.rubric "${text}")
  item_scoring(text "(${open}a${close})")
  file(WRITE ${WD}/past64.rubric "${text}")
  run(EXIT 0 ARGS check at64.rubric)
  run(EXIT 1 ERR "past64.rubric:1:105: error: nested more than 64 levels deep" ARGS check past64.rubric)

elseif(CASE STREQUAL "nodes")
  set(text "")
  foreach(i RANGE 1 4)
    string(APPEND text "item ${i} \"x\" 1 { input a${i}: bool  score if a${i} then 1 }\n")
  endforeach()
  file(WRITE ${WD}/r.rubric "${text}")
  run(EXIT 0 ARGS check r.rubric --limit nodes=4)
  run(EXIT 1 ERR "r.rubric:4:1: error: the rubric has more than 3 sections, items and tasks" ARGS check r.rubric --limit nodes=3)

elseif(CASE STREQUAL "exprs")
  # `a + a + a`: three names and two sums, made children first: a, a, a + a, a, (a + a) + a.
  # The fifth, the outer sum, starts where the expression does: column 40.
  item_scoring(text "a + a + a")
  file(WRITE ${WD}/r.rubric "${text}")
  run(EXIT 0 ARGS check r.rubric --limit exprs=5)
  run(EXIT 1 ERR "r.rubric:1:40: error: the rubric has more than 4 expression nodes" ARGS check r.rubric --limit exprs=4)

elseif(CASE STREQUAL "number-digits")
  # in the rubric: the number after `a + ` starts at column 44
  item_scoring(text "a + 12345")
  file(WRITE ${WD}/at.rubric "${text}")
  item_scoring(text "a + 123456")
  file(WRITE ${WD}/past.rubric "${text}")
  run(EXIT 0 ARGS check at.rubric --limit number-digits=5)
  run(EXIT 1 ERR "past.rubric:1:44: error: this number cannot be used: too many digits (6 > 5)"
      ARGS check past.rubric --limit number-digits=5)
  # in facts: the value is at line 2, column 3 (after `u,`)
  file(WRITE ${WD}/d.rubric "${decimal_rubric}")
  file(WRITE ${WD}/at.csv "id,d\nu,12345\n")
  file(WRITE ${WD}/past.csv "id,d\nu,123456\n")
  run(EXIT 0 OUT "u,,12345" ARGS eval d.rubric --facts at.csv --format csv --limit number-digits=5)
  run(EXIT 1 ERR "past.csv:2:3: error: entity u, field `d`:" "too many digits (6 > 5)"
      ARGS eval d.rubric --facts past.csv --format csv --limit number-digits=5)
  # the default (40) refuses 41 digits; a higher limit takes them
  repeat(digits "9" 41)
  file(WRITE ${WD}/long.csv "id,d\nu,${digits}\n")
  run(EXIT 1 ERR "long.csv:2:3:" "too many digits (41 > 40)" ARGS eval d.rubric --facts long.csv --format csv)
  run(EXIT 0 OUT "u,,99999" ARGS eval d.rubric --facts long.csv --format csv --limit number-digits=41)

elseif(CASE STREQUAL "number-exponent")
  # facts only: the language's numbers have no exponent
  file(WRITE ${WD}/d.rubric "${decimal_rubric}")
  file(WRITE ${WD}/at.csv "id,d\nu,1e-5\n")
  file(WRITE ${WD}/past.csv "id,d\nu,1e-6\n")
  run(EXIT 0 OUT "u,,0" ARGS eval d.rubric --facts at.csv --format csv --limit number-exponent=5)
  run(EXIT 1 ERR "past.csv:2:3: error: entity u, field `d`:" "exponent -6 is beyond ±5"
      ARGS eval d.rubric --facts past.csv --format csv --limit number-exponent=5)

elseif(CASE STREQUAL "facts-bytes")
  item_scoring(text "a")
  file(WRITE ${WD}/r.rubric "${text}")
  set(json "{\"entity\": \"u\", \"a\": 1}")  # 23 bytes
  file(WRITE ${WD}/f.json "${json}")
  run(EXIT 0 OUT "u" ARGS eval r.rubric --facts f.json --limit facts-bytes=23)
  run(EXIT 1 ERR "rubric: f.json is 23 bytes, more than the limit of 22" ARGS eval r.rubric --facts f.json --limit facts-bytes=22)
  run(EXIT 1 ERR "rubric: f.json is 23 bytes, more than the limit of 22"
      ARGS explain r.rubric --facts f.json --entity u --limit facts-bytes=22)
  # a streamed CSV is bounded only when the limit is given
  file(WRITE ${WD}/f.csv "id,a\nu,1\n")  # 9 bytes
  run(EXIT 0 OUT "u,,1" ARGS eval r.rubric --facts f.csv --format csv --limit facts-bytes=9)
  run(EXIT 1 ERR "rubric: f.csv has more than 8 bytes, the limit" ARGS eval r.rubric --facts f.csv --format csv --limit facts-bytes=8)

elseif(CASE STREQUAL "json-depth")
  item_scoring(text "a")
  file(WRITE ${WD}/r.rubric "${text}")
  # an array of objects is two levels; a list inside is the third, its `[` at column 20
  file(WRITE ${WD}/at.json "[{\"entity\":\"u\",\"a\":1}]")
  file(WRITE ${WD}/past.json "[{\"entity\":\"u\",\"a\":[1]}]")
  run(EXIT 0 ARGS eval r.rubric --facts at.json --limit json-depth=2)
  run(EXIT 1 ERR "past.json:1:20: error: the JSON is nested too deeply (the limit is 2 levels)"
      ARGS eval r.rubric --facts past.json --limit json-depth=2)

elseif(CASE STREQUAL "fields")
  file(WRITE ${WD}/r.rubric "item 1 \"x\" 100 { input a: count  input b: count  score a + b }\n")
  file(WRITE ${WD}/at.json "{\"entity\":\"u\",\"a\":1}")
  # the second field's key `"b"` is at column 21
  file(WRITE ${WD}/past.json "{\"entity\":\"u\",\"a\":1,\"b\":2}")
  run(EXIT 0 ARGS eval r.rubric --facts at.json --limit fields=1)
  run(EXIT 1 ERR "past.json:1:21: error: entity \"u\": too many fields (the limit is 1)" ARGS eval r.rubric --facts past.json --limit fields=1)
  file(WRITE ${WD}/at.csv "id,a\nu,1\n")
  file(WRITE ${WD}/past.csv "id,a,b\nu,1,2\n")
  run(EXIT 0 ARGS eval r.rubric --facts at.csv --format csv --limit fields=1)
  # the id and one field are two cells; the third, `b`, is at column 6 of the header
  run(EXIT 1 ERR "past.csv:1:6: error: row 1 has too many cells (the limit is 2)" ARGS eval r.rubric --facts past.csv --format csv --limit fields=1)

elseif(CASE STREQUAL "eval-steps")
  # count d in xs where d > 80%: 2 instructions plus one per element. 10 elements: 12 steps.
  file(WRITE ${WD}/r.rubric "${list_rubric}")
  file(WRITE ${WD}/at.jsonl "{\"entity\":\"u\",\"xs\":[1,1,1,1,1,1,1,1,1,1]}\n")
  # the list's `[` is at column 20
  file(WRITE ${WD}/past.jsonl "{\"entity\":\"u\",\"xs\":[1,1,1,1,1,1,1,1,1,1,1]}\n")
  foreach(format table csv)
    run(EXIT 0 OUT "10" ARGS eval r.rubric --facts at.jsonl --format ${format} --limit eval-steps=12)
    run(EXIT 1 ERR "past.jsonl:1:20: error: entity u: scoring it would run 13 steps, more than the limit of 12 (the list `xs` has 11 items)"
        ARGS eval r.rubric --facts past.jsonl --format ${format} --limit eval-steps=12)
  endforeach()

elseif(CASE STREQUAL "usage")
  item_scoring(text "a")
  file(WRITE ${WD}/r.rubric "${text}")
  run(EXIT 2 ERR "rubric: --limit: unknown limit `depth`" ARGS check r.rubric --limit depth=3)
  run(EXIT 2 ERR "rubric: --limit: the limit nesting must be at least 1" ARGS check r.rubric --limit nesting=0)
  run(EXIT 2 ERR "rubric: --limit: the limit nesting may be at most 1000" ARGS check r.rubric --limit nesting=1001)
  run(EXIT 2 ERR "`nesting=many` is not a limit setting" ARGS check r.rubric --limit nesting=many)
  run(EXIT 2 ERR "rubric: --limit needs a value" ARGS check r.rubric --limit)
  run(EXIT 2 ERR "rubric: --limit: 上限 nesting 至少为 1" ARGS check r.rubric --lang zh --limit nesting=0)
  # repeatable: the last setting of a name wins, the others stay
  run(EXIT 0 ARGS check r.rubric --limit nesting=1 --limit source-bytes=1K --limit nesting=64)
  run(EXIT 0 OUT "eval-steps        10000000" ARGS help)

else()
  message(FATAL_ERROR "unknown CASE ${CASE}")
endif()
