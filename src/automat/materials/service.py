"""Materials and aliases: the built-in library is read-only; a tenant's own materials and its
aliases are rows that tenant admins manage and project managers read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.repository import save_unique
from automat.materials import repository
from automat.materials.library import (
    BUILTIN_BY_NAME,
    BUILTIN_MATERIALS,
    DEFAULT_ALIASES,
    NAME_PATTERN,
    AliasDef,
    MaterialDef,
)
from automat.materials.resolve import (
    AliasLike,
    fallback_of,
    known_materials,
    log_line,
    regex_problem,
    resolve_material_map,
)
from automat.materials.schemas import (
    IMPACT_FILES,
    AliasCandidate,
    AliasCreate,
    AliasImpact,
    AliasOrder,
    AliasRead,
    AliasUpdate,
    AliasValues,
    ImpactFile,
    ImpactPart,
    MaterialCreate,
    MaterialRead,
    MaterialUpdate,
    PreviewItem,
    PreviewRequest,
    PreviewResult,
    ResetChange,
    ResetDefaultsPreview,
    ResetDefaultsRequest,
)
from automat.models.material import AliasKind, Material, MaterialAlias

_BUILTIN_CI = {name.lower(): name for name in BUILTIN_BY_NAME}

# --- shared checks -------------------------------------------------------------------------------


async def _tenant(session: AsyncSession, actor: Actor, requested: uuid.UUID | None) -> uuid.UUID:
    """The tenant the operation applies to; it must exist (unknown or foreign ids are 404)."""
    tenant_id = actor.require_tenant(requested)
    if await repository.tenant_config(session, tenant_id) is None:
        raise NotFound("Tenant not found.")
    return tenant_id


def _check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name):
        raise Unprocessable(
            f"{name!r} is not a material name: use SCHAEFFLER_<6 digits>_<Name> "
            "(letters, digits, '-' and '_').",
            code="invalid_material_name",
        )


def _builtin_read(m: MaterialDef) -> MaterialRead:
    return MaterialRead(
        name=m.name,
        source="builtin",
        description=m.description,
        base_color=list(m.base_color),
        metallic=m.metallic,
        roughness=m.roughness,
        params=dict(m.params),
    )


def _tenant_read(m: Material) -> MaterialRead:
    return MaterialRead(
        name=m.name,
        source="tenant",
        description=m.description,
        base_color=list(m.base_color),
        metallic=m.metallic,
        roughness=m.roughness,
        params=dict(m.params),
        id=m.id,
        created_at=m.created_at,
        updated_at=m.updated_at,
    )


async def _canonical_material(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> str:
    """The exact name of a built-in or tenant material (any letter case given), else 422."""
    builtin = _BUILTIN_CI.get(name.strip().lower())
    if builtin is not None:
        return builtin
    own = await repository.find_material_ci(session, tenant_id, name.strip())
    if own is None:
        raise Unprocessable(
            f"There is no material called {name!r} in the library or this tenant.", code="unknown_material"
        )
    return own.name


def _clean_pattern(kind: AliasKind, pattern: str) -> str:
    pattern = pattern.strip()
    if not pattern:
        raise Unprocessable("The pattern is empty.", code="invalid_pattern")
    problem = regex_problem(pattern) if kind is AliasKind.REGEX else None
    if problem is not None:
        raise Unprocessable(problem, code="invalid_pattern")
    return pattern


# --- materials -----------------------------------------------------------------------------------


async def list_materials(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None
) -> list[MaterialRead]:
    """The built-in library, then the tenant's own materials (global admins without a tenant: built-in)."""
    scope = actor.scope_tenant(tenant_id)
    out = [_builtin_read(m) for m in BUILTIN_MATERIALS]
    if scope is not None:
        scope = await _tenant(session, actor, scope)
        out += [_tenant_read(m) for m in await repository.list_materials(session, scope)]
    return out


