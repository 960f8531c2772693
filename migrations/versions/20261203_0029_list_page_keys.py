"""Indexes in the lists' keyset order (issue 14, one page shape).

Every list pages by a unique key (``kit.pagination``): the next page is the rows after the last
one's key, one range of an index in that order. The orders, CAD files, product imports and the
audit log (notifications, activity, alerts, the audit list) are newest first by
``(created_at, id)``; their indexes ended at ``created_at``, so the id's tie-break was a sort of
every row of the same instant and a cursor's ``(created_at, id) < (...)`` an index range on
``created_at`` only. These replace them with indexes that end with ``id``. Products keep theirs:
``uq_products_tenant_pim_id`` and ``ix_products_tenant_pim_key`` are already unique per tenant
or end in a unique order with ``id``.

Revision ID: 0029_list_page_keys
Revises: 0027_catalog
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029_list_page_keys"
down_revision: str | None = "0027_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, old index, old columns, new index, new columns)
_INDEXES = [
    ("orders", None, None, "ix_orders_tenant_created_id", ["tenant_id", "created_at", "id"]),
    (
        "orders",
        "ix_orders_tenant_status_created",
        ["tenant_id", "status", "created_at"],
        "ix_orders_tenant_status_created_id",
        ["tenant_id", "status", "created_at", "id"],
    ),
    (
        "cad_files",
        "ix_cad_files_tenant_created",
        ["tenant_id", "created_at"],
        "ix_cad_files_tenant_created_id",
        ["tenant_id", "created_at", "id"],
    ),
    (
        "product_imports",
        "ix_product_imports_tenant_created",
        ["tenant_id", "created_at"],
        "ix_product_imports_tenant_created_id",
        ["tenant_id", "created_at", "id"],
    ),
    (
        "audit_log",
        "ix_audit_log_tenant_created",
        ["tenant_id", "created_at"],
        "ix_audit_log_tenant_created_id",
        ["tenant_id", "created_at", "id"],
    ),
    (
        "audit_log",
        "ix_audit_log_tenant_channel_created",
        ["tenant_id", "channel", "created_at"],
        "ix_audit_log_tenant_channel_created_id",
        ["tenant_id", "channel", "created_at", "id"],
    ),
]


def upgrade() -> None:
    for table, old, _old_columns, new, columns in _INDEXES:
        op.create_index(new, table, columns)
        if old is not None:
            op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, old_columns, new, _columns in reversed(_INDEXES):
        if old is not None and old_columns is not None:
            op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
