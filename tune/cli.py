"""`callassist tune …` (= `python -m tune …`): data, synth, train, lora, prune, eval, export.

Every command shows progress bars on stderr and writes a machine-readable `result.json` into its
output folder; commands that produce a model write it to `OUT/model` with its lineage."""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np


def _write_result(out: Path, result: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(
        json.dumps(
            {k: v for k, v in result.items() if k not in ("loss_curve", "examples", "rounds")},
            ensure_ascii=False,
        )
    )


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def _db_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    return float(low), float(high or low)


def _split_dir(data: Path, split: str) -> Path:
    return data / f"{split}.jsonl" if data.is_dir() else data


# --- data and synth ------------------------------------------------------------------------------


def cmd_data(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from tune.audio import add_noise, change_speed, phone_line, read_audio, write_audio
    from tune.manifest import Item, keep, read_manifest, split, write_manifest

    source = Path(args.source)
    if source.is_dir() and (source / "dataset_info.json").is_file():
        items = _from_saved_dataset(source, Path(args.out))
    else:
        items = read_manifest(source)
    out = Path(args.out)
    rng = np.random.default_rng(args.seed)
    prepared: list[Item] = []
    dropped = 0
    for n, item in enumerate(tqdm(items, desc="data")):
        audio = read_audio(Path(item.audio))
        candidate = Item(item.audio, item.text.strip(), item.speaker, round(len(audio) / 16000, 3))
        if not keep(candidate, args.min_s, args.max_s, args.max_chars):
            dropped += 1
            continue
        path = out / "audio" / f"{n:06d}.wav"
        write_audio(path, audio)
        prepared.append(Item(str(path.resolve()), candidate.text, candidate.speaker, candidate.duration))
    splits = split(prepared, args.dev, args.test, args.seed)
    augmented = 0
    if args.augment != "none":
        extra = []
        speeds = [float(s) for s in args.speed.split(",")] if args.speed else []
        for n, item in enumerate(tqdm(splits["train"], desc="augment")):
            audio = read_audio(Path(item.audio))
            if args.augment == "phone":
                audio = phone_line(audio, rng, args.snr)
            elif args.augment == "noise":
                audio = add_noise(audio, args.snr, rng)
            if speeds:
                audio = change_speed(audio, float(rng.choice(speeds)))
            path = out / "audio" / f"aug-{n:06d}.wav"
            write_audio(path, audio)
            extra.append(Item(str(path.resolve()), item.text, item.speaker, round(len(audio) / 16000, 3)))
        splits["train"] += extra
        augmented = len(extra)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    _write_result(out, {"command": "data", "source": str(source), "kept": len(prepared), "dropped": dropped,
                        "augmented": augmented, **{name: len(v) for name, v in splits.items()}})  # fmt: skip
    return 0


def _from_saved_dataset(path: Path, out: Path) -> list[Any]:
    """A Hugging Face dataset saved with `save_to_disk` (columns audio, text, optional speaker)."""
    try:
        from datasets import load_from_disk
    except ImportError:
        raise SystemExit(
            "reading a saved dataset needs the `datasets` package: pip install datasets"
        ) from None
    import soxr

    from tune.audio import write_audio
    from tune.manifest import Item

    items = []
    for n, row in enumerate(load_from_disk(str(path))):
        audio = row["audio"]
        wav = out / "source" / f"{n:06d}.wav"
        write_audio(wav, soxr.resample(np.asarray(audio["array"], np.float32), audio["sampling_rate"], 16000))
        items.append(Item(str(wav), row.get("text") or row.get("sentence", ""), str(row.get("speaker", ""))))
    return items


def cmd_synth(args: argparse.Namespace) -> int:
    from tune.manifest import split, write_manifest
    from tune.synth import VOICES, synthesize
    from tune.textgen import sentences

    extra = []
    for text_file in args.text_file or []:
        extra += [line.strip() for line in Path(text_file).read_text("utf-8").splitlines() if line.strip()]
    texts = sentences(args.count, args.seed, extra, part=args.frames)
    out = Path(args.out)
    items = synthesize(
        texts, out, speakers=args.speakers, seed=args.seed, variants=args.voices.split(",") if args.voices else VOICES,
        pitch=_range(args.pitch), speed=_range(args.speed), phone=1.0 if args.phone else args.phone_share,
        snr_db=args.snr, level_db=_db_range(args.level_db),
    )  # fmt: skip
    write_manifest(out / "all.jsonl", items)
    splits = split(items, args.dev, args.test, args.seed)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    _write_result(out, {"command": "synth", "utterances": len(items), "speakers": args.speakers, "phone_line": 1.0 if args.phone else args.phone_share, "frames": args.frames,
                        "hours": round(sum(i.duration for i in items) / 3600, 3), **{k: len(v) for k, v in splits.items()},
                        "note": "espeak-ng synthetic speech, not real speech"})  # fmt: skip
    return 0


# --- models --------------------------------------------------------------------------------------


def _train_config(args: argparse.Namespace) -> Any:
    from tune.training import TrainConfig

    return TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, warmup=args.warmup,
                       checkpoint_every=args.checkpoint_every, gradient_checkpointing=args.gradient_checkpointing,
                       precision=args.precision, seed=args.seed)  # fmt: skip


def _codec(model: Any) -> Any:
    from tune.model import Codec

    return Codec(num_mel_bins=model.config.num_mel_bins, window_s=model.config.max_source_positions // 50)


def _data(args: argparse.Namespace, codec: Any, split: str = "train") -> Any:
    from tune.manifest import read_manifest
    from tune.training import Batches

    window = getattr(args, "window", "native")
    return Batches(
        read_manifest(_split_dir(Path(args.data), split)),
        codec,
        window=window,
        margin_s=getattr(args, "margin_s", 1.0),
        seed=getattr(args, "seed", 0),
    )


def cmd_train(args: argparse.Namespace) -> int:
    from tune.export import lineage, save_with_lineage
    from tune.model import ModelDims, load_model, new_model
    from tune.training import train

    if args.init:
        model, steps = load_model(Path(args.init)), lineage(Path(args.init))
        base = {"init": args.init}
    else:
        dims = (
            ModelDims(**{k: int(v) for k, v in (p.split("=") for p in args.dims.split(","))})
            if args.dims
            else ModelDims()
        )
        model, steps, base = new_model(dims, args.seed), [], {"from_scratch": asdict(dims)}
    out = Path(args.out)
    codec = _codec(model)
    result = train(
        model, _data(args, codec), _train_config(args), out, device=args.device, resume=args.resume
    )
    steps = [
        *steps,
        {
            "command": "train",
            "data": args.data,
            "steps": args.steps,
            "final_loss": result["final_loss"],
            **base,
        },
    ]
    save_with_lineage(model, out / "model", steps)
    _write_result(out, {"command": "train", **base, **result})
    return 0


def cmd_lora(args: argparse.Namespace) -> int:
    from tune.export import lineage, save_with_lineage
    from tune.lora import add_lora, merge, trainable_counts
    from tune.model import load_model
    from tune.training import train

    base = load_model(Path(args.model))
    codec = _codec(base)
    targets = tuple(args.targets.split(","))
    import torch

    torch.manual_seed(args.seed)  # the adapters' initial values (`tune lottery` rewinds to the same)
    model = add_lora(base, args.rank, args.alpha, args.dropout, targets)
    counts = trainable_counts(model)
    out = Path(args.out)
    result = train(
        model, _data(args, codec), _train_config(args), out, device=args.device, resume=args.resume
    )
    model.save_pretrained(str(out / "adapter"))
    lora = {"rank": args.rank, "alpha": args.alpha, "dropout": args.dropout, "targets": list(targets)}
    steps = [*lineage(Path(args.model)), {"command": "lora", "data": args.data, "steps": args.steps, **lora,
                                          "trainable_percent": counts["percent"], "final_loss": result["final_loss"]}]  # fmt: skip
    save_with_lineage(merge(model), out / "model", steps)
    _write_result(out, {"command": "lora", "lora": lora, "parameters": counts, **result})
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    import torch

    from tune.export import lineage, save_with_lineage
    from tune.lora import add_lora, merge
    from tune.model import load_model
    from tune.prune import (
        lottery_ticket,
        prunable_weights,
        semi_structured_2_4,
        sparsity_report,
        target_sparsity_fraction,
    )
    from tune.training import apply_masks, train

    out = Path(args.out)
    model = load_model(Path(args.model))
    codec = _codec(model)
    data = _data(args, codec)
    config = _train_config(args)
    targets = tuple(args.lora_targets.split(","))
    protect = targets if (args.lora and args.protect_lora_targets) else ()
    if args.semi_structured:
        weights = prunable_weights(model, protect)
        masks = semi_structured_2_4(weights)
        apply_masks(model, masks)
        report = sparsity_report(masks)
        rounds: list[dict[str, Any]] = []
    else:
        fraction = args.fraction or target_sparsity_fraction(args.sparsity, args.rounds)
        if args.lora:
            model = add_lora(model, args.lora_rank, args.lora_alpha, 0.05, targets)
        adapters = {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" in n}

        def reset() -> None:  # LoRA adapters restart each round, like the rewound weights
            with torch.no_grad():
                for name, param in model.named_parameters():
                    if name in adapters:
                        param.copy_(adapters[name])

        def train_round(masks: dict[str, Any]) -> dict[str, Any]:
            return train(model, data, config, out / "rounds", device=args.device, masks=masks)

        masks, rounds = lottery_ticket(model, train_round, rounds=args.rounds, fraction=fraction,
                                       criterion=args.criterion, protect=protect, reset=reset if adapters else None)  # fmt: skip
        final_config = replace(config, steps=args.final_steps or config.steps)
        final = train(model, data, final_config, out / "final", device=args.device, masks=masks)  # the ticket
        report = {
            **sparsity_report(masks),
            "final_loss": final["final_loss"],
        }
        model = merge(model)
        masks = {n.replace("base_model.model.", "").replace(".base_layer", ""): m for n, m in masks.items()}
        apply_masks(model, masks)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.cpu() for k, v in masks.items()}, out / "masks.pt")
    step = {"command": "prune", "method": "2:4" if args.semi_structured else f"lottery-ticket {args.criterion}",
            "rounds": args.rounds, "sparsity": report["sparsity"], "lora": bool(args.lora), "protected": list(protect)}  # fmt: skip
    save_with_lineage(model, out / "model", [*lineage(Path(args.model)), step])
    _write_result(out, {"command": "prune", **step, "report": report, "rounds": rounds})
    return 0


def cmd_lottery(args: argparse.Namespace) -> int:
    import copy

    import torch

    from tune.export import lineage, save_with_lineage
    from tune.lora import add_lora, merge, trainable_counts
    from tune.lottery import apply_to_merged, lora_layers, mask_layers, prune_to, save_masks
    from tune.model import load_model
    from tune.prune import sparsity_report
    from tune.training import train

    out = Path(args.out)
    schedule = [float(s) for s in args.schedule.split(",")]
    if any(b <= a for a, b in zip([0.0, *schedule], schedule, strict=False)) or schedule[-1] >= 1:
        raise SystemExit("--schedule: increasing sparsities between 0 and 1, e.g. 0.3,0.5,0.7")
    base = load_model(Path(args.model))
    codec = _codec(base)
    data, config = _data(args, codec), _train_config(args)
    targets = tuple(args.targets.split(","))
    torch.manual_seed(args.seed)  # the adapters' initial values: what every round rewinds to
    model = add_lora(base, args.rank, args.alpha, 0.0, targets)
    initial = {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" in n}
    layers = lora_layers(model)
    masks = {n: torch.ones_like(layer.base_layer.weight, device="cpu") for n, layer in layers.items()}
    rounds: list[dict[str, Any]] = []
    if args.adapter:  # round 0 done already: a dense `tune lora` run with the same rank and targets
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(model, load_file(str(Path(args.adapter) / "adapter_model.safetensors")))
        rounds.append({"round": 0, "sparsity": 0.0, "adapter": args.adapter})
    else:
        dense = train(model, data, config, out / "dense", device=args.device)
        rounds.append({"round": 0, "sparsity": 0.0, **{k: dense[k] for k in ("final_loss", "seconds")}})
    lora = {"rank": args.rank, "alpha": args.alpha, "targets": list(targets),
            "trainable_percent": trainable_counts(model)["percent"]}  # fmt: skip
    method = "one-shot magnitude" if len(schedule) == 1 else "lottery ticket (iterative magnitude, rewind)"
    for number, target in enumerate(schedule, start=1):
        masks = prune_to(layers, masks, target)
        with torch.no_grad():  # rewind: the adapters to their initial values (W₀ never trains)
            for name, param in model.named_parameters():
                if name in initial:
                    param.copy_(initial[name])
        mask_layers(layers, masks)
        ticket = out / f"s{round(target * 100):02d}"
        result = train(model, data, config, ticket, device=args.device)
        report = sparsity_report(masks)
        rounds.append({"round": number, "sparsity": report["sparsity"],
                       **{k: result[k] for k in ("final_loss", "seconds")}})  # fmt: skip
        model.save_pretrained(str(ticket / "adapter"))
        save_masks(masks, ticket / "masks.npz")
        merged = merge(copy.deepcopy(model).cpu())
        apply_to_merged(merged, masks)
        step = {"command": "lottery", "method": method, "data": args.data, "steps_per_round": args.steps,
                "window": args.window, "lora": lora, "rounds": rounds[:], "sparsity": report["sparsity"],
                "scope": "encoder and decoder linear layers (mask on the merged weight)"}  # fmt: skip
        save_with_lineage(merged, ticket / "model", [*lineage(Path(args.model)), step])
        _write_result(ticket, {"command": "lottery", **step, "report": report, **result})
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from tune.evaluate import evaluate
    from tune.export import LINEAGE
    from tune.manifest import read_manifest
    from tune.model import load_model

    model = load_model(Path(args.model))
    items = read_manifest(_split_dir(Path(args.data), args.split))
    out = Path(args.out)
    codec = _codec(model)
    data = _data(args, codec, args.split)
    result = evaluate(model, items, codec, device=args.device, errors_path=out / "errors.jsonl", data=data)
    result["window"] = args.window
    lineage_path = Path(args.model) / LINEAGE
    if lineage_path.is_file():  # the model card quotes the latest evaluation
        record = json.loads(lineage_path.read_text())
        record["steps"].append({"command": "eval", "data": args.data, "split": args.split,
                                **{k: result[k] for k in ("cer", "cer_no_space", "wer")}})  # fmt: skip
        lineage_path.write_text(json.dumps(record, ensure_ascii=False, indent=1))
    _write_result(out, {"command": "eval", "model": args.model, "data": args.data, **result})
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
        from server.bench.window import default_calls_file, load_calls
        from server.demo.synth import VOICES, speak

        turns = [t for call in load_calls(default_calls_file()) for t in call["turns"]][: args.verify]
        clips = [speak(t["text"], VOICES[t["role"]]) for t in turns]
        result["verify"] = verify(source, Path(args.out_dir), clips)
    _write_result(Path(args.out_dir), result)
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
    _write_result(Path(args.out), {"command": "export", **card})
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callassist tune", description="ASR tuning toolkit")
    commands = parser.add_subparsers(dest="command", required=True)

    data = commands.add_parser(
        "data", help="prepare a manifest or saved dataset: 16 kHz, filters, splits, augmentation"
    )
    data.add_argument(
        "source", help="JSONL manifest (audio, text, speaker, duration) or a dataset saved on disk"
    )
    data.add_argument("--out", required=True)
    data.add_argument("--min-s", type=float, default=0.3)
    data.add_argument("--max-s", type=float, default=30.0)
    data.add_argument("--max-chars", type=int, default=200)
    data.add_argument("--dev", type=float, default=0.1)
    data.add_argument("--test", type=float, default=0.1)
    data.add_argument(
        "--augment", choices=["none", "phone", "noise"], default="none", help="extra train copies"
    )
    data.add_argument("--snr", type=float, default=20.0)
    data.add_argument("--speed", default="", help="speed factors to pick from, e.g. 0.9,1.1")
    data.add_argument("--seed", type=int, default=0)
    data.set_defaults(run=cmd_data)

    synth = commands.add_parser("synth", help="synthetic Korean call-center speech with espeak-ng")
    synth.add_argument("--out", required=True)
    synth.add_argument("--count", type=int, default=200)
    synth.add_argument("--speakers", type=int, default=8, help="voice/pitch/speed combinations")
    synth.add_argument("--voices", default="", help="espeak-ng voices, e.g. ko,ko+m1,ko+f2 (default: eight)")
    synth.add_argument("--pitch", default="30-70")
    synth.add_argument("--speed", default="140-190", help="words per minute")
    synth.add_argument("--phone", action="store_true", help="through a simulated phone line")
    synth.add_argument(
        "--phone-share", type=float, default=0.0, help="share of utterances through a phone line"
    )
    synth.add_argument("--snr", type=float, default=20.0, help="noise on the phone line (dB)")
    synth.add_argument("--level-db", default="0", help="level change drawn from LOW,HIGH dB, e.g. -12,3")
    synth.add_argument(
        "--frames", choices=["all", "train", "test"], default="all",
        help="sentence frames: the training four fifths, the held-out fifth, or all",
    )  # fmt: skip
    synth.add_argument("--text-file", action="append", help="extra sentences, one per line")
    synth.add_argument("--dev", type=float, default=0.1)
    synth.add_argument("--test", type=float, default=0.1)
    synth.add_argument("--seed", type=int, default=0)
    synth.set_defaults(run=cmd_synth)

    def training(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, help="folder with train.jsonl (or a manifest)")
        p.add_argument("--out", required=True)
        p.add_argument("--steps", type=int, default=1000)
        p.add_argument("--batch-size", type=int, default=8)
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--warmup", type=int, default=50)
        p.add_argument("--checkpoint-every", type=int, default=0)
        p.add_argument("--gradient-checkpointing", action="store_true")
        p.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"], default="auto")
        p.add_argument("--device", default="auto")
        p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument(
            "--window",
            choices=["native", "trim"],
            default="native",
            help="trim: train on the utterance plus a random margin (the server's trim window policy)",
        )
        p.add_argument("--margin-s", type=float, default=1.0, help="largest random margin of trim windows")

    train = commands.add_parser("train", help="full fine-tuning, or training from scratch with --dims")
    training(train)
    train.add_argument("--init", help="model directory to fine-tune (default: a new model)")
    train.add_argument(
        "--dims",
        default="",
        help="d_model=128,encoder_layers=2,decoder_layers=2,attention_heads=4,ffn_dim=512",
    )
    train.set_defaults(run=cmd_train)

    lora = commands.add_parser("lora", help="LoRA adapters (peft) on a model")
    training(lora)
    lora.add_argument("--model", required=True)
    lora.add_argument("--rank", type=int, default=8)
    lora.add_argument("--alpha", type=int, default=16)
    lora.add_argument("--dropout", type=float, default=0.05)
    lora.add_argument("--targets", default="q_proj,v_proj", help="of q_proj,k_proj,v_proj,out_proj,fc1,fc2")
    lora.set_defaults(run=cmd_lora)

    prune = commands.add_parser("prune", help="lottery-ticket iterative magnitude pruning, or one-shot 2:4")
    training(prune)
    prune.add_argument("--model", required=True)
    prune.add_argument("--rounds", type=int, default=3)
    prune.add_argument("--sparsity", type=float, default=0.5, help="overall target after all rounds")
    prune.add_argument("--fraction", type=float, default=0.0, help="per round instead of --sparsity")
    prune.add_argument("--criterion", choices=["magnitude", "movement"], default="magnitude")
    prune.add_argument("--lora", action="store_true", help="train LoRA adapters on the pruned base weights")
    prune.add_argument("--lora-rank", type=int, default=8)
    prune.add_argument("--lora-alpha", type=int, default=16)
    prune.add_argument("--lora-targets", default="q_proj,v_proj")
    prune.add_argument(
        "--protect-lora-targets", action="store_true", help="never prune weights LoRA attaches to"
    )
    prune.add_argument("--semi-structured", action="store_true", help="one-shot 2:4 instead of the lottery")
    prune.add_argument(
        "--final-steps", type=int, default=0, help="training of the final ticket (default: --steps)"
    )
    prune.set_defaults(run=cmd_prune)

    lottery = commands.add_parser(
        "lottery", help="LoRA + lottery-ticket pruning on the merged weights, a ticket per target sparsity"
    )
    training(lottery)
    lottery.add_argument("--model", required=True, help="the pretrained model (import-ct2 OUT)")
    lottery.add_argument(
        "--schedule", default="0.3,0.5,0.7", help="sparsity after each round (one: one-shot)"
    )
    lottery.add_argument("--adapter", help="a dense `tune lora` adapter to prune first (skips round 0)")
    lottery.add_argument("--rank", type=int, default=8)
    lottery.add_argument("--alpha", type=int, default=16)
    lottery.add_argument("--targets", default="q_proj,k_proj,v_proj,out_proj,fc1,fc2")
    lottery.set_defaults(run=cmd_lottery)

    evaluation = commands.add_parser("eval", help="CER (with and without spaces), WER, real-time factor")
    evaluation.add_argument("--model", required=True)
    evaluation.add_argument("--data", required=True)
    evaluation.add_argument("--split", default="test")
    evaluation.add_argument("--out", required=True)
    evaluation.add_argument("--device", default="auto")
    evaluation.add_argument(
        "--window", choices=["native", "trim"], default="native", help="trim: the utterance plus 0.5 s"
    )
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    random.seed(getattr(args, "seed", 0))
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
