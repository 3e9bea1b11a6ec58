"""ASR tuning toolkit: build the Korean Whisper the server runs (data, synthetic speech, training,
LoRA, lottery-ticket pruning, evaluation, CTranslate2 export). Run as `callassist tune …` or
`python -m tune …`. Never imported by `server/`."""
