#!/usr/bin/env bash
# Where to adapt, measured on what training never heard (docs/tuning.md, "Generalization"):
# LoRA on encoder and decoder (the shipped recipe's shape), decoder-only LoRA, a smaller encoder
# rank, and LoRA with a KL pull towards the pretrained model, all at one budget, all trained on the
# same augmented, conversational synthetic speech; each scored, with the shipped default beside
# them, on test sets that hold out whole axes:
#
#   espeak-clean / espeak-phone   unseen espeak-ng variants at unseen speeds, test-only sentence frames
#   klatt-clean                   espeak-ng's Klatt synthesizer: a synthesis method never in training
#   klatt-amr                     the same through an AMR-NB phone line: a codec never in training
#   klatt-reverb                  the same in a reverberant room: an augmentation kind never in training
#   calls-klatt                   sentences of another source (the evaluation and demo call scripts)
#
#   tune/experiments/generalization.sh OUT          then: python -m tune.report generalization OUT
#
# Knobs (environment; defaults are what ran on a 2-core CPU): TRAIN_COUNT (2400), TEST_COUNT (48
# per set), STEPS (150 per variant), BATCH (8), RANK (8), KL (0.5), DEVICE (auto), VARIANTS
# (lora-both,lora-decoder,lora-enc2,lora-kl; also lora-warm: the shipped default's adapter trained
# on under its own lottery mask at a third of the learning rate, which packs into a recipe as it is;
# and lora-warm-mixed: the same on a mixed set, MIXED_COUNT (3200) utterances of which about a third
# stay unaugmented and 30 % go through the simple phone line the default was trained with, for
# MIXED_STEPS (400) steps; voices-warm and voices-fresh: the shipped default's adapter, or a new
# rank-16 adapter, under its lottery mask, on VOICES_COUNT (24000) utterances spoken by every voice
# variant of espeak-ng's default synthesis method (80 with the plain voice) except the four held out,
# otherwise made as the training set above, in JOBS (one per core) shards).
# MAX_SECONDS (0: none) cuts each variant's steps to a wall-clock budget; FEATURE_WORKERS (0: one per
# core); PARALLEL=1 trains the variants at the same time (one GPU holds several); STAGE: all (the
# default), data (training sets only) or train (no test sets or scores: a GPU box without the
# server's recognizer; a later run where it runs scores what it finds trained).
set -euo pipefail
OUT=${1:?usage: generalization.sh OUT}
PY=${PYTHON:-python}
T="$PY -m tune"
STEPS=${STEPS:-150}; BATCH=${BATCH:-8}; RANK=${RANK:-8}; KL=${KL:-0.5}; DEVICE=${DEVICE:-auto}
TEST_COUNT=${TEST_COUNT:-48}
VARIANTS=${VARIANTS:-lora-both,lora-decoder,lora-enc2,lora-kl}
TARGETS=q_proj,k_proj,v_proj,out_proj,fc1,fc2
STAGE=${STAGE:-all}; PARALLEL=${PARALLEL:-0}
TRAIN=(--window trim --margin-s 1.0 --batch-size "$BATCH" --device "$DEVICE" --steps "$STEPS" --lr 1e-3 --warmup 20
       --rank "$RANK" --alpha $((RANK * 2)) --targets "$TARGETS" --spec-augment
       --max-seconds "${MAX_SECONDS:-0}" --feature-workers "${FEATURE_WORKERS:-0}")
HELD_OUT_VOICES=ko+m3,ko+m7,ko+f4,ko+f5
KLATT=ko+klatt,ko+klatt2,ko+klatt3,ko+klatt4,ko+klatt6
# espeak-ng 1.51's voice variants of its default synthesis method (those naming klatt left out, and
# "Mr serious", whose name has a space), less the four held out above
VOICES_ALL=ko,ko+Alex,ko+Alicia,ko+Andrea,ko+Andy,ko+Annie,ko+AnxiousAndy,ko+Demonic,ko+Denis,\
ko+Diogo,ko+Gene,ko+Gene2,ko+Henrique,ko+Hugo,ko+Jacky,ko+Lee,ko+Marco,ko+Mario,ko+Michael,ko+Mike,\
ko+Nguyen,ko+RicishayMax,ko+RicishayMax2,ko+RicishayMax3,ko+Storm,ko+Tweaky,ko+anika,ko+anikaRobot,\
ko+antonio,ko+aunty,ko+belinda,ko+boris,ko+croak,ko+ed,ko+f1,ko+f2,ko+f3,ko+fast,ko+grandma,\
ko+grandpa,ko+gustave,ko+iven,ko+iven2,ko+iven3,ko+iven4,ko+john,ko+kaukovalta,ko+linda,ko+m1,ko+m2,\
ko+m4,ko+m5,ko+m6,ko+m8,ko+marcelo,ko+max,ko+michel,ko+miguel,ko+norbert,ko+pablo,ko+paul,ko+pedro,\
ko+quincy,ko+rob,ko+robert,ko+robosoft4,ko+robosoft5,ko+robosoft6,ko+robosoft7,ko+robosoft8,\
ko+sandro,ko+shelby,ko+steph,ko+steph2,ko+steph3,ko+travis,ko+victor,ko+whisper,ko+whisperf,ko+zac
mkdir -p "$OUT"

