"""Queries for media assets (async for the API, sync for publication from workers)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Text,
    and_,
    any_,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, aliased

from automat.kit.pagination import COUNT_CAP, KeyPart, KeyTypes, capped, page_of
from automat.kit.repository import remove, save
from automat.models.media import MediaAsset, MediaDownload, media_facet_counts, media_facet_days
from automat.models.product import Product, ProductTerm
from automat.products.repository import SAMPLE_BITS, SEARCH_SETTINGS, Search, about, parse_search


@dataclass(frozen=True)
class Scope:
    """Which assets a reader may see: a tenant (None: every tenant, global admins) and, for
    clients, only those of order lines of orders the client created."""

    tenant_id: uuid.UUID | None
    ordered_by: uuid.UUID | None = None


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    NAME = "name"  # product name (else file name), A-Z


@dataclass(frozen=True)
class Filters:
    """What the media library filters by; each a column of ``media_assets`` (``q``: PIM id and
    product name, searched as products are)."""

    asset_types: tuple[str, ...] = ()
    category_key: str | None = None
    lagertyp: str | None = None
    render_status: str | None = None
    product_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    order_line_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None

    def without(self, name: str) -> Filters:
        cleared: dict[str, Any] = {name: () if name == "asset_types" else None}
        return replace(self, **cleared)


# At most this many matches are collected by the filters' indexes and then sorted (a rare filter
# or word: walking the sort order hoping to meet them is the planner trap of a rare term with
# ORDER BY … LIMIT, every row of the tenant read for an empty page). More than this, and they are
# dense enough (0.6% of a 333,000-asset tenant) that the page walks the sort order's index.
COLLECT_MOST = 2_000
# A search whose PIM-id range and rarest word reach at most this many products is looked up by
# their ids (an array of ids, probed in ``ix_media_assets_product_created``).
FEW_PRODUCTS = 2_000

_SORT_KEYS: dict[Sort, tuple[str, str]] = {
    Sort.NEWEST: ("created_at", "id"),
    Sort.OLDEST: ("created_at", "id"),
    Sort.NAME: ("name_key", "id"),
}
CURSOR_TYPES: dict[Sort, KeyTypes] = {
    Sort.NEWEST: (datetime, uuid.UUID),
    Sort.OLDEST: (datetime, uuid.UUID),
    Sort.NAME: (str, uuid.UUID),
}


def sort_key(asset: MediaAsset, sort: Sort) -> tuple[KeyPart, ...]:
    first, second = _SORT_KEYS[sort]
    return (getattr(asset, first) or "", getattr(asset, second))


def _columns(sort: Sort, source: Any = MediaAsset) -> tuple[Any, Any]:
    first, second = _SORT_KEYS[sort]
    return getattr(source, first), getattr(source, second)  # a mapped class or a CTE's .c


def _order_by(sort: Sort, source: Any = MediaAsset) -> list[Any]:
    first, second = _columns(sort, source)
    return [first.desc(), second.desc()] if sort is Sort.NEWEST else [first, second]


def _after(sort: Sort, cursor: tuple[KeyPart, ...], source: Any = MediaAsset) -> ColumnElement[bool]:
    """Rows after the cursor's key in the sort order (a row comparison: one range of the index)."""
    first, second = _columns(sort, source)
    key = tuple_(first, second)
    bound = tuple_(literal(cursor[0], first.type), literal(cursor[1], UUID(as_uuid=True)))
    return key < bound if sort is Sort.NEWEST else key > bound


# Above every character a PIM key or a word holds (as products' search has it).
_TOP = "\U0010ffff"


def _row_match(search: Search) -> ColumnElement[bool]:
    """The search on the asset row: its PIM key starts with the search's, or each word of the search
    starts a word of ``search_words`` (checked per row: for walks and small sets)."""
    words = [func.strpos(MediaAsset.search_words, " " + term) > 0 for term in search.terms]
    parts: list[ColumnElement[bool]] = []
    if search.key:
        parts.append(and_(MediaAsset.pim_key >= search.key, MediaAsset.pim_key < search.key + _TOP))
    if words:
        parts.append(and_(*words))
    return or_(*parts)


