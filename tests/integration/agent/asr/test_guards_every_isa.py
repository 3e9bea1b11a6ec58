"""The guards hold on every CPU: CTranslate2 picks int8 kernels by instruction set, and the same
model and audio decode differently on another machine. Each instruction set this CPU can be forced
to (`CT2_FORCE_CPU_ISA`) runs in its own process (CTranslate2 reads it once per process) over the
same clips: noise, hum, clicks, tones and silence must give no text; short answers and sentences
spoken by two synthesis methods must give Korean text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers.guard_evidence import ISAS
from tests.helpers.paths import ROOT


def forcible_isas() -> list[str]:
    """The instruction sets CTranslate2 can be forced to on this CPU (it refuses none, but one
    the CPU lacks would crash the process)."""
    flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    needs = {
        "GENERIC": set(),
        "AVX": {"avx"},
        "AVX2": {"avx2", "fma"},
        "AVX512": {"avx512f", "avx512bw", "avx512vl"},
    }
    return [isa for isa in ISAS if needs[isa] <= flags]


def evidence(isa: str, out: Path) -> list[dict]:
    env = {**os.environ, "CT2_FORCE_CPU_ISA": isa}
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.guard_evidence", "--set", "suite", "--models",
         "builtin:whisper-base-ko-synth", "--policies", "trim", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def rows_by_isa(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    isas = forcible_isas()
    folder = tmp_path_factory.mktemp("isa")
    with ThreadPoolExecutor(2) as pool:
        return dict(
            zip(isas, pool.map(lambda isa: evidence(isa, folder / f"{isa}.jsonl"), isas), strict=True)
        )


def test_this_cpu_can_be_forced_to_several_instruction_sets() -> None:
    isas = forcible_isas()
    assert "GENERIC" in isas and len(isas) >= 2, isas  # every x86-64 CPU of the last decade has AVX2


@pytest.mark.parametrize("isa", ISAS)
def test_no_text_from_non_speech_under_every_instruction_set(
    rows_by_isa: dict[str, list[dict]], isa: str
) -> None:
    if isa not in rows_by_isa:
        pytest.skip(f"this CPU cannot run CTranslate2's {isa} kernels")
    leaked = [
        (r["clip"], r["result"]["text"]) for r in rows_by_isa[isa] if not r["speech"] and not r["guard"]
    ]
    assert leaked == [], leaked


@pytest.mark.parametrize("isa", ISAS)
def test_speech_passes_under_every_instruction_set(rows_by_isa: dict[str, list[dict]], isa: str) -> None:
    if isa not in rows_by_isa:
        pytest.skip(f"this CPU cannot run CTranslate2's {isa} kernels")
    speech = [r for r in rows_by_isa[isa] if r["speech"]]
    refused = [
        (r["clip"], r["guard"], r.get("result", {}).get("text"))
        for r in speech
        if r["guard"] or not r["text"]
    ]
    assert speech and refused == [], refused
    sentences = [r for r in speech if len(r["clip"].split()) > 3]  # a short answer may come out as "Yes"
    assert sentences and all(any("가" <= ch <= "힣" for ch in r["text"]) for r in sentences), [
        r["text"] for r in sentences
    ]