async def get_material(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, name: str
) -> MaterialRead:
    if name in BUILTIN_BY_NAME:
        return _builtin_read(BUILTIN_BY_NAME[name])
    scope = actor.scope_tenant(tenant_id)
    own = await repository.get_material(session, scope, name) if scope is not None else None
    if own is None:
        raise NotFound("Material not found.")
    return _tenant_read(own)


async def _own_material(
    session: AsyncSession, actor: Actor, tenant_id: uuid.UUID | None, name: str
) -> Material:
    """A tenant material the actor may change; built-in ones are read-only (409)."""
    if name in BUILTIN_BY_NAME:
        raise Conflict(f"{name} is a built-in material and cannot be changed.", code="builtin_material")
    scope = await _tenant(session, actor, tenant_id)
    own = await repository.get_material(session, scope, name)
    if own is None:
        raise NotFound("Material not found.")
    return own


async def _check_name_free(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> None:
    _check_name(name)
    if name.lower() in _BUILTIN_CI:
        raise Conflict(
            f"{_BUILTIN_CI[name.lower()]} is a built-in material; choose another name.",
            code="builtin_material",
        )
    if await repository.find_material_ci(session, tenant_id, name) is not None:
        raise Conflict(f"This tenant has a material called {name} already.", code="duplicate_material")


async def _flush_material(session: AsyncSession, material: Material) -> Material:
    return await save_unique(
        session,
        material,
        constraint="uq_materials_tenant_name",
        conflict=Conflict("This tenant has a material with this name already.", code="duplicate_material"),
    )


async def create_material(session: AsyncSession, *, actor: Actor, data: MaterialCreate) -> MaterialRead:
    tenant_id = await _tenant(session, actor, data.tenant_id)
    await _check_name_free(session, tenant_id, data.name)
    material = await _flush_material(
        session,
        Material(
            tenant_id=tenant_id,
            name=data.name,
            description=data.description,
            base_color=data.base_color,
            metallic=data.metallic,
            roughness=data.roughness,
            params=data.params.model_dump(exclude_none=True),
        ),
    )
    await audit.record(
        session,
        actor=actor,
        action="material.create",
        tenant_id=tenant_id,
        target_type="material",
        target_id=material.id,
        detail={"name": material.name},
    )
    return _tenant_read(material)


async def update_material(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, name: str, data: MaterialUpdate
) -> MaterialRead:
    """Change a tenant material; a new name is carried over to the aliases that use it."""
    material = await _own_material(session, actor, tenant_id, name)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude_none=True)
    if data.name is not None and data.name != material.name:
        if data.name.lower() != material.name.lower():
            await _check_name_free(session, material.tenant_id, data.name)
        else:
            _check_name(data.name)
        fallback = fallback_of(await repository.tenant_config(session, material.tenant_id))
        if fallback == material.name:
            raise Conflict(
                f"{material.name} is this tenant's fallback material; change the fallback first.",
                code="material_in_use",
            )
        changes["aliases_renamed"] = await repository.rename_material_in_aliases(
            session, material.tenant_id, material.name, data.name
        )
        material.name = data.name
    for field in ("description", "base_color", "metallic", "roughness"):
        value = getattr(data, field)
        if value is not None:
            setattr(material, field, value)
    if data.params is not None:
        material.params = data.params.model_dump(exclude_none=True)
    material = await _flush_material(session, material)
    await audit.record(
        session,
        actor=actor,
        action="material.update",
        tenant_id=material.tenant_id,
        target_type="material",
        target_id=material.id,
        detail={"name": name, "changes": changes},
    )
    return _tenant_read(material)


async def delete_material(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, name: str
) -> None:
    """Delete a tenant material that no alias uses and that is not the tenant's fallback."""
    material = await _own_material(session, actor, tenant_id, name)
    used_by = await repository.count_aliases_using(session, material.tenant_id, material.name)
    is_fallback = fallback_of(await repository.tenant_config(session, material.tenant_id)) == material.name
    if used_by or is_fallback:
        raise Conflict(
            f"{material.name} is in use; change the aliases that name it (or the fallback) first.",
            code="material_in_use",
            details={"aliases": used_by, "fallback": is_fallback},
        )
    await audit.record(
        session,
        actor=actor,
        action="material.delete",
        tenant_id=material.tenant_id,
        target_type="material",
        target_id=material.id,
        detail={"name": material.name},
    )
    await repository.delete_material(session, material)