def _base(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.tenant_id is not None:
        conditions.append(MediaAsset.tenant_id == scope.tenant_id)
    if scope.ordered_by is not None:
        conditions.append(MediaAsset.ordered_by == scope.ordered_by)
    if len(filters.asset_types) == 1:
        conditions.append(MediaAsset.kind == filters.asset_types[0])
    elif filters.asset_types:
        conditions.append(MediaAsset.kind.in_(sorted(set(filters.asset_types))))
    for name in ("category_key", "lagertyp", "render_status", "product_id", "order_id", "order_line_id"):
        value = getattr(filters, name)
        if value is not None:
            conditions.append(getattr(MediaAsset, name) == value)
    if filters.created_from is not None:
        conditions.append(MediaAsset.created_at >= filters.created_from)
    if filters.created_to is not None:
        conditions.append(MediaAsset.created_at < filters.created_to)
    return conditions


async def _count(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], cap: int = COUNT_CAP
) -> int:
    """How many assets match, counted up to ``cap + 1``."""
    most = COUNT_CAP if cap is None else cap  # read at each call (tests lower it)
    matches = select(literal(1)).select_from(MediaAsset).where(*conditions).limit(most + 1).subquery()
    return int(await session.scalar(select(func.count()).select_from(matches)) or 0)


async def _base_count(
    session: AsyncSession, scope: Scope, filters: Filters, base: Sequence[ColumnElement[bool]]
) -> int:
    """How many assets the filters other than the search leave (up to COUNT_CAP + 1): summed from
    ``media_facet_counts`` when they are the facets' columns only (a few hundred rows, not 10,001
    index entries: every search asks this first), else counted."""
    if not _rolls_up(replace(filters, q=None)):
        return await _count(session, base)
    counts = media_facet_counts.c
    conditions = _rollup_conditions(scope, filters)
    total = await session.scalar(select(func.coalesce(func.sum(counts.n), 0)).where(*conditions))
    return min(int(total or 0), COUNT_CAP + 1)


