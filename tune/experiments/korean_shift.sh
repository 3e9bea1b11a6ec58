#!/usr/bin/env bash
# The domain-shift experiment of docs/tuning.md: pretrain a small Whisper from
# scratch on clean synthetic Korean speech, then adapt it to phone-line speech of other voices and
# speeds: zero-shot, full fine-tuning, LoRA, and LoRA + lottery-ticket pruning at 30/50/70 %.
# Scale knobs (CPU defaults; for a GPU raise them): BASE_COUNT SHIFT_COUNT BASE_STEPS ADAPT_STEPS
# PRUNE_ROUND_STEPS DIMS BATCH.
set -euo pipefail
OUT=${1:-runs/korean-shift}
T="${PYTHON:-.venv/bin/python} -m tune"
BASE_COUNT=${BASE_COUNT:-800}; SHIFT_COUNT=${SHIFT_COUNT:-400}
BASE_STEPS=${BASE_STEPS:-700}; ADAPT_STEPS=${ADAPT_STEPS:-200}; PRUNE_ROUND_STEPS=${PRUNE_ROUND_STEPS:-60}
DIMS=${DIMS:-d_model=128,encoder_layers=2,decoder_layers=2,attention_heads=4,ffn_dim=512,window_s=10}
BATCH=${BATCH:-12}; DEVICE=${DEVICE:-auto}
LORA="--targets q_proj,k_proj,v_proj,out_proj,fc1,fc2 --rank 8 --alpha 16"
mkdir -p "$OUT"
$T synth --out "$OUT/base-data" --count "$BASE_COUNT" --speakers 6 --voices ko,ko+m1,ko+m3,ko+f1,ko+f2,ko+f4 \
  --pitch 40-60 --speed 150-170 --dev 0.05 --test 0.1 --seed 1
$T synth --out "$OUT/shift-data" --count "$SHIFT_COUNT" --speakers 5 --voices ko+m5,ko+m2,ko+f3,ko+f5 \
  --pitch 20-80 --speed 185-225 --phone --snr 15 --dev 0.2 --test 0.2 --seed 2
$T train --data "$OUT/base-data" --out "$OUT/base" --dims "$DIMS" --steps "$BASE_STEPS" --batch-size "$BATCH" --lr 2e-3 --device "$DEVICE"
$T eval --model "$OUT/base/model" --data "$OUT/base-data" --out "$OUT/eval-base-clean" --device "$DEVICE"
$T eval --model "$OUT/base/model" --data "$OUT/shift-data" --out "$OUT/eval-zero-shot" --device "$DEVICE"
$T train --init "$OUT/base/model" --data "$OUT/shift-data" --out "$OUT/full" --steps "$ADAPT_STEPS" --batch-size "$BATCH" --lr 5e-4 --warmup 20 --device "$DEVICE"
$T eval --model "$OUT/full/model" --data "$OUT/shift-data" --out "$OUT/eval-full" --device "$DEVICE"
$T lora --model "$OUT/base/model" --data "$OUT/shift-data" --out "$OUT/lora" --steps "$ADAPT_STEPS" --batch-size "$BATCH" --lr 2e-3 --warmup 20 $LORA --device "$DEVICE"
$T eval --model "$OUT/lora/model" --data "$OUT/shift-data" --out "$OUT/eval-lora" --device "$DEVICE"
for S in 0.3 0.5 0.7; do
  $T prune --model "$OUT/base/model" --data "$OUT/shift-data" --out "$OUT/prune-$S" --lora --lora-targets q_proj,k_proj,v_proj,out_proj,fc1,fc2 \
    --sparsity "$S" --rounds 2 --steps "$PRUNE_ROUND_STEPS" --final-steps "$ADAPT_STEPS" --batch-size "$BATCH" --lr 2e-3 --warmup 10 --device "$DEVICE"
  $T eval --model "$OUT/prune-$S/model" --data "$OUT/shift-data" --out "$OUT/eval-prune-$S" --device "$DEVICE"
done
for M in base full lora prune-0.5; do
  $T export --model "$OUT/$M/model" --out "$OUT/ct2-$M" --quantization int8 --sample "$OUT/shift-data/$(head -1 "$OUT/shift-data/test.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["audio"])')"
done
${PYTHON:-.venv/bin/python} -m tune.report "$OUT"
