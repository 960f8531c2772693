"""The one place the step declarations are imported (API at start, workers with the executor).

Each domain declares the steps it owns in ``<domain>/steps.py``; importing them fills
``automat.pipeline.registry.REGISTRY``. ``steps()`` does it once and returns the registry.
"""

from __future__ import annotations

import importlib

from automat.pipeline.registry import REGISTRY, StepRegistry

STEP_MODULES = (
    "automat.cad.steps",
    "automat.products.steps",
    "automat.orders.steps",
)


def steps() -> StepRegistry:
    """The registry with every domain's declarations loaded."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    return REGISTRY
