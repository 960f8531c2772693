"""Delivered, failed and cancelled order lines for the billing tests (direct ORM inserts, app
role), each delivered line with a real published media file."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from automat.core.db import SyncDatabase
from automat.media.service import publish_file_sync
from automat.models.order import Order, OrderLine
from tests.media.conftest import write_png
from tests.support.factories import MadeTenant, make_product, unique


def make_order(db: SyncDatabase, tenant: MadeTenant, *, status: str = "completed") -> tuple[uuid.UUID, str]:
    with db.session(tenant.id) as session:
        order = Order(tenant_id=tenant.id, number=unique("ORD"), status=status, history=[])
        session.add(order)
        session.flush()
        return order.id, order.number


def make_finished_line(
    db: SyncDatabase,
    tenant: MadeTenant,
    *,
    order_id: uuid.UUID,
    output_type_id: uuid.UUID,
    finished_at: datetime,
    status: str = "completed",
    media: Path | None = None,
    product_name: str = "Deep groove ball bearing",
) -> uuid.UUID:
    """A line of ``order`` that ended at ``finished_at``; with ``media`` a published still of it."""
    product_id = make_product(db, tenant=tenant, name=product_name)
    with db.session(tenant.id) as session:
        line = OrderLine(
            tenant_id=tenant.id, order_id=order_id, product_id=product_id, output_type_id=output_type_id,
            render_status=status, job_document={}, finished_at=finished_at,
        )  # fmt: skip
        session.add(line)
        session.flush()
        line_id = line.id
    if media is not None:
        source = write_png(media / f"{line_id}.png")
        with db.session(tenant.id) as session:
            publish_file_sync(
                session, tenant_id=tenant.id, order_line_id=line_id, product_id=product_id, cad_file_id=None,
                source=source, kind="still", file_name=source.name,
            )  # fmt: skip
    return line_id
