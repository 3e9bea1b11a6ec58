"""A tuned model rebuilt from small committed artifacts: the packaged Whisper base, imported into
PyTorch (`import-ct2`), plus LoRA adapter weights, merged, checked by hash, converted to
CTranslate2. Deterministic for the pinned torch: the SHA-256 of the merged weights (every tensor by
name, in name order, as float32 bytes) must equal the one the recipe records.

A recipe directory holds `recipe.json` (name, base, merged-weights hash, window policy, sparsity,
lineage and figures for the model card), `adapter/` (peft's `adapter_config.json` and
`adapter_model.safetensors`, stored in float16) and, for a pruned model, `masks.npz` (one bit per
prunable weight, `tune.lottery.save_masks`): the merged weight is `mask ⊙ (W₀ + ΔW)`.

    python -m tune build-model RECIPE_DIR OUT_DIR        (what set-up runs)
    python -m tune pack-recipe LORA_OUT RECIPE_DIR ...   (after training, to commit the artifacts)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from agent.asr.packaged import CARD_FILE

MASKS = "masks.npz"


class RecipeError(RuntimeError):
    """The rebuilt model is not the one the recipe describes."""


def weights_sha256(model: Any) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().to("cpu").float().contiguous().numpy().tobytes())
    return digest.hexdigest()


def _merged(recipe_dir: Path, base_hf: Path) -> Any:
    from peft import PeftModel

    from tune.model import load_model

    model = PeftModel.from_pretrained(load_model(base_hf), str(recipe_dir / "adapter")).merge_and_unload()
    if (recipe_dir / MASKS).is_file():
        from tune.lottery import apply_to_merged, load_masks

        apply_to_merged(model, load_masks(recipe_dir / MASKS))
    return model


def _base_ct2(spec: str, cache_dir: Path) -> Path:
    from agent.asr import packaged

    return Path(packaged.resolve(spec, cache_dir))


def build(recipe_dir: Path, out: Path, cache_dir: Path, quantization: str = "int8") -> dict[str, Any]:
    """Rebuild the model of `recipe_dir` into `out` (a CTranslate2 directory with a model card)."""
    from tune.ct2_import import import_ct2
    from tune.export import convert
    from tune.model import save_model

    recipe = json.loads((recipe_dir / "recipe.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="callassist-recipe-") as tmp:
        base_hf = Path(tmp) / "base"
        import_ct2(_base_ct2(recipe["base"], cache_dir), base_hf)
        model = _merged(recipe_dir, base_hf)
        digest = weights_sha256(model)
        if digest != recipe["merged_sha256"]:
            raise RecipeError(
                f"{recipe_dir}: the merged weights hash to {digest}, the recipe says {recipe['merged_sha256']} "
                "(a changed adapter or base model, or another torch version)"
            )
        merged = save_model(model, Path(tmp) / "merged")
        staging = out.with_name(out.name + ".build")
        convert(merged, staging, quantization)
    card = {
        "name": recipe["name"],
        "origin": recipe["origin"],
        "licence": recipe.get("licence", "MIT"),
        "tuned": True,
        "base": recipe["base"],
        "merged_sha256": digest,
        "quantization": quantization,
        "window": recipe.get("window", "native"),
        "sparsity": recipe.get("sparsity"),
        "trained_on": recipe.get("trained_on"),
        "lineage": recipe.get("lineage", []),
        "measured": recipe.get("measured", {}),
        "note": recipe.get("note"),
    }
    (staging / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=1), "utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return card


def pack(
    lora_out: Path, recipe_dir: Path, base_hf: Path, recipe: dict[str, Any], masks: Path | None = None
) -> dict[str, Any]:
    """Store the adapter of a `tune lora` or `tune lottery` run in float16 under `recipe_dir` (with
    the ticket's masks when given), and record the hash of the weights they merge into (computed
    from the stored float16 adapter, as `build` will)."""
    import torch
    from safetensors.torch import load_file, save_file

    recipe_dir.mkdir(parents=True, exist_ok=True)
    adapter = recipe_dir / "adapter"
    adapter.mkdir(exist_ok=True)
    config = json.loads((lora_out / "adapter" / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = recipe["base"]  # not the path it was trained from
    (adapter / "adapter_config.json").write_text(json.dumps(config, indent=1) + "\n")
    weights = load_file(str(lora_out / "adapter" / "adapter_model.safetensors"))
    save_file(
        {k: v.to(torch.float16) for k, v in weights.items()}, str(adapter / "adapter_model.safetensors")
    )
    (recipe_dir / MASKS).unlink(missing_ok=True)
    if masks is not None:
        from tune.lottery import load_masks
        from tune.prune import sparsity_report

        shutil.copyfile(masks, recipe_dir / MASKS)
        recipe = {**recipe, "sparsity": sparsity_report(load_masks(masks))["sparsity"]}
    recipe = {**recipe, "merged_sha256": weights_sha256(_merged(recipe_dir, base_hf))}
    (recipe_dir / "recipe.json").write_text(json.dumps(recipe, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return recipe
