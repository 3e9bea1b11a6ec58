"""`callassist tune …` (= `python -m tune …`): data, synth, train, lora, prune, lottery, eval,
import-ct2, build-model, pack-recipe, export; one module per command group, this one assembles them.

Every command shows progress bars on stderr and writes a machine-readable `result.json` into its
output folder; commands that produce a model write it to `OUT/model` with its lineage."""

from __future__ import annotations

import argparse
import random
import sys

from tune.cli import data, models, train


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callassist tune", description="ASR tuning toolkit")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (data, train, models):
        group.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    random.seed(getattr(args, "seed", 0))
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
