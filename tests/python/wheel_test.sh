#!/usr/bin/env bash
# The Python package as an integrator gets it: build the wheel (bindings/python/build_wheel.cmake),
# install it into a fresh venv offline, and use it from there with an empty environment: the
# installed check (installed_check.py), then the binding's unit tests against the installed
# package (only RUBRIC_SOURCE_DIR is set, to find the test rubrics).
#   wheel_test.sh SOURCE_DIR LIBRARY WORK_DIR
set -euo pipefail
src=$1 lib=$2 work=$3
rm -rf "$work"
mkdir -p "$work/elsewhere"
cmake -DPYTHON=python3 -DLIBRARY="$lib" -DSOURCE="$src/bindings/python" -DWORK="$work" \
      -P "$src/bindings/python/build_wheel.cmake"
wheels=("$work"/dist/rubric-*-py3-none-linux_*.whl)
[ -f "${wheels[0]}" ] || { echo "no platform wheel in $work/dist: $(ls "$work/dist")"; exit 1; }
# The venv from a Python with the venv module and ensurepip (Debian: python3-venv).
python=python3
python3 -c "import venv, ensurepip" 2>/dev/null || python=/usr/bin/python3
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "${wheels[0]}"
cd "$work/elsewhere"  # not the source tree: `import rubric` must find the installed package
env -i "$work/venv/bin/python" -I "$src/tests/python/installed_check.py"
env -i RUBRIC_SOURCE_DIR="$src" PYTHONDONTWRITEBYTECODE=1 \
    "$work/venv/bin/python" -m unittest discover -s "$src/tests/python" -p "test_*.py"
