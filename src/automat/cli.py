"""``automat``: run, migrate and seed an installation.

``automat up`` is the laptop path: embedded PostgreSQL and Redis under ``$AUTOMAT_HOME`` (unless
``AUTOMAT_DATABASE_URL`` / ``AUTOMAT_REDIS_URL`` are set), migrations, demo data on first run,
then the API, one Celery worker per queue and beat, until Ctrl-C.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
import urllib.request
from pathlib import Path
from typing import Annotated

import typer

from automat.config import get_settings
from automat.core.logging import configure_logging
from automat.core.supervisor import Death, Supervisor, python_argv

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=True)
log = logging.getLogger("automat")

# The worker's composition root (every task module loaded), for `celery -A`.
WORKER_APP = "automat.worker_app:celery_app"


def _settings_after_services() -> None:
    get_settings.cache_clear()


def _metrics_dir(home: Path, *, fresh: bool) -> None:
    """Where this host's processes keep their Prometheus metric files (``core/metrics.py``), in
    the environment the children inherit: ``<home>/metrics/<host>`` unless already set. ``fresh``
    (``automat up``, which starts every process of the host) empties it first."""
    from automat.core.metrics import MULTIPROC_ENV, prepare_multiprocess_dir

    path = Path(os.environ.get(MULTIPROC_ENV) or home / "metrics" / socket.gethostname())
    os.environ[MULTIPROC_ENV] = str(prepare_multiprocess_dir(path, fresh=fresh))


@app.command()
def up(
    seed: Annotated[bool, typer.Option(help="seed demo data when the database has none")] = True,
    step_concurrency: Annotated[int, typer.Option(help="processes of the step_processing worker")] = 2,
) -> None:
    """Start everything on this machine and stay in the foreground (Ctrl-C stops it all)."""
    from automat.core.embedded import ensure_services
    from automat.core.migrate import migrate as run_migrations
    from automat.core.supervisor import RestartPolicy

    settings = get_settings()
    configure_logging(settings.log_level)
    home = settings.resolved_home()
    os.environ["AUTOMAT_HOME"] = str(home)
    _metrics_dir(home, fresh=True)
    services = ensure_services(home)
    _settings_after_services()
    settings = get_settings()
    sup = Supervisor(
        policy=RestartPolicy(
            max_deaths=settings.supervisor_max_deaths, death_window_s=settings.supervisor_death_window_s
        ),
        on_death=_alert_on_death,
    )
    try:
        run_migrations(settings)
        if seed:
            _seed(home, print_all=False)
        celery = ["-m", "celery", "-A", WORKER_APP]
        if not settings.smtp_url:  # e-mail through a local SMTP server into <home>/mail
            _add_dev_mail_server(sup, home)
        sup.add(
            "api",
            python_argv(
                "-m",
                "uvicorn",
                "automat.app:create_app",
                "--factory",
                "--host",
                settings.host,
                "--port",
                str(settings.port),
                "--no-access-log",
                # The client address is the peer unless AUTOMAT_TRUSTED_PROXIES says otherwise
                # (core/deps.client_address); uvicorn must not rewrite it from X-Forwarded-For.
                "--no-proxy-headers",
            ),
        )
        sup.add(
            "worker step_processing",
            python_argv(
                *celery,
                "worker",
                "-Q",
                "step_processing",
                "-n",
                "step@%h",
                "--concurrency",
                str(step_concurrency),
                "--loglevel",
                "INFO",
            ),
        )
        sup.add(
            "worker thumbnail_rendering",
            python_argv(
                *celery,
                "worker",
                "-Q",
                "thumbnail_rendering",
                "-n",
                "render@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ),
        )
        sup.add(
            "beat",
            python_argv(
                *celery, "beat", "--schedule", str(home / "celerybeat-schedule"), "--loglevel", "INFO"
            ),
        )
        sup.start()
        url = f"http://{settings.host}:{settings.port}"
        if _wait_healthy(url):
            _print_welcome(url, home)
        code = sup.wait()
    finally:
        sup.stop()
        services.close()
    raise typer.Exit(code)


def _add_dev_mail_server(sup: Supervisor, home: Path) -> None:
    """The embedded default's mail server (``notifications/dev_smtp.py``) on a free local port;
    the children started after it send to it (their environment names it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ["AUTOMAT_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["AUTOMAT_DEV_MAILBOX"] = "1"
    sup.add(
        "mail",
        python_argv(
            "-m", "automat.notifications.dev_smtp", "--port", str(port), "--maildir", str(home / "mail")
        ),
    )


def _alert_on_death(death: Death) -> None:
    """An installation-wide alert (global admins see it in /api/alerts) for a child that died."""
    from automat.core.db import BYPASS, SyncDatabase
    from automat.notifications.service import alert_sync

    db = SyncDatabase(get_settings(), pool_size=1)
    try:
        with db.session(BYPASS) as session:
            alert_sync(
                session,
                tenant_id=None,
                action="process.crash_loop" if death.restart_in_s is None else "process.restarted",
                message=f"automat up: {death.message}.",
                detail={
                    "process": death.child, "how": death.how, "uptime_s": round(death.uptime_s, 1),
                    "deaths_in_window": death.deaths_in_window, "restart_in_s": death.restart_in_s,
                },
                target_type="process",
                target_id=death.child,
            )  # fmt: skip
    finally:
        db.dispose()


def _wait_healthy(url: str, timeout_s: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as resp:  # noqa: S310 (our own URL)
                if resp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(1.0)
    log.warning("Automat did not report healthy within %.0f s; see the logs above", timeout_s)
    return False


def _print_welcome(url: str, home: Path) -> None:
    creds_path = home / "demo-credentials.json"
    lines = ["", f"Automat is running at {url}  (API docs: {url}/docs, health: {url}/health)"]
    if creds_path.exists():
        lines.append(f"Demo logins (from {creds_path}):")
        for email, password in json.loads(creds_path.read_text()).items():
            lines.append(f"  {email:24s} {password}")
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), flush=True)


@app.command()
def migrate() -> None:
    """Create the database roles if needed and upgrade the schema (needs AUTOMAT_DATABASE_URL)."""
    from automat.core.migrate import migrate as run_migrations

    settings = get_settings()
    configure_logging(settings.log_level)
    run_migrations(settings)


def _seed(home: Path, *, print_all: bool) -> None:
    from automat.core.db import SyncDatabase
    from automat.demo.seed import seed_demo

    settings = get_settings()
    db = SyncDatabase(settings)
    try:
        report = seed_demo(db, home, password=settings.demo_password)
    finally:
        db.dispose()
    if report.created_users:
        print(f"Seeded demo data; passwords written to {report.credentials_path} (shown once):")
        for email, password in report.created_users.items():
            print(f"  {email:24s} {password}")
    elif print_all:
        print("Demo data exists already; nothing to do.")


@app.command()
def seed(
    demo: Annotated[
        bool, typer.Option("--demo", help="tenants demo and acme with one user per role")
    ] = False,
) -> None:
    """Seed data into a migrated database."""
    if not demo:
        raise typer.BadParameter("say what to seed: --demo")
    settings = get_settings()
    configure_logging(settings.log_level)
    _seed(settings.resolved_home(), print_all=True)


@app.command()
def api() -> None:
    """Run only the API server (for multi-host installs)."""
    import uvicorn

    settings = get_settings()
    _metrics_dir(settings.resolved_home(), fresh=False)
    # proxy_headers=False: see `up`; AUTOMAT_TRUSTED_PROXIES decides whom to believe.
    uvicorn.run(
        "automat.app:create_app", factory=True, host=settings.host, port=settings.port, proxy_headers=False
    )


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(
    ctx: typer.Context,
    queue: Annotated[
        str,
        typer.Option(
            help="step_processing or thumbnail_rendering, or a tenant's own copy of one "
            "(<tenant-slug>.thumbnail_rendering: tenant_config.dedicated_render_queue)"
        ),
    ] = "step_processing",
    concurrency: Annotated[int, typer.Option()] = 2,
    metrics_port: Annotated[
        int | None, typer.Option(help="serve this host's Prometheus metrics on this port (no API here)")
    ] = None,
) -> None:
    """Run one Celery worker for one queue (extra arguments go to celery)."""
    from automat.worker.queues import QUEUES, RENDER_QUEUE, base_queue

    serves = base_queue(queue)
    if serves is None:
        raise typer.BadParameter(f"queue must be one of {', '.join(QUEUES)}, or <tenant-slug>.<one of them>")
    _metrics_dir(get_settings().resolved_home(), fresh=False)
    if metrics_port is not None:
        os.environ["AUTOMAT_WORKER_METRICS_PORT"] = str(metrics_port)
    name = "render" if serves == RENDER_QUEUE else "step"
    if serves != queue:
        name = f"{name}-{queue.split('.', 1)[0]}"  # one node name per tenant queue on a host
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        WORKER_APP,
        "worker",
        "-Q",
        queue,
        "-n",
        f"{name}@%h",
        "--concurrency",
        str(concurrency),
        *ctx.args,
    ]
    os.execv(sys.executable, args)  # noqa: S606


