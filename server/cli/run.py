"""`callassist serve` and `keys`: running the server, API keys; and the commands that run in a
process of their own (`tune`, and `demo`, `prepare-demo`, `play`, `bench`, `analytics-model`: the
workbench), listed
here for `callassist -h`."""

from __future__ import annotations

import argparse
from typing import Any

from server.auth import Role, generate_key
from server.cli.common import check_before_start
from server.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from server.app import create_app
    from server.runner import DrainingServer, uvicorn_config

    check_before_start(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    app = create_app(settings)
    DrainingServer(uvicorn_config(app, settings, host, port), app, settings.drain_seconds).run()
    return 0


def _keys(args: argparse.Namespace, settings: Settings) -> int:
    print(f"CALLASSIST_INGEST_KEYS={generate_key(Role.INGEST)}")
    print(f"CALLASSIST_AGENT_KEYS={args.agent_id}:{generate_key(Role.AGENT)}")
    print(f"CALLASSIST_SUPERVISOR_KEYS={generate_key(Role.SUPERVISOR)}")
    print(f"CALLASSIST_AUDITOR_KEYS={generate_key(Role.AUDITOR)}")
    return 0


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="bind address (default: CALLASSIST_HOST)")
    serve.add_argument("--port", type=int, help="port (default: CALLASSIST_PORT)")
    serve.set_defaults(run=_serve)

    keys = commands.add_parser("keys", help="print freshly generated API keys as environment lines")
    keys.add_argument("--agent-id", default="agent-1")
    keys.set_defaults(run=_keys)

    commands.add_parser(
        "tune",
        help="ASR tuning toolkit: data, synth, train, lora, prune, eval, export (see `callassist tune -h`)",
    )
    for name, what in (
        ("demo", "run the server and play a simulated Korean call into it"),
        ("prepare-demo", "join the default speech model and synthesize the demo call into the cache"),
        ("play", "stream a 16-bit WAV into a server as one call"),
        ("bench", "benchmarks: asr, calls, burst, window"),
        ("analytics-model", "train the analytics turn model on labelled turns"),
    ):
        commands.add_parser(name, help=f"{what} (see `callassist {name} -h`)")
