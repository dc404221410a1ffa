# `rubric serve` (src/serve/): the HTTP service and its page, compiled into the rubric tool.
# cpp-httplib from Debian (libcpp-httplib-dev: a header and a shared library, with OpenSSL,
# whose libcrypto also gives the content hash of a kept rubric).
pkg_check_modules(RUBRIC_SERVE_DEPS REQUIRED IMPORTED_TARGET cpp-httplib libcrypto)
file(GLOB _rubric_serve_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)
set(_rubric_serve_files
  ${CMAKE_CURRENT_LIST_DIR}/page/index.html
  ${CMAKE_CURRENT_LIST_DIR}/page/app.js
  ${CMAKE_CURRENT_LIST_DIR}/page/style.css
  ${CMAKE_CURRENT_LIST_DIR}/openapi.json)
set(_rubric_serve_embedded ${CMAKE_CURRENT_BINARY_DIR}/serve_embedded.cpp)
string(REPLACE ";" "|" _rubric_serve_file_list "${_rubric_serve_files}")  # one argument
add_custom_command(OUTPUT ${_rubric_serve_embedded}
  COMMAND ${CMAKE_COMMAND} -DOUT=${_rubric_serve_embedded} "-DFILES=${_rubric_serve_file_list}"
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake
  DEPENDS ${_rubric_serve_files} ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake
  COMMENT "Embedding the rubric serve page" VERBATIM)
target_sources(rubric_cli PRIVATE ${_rubric_serve_sources} ${_rubric_serve_embedded})
target_include_directories(rubric_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(rubric_cli PRIVATE PkgConfig::RUBRIC_SERVE_DEPS nlohmann_json::nlohmann_json)
