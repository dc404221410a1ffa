# Streaming `rubric eval` reports bad facts at their line and column in the whole file and
# writes nothing: -DCLI=… -DROOT=… -DOUT=….
file(REMOVE ${OUT})
execute_process(COMMAND ${CLI} eval tests/report/small.rubric --facts tests/report/bad-facts.csv --allow-unknown
                        --format csv --out ${OUT}
                WORKING_DIRECTORY ${ROOT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "exit ${rc}, expected 1: ${err}")
endif()
# A2's doc ("yes") is line 3, column 10; A3's rate (150%) line 4, column 21.
foreach(_at "tests/report/bad-facts.csv:3:10:" "tests/report/bad-facts.csv:4:21:")
  string(FIND "${err}" "${_at}" _pos)
  if(_pos EQUAL -1)
    message(FATAL_ERROR "stderr does not name ${_at}:\n${err}")
  endif()
endforeach()
if(EXISTS ${OUT} OR EXISTS ${OUT}.tmp-rubric)
  message(FATAL_ERROR "${OUT} was written although the facts have errors")
endif()
