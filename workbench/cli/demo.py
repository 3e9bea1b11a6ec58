"""`callassist demo`, `prepare-demo` and `play`: the demo (a server with a simulated call played
into it), its preparation, and playing a WAV into a server as one call."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from agent.audio.codecs import SUPPORTED_SAMPLE_RATES, Encoding
from server.cli.common import check_before_start
from server.settings import Settings


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.demo.runner import run_demo

    check_before_start(settings)
    try:
        return asyncio.run(run_demo(settings, once=args.once, speed=args.speed))
    except KeyboardInterrupt:
        return 0


def _prepare_demo(args: argparse.Namespace, settings: Settings) -> int:
    from agent.asr import packaged
    from workbench.demo.synth import synthesize_call

    if settings.asr_model.startswith(packaged.BUILTIN_SCHEME):
        path = packaged.resolve(settings.asr_model, settings.cache_dir)
        print(f"speech model ready: {path} (its hash was checked when it was built)")
    call = synthesize_call(settings.cache_dir)
    print(f"demo call ready: {call.wav_path} ({call.duration:.1f} s, {len(call.utterances)} utterances)")
    return 0


def _play(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.demo.player import play_wav

    result = asyncio.run(
        play_wav(
            args.url,
            args.call_id,
            args.key,
            Path(args.wav),
            channel_roles=args.roles.split(","),
            agent_id=args.agent_id,
            encoding=Encoding(args.encoding),
            sample_rate=args.sample_rate,
            speed=args.speed,
        )
    )
    print(result)
    return 0 if result.get("type") == "stopped" else 1


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="run the server and play a simulated Korean call into it")
    demo.add_argument("--once", action="store_true", help="play one call, then exit")
    demo.add_argument(
        "--speed", type=float, default=1.0, help="playback speed (1: real time, 0: as fast as possible)"
    )
    demo.set_defaults(run=_demo)

    prepare = commands.add_parser(
        "prepare-demo",
        help="join the default speech model and synthesize the demo call (espeak-ng) into the cache",
    )
    prepare.set_defaults(run=_prepare_demo)

    play = commands.add_parser("play", help="stream a 16-bit WAV into a server as one call")
    play.add_argument("wav")
    play.add_argument("--url", default="http://127.0.0.1:8000")
    play.add_argument("--key", required=True, help="an ingest key")
    play.add_argument("--call-id", required=True)
    play.add_argument("--agent-id", required=True)
    play.add_argument("--roles", default="customer,agent", help="role of each WAV channel, comma-separated")
    play.add_argument("--encoding", choices=[e.value for e in Encoding], default=Encoding.PCM_S16LE.value)
    play.add_argument(
        "--sample-rate", type=int, choices=SUPPORTED_SAMPLE_RATES, help="resample before sending"
    )
    play.add_argument("--speed", type=float, default=1.0)
    play.set_defaults(run=_play)
