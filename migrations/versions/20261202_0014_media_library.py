"""The media library: what the browser filters, sorts and searches by, on the asset row.

``media_assets`` gets copies of its order line's render status, its order (id, number, who
ordered it) and its product (name, PIM id, category, lagertyp), so every filter and every sort is
a condition on one table with a btree beside it, and the media of a 200,000-product catalogue
never need a join to be listed, counted or faceted. Derived on the row (generated columns):

- ``pim_key``: the PIM id as products have it (``automat_pim_key``, collation "C"), so a prefix
  ("811", "81113-TV", "81113 tv") is a range of ``(tenant_id, pim_key)``;
- ``search_words``: the words of PIM id and product name (``automat_search_terms``, the same
  full-text parsing products' search uses), space-separated with a space before and after: a
  walk in date order checks "a word starts with t" with ``strpos(search_words, ' ' || t)``;
- ``name_key``: the sort key of "name": the product name (else the file name) lower case, cut to
  200 characters (what a cursor carries), collation "C".

The copies are kept by triggers, so no code path can forget one: an asset's are filled when it is
inserted (and when its line or product is changed); a line's new render status, a product's new
name, PIM id, category or lagertyp and an order's number are written to its assets as they change
(a row trigger each, fired only when one of those columns really changed).

Revision ID: 0014_media_library
Revises: 0013_search_speed
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_media_library"
down_revision: str | None = "0013_search_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"

COLUMNS = (
    ("order_id", "uuid"),
    ("order_number", "varchar(32)"),
    ("ordered_by", "uuid"),
    ("render_status", "varchar(20)"),
    ("product_name", "varchar(500)"),
    ("pim_id", "varchar(100)"),
    ("category_key", "varchar(100)"),
    ("lagertyp", "varchar(100)"),
)

SEARCH_WORDS = """
CREATE FUNCTION automat_search_words(pim_id text, name text) RETURNS text LANGUAGE sql IMMUTABLE
PARALLEL SAFE RETURN
    ' ' || array_to_string(automat_search_terms(coalesce(pim_id, '') || ' ' || coalesce(name, '')), ' ')
    || ' '
"""

# Before insert, and when an asset is moved to another line or product (a deleted line or product
# sets the id NULL: its copies go with it).
FILL = """
CREATE FUNCTION automat_media_assets_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.order_id := NULL; NEW.order_number := NULL; NEW.ordered_by := NULL; NEW.render_status := NULL;
    IF NEW.order_line_id IS NOT NULL THEN
        SELECT l.order_id, o.number, o.created_by, l.render_status
        INTO NEW.order_id, NEW.order_number, NEW.ordered_by, NEW.render_status
        FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.id = NEW.order_line_id;
    END IF;
    NEW.product_name := NULL; NEW.pim_id := NULL; NEW.category_key := NULL; NEW.lagertyp := NULL;
    IF NEW.product_id IS NOT NULL THEN
        SELECT p.name, p.pim_id, p.category_key, p.lagertyp
        INTO NEW.product_name, NEW.pim_id, NEW.category_key, NEW.lagertyp
        FROM products p WHERE p.id = NEW.product_id;
    END IF;
    RETURN NEW;
END
$$
"""
LINE_CHANGED = """
CREATE FUNCTION automat_media_line_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE media_assets SET render_status = NEW.render_status
    WHERE order_line_id = NEW.id AND render_status IS DISTINCT FROM NEW.render_status;
    RETURN NULL;
END
$$
"""
PRODUCT_CHANGED = """
CREATE FUNCTION automat_media_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE media_assets SET product_name = NEW.name, pim_id = NEW.pim_id,
        category_key = NEW.category_key, lagertyp = NEW.lagertyp
    WHERE product_id = NEW.id;
    RETURN NULL;
END
$$
"""
ORDER_CHANGED = """
CREATE FUNCTION automat_media_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE media_assets SET order_number = NEW.number, ordered_by = NEW.created_by WHERE order_id = NEW.id;
    RETURN NULL;
