"""``automat check``: what this host reaches, before it joins an installation.

Each check looks at what the configuration points at and never starts anything (no embedded
PostgreSQL or Redis: a host of a multi-host installation must not assume it runs the servers):

- ``config``: the settings load (a ``*_FILE`` that cannot be read, a bad value);
- ``database``: connect as the application role over the configured URL (what the API and the
  workers use), run a query, the server's version;
- ``migrations``: the schema's Alembic revision against this code's head (read over the admin
  URL; the application role may not read ``alembic_version``);
- ``broker``: Redis PING and its version;
- ``storage``: the storage root exists, a probe file is created, read back and deleted, free space
  and the file system type (a local one is not shared with other hosts);
- ``blender``: bpy imports in a subprocess and reports the Cycles device a render job would get
  (``automat.blender.probe``, the render jobs' own choice: GPU name, or the CPU and why);
- ``cad``: cascadio (OpenCASCADE) imports.

A role says which checks must pass (``ROLES``); others are reported but do not fail the host.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "warn", "fail", "skip"]
CONNECT_TIMEOUT_S = 5
BLENDER_TIMEOUT_S = 120.0
# The checks each role needs. No role: every check is required.
ROLES: dict[str, tuple[str, ...]] = {
    "api": ("config", "database", "migrations", "broker", "storage"),
    "worker": ("config", "database", "migrations", "broker", "storage", "cad"),
    "render": ("config", "database", "migrations", "broker", "storage", "blender"),
    "beat": ("config", "broker"),
}
ALL_CHECKS = ("config", "database", "migrations", "broker", "storage", "blender", "cad")
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "ceph", "glusterfs", "fuse.glusterfs", "lustre", "gpfs",
              "fuse.sshfs", "fuse.s3fs", "fuse.juicefs", "fuse.cephfs", "9p", "virtiofs", "efs"}  # fmt: skip


@dataclass
class Check:
    name: str
    status: Status
    summary: str
    detail: dict[str, Any] = field(default_factory=dict)
    required: bool = False


@dataclass
class Report:
    role: str | None
    host: str
    checks: list[Check]

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.required and c.status == "fail"]

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "role": self.role,
            "ready": self.ready,
            "checks": [asdict(c) for c in self.checks],
            "problems": [f"{c.name}: {c.summary}" for c in self.problems],
        }

    def lines(self) -> list[str]:
        out = []
        for c in self.checks:
            note = "" if c.required or c.status in ("ok", "skip") else "  (not required for this role)"
            out.append(f"{c.status.upper():5s} {c.name:11s} {c.summary}{note}")
        role = self.role or "every role"
        if self.ready:
            out.append(f"Ready for {role} on {self.host}.")
        else:
            out.append(
                f"NOT ready for {role} on {self.host}: "
                + "; ".join(f"{c.name}: {c.summary}" for c in self.problems)
            )
        return out


def _redact(url: str) -> str:
    """A URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable URL>"


def _where(url: Any) -> str:
    """``host:port/database`` of a SQLAlchemy URL (a socket directory when there is no host)."""
    host = url.host or url.query.get("host") or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}/{url.database}"


