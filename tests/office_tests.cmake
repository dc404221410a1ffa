# The office layer (src/office/: xlsx in and out, GB18030 / UTF-16 CSV, the fill-in template):
# doctest units per header, and the CLI round trips through independent readers and writers
# (Debian's python3-openpyxl, the iconv program). Label: office.
if(TARGET rubric_office)
  file(GLOB _rubric_office_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/office/*_test.cpp)
  foreach(_src IN LISTS _rubric_office_tests)
    get_filename_component(_name ${_src} NAME_WE)
    add_executable(${_name} ${_src})
    target_link_libraries(${_name} PRIVATE rubric_test_main rubric_office)
    add_test(NAME ${_name} COMMAND ${_name})
    set_tests_properties(${_name} PROPERTIES LABELS "office")
  endforeach()

  # Debian's own python3 (openpyxl is a Debian package), not whatever python3 is first on PATH.
  find_program(RUBRIC_DEBIAN_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT RUBRIC_DEBIAN_PYTHON)
    set(RUBRIC_DEBIAN_PYTHON python3)
  endif()
  add_test(NAME office_cli COMMAND ${RUBRIC_DEBIAN_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/office/test_office_cli.py)
  set_tests_properties(office_cli PROPERTIES LABELS "office;cli"
    ENVIRONMENT "RUBRIC=$<TARGET_FILE:rubric_cli>;RUBRIC_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endif()
