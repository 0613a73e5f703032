"""machine.start_worker, what every forked worker of a build runs first (the chapter
conversion pool and the print pool): Ctrl-C is left to the build, and a build killed
outright takes its workers with it instead of leaving them waiting for ever on a task,
holding the build's output pipes open (a SIGKILL test in tests/security/test_atomic.py
hung on exactly that)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from make_book.machine import start_worker

BUILD = textwrap.dedent("""
    import multiprocessing, os, signal, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from make_book.machine import start_worker

    def pid():
        return os.getpid(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN

    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                               initializer=start_worker, initargs=(os.getpid(),))
    pids = {pool.submit(pid).result() for _ in range(8)}
    print(" ".join(f"{p}:{int(ignored)}" for p, ignored in pids), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the build killed outright, its pool still up
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_workers_ignore_ctrl_c_and_die_with_a_killed_build():
    run = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == -signal.SIGKILL
    workers = [w.split(":") for w in run.stdout.split()]
    assert workers and all(ignored == "1" for _, ignored in workers)
    end = time.monotonic() + 10
    while any(_alive(int(pid)) for pid, _ in workers) and time.monotonic() < end:
        time.sleep(0.1)
    assert not any(_alive(int(pid)) for pid, _ in workers)


def test_a_worker_whose_build_is_already_gone_exits(monkeypatch):
    exits = []
    monkeypatch.setattr(os, "_exit", exits.append)
    monkeypatch.setattr(signal, "signal", lambda *a: None)
    monkeypatch.setattr("ctypes.CDLL", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    start_worker(build_pid=os.getppid() + 1_000_000)
    assert exits == [1]