# --- training data: espeak-ng's default method only, every augmentation kind but reverb, every codec
# but AMR-NB, a third of the sentences made conversational -------------------------------------
uses_train=0
for v in lora-both lora-decoder lora-enc2 lora-kl lora-warm; do [[ ,$VARIANTS, == *,$v,* ]] && uses_train=1; done
[ -f "$OUT/train/all.jsonl" ] || [ "$uses_train" = 0 ] || $T synth --out "$OUT/train" --count "${TRAIN_COUNT:-2400}" --frames train \
  --voices ko,ko+m1,ko+m2,ko+m4,ko+m5,ko+f1,ko+f2,ko+f3 --speakers 32 --pitch 25-75 --speed 135-195 \
  --phone-share 0.15 --snr 20 --spoken 0.35 --augment=-reverb --augment-share 0.85 \
  --codecs mulaw,alaw,g723_1,g722,opus --seed 31 --dev 0 --test 0

# the many-voices set for voices-*: JOBS shards at once, each its own seed (so its own speakers)
if [[ ,$VARIANTS, == *,voices-* ]] && [ ! -f "$OUT/train-voices/all.jsonl" ]; then
  jobs=${JOBS:-$(nproc)}; per=$(( (${VOICES_COUNT:-24000} + jobs - 1) / jobs ))
  mkdir -p "$OUT/train-voices"; pids=()
  for ((k = 0; k < jobs; k++)); do
    $T synth --out "$OUT/train-voices/s$k" --count "$per" --frames train --voices "$VOICES_ALL" --speakers 320 \
      --pitch 25-75 --speed 135-195 --phone-share 0.15 --snr 20 --spoken 0.35 --augment=-reverb \
      --augment-share 0.85 --codecs mulaw,alaw,g723_1,g722,opus --seed $((53 + k)) --dev 0 --test 0 \
      >"$OUT/train-voices/s$k.log" 2>&1 &
    pids+=($!)
  done
  for ((k = 0; k < jobs; k++)); do
    wait "${pids[k]}" || { tail -5 "$OUT/train-voices/s$k.log" >&2; echo "shard $k failed" >&2; exit 1; }
  done
  $PY - "$OUT/train-voices" "$jobs" <<'PY'
