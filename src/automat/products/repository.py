"""Queries for products and product imports (async for the API, sync for the import task)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    any_,
    case,
    delete,
    except_,
    func,
    intersect,
    literal,
    not_,
    select,
    text,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, aliased

from automat.kit.pagination import KeyPart, after_key
from automat.kit.repository import remove, save
from automat.models.audit import AuditLog
from automat.models.cad import CadFile
from automat.models.order import OrderLine
from automat.models.product import Product, ProductImport, ProductImportRow, ProductTerm

IMPORT_ROWS_CHUNK = 20_000


class DuplicatePimId(Exception):
    pass


# Above every character a PIM key or a term can hold: ``k <= column < k || TOP`` is "starts with k"
# in collation "C" (code point order), a range of a btree.
_TOP = "\U0010ffff"


def _starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < prefix + _TOP)


@dataclass(frozen=True)
class Search:
    """What a search text means: its PIM key (``automat_pim_key``: "P-1003", "p1003", "P 1003" ->
    "p1003") and its words (``automat_search_terms``), both worked out by PostgreSQL with the
    functions the stored side is made with."""

    key: str
    terms: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.key and not self.terms

    def pim_match(self) -> ColumnElement[bool]:
        """The PIM key starts with the search's key (the exact match sorts first)."""
        return _starts_with(Product.pim_key, self.key)

    def word_ids(self, term: str, tenant_id: uuid.UUID | None) -> Select[Any]:
        """The ids of the products a word of whose PIM id or name starts with ``term`` (a range of
        ``product_terms``; a product may come more than once)."""
        ids = select(ProductTerm.product_id).where(_starts_with(ProductTerm.term, term))
        return ids if tenant_id is None else ids.where(ProductTerm.tenant_id == tenant_id)

    def word_matches(self, tenant_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
        """Every word of the search is the start of a word of the PIM id or the name."""
        return [Product.id.in_(self.word_ids(term, tenant_id)) for term in self.terms]

    def pim_ids(self, tenant_id: uuid.UUID | None) -> Select[Any]:
        """The ids of the products whose PIM id starts with the search's (a range of
        ``(tenant_id, pim_key)``)."""
        return _scoped(select(Product.id), tenant_id).where(self.pim_match())

    def matching_ids(self, tenant_id: uuid.UUID | None) -> Any:
        """The ids of the products the search finds, each once: the PIM id starts with its key, or
        every word of it starts a word of the PIM id or the name (other domains' searches by product,
        the media library's)."""
        parts: list[Any] = [self.pim_ids(tenant_id)] if self.key else []
        if self.terms:
            words = [self.word_ids(term, tenant_id) for term in self.terms]
            parts.append(words[0] if len(words) == 1 else intersect(*words))
        return union(*parts) if len(parts) > 1 else parts[0].distinct() if parts else None


# The search's settings for the rest of the request's transaction (set with its first statement; the
# media library's queries take them too):
# - no parallel workers: a dense word match walked in PIM-key order was planned as a Gather Merge
#   over two workers, which on a busy two-core host took 30-80 ms where one process took 11-15 ms;
# - a plan per execution: asyncpg prepares each statement, and after five runs PostgreSQL may keep
#   a generic plan, made without the words' ranges and ids: the walk of two common words took
#   0.6 s with it, 24 ms planned for its values (planning costs well under a millisecond).
SEARCH_SETTINGS = (
    func.set_config("max_parallel_workers_per_gather", "0", True),
    func.set_config("plan_cache_mode", "force_custom_plan", True),
    func.set_config("random_page_cost", "1.1", True),
)


async def parse_search(session: AsyncSession, q: str) -> Search:
    row = (
        await session.execute(
            select(
                func.automat_pim_key(literal(q, Text)),
                func.automat_search_terms(literal(q, Text)),
                *SEARCH_SETTINGS,
            )
        )
    ).one()
    return Search(key=row[0] or "", terms=tuple(row[1] or ()))


def _scoped(stmt: Select[Any], tenant_id: uuid.UUID | None) -> Select[Any]:
    return stmt if tenant_id is None else stmt.where(Product.tenant_id == tenant_id)


# A product's place in the list (its cursor's key): the part (0: the PIM-id matches, or every
# product without a search; 1: the word matches), the part's sort text (``pim_key`` with a search,
# ``pim_id`` without) and the id.
ProductKey = tuple[int, str, uuid.UUID]
PRODUCT_KEY_TYPES = (int, str, uuid.UUID)


@dataclass(frozen=True)
class ProductMatches:
    """Up to ``limit`` products after the cursor's key with the key of each, and how many match;
    ``exact`` is false when ``total`` is an estimate (a broad word match, counted on a sample)."""

    rows: list[tuple[ProductKey, Product]]
    total: int
    exact: bool = True

    @property
    def items(self) -> list[Product]:
        return [product for _, product in self.rows]


# Up to this many word matches, their ids are collected first and their products fetched by id;
# beyond it they are dense enough (over 2% of 200,000) that walking the products in order and
# checking each against the words finds a page after a few thousand rows.
WORD_IDS_FIRST = 5_000

# Beyond WORD_IDS_FIRST, the word matches are counted on a sample rather than exactly: the products
# whose id is below 2**(128 - SAMPLE_BITS), 1 in 16 (ids are random: gen_random_uuid), times 16.
# An exact count of two common words intersects both whole ranges of terms (25,000 and 66,000 rows:
# 60-90 ms); the sample reads a sixteenth of each. 0 counts every product (the estimate is exact).
SAMPLE_BITS = 4
# The sample is a range of the primary key per term (``term = t AND product_id < bound``), so each
# word's terms are looked up first (one index probe each); a word that is the start of more terms
# than this ("1") is counted exactly.
SAMPLE_MOST_TERMS = 32

_WORD_TERMS = text(
    """
    WITH RECURSIVE found(word, hi, term, n) AS (
        SELECT w.word, w.hi, (SELECT min(t.term) FROM product_terms t
                              WHERE t.tenant_id = :tenant_id AND t.term >= w.lo AND t.term < w.hi), 1
        FROM unnest(CAST(:lo AS text[]), CAST(:hi AS text[])) WITH ORDINALITY AS w(lo, hi, word)
        UNION ALL
        SELECT f.word, f.hi, (SELECT min(t.term) FROM product_terms t
                              WHERE t.tenant_id = :tenant_id AND t.term > f.term AND t.term < f.hi), f.n + 1
        FROM found f WHERE f.term IS NOT NULL AND f.n <= :most
    )
    SELECT word, array_remove(array_agg(term), NULL) FROM found GROUP BY word
    """
)


def about(estimate: int) -> int:
    """An estimate to two significant digits (8,224 -> 8,200)."""
    step = int(10 ** max(0, len(str(estimate)) - 2))
    return round(estimate / step) * step


class _WordPart:
    """The products every word of the search starts a word of (less the PIM-id matches, which the
    page lists first; only those of ``base``): their ids as an INTERSECT of ``product_terms``
    ranges, exactly or on the sample, and the products themselves."""

    def __init__(
        self, search: Search, base: Select[Any], tenant_id: uuid.UUID | None, *, after_pim: bool, by_cad: bool
    ) -> None:
        self.search, self.base, self.tenant_id = search, base, tenant_id
        self.after_pim, self.by_cad = after_pim, by_cad

    def _ids(self, conditions: Sequence[ColumnElement[bool]], bound: uuid.UUID | None = None) -> Any:
        parts = []
        for condition in conditions:
            part = select(ProductTerm.product_id.label("id")).where(condition)
            if self.tenant_id is not None:
                part = part.where(ProductTerm.tenant_id == self.tenant_id)
            if bound is not None:
                part = part.where(ProductTerm.product_id < bound)
            parts.append(part)
        ids: Any = parts[0].distinct() if len(parts) == 1 else intersect(*parts)  # a product once
        if self.after_pim:
            pim = _scoped(select(Product.id), self.tenant_id).where(self.search.pim_match())
            ids = except_(ids, pim if bound is None else pim.where(Product.id < bound))
        if self.by_cad:
            ids = intersect(ids, self.base.with_only_columns(Product.id))
        return ids

    def exact_ids(self) -> Any:
        return self._ids([_starts_with(ProductTerm.term, term) for term in self.search.terms])

    async def word_terms(self, session: AsyncSession) -> list[list[str]] | None:
        """The terms each word of the search starts (one index probe each), or None when the sample
        cannot be taken: no tenant, or a word that starts more than SAMPLE_MOST_TERMS terms."""
        if self.tenant_id is None:
            return None
        words = self.search.terms
        params = {"tenant_id": self.tenant_id, "lo": list(words), "hi": [w + _TOP for w in words]}
        rows = (await session.execute(_WORD_TERMS, {**params, "most": SAMPLE_MOST_TERMS})).all()
        found: dict[int, list[str] | None] = {int(word): terms for word, terms in rows}
        terms = [list(found.get(i + 1) or ()) for i in range(len(words))]
        return None if any(len(t) > SAMPLE_MOST_TERMS for t in terms) else terms

    async def estimate(self, session: AsyncSession, terms: list[list[str]]) -> int:
        """How many match: those among the sample, times its share (all of them with SAMPLE_BITS 0)."""
        bound = uuid.UUID(int=1 << (128 - SAMPLE_BITS)) if SAMPLE_BITS else None
        sample = self._ids([ProductTerm.term == any_(literal(t, ARRAY(Text))) for t in terms], bound)
        sampled = await session.scalar(select(func.count()).select_from(sample.subquery()))
        return int(sampled or 0) << SAMPLE_BITS

    def walk(self) -> Select[Any]:
        """The matches in PIM-key order, each product checked against the words' terms."""
        words = self.base.where(*self.search.word_matches(self.tenant_id))
        return words.where(not_(self.search.pim_match())) if self.after_pim else words


async def list_products(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    q: str | None,
    limit: int,
    after: ProductKey | None = None,
    cad_file_id: uuid.UUID | None = None,
    exact_total: bool = False,
) -> ProductMatches:
    """Up to ``limit`` products after the key ``after`` and how many match. Without ``q`` ordered
    by PIM id; with ``q``, PIM ids that start with it (however it is typed: the exact one first),
    then the products whose PIM-id or name words start with every word of ``q`` (unless ``q`` has
    several words and matched PIM ids), each part by normalised PIM id.

    Each step is a range of a btree (RLS lets only leakproof operators, such as text comparisons,
    become index conditions): the PIM ids are a range of ``(tenant_id, pim_id)`` or ``(tenant_id,
    pim_key)``, read in order from the cursor's key on (keyset, never OFFSET); the words are ranges
    of ``product_terms``. A part is only read when the page reaches it. The total is exact unless
    the word part is broad (over WORD_IDS_FIRST on the sample), ``exact_total`` is not asked for
    and the page is not the last: then it is the sample's estimate.
    """
    base = _scoped(select(Product), tenant_id)
    if cad_file_id is not None:
        base = base.where(Product.cad_file_id == cad_file_id)
    search = await parse_search(session, q) if q and q.strip() else None
    if search is None or search.empty:
        total = int(await session.scalar(select(func.count()).select_from(base.subquery())) or 0)
        if after is not None and after[0] != 0:
            return ProductMatches([], total)
        stmt = base
        if after is not None:
            stmt = stmt.where(after_key((Product.pim_id, Product.id), after[1:], descending=False))
        found = (await session.scalars(stmt.order_by(Product.pim_id, Product.id).limit(limit))).all()
        return ProductMatches([((0, p.pim_id, p.id), p) for p in found], total)

    rows: list[tuple[ProductKey, Product]] = []
    pim_total = 0
    if search.key:
        pim = base.where(search.pim_match())
        pim_total = int(await session.scalar(select(func.count()).select_from(pim.subquery())) or 0)
        if pim_total and (after is None or after[0] == 0):
            rows = await _page(session, pim, limit, after[1:] if after else None, part=0)
    if not search.terms or (pim_total and len(search.terms) > 1):
        # Typed with separators ("P-1003", "NU 0") and matching PIM ids, q is taken as a PIM id: its
        # pieces ("p", "0") are not searched as words, which would only add noise (and read most
        # of the terms). One word ("p1003", "1003") is also looked for in names.
        return ProductMatches(rows, pim_total)

    part = _WordPart(search, base, tenant_id, after_pim=pim_total > 0, by_cad=cad_file_id is not None)
    estimate = None
    if not exact_total and (terms := await part.word_terms(session)) is not None:
        if not all(terms):  # a word of q starts no word of any product
            return ProductMatches(rows, pim_total)
        estimate = await part.estimate(session, terms)
    remaining = limit - len(rows)
    word_after = after[1:] if after is not None and after[0] == 1 else None
    if estimate is not None and estimate > WORD_IDS_FIRST:
        # Broad: the page walks the products in order, and the total is the sample's, unless the
        # page is the last (then the matches are counted).
        words = await _page(session, part.walk(), remaining, word_after, part=1)
        if len(words) == max(0, remaining):  # a whole page, or none asked for: more may follow
            shown = estimate if SAMPLE_BITS == 0 else about(estimate)
            return ProductMatches(rows + words, pim_total + shown, exact=SAMPLE_BITS == 0)
        counted = select(func.count()).select_from(part.exact_ids().subquery())
        return ProductMatches(rows + words, pim_total + int(await session.scalar(counted) or 0))
    # One pass over the ranges: how many match, and their ids when there are few enough.
    matched = part.exact_ids().subquery()
    counted_ids = select(func.count(), case((func.count() <= WORD_IDS_FIRST, func.array_agg(matched.c.id))))
    word_total, found_ids = (await session.execute(counted_ids)).one()
    if not word_total:
        return ProductMatches(rows, pim_total)
    if found_ids is None:
        words = await _page(session, part.walk(), remaining, word_after, part=1)
        return ProductMatches(rows + words, pim_total + word_total)
    # Fetched by id, then sorted: never walked in PIM-key order hoping to meet them (a rare word's
    # products may all sort late: 100,000 rows read for "keramik hybrid").
    fetched = base.where(Product.id == any_(literal(list(found_ids), ARRAY(UUID(as_uuid=True)))))
    matches = aliased(Product, fetched.cte("matches").prefix_with("MATERIALIZED"))
    words = await _page(session, select(matches), remaining, word_after, part=1, products=matches)
    return ProductMatches(rows + words, pim_total + word_total)


async def _page(
    session: AsyncSession,
    stmt: Select[Any],
    limit: int,
    after: Sequence[KeyPart] | None,
    *,
    part: int,
    products: Any = Product,
) -> list[tuple[ProductKey, Product]]:
    """``limit`` products of ``stmt`` after ``(pim_key, id)`` in PIM-key order, each with its key
    in ``part`` (none for a limit of 0)."""
    if limit <= 0:
        return []
    columns = (products.pim_key, products.id)
    if after is not None:
        stmt = stmt.where(after_key(columns, after, descending=False))
    page = stmt.add_columns(products.pim_key).order_by(*columns).limit(limit)
    return [((part, key, p.id), p) for p, key in (await session.execute(page)).all()]


async def get(session: AsyncSession, product_id: uuid.UUID, *, tenant_id: uuid.UUID | None) -> Product | None:
    stmt = select(Product).where(Product.id == product_id)
    if tenant_id is not None:
        stmt = stmt.where(Product.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def save_product(session: AsyncSession, product: Product) -> Product:
    """Insert or update; a PIM id the tenant has already raises ``DuplicatePimId``."""
    try:
        async with session.begin_nested():
            return await save(session, product)
    except IntegrityError as exc:
        if "uq_products_tenant_pim_id" in str(exc.orig):
            raise DuplicatePimId from None
        raise


async def delete_product(session: AsyncSession, product: Product) -> None:
    await remove(session, product)


async def count_order_lines_of(session: AsyncSession, product_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(OrderLine).where(OrderLine.product_id == product_id)
    return int((await session.execute(stmt)).scalar_one())


async def cad_files_by_id(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, CadFile]:
    if not ids:
        return {}
    return {c.id: c for c in (await session.scalars(select(CadFile).where(CadFile.id.in_(ids)))).all()}


async def cad_file_name(session: AsyncSession, tenant_id: uuid.UUID, cad_file_id: uuid.UUID) -> str | None:
    """The name of the tenant's CAD file ``cad_file_id``; None when it has no such file."""
    return await session.scalar(
        select(CadFile.original_name).where(CadFile.id == cad_file_id, CadFile.tenant_id == tenant_id)
    )


async def add_import(session: AsyncSession, record: ProductImport) -> ProductImport:
    return await save(session, record)


async def get_import(
    session: AsyncSession, import_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> ProductImport | None:
    stmt = select(ProductImport).where(ProductImport.id == import_id)
    if tenant_id is not None:
        stmt = stmt.where(ProductImport.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def list_imports(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    limit: int,
    after: Sequence[KeyPart] | None = None,
) -> list[ProductImport]:
    """Newest first by (created_at, id) after the cursor's key: a range of
    ``ix_product_imports_tenant_created_id``."""
    stmt = select(ProductImport).order_by(ProductImport.created_at.desc(), ProductImport.id.desc())
    if tenant_id is not None:
        stmt = stmt.where(ProductImport.tenant_id == tenant_id)
    if after is not None:
        stmt = stmt.where(after_key((ProductImport.created_at, ProductImport.id), after, descending=True))
    return list((await session.scalars(stmt.limit(limit))).all())


async def count_imports(session: AsyncSession, *, tenant_id: uuid.UUID | None) -> int:
    stmt = select(func.count()).select_from(ProductImport)
    if tenant_id is not None:
        stmt = stmt.where(ProductImport.tenant_id == tenant_id)
    return int(await session.scalar(stmt) or 0)


async def import_rows(
    session: AsyncSession,
    import_id: uuid.UUID,
    *,
    tenant_id: uuid.UUID,
    status: str | None,
    after_row: int | None,
    limit: int,
) -> list[ProductImportRow]:
    """Up to ``limit`` log rows of an import after row ``after_row``, in row order (a range of the
    primary key, or of ``(import_id, status, row)`` with a status)."""
    stmt = select(ProductImportRow).where(
        ProductImportRow.import_id == import_id, ProductImportRow.tenant_id == tenant_id
    )
    if status is not None:
        stmt = stmt.where(ProductImportRow.status == status)
    if after_row is not None:
        stmt = stmt.where(ProductImportRow.row > after_row)
    return list((await session.scalars(stmt.order_by(ProductImportRow.row).limit(limit))).all())


# -- sync, for the import task ------------------------------------------------------------------

# One statement per chunk, the rows as one JSON document (COPY refuses tables with row-level security).
# No ON CONFLICT: the import's rows were just deleted and each spreadsheet row is logged once (a
# speculative insertion cost an extra index probe and WAL record per row: a third of the time).
_INSERT_IMPORT_ROWS = text(
    "INSERT INTO product_import_rows (tenant_id, import_id, row, status, pim_id, reason) "
    "SELECT :tenant_id, :import_id, u.row, u.status, u.pim_id, u.reason "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS u(row integer, status text, pim_id text, reason text)"
)


def replace_import_rows(
    session: Session, tenant_id: uuid.UUID, import_id: uuid.UUID, entries: Sequence[dict[str, Any]]
) -> None:
    """Write an import's row log (``{"row", "status", "pim_id", "reason"}`` each), replacing any."""
    session.execute(delete(ProductImportRow).where(ProductImportRow.import_id == import_id))
    for start in range(0, len(entries), IMPORT_ROWS_CHUNK):
        chunk = entries[start : start + IMPORT_ROWS_CHUNK]
        document = json.dumps(
            [{k: e.get(k) for k in ("row", "status", "pim_id", "reason")} for e in chunk],
            separators=(",", ":"),
        )
        session.execute(
            _INSERT_IMPORT_ROWS, {"tenant_id": tenant_id, "import_id": import_id, "rows": document}
        )


def import_for_update(session: Session, import_id: uuid.UUID, tenant_id: uuid.UUID) -> ProductImport | None:
    stmt = (
        select(ProductImport)
        .where(ProductImport.id == import_id, ProductImport.tenant_id == tenant_id)
        .with_for_update()
    )
    return session.scalar(stmt)


def cad_files_by_name(session: Session, tenant_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
    """(original name, id) of the tenant's CAD files, newest first."""
    stmt = (
        select(CadFile.original_name, CadFile.id)
        .where(CadFile.tenant_id == tenant_id)
        .order_by(CadFile.created_at.desc(), CadFile.id.desc())
    )
    return [(name, cad_id) for name, cad_id in session.execute(stmt).all()]


# Every row of a chunk in one statement, sent as one JSON document that PostgreSQL turns into rows
# (jsonb_to_recordset): nothing per row to build, escape or parse on our side.
_UPSERT_COLUMNS = ("name", "category_key", "lagertyp")
UPSERT_CHUNK = 20_000


def _upsert_sql(overwrite: Sequence[str]) -> Any:
    unknown = set(overwrite) - set(_UPSERT_COLUMNS)
    if unknown:
        raise ValueError(f"an import cannot overwrite {sorted(unknown)}")
    sets = [f"{column} = EXCLUDED.{column}" for column in overwrite]
    sets += [
        "attributes = products.attributes || EXCLUDED.attributes",
        "cad_file_id = coalesce(EXCLUDED.cad_file_id, products.cad_file_id)",
        "cad_file_name = coalesce(EXCLUDED.cad_file_name, products.cad_file_name)",
        "cad_file_key = coalesce(EXCLUDED.cad_file_key, products.cad_file_key)",
        "updated_at = now()",
    ]
    # The only text spliced in: column names from _UPSERT_COLUMNS.
    return text(
        "INSERT INTO products (tenant_id, pim_id, name, category_key, lagertyp, attributes, cad_file_id, "  # noqa: S608
        "cad_file_name, cad_file_key) "
        "SELECT :tenant_id, u.pim_id, u.name, u.category_key, u.lagertyp, coalesce(u.attributes, '{}'), "
        "u.cad_file_id, u.cad_file_name, u.cad_file_key FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS "
        "u(pim_id text, name text, category_key text, lagertyp text, attributes jsonb, cad_file_id uuid, "
        "cad_file_name text, cad_file_key text) "
        "ON CONFLICT ON CONSTRAINT uq_products_tenant_pim_id DO UPDATE SET "
        + ", ".join(sets)
        + " RETURNING pim_id, (xmax = 0)"
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def upsert_products(
    session: Session, tenant_id: uuid.UUID, rows: Sequence[dict[str, Any]], *, overwrite: Sequence[str]
) -> dict[str, bool]:
    """Insert or update by (tenant, pim_id); returns pim_id -> True if the row was new.

    ``overwrite`` names the plain columns an existing product takes from the row; attributes are
    merged (the row's keys win) and a CAD link is only ever set, never cleared, by an import.
    """
    statement = _upsert_sql(overwrite)
    created: dict[str, bool] = {}
    for start in range(0, len(rows), UPSERT_CHUNK):
        chunk = rows[start : start + UPSERT_CHUNK]
        document = json.dumps(
            [{**row, "cad_file_id": _text_or_none(row.get("cad_file_id"))} for row in chunk],
            separators=(",", ":"),
        )
        result = session.execute(statement, {"tenant_id": tenant_id, "rows": document})
        for pim_id, was_new in result.all():
            created[pim_id] = bool(was_new)
    return created


def add_audit_entry(session: Session, entry: AuditLog) -> None:
    session.add(entry)
