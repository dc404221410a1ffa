# `rubric serve` (src/serve/): the API over loopback, every endpoint and refusal (label serve),
# and the page driven in Debian's headless Chromium (labels serve;chromium). Each test starts
# its own server on a free port and kills it when done.
if(TARGET rubric_cli)
  # Debian's own python3 (openpyxl reads the workbooks), as the office tests use.
  find_program(RUBRIC_SERVE_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT RUBRIC_SERVE_PYTHON)
    set(RUBRIC_SERVE_PYTHON python3)
  endif()
  add_test(NAME serve-api
    COMMAND ${RUBRIC_SERVE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/serve/api_test.py $<TARGET_FILE:rubric_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(serve-api PROPERTIES LABELS "serve" TIMEOUT 180)
endif()
