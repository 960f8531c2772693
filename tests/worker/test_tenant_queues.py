"""A tenant's own queues: their names, which tenant config key asks for which, and what a
worker started with ``--queue <slug>.<queue>`` serves."""

from __future__ import annotations

import pytest

from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, base_queue, dedicated_queues, tenant_queue


def test_a_tenants_queue_is_its_slug_before_the_shared_queue() -> None:
    assert tenant_queue("demo", RENDER_QUEUE) == "demo.thumbnail_rendering"
    assert base_queue("demo.thumbnail_rendering") == RENDER_QUEUE
    assert base_queue("acme-gmbh.step_processing") == STEP_QUEUE
    assert base_queue(RENDER_QUEUE) == RENDER_QUEUE


@pytest.mark.parametrize(
    "name", ["demo.renders", "thumbnail_rendering.demo", ".thumbnail_rendering", "celery"]
)
def test_other_names_serve_no_queue(name: str) -> None:
    assert base_queue(name) is None


def test_the_config_keys_dedicate_each_queue_on_its_own() -> None:
    assert dedicated_queues("demo", {}) == {}
    assert dedicated_queues("demo", {"dedicated_render_queue": True}) == {
        RENDER_QUEUE: "demo.thumbnail_rendering"
    }
    assert dedicated_queues(
        "demo", {"dedicated_render_queue": False, "dedicated_processing_queue": True}
    ) == {STEP_QUEUE: "demo.step_processing"}


def test_the_worker_command_refuses_a_queue_nothing_is_sent_to() -> None:
    from typer.testing import CliRunner

    from automat.cli import app

    result = CliRunner().invoke(app, ["worker", "--queue", "demo.renders"])
    assert result.exit_code != 0
    assert "<tenant-slug>.<one of them>" in result.output
