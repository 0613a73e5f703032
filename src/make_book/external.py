"""The only way make-book runs another program: a fixed argv, a clean environment, a timeout.

A release runs in CI with credentials in its environment, and the folders it runs in come
from outside (a manuscript may arrive as a git repository). So every program the build
starts gets:

- an environment built from nothing: ``PATH`` (system folders and the program's own), a UTF-8 locale and an
  empty temporary ``HOME``; never the caller's variables (tokens, ``GIT_*``, ``JAVA_TOOL_OPTIONS``
  and ``_JAVA_OPTIONS``, which make Java load an agent, ``LD_PRELOAD``...);
- no standard input, and a time limit;
- for git, no configuration but the repository's own, and that one overridden wherever it
  could name a program (see :func:`git`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
TIMEOUT = 30  # seconds; git answers in milliseconds, EPUBCheck in seconds

# Repository settings that make the git commands we run (describe, rev-parse, log) start a
# program, or read files named by the repository, forced off from the command line, which
# outranks every configuration file. System and global files are not read at all.
GIT_OVERRIDES = (
    "core.fsmonitor=false",          # a program run to list changed files
    "core.hooksPath=/dev/null",      # hooks
    "core.pager=cat",                # a pager (also GIT_PAGER; --no-pager)
    "core.askPass=",                 # a password prompt program
    "core.sshCommand=",
    "core.editor=true",
    "core.untrackedCache=false",
    "diff.external=",                # a diff program
    "log.showSignature=false",       # gpg.program run on signed commits
    "gpg.program=/bin/false",
    "gpg.ssh.program=/bin/false",
    "gpg.x509.program=/bin/false",
    "credential.helper=",
    "protocol.allow=never",          # no transport, whatever a command would fetch
    "color.ui=never",
)


def clean_environment(home: Path) -> dict[str, str]:
    """The whole environment a program gets: nothing of the caller's."""
    return {"PATH": SAFE_PATH, "HOME": str(home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "TZ": "UTC"}


def run(argv: list[str], *, cwd: Path | None = None, timeout: float = TIMEOUT,
        extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``argv`` (never through a shell) with a clean environment; raises OSError or
    subprocess.SubprocessError (a timeout) when it cannot run."""
    program = shutil.which(argv[0])  # found on the operator's PATH, which is trusted
    if program is None:
        raise FileNotFoundError(f"{argv[0]} is not installed")
    with tempfile.TemporaryDirectory(prefix="make-book-home-") as home:
        env = clean_environment(Path(home)) | (extra_env or {})
        env["PATH"] = f"{Path(program).parent}:{SAFE_PATH}"
        return subprocess.run([program, *argv[1:]], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout, check=False)


def git(args: list[str], cwd: Path) -> str | None:
    """``git args`` in the repository around ``cwd``: its stdout stripped, or None when git
    is missing, fails or finds no repository.

    Git always reads a repository's own ``.git/config``, and a manuscript's repository is
    not ours: every key that could run a program in these read-only commands is overridden
    with ``-c`` (:data:`GIT_OVERRIDES`). System and global configuration are skipped
    (``GIT_CONFIG_NOSYSTEM``, ``GIT_CONFIG_GLOBAL=/dev/null``), so no ``safe.directory`` is
    granted either: git's own refusal of a repository owned by another user stands.
    """
    overrides = [arg for pair in GIT_OVERRIDES for arg in ("-c", pair)]
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_SYSTEM": "/dev/null", "GIT_PAGER": "cat", "PAGER": "cat",
           "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
           "GIT_NO_REPLACE_OBJECTS": "1", "GIT_ATTR_NOSYSTEM": "1", "GIT_NO_LAZY_FETCH": "1",
           "GIT_PROTOCOL_FROM_USER": "0", "GIT_CEILING_DIRECTORIES": ""}
    try:
        done = run(["git", "--no-pager", *overrides, "-C", str(cwd), *args], extra_env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.decode("utf-8", "replace").strip()
    return text if done.returncode == 0 and text else None


