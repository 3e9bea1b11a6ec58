"""`tune train`, `lora`, `prune`, `lottery`, `distill`: the training commands."""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from tune.cli.common import batches, codec_of, train_config, write_result


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
    codec = codec_of(model)
    result = train(
        model, batches(args, codec), train_config(args), out, device=args.device, resume=args.resume
    )
    steps = [
        *steps,
        {
            "command": "train",
            "data": args.data,
            "steps": result["steps"],
            "final_loss": result["final_loss"],
            **base,
        },
    ]
    save_with_lineage(model, out / "model", steps)
    write_result(out, {"command": "train", **base, **result})
    return 0


def cmd_lora(args: argparse.Namespace) -> int:
    from tune.export import lineage, save_with_lineage
    from tune.lora import add_lora, merge, trainable_counts
    from tune.lottery import apply_to_merged, load_masks, lora_layers, mask_layers
    from tune.model import load_model
    from tune.training import train

    base = load_model(Path(args.model))
    codec = codec_of(base)
    targets = tuple(args.targets.split(","))
    import torch

    torch.manual_seed(args.seed)  # the adapters' initial values (`tune lottery` rewinds to the same)
    try:
        model = add_lora(
            base,
            args.rank,
            args.alpha,
            args.dropout,
            targets,
            scope=args.scope,
            encoder_rank=args.encoder_rank,
        )
    except ValueError as error:
        raise SystemExit(f"tune lora: {error}") from None
    masks = None
    if args.adapter:  # warm start: an earlier run's (or a recipe's) adapter, same rank and targets
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        weights = load_file(str(Path(args.adapter) / "adapter_model.safetensors"))
        set_peft_model_state_dict(model, {k: v.float() for k, v in weights.items()})
    if args.masks:  # train under a lottery ticket's mask: every layer computes mask ⊙ (W₀ + ΔW)
        masks = load_masks(Path(args.masks))
        layers = lora_layers(model)
        if set(masks) != set(layers):
            raise SystemExit(f"tune lora: {args.masks} does not mask this model's adapted layers")
        mask_layers(layers, masks)
    counts = trainable_counts(model)
    out = Path(args.out)
    result = train(
        model, batches(args, codec), train_config(args), out, device=args.device, resume=args.resume
    )
    model.save_pretrained(str(out / "adapter"))
    lora = {"rank": args.rank, "alpha": args.alpha, "dropout": args.dropout, "targets": list(targets),
            "scope": args.scope, "encoder_rank": args.encoder_rank}  # fmt: skip
    lora |= {
        k: v
        for k, v in vars(args).items()
        if k in ("spec_augment", "kl_to_base", "l2_to_base", "adapter", "masks") and v
    }
    steps = [*lineage(Path(args.model)), {"command": "lora", "data": args.data, "steps": result["steps"], **lora,
                                          "trainable_percent": counts["percent"], "final_loss": result["final_loss"]}]  # fmt: skip
    merged = merge(model)
    if masks is not None:
        apply_to_merged(merged, masks)
        (out / "masks.npz").write_bytes(Path(args.masks).read_bytes())
    save_with_lineage(merged, out / "model", steps)
    write_result(out, {"command": "lora", "lora": lora, "parameters": counts, **result})
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
    codec = codec_of(model)
    data = batches(args, codec)
    config = train_config(args)
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
    write_result(out, {"command": "prune", **step, "report": report, "rounds": rounds})
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
    codec = codec_of(base)
    data, config = batches(args, codec), train_config(args)
    targets = tuple(args.targets.split(","))
    torch.manual_seed(args.seed)  # the adapters' initial values: what every round rewinds to
    try:
        model = add_lora(
            base, args.rank, args.alpha, 0.0, targets, scope=args.scope, encoder_rank=args.encoder_rank
        )
    except ValueError as error:
        raise SystemExit(f"tune lottery: {error}") from None
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
    lora = {"rank": args.rank, "alpha": args.alpha, "targets": list(targets), "scope": args.scope,
            "encoder_rank": args.encoder_rank, "trainable_percent": trainable_counts(model)["percent"]}  # fmt: skip
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
        write_result(ticket, {"command": "lottery", **step, "report": report, **result})
    return 0


