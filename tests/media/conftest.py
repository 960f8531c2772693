"""Orders, lines and real media files for the media tests (direct ORM inserts, app role)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from automat.core.db import SyncDatabase
from automat.media.service import publish_file_sync
from automat.models.media import MediaAsset
from automat.models.order import Order, OrderLine
from automat.models.output import OutputKind
from tests.support.factories import MadeTenant, make_output_type, make_product, unique


@dataclass(frozen=True)
class MadeLine:
    order_id: uuid.UUID
    line_id: uuid.UUID
    product_id: uuid.UUID


def make_line(
    db: SyncDatabase, *, tenant: MadeTenant, created_by: uuid.UUID | None, kind: OutputKind = OutputKind.STILL
) -> MadeLine:
    """A submitted order of ``created_by`` with one line (a new product and a new output type)."""
    product_id = make_product(db, tenant=tenant)
    output_type_id = make_output_type(db, tenant=tenant, kind=kind)
    with db.session(tenant.id) as session:
        order = Order(
            tenant_id=tenant.id, number=unique("ORD"), status="processing", created_by=created_by, history=[]
        )
        session.add(order)
        session.flush()
        line = OrderLine(
            tenant_id=tenant.id, order_id=order.id, product_id=product_id, output_type_id=output_type_id,
            render_status="running", job_document={},
        )  # fmt: skip
        session.add(line)
        session.flush()
        return MadeLine(order_id=order.id, line_id=line.id, product_id=product_id)


def write_png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGBA", size, (200, 30, 30, 128)).save(path, format="PNG")
    return path


def write_mp4(path: Path, *, frames: int = 6, fps: int = 12, size: tuple[int, int] = (32, 24)) -> Path:
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(frames):
            rgb = np.full((size[1], size[0], 3), index * 30, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = index, stream.time_base
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def publish(
    db: SyncDatabase, tenant: MadeTenant, line: MadeLine | None, source: Path, **kw: Any
) -> MediaAsset:
    """Publish ``source`` for ``line`` in a transaction of its own (as a worker would)."""
    args: dict[str, Any] = {"kind": "still", "file_name": source.name, **kw}
    with db.session(tenant.id) as session:
        return publish_file_sync(
            session, tenant_id=tenant.id, order_line_id=line.line_id if line else None,
            product_id=line.product_id if line else None, cad_file_id=None, source=source, **args,
        )  # fmt: skip
