"""`callassist demo`: the server on embedded defaults, plus a simulated Korean call played into it
in real time, again and again, while the status page shows its events."""

from __future__ import annotations

import asyncio
import json
import time
from importlib import resources
from pathlib import Path
from typing import Any

import uvicorn

from agent.asr import packaged
from agent.asr.script import SCHEME as SCRIPT_SCHEME
from agent.asr.whisper_files import is_random_test_model
from server.app import create_app
from server.auth import Role, generate_key
from server.components import open_knowledge_base
from server.runner import port_is_free, start_server, uvicorn_config
from server.services import Services
from server.settings import Settings
from workbench.demo.player import play_wav
from workbench.demo.synth import synthesize_call

DEMO_AGENT = "agent-kim"


def demo_keys(data_dir: Path) -> dict[str, str]:
    """Keys kept in the data directory, so the printed URL stays the same between runs."""
    path = data_dir / "demo-keys.json"
    if path.exists():
        return json.loads(path.read_text())
    keys = {role.value: generate_key(role) for role in Role}
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys, indent=1))
    path.chmod(0o600)
    return keys


def demo_settings(settings: Settings, script_path: Path) -> Settings:
    keys = demo_keys(settings.data_dir)
    port = settings.port
    while not port_is_free(settings.host, port):
        port += 1
    return settings.model_copy(
        update={
            "port": port,
            "ingest_keys": [*settings.ingest_keys, keys["ingest"]],
            "agent_keys": {**settings.agent_keys, keys["agent"]: DEMO_AGENT},
            "supervisor_keys": [*settings.supervisor_keys, keys["supervisor"]],
            "log_level": "warning" if settings.log_level == "info" else settings.log_level,
            # the demo owns its sample index: built with another embedder, it is emptied and re-ingested
            "kb_rebuild_on_embedder_change": True,
            # `script` (an explicit choice) shows the call's script lines instead of recognized text.
            "asr_model": f"{SCRIPT_SCHEME}{script_path}"
            if settings.asr_model == "script"
            else settings.asr_model,
        }
    )


async def ingest_sample_guides(services: Services) -> str:
    """Index the sample knowledge base (incremental: unchanged guides are skipped)."""
    samples = Path(str(resources.files("kb").joinpath("samples")))
    kb = await open_knowledge_base(services.redis, services.settings)
    report = await kb.ingest([samples])
    if services.assist is not None:
        await (
            services.assist.kb.warm_up()
        )  # the server's BM25 index, rebuilt now rather than on the first question
    count = len(report.added) + len(report.updated) + len(report.unchanged)
    return (
        f"  Knowledge base: {count} sample guides from {samples} ({report.chunks} chunks written this run).\n"
        '  Try: .venv/bin/callassist kb search "로밍 요금이 왜 이렇게 많이 나왔어요"\n'
    )


def banner(settings: Settings) -> str:
    keys = demo_keys(settings.data_dir)
    base = settings.base_url
    if settings.asr_model.startswith(SCRIPT_SCHEME):
        asr = (
            "Speech model: none (CALLASSIST_ASR_MODEL=script). The transcript shows the call's SCRIPT lines\n"
            '  (marked source: "script"), not recognized speech; speech timing comes from the real VAD.'
        )
    elif settings.asr_model == packaged.SPEC:
        asr = (
            f"Speech model: {settings.asr_model} (OpenAI Whisper base, MIT, from the package registry), on\n"
            "  this machine's CPU. It is NOT tuned for Korean call-center speech: expect many recognition\n"
            "  errors on the synthetic call (measured CER about 0.8). The default, builtin:whisper-base-ko-synth,\n"
            "  is tuned; CALLASSIST_ASR_MODEL=script shows the script instead."
        )
    elif settings.asr_model.startswith(packaged.BUILTIN_SCHEME):
        asr = (
            f"Speech model: {settings.asr_model}: Whisper base tuned here (LoRA + lottery-ticket pruning)\n"
            "  on SYNTHETIC Korean call-center speech (espeak-ng voices, trimmed encoder windows), on this\n"
            "  machine's CPU. CER on held-out synthetic speech (docs/tuning.md): unseen espeak-ng voices 0.04\n"
            "  (0.05 through a phone line); espeak-ng's Klatt method, never in training, 0.09 (0.19 through an\n"
            "  AMR-NB line, 0.26 in a reverberant room). Recorded human speech was never tested and will do\n"
            "  worse: retrain on your own recordings with `callassist tune`. CALLASSIST_ASR_MODEL=script\n"
            "  shows the call's script instead."
        )
    elif settings.asr_model in ("", "none"):
        asr = "Speech model: none. Utterances are stored with their timing only."
    elif is_random_test_model(Path(settings.asr_model)):
        asr = f"Speech model: {settings.asr_model} has RANDOM WEIGHTS: its text is noise (and mostly filtered out)."
    else:
        asr = f"Speech model: {settings.asr_model}"
    redis = (
        f"external Redis at {settings.redis_url}"
        if settings.redis_url
        else f"embedded Redis 8 in {settings.data_dir}/redis"
    )
    return "\n".join(
        [
            "",
            "callassist demo",
            f"  Agent sidebar ({DEMO_AGENT}):  {base}/agent?key={keys['agent']}",
            f"  Supervisor (live calls, search, call review):  {base}/supervisor?key={keys['supervisor']}",
            f"  Raw event stream:  {base}/?key={keys['supervisor']}",
            f"  Softphone (your microphone as {DEMO_AGENT}, over WebRTC):  {base}/softphone?key={keys['agent']}",
            f"  API docs:  {base}/docs",
            f"  Storage:  {redis}",
            f"  {asr}",
            "  Press Ctrl-C to stop.",
            "",
        ]
    )