@app.command()
def beat() -> None:
    """Run Celery beat (exactly one per installation)."""
    home = get_settings().resolved_home()
    _metrics_dir(home, fresh=False)
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        WORKER_APP,
        "beat",
        "--schedule",
        str(home / "celerybeat-schedule"),
    ]
    os.execv(sys.executable, args)  # noqa: S606


@app.command()
def check(
    role: Annotated[
        str | None,
        typer.Option(
            help="api, worker, render or beat: only what this role needs must pass (default: everything)"
        ),
    ] = None,
    require_gpu: Annotated[
        bool, typer.Option("--require-gpu", help="fail when Blender would render on the CPU (GPU hosts)")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """What this host reaches (database, migrations, broker, storage, Blender/GPU, CAD kernel), one
    line each; exit 1 naming what this host's role needs and lacks. Starts no server."""
    from automat.health.host import ROLES, run_checks

    if role is not None and role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}")
    configure_logging("ERROR")
    report = run_checks(role, require_gpu=require_gpu)
    if as_json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print("\n".join(report.lines()))
    if not report.ready:
        raise typer.Exit(1)


@app.command()
def convert(
    step: Annotated[Path, typer.Argument(help="the STEP file", exists=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="where to write the GLB")],
    kind: Annotated[str, typer.Option(help="production (fine) or viewer (light) GLB")] = "production",
    as_json: Annotated[bool, typer.Option("--json", help="print the metadata as JSON")] = False,
) -> None:
    """Convert STEP to GLB in the sandbox and print what was found (no servers needed)."""
    from automat.cad.local import ConversionFailed, convert_file

    configure_logging("WARNING")
    try:
        report = convert_file(step, output, kind=kind)
    except ConversionFailed as exc:
        # error_code / error_detail: as the API's CAD file has them (the converter's own words).
        error = {"code": exc.code, "message": exc.message}
        print(json.dumps({"error": error, "error_code": exc.code, "error_detail": exc.detail}, indent=2))
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(report, indent=2))
        return
    size = " x ".join(f"{v:g}" for v in report["bbox_mm"]["size"])
    print(f"{step.name}: {report['application_protocol']}, {report['units']['length']}, {size} mm")
    for part in report["parts"]:
        print(f"  {part['name']:32s} {part['material']}  ({part['material_reason']})")
    for warning in report["warnings"]:
        print(f"{warning['severity']}: {warning['message']} [{warning['code']}]")
    print(f"wrote {output} ({report['counts']['triangles']} triangles)")