import json, sys
from pathlib import Path
out, jobs = Path(sys.argv[1]), int(sys.argv[2])
with (out / "all.jsonl").open("w", encoding="utf-8") as merged:
    for k in range(jobs):
        for line in (out / f"s{k}" / "all.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            row["audio"] = f"s{k}/{row['audio']}"
            merged.write(json.dumps(row, ensure_ascii=False) + "\n")
PY
fi

# the mixed set for lora-warm-mixed: the same voices and exclusions, fewer augmented, fewer spoken
if [[ ,$VARIANTS, == *,lora-warm-mixed,* ]] && [ ! -f "$OUT/train-mixed/all.jsonl" ]; then
  $T synth --out "$OUT/train-mixed" --count "${MIXED_COUNT:-3200}" --frames train \
    --voices ko,ko+m1,ko+m2,ko+m4,ko+m5,ko+f1,ko+f2,ko+f3 --speakers 32 --pitch 25-75 --speed 135-195 \
    --phone-share 0.3 --snr 20 --level-db=-10,3 --spoken 0.25 --augment=-reverb --augment-share 0.5 \
    --codecs mulaw,alaw,g723_1,g722,opus --seed 37 --dev 0 --test 0
fi

# --- test sets ---------------------------------------------------------------------------------
[ "$STAGE" != data ] || exit 0
if [ "$STAGE" = all ]; then
$PY - "$OUT/calls.txt" <<'PY'
import json, sys
from importlib import resources
from pathlib import Path
lines = [t["text"] for c in map(json.loads, resources.files("workbench.bench").joinpath("data/eval_calls.jsonl").read_text("utf-8").splitlines()) for t in c["turns"]]
lines += [t["text"] for t in json.loads(resources.files("workbench.demo").joinpath("call_script.json").read_text("utf-8"))["turns"]]
Path(sys.argv[1]).write_text("\n".join(lines) + "\n", encoding="utf-8")
PY
testset() {  # NAME SEED ARGS…: one held-out set of TEST_COUNT utterances
  local name=$1 seed=$2; shift 2
  [ -f "$OUT/test/$name/all.jsonl" ] || $T synth --out "$OUT/test/$name" --count "$TEST_COUNT" --frames test \
    --speakers 8 --pitch 20-80 --seed "$seed" --dev 0 --test 0 "$@"
}
testset espeak-clean 41 --voices "$HELD_OUT_VOICES" --speed 115-215
testset espeak-phone 42 --voices "$HELD_OUT_VOICES" --speed 115-215 --phone --snr 20
testset klatt-clean 43 --voices "$KLATT" --speed 130-200
testset klatt-amr 44 --voices "$KLATT" --speed 130-200 --augment phone --augment-share 1 --augment-every --codecs amr_nb
testset klatt-reverb 45 --voices "$KLATT" --speed 130-200 --augment reverb --augment-share 1 --augment-every
# every line of the call scripts (the generator's sentences never come in: the text file alone)
[ -f "$OUT/test/calls-klatt/all.jsonl" ] || $PY - "$OUT" "$KLATT" <<'PY'
import sys
from pathlib import Path
from tune.manifest import write_manifest
from tune.synth import synthesize
out, voices = Path(sys.argv[1]), sys.argv[2].split(",")
texts = [t for t in (out / "calls.txt").read_text("utf-8").splitlines() if t.strip()]
items = synthesize(texts, out / "test" / "calls-klatt", speakers=8, seed=46, variants=voices, pitch=(20, 80),
                   speed=(130, 200), phone=0.5, snr_db=20.0, progress=False)
write_manifest(out / "test" / "calls-klatt" / "all.jsonl", items)
PY
fi
SETS=(espeak-clean espeak-phone klatt-clean klatt-amr klatt-reverb calls-klatt)

score() {  # CT2_MODEL NAME: through the server's own recognizer (int8, trimmed windows, guards)
  for set in "${SETS[@]}"; do
    [ -f "$OUT/eval/$2/$set/result.json" ] ||
      $T eval --engine --model "$1" --data "$OUT/test/$set/all.jsonl" --out "$OUT/eval/$2/$set" --window trim
  done
}

# --- the shipped default, then the variants at one budget ------------------------------------------
[ -f "$OUT/base/config.json" ] || $T import-ct2 builtin:whisper-base "$OUT/base"
[ "$STAGE" != all ] || score builtin:whisper-base-ko-synth default
SHIPPED=tune/recipes/whisper-base-ko-synth
train_variant() {  # VARIANT: its adapter and merged model under $OUT/VARIANT
  local variant=$1 extra data="$OUT/train/all.jsonl"
  case $variant in
    lora-both) extra=() ;;
    lora-decoder) extra=(--scope decoder) ;;
    lora-enc2) extra=(--encoder-rank 2) ;;
    lora-kl) extra=(--kl-to-base "$KL") ;;
    lora-warm) extra=(--adapter tune/recipes/whisper-base-ko-synth/adapter --masks tune/recipes/whisper-base-ko-synth/masks.npz
                      --dropout 0.0 --lr 3e-4) ;;
    lora-warm-mixed) extra=(--adapter tune/recipes/whisper-base-ko-synth/adapter --masks tune/recipes/whisper-base-ko-synth/masks.npz
                            --dropout 0.0 --lr 3e-4 --steps "${MIXED_STEPS:-400}")
                     data="$OUT/train-mixed/all.jsonl" ;;
    voices-warm) extra=(--adapter "$SHIPPED/adapter" --masks "$SHIPPED/masks.npz" --dropout 0.0 --lr 3e-4)
                 data="$OUT/train-voices/all.jsonl" ;;
    voices-fresh) extra=(--masks "$SHIPPED/masks.npz" --rank 16 --alpha 32); data="$OUT/train-voices/all.jsonl" ;;
    *) echo "unknown variant $variant" >&2; exit 2 ;;
  esac
  [ -f "$OUT/$variant/result.json" ] || $T lora --model "$OUT/base" --data "$data" \
    --out "$OUT/$variant" "${TRAIN[@]}" "${extra[@]}" >"$OUT/$variant.log" 2>&1 ||
    { tail -5 "$OUT/$variant.log" >&2; echo "$variant failed (log: $OUT/$variant.log)" >&2; return 1; }
}
IFS=, read -ra wanted <<<"$VARIANTS"
pids=()
for variant in "${wanted[@]}"; do
  if [ "$PARALLEL" = 1 ]; then train_variant "$variant" & pids+=($!); else train_variant "$variant"; fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
[ "$STAGE" = all ] || exit 0
for variant in "${wanted[@]}"; do
  [ -f "$OUT/$variant/ct2/model.bin" ] || $T export --model "$OUT/$variant/model" --out "$OUT/$variant/ct2"
  score "$OUT/$variant/ct2" "$variant"
done
$PY -m tune.report generalization "$OUT"