# --- aliases -------------------------------------------------------------------------------------


async def list_aliases(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None
) -> list[MaterialAlias]:
    """A tenant's aliases, highest priority first."""
    return await repository.list_aliases(session, await _tenant(session, actor, tenant_id))


async def get_alias(session: AsyncSession, *, actor: Actor, alias_id: uuid.UUID) -> MaterialAlias:
    """An alias of the actor's tenant (global admins: any); anything else is 404."""
    alias = await repository.get_alias(session, alias_id, tenant_id=actor.scope_tenant(None))
    if alias is None:
        raise NotFound("Alias not found.")
    return alias


async def _check_alias_free(
    session: AsyncSession, tenant_id: uuid.UUID, kind: AliasKind, pattern: str, *, own_id: uuid.UUID | None
) -> None:
    existing = await repository.find_alias(session, tenant_id, kind=kind.value, pattern=pattern)
    if existing is not None and existing.id != own_id:
        raise Conflict(f"A {kind.value} alias {existing.pattern!r} exists already.", code="duplicate_alias")


async def _flush_alias(session: AsyncSession, alias: MaterialAlias) -> MaterialAlias:
    return await save_unique(
        session,
        alias,
        constraint="uq_material_aliases_tenant_kind_pattern",
        conflict=Conflict("An alias of this kind and pattern exists already.", code="duplicate_alias"),
    )


def _alias_detail(alias: MaterialAlias) -> dict[str, Any]:
    return {
        "pattern": alias.pattern,
        "kind": alias.kind,
        "material": alias.material,
        "priority": alias.priority,
    }


async def create_alias(session: AsyncSession, *, actor: Actor, data: AliasCreate) -> MaterialAlias:
    tenant_id = await _tenant(session, actor, data.tenant_id)
    pattern = _clean_pattern(data.kind, data.pattern)
    material = await _canonical_material(session, tenant_id, data.material)
    await _check_alias_free(session, tenant_id, data.kind, pattern, own_id=None)
    alias = await _flush_alias(
        session,
        MaterialAlias(
            tenant_id=tenant_id,
            pattern=pattern,
            kind=data.kind.value,
            material=material,
            priority=data.priority,
            is_default=False,
        ),
    )
    await audit.record(
        session,
        actor=actor,
        action="material_alias.create",
        tenant_id=tenant_id,
        target_type="material_alias",
        target_id=alias.id,
        detail=_alias_detail(alias),
    )
    return alias


async def update_alias(
    session: AsyncSession, *, actor: Actor, alias_id: uuid.UUID, data: AliasUpdate
) -> MaterialAlias:
    """Change an alias; a changed default alias becomes the tenant's own (reset-defaults restores it)."""
    alias = await get_alias(session, actor=actor, alias_id=alias_id)
    before = _alias_detail(alias)
    kind = data.kind or AliasKind(alias.kind)
    pattern = _clean_pattern(kind, data.pattern if data.pattern is not None else alias.pattern)
    if (kind.value, pattern.lower()) != (alias.kind, alias.pattern.lower()):
        await _check_alias_free(session, alias.tenant_id, kind, pattern, own_id=alias.id)
    material = alias.material
    if data.material is not None:
        material = await _canonical_material(session, alias.tenant_id, data.material)
    priority = data.priority if data.priority is not None else alias.priority
    alias.kind, alias.pattern, alias.material, alias.priority = kind.value, pattern, material, priority
    after = _alias_detail(alias)
    if after != before:
        alias.is_default = False
    alias = await _flush_alias(session, alias)
    await audit.record(
        session,
        actor=actor,
        action="material_alias.update",
        tenant_id=alias.tenant_id,
        target_type="material_alias",
        target_id=alias.id,
        detail={"before": before, "after": after},
    )
    return alias