@app.command()
def render(
    source: Annotated[Path, typer.Argument(help="a STEP or GLB file")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="png|jpg|webp (still), mp4|webm (turntable), glb, blend")
    ],
    size: Annotated[int, typer.Option(help="width and height in pixels")] = 512,
    samples: Annotated[int, typer.Option(help="Cycles samples")] = 32,
    position: Annotated[str, typer.Option(help="iso, front, side, top, three_quarter_low")] = "iso",
    template: Annotated[Path | None, typer.Option(help="a .blend render template (Mode A)")] = None,
    materials: Annotated[Path | None, typer.Option(help="aliases YAML/JSON instead of the defaults")] = None,
    frames: Annotated[int, typer.Option(help="turntable frames")] = 36,
    engine: Annotated[str, typer.Option(help="cycles or eevee")] = "cycles",
    device: Annotated[str, typer.Option(help="gpu (CPU fallback, logged), cpu or auto")] = "gpu",
) -> None:
    """Render a file with Blender (no servers needed); prints the result JSON."""
    from rich.progress import Progress as Bar

    from automat.cad.local_render import RenderFailed, render_file, result_json

    configure_logging("WARNING")
    home = get_settings().resolved_home()
    with Bar(transient=True) as bar:
        task = bar.add_task("rendering", total=1.0)

        def progress(event: dict[str, object]) -> None:
            fraction = event.get("fraction")
            bar.update(task, description=str(event.get("phase", "rendering")),
                       completed=float(fraction) if isinstance(fraction, int | float) else None)  # fmt: skip

        try:
            result = render_file(
                source, output, size=size, samples=samples, position=position, template=template,
                aliases_file=materials, frames=frames, engine=engine, device=device,
                library_dir=home / "library", on_progress=progress,
            )  # fmt: skip
        except RenderFailed as exc:
            print(json.dumps({"error": {"code": exc.code, "message": exc.message}}))
            raise typer.Exit(1) from None
    print(result_json(result))
    if result.status != "completed":
        raise typer.Exit(1)


