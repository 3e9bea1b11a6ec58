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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tune"]:  # the tuning toolkit runs in its own process: the server never imports it
        import subprocess

        return subprocess.call([sys.executable, "-m", "tune", *argv[1:]])
    args = build_parser().parse_args(argv)
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
