"""``python -m make_book`` runs the same CLI as the console script."""

import subprocess
import sys


def test_python_dash_m_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "make_book", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "make-book" in out
    for command in ("build", "list", "release"):
        assert command in out
