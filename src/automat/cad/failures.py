"""A failed conversion in plain language: what is wrong with the file and what to do about it.

The pre-checks, the sandbox and OpenCASCADE say what went wrong in their own terms ("StepFile :
Incorrect Syntax : Fails Count : 1", "conversion was killed …"). ``explain`` turns such a
``ConversionError`` into one whose ``message`` a person can act on, keeps the original words in
``detail`` (shown folded under "Details"), and may sharpen the ``code`` by looking at the file:

==========================  ======================================================================
code                        when
==========================  ======================================================================
``empty_file``              the file has no content
``not_step``                it is no STEP file (and what it looks like instead)
``truncated_step``          it ends before ``END-ISO-10303-21;`` (cut off)
``no_data``                 a header and an empty DATA section: nothing was exported
``no_geometry``             records, but no solid OpenCASCADE can mesh
``step_syntax_error``       OpenCASCADE stops at a syntax error (line N, from its words or our scan)
``unreadable_step``         OpenCASCADE cannot read it, and neither says why
``conversion_timeout``      over the ``conversion_timeout_s`` limit
``conversion_out_of_memory`` over the ``conversion_memory_mb`` limit
``conversion_crashed``      the converter died on the file
``conversion_failed``       the converter failed otherwise
``sandbox_unavailable``     the converter did not start (the installation, not the file)
``source_missing``          the stored upload is gone
==========================  ======================================================================
"""

from __future__ import annotations

import re
from pathlib import Path

from automat.cad import step_scan
from automat.cad.sandbox import ConversionError, SandboxLimits

_LINE = re.compile(r"\bLine\s*:?\s*(\d+)", re.IGNORECASE)
_UNEXPECTED = re.compile(r"unexpected\s+(\w+)", re.IGNORECASE)
_LOOKS_LIKE = re.compile(r"\(it looks like (.+)\)")
_SIGNAL = re.compile(r"\((SIG\w+)\)")
EXPORT_AGAIN = "Export the part again from your CAD program as STEP (AP203, AP214 or AP242) and upload it."
MAX_SCAN_BYTES = 256 * 1024 * 1024  # a file this large is not scanned again just to word a failure


def _scan(step_path: Path | None) -> step_scan.DataScan | None:
    if step_path is None or not step_path.is_file() or step_path.stat().st_size > MAX_SCAN_BYTES:
        return None
    return step_scan.scan(step_path.read_bytes())


def _syntax(raw: str, scan: step_scan.DataScan | None) -> ConversionError | None:
    """A syntax error, where the file has one: OpenCASCADE's line, else our scan's first."""
    line = _LINE.search(raw)
    where: str | None = None
    what = ""
    if line:
        where = f"line {line.group(1)}"
        if unexpected := _UNEXPECTED.search(raw):
            what = f" (unexpected {unexpected.group(1)})"
    elif scan is not None and scan.malformed:
        first = scan.malformed[0]
        where = f"line {first.line}"
        if first.entity_id is not None:
            where += f", record #{first.entity_id}" + (f" {first.entity}" if first.entity else "")
        what = f" ({first.problem})"
    if where is None:
        return None
    return ConversionError(
        "step_syntax_error",
        f"The file has a syntax error at {where}{what}, so it cannot be read: it was damaged, edited by "
        f"hand or written by a faulty exporter. {EXPORT_AGAIN}",
    )


def _plain(error: ConversionError, step_path: Path | None, limits: SandboxLimits | None) -> ConversionError:
    code, raw = error.code, error.message
    if code == "empty_file":
        return ConversionError(code, "The file is empty. Upload it again; if it is empty on your disk too, "
                               + EXPORT_AGAIN[0].lower() + EXPORT_AGAIN[1:])  # fmt: skip
    if code == "not_step":
        looks = _LOOKS_LIKE.search(raw)
        seems = f" (it is {looks.group(1)})" if looks else ""
        return ConversionError(code, f"This is not a STEP file{seems}. {EXPORT_AGAIN}")
    if code == "truncated_step":
        return ConversionError(
            code,
            "The file is cut off: it ends before its end marker (END-ISO-10303-21;), so part of the model "
            "is missing. Upload it again; if the copy on your disk is cut off too, export the part again.",
        )
    if code == "conversion_timeout":
        limit = f" of {limits.timeout_s:g} s" if limits else ""
        return ConversionError(
            code,
            f"Converting the file took longer than the limit{limit}. The model is very large or detailed: "
            "simplify it (leave out threads, fasteners, small features) or ask an administrator to raise "
            "the conversion time limit (conversion_timeout_s).",
        )
    if code == "conversion_out_of_memory":
        limit = f" of {limits.memory_mb:,} MB" if limits else ""
        return ConversionError(
            code,
            f"Converting the file needed more than the memory limit{limit}. The model is very large or "
            "detailed: simplify it or ask an administrator to raise the conversion memory limit "
            "(conversion_memory_mb).",
        )
    if code == "conversion_crashed":
        signal = _SIGNAL.search(raw)
        how = f" ({signal.group(1)})" if signal else ""
        return ConversionError(
            code,
            f"The converter crashed on this file{how}; the file is probably damaged. Export the part again; "
            "if a fresh export crashes too, send the file to your administrator.",
        )
    if code == "sandbox_unavailable":
        return ConversionError(
            code,
            "The converter did not start. This is a problem of the installation, not of your file: "
            "reprocess the file later, or tell your administrator.",
        )
    if code in ("unreadable_step", "conversion_failed", "no_geometry"):
        scan = _scan(step_path)
        if scan is not None and scan.records == 0:
            return ConversionError(
                "no_data",
                "The file has a header but no geometry: its DATA section is empty. Export the part again "
                "with solids (bodies) included.",
            )
        if code != "no_geometry" and (syntax := _syntax(raw, scan)) is not None:
            return syntax
        if code == "no_geometry":
            records = f" has {scan.records:,} records but" if scan is not None else ""
            return ConversionError(
                code,
                f"The file{records} contains no solid geometry to show: only sketches, curves or drawing "
                "data. Export the part again with solids (bodies) included.",
            )
        return ConversionError(
            code, f"The file could not be read as STEP, and the converter does not say why. {EXPORT_AGAIN}"
        )
    return error


def explain(
    error: ConversionError, step_path: Path | None = None, limits: SandboxLimits | None = None
) -> ConversionError:
    """``error`` worded for people (``step_path``: the file, read again to say more about it); the
    original words become the new error's ``detail``."""
    plain = _plain(error, step_path, limits)
    if plain is not error:
        plain.detail = error.detail or error.message
    return plain
