"""`callassist tune …` (= `python -m tune …`): data, synth, train, lora, prune, lottery, eval,
import-ct2, build-model, pack-recipe, export; one module per command group, this one assembles them.

Every command shows progress bars on stderr and writes a machine-readable `result.json` into its
output folder; commands that produce a model write it to `OUT/model` with its lineage."""

from __future__ import annotations

import argparse
import random
import sys

from tune.augment import AugmentError
from tune.cli import data, models, train
from tune.ct2_import import Ct2FormatError
from tune.manifest import ManifestError
from tune.recipe import RecipeError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callassist tune", description="ASR tuning toolkit")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (data, train, models):
        group.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    random.seed(getattr(args, "seed", 0))
    try:
        return int(args.run(args))
    except (RecipeError, ManifestError, AugmentError, Ct2FormatError) as error:
        # what a user handed in is wrong: one line that says so, not a traceback
        print(f"callassist tune {args.command}: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"callassist tune {args.command}: no such file: {error.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