def _rollup_conditions(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    """``filters`` (the facets' columns) and the scope as conditions on ``media_facet_counts``."""
    counts = media_facet_counts.c
    conditions: list[ColumnElement[bool]] = []
    if scope.tenant_id is not None:
        conditions.append(counts.tenant_id == scope.tenant_id)
    if scope.ordered_by is not None:
        conditions.append(counts.ordered_by == scope.ordered_by)
    if filters.asset_types:
        conditions.append(counts.kind.in_(sorted(set(filters.asset_types))))
    for column in ("category_key", "lagertyp", "render_status"):
        value = getattr(filters, column)
        if value is not None:
            conditions.append(counts[column] == value)
    return conditions


@dataclass(frozen=True)
class Matches:
    """A page of assets, the next page's cursor and the (capped) total."""

    items: list[MediaAsset]
    next_cursor: str | None
    total: int
    total_is_estimate: bool


@dataclass(frozen=True)
class _Plan:
    """How a request is answered: its conditions on ``media_assets`` (the search in the form that is
    cheap for it), how many match (exact up to COUNT_CAP + 1, or the sample's estimate) and, for a
    broad search, the sample's assets (a lateral join of the candidate products and their assets)."""

    tenant_id: uuid.UUID | None
    conditions: list[ColumnElement[bool]]
    # None: not counted yet (a search by its few products' ids: the page's or the facets' statement
    # collects the matches once and counts them in the same pass, ``with_count``; a broad search's
    # sample for the facets, which group it whatever its size).
    count: int | None
    exact: bool
    sample: Any = None
    by_products: bool = False  # the search as ``product_id = ANY(…)`` (few products)

    def with_count(self, count: int) -> _Plan:
        return replace(self, count=count)

    @property
    def total(self) -> tuple[int, bool]:
        """(total, is_estimate): exact up to COUNT_CAP, else COUNT_CAP; a sample's estimate to two
        significant digits (never above COUNT_CAP)."""
        assert self.count is not None
        if self.exact:
            return capped(self.count, COUNT_CAP)
        return min(about(self.count), COUNT_CAP), True


async def _plan(session: AsyncSession, scope: Scope, filters: Filters, *, count_sample: bool = True) -> _Plan:
    """The conditions and the count of a request.

    Without a search, or when the filters alone leave at most COUNT_CAP assets, the search is
    checked on those rows. Otherwise the search's products are counted first (one index range each
    for the PIM key and every word, read up to FEW_PRODUCTS): few, and the assets are looked up by
    the products' ids; many (a broad word or PIM-id prefix), and the assets are counted on a sample
    of the products, product by product, and the page walks the sort order checking each row.
    """
    searched = bool(filters.q and filters.q.strip())
    if not searched:  # (parse_search sets them in its own statement)
        await session.execute(select(*SEARCH_SETTINGS))
    search = await parse_search(session, filters.q) if searched and filters.q else None
    base = _base(scope, filters)
    tenant_id = scope.tenant_id
    if search is None or search.empty:
        return _Plan(tenant_id, base, await _count(session, base), True)
    row_match = _row_match(search)
    if await _base_count(session, scope, filters, base) <= COUNT_CAP:
        conditions = [*base, row_match]
        return _Plan(tenant_id, conditions, await _count(session, conditions), True)
    # The search's reach on the products: its PIM-key range and each word's range, each read up to
    # FEW_PRODUCTS + 1 rows (index-only), in one statement.
    ranges = ([search.pim_ids(tenant_id)] if search.key else []) + [
        search.word_ids(t, tenant_id) for t in search.terms
    ]
    in_reach = [
        select(func.count()).select_from(r.limit(FEW_PRODUCTS + 1).subquery()).scalar_subquery()
        for r in ranges
    ]
    reaches = [int(n or 0) for n in (await session.execute(select(*in_reach))).one()]
    reach = reaches[0] if search.key else 0
    words: list[int] = reaches[1:] if search.key else reaches
    if words:
        reach += min(words)
    if reach <= FEW_PRODUCTS:
        ids = list((await session.scalars(search.matching_ids(tenant_id))).all())
        conditions = [*base, MediaAsset.product_id == any_(literal(ids, ARRAY(UUID(as_uuid=True))))]
        return _Plan(tenant_id, conditions, None, True, by_products=True)
    # Broad: counted on the sample products' search counts on (ids below 2**(128 - SAMPLE_BITS), one
    # in 16). An exact count of a broad word with a narrow filter ("edelstahl", 22,000 products, with
    # 4% of the assets "running") went through every product's assets: 0.1-0.25 s.
    conditions = [*base, row_match]
    rarest = search.terms[words.index(min(words))] if search.terms else None
    bound = uuid.UUID(int=1 << (128 - SAMPLE_BITS)) if SAMPLE_BITS else None
    products = _candidates(search, tenant_id, rarest, bound).subquery()
    assets = (
        select(MediaAsset.kind, MediaAsset.category_key, MediaAsset.lagertyp, MediaAsset.render_status)
        .where(MediaAsset.product_id == products.c.id, *conditions)
        .lateral()
    )
    sample = select(assets).select_from(products.join(assets, true()))
    if not count_sample:  # (the facets group the sample whatever its size: no count of it first)
        return _Plan(tenant_id, conditions, None, SAMPLE_BITS == 0, sample)
    enough = (COUNT_CAP >> SAMPLE_BITS) + 1  # beyond it, the estimate is over COUNT_CAP
    counted = sample.with_only_columns(literal(1)).limit(enough).subquery()
    sampled = int(await session.scalar(select(func.count()).select_from(counted)) or 0)
    return _Plan(tenant_id, conditions, sampled << SAMPLE_BITS, SAMPLE_BITS == 0, sample)


def _candidates(
    search: Search, tenant_id: uuid.UUID | None, word: str | None, bound: uuid.UUID | None
) -> Any:
    """The products a broad search may match, each once, as a stream (no hash of a whole range): the
    rows of ``word``'s range of ``product_terms`` that are their product's first term in it, then
    the PIM-id range's products with no term in it. Their assets are checked against the whole
    search on the row."""
    pim = select(Product.id.label("id")).where(search.pim_match())
    if tenant_id is not None:
        pim = pim.where(Product.tenant_id == tenant_id)
    if bound is not None:
        pim = pim.where(Product.id < bound)
    if word is None:
        return pim
    term, earlier = aliased(ProductTerm), aliased(ProductTerm)
    lo, hi = word, word + _TOP
    words = select(term.product_id.label("id")).where(
        term.term >= lo, term.term < hi,
        ~select(earlier.product_id).where(
            earlier.product_id == term.product_id, earlier.term >= lo, earlier.term < term.term
        ).exists(),
    )  # fmt: skip
    if tenant_id is not None:
        words = words.where(term.tenant_id == tenant_id)
    if bound is not None:
        words = words.where(term.product_id < bound)
    if not search.key:
        return words
    pim = pim.where(
        ~select(earlier.product_id)
        .where(earlier.product_id == Product.id, earlier.term >= lo, earlier.term < hi)
        .exists()
    )
    return union_all(words, pim)


async def list_page(
    session: AsyncSession,
    scope: Scope,
    filters: Filters,
    *,
    sort: Sort,
    cursor: tuple[KeyPart, ...] | None,
    page_size: int,
) -> Matches:
    """A page of the assets that match, in ``sort`` order after ``cursor``, and their capped total.

    At most COLLECT_MOST matches, or a search's few products' assets (up to COUNT_CAP; they come
    from the product index, index-only): they are collected first (a materialized CTE, planned
    without the order) and sorted; more: the page walks the sort order's index, checking each row.
    (Walking "oldest" for a rare word's 3,335 assets fetched each row of the date index from the
    table to test its product: 13-16 ms, 78-88 ms at p95 under load; collected: see the docs.)"""
    plan = await _plan(session, scope, filters)
    conditions = plan.conditions
    if plan.count is None:  # a search's few products: matches collected and counted in one pass
        collected = await _collected_page(session, plan, sort=sort, cursor=cursor, page_size=page_size)
        if collected is not None:
            rows, count = collected
            items, next_cursor = page_of(rows, page_size, lambda a: sort_key(a, sort))
            return Matches(items, next_cursor, *plan.with_count(count).total)
        plan = plan.with_count(COUNT_CAP + 1)  # more than COUNT_CAP: the page walks the sort order
    assert plan.count is not None
    total, estimate = plan.total
    if plan.count <= COLLECT_MOST or (plan.by_products and plan.count <= COUNT_CAP):
        keys = select(MediaAsset.id, *_columns(sort)[:1]).where(*conditions)
        matches = keys.cte("matches").prefix_with("MATERIALIZED")
        chosen = select(matches.c.id)
        if cursor is not None:
            chosen = chosen.where(_after(sort, cursor, matches.c))
        chosen = chosen.order_by(*_order_by(sort, matches.c)).limit(page_size + 1)
        page = select(MediaAsset).where(MediaAsset.id.in_(chosen)).order_by(*_order_by(sort))
    else:
        page = select(MediaAsset).where(*conditions)
        page = page.where(_after(sort, cursor)) if cursor is not None else page
        page = page.order_by(*_order_by(sort)).limit(page_size + 1)
    rows = list((await session.scalars(page)).all())
    items, next_cursor = page_of(rows, page_size, lambda a: sort_key(a, sort))
    return Matches(items, next_cursor, total, estimate)


async def _collected_page(
    session: AsyncSession, plan: _Plan, *, sort: Sort, cursor: tuple[KeyPart, ...] | None, page_size: int
) -> tuple[list[MediaAsset], int] | None:
    """The page's rows and the number of matches, from one collection of up to COUNT_CAP + 1
    matches (ids and sort keys, index-only from the product index) that the count and the page
    share: one statement, the matches found once (it was a count, then the same collection again
    for the page). None: more than COUNT_CAP match (the collection is not all of them)."""
    keys = select(MediaAsset.id, *_columns(sort)[:1]).where(*plan.conditions).limit(COUNT_CAP + 1)
    matches = keys.cte("matches").prefix_with("MATERIALIZED")
    chosen = select(matches.c.id)
    if cursor is not None:
        chosen = chosen.where(_after(sort, cursor, matches.c))
    chosen = chosen.order_by(*_order_by(sort, matches.c)).limit(page_size + 1)
    counted = select(func.count()).select_from(matches).scalar_subquery()
    page = select(MediaAsset, counted).where(MediaAsset.id.in_(chosen)).order_by(*_order_by(sort))
    found = (await session.execute(page)).all()
    if found:
        count = int(found[0][1])
    else:  # an empty page (nothing matches, or a cursor past the end) carries no count
        count = await _count(session, plan.conditions)
    if count > COUNT_CAP:
        return None
    return [row[0] for row in found], count


FACETS = ("kind", "category_key", "lagertyp", "render_status")
_FACET_FILTER = {"kind": "asset_types", "category_key": "category_key", "lagertyp": "lagertyp",
                 "render_status": "render_status"}  # fmt: skip
Facet = dict[str, tuple[int, bool]]  # value -> (count, is_estimate)


async def _values(session: AsyncSession, column: Any, tenant_id: uuid.UUID | None) -> list[str]:
    """The distinct values of ``column`` among the tenant's assets (a loose index scan: one probe of
    the column's index per value, not a read of the assets)."""
    scoped = [MediaAsset.tenant_id == tenant_id] if tenant_id is not None else []
    found = select(select(func.min(column)).where(*scoped).scalar_subquery().label("v")).cte(
        "found", recursive=True
    )
    following = select(func.min(column)).where(*scoped, column > found.c.v).scalar_subquery()
    found = found.union_all(select(following.label("v")).where(found.c.v.is_not(None)))
    return list((await session.scalars(select(found.c.v).where(found.c.v.is_not(None)))).all())


# Filters the facet counts table has columns for; a request with any other (a search, a date, a
# product or order) is counted on the assets.
_ROLLUP_FILTERS = frozenset({"asset_types", "category_key", "lagertyp", "render_status"})


def _rolls_up(filters: Filters) -> bool:
    return all(
        getattr(filters, name) in (None, ())
        for name in Filters.__dataclass_fields__
        if name not in _ROLLUP_FILTERS
    )


# ... and a date range: its whole (UTC) days are summed from ``media_facet_days``, the assets of the
# partial days at its ends counted.
_DAY_FILTERS = _ROLLUP_FILTERS | {"created_from", "created_to"}


def _rolls_up_by_day(filters: Filters) -> bool:
    dates = (filters.created_from, filters.created_to)
    return (
        any(d is not None for d in dates)
        and all(d is None or d.tzinfo is not None for d in dates)  # (a naive time: the session's zone)
        and all(
            getattr(filters, name) in (None, ())
            for name in Filters.__dataclass_fields__
            if name not in _DAY_FILTERS
        )
    )


def _midnight(moment: datetime, *, up: bool) -> datetime:
    """The UTC midnight at or before ``moment`` (``up``: at or after)."""
    utc = moment.astimezone(UTC)
    floor = datetime(utc.year, utc.month, utc.day, tzinfo=UTC)
    return floor + timedelta(days=1) if up and floor != utc else floor


def _day_rows(scope: Scope, filters: Filters) -> Any:
    """The rows whose grouped sums are the facets of a date range: ``media_facet_days``'s rows of
    the range's whole days, and a row with n = 1 per asset of the partial days at its ends (from
    the tenant's date index, index-only)."""
    lo, hi = filters.created_from, filters.created_to
    start = _midnight(lo, up=True) if lo is not None else None  # the first whole day
    end = _midnight(hi, up=False) if hi is not None else None  # whole days end here
    edges: list[tuple[datetime | None, datetime | None]] = []
    parts: list[Any] = []
    if start is not None and end is not None and start >= end:  # no whole day in the range
        edges.append((lo, hi))
    else:
        days = media_facet_days.c
        whole: list[ColumnElement[bool]] = [days.n > 0]
        if scope.tenant_id is not None:
            whole.append(days.tenant_id == scope.tenant_id)
        if scope.ordered_by is not None:
            whole.append(days.ordered_by == scope.ordered_by)
        if start is not None:
            whole.append(days.day >= start.date())
        if end is not None:
            whole.append(days.day < end.date())
        parts.append(select(*(days[name] for name in FACETS), days.n).where(*whole))
        if lo is not None and start != lo:
            edges.append((lo, start))
        if hi is not None and end != hi:
            edges.append((end, hi))
    for since, until in edges:
        partial = _base(scope, Filters(created_from=since, created_to=until))
        columns = (getattr(MediaAsset, name) for name in FACETS)
        parts.append(select(*columns, literal(1, BigInteger).label("n")).where(*partial))
    rows: Any = parts[0]
    if len(parts) > 1:
        rows = union_all(*parts)
    return rows


async def _day_facets_at_once(session: AsyncSession, rows: Any) -> dict[str, Facet]:
    """The facets of a date range without a facet's filter: every facet's other filters are the same
    (none), so the day rows are summed in one pass, a grouping set per facet."""
    columns = [rows.c[name] for name in FACETS]
    grouped = select(*columns, func.sum(rows.c.n), func.grouping(*columns)).group_by(
        func.grouping_sets(*columns)
    )
    result: dict[str, Facet] = {name: {} for name in FACETS}
    last = len(FACETS) - 1
    for row in (await session.execute(grouped)).all():
        n, bits = int(row[len(FACETS)] or 0), int(row[len(FACETS) + 1])
        index = next(i for i in range(len(FACETS)) if not bits & (1 << (last - i)))  # the grouped column
        if row[index] is not None and n:
            result[FACETS[index]][row[index]] = capped(n, COUNT_CAP)
    return result


async def _rollup_facets(session: AsyncSession, scope: Scope, filters: Filters) -> dict[str, Facet]:
    """Every facet from ``media_facet_counts`` (a row per tenant, orderer and combination of the
    four columns, kept by triggers), or for a date range from ``_day_rows``: for each facet one
    grouped sum over the rows the other filters leave, all four in one statement (GROUPING SETS
    would not do: each facet leaves out its own filter)."""
    base: list[ColumnElement[bool]] = []
    if _rolls_up_by_day(filters):
        rows = _day_rows(scope, filters)
        if all(getattr(filters, _FACET_FILTER[name]) in (None, ()) for name in FACETS):
            return await _day_facets_at_once(session, rows.subquery())
        counts = rows.cte("facet_rows").prefix_with("MATERIALIZED").c  # read once, summed four ways
    else:
        counts = media_facet_counts.c
        base.append(counts.n > 0)
        if scope.tenant_id is not None:
            base.append(counts.tenant_id == scope.tenant_id)
        if scope.ordered_by is not None:
            base.append(counts.ordered_by == scope.ordered_by)
    parts = []
    for name in FACETS:
        others = filters.without(_FACET_FILTER[name])
        conditions = list(base)
        if others.asset_types:
            conditions.append(counts.kind.in_(sorted(set(others.asset_types))))
        for column in ("category_key", "lagertyp", "render_status"):
            value = getattr(others, column)
            if value is not None:
                conditions.append(counts[column] == value)
        parts.append(
            select(literal(name).label("facet"), counts[name].label("value"), func.sum(counts.n).label("n"))
            .where(*conditions, counts[name].is_not(None))
            .group_by(counts[name])
        )
    result: dict[str, Facet] = {name: {} for name in FACETS}
    for facet, value, n in (await session.execute(union_all(*parts))).all():
        if n:
            result[facet][value] = capped(int(n), COUNT_CAP)
    return result


async def facets(
    session: AsyncSession, scope: Scope, filters: Filters, *, rollup: bool = True
) -> dict[str, Facet]:
    """For each facet, every value's count among the assets of the other filters (a chip shows what
    choosing it would give), capped as the list's total is. Filters of the facets' own columns only:
    summed from ``media_facet_counts``. Otherwise, per facet: up to COUNT_CAP matches they are
    grouped in one pass, a broad search's sample is grouped and scaled, else each value is counted
    up to COUNT_CAP + 1 (its index range, index-only); facets whose other filters are the same
    share one plan. ``rollup=False``: never the table (the bench's before/after)."""
    if rollup and (_rolls_up(filters) or _rolls_up_by_day(filters)):
        return await _rollup_facets(session, scope, filters)
    result: dict[str, Facet] = {}
    shared: dict[Filters, list[str]] = {}  # facets whose other filters are the same share a plan
    for name in FACETS:
        shared.setdefault(filters.without(_FACET_FILTER[name]), []).append(name)
    for others, names in shared.items():
        plan = await _plan(session, scope, others, count_sample=False)
        if plan.count is None:  # a search's few products (grouped and counted in one pass), a sample
            grouped = await _grouped(session, plan, names)
            if grouped is not None:
                result.update(grouped)
                continue
            plan = plan.with_count(COUNT_CAP + 1)
        assert plan.count is not None
        if plan.sample is not None or plan.count <= COUNT_CAP:
            grouped = await _grouped(session, plan, names)
            assert grouped is not None
            result.update(grouped)
            continue
        for name in names:
            result[name] = await _counted_per_value(session, plan, name)
    return result


async def _grouped(session: AsyncSession, plan: _Plan, names: list[str]) -> dict[str, Facet] | None:
    """The facets ``names`` of a plan with at most COUNT_CAP matches (or a broad search's sample),
    grouped in one pass over them (GROUPING SETS, a set per facet; ``grouping()`` tells a row's).
    A plan not counted yet (``count`` None) is grouped over up to COUNT_CAP + 1 of its matches with
    a grand total beside the sets (the count in the same pass); None if there are more."""
    if plan.sample is not None:
        rows = plan.sample.subquery()
        columns = [rows.c[name] for name in names]
        source: Any = select(*columns, func.count(), func.grouping(*columns))
    elif plan.count is None:
        collected = (
            select(*[getattr(MediaAsset, name) for name in names])
            .where(*plan.conditions)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        columns = [collected.c[name] for name in names]
        source = select(*columns, func.count(), func.grouping(*columns))
    else:
        columns = [getattr(MediaAsset, name) for name in names]
        source = select(*columns, func.count(), func.grouping(*columns)).where(*plan.conditions)
    sets = [*columns, tuple_()] if plan.count is None and plan.sample is None else columns
    grouped = source.group_by(func.grouping_sets(*sets))
    result: dict[str, Facet] = {name: {} for name in names}
    last = len(names) - 1
    everything = (1 << len(names)) - 1
    for row in (await session.execute(grouped)).all():
        values, n, bits = row[: len(names)], int(row[len(names)]), int(row[len(names) + 1])
        if bits == everything:  # the grand total (a plan not counted yet)
            if n > COUNT_CAP:
                return None
            continue
        index = next(i for i in range(len(names)) if not bits & (1 << (last - i)))  # the grouped column
        value = values[index]
        if value is None:
            continue
        if plan.sample is not None:
            result[names[index]][value] = _Plan(plan.tenant_id, [], n << SAMPLE_BITS, SAMPLE_BITS == 0).total
        else:
            result[names[index]][value] = (n, False)
    return result


async def _counted_per_value(session: AsyncSession, plan: _Plan, name: str) -> Facet:
    """Each value of the facet (a loose index scan) counted up to COUNT_CAP + 1 in its index range."""
    column = getattr(MediaAsset, name)
    values = await _values(session, column, plan.tenant_id)
    value = func.unnest(literal(values, ARRAY(Text))).table_valued("v").render_derived(name="value")
    hits = select(literal(1).label("hit")).where(*plan.conditions, column == value.c.v).limit(COUNT_CAP + 1)
    lateral = hits.lateral("hits")
    counted = (
        select(value.c.v, func.count(lateral.c.hit))
        .select_from(value.outerjoin(lateral, true()))
        .group_by(value.c.v)
    )
    return {v: capped(n, COUNT_CAP) for v, n in (await session.execute(counted)).all() if n}


def _scoped(scope: Scope) -> Select[MediaAsset]:
    return select(MediaAsset).where(*_base(scope, Filters()))


async def get(session: AsyncSession, scope: Scope, asset_id: uuid.UUID) -> MediaAsset | None:
    return await session.scalar(_scoped(scope).where(MediaAsset.id == asset_id))


async def delete(session: AsyncSession, asset: MediaAsset) -> None:
    await remove(session, asset)


# -- bulk downloads -----------------------------------------------------------------------------

# What an archive needs of each asset (not the whole row: a download may hold 100,000).
_ARCHIVED = (
    MediaAsset.id, MediaAsset.tenant_id, MediaAsset.storage_key, MediaAsset.file_name, MediaAsset.file_size,
    MediaAsset.checksum, MediaAsset.kind, MediaAsset.product_name, MediaAsset.pim_id, MediaAsset.order_number,
    MediaAsset.file_crc32, MediaAsset.file_ctime_ns,
)  # fmt: skip


async def archived_by_id(session: AsyncSession, scope: Scope, ids: Sequence[uuid.UUID]) -> list[Any]:
    """The assets of ``ids`` that ``scope`` may see (any order; the caller compares)."""
    wanted = literal(list(ids), ARRAY(UUID(as_uuid=True)))
    stmt = select(*_ARCHIVED).where(*_base(scope, Filters()), MediaAsset.id == any_(wanted))
    return list((await session.execute(stmt)).all())


async def archived_matching(session: AsyncSession, scope: Scope, filters: Filters, most: int) -> list[Any]:
    """Up to ``most`` assets that match, newest first (the list's default order)."""
    plan = await _plan(session, scope, filters)
    stmt = select(*_ARCHIVED).where(*plan.conditions).order_by(*_order_by(Sort.NEWEST)).limit(most)
    return list((await session.execute(stmt)).all())


def _remember_crcs_stmt() -> Any:
    """Set an asset's CRC-32 and the file ctime it was taken at, if its row still has that size."""
    from sqlalchemy import bindparam, update

    return (
        update(MediaAsset)
        .where(MediaAsset.id == bindparam("key"), MediaAsset.file_size == bindparam("size"))
        .values(file_crc32=bindparam("crc"), file_ctime_ns=bindparam("ctime"))
        .execution_options(synchronize_session=False)
    )


def _crc_params(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"key": r["id"], "size": r["size"], "crc": r["crc"], "ctime": r["ctime"]} for r in rows]


async def remember_crcs(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await (await session.connection()).execute(_remember_crcs_stmt(), _crc_params(rows))


def remember_crcs_sync(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(_remember_crcs_stmt(), _crc_params(rows))


async def add_download(session: AsyncSession, download: MediaDownload) -> MediaDownload:
    return await save(session, download)


async def get_download(session: AsyncSession, download_id: uuid.UUID) -> MediaDownload | None:
    return await session.scalar(select(MediaDownload).where(MediaDownload.id == download_id))


def archived_by_id_sync(session: Session, ids: Sequence[uuid.UUID]) -> list[Any]:
    wanted = literal(list(ids), ARRAY(UUID(as_uuid=True)))
    return list(session.execute(select(*_ARCHIVED).where(MediaAsset.id == any_(wanted))).all())


def download_for_update_sync(session: Session, download_id: uuid.UUID) -> MediaDownload | None:
    stmt = select(MediaDownload).where(MediaDownload.id == download_id).with_for_update()
    return session.scalar(stmt)


def expired_downloads_sync(session: Session, now: datetime, most: int = 500) -> list[MediaDownload]:
    """Ready archives past their time, oldest first, locked (another beat run skips them)."""
    stmt = (
        select(MediaDownload)
        .where(MediaDownload.status == "ready", MediaDownload.expires_at < now)
        .order_by(MediaDownload.expires_at)
        .limit(most)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt).all())


# -- sync, for publication ----------------------------------------------------------------------


def for_line_sync(session: Session, order_line_id: uuid.UUID, role: str) -> MediaAsset | None:
    stmt = select(MediaAsset).where(MediaAsset.order_line_id == order_line_id, MediaAsset.role == role)
    return session.scalar(stmt)


def get_sync(session: Session, asset_id: uuid.UUID) -> MediaAsset | None:
    return session.scalar(select(MediaAsset).where(MediaAsset.id == asset_id))


def insert_once_sync(session: Session, values: dict[str, Any]) -> bool:
    """Insert unless the (order line, role) has an asset already; True if this call inserted."""
    stmt = (
        insert(MediaAsset)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_media_assets_line_role")
        .returning(MediaAsset.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None
