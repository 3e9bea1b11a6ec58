#!/usr/bin/env bash
# Rebuild the default speech model's recipe (tune/recipes/whisper-base-ko-synth) from scratch:
# synthetic speech → the packaged Whisper base imported into PyTorch → LoRA on trimmed windows →
# the adapter packed as a recipe (with the hash of its merged weights) → evaluation.
#
#   tune/experiments/default_model.sh OUT [RECIPE_DIR]
#
# Knobs (environment): COUNT (1600 utterances), SPEAKERS (12), SEED (7), STEPS (400), BATCH (8),
# RANK (32), DEVICE (auto: cuda when present). The committed recipe came from the defaults on a
# 2-core CPU (about 20 minutes of training).
set -euo pipefail
out=${1:?usage: default_model.sh OUT [RECIPE_DIR]}
recipe=${2:-$out/recipe}
cli=(python -m tune)
mkdir -p "$out"

"${cli[@]}" synth --out "$out/data" --count "${COUNT:-1600}" --speakers "${SPEAKERS:-12}" --seed "${SEED:-7}"
# hold out sentences too: the test and dev splits keep only sentences the training split lacks
python - "$out/data" <<'PY'
import json, sys
from pathlib import Path
data = Path(sys.argv[1])
seen = {json.loads(line)["text"] for line in (data / "train.jsonl").read_text("utf-8").splitlines()}
for split in ("dev", "test"):
    rows = [json.loads(line) for line in (data / f"{split}.jsonl").read_text("utf-8").splitlines()]
    kept = [r for r in rows if r["text"] not in seen]
    (data / f"{split}_unseen.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), "utf-8")
    print(f"{split}: {len(kept)} of {len(rows)} utterances with sentences unseen in training")
PY
"${cli[@]}" import-ct2 builtin:whisper-base "$out/base" --verify 20
"${cli[@]}" lora --model "$out/base" --data "$out/data" --out "$out/lora" --steps "${STEPS:-400}" \
    --batch-size "${BATCH:-8}" --lr 1e-3 --warmup 20 --rank "${RANK:-32}" --alpha "$(( ${RANK:-32} * 2 ))" \
    --targets q_proj,k_proj,v_proj,out_proj,fc1,fc2 --window trim --margin-s 1.0 --device "${DEVICE:-auto}"
"${cli[@]}" eval --model "$out/lora/model" --data "$out/data" --split test_unseen --window trim --out "$out/eval-trim"
cat > "$out/recipe.json" <<JSON
{"name": "whisper-base-ko-synth", "base": "builtin:whisper-base", "window": "trim",
 "origin": "OpenAI Whisper base (MIT) + LoRA adapters trained by callassist tune on synthetic Korean call-center speech",
 "trained_on": "callassist tune synth --count ${COUNT:-1600} --speakers ${SPEAKERS:-12} --seed ${SEED:-7} (train split); synthetic speech only"}
JSON
"${cli[@]}" pack-recipe "$out/lora" "$recipe" --base-hf "$out/base" --recipe-json "$out/recipe.json"
"${cli[@]}" build-model "$recipe" "$out/model"
python -m server.cli bench window --model "$out/model" --json "$out/window.json"
python -m server.cli bench window --model "$out/model" --phone --json "$out/window-phone.json"