async def run_demo(
    settings: Settings, *, once: bool = False, speed: float = 1.0, pause_s: float = 5.0
) -> int:
    call = synthesize_call(settings.cache_dir)
    settings = demo_settings(settings, call.wav_path.with_suffix(".json"))
    keys = demo_keys(settings.data_dir)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn_config(app, settings, settings.host, settings.port))
    serving = await start_server(server)
    guides = await ingest_sample_guides(app.state.services)
    print(banner(settings), flush=True)
    print(guides, flush=True)
    watcher = asyncio.create_task(print_assistance(settings, keys["agent"]))
    try:
        number = 0
        while True:
            number += 1
            call_id = f"demo-{time.strftime('%Y%m%d-%H%M%S')}-{number}"
            print(
                f"Playing simulated call {call_id} ({call.duration:.0f} s of customer/agent audio)...",
                flush=True,
            )
            result = await play_wav(
                settings.base_url,
                call_id,
                keys["ingest"],
                call.wav_path,
                channel_roles=call.channel_roles,
                agent_id=DEMO_AGENT,
                speed=speed,
                metadata={"source": "demo", "script": "roaming-charge"},
            )
            if result.get("type") != "stopped":
                print(f"The server ended the call with an error: {result}", flush=True)
                return 1
            detail = await server_transcript(settings, keys["supervisor"], call_id)
            print(
                f"Call {call_id} ended: {detail} final segments stored. Review: {settings.base_url}/v1/calls/{call_id}",
                flush=True,
            )
            print(await archive_lookup(settings, keys["supervisor"], call_id), flush=True)
            if once:
                return 0
            await asyncio.sleep(pause_s)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        server.should_exit = True
        await serving


async def server_transcript(settings: Settings, key: str, call_id: str) -> int:
    import httpx

    async with httpx.AsyncClient(
        base_url=settings.base_url, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        response = await client.get(f"/v1/calls/{call_id}")
        response.raise_for_status()
        return len(response.json()["transcript"])


def describe(event: dict[str, Any]) -> str | None:
    """Terminal lines for the recognized finals and the assistance events of the agent's feed."""
    if event["type"] == "final" and event.get("text"):
        minutes, seconds = divmod(int(event["start"]), 60)
        return f"  {minutes:02d}:{seconds:02d} {event['role']:>8}: {event['text']}"
    if event["type"] == "suggestion" and event["status"] == "done":
        source = event["sources"][0]
        where = " > ".join([source["title"], *source["heading_path"]])
        return (
            f"  Suggestion {event['suggestion_id']} (extracted from the guide, {event['latency_ms']['total']:.0f} ms after the "
            f"customer's line)\n    customer: {event['trigger']['text']}\n    reply:    {event['reply']}\n    source:   {where}"
        )
    if event["type"] == "suggestion_done":
        how = f"LLM failed ({event['fallback']}); extracted instead" if event.get("fallback") else "LLM"
        return f"  Suggestion {event['suggestion_id']} ({how}): {event['reply']}"
    if event["type"] == "summary" and event["kind"] == "final":
        fields = [
            f"  Post-call summary ({event['mode']}, {event['ms']:.0f} ms):",
            f"    reason:     {event['reason']}",
            f"    resolution: {event['resolution']}",
            f"    guides:     {', '.join(g['title'] for g in event['guides_used']) or '-'}",
            f"    keywords:   {', '.join(event['keywords'])}",
        ]
        return "\n".join(fields)
    return None


async def print_assistance(settings: Settings, agent_key: str) -> None:
    """Follow the demo agent's feed (as the sidebar does) and print suggestions and summaries."""
    from websockets.asyncio.client import connect

    url = settings.base_url.replace("http", "ws", 1) + f"/v1/agents/{DEMO_AGENT}/events?key={agent_key}"
    async with connect(url, max_size=None) as ws:
        async for message in ws:
            line = describe(json.loads(message))
            if line:
                print(line, flush=True)


async def archive_lookup(settings: Settings, key: str, call_id: str, query: str = "로밍 요금 감면") -> str:
    import httpx

    async with httpx.AsyncClient(
        base_url=settings.base_url, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        response = await client.get("/v1/search/calls", params={"q": query, "limit": 20})
        response.raise_for_status()
        ranks = [hit["call_id"] for hit in response.json()["results"]]
    place = f"rank {ranks.index(call_id) + 1} of {len(ranks)}" if call_id in ranks else "NOT FOUND"
    return f"Call archive: searching past calls for {query!r} finds {call_id} at {place}: {settings.base_url}/v1/search/calls?q={query}"
