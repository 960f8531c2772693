"""Receiving a STEP upload: multipart streamed to a temp file, size-capped and sniffed on the way.

Nothing is buffered whole in memory or on disk beyond the limit: the stream is refused with
413 as soon as it passes ``max_bytes`` and with 415 ``not_step`` as soon as its first bytes are
not a Part-21 file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from automat.cad import step_file
from automat.cad.conversion import describe_content
from automat.kit.errors import AutomatError, BadRequest, PayloadTooLarge
from automat.kit.storage import LocalStorage

SNIFF_BYTES = 64 * 1024
FIELD = "file"


class NotStep(AutomatError):
    """The upload is not a STEP file."""

    status_code = 415
    code = "not_step"


@dataclass
class ReceivedFile:
    temp_path: Path
    original_name: str
    sha256: str
    size: int


def clean_name(raw: str | None) -> str:
    """A display name from the client's file name: last path component, printable, bounded."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "upload.step"
    return name[:255]


@dataclass
class _State:
    max_bytes: int
    storage: LocalStorage
    headers: dict[bytes, bytes] = field(default_factory=dict)
    field_name: bytes = b""
    header_value: bytes = b""
    in_file: bool = False
    seen_file: bool = False
    filename: str | None = None
    handle: IO[bytes] | None = None
    temp: Path | None = None
    size: int = 0
    head: bytearray = field(default_factory=bytearray)
    sniffed: bool = False
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    error: AutomatError | None = None

    def sniff(self) -> None:
        self.sniffed = True
        if not step_file.sniff(bytes(self.head)):
            what = describe_content(bytes(self.head[:16]))
            if self.size == 0:
                self.error = NotStep("The file is empty.")
            else:
                suffix = f" It looks like {what}." if what else ""
                self.error = NotStep(f"The file is not a STEP (ISO 10303-21) file.{suffix}")


def _callbacks(state: _State) -> dict[str, object]:
    def on_part_begin() -> None:
        state.headers = {}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.field_name += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.header_value += data[start:end]

    def on_header_end() -> None:
        state.headers[state.field_name.lower()] = state.header_value
        state.field_name, state.header_value = b"", b""

    def on_headers_finished() -> None:
        _, params = parse_options_header(state.headers.get(b"content-disposition", b""))
        is_file = params.get(b"name") == FIELD.encode() and not state.seen_file
        state.in_file = is_file
        if is_file:
            state.seen_file = True
            raw = params.get(b"filename")
            state.filename = raw.decode("utf-8", errors="replace") if raw else None
            state.temp = state.storage.temp_path()
            state.handle = state.temp.open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if not state.in_file or state.error is not None or state.handle is None:
            return
        chunk = data[start:end]
        state.size += len(chunk)
        if state.size > state.max_bytes:
            state.error = PayloadTooLarge(
                f"The file is larger than the limit of {state.max_bytes // 1_048_576} MB."
            )
            return
        if not state.sniffed:
            state.head += chunk[: SNIFF_BYTES - len(state.head)]
            if len(state.head) >= SNIFF_BYTES:
                state.sniff()
        state.digest.update(chunk)
        state.handle.write(chunk)

    def on_part_end() -> None:
        if state.in_file and state.handle is not None:
            state.handle.close()
            if not state.sniffed and state.error is None:
                state.sniff()
        state.in_file = False

    return {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    }


async def receive_step(request: Request, *, storage: LocalStorage, max_bytes: int) -> ReceivedFile:
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise BadRequest(
            "Send the file as multipart/form-data in a field named 'file'.", code="multipart_required"
        )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + SNIFF_BYTES:
        raise PayloadTooLarge(f"The file is larger than the limit of {max_bytes // 1_048_576} MB.")
    state = _State(max_bytes=max_bytes, storage=storage)
    parser = MultipartParser(boundary, _callbacks(state))  # type: ignore[arg-type]
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                if state.error is not None:
                    raise state.error
            parser.finalize()
        except MultipartParseError as exc:
            raise BadRequest("The multipart body is malformed.", code="malformed_multipart") from exc
        if state.error is not None:
            raise state.error
        if not state.seen_file or state.temp is None:
            raise BadRequest("The request has no field named 'file'.", code="file_required")
    except BaseException:
        if state.handle is not None:
            state.handle.close()
        if state.temp is not None:
            state.temp.unlink(missing_ok=True)
        raise
    return ReceivedFile(
        temp_path=state.temp,
        original_name=clean_name(state.filename),
        sha256=state.digest.hexdigest(),
        size=state.size,
    )
