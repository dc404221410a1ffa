# The bad-input corpus (tests/bad/README.md): two ctests per case, one per language
# (bad-rubrics:NNN-name:en, …:zh), label `bad`.
#   tests/bad/rubrics/NNN-name.rubric            → `rubric check`
#   tests/bad/facts/NNN-name.{csv,json,jsonl}    → `rubric eval RUBRIC --facts … --format csv --out OUT`
# Cases listed in tests/bad/KNOWN-ISSUES.md hold the output they SHOULD give, not what the tool
# gives today: a heading "### rubrics/NNN-name" registers both languages DISABLED,
# "### rubrics/NNN-name (zh)" only the Chinese one.
set(_bad_dir ${CMAKE_CURRENT_LIST_DIR})
set(_bad_known "")
if(EXISTS ${_bad_dir}/KNOWN-ISSUES.md)
  file(STRINGS ${_bad_dir}/KNOWN-ISSUES.md _bad_lines REGEX "^### (rubrics|facts)/[^ ]+")
  foreach(_l IN LISTS _bad_lines)
    if(_l MATCHES "^### ((rubrics|facts)/[^ ]+) \\((en|zh)\\)")
      list(APPEND _bad_known "${CMAKE_MATCH_1}:${CMAKE_MATCH_3}")
    elseif(_l MATCHES "^### ((rubrics|facts)/[^ ]+)")
      list(APPEND _bad_known "${CMAKE_MATCH_1}:en" "${CMAKE_MATCH_1}:zh")
    endif()
  endforeach()
endif()
file(GLOB _bad_cases CONFIGURE_DEPENDS
  ${_bad_dir}/rubrics/[0-9]*.rubric
  ${_bad_dir}/facts/[0-9]*.csv ${_bad_dir}/facts/[0-9]*.json ${_bad_dir}/facts/[0-9]*.jsonl)
foreach(_c IN LISTS _bad_cases)
  get_filename_component(_kind_dir ${_c} DIRECTORY)
  get_filename_component(_kind ${_kind_dir} NAME)
  get_filename_component(_name ${_c} NAME)
  string(REGEX REPLACE "\\.[^.]*$" "" _stem "${_name}")
  file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR} ${_c})
  foreach(_lang en zh)
    set(_t "bad-${_kind}:${_stem}:${_lang}")
    add_test(NAME ${_t}
      COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:rubric_cli> -DROOT=${PROJECT_SOURCE_DIR} -DKIND=${_kind}
              -DCASE=${_rel} -DLANGS=${_lang} -DOUTDIR=${CMAKE_CURRENT_BINARY_DIR}/bad-out/${_kind}/${_lang}
              -P ${_bad_dir}/run_case.cmake)
    set_tests_properties(${_t} PROPERTIES LABELS bad ENVIRONMENT "LC_ALL=C")
    if("${_kind}/${_stem}:${_lang}" IN_LIST _bad_known)
      set_tests_properties(${_t} PROPERTIES DISABLED TRUE)
    endif()
  endforeach()
endforeach()
