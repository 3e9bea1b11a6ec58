"""Running a command-line entry point inside the test process, as its own process would run it:
its environment, its stdout and stderr, its exit code; the logging set-up it changes is restored
after. Cheaper than a subprocess by the interpreter's and the libraries' start-up (seconds each)."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import structlog


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(main: Callable[[list[str]], int], argv: list[str], env: Mapping[str, str | None] = {}) -> Ran:
    """`main(argv)` with `env` applied (None removes a variable); never call it from a running event
    loop (the commands run their own): from async tests use `asyncio.to_thread`."""
    saved_env = dict(os.environ)
    saved_structlog = structlog.get_config()
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    out, err = io.StringIO(), io.StringIO()
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:  # restored name by name: a variable the command left alone never disappears, even for
        # a moment (clearing the whole environment races with any thread reading it)
        for name in [n for n in os.environ if n not in saved_env]:
            os.environ.pop(name, None)
        for name, value in saved_env.items():
            if os.environ.get(name) != value:
                os.environ[name] = value
        structlog.configure(**saved_structlog)
        root.handlers[:], _ = saved_root
        root.setLevel(saved_root[1])
    return Ran(int(code or 0), out.getvalue(), err.getvalue())
