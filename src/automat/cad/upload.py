"""Receiving a STEP upload: streamed with the size cap (``kit.upload``) and sniffed on the way.

The stream is refused with 415 ``not_step`` as soon as its first bytes are not a Part-21 file,
whatever the file is called.
"""

from __future__ import annotations

from fastapi import Request

from automat.cad import step_file
from automat.cad.conversion import describe_content
from automat.kit.errors import AutomatError
from automat.kit.storage import LocalStorage
from automat.kit.upload import ReceivedUpload, receive_upload


class NotStep(AutomatError):
    """The upload is not a STEP file."""

    status_code = 415
    code = "not_step"


def sniff_step(head: bytes, size: int) -> AutomatError | None:
    if step_file.sniff(head):
        return None
    if size == 0:
        return NotStep("The file is empty.")
    what = describe_content(head[:16])
    suffix = f" It looks like {what}." if what else ""
    return NotStep(f"The file is not a STEP (ISO 10303-21) file.{suffix}")


async def receive_step(request: Request, *, storage: LocalStorage, max_bytes: int) -> ReceivedUpload:
    return await receive_upload(
        request, storage=storage, max_bytes=max_bytes, sniff=sniff_step, default_name="upload.step"
    )
