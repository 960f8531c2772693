"""A capped child answering in parts, for tests/kit/test_capped.py (``python -m``).

Request ``{"parts": n, "gate": path, "then": "fail" | "crash" | None}``: writes part 0, waits for
``gate`` to exist before writing the others (only a caller that reads parts as they come can let
it go on), then ends as ``then`` says.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from automat.kit.capped import child_main
from automat.kit.errors import Unprocessable


def handle(request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield {"part": 0}
    gate = Path(request["gate"])
    while not gate.exists():
        time.sleep(0.01)
    for n in range(1, request["parts"]):
        yield {"part": n}
    if request.get("then") == "fail":
        raise Unprocessable("the last part is wrong", code="bad_part")
    if request.get("then") == "crash":
        os._exit(3)


if __name__ == "__main__":
    child_main(handle)
