import numpy as np

from agent.audio.wav import read_wav
from agent.vad.silero import WINDOW, SileroVad, VadState
from workbench.demo.synth import SAMPLE_RATE, SynthesizedCall


def test_batched_channels_match_separate_runs(vad: SileroVad) -> None:
    rng = np.random.default_rng(1)
    windows = rng.standard_normal((20, 2, WINDOW)).astype(np.float32) * 0.1
    batched = [VadState(), VadState()]
    alone = [VadState(), VadState()]
    for step in windows:
        together = vad.speech_probabilities(batched, step)
        separate = [vad.speech_probabilities([alone[c]], step[c : c + 1])[0] for c in range(2)]
        assert np.allclose(together, separate, atol=1e-5)


def test_speech_scores_high_and_silence_low(vad: SileroVad, demo_call: SynthesizedCall) -> None:
    rate, audio = read_wav(demo_call.wav_path)
    assert rate == SAMPLE_RATE
    first = demo_call.utterances[0]
    channel = audio[:, first["channel"]]
    state = VadState()
    probs = np.array(
        [
            vad.speech_probabilities([state], channel[i : i + WINDOW][None])[0]
            for i in range(0, int(first["end"] * rate) // WINDOW * WINDOW, WINDOW)
        ]
    )
    times = np.arange(len(probs)) * WINDOW / rate
    assert probs[times < first["start"] - 0.1].max() < 0.2
    assert np.mean(probs[(times > first["start"] + 0.3) & (times < first["end"] - 0.3)] > 0.5) > 0.8