END
$$
"""

# Each filter's index ends in the sort key (created_at, id), so a filtered page is a range read in
# order; "oldest" reads the same indexes backwards. Each carries the other filters' columns
# (INCLUDE), so a count of a combination ("stills of category X that failed": 27,000 rows of the
# category read for 10,000 matches) is an index-only scan: the table (500 MB for a million assets,
# larger than shared_buffers) is read for the page's rows only. Without a tenant (global admins'
# "all"): by date. By product, the search's columns too: a broad search counts its matches
# product by product.
FILTERS = "tenant_id, kind, render_status, category_key, lagertyp, ordered_by"
INDEXES = {
    "ix_media_assets_tenant_created": f"(tenant_id, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_created": f"(created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_kind": f"(tenant_id, kind, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_status": f"(tenant_id, render_status, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_category": f"(tenant_id, category_key, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_lagertyp": f"(tenant_id, lagertyp, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_product_created": (
        f"(product_id, created_at, id) INCLUDE ({FILTERS}, order_id, pim_key, search_words)"
    ),
    "ix_media_assets_order_created": f"(order_id, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_ordered_by": f"(ordered_by, created_at, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_name": f"(tenant_id, name_key, id) INCLUDE ({FILTERS})",
    "ix_media_assets_tenant_pim_key": "(tenant_id, pim_key)",
}


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.execute(f"ALTER TABLE media_assets ADD COLUMN {name} {kind}")
    op.execute(SEARCH_WORDS)
    op.execute(
        'ALTER TABLE media_assets ADD COLUMN pim_key text COLLATE "C" '
        "GENERATED ALWAYS AS (automat_pim_key(pim_id)) STORED"
    )
    op.execute(
        "ALTER TABLE media_assets ADD COLUMN search_words text "
        "GENERATED ALWAYS AS (automat_search_words(pim_id, product_name)) STORED"
    )
    op.execute(
        'ALTER TABLE media_assets ADD COLUMN name_key text COLLATE "C" '
        "GENERATED ALWAYS AS (left(lower(coalesce(product_name, file_name)), 200)) STORED"
    )
    op.execute(FILL)
    op.execute(LINE_CHANGED)
    op.execute(PRODUCT_CHANGED)
    op.execute(ORDER_CHANGED)
    op.execute(
        "CREATE TRIGGER media_assets_fill BEFORE INSERT OR UPDATE OF order_line_id, product_id "
        "ON media_assets FOR EACH ROW EXECUTE FUNCTION automat_media_assets_fill()"
    )
    op.execute(
        "CREATE TRIGGER order_lines_media AFTER UPDATE OF render_status ON order_lines FOR EACH ROW "
        "WHEN (OLD.render_status IS DISTINCT FROM NEW.render_status) "
        "EXECUTE FUNCTION automat_media_line_changed()"
    )
    op.execute(
        "CREATE TRIGGER products_media AFTER UPDATE OF name, pim_id, category_key, lagertyp ON products "
        "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.pim_id IS DISTINCT FROM NEW.pim_id "
        "OR OLD.category_key IS DISTINCT FROM NEW.category_key "
        "OR OLD.lagertyp IS DISTINCT FROM NEW.lagertyp) "
        "EXECUTE FUNCTION automat_media_product_changed()"
    )
    op.execute(
        "CREATE TRIGGER orders_media AFTER UPDATE OF number, created_by ON orders FOR EACH ROW "
        "WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.created_by IS DISTINCT FROM NEW.created_by) "
        "EXECUTE FUNCTION automat_media_order_changed()"
    )
    op.execute(BYPASS)
    # The assets there are: their copies, in one statement (the fill trigger, fired by the update
    # of the two ids, reads the line, order and product of each).
    op.execute("UPDATE media_assets SET order_line_id = order_line_id, product_id = product_id")
    op.drop_index("ix_media_assets_product", table_name="media_assets")
    op.drop_index("ix_media_assets_tenant_created", table_name="media_assets")
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON media_assets {columns}")
    op.execute("ANALYZE media_assets")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.create_index("ix_media_assets_product", "media_assets", ["product_id"])
    op.create_index("ix_media_assets_tenant_created", "media_assets", ["tenant_id", "created_at", "id"])
    op.execute("DROP TRIGGER orders_media ON orders")
    op.execute("DROP TRIGGER products_media ON products")
    op.execute("DROP TRIGGER order_lines_media ON order_lines")
    op.execute("DROP TRIGGER media_assets_fill ON media_assets")
    for function in ("order_changed", "product_changed", "line_changed", "assets_fill"):
        op.execute(f"DROP FUNCTION automat_media_{function}()")
    for name in ("name_key", "search_words", "pim_key", *(c for c, _ in reversed(COLUMNS))):
        op.execute(f"ALTER TABLE media_assets DROP COLUMN {name}")
    op.execute("DROP FUNCTION automat_search_words(text, text)")
