"""`callassist` command line: one module per command group, this one assembles them."""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from agent.analytics.config import AnalyticsConfigError
from server.cli import analytics, asr, audit, calls, evals, kb, run
from server.logging import configure_logging
from server.redis_runtime import RedisUnavailable
from server.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callassist", description="Real-time assistant for call-center agents."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (run, asr, kb, calls, evals, audit, analytics):
        group.register(commands)
    return parser


# Commands that run in a process of their own, from packages the product never imports: the tuning
# toolkit, and the workbench (the demo, benchmarks, test models, spoken evaluations' recognizer).
HANDED_OFF = {"tune": "tune", "demo": "workbench", "prepare-demo": "workbench", "play": "workbench",
              "analytics-model": "workbench",
              "bench": "workbench"}  # fmt: skip


def handed_off(argv: list[str]) -> list[str] | None:
    """The command line that runs `argv` in its own process, or None for the product's own commands."""
    if argv[:2] == ["asr", "make-test-model"]:
        return [sys.executable, "-m", "workbench", *argv]
    package = HANDED_OFF.get(argv[0]) if argv else None
    if package is None:
        return None
    return [sys.executable, "-m", package, *(argv[1:] if package == "tune" else argv)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = handed_off(argv)
    if command is not None:
        return _run_child(command)
    return run_command(build_parser(), argv)


def _run_child(command: list[str]) -> int:
    """Run a handed-off command as this process: Ctrl-C reaches it with the terminal's process
    group (this process waits for it to finish its own way), SIGTERM is passed on."""
    import signal
    import subprocess

    child = subprocess.Popen(command)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


def run_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """Parse `argv` and run its command with the settings, turning the errors a user can fix into
    one line and exit status 2."""
    args = parser.parse_args(argv)
    try:
        settings = Settings()
        # Logs go to stderr; one-shot commands stay quiet below warnings unless a level is set.
        quiet = args.command != "serve" and "log_level" not in settings.model_fields_set
        configure_logging("warning" if quiet else settings.log_level, settings.log_format)
        return int(args.run(args, settings))
    except (RedisUnavailable, AnalyticsConfigError) as exc:
        print(f"callassist: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a CALLASSIST_* variable or .env line with a bad value
        problems = "; ".join(
            f"CALLASSIST_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        print(f"callassist: bad configuration: {problems}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:  # a file named on the command line or in a setting
        print(f"callassist: no such file: {exc.filename}", file=sys.stderr)
        return 2
