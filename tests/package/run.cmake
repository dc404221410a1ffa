# Builds the consumer project against rubric: MODE=find_package (after installing
# rubric into a prefix) or MODE=add_subdirectory. Run by ctest.
#
# find_package: the prefix is moved after `cmake --install` before anything uses it, so the
# CMake package and rubric.pc are shown to be relocatable (no path of the install is written
# into them). Then a C program is also built by hand from `pkg-config --cflags --libs rubric`.
set(work ${BINARY_DIR}/package-${MODE})
file(REMOVE_RECURSE ${work})
if(MODE STREQUAL "find_package")
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${work}/installed RESULT_VARIABLE rc OUTPUT_QUIET)
  if(rc)
    message(FATAL_ERROR "install failed")
  endif()
  file(RENAME ${work}/installed ${work}/moved)
  set(prefix ${work}/moved)
  set(extra -DCMAKE_PREFIX_PATH=${prefix})
else()
  # A parent project asks for the C interface; it is built by default only at the top level.
  set(extra -DRUBRIC_MODE=add_subdirectory -DRUBRIC_SOURCE=${SOURCE_DIR} -DRUBRIC_BUILD_C_API=ON)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${work}/build -G Ninja
                        -DCMAKE_BUILD_TYPE=Release ${extra} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${work}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "build failed")
endif()

# consumer and consumer_header_only: 2 of 3 conditions at 0.5 each = 1 (main.cpp).
# consumer_c: the README's rubric, 1 + 0.5 = 1.5 (main_c.c).
function(expect exe expected)
  execute_process(COMMAND ${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc OR NOT out STREQUAL "${expected}\n")
    message(FATAL_ERROR "${exe} printed '${out}' (exit ${rc}; ${err}), expected ${expected}")
  endif()
endfunction()
expect(${work}/build/consumer 1)
expect(${work}/build/consumer_header_only 1)
expect(${work}/build/consumer_c 1.5)

if(MODE STREQUAL "find_package")
  find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
  load_cache(${BINARY_DIR} READ_WITH_PREFIX rubric_ CMAKE_C_COMPILER)
  set(ENV{PKG_CONFIG_PATH} "")
  file(GLOB_RECURSE pc_file ${prefix}/*/rubric.pc)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_LIBDIR} ${pc_dir})  # only this prefix's packages
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs rubric OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${PKG_CONFIG} --variable=libdir rubric OUTPUT_VARIABLE libdir
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${PKG_CONFIG} --variable=includedir rubric OUTPUT_VARIABLE includedir
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  # The paths as pkg-config gives them (…/lib/pkgconfig/../../include), resolved.
  file(REAL_PATH "${libdir}" real_libdir)
  file(REAL_PATH "${includedir}" real_includedir)
  file(REAL_PATH "${prefix}" real_prefix)
  if(rc OR NOT EXISTS "${real_includedir}/rubric/rubric.h" OR NOT real_includedir MATCHES "^${real_prefix}/"
     OR NOT real_libdir MATCHES "^${real_prefix}/" OR NOT EXISTS "${real_libdir}/librubric.so")
    message(FATAL_ERROR "rubric.pc is not relocatable: after moving the prefix to ${prefix}, pkg-config says "
                        "'${flags}', libdir '${libdir}', includedir '${includedir}'")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  execute_process(COMMAND ${rubric_CMAKE_C_COMPILER} -std=c99 -Wall -Werror ${SOURCE_DIR}/tests/package/consumer/main_c.c
                          -o ${work}/consumer_c_pkgconfig ${flags} -Wl,-rpath,${libdir} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "compiling main_c.c with pkg-config's flags (${flags}) failed")
  endif()
  expect(${work}/consumer_c_pkgconfig 1.5)
endif()
message("${MODE}: consumers built and scored")
