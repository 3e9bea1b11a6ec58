"""`tune eval`, `import-ct2`, `build-model`, `pack-recipe`, `export`: measure and ship a model."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from tune.cli.common import batches, codec_of, split_file, write_result


def cmd_eval(args: argparse.Namespace) -> int:
    from tune.evaluate import evaluate
    from tune.export import LINEAGE
    from tune.manifest import read_manifest
    from tune.model import load_model

    items = read_manifest(split_file(Path(args.data), args.split))
    out = Path(args.out)
    if args.engine:  # the server's recognizer on a CTranslate2 export (or a builtin: model)
        from agent.asr import packaged
        from server.settings import default_cache_dir
        from tune.evaluate import evaluate_engine

        directory = packaged.resolve(args.model, default_cache_dir())
        result = evaluate_engine(
            directory,
            items,
            window=args.window,
            errors_path=out / "errors.jsonl",
            uncertain_below=args.uncertain_below,
        )
        write_result(
            out, {"command": "eval", "model": args.model, "data": args.data, "window": args.window, **result}
        )
        return 0
    model = load_model(Path(args.model))
    codec = codec_of(model)
    data = batches(args, codec, args.split)
    result = evaluate(model, items, codec, device=args.device, errors_path=out / "errors.jsonl", data=data)
    result["window"] = args.window
    lineage_path = Path(args.model) / LINEAGE
    if lineage_path.is_file():  # the model card quotes the latest evaluation
        record = json.loads(lineage_path.read_text())
        record["steps"].append({"command": "eval", "data": args.data, "split": args.split,
                                **{k: result[k] for k in ("cer", "cer_no_space", "wer")}})  # fmt: skip
        lineage_path.write_text(json.dumps(record, ensure_ascii=False, indent=1))
    write_result(out, {"command": "eval", "model": args.model, "data": args.data, **result})
    return 0


def cmd_import_ct2(args: argparse.Namespace) -> int:
    from tune.ct2_import import import_ct2, verify

    source = Path(args.ct2_dir)
    if args.ct2_dir.startswith("builtin:"):
        from agent.asr import packaged
        from server.settings import default_cache_dir

        source = Path(packaged.resolve(args.ct2_dir, default_cache_dir()))
    result: dict[str, Any] = {"source": str(source), **import_ct2(source, Path(args.out_dir))}
    from tune.export import LINEAGE

    step = {"command": "import-ct2", "source": args.ct2_dir}  # where every later step's lineage starts
    (Path(args.out_dir) / LINEAGE).write_text(json.dumps({"steps": [step]}, ensure_ascii=False, indent=1))
    if args.verify:
        from workbench.bench.window import default_calls_file, load_calls
        from workbench.demo.synth import VOICES, speak

        turns = [t for call in load_calls(default_calls_file()) for t in call["turns"]][: args.verify]
        clips = [speak(t["text"], VOICES[t["role"]]) for t in turns]
        result["verify"] = verify(source, Path(args.out_dir), clips)
    write_result(Path(args.out_dir), result)
    return 0


def cmd_build_model(args: argparse.Namespace) -> int:
    from server.settings import default_cache_dir
    from tune.recipe import build

    card = build(
        Path(args.recipe), Path(args.out), Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    )
    print(json.dumps({"built": args.out, **{k: card[k] for k in ("name", "merged_sha256", "window")}}))
    return 0


def cmd_pack_recipe(args: argparse.Namespace) -> int:
    from tune.recipe import pack

    recipe = json.loads(Path(args.recipe_json).read_text("utf-8"))
    masks = Path(args.masks) if args.masks else None
    packed = pack(Path(args.lora_out), Path(args.recipe_dir), Path(args.base_hf), recipe, masks)
    print(json.dumps({"recipe": args.recipe_dir, "merged_sha256": packed["merged_sha256"]}))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import torch

    from tune.audio import read_audio
    from tune.export import export
    from tune.model import load_model

    model_dir = Path(args.model)
    model = load_model(model_dir)
    masks = torch.load(args.masks, weights_only=True) if args.masks else None
    sample = read_audio(Path(args.sample)) if args.sample else np.zeros(16000, np.float32)
    card = export(model, model_dir, Path(args.out), args.quantization, sample, masks)
    write_result(Path(args.out), {"command": "export", **card})
    return 0


def register(commands: Any) -> None:
    evaluation = commands.add_parser("eval", help="CER (with and without spaces), WER, real-time factor")
    evaluation.add_argument("--model", required=True)
    evaluation.add_argument(
        "--engine", action="store_true",
        help="score a CTranslate2 export (or builtin:NAME) through the server's recognizer and guards",
    )  # fmt: skip
    evaluation.add_argument("--data", required=True)
    evaluation.add_argument("--split", default="test")
    evaluation.add_argument("--out", required=True)
    evaluation.add_argument("--device", default="auto")
    evaluation.add_argument(
        "--window", choices=["native", "trim"], default="native", help="trim: the utterance plus 0.5 s"
    )
    evaluation.add_argument(
        "--uncertain-below", type=float, default=0.5,
        help="with --engine: words under this probability count as flagged (CALLASSIST_ASR_UNCERTAIN_BELOW)",
    )  # fmt: skip
    evaluation.set_defaults(run=cmd_eval)

    imported = commands.add_parser(
        "import-ct2",
        help="a CTranslate2 Whisper export (e.g. builtin:whisper-base) as a PyTorch model to tune",
    )
    imported.add_argument("ct2_dir", help="CTranslate2 Whisper directory, or builtin:whisper-base")
    imported.add_argument("out_dir")
    imported.add_argument(
        "--verify",
        type=int,
        default=0,
        help="decode N spoken turns both ways and compare tokens and log-probs",
    )
    imported.set_defaults(run=cmd_import_ct2)

    build_model = commands.add_parser(
        "build-model", help="rebuild a tuned model from its recipe (base + adapter), checked by hash"
    )
    build_model.add_argument("recipe", help="recipe directory (recipe.json, adapter/)")
    build_model.add_argument("out", help="CTranslate2 directory to write")
    build_model.add_argument("--cache-dir", help="where the base model is joined (default: the cache)")
    build_model.set_defaults(run=cmd_build_model)

    pack_recipe = commands.add_parser(
        "pack-recipe", help="store a LoRA run's adapter (and a ticket's masks) as a recipe to commit"
    )
    pack_recipe.add_argument("lora_out", help="OUT of `tune lora`, or a ticket of `tune lottery` (OUT/s50)")
    pack_recipe.add_argument("recipe_dir")
    pack_recipe.add_argument("--base-hf", required=True, help="the imported base model (import-ct2 OUT)")
    pack_recipe.add_argument("--recipe-json", required=True, help="name, base, origin, window, lineage …")
    pack_recipe.add_argument("--masks", help="masks.npz of a `tune lottery` ticket (a pruned model)")
    pack_recipe.set_defaults(run=cmd_pack_recipe)

    export = commands.add_parser(
        "export", help="merge, apply masks, convert to CTranslate2, load and transcribe"
    )
    export.add_argument("--model", required=True)
    export.add_argument("--out", required=True)
    export.add_argument("--quantization", default="int8", help="int8, int8_float16, float16, float32")
    export.add_argument("--masks", help="masks.pt from prune (already applied in its model)")
    export.add_argument("--sample", help="a WAV to transcribe after loading (default: one second of silence)")
    export.set_defaults(run=cmd_export)
