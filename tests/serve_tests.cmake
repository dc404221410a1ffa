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

# The page in Debian's headless Chromium, driven by puppeteer-core from npm (tests/serve/
# package.json, installed by tests/serve/install-tools, which .ci/setup runs). Skipped (77)
# only when chromium itself is missing.
if(TARGET rubric_cli)
  add_test(NAME serve-page
    COMMAND ${RUBRIC_SERVE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/serve/page_test.py $<TARGET_FILE:rubric_cli> ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/serve-page)
  set_tests_properties(serve-page PROPERTIES LABELS "serve;chromium" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