async def delete_alias(session: AsyncSession, *, actor: Actor, alias_id: uuid.UUID) -> None:
    alias = await get_alias(session, actor=actor, alias_id=alias_id)
    await audit.record(
        session,
        actor=actor,
        action="material_alias.delete",
        tenant_id=alias.tenant_id,
        target_type="material_alias",
        target_id=alias.id,
        detail=_alias_detail(alias),
    )
    await repository.delete_alias(session, alias)


@dataclass(frozen=True)
class _ResetPlan:
    """What reset-defaults does to a tenant's aliases."""

    removed: list[MaterialAlias]
    restored: list[tuple[MaterialAlias, AliasDef]]
    added: list[AliasDef]
    unchanged: int


def _is_shipped(alias: MaterialAlias, default: AliasDef) -> bool:
    return (alias.pattern, alias.material, alias.priority, alias.is_default) == (
        default.pattern,
        default.material,
        default.priority,
        True,
    )


def _reset_plan(current: list[MaterialAlias], remove_custom: bool) -> _ResetPlan:
    """A default the tenant changed (same kind and pattern) gets its material and priority back;
    one the tenant deleted comes back; defaults that are no longer shipped are removed; the tenant's
    own aliases go only with ``remove_custom``."""
    shipped = {(d.kind, d.pattern.lower()): d for d in DEFAULT_ALIASES}
    removed = [
        a for a in current if remove_custom or (a.is_default and (a.kind, a.pattern.lower()) not in shipped)
    ]
    gone = {a.id for a in removed}
    kept = {(a.kind, a.pattern.lower()): a for a in current if a.id not in gone}
    restored = [(kept[key], d) for key, d in shipped.items() if key in kept and not _is_shipped(kept[key], d)]
    added = [d for key, d in shipped.items() if key not in kept]
    return _ResetPlan(removed, restored, added, len(current) - len(removed) - len(restored))


async def reset_defaults_preview(
    session: AsyncSession, *, actor: Actor, data: ResetDefaultsRequest
) -> ResetDefaultsPreview:
    """What ``reset_defaults`` with the same request would change; nothing is saved."""
    tenant_id = await _tenant(session, actor, data.tenant_id)
    plan = _reset_plan(await repository.list_aliases(session, tenant_id), data.remove_custom)
    return ResetDefaultsPreview(
        removed=[AliasRead.model_validate(a) for a in plan.removed],
        restored=[
            ResetChange(
                alias=AliasRead.model_validate(a), after=AliasValues(material=d.material, priority=d.priority)
            )
            for a, d in plan.restored
        ],
        added=[
            AliasCandidate(
                pattern=d.pattern, kind=AliasKind(d.kind), material=d.material, priority=d.priority
            )
            for d in plan.added
        ],
        unchanged=plan.unchanged,
    )


async def reset_defaults(
    session: AsyncSession, *, actor: Actor, data: ResetDefaultsRequest
) -> list[MaterialAlias]:
    """Put the default aliases back as shipped (see ``_reset_plan``); the tenant's aliases afterwards."""
    tenant_id = await _tenant(session, actor, data.tenant_id)
    plan = _reset_plan(await repository.list_aliases(session, tenant_id), data.remove_custom)
    await repository.delete_aliases(session, tenant_id, ids=[a.id for a in plan.removed])
    for alias, default in plan.restored:
        alias.pattern, alias.material, alias.priority, alias.is_default = (
            default.pattern,
            default.material,
            default.priority,
            True,
        )
    await session.flush()
    await repository.add_default_aliases(session, tenant_id, plan.added)
    await audit.record(
        session,
        actor=actor,
        action="material_alias.reset_defaults",
        tenant_id=tenant_id,
        target_type="tenant",
        target_id=tenant_id,
        detail={"removed": len(plan.removed), "restored": len(plan.restored), "added": len(plan.added)},
    )
    return await repository.list_aliases(session, tenant_id)


