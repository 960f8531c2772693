from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from automat.cad.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[2]
# The team's shared STEP files live beside the checkout (CI lays ../shared next to the clone).
FIXTURES = Path(os.environ.get("AUTOMAT_STEP_FIXTURES", REPO.parent / "shared" / "fixtures" / "step"))
VALID = sorted(
    p.name for p in FIXTURES.glob("*") if p.suffix.lower() in (".step", ".stp") and "madehere" not in p.name
)
BROKEN = sorted(p.name for p in FIXTURES.glob("madehere_*"))
BEARING = "bearing_20x37x9__freecad_ap214.stp"
VALIDATOR = REPO / "tools" / "gltf-validator" / "validate.mjs"


def fixture(name: str) -> Path:
    path = FIXTURES / name
    assert path.exists(), f"missing fixture {path}"
    return path


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    yield box
    box.close()


def validate_gltf(*paths: Path) -> list[dict[str, object]]:
    """The Khronos glTF Validator's verdict per file (npm package, run with the machine's node)."""
    done = subprocess.run(
        ["node", str(VALIDATOR), *map(str, paths)], capture_output=True, text=True, timeout=120, check=False
    )
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == len(paths), done.stderr
    return reports
