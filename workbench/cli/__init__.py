"""The workbench's command line, reached as `callassist demo|prepare-demo|play|bench|asr
make-test-model` (or `python -m workbench …`)."""

from __future__ import annotations

import argparse
import sys

from server.cli import run_command
from workbench.cli import bench, demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callassist", description="The callassist workbench.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (demo, bench):
        group.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_command(build_parser(), sys.argv[1:] if argv is None else argv)