def cmd_distill(args: argparse.Namespace) -> int:
    from tune.distill import StudentMismatch, check_student, freeze_encoder, student_from
    from tune.export import lineage, save_with_lineage
    from tune.model import load_model
    from tune.training import train

    teacher = load_model(Path(args.teacher))
    keep: list[int] = []
    try:
        if args.student:  # go on training a student built earlier
            student = load_model(Path(args.student))
            check_student(teacher, student)
            freeze_encoder(student)
        else:
            keep_given = [int(k) for k in args.keep.split(",")] if args.keep else None
            student, keep = student_from(teacher, args.decoder_layers, keep_given)
    except StudentMismatch as error:
        raise SystemExit(f"tune distill: {error}") from None
    for param in teacher.parameters():
        param.requires_grad = False
    out = Path(args.out)
    config = replace(
        train_config(args), distill_kl=args.kl, distill_ce=args.ce, distill_temperature=args.temperature
    )
    result = train(
        student, batches(args, codec_of(teacher)), config, out, device=args.device, resume=args.resume,
        teacher=teacher,
    )  # fmt: skip
    step = {"command": "distill", "teacher": args.teacher, "data": args.data, "steps": result["steps"],
            "decoder_layers": student.config.decoder_layers, "teacher_decoder_layers": teacher.config.decoder_layers,
            "kept_layers": keep, "kl": args.kl, "ce": args.ce, "temperature": args.temperature,
            "window": args.window, "final_loss": result["final_loss"]}  # fmt: skip
    save_with_lineage(student, out / "model", [*lineage(Path(args.teacher)), step])
    write_result(out, {**step, **result})
    return 0


def register(commands: Any) -> None:
    def training(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, help="folder with train.jsonl (or a manifest)")
        p.add_argument("--out", required=True)
        p.add_argument("--steps", type=int, default=1000)
        p.add_argument("--batch-size", type=int, default=8)
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--warmup", type=int, default=50)
        p.add_argument("--checkpoint-every", type=int, default=0)
        p.add_argument(
            "--max-seconds", type=float, default=0.0,
            help="wall-clock budget: the step count is cut to what fits at the measured pace (0: none)",
        )  # fmt: skip
        p.add_argument(
            "--feature-workers", type=int, default=1, help="processes computing features (0: one per core)"
        )
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
        p.add_argument("--spec-augment", action="store_true", help="time and frequency masks on every batch")
        p.add_argument("--kl-to-base", type=float, default=0.0, help="weight of KL to the base model (LoRA)")
        p.add_argument(
            "--l2-to-base", type=float, default=0.0, help="weight of the LoRA update's squared norm"
        )

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
    lora.add_argument(
        "--scope", choices=["both", "decoder", "encoder"], default="both", help="where adapters go"
    )
    lora.add_argument(
        "--encoder-rank", type=int, default=None, help="a smaller (or larger) rank for the encoder"
    )
    lora.add_argument(
        "--adapter", help="start from this adapter (a run's adapter/ or a recipe's), same rank and targets"
    )
    lora.add_argument("--masks", help="train under this lottery mask (masks.npz of a ticket or recipe)")
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
    lottery.add_argument(
        "--scope", choices=["both", "decoder", "encoder"], default="both", help="where adapters go"
    )
    lottery.add_argument(
        "--encoder-rank", type=int, default=None, help="a smaller (or larger) rank for the encoder"
    )
    lottery.set_defaults(run=cmd_lottery)

    distill = commands.add_parser(
        "distill", help="a student with the teacher's encoder and a shallow decoder, trained on its outputs"
    )
    training(distill)
    distill.add_argument(
        "--teacher", required=True, help="the teacher model directory (import-ct2 or lora OUT/model)"
    )
    distill.add_argument("--decoder-layers", type=int, default=2, help="the student's decoder depth")
    distill.add_argument(
        "--keep",
        default="",
        help="teacher decoder layers that start the student's (default: spread, first and last)",
    )
    distill.add_argument("--student", help="continue training this student instead of building one")
    distill.add_argument("--kl", type=float, default=1.0, help="weight of KL to the teacher's distribution")
    distill.add_argument("--ce", type=float, default=1.0, help="weight of cross-entropy to the references")
    distill.add_argument(
        "--temperature", type=float, default=2.0, help="softens both distributions in the KL"
    )
    distill.set_defaults(run=cmd_distill)
