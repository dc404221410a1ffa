# `rubric check` on a folder that holds no .rubric file: nothing was checked, so it is not a
# success (exit 1) and says why. -DCLI=path/to/rubric -DWORKDIR=a scratch directory.
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/empty/sub)
file(WRITE ${WORKDIR}/empty/sub/notes.txt "not a rubric\n")
execute_process(COMMAND ${CLI} check empty --lang en WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "exit ${rc}, expected 1\n${out}${err}")
endif()
if(NOT err STREQUAL "rubric: empty is a folder with no .rubric file in it: nothing to check\n")
  message(FATAL_ERROR "stderr: [${err}]")
endif()