def _error(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


# --- checks ---------------------------------------------------------------------------------------


def check_config() -> tuple[Check, Any]:
    from automat.config import SECRET_FIELDS, Settings

    try:
        settings = Settings()
    except Exception as exc:
        return Check("config", "fail", f"the settings do not load: {exc}"), None
    sources = {}
    for name in SECRET_FIELDS:
        var = f"AUTOMAT_{name.upper()}"
        if os.environ.get(var):
            sources[name] = "environment"
        elif os.environ.get(f"{var}_FILE"):
            sources[name] = f"file {os.environ[f'{var}_FILE']}"
    shared = [n for n in ("secret_key", "app_db_password") if n not in sources]
    detail = {"home": str(settings.home), "env": settings.env, "secrets": sources}
    if shared and (settings.database_url or settings.app_database_url):
        stored = _stored_secrets(settings)
        missing = [n for n in shared if n not in stored]
        if missing:
            names = ", ".join(f"AUTOMAT_{n.upper()}" for n in missing)
            detail["missing_secrets"] = missing
            return Check(
                "config", "warn",
                f"{names} not set: this host would generate its own into $AUTOMAT_HOME/secrets.json, "
                "which the other hosts do not share",
                detail,
            ), settings  # fmt: skip
    return Check("config", "ok", f"settings loaded (AUTOMAT_ENV={settings.env})", detail), settings


def _stored_secrets(settings: Any) -> dict[str, Any]:
    path = Path(settings.home).expanduser() / "secrets.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def check_database(settings: Any) -> Check:
    from sqlalchemy import create_engine, text

    from automat.core.urls import app_url

    if not settings.database_url and not settings.app_database_url:
        return Check(
            "database", "fail",
            "AUTOMAT_DATABASE_URL (or AUTOMAT_APP_DATABASE_URL) is not set; `automat check` starts no "
            "embedded PostgreSQL",
        )  # fmt: skip
    if (
        not settings.app_database_url
        and not settings.app_db_password
        and not _stored_secrets(settings).get("app_db_password")
    ):
        return Check(
            "database", "fail",
            "AUTOMAT_APP_DB_PASSWORD is not set and $AUTOMAT_HOME/secrets.json has none: the application "
            "role's password is unknown on this host",
        )  # fmt: skip
    url = app_url(settings, driver="psycopg")
    detail: dict[str, Any] = {"url": url.render_as_string(hide_password=True)}
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, poolclass=_null_pool())
    try:
        started = time.perf_counter()
        with engine.connect() as conn:
            version, user, ssl = conn.execute(
                text("SELECT current_setting('server_version'), current_user, "
                     "coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)")
            ).one()  # fmt: skip
        detail.update(
            server_version=version,
            user=user,
            ssl=bool(ssl),
            ms=round(1000 * (time.perf_counter() - started), 1),
        )
    except Exception as exc:
        detail["error"] = _error(exc)
        return Check(
            "database", "fail", f"cannot connect to {_where(url)} as {url.username}: {_error(exc)}", detail
        )
    finally:
        engine.dispose()
    tls = ", TLS" if ssl else ""
    return Check("database", "ok", f"PostgreSQL {version} at {_where(url)} as {user}{tls}", detail)


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def check_migrations(settings: Any, database: Check) -> Check:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text

    from automat.config import OWNER_DB_ROLE
    from automat.core.migrate import alembic_config
    from automat.core.urls import admin_url

    heads = sorted(ScriptDirectory.from_config(alembic_config()).get_heads())
    detail: dict[str, Any] = {"heads": heads}
    if database.status == "fail":
        return Check("migrations", "skip", "not checked: no database connection", detail)
    if not settings.database_url:
        return Check(
            "migrations", "warn",
            "not checked: the application role may not read alembic_version (set AUTOMAT_DATABASE_URL, "
            "the admin connection, to check)",
            detail,
        )  # fmt: skip
    engine = create_engine(
        admin_url(settings), connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, poolclass=_null_pool()
    )
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar()
            current: list[str] = []
            if exists:
                owner = conn.execute(
                    text("SELECT pg_has_role(current_user, :owner, 'MEMBER') "
                         "FROM pg_roles WHERE rolname = :owner"), {"owner": OWNER_DB_ROLE}
                ).scalar()  # fmt: skip
                if owner:
                    conn.execute(text(f"SET ROLE {OWNER_DB_ROLE}"))
                current = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception as exc:
        detail["error"] = _error(exc)
        return Check("migrations", "fail", f"cannot read the schema revision: {_error(exc)}", detail)
    finally:
        engine.dispose()
    detail["current"] = current
    if current == heads:
        return Check("migrations", "ok", f"at head ({', '.join(heads)})", detail)
    at = ", ".join(current) if current else "none (not migrated)"
    return Check(
        "migrations",
        "fail",
        f"schema at {at}, this code's head is {', '.join(heads)}: run `automat migrate`",
        detail,
    )


def check_broker(settings: Any) -> Check:
    import redis

    if not settings.redis_url:
        return Check(
            "broker", "fail", "AUTOMAT_REDIS_URL is not set; `automat check` starts no embedded Redis"
        )
    detail: dict[str, Any] = {"url": _redact(settings.redis_url)}
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=CONNECT_TIMEOUT_S
    )
    try:
        started = time.perf_counter()
        client.ping()
        ping_ms = round(1000 * (time.perf_counter() - started), 2)
        info = client.info("server")
    except Exception as exc:
        detail["error"] = _error(exc)
        return Check(
            "broker", "fail", f"Redis at {_redact(settings.redis_url)} does not answer: {_error(exc)}", detail
        )
    finally:
        client.close()
    version = str(info.get("redis_version", "?"))
    tls = ", TLS" if settings.redis_url.startswith("rediss://") else ""
    detail.update(server_version=version, ping_ms=ping_ms)
    return Check(
        "broker", "ok", f"Redis {version} at {_redact(settings.redis_url)}{tls}, PING {ping_ms} ms", detail
    )