# --- order ---------------------------------------------------------------------------------------

MIN_PRIORITY, MAX_PRIORITY = -10_000, 10_000
ORDER_STEP = 10


def _longest_in_order(rank: list[tuple[Any, ...]]) -> set[int]:
    """The indices of a longest subsequence whose ``rank`` strictly increases (O(n²), n is small)."""
    if not rank:
        return set()
    length = [1] * len(rank)
    before = [-1] * len(rank)
    for i, own in enumerate(rank):
        for j in range(i):
            if rank[j] < own and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    i = max(range(len(rank)), key=lambda k: (length[k], -k))
    keep = set()
    while i != -1:
        keep.add(i)
        i = before[i]
    return keep


def ordered_priorities(values: list[int], ties: list[tuple[Any, ...]] | None = None) -> list[int]:
    """Priorities for aliases in a new order (``values``: their priorities now, in that order) such
    that the list, sorted as it is listed (priority down, then ``ties``), is that order; as few
    aliases as possible change.

    A longest run that is in order already keeps its priorities (equal ones too, where ``ties``
    order them so); the others get values between their neighbours (or ``ORDER_STEP`` apart above
    the first and below the last). Where there is no room every alias is numbered afresh.
    """
    rank = [(-v, *(ties[i] if ties else ())) for i, v in enumerate(values)]
    keep = sorted(_longest_in_order(rank))
    out = list(values)
    runs: list[tuple[int, int, int | None, int | None]] = []  # start, end (excl.), value above, below
    previous = -1
    for k in [*keep, len(values)]:
        if k - previous > 1:
            above = values[previous] if previous >= 0 else None
            below = values[k] if k < len(values) else None
            runs.append((previous + 1, k, above, below))
        previous = k
    for start, end, above, below in runs:
        count = end - start
        if above is not None and below is not None:
            if above - below - 1 < count:
                return _renumbered(len(values))
            step = (above - below) / (count + 1)
            filled = [above - int(step * (m + 1)) for m in range(count)]
        elif below is not None:  # above the first kept one
            filled = [below + ORDER_STEP * (count - m) for m in range(count)]
        else:  # below the last kept one
            assert above is not None
            filled = [above - ORDER_STEP * (m + 1) for m in range(count)]
        out[start:end] = filled
    if out and (out[0] > MAX_PRIORITY or out[-1] < MIN_PRIORITY):
        return _renumbered(len(values))
    return out


def _renumbered(n: int) -> list[int]:
    step = ORDER_STEP if n * ORDER_STEP <= MAX_PRIORITY else 1
    return [step * (n - i) for i in range(n)]


def _apply_priorities(aliases: list[MaterialAlias], priorities: list[int]) -> None:
    for alias, priority in zip(aliases, priorities, strict=True):
        alias.priority = priority


async def reorder_aliases(session: AsyncSession, *, actor: Actor, data: AliasOrder) -> list[MaterialAlias]:
    """Give the tenant's aliases priorities in the order ``data.ids`` names them (first wins among
    patterns; exact aliases win over patterns whatever their place). An alias whose priority changes
    is no longer a shipped default (reset-defaults restores it). 409 ``aliases_changed`` unless the
    list names every alias of the tenant exactly once."""
    tenant_id = await _tenant(session, actor, data.tenant_id)
    current = {a.id: a for a in await repository.list_aliases(session, tenant_id)}
    if len(data.ids) != len(set(data.ids)) or set(data.ids) != set(current):
        raise Conflict(
            "The aliases changed since the list was loaded (one was added or deleted); reload and "
            "order them again.",
            code="aliases_changed",
            details={"expected": len(current), "given": len(data.ids)},
        )
    ordered = [current[i] for i in data.ids]
    before = {a.id: a.priority for a in ordered}
    ties = [(a.kind, a.pattern.lower(), a.pattern, str(a.id)) for a in ordered]
    _apply_priorities(ordered, ordered_priorities([a.priority for a in ordered], ties))
    await session.flush()
    if [a.id for a in await repository.list_aliases(session, tenant_id)] != data.ids:
        # The database sorts equal priorities its own way (collation): no ties then.
        _apply_priorities(ordered, ordered_priorities([before[a.id] for a in ordered]))
        await session.flush()
    moved = 0
    for alias in ordered:
        if alias.priority != before[alias.id]:
            alias.is_default = False
            moved += 1
    await audit.record(
        session,
        actor=actor,
        action="material_alias.reorder",
        tenant_id=tenant_id,
        target_type="tenant",
        target_id=tenant_id,
        detail={"aliases": len(ordered), "changed": moved},
    )
    return await repository.list_aliases(session, tenant_id)


