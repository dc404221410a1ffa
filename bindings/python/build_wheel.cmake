# Builds the Python wheel with the compiled librubric.so inside (pyproject.toml):
#   cmake -DPYTHON=python3 -DLIBRARY=/path/librubric.so.X -DSOURCE=bindings/python -DWORK=DIR -P build_wheel.cmake
# The package folder is copied to WORK/stage with the library as rubric/librubric.so (where
# rubric/_capi.py looks first after RUBRIC_LIBRARY), then pip builds the wheel offline from
# Debian's setuptools and wheel into WORK/dist (emptied first, so it holds one wheel).
cmake_minimum_required(VERSION 3.16)
foreach(v PYTHON LIBRARY SOURCE WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "build_wheel.cmake: -D${v}=... is required")
  endif()
endforeach()
# The wheel is built with Debian's setuptools and wheel (python3-setuptools, python3-wheel): if
# the given Python lacks them (another python3 first on PATH), Debian's own /usr/bin/python3.
execute_process(COMMAND ${PYTHON} -c "import setuptools, wheel" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc AND EXISTS /usr/bin/python3)
  set(PYTHON /usr/bin/python3)
endif()
set(stage ${WORK}/stage)
file(REMOVE_RECURSE ${stage} ${WORK}/dist)
file(MAKE_DIRECTORY ${stage}/rubric ${WORK}/dist)
file(COPY ${SOURCE}/pyproject.toml ${SOURCE}/setup.py ${SOURCE}/README.md DESTINATION ${stage})
file(GLOB modules ${SOURCE}/rubric/*.py)
file(COPY ${modules} DESTINATION ${stage}/rubric)
file(COPY_FILE ${LIBRARY} ${stage}/rubric/librubric.so)
execute_process(COMMAND ${PYTHON} -m pip wheel --no-build-isolation --no-deps --no-index --disable-pip-version-check
                        -q -w ${WORK}/dist ${stage}
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "pip wheel failed (needs python3-pip, python3-setuptools and python3-wheel)")
endif()
file(GLOB wheel ${WORK}/dist/rubric-*.whl)
message(STATUS "wheel: ${wheel}")
