"""A real Redis Cluster on loopback: N primaries of the packaged redis-server, each with its own
data port and cluster-bus port, the 16384 slots split evenly, joined with CLUSTER MEET."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from server.redis_runtime import find_redis_server
from workbench.bench.harness import free_port

SLOTS = 16384


@dataclass
class LocalCluster:
    ports: list[int]
    processes: list[subprocess.Popen[bytes]]

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in self.ports[:2])

    def node(self, index: int) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.ports[index])

    def slot_owner(self, key: str) -> int:
        """Index of the node that serves `key`."""
        slot = int(self.node(0).execute_command("CLUSTER", "KEYSLOT", key))
        return min(slot * len(self.ports) // SLOTS, len(self.ports) - 1)


@contextlib.contextmanager
def local_cluster(folder: Path, nodes: int = 3) -> Iterator[LocalCluster]:
    binary = str(find_redis_server(""))
    ports, buses = [free_port() for _ in range(nodes)], [free_port() for _ in range(nodes)]
    processes = []
    for port, bus in zip(ports, buses, strict=True):
        node_dir = folder / f"node-{port}"
        node_dir.mkdir(parents=True)
        processes.append(
            subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-port",
                    str(bus),
                    "--cluster-config-file",
                    "nodes.conf",
                    "--dir",
                    str(node_dir),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--logfile",
                    str(node_dir / "redis.log"),
                ],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        )
    cluster = LocalCluster(ports, processes)
    try:
        for index in range(nodes):
            _wait(lambda i=index: cluster.node(i).ping(), "a cluster node did not start")
        for index in range(nodes):  # node i serves slots [i·S/n, (i+1)·S/n) (see slot_owner)
            low, high = index * SLOTS // nodes, (index + 1) * SLOTS // nodes - 1
            cluster.node(index).execute_command("CLUSTER", "ADDSLOTSRANGE", low, high)
        for port, bus in zip(ports[1:], buses[1:], strict=True):
            cluster.node(0).execute_command("CLUSTER", "MEET", "127.0.0.1", port, bus)
        _wait(
            lambda: all(
                b"cluster_state:ok" in cluster.node(i).execute_command("CLUSTER", "INFO")
                for i in range(nodes)
            ),
            "the cluster did not reach cluster_state:ok",
        )
        yield cluster
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)


def _wait(check, message: str, within_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within_s
    while True:
        with contextlib.suppress(redis.exceptions.ConnectionError):
            if check():
                return
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
