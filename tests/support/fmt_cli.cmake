# Drives `rubric fmt` on copies of tests/golden/fmt/*: default output, --check, --write,
# and a file with a syntax error (not formatted, not touched, exit 1).
#   -DCLI=path/to/rubric -DDIR=tests/golden/fmt -DWORK=scratch directory
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${DIR}/messy.rubric ${DIR}/bad.rubric DESTINATION ${WORK})
file(READ ${DIR}/messy.expected.rubric expected)

function(run expect_rc)
  execute_process(COMMAND ${CLI} ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL expect_rc)
    message(SEND_ERROR "rubric ${ARGN}: exit ${rc}, expected ${expect_rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

# Default: the formatted text on stdout, the file untouched.
run(0 fmt messy.rubric)
if(NOT out STREQUAL expected)
  message(SEND_ERROR "rubric fmt messy.rubric printed\n${out}\nexpected\n${expected}")
endif()
file(READ ${DIR}/messy.rubric original)
file(READ ${WORK}/messy.rubric now)
if(NOT now STREQUAL original)
  message(SEND_ERROR "rubric fmt without --write changed the file")
endif()

# --check names the file that is not formatted, and exits 1.
run(1 fmt --check messy.rubric)
if(NOT out STREQUAL "messy.rubric\n")
  message(SEND_ERROR "rubric fmt --check printed '${out}', expected the file name")
endif()

# --write rewrites it; then --check is quiet and exits 0, and --write changes nothing more.
run(0 fmt --write messy.rubric)
file(READ ${WORK}/messy.rubric now)
if(NOT now STREQUAL expected)
  message(SEND_ERROR "rubric fmt --write wrote\n${now}\nexpected\n${expected}")
endif()
run(0 fmt --check messy.rubric)
if(NOT out STREQUAL "")
  message(SEND_ERROR "rubric fmt --check on a formatted file printed '${out}'")
endif()

# A syntax error: diagnostics on stderr, nothing on stdout, the file untouched, exit 1.
file(READ ${WORK}/bad.rubric bad_before)
run(1 fmt --write bad.rubric)
file(READ ${WORK}/bad.rubric bad_after)
if(NOT bad_after STREQUAL bad_before)
  message(SEND_ERROR "rubric fmt --write changed a file with a syntax error")
endif()
run(1 fmt bad.rubric)
if(NOT out STREQUAL "" OR NOT err MATCHES "bad.rubric:3:1:")
  message(SEND_ERROR "rubric fmt bad.rubric: stdout '${out}', stderr '${err}'")
endif()

# Usage: --check and --write together, and no file.
run(2 fmt --check --write messy.rubric)
run(2 fmt)
