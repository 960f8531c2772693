"""Receiving a file upload: the multipart body parsed as a stream, never held whole.

The ``file`` part goes to a temp file beside the storage root while its size is counted (413 as
soon as it passes ``max_bytes``) and its sha256 computed; an optional ``sniff`` callback sees the
first bytes and may refuse the upload before the rest is read. Small text fields named in
``text_fields`` are collected in memory (a few KB each); one holding a NUL is refused (422
``nul_character``, see ``kit/storable.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.errors import AutomatError, BadRequest, PayloadTooLarge
from automat.kit.storable import NUL, Loc, NulCharacter
from automat.kit.storage import LocalStorage
from automat.kit.transaction import on_rollback

FILE_FIELD = "file"
MAX_TEXT_FIELD = 64 * 1024
SNIFF_BYTES = 64 * 1024

Sniff = Callable[[bytes, int], AutomatError | None]
"""Given the first bytes (up to SNIFF_BYTES) and how many bytes came so far: an error to refuse."""


@dataclass
class ReceivedUpload:
    temp_path: Path
    original_name: str
    size: int
    sha256: str
    fields: dict[str, str]


def keep_upload(
    session: Session | AsyncSession,
    storage: LocalStorage,
    received: ReceivedUpload,
    *,
    prefix: str,
    name: str,
) -> str:
    """Move the upload to ``<prefix>/<name>`` for a row being created in ``session``; if that
    transaction rolls back, the whole ``prefix`` folder goes again. Returns the storage key."""
    key = f"{prefix}/{name}"
    storage.commit(received.temp_path, key)
    on_rollback(session, lambda: storage.delete_prefix(prefix))
    return key


def clean_name(raw: str | None, default: str = "upload") -> str:
    """A display name from the client's file name: last path component, printable, bounded."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or default
    return name[:255]


@dataclass
class _State:
    max_bytes: int
    storage: LocalStorage
    text_fields: frozenset[str]
    sniff: Sniff | None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    header_field: bytes = b""
    header_value: bytes = b""
    part: str | None = None  # FILE_FIELD, a text field's name, or None (ignored)
    seen_file: bool = False
    filename: str | None = None
    handle: IO[bytes] | None = None
    temp: Path | None = None
    size: int = 0
    head: bytearray = field(default_factory=bytearray)
    sniffed: bool = False
    digest: Any = field(default_factory=hashlib.sha256)
    texts: dict[str, bytearray] = field(default_factory=dict)
    error: AutomatError | None = None

    def run_sniff(self) -> None:
        self.sniffed = True
        if self.sniff is not None and self.error is None:
            self.error = self.sniff(bytes(self.head), self.size)

    def file_data(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.error = PayloadTooLarge(
                f"The file is larger than the limit of {self.max_bytes // 1_048_576} MB."
            )
            return
        if not self.sniffed:
            self.head += chunk[: SNIFF_BYTES - len(self.head)]
            if len(self.head) >= SNIFF_BYTES:
                self.run_sniff()
        self.digest.update(chunk)
        assert self.handle is not None
        self.handle.write(chunk)


def _callbacks(state: _State) -> dict[str, object]:
    def on_part_begin() -> None:
        state.headers = {}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.header_field += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.header_value += data[start:end]

    def on_header_end() -> None:
        state.headers[state.header_field.lower()] = state.header_value
        state.header_field, state.header_value = b"", b""

    def on_headers_finished() -> None:
        _, params = parse_options_header(state.headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", errors="replace")
        state.part = None
        if name == FILE_FIELD and not state.seen_file:
            state.part = FILE_FIELD
            state.seen_file = True
            raw = params.get(b"filename")
            state.filename = raw.decode("utf-8", errors="replace") if raw else None
            state.temp = state.storage.temp_path("upload")
            state.handle = state.temp.open("wb")
        elif name in state.text_fields and name not in state.texts:
            state.part = name
            state.texts[name] = bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.part is None or state.error is not None:
            return
        chunk = data[start:end]
        if state.part == FILE_FIELD:
            state.file_data(chunk)
            return
        buffer = state.texts[state.part]
        buffer += chunk
        if len(buffer) > MAX_TEXT_FIELD:
            state.error = PayloadTooLarge(f"The field '{state.part}' is too long.")

    def on_part_end() -> None:
        if state.part == FILE_FIELD and state.handle is not None:
            state.handle.close()
            if not state.sniffed:
                state.run_sniff()
        state.part = None

    return {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    }


async def receive_upload(
    request: Request,
    *,
    storage: LocalStorage,
    max_bytes: int,
    text_fields: frozenset[str] = frozenset(),
    sniff: Sniff | None = None,
    default_name: str = "upload",
) -> ReceivedUpload:
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise BadRequest(
            "Send the file as multipart/form-data in a field named 'file'.", code="multipart_required"
        )
    declared = request.headers.get("content-length")
    slack = SNIFF_BYTES + MAX_TEXT_FIELD * len(text_fields)
    if declared and declared.isdigit() and int(declared) > max_bytes + slack:
        raise PayloadTooLarge(f"The file is larger than the limit of {max_bytes // 1_048_576} MB.")
    state = _State(max_bytes=max_bytes, storage=storage, text_fields=text_fields, sniff=sniff)
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
        fields = {k: bytes(v).decode("utf-8", errors="replace") for k, v in state.texts.items()}
        nul: list[Loc] = [("body", name) for name, value in fields.items() if NUL in value]
        if nul:
            raise NulCharacter(nul)
    except BaseException:
        if state.handle is not None:
            state.handle.close()
        if state.temp is not None:
            state.temp.unlink(missing_ok=True)
        raise
    return ReceivedUpload(
        temp_path=state.temp,
        original_name=clean_name(state.filename, default_name),
        size=state.size,
        sha256=state.digest.hexdigest(),
        fields=fields,
    )
