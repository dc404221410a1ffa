# Install rules and the CMake package (toml++ keeps these apart from the build).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The office layer's headers (src/office/, the CLI's own library rubric_office) are not installed.
install(DIRECTORY include/rubric DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp" PATTERN "*.inl"
  REGEX "/(office_facts|xlsx_reader|xlsx_writer|text_encoding|fill_in_template|results_workbook|pdf_printer)\\.hpp$" EXCLUDE)
install(DIRECTORY grammar/rubric DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(TARGETS rubric rubric_header_only EXPORT rubricTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET rubric_cli)
  install(TARGETS rubric_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT rubricTargets NAMESPACE rubric:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rubric)
configure_package_config_file(cmake/rubricConfig.cmake.in ${PROJECT_BINARY_DIR}/rubricConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rubric)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rubricConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rubricConfig.cmake ${PROJECT_BINARY_DIR}/rubricConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rubric)
