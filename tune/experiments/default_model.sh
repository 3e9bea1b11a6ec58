#!/usr/bin/env bash
# Rebuild the default speech model's recipe (tune/recipes/whisper-base-ko-synth) from scratch: the
# experiment of lottery_table.sh (synthetic speech → the packaged Whisper base imported into
# PyTorch → LoRA on trimmed windows → lottery-ticket pruning), then its SPARSITY % ticket packed as
# the recipe (float16 adapter + bit-packed masks + the hash of the merged weights), rebuilt the way
# set-up rebuilds it, and measured with the server's own engine.
#
#   tune/experiments/default_model.sh OUT [RECIPE_DIR]
#
# Knobs (environment): those of lottery_table.sh, and SPARSITY (30: which ticket ships — the most
# accurate one of the committed run; unstructured sparsity buys no speed or size in CTranslate2).
set -euo pipefail
out=${1:?usage: default_model.sh OUT [RECIPE_DIR]}
recipe=${2:-$out/recipe}
sparsity=${SPARSITY:-30}
py=${PYTHON:-python}
"$(dirname "$0")/lottery_table.sh" "$out"
ticket="$out/lottery/s$sparsity"
$py - "$out" "$ticket" >"$out/recipe.json" <<'PY'
import json, sys
from pathlib import Path
out, ticket = Path(sys.argv[1]), Path(sys.argv[2])
data = json.loads((out / "train" / "result.json").read_text())
steps = json.loads((ticket / "model" / "callassist_tune.json").read_text())["steps"]
print(json.dumps({
    "name": "whisper-base-ko-synth", "base": "builtin:whisper-base", "window": "trim",
    "origin": "OpenAI Whisper base (MIT) + LoRA adapters and a lottery-ticket pruning mask trained by "
              "`callassist tune` on synthetic Korean call-center speech",
    "licence": "MIT (base weights); adapters and mask: this project's licence",
    "trained_on": f"{data['utterances']:,} espeak-ng utterances ({data['hours']} h) of the toolkit's sentence "
                  f"generator (ten service domains, training frames only), {data['speakers']} voices, "
                  f"{round(100 * data['phone_line'])} % through a simulated phone line: "
                  "tune/experiments/lottery_table.sh. Synthetic speech only: no recorded human speech.",
    "lineage": steps,
    "note": "tuned on synthetic speech only: expect it to do better on synthetic calls than on real voices; "
            "retrain on your own recordings with `callassist tune`",
}, ensure_ascii=False, indent=1))
PY
$py -m tune pack-recipe "$ticket" "$recipe" --base-hf "$out/base" --recipe-json "$out/recipe.json" \
  --masks "$ticket/masks.npz"
$py -m tune build-model "$recipe" "$out/model"
$py -m server.cli bench window --model "$out/model" --json "$out/window.json"
$py -m server.cli bench window --model "$out/model" --phone --json "$out/window-phone.json"
