"""Ship the house styles inside the wheel (everything else is configured in pyproject.toml).

The repository's top-level ``layouts/`` stays the one source of the house styles; building
a wheel copies it to ``make_book/layouts/packaged/``, where an installed make-book finds
it (``make_book.layouts.chain``). An editable install needs no copy: it runs the checkout's
code, which reads ``layouts/`` beside ``src/``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LAYOUTS = Path(__file__).resolve().parent / "layouts"


class BuildPyWithLayouts(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            self.copy_tree(str(LAYOUTS),
                           str(Path(self.build_lib, "make_book", "layouts", "packaged")))


setup(cmdclass={"build_py": BuildPyWithLayouts})
