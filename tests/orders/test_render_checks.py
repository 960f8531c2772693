"""Order lines end to end (real worker, real Blender) with a STEP file made in the test: unmatched
parts in their CAD colour for a tenant that opted in, and a still that would show nothing fails."""

from __future__ import annotations

import io
import json
import struct
import time
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.orders.conftest import AsRole, create_order, wait_order
from tests.support.factories import make_output_type, make_tenant
from tests.support.fixtures import Party
from tests.support.step_boxes import Box, boxes_step

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def product_for(client: TestClient, party: Party, step: bytes, pim_id: str) -> str:
    """Upload ``step``, wait until it is converted, and make a product of it."""
    cad = client.post("/api/cad-files", files={"file": (f"{pim_id}.step", step)}, headers=party.headers)
    assert cad.status_code == 201, cad.text
    deadline = time.monotonic() + 180
    while client.get(f"/api/cad-files/{cad.json()['id']}", headers=party.headers).json()["status"] != "ready":
        assert time.monotonic() < deadline, "the STEP file did not become ready"
        time.sleep(0.3)
    product = client.post(
        "/api/products",
        json={"pim_id": pim_id, "name": pim_id, "cad_file_id": cad.json()["id"]},
        headers=party.headers,
    )
    assert product.status_code == 201, product.text
    return str(product.json()["id"])


def download(client: TestClient, party: Party, line: dict[str, Any]) -> bytes:
    main = next(m for m in line["media"] if m["role"] == "main")
    response = client.get(main["download_url"], headers=party.headers)
    assert response.status_code == 200, response.text
    return response.content


def test_order_lines_render_and_export_unmatched_parts_in_their_cad_colours(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase
) -> None:
    tenant = make_tenant(app_db, unmatched_part_material="cad_colour")
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    step = boxes_step(
        [
            Box("Widget_Left", (20, 20, 20), (0, 0, 0), colour=(1.0, 0.0, 0.0)),
            Box("Widget_Right", (20, 20, 20), (24, 0, 0), colour=(0.0, 0.0, 1.0)),
        ]
    )
    product = product_for(client, pm, step, "TWO-COLOURS")
    types = [
        make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, name="Still 96", width=96, height=96),
        make_output_type(app_db, tenant=tenant, kind=OutputKind.GLB, name="GLB"),
    ]
    order = create_order(client, pm, product_ids=[product], output_type_ids=types)
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    done = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    lines = {line["kind"]: line for line in done["lines"]}
    assert {line["render_status"] for line in lines.values()} == {"completed"}

    still = lines["still"]
    render = next(s for s in still["job_document"]["steps"] if s["name"] == "render_still")
    assert render["outputs"]["materials"] == {"material": 0, "cad_colour": 2, "fallback": 0}
    pixels = np.asarray(Image.open(io.BytesIO(download(client, pm, still))).convert("RGBA")).astype(int)
    r, g, b, a = (pixels[..., i] for i in range(4))
    opaque = a >= 250
    assert (opaque & (r > 120) & (r > 2.5 * g) & (r > 2.5 * b)).sum() > 200  # red
    assert (opaque & (b > 120) & (b > 2.5 * r) & (b > 1.8 * g)).sum() > 200  # blue
    assert (opaque & (r > 200) & (g < 60) & (b > 200)).sum() == 0  # no magenta

    glb = download(client, pm, lines["glb"])
    length = struct.unpack_from("<I", glb, 12)[0]
    materials = {
        m["name"]: m["pbrMetallicRoughness"]["baseColorFactor"]
        for m in json.loads(glb[20 : 20 + length])["materials"]
    }
    assert set(materials) == {"CAD_COLOUR_FF0000", "CAD_COLOUR_0000FF"}
    assert np.allclose(materials["CAD_COLOUR_FF0000"], [1, 0, 0, 1], atol=0.002)


def test_an_order_line_that_would_show_nothing_fails_with_what_to_check(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase
) -> None:
    tenant = make_tenant(app_db)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    step = boxes_step([Box("Housing", (40, 30, 20)), Box("Stray_Pin", (2, 2, 2), (20_000, 0, 0))])
    product = product_for(client, pm, step, "STRAY-PIN")
    still = make_output_type(
        app_db, tenant=tenant, kind=OutputKind.STILL, name="Still 2k", width=2048, height=2048
    )
    order = create_order(client, pm, product_ids=[product], output_type_ids=[still])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    done = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")

    (line,) = done["lines"]
    assert line["render_status"] == "failed"
    assert line["media"] == []
    error = line["job_document"]["error"]
    assert "would show almost nothing" in error
    assert "Part 'Stray_Pin' lies 20.0 m away from the rest of the model" in error
    render = next(s for s in line["job_document"]["steps"] if s["name"] == "render_still")
    assert render["status"] == "failed"
    assert render["duration_s"] < 30  # refused before the 2048² render, not after it
