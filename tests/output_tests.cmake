# Where results are written (README, "Where results are written"; safe_output.hpp): each
# case of support/output_cli.sh provokes one situation for real in a scratch directory
# (a symlink at the target, a full disk, a FIFO, a signal, an output that is an input…).
# Label `cli` (and `output`); a case that needs root and does not have it is skipped (77).
find_program(_rubric_bash bash)
if(_rubric_bash)
  set(_out_dir ${CMAKE_CURRENT_BINARY_DIR}/output)
  file(MAKE_DIRECTORY ${_out_dir})
  foreach(_case symlink-target full-disk stdout-closed-pipe fifo-target fifo-input signal signal-big sigint-run
                output-is-input permissions format-all-atomic)
    add_test(NAME output-${_case}
      COMMAND ${_rubric_bash} ${CMAKE_CURRENT_SOURCE_DIR}/support/output_cli.sh $<TARGET_FILE:rubric_cli>
              ${PROJECT_SOURCE_DIR} ${_out_dir} ${_case})
    set_tests_properties(output-${_case} PROPERTIES LABELS "cli;output" SKIP_RETURN_CODE 77 TIMEOUT 300)
  endforeach()
endif()
