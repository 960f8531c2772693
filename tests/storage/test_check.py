"""``automat storage check [--fix]``: orphan files and rows whose file is gone, per tenant."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from automat.cad.conversion import SOURCE_MISSING
from automat.cli import app
from automat.core.db import BYPASS, SyncDatabase
from automat.core.storage import default_storage
from automat.storage.check import CONVERTED_MISSING, IMPORT_SOURCE_MISSING, TEMPLATE_MISSING
from tests.support.factories import MadeTenant

runner = CliRunner()
OLD = time.time() - 3 * 3600


def put(key: str, data: bytes = b"x", *, old: bool = True) -> str:
    path = default_storage().path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if old:
        os.utime(path, (OLD, OLD))
    return key


def storage_check(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["storage", "check", "--json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def insert(db: SyncDatabase, sql: str, **params: Any) -> uuid.UUID:
    with db.session(BYPASS) as session:
        return uuid.UUID(str(session.execute(text(sql), params).scalar_one()))


def row(db: SyncDatabase, sql: str, **params: Any) -> Any:
    with db.session(BYPASS) as session:
        return session.execute(text(sql), params).one()


def test_check_lists_per_tenant_and_fix_repairs_without_deleting_rows(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    t = tenant.id
    cad_a, cad_b, lost = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    a = f"tenants/{t}/cad/{cad_a}"
    put(f"{a}/source.step")
    put(f"{a}/viewer.glb")
    stale = put(f"{a}/old-viewer.glb", b"12345")  # in a row's folder, but the row does not name it
    insert(
        app_db,
        "INSERT INTO cad_files (id, tenant_id, original_name, sha256, size_bytes, storage_key, status, "
        "viewer_glb_key, production_glb_key) VALUES (:id, :t, 'a.step', :sha, 1, :s, 'ready', :v, :p) "
        "RETURNING id",
        id=cad_a, t=t, sha=uuid.uuid4().hex, s=f"{a}/source.step", v=f"{a}/viewer.glb",
        p=f"{a}/production.glb",
    )  # fmt: skip
    insert(
        app_db,
        "INSERT INTO cad_files (id, tenant_id, original_name, sha256, size_bytes, storage_key, status) "
        "VALUES (:id, :t, 'b.step', :sha, 1, :s, 'ready') RETURNING id",
        id=cad_b, t=t, sha=uuid.uuid4().hex, s=f"tenants/{t}/cad/{cad_b}/source.step",
    )  # fmt: skip
    orphan = put(f"tenants/{t}/cad/{lost}/production.glb", b"0123456789")  # its row is gone
    staging = put(f"tenants/{t}/orders/{uuid.uuid4()}/lines/{uuid.uuid4()}/staging/ab12cd34/still.png")
    unknown = put(f"tenants/{t}/notes.txt")
    young = put(f"tenants/{t}/cad/{uuid.uuid4()}/source.step", old=False)  # an upload in flight, perhaps
    pending = insert(
        app_db,
        "INSERT INTO product_imports (tenant_id, original_name, storage_key, status) "
        "VALUES (:t, 'list.xlsx', :k, 'pending') RETURNING id",
        t=t, k=f"tenants/{t}/imports/{uuid.uuid4()}/source.xlsx",
    )  # fmt: skip
    asset = insert(
        app_db,
        "INSERT INTO media_assets (tenant_id, kind, storage_key, file_name, content_type, file_size, "
        "checksum) "
        "VALUES (:t, 'still', :k, 'a.png', 'image/png', 1, 'x') RETURNING id",
        t=t, k=f"tenants/{t}/media/{uuid.uuid4()}/a.png",
    )  # fmt: skip
    template = insert(
        app_db,
        "INSERT INTO render_templates (tenant_id, name, original_name, storage_key, sha256, size_bytes, "
        "status) VALUES (:t, :n, 'studio.blend', :k, 'x', 1, 'ready') RETURNING id",
        t=t, n=f"studio-{uuid.uuid4().hex[:6]}", k=f"tenants/{t}/templates/{uuid.uuid4()}/template.blend",
    )  # fmt: skip
    theirs = put(f"tenants/{other_tenant.id}/cad/{uuid.uuid4()}/viewer.glb")

    code, report = storage_check("--tenant", str(t), "--min-age-minutes", "30")
    assert code == 1
    assert list(report["tenants"]) == [str(t)]  # only the tenant asked about
    found = report["tenants"][str(t)]
    assert sorted((f["kind"], f["key"]) for f in found["orphan_files"]) == sorted(
        [("cad", stale), ("cad", orphan), ("staging", staging), ("unknown", unknown)]
    )
    assert next(f for f in found["orphan_files"] if f["key"] == orphan)["reason"] == "no cad_files row"
    assert report["young_files_skipped"] == 1
    assert sorted((f["kind"], f["column"]) for f in found["missing_files"]) == [
        ("cad", "production_glb_key"), ("cad", "storage_key"), ("imports", "storage_key"),
        ("media", "storage_key"), ("templates", "storage_key"),
    ]  # fmt: skip

    code, fixed = storage_check("--tenant", str(t), "--min-age-minutes", "30", "--fix")
    assert code == 1  # found (and repaired)
    assert fixed["unrepaired"] == 0
    storage = default_storage()
    for key in (stale, orphan, staging, unknown):
        assert not storage.path(key).exists(), key
    assert not storage.path(f"tenants/{t}/cad/{lost}").exists()  # emptied folders are pruned
    for key in (young, theirs, f"{a}/source.step", f"{a}/viewer.glb"):
        assert storage.path(key).exists(), key

    status, error, production = row(
        app_db, "SELECT status, error, production_glb_key FROM cad_files WHERE id = :i", i=cad_a
    )
    assert (status, error, production) == ("failed", CONVERTED_MISSING, None)
    assert row(app_db, "SELECT status, error FROM cad_files WHERE id = :i", i=cad_b) == (
        "failed",
        SOURCE_MISSING,
    )
    assert row(app_db, "SELECT status, error FROM product_imports WHERE id = :i", i=pending) == (
        "failed", IMPORT_SOURCE_MISSING,
    )  # fmt: skip
    (details,) = row(app_db, "SELECT details FROM media_assets WHERE id = :i", i=asset)
    assert details["file_missing"]
    assert row(app_db, "SELECT status, error FROM render_templates WHERE id = :i", i=template) == (
        "invalid", TEMPLATE_MISSING,
    )  # fmt: skip

    code, again = storage_check("--tenant", str(t), "--min-age-minutes", "30")
    assert (code, again["clean"]) == (0, True)


def test_human_output_names_the_tenant_and_what_to_run(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    key = put(f"tenants/{tenant.id}/media/{uuid.uuid4()}/lost.png", b"png")
    result = runner.invoke(app, ["storage", "check", "--tenant", str(tenant.id), "--min-age-minutes", "0"])
    assert result.exit_code == 1
    assert f"tenant {tenant.id}:" in result.stdout
    assert key in result.stdout and "no media_assets row" in result.stdout
    assert "automat storage check --fix" in result.stdout
    fixed = runner.invoke(
        app, ["storage", "check", "--tenant", str(tenant.id), "--min-age-minutes", "0", "--fix"]
    )
    assert fixed.exit_code == 1 and "-> deleted" in fixed.stdout
    clean = runner.invoke(app, ["storage", "check", "--tenant", str(tenant.id), "--min-age-minutes", "0"])
    assert clean.exit_code == 0, clean.stdout
    assert "Storage is consistent" in clean.stdout
    assert not Path(default_storage().path(key)).exists()
