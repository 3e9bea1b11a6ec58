"""Streaming a synthesized call into a live server, and checking utterance edges."""

from __future__ import annotations

from websockets.asyncio.client import ClientConnection

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from workbench.demo.player import encode_call
from workbench.demo.synth import SynthesizedCall

FRAME = 640 * 2  # 20 ms of 16 kHz stereo s16


def call_bytes(call: SynthesizedCall) -> bytes:
    rate, audio = read_wav(call.wav_path)
    return encode_call(audio, rate, Encoding.PCM_S16LE, None)[0]


async def send_audio(ws: ClientConnection, data: bytes) -> None:
    for offset in range(0, len(data), FRAME):
        await ws.send(data[offset : offset + FRAME])


# Largest allowed distance between a detected and a true speech edge.
EDGE_TOLERANCE_S = {16000: 0.150, 8000: 0.250}  # band-limited μ-law onsets are detected later


def match_edges(call: SynthesizedCall, segments: list[dict], tolerance: float) -> None:
    """Each true utterance has exactly one detected segment on its channel, with both edges close."""
    assert len(segments) == len(call.utterances)
    for truth in call.utterances:
        found = [
            s
            for s in segments
            if int(s["channel"]) == truth["channel"]
            and float(s["start"]) < truth["end"]
            and float(s["end"]) > truth["start"]
        ]
        assert len(found) == 1, f"{truth['text']}: {found}"
        segment = found[0]
        assert segment["role"] == truth["role"]
        assert abs(float(segment["start"]) - truth["start"]) <= tolerance, (truth, segment)
        assert abs(float(segment["end"]) - truth["end"]) <= tolerance, (truth, segment)
