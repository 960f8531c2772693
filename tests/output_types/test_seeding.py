"""The demo seed gives each demo tenant the demo output types, once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.demo.seed import DEMO_OUTPUT_TYPES, DEMO_TENANTS, seed_demo
from tests.materials.test_seeding import OneTransaction


def test_demo_tenants_get_the_output_types_once(app_db: SyncDatabase, tmp_path: Path) -> None:
    slugs = [slug for slug, _ in DEMO_TENANTS]
    with app_db.engine.connect() as conn:
        outer = conn.begin()
        try:
            db = OneTransaction(conn)
            with db.session(BYPASS) as session:
                session.execute(text("DELETE FROM tenants WHERE slug = ANY(:s)"), {"s": slugs})
            report = seed_demo(db, tmp_path, password="demo-password-123")
            assert report.created_output_types == {slug: len(DEMO_OUTPUT_TYPES) for slug in slugs}
            with db.session(BYPASS) as session:
                rows = session.execute(
                    text(
                        "SELECT t.slug, o.name, o.kind, o.render_settings, o.price FROM output_types o "
                        "JOIN tenants t ON t.id = o.tenant_id WHERE t.slug = ANY(:s)"
                    ),
                    {"s": slugs},
                ).all()
            demo = {
                name: (kind, settings, price) for slug, name, kind, settings, price in rows if slug == "demo"
            }
            assert set(demo) == {name for name, *_ in DEMO_OUTPUT_TYPES}
            kind, settings, _ = demo["Turntable 36 frames"]
            assert (kind, settings["frames"], settings["fps"], settings["format"]) == (
                "turntable",
                36,
                24,
                "mp4",
            )
            kind, settings, _ = demo["Still 2048 iso"]
            assert (kind, settings["width"], settings["height"], settings["position"]) == (
                "still",
                2048,
                2048,
                "iso",
            )
            assert demo["Still 1024 front"][1]["position"] == "front"
            assert demo["Thumbnail"][1]["width"] == 256
            assert demo["Production GLB"][0] == "glb"
            assert demo["Blender scene"][1]["format"] == "blend"
            assert all(price > 0 for _, _, price in demo.values())
            # Seeding again adds nothing.
            assert seed_demo(db, tmp_path).created_output_types == {}
        finally:
            outer.rollback()