storage_app = typer.Typer(no_args_is_help=True, help="Storage and database kept consistent.")
app.add_typer(storage_app, name="storage")


@storage_app.command("check")
def storage_check(
    fix: Annotated[
        bool,
        typer.Option("--fix", help="delete orphan files; mark rows whose file is gone (never delete one)"),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    tenant: Annotated[
        list[str] | None, typer.Option(help="only this tenant's files and rows (repeatable)")
    ] = None,
    min_age_minutes: Annotated[
        float, typer.Option(min=0, help="leave out files younger than this (uploads and renders in flight)")
    ] = 60.0,
) -> None:
    """Files with no row and rows with no file, per tenant. Exit 0: clean; 1: something was found
    (with --fix: and repaired); 2: something could not be repaired."""
    import uuid

    from automat.core.db import SyncDatabase
    from automat.core.storage import default_storage
    from automat.storage.check import check

    settings = get_settings()
    configure_logging("WARNING")
    try:
        scope = {uuid.UUID(t) for t in tenant} if tenant else None
    except ValueError:
        raise typer.BadParameter("--tenant takes a tenant id (a UUID)") from None
    server = None
    if not settings.database_url:  # the embedded server of `automat up`, attached to or started
        from automat.core.embedded import start_postgres

        server, os.environ["AUTOMAT_DATABASE_URL"] = start_postgres(settings.resolved_home() / "postgres")
        _settings_after_services()
        settings = get_settings()
    db = SyncDatabase(settings, pool_size=1)
    try:
        report = check(db, default_storage(), fix=fix, tenants=scope, min_age_s=min_age_minutes * 60)
    finally:
        db.dispose()
        if server is not None:
            server.cleanup()
    if as_json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        _print_storage_report(report, min_age_minutes)
    if report.clean:
        return
    raise typer.Exit(2 if fix and report.unrepaired else 1)


def _print_storage_report(report: object, min_age_minutes: float) -> None:
    from automat.storage.check import Report

    assert isinstance(report, Report)
    for tenant, findings in report.by_tenant().items():
        print(f"tenant {tenant}:")
        for f in findings:
            size = f" ({f.size_bytes:,} bytes)" if f.problem == "orphan_file" else ""
            action = f" -> {f.action}" if f.action else ""
            print(f"  {f.problem.replace('_', ' '):12s} {f.kind:9s} {f.key}{size}: {f.reason}{action}")
    young = ""
    if report.young_files:
        young = f"; {report.young_files} younger than {min_age_minutes:g} min left out"
    if report.clean:
        print(f"Storage is consistent: {report.checked_files:,} files checked{young}.")
    else:
        orphans = sum(1 for f in report.findings if f.problem == "orphan_file")
        missing = len(report.findings) - orphans
        print(f"{orphans} orphan file(s), {missing} row(s) with a missing file{young}.")
        if not report.fixed:
            print("Run `automat storage check --fix` to delete the orphans and mark the rows.")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
