# rubric report … --format all --out STEM writes STEM.html, STEM.md, STEM.csv and STEM.json.
foreach(_e html md csv json)
  file(REMOVE ${OUT}.${_e})
endforeach()
execute_process(COMMAND ${CLI} report rubrics/guanghan-2023.rubric --facts rubrics/samples/guanghan-2023-cohort-q2.csv
                        --group 类别 --previous rubrics/samples/guanghan-2023-cohort-q1.results.csv --warn-below 60
                        --format all --out ${OUT}
                WORKING_DIRECTORY ${ROOT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit ${rc}: ${err}")
endif()
foreach(_e html md csv json)
  if(NOT EXISTS ${OUT}.${_e})
    message(FATAL_ERROR "${OUT}.${_e} was not written")
  endif()
endforeach()