# --- preview and seeding -------------------------------------------------------------------------


async def preview(session: AsyncSession, *, actor: Actor, data: PreviewRequest) -> PreviewResult:
    """Resolve part names with the tenant's current aliases without saving anything.

    With a ``candidate`` the parts are resolved as if it were saved too (``before`` says what they
    get today), and ``impact`` lists what it would change in the tenant's CAD files: the way to see
    that ``Ball*`` also catches ``Ballast_Tank`` before saving it.
    """
    tenant_id = await _tenant(session, actor, data.tenant_id)
    fallback = fallback_of(await repository.tenant_config(session, tenant_id))
    aliases: list[AliasLike] = list(await repository.list_aliases(session, tenant_id))
    known = known_materials(await repository.material_names(session, tenant_id))
    candidate: list[AliasLike] = []
    if data.candidate is not None:
        kind = data.candidate.kind
        candidate = [
            AliasDef(
                _clean_pattern(kind, data.candidate.pattern),
                kind.value,
                await _canonical_material(session, tenant_id, data.candidate.material),
                data.candidate.priority,
            )
        ]
    resolved = resolve_material_map(data.parts, [*aliases, *candidate], fallback=fallback, known=known)
    before = resolve_material_map(data.parts, aliases, fallback=fallback, known=known) if candidate else {}
    return PreviewResult(
        fallback_material=fallback,
        results=[
            PreviewItem(
                part=part,
                material=r.material,
                reason=r.reason,
                pattern=r.pattern,
                log_line=log_line(part, r),
                before=before[part].material if part in before else None,
            )
            for part, r in resolved.items()
        ],
        impact=await _impact(session, tenant_id, aliases, candidate, fallback, known) if candidate else None,
    )


async def _impact(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    aliases: list[AliasLike],
    candidate: list[AliasLike],
    fallback: str,
    known: set[str],
) -> AliasImpact:
    """The part names of the tenant's CAD files whose material the candidate changes, and their files."""
    counts = await repository.part_name_file_counts(session, tenant_id)
    names = sorted(counts)
    now = resolve_material_map(names, aliases, fallback=fallback, known=known)
    then = resolve_material_map(names, [*aliases, *candidate], fallback=fallback, known=known)
    changed = [n for n in names if now[n].material != then[n].material]
    files, total = await repository.files_with_parts(session, tenant_id, changed, limit=IMPACT_FILES)
    return AliasImpact(
        parts=[
            ImpactPart(name=n, before=now[n].material, after=then[n].material, files=counts[n])
            for n in changed
        ],
        files=[ImpactFile(id=i, name=name, parts=parts) for i, name, parts in files],
        files_total=total,
    )


async def seed_default_aliases(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Give a new tenant the default aliases (the tenant service calls this on create)."""
    await repository.add_default_aliases(session, tenant_id, DEFAULT_ALIASES)


def seed_default_aliases_sync(session: Session, tenant_id: uuid.UUID) -> None:
    """The same for sync callers (the demo seed)."""
    repository.add_default_aliases_sync(session, tenant_id, DEFAULT_ALIASES)
