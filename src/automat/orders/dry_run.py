"""How a dry run of an order line workflow resolves a render node: the output type's settings
(or the defaults) with the node's params over them, checked as a real render checks them."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from automat.orders.lines import KIND_OF_STEP
from automat.output_types.resolve import settings_for
from automat.output_types.settings import RenderSettings
from automat.pipeline.executor import PlannedNode
from automat.pipeline.registry import Subject
from automat.workflows.runs import DryRunContext, Resolution, register_resolver


async def resolve_render(session: AsyncSession, node: PlannedNode, context: DryRunContext) -> Resolution:
    if context.subject != Subject.ORDER_LINE:
        return dict(node.params), "Would run.", False
    output_type = context.output_type
    try:
        if output_type is not None:
            settings = settings_for(output_type, node.params, kind=KIND_OF_STEP[node.step])
        else:
            values = {k: v for k, v in node.params.items() if v is not None}
            settings = RenderSettings.model_validate(values).for_kind(KIND_OF_STEP[node.step])
    except (ValidationError, ValueError) as exc:
        return dict(node.params), f"Its settings are not valid: {exc}", True
    basis = f"output type {output_type.name}" if output_type is not None else "the defaults"
    return settings.model_dump(mode="json"), f"Would render with {basis} and the node's params.", False


def register() -> None:
    for step in KIND_OF_STEP:
        register_resolver(step, resolve_render)
