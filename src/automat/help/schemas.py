from __future__ import annotations

from pydantic import BaseModel, Field


class HelpEntry(BaseModel):
    """What a setting, parameter, field or action does and what it affects in the pipeline."""

    key: str = Field(
        description="setting.<key>, tenant.<key>, output_type.render_settings.<field>, "
        "workflow_step.<step>.<param>, action.<name>, wizard.<field>, notification.<event type>"
    )
    title: str
    body: str
    affects: list[str] = Field(
        default_factory=list, description="what changes with it: render time, file size …"
    )
    unit: str | None = None
    range: str | None = Field(
        default=None, description="allowed values, in words: '1 to 4096', 'png, jpeg, webp'"
    )
    default: str | None = None
    recommendation: str | None = None
    warning: str | None = None


class HelpCatalogue(BaseModel):
    version: str = Field(description="changes whenever any entry changes (also the response's ETag)")
    entries: dict[str, HelpEntry]