def _filesystem(path: Path) -> str:
    """The type of the file system ``path`` is on (the longest mount point above it)."""
    best, kind = "", "?"
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return kind
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def check_storage(settings: Any) -> Check:
    root = Path(settings.home).expanduser() / "storage"
    detail: dict[str, Any] = {"root": str(root)}
    if not root.is_dir():
        return Check(
            "storage",
            "fail",
            f"the storage root {root} does not exist (mount the shared storage there)",
            detail,
        )
    probe = root / f".automat-check-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    payload = uuid.uuid4().bytes * 64
    try:
        with probe.open("xb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if probe.read_bytes() != payload:
            return Check(
                "storage", "fail", f"{root}: a probe file read back differs from what was written", detail
            )
        probe.unlink()
    except OSError as exc:
        detail["error"] = f"{type(exc).__name__}: {exc.strerror or exc}"
        return Check("storage", "fail", f"{root} is not writable: {exc.strerror or exc}", detail)
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
    usage = shutil.disk_usage(root)
    kind = _filesystem(root)
    shared = kind in NETWORK_FS or kind.startswith("fuse")
    detail.update(free_bytes=usage.free, total_bytes=usage.total, filesystem=kind, network_filesystem=shared)
    where = kind if shared else f"{kind}, local: other hosts must see the same files"
    return Check("storage", "ok", f"{root} writable, {usage.free / 2**30:.1f} GiB free ({where})", detail)


def check_blender(*, require_gpu: bool = False) -> Check:
    from automat.blender.probe import MARKER

    binary = os.environ.get("AUTOMAT_BLENDER_BINARY")
    if binary:
        script = Path(__file__).resolve().parents[1] / "blender" / "probe.py"
        argv = [binary, "-b", "--factory-startup", "--python-exit-code", "1", "--python", str(script)]
    else:
        argv = [sys.executable, "-m", "automat.blender.probe"]
    detail: dict[str, Any] = {"argv": argv}
    try:
        # argv: this interpreter or the configured Blender, with our own probe module.
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=BLENDER_TIMEOUT_S, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("blender", "fail", f"Blender did not run: {_error(exc)}", detail)
    found = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
    if proc.returncode != 0 or not found:
        last = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or ["no output"])[-1]
        return Check(
            "blender", "fail", f"bpy does not import or probe (exit {proc.returncode}): {last}", detail
        )
    result = json.loads(found[-1].removeprefix(MARKER))
    info = result["gpu_info"]
    detail.update(blender=result["blender"], device=result["device"], gpu_info=info)
    if info.get("fallback"):
        summary = (
            f"Blender {result['blender']}, Cycles on {result['device']}: CPU fallback, {info.get('reason')}"
        )
        return Check("blender", "fail" if require_gpu else "warn", summary, detail)
    return Check("blender", "ok", f"Blender {result['blender']}, Cycles on {result['device']}", detail)


def check_cad() -> Check:
    from importlib import metadata

    try:
        import cascadio

        version = metadata.version("cascadio")
    except Exception as exc:
        return Check("cad", "fail", f"cascadio (OpenCASCADE) does not import: {_error(exc)}")
    if not hasattr(cascadio, "step_to_glb"):
        return Check("cad", "fail", f"cascadio {version} has no step_to_glb", {"version": version})
    return Check("cad", "ok", f"cascadio {version} (OpenCASCADE) importable", {"version": version})


def run_checks(role: str | None, *, require_gpu: bool = False) -> Report:
    required = set(ROLES[role]) if role else set(ALL_CHECKS)
    if require_gpu:
        required.add("blender")
    config, settings = check_config()
    checks = [config]
    if settings is None:
        checks += [Check(name, "skip", "not checked: the settings do not load") for name in ALL_CHECKS[1:5]]
    else:
        database = check_database(settings)
        checks += [
            database,
            check_migrations(settings, database),
            check_broker(settings),
            check_storage(settings),
        ]
    # Blender and the CAD kernel take seconds to import: only where the role needs them.
    checks.append(
        check_blender(require_gpu=require_gpu)
        if "blender" in required
        else Check("blender", "skip", f"not needed for {role}")
    )
    checks.append(check_cad() if "cad" in required else Check("cad", "skip", f"not needed for {role}"))
    for c in checks:
        c.required = c.name in required
    return Report(role=role, host=socket.gethostname(), checks=checks)
