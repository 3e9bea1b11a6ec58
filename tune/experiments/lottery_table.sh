#!/usr/bin/env bash
# The experiment behind the default speech model (docs/tuning.md): the packaged
# Whisper base, imported into PyTorch, adapted to synthetic Korean call-center speech on trimmed
# windows — full fine-tuning, LoRA, LoRA + lottery-ticket pruning at 30/50/70 % and the one-shot
# magnitude baseline at 50/70 % — each scored on a held-out test of unseen voice variants, unseen
# speeds and unseen sentence frames, clean and through a phone line. Ends with the table:
#
#   tune/experiments/lottery_table.sh OUT          then: python -m tune.report lottery OUT
#
# Budget knobs (environment; the defaults are what ran on a 2-core CPU, about 80 minutes):
# TRAIN_COUNT (4000 utterances), TEST_COUNT (40 per speed band), STEPS (200 per training run and
# per pruning round), LORA_STEPS (250, the dense round), FULL_STEPS (200), BATCH (8), RANK (8),
# NATIVE_COUNT (40: test utterances also scored at 30 s windows), DEVICE (auto: cuda when present).
set -euo pipefail
OUT=${1:?usage: lottery_table.sh OUT}
T="${PYTHON:-python} -m tune"
STEPS=${STEPS:-200}; LORA_STEPS=${LORA_STEPS:-250}; FULL_STEPS=${FULL_STEPS:-200}; BATCH=${BATCH:-8}
RANK=${RANK:-8}; DEVICE=${DEVICE:-auto}; TEST_COUNT=${TEST_COUNT:-40}; NATIVE_COUNT=${NATIVE_COUNT:-40}
TARGETS=q_proj,k_proj,v_proj,out_proj,fc1,fc2
TRAIN=(--window trim --margin-s 1.0 --batch-size "$BATCH" --device "$DEVICE")
mkdir -p "$OUT"

# --- data: training voices, speeds and frames never meet the test's -------------------------------
[ -f "$OUT/train/all.jsonl" ] || $T synth --out "$OUT/train" --count "${TRAIN_COUNT:-4000}" --frames train \
  --voices ko,ko+m1,ko+m2,ko+m4,ko+m5,ko+f1,ko+f2,ko+f3 --speakers 32 --pitch 25-75 --speed 140-190 \
  --phone-share 0.4 --snr 20 --level-db=-10,3 --seed 11
for band in fast:192-215:21 slow:115-135:22; do
  IFS=: read -r name speed seed <<<"$band"
  for line in clean phone; do
    flag=(); [ "$line" = phone ] && flag=(--phone --snr 20)
    [ -f "$OUT/test-$name-$line/all.jsonl" ] || $T synth --out "$OUT/test-$name-$line" --count "$TEST_COUNT" \
      --frames test --voices ko+m3,ko+m7,ko+f4,ko+f5 --speakers 8 --pitch 20-80 --speed "$speed" \
      --seed "$seed" "${flag[@]}"
  done
done
mkdir -p "$OUT/test"
${PYTHON:-python} - "$OUT" "$NATIVE_COUNT" <<'PY'
import sys
from pathlib import Path
from tune.manifest import read_manifest, write_manifest
out, native = Path(sys.argv[1]), int(sys.argv[2])
for line in ("clean", "phone"):
    items = [i for band in ("fast", "slow") for i in read_manifest(out / f"test-{band}-{line}" / "all.jsonl")]
    write_manifest(out / "test" / f"{line}.jsonl", items)
    write_manifest(out / "test" / f"{line}-native.jsonl", items[::2][:native])
PY

score() {  # MODEL NAME: trimmed windows on both lines
  for line in clean phone; do
    [ -f "$OUT/eval/$2-$line-trim/result.json" ] ||
      $T eval --model "$1" --data "$OUT/test/$line.jsonl" --out "$OUT/eval/$2-$line-trim" --window trim --device "$DEVICE"
  done
}
score_native() {  # MODEL NAME: 30 s windows (a subset: slow on a CPU)
  for line in clean phone; do
    [ -f "$OUT/eval/$2-$line-native/result.json" ] ||
      $T eval --model "$1" --data "$OUT/test/$line-native.jsonl" --out "$OUT/eval/$2-$line-native" --window native --device "$DEVICE"
  done
}

# --- the runs, most informative first ----------------------------------------------------------------
[ -f "$OUT/base/config.json" ] || $T import-ct2 builtin:whisper-base "$OUT/base"
score "$OUT/base" base
[ -f "$OUT/lora/result.json" ] || $T lora --model "$OUT/base" --data "$OUT/train/all.jsonl" --out "$OUT/lora" \
  --steps "$LORA_STEPS" --lr 1e-3 --warmup 20 --rank "$RANK" --alpha $((RANK * 2)) --targets "$TARGETS" "${TRAIN[@]}"
score "$OUT/lora/model" lora
[ -f "$OUT/lottery/s70/result.json" ] || $T lottery --model "$OUT/base" --data "$OUT/train/all.jsonl" --out "$OUT/lottery" \
  --adapter "$OUT/lora/adapter" --schedule 0.3,0.5,0.7 --steps "$STEPS" --lr 1e-3 --warmup 20 --rank "$RANK" \
  --alpha $((RANK * 2)) --targets "$TARGETS" "${TRAIN[@]}"
for s in 30 50 70; do score "$OUT/lottery/s$s/model" "lottery-s$s"; done
for s in 50 70; do
  [ -f "$OUT/oneshot-$s/s$s/result.json" ] || $T lottery --model "$OUT/base" --data "$OUT/train/all.jsonl" \
    --out "$OUT/oneshot-$s" --adapter "$OUT/lora/adapter" --schedule "0.$s" --steps "$STEPS" --lr 1e-3 --warmup 20 \
    --rank "$RANK" --alpha $((RANK * 2)) --targets "$TARGETS" "${TRAIN[@]}"
  score "$OUT/oneshot-$s/s$s/model" "oneshot-s$s"
done
[ -f "$OUT/full/result.json" ] || $T train --init "$OUT/base" --data "$OUT/train/all.jsonl" --out "$OUT/full" \
  --steps "$FULL_STEPS" --lr 5e-5 --warmup 20 "${TRAIN[@]}"
score "$OUT/full/model" full
score_native "$OUT/base" base
score_native "$OUT/lottery/s30/model" lottery-s30
score_native "$OUT/lottery/s50/model" lottery-s50
${PYTHON:-python} -m tune.report lottery "$OUT"
