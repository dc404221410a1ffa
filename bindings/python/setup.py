"""The native part of the wheel (the metadata is in pyproject.toml).

The package has no Python extension module: it loads librubric.so with ctypes. So the wheel
is tagged for any Python 3 (py3-none) but for this platform only, because it carries the
compiled library: setuptools alone would call a wheel without extension modules pure.
"""
from setuptools import setup
from wheel.bdist_wheel import bdist_wheel


class platform_wheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(cmdclass={"bdist_wheel": platform_wheel})
